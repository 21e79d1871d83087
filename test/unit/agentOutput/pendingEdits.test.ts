import * as assert from 'node:assert/strict';
import { forgetOldestSeen, MAX_SEEN_EDITS, wasWritten, type PendingEdits } from '../../../src/agentOutput/pendingEdits';

const DAY = 24 * 3600 * 1000;
const id = (n: number) => `edit-${String(n).padStart(10, '0')}`;

describe('edits remembered as written', () => {
  it('remembers an edit written years ago, so a log read whole again writes nothing again', () => {
    const pending: PendingEdits = { v: 1, edits: [], responses: {}, seen: { [id(1)]: Date.UTC(2024, 0, 1) } };
    forgetOldestSeen(pending);
    assert.equal(wasWritten(pending, id(1), Date.UTC(2024, 0, 1)), true);
    assert.equal(wasWritten(pending, id(2), Date.UTC(2024, 0, 1)), false);
  });

  it('past the bound, forgets the oldest and takes any edit from their time or before as written', () => {
    const start = Date.UTC(2025, 0, 1);
    const seen: Record<string, number> = {};
    for (let n = 0; n < MAX_SEEN_EDITS + 2; n++) seen[id(n)] = start + n * 1000;
    const pending: PendingEdits = { v: 1, edits: [], responses: {}, seen };
    forgetOldestSeen(pending);
    assert.equal(Object.keys(pending.seen).length, MAX_SEEN_EDITS);
    assert.equal(pending.seenThrough, start + 1000);
    assert.equal(pending.seen[id(0)], undefined);
    assert.equal(wasWritten(pending, id(0), start), true, 'forgotten, still written');
    assert.equal(wasWritten(pending, 'never-seen', start + 1000), true, 'the price of the bound');
    assert.equal(wasWritten(pending, 'never-seen', start + 2000), false);
    assert.equal(wasWritten(pending, id(MAX_SEEN_EDITS + 1), start + DAY), true);
  });
});
