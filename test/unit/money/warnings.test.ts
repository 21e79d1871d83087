import assert from 'node:assert/strict';
import { statusBarWarning, warningLevel } from '../../../src/money/warnings';
import type { LimitStatus } from '../../../src/money/limits';
import type { BudgetStatus } from '../../../src/money/budgets';

const limit = (window: LimitStatus['window'], usedPercent: number | null, resetsAt: number | null = null): LimitStatus => ({
  source: 'codex',
  limit: 'plan',
  window,
  windowMinutes: null,
  usedPercent,
  resetsAt,
  observedAt: 0,
});

const budget = (spentUSD: number, budgetUSD: number): BudgetStatus => ({
  scope: 'overall',
  month: '2026-11',
  budgetUSD,
  spentUSD,
  progress: spentUSD / budgetUSD,
  proRatedBudgetUSD: budgetUSD,
  pace: 1,
  dailyRateUSD: null,
  rateDays: 0,
  projectedUSD: null,
  projectedProgress: null,
  level: warningLevel(spentUSD / budgetUSD),
  requestsWithoutCost: 0,
  coveredFrom: null,
  note: null,
});

describe('status bar warnings', () => {
  it('warns from 80 % and is over from 100 %', () => {
    assert.deepEqual([0, 0.79, 0.8, 0.99, 1, 1.5].map(warningLevel), ['ok', 'ok', 'warning', 'warning', 'over', 'over']);
  });

  it('says nothing while every limit and budget is below 80 %, or a limit has reset', () => {
    assert.deepEqual(statusBarWarning([limit('5h', 79.9), limit('weekly', null)], [budget(10, 100)], String), { level: 'ok', lines: [] });
    assert.deepEqual(statusBarWarning([], [], String), { level: 'ok', lines: [] });
  });

  it('lists what passed 80 %, worst first, with the reset time written by the caller', () => {
    const resetsAt = Date.UTC(2026, 10, 20, 12, 0, 0);
    const warning = statusBarWarning([limit('weekly', 85), limit('5h', 100, resetsAt)], [budget(90, 100)], (t) => `at ${new Date(t).toISOString()}`);
    assert.equal(warning.level, 'over');
    assert.deepEqual(warning.lines, [
      ['Codex 5-hour limit: ', { value: 1, format: 'percent' }, ` used, resets at ${new Date(resetsAt).toISOString()}`],
      ['Monthly budget: ', { value: 90, format: 'usd' }, ' of ', { value: 100, format: 'usd' }, ' (', { value: 0.9, format: 'percent' }, ')'],
      ['Codex weekly limit: ', { value: 0.85, format: 'percent' }, ' used'],
    ]);
  });
});
