import assert from 'node:assert/strict';
import { resolveSeats, SEAT_PLANS, seatCostForDay, seatCostForRange } from '../../../src/pricing/seats';
import { assertClose } from './helpers';
import { daysInMonth } from '../../../src/calendar/dates';

const listPrice = (id: string): number => {
  const plan = SEAT_PLANS.find((candidate) => candidate.id === id);
  assert.ok(plan, id);
  return plan.monthlyUSD;
};

describe('seat cost', () => {
  it('uses the public list price of a known plan, times the seat count', () => {
    const { seats, unknownPlans } = resolveSeats([{ plan: 'Copilot-Business', count: 3 }]);
    assert.deepEqual(unknownPlans, []);
    assertClose(seatCostForDay('2025-01-15', seats), (3 * listPrice('copilot-business')) / 31);
  });

  it('spreads a month over 28 days in February 2025 and 29 in February 2024', () => {
    const { seats } = resolveSeats([{ plan: 'cursor-teams' }]);
    assertClose(seatCostForDay('2025-02-10', seats), listPrice('cursor-teams') / 28);
    assertClose(seatCostForDay('2024-02-10', seats), listPrice('cursor-teams') / 29);
    assert.ok(seatCostForDay('2025-02-10', seats) > seatCostForDay('2025-03-10', seats));
  });

  it('adds up to exactly one monthly price over a whole month of any length', () => {
    const { seats } = resolveSeats([{ plan: 'claude-max-5x' }, { plan: 'copilot-pro', count: 2 }]);
    const monthly = listPrice('claude-max-5x') + 2 * listPrice('copilot-pro');
    assertClose(seatCostForRange('2025-02-01', '2025-02-28', seats), monthly);
    assertClose(seatCostForRange('2025-03-01', '2025-03-31', seats), monthly);
    assertClose(seatCostForRange('2025-04-01', '2025-04-30', seats), monthly);
  });

  it('sums a range across a month boundary day by day', () => {
    const { seats } = resolveSeats([{ plan: 'custom-tool', monthlyUSD: 31 }]);
    // Jan 30, Jan 31 at 31/31 each, Feb 1..3 at 31/28 each.
    assertClose(seatCostForRange('2025-01-30', '2025-02-03', seats), 2 * (31 / 31) + 3 * (31 / 28));
    assert.equal(seatCostForRange('2025-02-03', '2025-01-30', seats), 0);
  });

  it('lets a configured price replace the list price', () => {
    const { seats } = resolveSeats([{ plan: 'copilot-enterprise', monthlyUSD: 30 }]);
    assertClose(seatCostForDay('2025-06-01', seats), 30 / 30);
  });

  it('reports a plan it cannot price instead of counting it as free', () => {
    const { seats, unknownPlans } = resolveSeats([{ plan: 'mystery-plan' }, { plan: 'chatgpt-plus' }]);
    assert.deepEqual(unknownPlans, ['mystery-plan']);
    assert.equal(seats.length, 1);
  });

  it('knows month lengths', () => {
    assert.deepEqual([1, 2, 4, 12].map((month) => daysInMonth(2025, month)), [31, 28, 30, 31]);
    assert.equal(daysInMonth(2000, 2), 29);
    assert.equal(daysInMonth(1900, 2), 28);
  });

  it('rejects a date that is not a calendar day', () => {
    assert.throws(() => seatCostForDay('2025-02-30', []), RangeError);
    assert.throws(() => seatCostForDay('yesterday', []), RangeError);
  });
});
