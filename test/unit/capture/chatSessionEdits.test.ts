import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loggedEditGroups } from '../../../src/capture/chatSessionEdits';

// The operation log and flat session of test/fixtures/agent-output/copilot-chat (its README cites the VS Code and
// Copilot Chat sources each shape follows).
const SESSIONS = path.join(__dirname, '../../../../test/fixtures/agent-output/copilot-chat/workspaceStorage/5f6e7d8c9b0a/chatSessions');
const LOG = fs.readFileSync(path.join(SESSIONS, '7c1d2e3f-edit-4bbb-8ccc-000000000005.jsonl'), 'utf8');
const FLAT = fs.readFileSync(path.join(SESSIONS, '7c1d2e3f-edit-4bbb-8ccc-000000000005.json'), 'utf8');
const FOLDER = '/home/alice/SECRET-PLANTED-9c41/web';

function files(groups: ReturnType<typeof loggedEditGroups>): string[] {
  return groups.map((group) => `${group.uri.scheme}:${group.uri.path.replace(FOLDER, '')}`);
}

describe('edit groups in new lines of a chat session log', () => {
  it('finds every edit group the appended lines carry, with each edit text, and skips external edits', () => {
    const groups = loggedEditGroups(LOG);
    assert.deepEqual(files(groups), [
      'file:/src/app.ts',
      'file:/src/util.ts',
      'untitled:Untitled-1',
      'file:/src/server.ts',
      'file:/README.md',
      'file:/CHANGELOG.md',
    ]);
    assert.deepEqual(groups[0].texts, [
      "const port = Number(process.env.PORT ?? 8080);\n  // LINE-SECRET-5d2e listen on all interfaces\n  server.listen(port, '0.0.0.0');\n  log('started');",
    ]);
    // create_file's code mapper logs one edit per line: every line is one text.
    assert.ok(groups[1].texts.length > 1);
    assert.equal(groups[1].texts[0], 'export function clamp(x: number, lo: number, hi: number): number {');
  });

  it('reads a line at a time: the lines appended by one write give only their own groups', () => {
    const lines = LOG.split('\n');
    assert.deepEqual(files(loggedEditGroups(`${lines[8]}\n`)), ['file:/src/server.ts']);
    assert.deepEqual(loggedEditGroups(`${lines[9]}\n${lines[10]}\n`), []);
  });

  it('finds the same groups in a compacted log (one kind 0 line with the whole session)', () => {
    const compacted = `${JSON.stringify({ kind: 0, v: JSON.parse(FLAT) })}\n`;
    assert.deepEqual(files(loggedEditGroups(compacted)), files(loggedEditGroups(LOG)));
  });

  it('skips lines that are not JSON, a torn last line, and entries without a value', () => {
    const lines = LOG.split('\n');
    const text = ['not json', '{"kind":3,"k":["requests",0]}', lines[8], lines[3].slice(0, 500)].join('\n');
    assert.deepEqual(files(loggedEditGroups(text)), ['file:/src/server.ts']);
  });

  it('ignores groups whose shape is not a text edit group, and edits without text', () => {
    const line = JSON.stringify({
      kind: 2,
      k: ['requests', 0, 'response'],
      v: [
        { kind: 'notebookEditGroup', uri: { scheme: 'file', path: '/n.ipynb' }, edits: [[{ text: 'cell text' }]] },
        { kind: 'textEditGroup', uri: { scheme: 'file' }, edits: [[{ text: 'no path' }]] },
        { kind: 'textEditGroup', uri: { scheme: 'file', path: '/a.ts' }, edits: [[{ range: {} }, { text: '' }]] },
        { kind: 'textEditGroup', uri: { scheme: 'file', path: '/b.ts' }, edits: [[{ text: 'kept text' }, 42]] },
      ],
    });
    assert.deepEqual(loggedEditGroups(line), [{ uri: { scheme: 'file', path: '/b.ts' }, texts: ['kept text'] }]);
  });
});
