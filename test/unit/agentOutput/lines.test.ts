import * as assert from 'node:assert/strict';
import { applyPatchLines } from '../../../src/agentOutput/applyPatch';
import { checkpointState, nextDueAt, openCheckpoints } from '../../../src/agentOutput/checkpoints';
import { countKeptLines } from '../../../src/agentOutput/kept';
import { countDiffLines, countHunkLines, nonBlankLines } from '../../../src/agentOutput/lines';

describe('agent output: counting lines', () => {
  it('counts non-blank lines of a created file, trailing whitespace and CR trimmed', () => {
    assert.deepEqual(nonBlankLines('a  \r\n\n   \n\tb\n'), ['a', '\tb']);
  });

  it('counts structuredPatch hunks: + and - lines, context and blank lines left out, every hunk of a replace-all', () => {
    const counted = countHunkLines([
      [' keep', '-old one', '+new one', '+', '+   ', '\\ No newline at end of file'],
      [' keep', '-old one', '+new one'],
    ]);
    assert.deepEqual(counted, { addedLines: ['new one', 'new one'], removedLines: 2 });
  });

  it('counts a unified diff by its hunk headers, so an added "++ x" line is not a file header', () => {
    const diff = ['--- a/f', '+++ b/f', '@@ -1,2 +1,3 @@', ' ctx', '-gone', '+++ x', '+y', '@@ -10 +11 @@', '-z', '+w', ''].join('\n');
    assert.deepEqual(countDiffLines(diff), { addedLines: ['++ x', 'y', 'w'], removedLines: 2 });
  });

  it("reads Codex's apply_patch: added, updated (with a move) and deleted files", () => {
    const patch = [
      "apply_patch <<'EOF'",
      '*** Begin Patch',
      '*** Add File: src/new.ts',
      '+export const a = 1;',
      '+',
      '+export const b = 2;',
      '*** Update File: src/old.ts',
      '*** Move to: src/moved.ts',
      '@@ function f() {',
      ' keep',
      '-  return 1;',
      '+  return 2;',
      '*** End of File',
      '*** Delete File: src/dead.ts',
      '*** End Patch',
      'EOF',
    ].join('\n');
    assert.deepEqual(applyPatchLines(patch), [
      { path: 'src/new.ts', deleted: false, addedLines: ['export const a = 1;', 'export const b = 2;'], removedLines: 0 },
      { path: 'src/moved.ts', deleted: false, addedLines: ['  return 2;'], removedLines: 1 },
      { path: 'src/dead.ts', deleted: true, addedLines: [], removedLines: 0 },
    ]);
    assert.deepEqual(applyPatchLines('no patch here'), []);
  });
});

describe('agent output: lines kept', () => {
  it('matches added lines as a multiset, ignoring trailing whitespace and position', () => {
    const added = ['x = 1', 'x = 1', 'y = 2', 'z = 3'];
    assert.equal(countKeptLines(added, 'y = 2   \nx = 1\r\nother\n'), 2);
  });

  it('keeps nothing of a file that is gone', () => {
    assert.equal(countKeptLines(['a'], undefined), 0);
  });
});

describe('agent output: checkpoints', () => {
  const edit = Date.UTC(2026, 0, 1);
  const hour = 3600 * 1000;
  it('is due from c to 2c after the edit, missed after', () => {
    assert.equal(checkpointState(edit, 3600, edit + hour - 1), 'notYet');
    assert.equal(checkpointState(edit, 3600, edit + hour), 'due');
    assert.equal(checkpointState(edit, 3600, edit + 2 * hour - 1), 'due');
    assert.equal(checkpointState(edit, 3600, edit + 2 * hour), 'missed');
  });

  it('schedules only the checkpoints an edit read late can still meet', () => {
    assert.deepEqual(openCheckpoints(edit, edit + 3 * hour), [86400, 604800]);
    assert.deepEqual(openCheckpoints(edit, edit + 15 * 24 * hour), []);
  });

  it('finds the next checkpoint due after now', () => {
    assert.equal(nextDueAt([{ t: edit, left: [3600, 86400] }, { t: edit + hour / 2, left: [3600] }], edit + hour + 1), edit + hour + hour / 2);
    assert.equal(nextDueAt([{ t: edit, left: [3600] }], edit + 2 * hour), null);
  });
});
