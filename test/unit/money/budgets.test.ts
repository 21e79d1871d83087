import assert from 'node:assert/strict';
import { budgetStatuses, type BudgetInput } from '../../../src/money/budgets';
import { dateList, localDate } from '../../../src/calendar/dates';
import { resolveSeats, seatCostForDay } from '../../../src/pricing/seats';
import type { UsageRow } from '../../../src/report/rows';
import { budgetSettingsFrom, parseSettings } from '../../../src/settings/schema';
import { close, usageRow } from './fixtures';

// A $30 a month seat costs $1 a day in November (30 days) and $30/31 a day in December.
const seats = resolveSeats([{ plan: 'team-tool', monthlyUSD: 30 }]).seats;
const seatCostUSD = (date: string) => seatCostForDay(date, seats);

/** $5 a day of Claude Code from Nov 1 to 19, $3 so far today (Nov 20), and $100 on Oct 31. */
function november(): UsageRow[] {
  return [
    ...dateList('2026-11-01', '2026-11-19').map((date) => usageRow(date, 'claude-code', 'claude-sonnet-4-5', 5)),
    usageRow('2026-11-20', 'claude-code', 'claude-sonnet-4-5', 3),
    usageRow('2026-10-31', 'claude-code', 'claude-sonnet-4-5', 100),
  ];
}

function input(overrides: Partial<BudgetInput>): BudgetInput {
  return {
    usage: november(),
    seatCostUSD,
    planCoveredSources: new Set(),
    settings: { monthlyUSD: 300, perSourceUSD: {} },
    today: '2026-11-20',
    trackedSince: '2026-10-01',
    ...overrides,
  };
}

describe('monthly budgets', () => {
  it('measures the overall budget against token spend plus seats, pro-rated to today, and projects to month end', () => {
    const [overall] = budgetStatuses(input({}));
    assert.equal(overall.scope, 'overall');
    assert.equal(overall.month, '2026-11');
    // Spent: 19 × $5 + $3 + 20 seat days × $1 = $118; pro-rated: $300 × 20/30 = $200.
    assert.ok(close(overall.spentUSD, 118));
    assert.ok(close(overall.progress, 118 / 300));
    assert.ok(close(overall.proRatedBudgetUSD, 200));
    assert.ok(close(overall.pace, 0.59));
    // Rate: Nov 13..19 at $5 = $5 a day; projection: $118 + 10 days × $5 + 10 seat days × $1 = $178.
    assert.equal(overall.rateDays, 7);
    assert.ok(close(overall.dailyRateUSD, 5));
    assert.ok(close(overall.projectedUSD, 178));
    assert.ok(close(overall.projectedProgress, 178 / 300));
    assert.equal(overall.level, 'ok');
    assert.equal(overall.coveredFrom, null);
    assert.equal(overall.note, null);
  });

  it('counts no tokens of a tool a flat plan covers in the overall budget, which they were not spent on, as the Spend card', () => {
    const max = resolveSeats([{ plan: 'claude-max-20x' }]).seats;
    const [overall, claude] = budgetStatuses(
      input({
        seatCostUSD: (date) => seatCostForDay(date, max),
        planCoveredSources: new Set(['claude-code']),
        settings: { monthlyUSD: 500, perSourceUSD: { 'claude-code': 50 } },
      }),
    );
    // Claude Max 20x: $200 over November's 30 days, 20 of them so far; Claude Code's $98 at API prices is covered.
    assert.ok(close(overall.spentUSD, (200 * 20) / 30));
    assert.ok(close(overall.projectedUSD ?? 0, 200));
    assert.equal(overall.level, 'ok');
    // A tool's own budget is of its usage at API list prices, covered or not.
    assert.ok(close(claude.spentUSD, 98));
  });

  it('gives each tool its own budget over its own token spend, without seats, and warns at 80 % and 100 %', () => {
    const usage = [...november(), usageRow('2026-11-02', 'codex', 'gpt-5.1-codex', 12)];
    const statuses = budgetStatuses(input({ usage, settings: { monthlyUSD: 0, perSourceUSD: { 'claude-code': 100, codex: 10, 'gemini-cli': 0 } } }));
    assert.deepEqual(statuses.map((s) => s.scope), ['claude-code', 'codex'], 'no overall budget at 0, none for a tool at 0');
    const [claude, codex] = statuses;
    assert.ok(close(claude.spentUSD, 98));
    assert.equal(claude.level, 'warning');
    assert.ok(close(claude.projectedUSD, 98 + 10 * 5));
    assert.ok(close(codex.spentUSD, 12));
    assert.equal(codex.level, 'over');
    assert.ok(close(codex.dailyRateUSD, 0), 'no Codex spend in the last seven days');
  });

  it('starts the month afresh on the 1st and takes the rate from the last days of the previous month', () => {
    const usage = [...dateList('2026-11-24', '2026-11-30').map((date) => usageRow(date, 'claude-code', 'm', 7)), usageRow('2026-12-01', 'claude-code', 'm', 2)];
    const [overall] = budgetStatuses(input({ usage, today: '2026-12-01', settings: { monthlyUSD: 310, perSourceUSD: {} } }));
    assert.equal(overall.month, '2026-12');
    // Spent: $2 + one seat day of $30/31; pro-rated: $310 × 1/31 = $10.
    assert.ok(close(overall.spentUSD, 2 + 30 / 31));
    assert.ok(close(overall.proRatedBudgetUSD, 10));
    assert.ok(close(overall.dailyRateUSD, 7));
    assert.ok(close(overall.projectedUSD, 2 + 30 / 31 + 30 * 7 + 30 * (30 / 31)));
  });

  it('dates the month in the user\'s time zone: 03:00 UTC on Dec 1 is still November in Los Angeles', () => {
    const now = Date.UTC(2026, 11, 1, 3, 0, 0);
    const [la] = budgetStatuses(input({ today: localDate(now, 'America/Los_Angeles') }));
    const [utc] = budgetStatuses(input({ today: localDate(now, 'UTC') }));
    assert.equal(la.month, '2026-11');
    assert.equal(utc.month, '2026-12');
    assert.ok(close(la.spentUSD, 98 + 30));
  });

  it('says which part of a month it covers when data starts mid-month, and rates only the days it has', () => {
    const [overall] = budgetStatuses(input({ trackedSince: '2026-11-16' }));
    assert.equal(overall.coveredFrom, '2026-11-16');
    assert.equal(overall.rateDays, 4);
    assert.ok(close(overall.dailyRateUSD, 5));
    assert.match(overall.note ?? '', /2026-11-16/);
  });

  it('has no rate or projection, and no division by zero, before one complete day of data', () => {
    const [overall] = budgetStatuses(input({ usage: [], trackedSince: '2026-11-20' }));
    assert.equal(overall.rateDays, 0);
    assert.equal(overall.dailyRateUSD, null);
    assert.equal(overall.projectedUSD, null);
    assert.equal(overall.projectedProgress, null);
    assert.ok(close(overall.spentUSD, 20), 'seat days still count');
    assert.match(overall.note ?? '', /one complete day/);
    const [empty] = budgetStatuses(input({ usage: [], trackedSince: null }));
    assert.equal(empty.dailyRateUSD, null);
    for (const value of [empty.spentUSD, empty.progress, empty.pace, empty.proRatedBudgetUSD]) assert.ok(Number.isFinite(value));
  });

  it('counts requests it could not price, so spend reads as a lower bound', () => {
    const usage = [usageRow('2026-11-05', 'claude-code', 'mystery-model', null, 4), usageRow('2026-11-06', 'claude-code', 'claude-sonnet-4-5', 1.5, 10, 2)];
    const [overall] = budgetStatuses(input({ usage }));
    assert.equal(overall.requestsWithoutCost, 6);
    assert.ok(close(overall.spentUSD, 1.5 + 20));
  });

  it('makes no status without any budget, which is the default', () => {
    assert.deepEqual(budgetStatuses(input({ settings: { monthlyUSD: 0, perSourceUSD: {} } })), []);
    assert.deepEqual(budgetStatuses(input({ settings: budgetSettingsFrom(parseSettings({})) })), []);
  });

  it('takes budgets from the settings, keeping the valid per-tool entries', () => {
    const settings = budgetSettingsFrom(parseSettings({ 'budget.monthlyUSD': 300, 'budget.perSourceUSD': { 'claude-code': 100, 'not-a-tool': 5, codex: -1 } }));
    assert.deepEqual(settings, { monthlyUSD: 300, perSourceUSD: { 'claude-code': 100 } });
    assert.deepEqual(budgetStatuses(input({ settings })).map((s) => s.scope), ['overall', 'claude-code']);
  });
});
