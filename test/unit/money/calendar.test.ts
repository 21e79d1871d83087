// The month helpers src/calendar/dates.ts gained for budgets and subscriptions.
import assert from 'node:assert/strict';
import { dayOfMonth, daysInMonthOf, monthBounds, monthList } from '../../../src/calendar/dates';

describe('month helpers', () => {
  it('know each month\'s length, leap Februaries included', () => {
    assert.deepEqual(['2026-01', '2026-02', '2024-02', '2026-04', '2026-12-31'].map(daysInMonthOf), [31, 28, 29, 30, 31]);
    assert.deepEqual(monthBounds('2024-02'), { first: '2024-02-01', last: '2024-02-29' });
    assert.equal(dayOfMonth('2026-11-09'), 9);
  });

  it('list the months between two months across a year end, and none backwards', () => {
    assert.deepEqual(monthList('2026-11', '2027-02'), ['2026-11', '2026-12', '2027-01', '2027-02']);
    assert.deepEqual(monthList('2026-11', '2026-11'), ['2026-11']);
    assert.deepEqual(monthList('2026-12', '2026-11'), []);
  });
});
