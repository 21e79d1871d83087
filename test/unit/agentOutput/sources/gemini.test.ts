import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { geminiJsonlParser, geminiJsonParser, type GeminiFileState } from '../../../../src/importers/sources/gemini';
import type { ParsedUsage } from '../../../../src/importers/types';
import type { ParsedEdit } from '../../../../src/agentOutput/types';
import { byKey, collectingContext, LINE_SECRET, PATH_SECRET } from './collect';

// Recordings shaped as Gemini CLI writes them: see test/fixtures/agent-output/gemini/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/agent-output/gemini');
const CHATS = `/home/alice/.gemini/tmp/${PATH_SECRET}/chats`;
const ROOT = `/home/alice/${PATH_SECRET}/billing-app`;
const JSONL = 'session-2026-06-02T09-00-ed170001.jsonl';
const LEGACY = 'session-2025-11-03T14-00-1e9a0002.json';

function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

interface LineRun {
  usages: ParsedUsage[];
  edits: ParsedEdit[];
  states: string[];
}

/** Feeds lines as the machinery does, persisting the state through JSON between lines. */
function parseLines(text: string): LineRun {
  const { context, edits } = collectingContext();
  let state: GeminiFileState = geminiJsonlParser.initialState(`${CHATS}/${JSONL}`, context);
  const usages: ParsedUsage[] = [];
  const states: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    usages.push(...geminiJsonlParser.parseLine(line, state, context));
    states.push(JSON.stringify(state));
    state = JSON.parse(JSON.stringify(state)) as GeminiFileState;
  }
  return { usages, edits, states };
}

describe('Gemini CLI file edits', () => {
  const run = parseLines(readFixture(JSONL));
  const edits = byKey(run.edits);
  const editOfCall = (callId: string): ParsedEdit | undefined => [...edits.values()].find((e) => e.key.endsWith(`/${callId}`));

  it('reports one edit per successful replace or write_file call, however often the message is re-recorded', () => {
    assert.deepEqual(
      [...edits.values()].map((e) => e.key.split('/')[1]).sort(),
      [
        'replace__replace_1780390834000_3',
        'replace__replace_1780390900000_0',
        'write_file__write_file_1780390810000_0',
        'write_file__write_file_1780390830000_0',
      ],
    );
    assert.ok(run.edits.length > edits.size, 'the checkpoint repeats calls, under the same keys');
  });

  it('writes nothing for failed and cancelled calls, nor for tools that do not write', () => {
    assert.equal(editOfCall('replace__replace_1780390831000_1'), undefined, 'status error');
    assert.equal(editOfCall('write_file__write_file_1780390832000_2'), undefined, 'status cancelled');
    assert.equal(editOfCall('read_file__read_file_1780390835000_4'), undefined);
  });

  it('counts the FileDiff of an overwrite with several hunks: added lines trimmed, removed non-blank lines', () => {
    const edit = editOfCall('write_file__write_file_1780390810000_0');
    assert.ok(edit);
    assert.deepEqual(edit.addedLines, [
      `import { taxRate } from './tax'; // ${LINE_SECRET}`,
      '  return round(sum * (1 + taxRate));',
      'export const VERSION = 2;',
    ]);
    assert.equal(edit.removedLines, 2);
    assert.equal(edit.filePath, `${ROOT}/src/billing.ts`);
  });

  it('counts a created file, whether write_file created it or replace with an empty old_string', () => {
    const written = editOfCall('write_file__write_file_1780390830000_0');
    assert.ok(written);
    assert.deepEqual(written.addedLines, [
      `// ${LINE_SECRET} tax table`,
      'export const taxRate = 0.2;',
      'export function withTax(x: number): number {',
      '  return x * (1 + taxRate);',
      '}',
    ]);
    assert.equal(written.removedLines, 0);
    const created = editOfCall('replace__replace_1780390834000_3');
    assert.ok(created);
    assert.equal(created.filePath, `${ROOT}/src/created.ts`, 'from the arguments: the display only says Created');
    assert.equal(created.addedLines.length, 4);
    assert.equal(created.removedLines, 0);
  });

  it('counts a deletion as removed lines only', () => {
    const edit = editOfCall('replace__replace_1780390900000_0');
    assert.ok(edit);
    assert.deepEqual(edit.addedLines, []);
    assert.equal(edit.removedLines, 3, 'the blank line removed with them is not counted');
  });

  it('dates an edit by its call, names the message model, and links it to the usage record of its message', () => {
    const edit = editOfCall('replace__replace_1780390900000_0');
    assert.ok(edit);
    assert.equal(edit.t, Date.parse('2026-06-02T09:01:40.000Z'));
    assert.equal(edit.model, 'gemini-2.5-flash');
    const usage = run.usages.find((u) => u.key === edit.responseKey);
    assert.ok(usage, 'responseKey is the key of the usage record of the message that made the call');
    assert.equal(usage.model, 'gemini-2.5-flash');
    assert.equal(edit.sessionKey, usage.sessionKey);
  });

  it("dates an edit whose call time is not a date-time (`5`, which Date.parse reads as May 2001) by its message", () => {
    const line = readFixture(JSONL).split('\n').find((l) => l.startsWith('{"id"') && l.includes('"replace__replace_1780390900000_0"'));
    assert.ok(line);
    const message = JSON.parse(line) as { toolCalls: { id: string; timestamp?: string }[] };
    for (const call of message.toolCalls) call.timestamp = '5';
    const { context, edits: found } = collectingContext();
    geminiJsonlParser.parseLine(JSON.stringify(message), geminiJsonlParser.initialState(`${CHATS}/${JSONL}`, context), context);
    assert.deepEqual(found.map((e) => e.t), [Date.parse('2026-06-02T09:01:39.000Z')]);
  });

  it('finds an edit again from its own line and a fresh state, with the same key and lines', () => {
    const lines = readFixture(JSONL).split('\n');
    const line = lines.find((l) => l.includes('"write_file__write_file_1780390830000_0"'));
    assert.ok(line);
    const { context, edits: again } = collectingContext();
    geminiJsonlParser.parseLine(line, geminiJsonlParser.initialState(`${CHATS}/${JSONL}`, context), context);
    const original = editOfCall('write_file__write_file_1780390830000_0');
    const found = again.find((e) => e.key === original?.key);
    assert.ok(found && original);
    assert.deepEqual([found.filePath, found.addedLines, found.removedLines, found.t], [original.filePath, original.addedLines, original.removedLines, original.t]);
  });

  it('keeps paths and written lines out of usage records and parser state', () => {
    const stored = JSON.stringify(run.usages) + run.states.join('');
    assert.ok(!stored.includes(PATH_SECRET));
    assert.ok(!stored.includes(LINE_SECRET));
    assert.ok(JSON.stringify(run.edits).includes(LINE_SECRET), 'the planted strings are in the log');
  });

  describe('recordings from before 2026-01-07 (no FileDiff kept)', () => {
    const { context, edits: reported } = collectingContext();
    const usages = geminiJsonParser.parseFile(readFixture(LEGACY), `${CHATS}/${LEGACY}`, context);
    const legacy = byKey(reported);
    const legacyOf = (callId: string) => [...legacy.values()].find((e) => e.key.endsWith(`/${callId}`));

    it('counts replace from its old and new strings, context lines cancelling', () => {
      const edit = legacyOf('replace-1762178409000-ab12');
      assert.ok(edit);
      assert.deepEqual(edit.addedLines, ['def greet(name):', `    return 'hello ' + name  # ${LINE_SECRET}`]);
      assert.equal(edit.removedLines, 2);
      assert.equal(edit.responseKey, usages[0]?.key);
    });

    it('counts a write_file that created its file, but not an overwrite whose old content is unknown', () => {
      const created = legacyOf('write_file-1762178411000-ef56');
      assert.ok(created);
      assert.deepEqual(created.addedLines, ['from greet import greet', 'def test_greet():', '    assert greet("a") == "hello a"']);
      assert.equal(legacyOf('write_file-1762178410000-cd34'), undefined);
    });

    it('does not count an edit whose path is relative to a folder the recording does not name', () => {
      assert.equal(legacyOf('replace-1762178412000-gh78'), undefined);
      assert.equal(legacy.size, 2);
    });
  });
});
