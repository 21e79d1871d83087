import * as assert from 'node:assert/strict';
import type { ParsedEdit } from '../../../src/agentOutput/types';
import { parseContext } from '../../../src/importers/rawJson';
import { claudeCodeParser, type ClaudeFileState } from '../../../src/importers/sources/claudeCode';
import { claudeEditResult, claudeFailedEdit, claudeMultiEditResult, claudeToolUse, claudeWriteResult, type ClaudeSession } from './agentEditFixtures';

const FILE = '/home/dev/proj/projects/app/session-1.jsonl';
const session: ClaudeSession = { sessionId: 'session-1', cwd: '/home/dev/proj', model: 'claude-opus-4-1-20250805' };

function parse(lines: string[], state?: ClaudeFileState): { edits: ParsedEdit[]; usageKeys: string[]; state: ClaudeFileState } {
  const edits: ParsedEdit[] = [];
  const context = parseContext('k', {}, (edit) => edits.push(edit));
  const fileState = state ?? claudeCodeParser.initialState(FILE, context);
  const usageKeys: string[] = [];
  for (const line of lines) {
    // As the reader does: lines without a marker are never handed to the parser.
    if (!(claudeCodeParser.lineMarkers ?? []).some((marker) => line.includes(marker))) continue;
    usageKeys.push(...claudeCodeParser.parseLine(line, fileState, context).map((usage) => usage.key));
  }
  return { edits, usageKeys, state: fileState };
}

const editCall = (toolUseId: string, messageId = 'msg_01') =>
  claudeToolUse(session, { timestamp: '2026-03-01T10:00:00.000Z', messageId, requestId: 'req_01', toolUseId, tool: 'Edit', input: { file_path: '/home/dev/proj/a.ts', old_string: 'x', new_string: 'y' } });

describe('Claude Code agent edits', () => {
  it('counts an Edit from its structuredPatch, with the model and response of the call that made it', () => {
    const { edits, usageKeys } = parse([
      editCall('toolu_A'),
      claudeEditResult(session, {
        timestamp: '2026-03-01T10:00:02.000Z',
        toolUseId: 'toolu_A',
        filePath: '/home/dev/proj/a.ts',
        oldString: 'const a = 1;',
        newString: 'const a = 2;\n\nconst b = 3;',
        originalFile: 'const a = 1;\n',
        hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 3, lines: ['-const a = 1;', '+const a = 2;', '+', '+const b = 3;'] }],
      }),
    ]);
    assert.deepEqual(usageKeys, ['msg_01:req_01']);
    assert.equal(edits.length, 1);
    assert.deepEqual(edits[0], {
      key: 'toolu_A',
      t: Date.parse('2026-03-01T10:00:02.000Z'),
      model: 'claude-opus-4-1-20250805',
      responseKey: 'msg_01:req_01',
      sessionKey: 'session-1',
      filePath: '/home/dev/proj/a.ts',
      addedLines: ['const a = 2;', 'const b = 3;'],
      removedLines: 1,
    });
  });

  it('links an edit to its call whatever the call id, `__proto__` included', () => {
    const { edits } = parse([
      editCall('__proto__'),
      claudeEditResult(session, {
        timestamp: '2026-03-01T10:00:02.000Z',
        toolUseId: '__proto__',
        filePath: '/home/dev/proj/a.ts',
        oldString: 'a',
        newString: 'b',
        originalFile: 'a\n',
        hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 1, lines: ['-a', '+b'] }],
      }),
    ]);
    assert.deepEqual(edits.map((edit) => [edit.key, edit.responseKey]), [['__proto__', 'msg_01:req_01']]);
  });

  it('counts every hunk of a replace-all edit and of a MultiEdit', () => {
    const hunk = (at: number) => ({ oldStart: at, oldLines: 1, newStart: at, newLines: 1, lines: ['-foo()', '+bar()'] });
    const { edits } = parse([
      editCall('toolu_B'),
      claudeEditResult(session, { timestamp: '2026-03-01T10:00:02.000Z', toolUseId: 'toolu_B', filePath: '/home/dev/proj/a.ts', oldString: 'foo()', newString: 'bar()', originalFile: 'foo()\nfoo()\nfoo()\n', hunks: [hunk(1), hunk(5), hunk(9)], replaceAll: true }),
      claudeMultiEditResult(session, { timestamp: '2026-03-01T10:00:03.000Z', toolUseId: 'toolu_C', filePath: '/home/dev/proj/b.ts', originalFile: 'foo()\n', hunks: [hunk(1), hunk(3)] }),
    ]);
    assert.deepEqual(edits.map((edit) => [edit.key, edit.addedLines.length, edit.removedLines]), [['toolu_B', 3, 3], ['toolu_C', 2, 2]]);
  });

  it("counts a created file's content (its patch is empty) and an overwrite's patch", () => {
    const { edits } = parse([
      claudeWriteResult(session, { timestamp: '2026-03-01T10:01:00.000Z', toolUseId: 'toolu_D', filePath: '/home/dev/proj/new.md', content: '# Title\n\nbody line\n' }),
      claudeWriteResult(session, {
        timestamp: '2026-03-01T10:02:00.000Z',
        toolUseId: 'toolu_E',
        filePath: '/home/dev/proj/new.md',
        content: '# Title\n\nnew body\n',
        originalFile: '# Title\n\nbody line\n',
        hunks: [{ oldStart: 1, oldLines: 3, newStart: 1, newLines: 3, lines: [' # Title', ' ', '-body line', '+new body'] }],
      }),
    ]);
    assert.deepEqual(edits.map((edit) => [edit.addedLines, edit.removedLines]), [[['# Title', 'body line'], 0], [['new body'], 1]]);
  });

  it('counts nothing for a failed call', () => {
    const { edits } = parse([editCall('toolu_F'), claudeFailedEdit(session, { timestamp: '2026-03-01T10:00:02.000Z', toolUseId: 'toolu_F' })]);
    assert.deepEqual(edits, []);
  });

  it('stores no tool call id or raw model, and an edit answered in a later run takes the last model', () => {
    const first = parse([editCall('toolu_G')]);
    const stored = claudeCodeParser.stateForStorage?.(first.state, () => 'claude-opus-4-1') as ClaudeFileState;
    assert.ok(!JSON.stringify(stored).includes('toolu_G'));
    assert.ok(!JSON.stringify(stored).includes('msg_01'));
    const later = parse(
      [claudeWriteResult(session, { timestamp: '2026-03-01T10:01:00.000Z', toolUseId: 'toolu_G', filePath: '/home/dev/proj/c.ts', content: 'x\n' })],
      structuredClone(stored),
    );
    assert.equal(later.edits[0].model, 'claude-opus-4-1');
    assert.equal(later.edits[0].responseKey, undefined);
  });
});
