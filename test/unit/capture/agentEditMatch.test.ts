import assert from 'node:assert/strict';
import { AgentEditMatcher, MIN_EVIDENCE_CHARS } from '../../../src/capture/agentEditMatch';

const WINDOW = 120_000;
const DOC = 'file:///work/project/src/app.ts';
const OTHER_DOC = 'file:///work/project/src/other.ts';
/** What a replace_string_in_file call logs: the new text of the old string's range. */
const LOGGED = 'const port = Number(process.env.PORT ?? 8080);\n  server.listen(port);\n';

describe('agent edit matching', () => {
  it('matches a change that inserted exactly the text an edit of that file logged', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    assert.equal(matcher.hold(DOC, [LOGGED], 0, 'change'), true);
    assert.deepEqual(matcher.matchLogged(DOC, ['unrelated text', LOGGED], 1_000), ['change']);
    assert.equal(matcher.size, 0);
  });

  it('matches the minimal edits the editor applies instead of a logged edit (pieces of its text, several per event)', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    // computeMoreMinimalEdits turned `const port = 3000;\n  server.listen(3000);\n` into two pieces of LOGGED.
    matcher.hold(DOC, ['Number(process.env.PORT ?? 8080)', 'port'], 0, 'minimal');
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], 1_000), ['minimal']);
  });

  it('reads \\r\\n in the document as the \\n the log has', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    matcher.hold(DOC, [LOGGED.replace(/\n/g, '\r\n')], 0, 'crlf');
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], 1_000), ['crlf']);
  });

  it('does not match a change whose text no logged edit has, and lets it expire as it was', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    matcher.hold(DOC, ['pasted by a person\n'], 0, 'paste');
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], 1_000), []);
    assert.equal(matcher.size, 1);
    assert.deepEqual(matcher.expire(WINDOW - 1), []);
    assert.deepEqual(matcher.expire(WINDOW), ['paste']);
    assert.equal(matcher.size, 0);
  });

  it('does not match an edit logged for another document', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    matcher.hold(DOC, [LOGGED], 0, 'change');
    assert.deepEqual(matcher.matchLogged(OTHER_DOC, [LOGGED], 1_000), []);
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], 2_000), ['change']);
  });

  it('does not match once the window has ended, even before expire ran', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    matcher.hold(DOC, [LOGGED], 0, 'late');
    assert.equal(matcher.nextExpiry(), WINDOW);
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], WINDOW), []);
    assert.deepEqual(matcher.expire(WINDOW), ['late']);
  });

  it('matches a change whose pieces come from different edits of one group, and not one that a group covers only in part', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    const group = ['export function clamp(x: number) {', '\n  return Math.min(1, x);', '\n}\n'];
    matcher.hold(DOC, ['function clamp', 'return Math.min'], 0, 'across edits');
    matcher.hold(DOC, ['function clamp', 'return Math.max'], 0, 'half covered');
    assert.deepEqual(matcher.matchLogged(DOC, group, 1_000), ['across edits']);
    assert.deepEqual(matcher.matchLogged(DOC, group.slice(0, 1), 1_000), []);
    assert.equal(matcher.size, 1);
  });

  it('takes a change once: a group logged again (it is rewritten as it grows) matches nothing more', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    matcher.hold(DOC, [LOGGED], 0, 'first');
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], 1_000), ['first']);
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], 2_000), []);
  });

  it('matches several held changes oldest first, each once', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    matcher.hold(DOC, ['server.listen(port)'], 0, 'one');
    matcher.hold(DOC, ['process.env.PORT'], 10, 'two');
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], 1_000), ['one', 'two']);
  });

  it('holds no change that is no evidence: only short texts, or only whitespace', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    assert.equal(matcher.hold(DOC, ['x'.repeat(MIN_EVIDENCE_CHARS - 1), 'ab'], 0, 'short'), false);
    assert.equal(matcher.hold(DOC, ['\n    \n    '], 0, 'blank'), false);
    assert.equal(matcher.hold(DOC, ['', ''], 0, 'empty'), false);
    assert.equal(matcher.size, 0);
    assert.equal(matcher.nextExpiry(), undefined);
  });

  it('finds a piece at the very start and the very end of a logged text', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    matcher.hold(DOC, ['const port', 'listen(port);\n'], 0, 'edges');
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], 1_000), ['edges']);
  });

  it('lets go of a change on request, and drains the rest', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    matcher.hold(DOC, [LOGGED], 0, 'released');
    matcher.hold(DOC, ['another paste'], 5, 'kept');
    assert.equal(matcher.release('released'), true);
    assert.equal(matcher.release('released'), false);
    assert.deepEqual(matcher.matchLogged(DOC, [LOGGED], 1_000), []);
    assert.deepEqual(matcher.drain(), ['kept']);
    assert.equal(matcher.size, 0);
  });

  it('finds a long piece in a long logged text (a file rewritten whole)', () => {
    const matcher = new AgentEditMatcher<string>(WINDOW);
    const file = Array.from({ length: 2_000 }, (_, i) => `line ${i}: ${'\u00e9\u4e2d'.repeat(i % 7)} value = ${i * 31};`).join('\n');
    const piece = file.slice(40_000, 52_000);
    matcher.hold(DOC, [piece], 0, 'long');
    matcher.hold(DOC, [piece.slice(0, -1) + '#'], 0, 'almost');
    assert.deepEqual(matcher.matchLogged(DOC, [file], 1_000), ['long']);
  });
});
