import * as assert from 'node:assert/strict';
import type { ParsedEdit } from '../../../src/agentOutput/types';
import { parseContext } from '../../../src/importers/rawJson';
import type { ParsedUsage } from '../../../src/importers/types';
import { codexParser, type CodexFileState } from '../../../src/importers/sources/codex';
import { codexPatchCall, codexPatchOutput, codexResponseItem } from './agentEditFixtures';
import { codexSessionMeta, codexTokenCount, codexTurnContext } from './fixtures';

const FILE = '/home/dev/.codex/sessions/2026/03/01/rollout-2026-03-01T10-00-00-abc.jsonl';
const PATCH = ['*** Begin Patch', '*** Update File: src/app.py', '@@ def main():', '-    print(1)', '+    print(2)', '+    return 0', '*** Add File: README.md', '+# App', '*** End Patch'].join('\n');

function parse(lines: string[], state?: CodexFileState): { edits: ParsedEdit[]; records: ParsedUsage[]; state: CodexFileState } {
  const edits: ParsedEdit[] = [];
  const records: ParsedUsage[] = [];
  const context = parseContext('k', {}, (edit) => edits.push(edit));
  const fileState = state ?? codexParser.initialState(FILE, context);
  for (const line of lines) records.push(...codexParser.parseLine(line, fileState, context));
  return { edits, records, state: fileState };
}

const start = [
  codexSessionMeta('2026-03-01T10:00:00.000Z', 'thread-1'),
  codexTurnContext('2026-03-01T10:00:01.000Z', 'gpt-5.2'),
];

describe('Codex agent edits', () => {
  it('counts a successful apply_patch per file, paths resolved against the turn folder, linked to the response that made it', () => {
    const { edits, records } = parse([
      ...start,
      codexPatchCall('2026-03-01T10:00:05.000Z', 'call_1', PATCH),
      codexTokenCount('2026-03-01T10:00:05.500Z', { input: 900, output: 100 }, { input: 900, output: 100 }),
      codexPatchOutput('2026-03-01T10:00:06.000Z', 'call_1', ['src/app.py', 'README.md']),
    ]);
    assert.deepEqual(
      edits.map((edit) => [edit.filePath, edit.addedLines, edit.removedLines, edit.model, edit.t]),
      [
        ['/home/dev/secret-project/src/app.py', ['    print(2)', '    return 0'], 1, 'gpt-5.2', Date.parse('2026-03-01T10:00:06.000Z')],
        ['/home/dev/secret-project/README.md', ['# App'], 0, 'gpt-5.2', Date.parse('2026-03-01T10:00:06.000Z')],
      ],
    );
    assert.equal(records.length, 1);
    assert.deepEqual(edits.map((edit) => edit.responseKey), [records[0].key, records[0].key]);
    assert.notEqual(edits[0].key, edits[1].key);
  });

  it('counts a file that a patch names in two sections as one edit of all their lines, as Codex applies both', () => {
    const twice = [
      '*** Begin Patch',
      '*** Update File: src/app.py',
      '@@ def f():',
      '-    return 1',
      '+    return 2',
      '*** Update File: ./src/app.py',
      '@@ def g():',
      '-    x = 1',
      '+    x = 10',
      '+    y = 20',
      '*** Delete File: old.txt',
      '*** Add File: old.txt',
      '+fresh',
      '+start',
      '*** End Patch',
    ].join('\n');
    const { edits } = parse([
      ...start,
      codexPatchCall('2026-03-01T10:00:05.000Z', 'call_9', twice),
      codexPatchOutput('2026-03-01T10:00:06.000Z', 'call_9', ['src/app.py', 'old.txt']),
    ]);
    assert.deepEqual(
      edits.map((edit) => [edit.filePath, edit.addedLines, edit.removedLines]),
      [
        ['/home/dev/secret-project/src/app.py', ['    return 2', '    x = 10', '    y = 20'], 2],
        ['/home/dev/secret-project/old.txt', ['fresh', 'start'], 0],
      ],
    );
    assert.notEqual(edits[0].key, edits[1].key);
  });

  it('counts nothing for a patch that failed', () => {
    const { edits } = parse([...start, codexPatchCall('2026-03-01T10:00:05.000Z', 'call_2', PATCH), codexPatchOutput('2026-03-01T10:00:06.000Z', 'call_2', [], false)]);
    assert.deepEqual(edits, []);
  });

  it('reads a patch given to the shell tool as a heredoc, relative to its workdir, and JSON output with an exit code', () => {
    const args = JSON.stringify({ command: ['bash', '-lc', `apply_patch <<'EOF'\n${PATCH}\nEOF\n`], workdir: '/srv/other' });
    const output = JSON.stringify({ output: 'Success. Updated the following files:\nM src/app.py\nA README.md\n', metadata: { exit_code: 0, duration_seconds: 0.1 } });
    const { edits } = parse([
      ...start,
      codexResponseItem('2026-03-01T10:00:05.000Z', { type: 'function_call', name: 'shell', arguments: args, call_id: 'call_3' }),
      codexResponseItem('2026-03-01T10:00:06.000Z', { type: 'function_call_output', call_id: 'call_3', output }),
    ]);
    assert.deepEqual(edits.map((edit) => edit.filePath), ['/srv/other/src/app.py', '/srv/other/README.md']);
  });

  it('counts patch_apply_end changes (added, updated, deleted) once even when the call and its output are also logged', () => {
    const end = JSON.stringify({
      timestamp: '2026-03-01T10:00:06.000Z',
      type: 'event_msg',
      payload: {
        type: 'patch_apply_end',
        call_id: 'call_4',
        turn_id: 'turn-1',
        stdout: 'Success. Updated the following files:\nM src/app.py\nA README.md\n',
        stderr: '',
        success: true,
        changes: {
          '/home/dev/secret-project/src/app.py': { type: 'update', unified_diff: '@@ -1,2 +1,3 @@\n def main():\n-    print(1)\n+    print(2)\n+    return 0\n', move_path: null },
          '/home/dev/secret-project/README.md': { type: 'add', content: '# App\n' },
          '/home/dev/secret-project/old.txt': { type: 'delete', content: 'one\n\ntwo\n' },
        },
        status: 'completed',
      },
    });
    const { edits } = parse([...start, codexPatchCall('2026-03-01T10:00:05.000Z', 'call_4', PATCH), end, codexPatchOutput('2026-03-01T10:00:06.100Z', 'call_4', ['src/app.py'])]);
    assert.deepEqual(
      edits.map((edit) => [edit.filePath, edit.addedLines.length, edit.removedLines]),
      [
        ['/home/dev/secret-project/src/app.py', 2, 1],
        ['/home/dev/secret-project/README.md', 1, 0],
        ['/home/dev/secret-project/old.txt', 0, 2],
      ],
    );
  });

  it('keeps no path or patch in the stored state', () => {
    const { state } = parse([...start, codexPatchCall('2026-03-01T10:00:05.000Z', 'call_5', PATCH)]);
    const stored = JSON.stringify(codexParser.stateForStorage?.(state, (model) => model));
    assert.ok(!stored.includes('secret-project'));
    assert.ok(!stored.includes('print(2)'));
  });
});
