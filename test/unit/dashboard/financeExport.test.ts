// "Export figures…" for finance: the range's figures per day and per month, per tool, model and plan, as CSV and JSON.
import * as assert from 'node:assert/strict';
import { dateList } from '../../../src/calendar/dates';
import { financeCsv, financeExport, financeJson } from '../../../src/dashboard/financeExport';
import { resolveSeats } from '../../../src/pricing/seats';
import { usageRow } from './fixtures';

const seats = resolveSeats([{ plan: 'claude-max-5x' }, { plan: 'team-tool', monthlyUSD: 31 }]).seats;
const days = dateList('2024-03-30', '2024-04-01');

describe('finance export', () => {
  const data = financeExport(
    [
      usageRow('2024-03-30', { costUSD: 2, requests: 3 }),
      usageRow('2024-03-31', { costUSD: 1.5, requests: 2 }),
      usageRow('2024-04-01', { source: 'codex', model: 'gpt-5', costUSD: null, requests: 1 }),
      usageRow('2024-04-02', { costUSD: 99 }),
    ],
    seats,
    days,
    'Europe/Rome',
  );

  it('gives each day’s usage with the plan covering its tool, and each day’s share of every seat', () => {
    const daily = data.rows.filter((row) => row.period === 'day');
    const claude = daily.filter((row) => row.kind === 'usage' && row.source === 'claude-code');
    assert.deepEqual(claude.map((row) => [row.date, row.plan, row.costUSD]), [['2024-03-30', 'claude-max-5x', 2], ['2024-03-31', 'claude-max-5x', 1.5]]);
    assert.equal(daily.find((row) => row.source === 'codex')?.plan, '');
    // $100 over March's 31 days; a plan the user named is exported as `other`, never by its name.
    const seatDay = daily.filter((row) => row.kind === 'seat' && row.date === '2024-03-30');
    assert.deepEqual(seatDay.map((row) => row.plan).sort(), ['claude-max-5x', 'other']);
    assert.ok(Math.abs((seatDay.find((row) => row.plan === 'claude-max-5x')?.costUSD ?? 0) - 100 / 31) < 1e-9);
    assert.ok(!data.rows.some((row) => row.date === '2024-04-02'));
  });

  it('sums the days into months, keeping an unpriced month unpriced', () => {
    const march = data.rows.filter((row) => row.period === 'month' && row.date === '2024-03');
    const usage = march.find((row) => row.kind === 'usage' && row.source === 'claude-code');
    assert.equal(usage?.costUSD, 3.5);
    assert.equal(usage?.requests, 5);
    assert.ok(Math.abs((march.find((row) => row.plan === 'claude-max-5x')?.costUSD ?? 0) - 200 / 31) < 1e-9);
    assert.equal(data.rows.find((row) => row.period === 'month' && row.source === 'codex')?.costUSD, null);
  });

  it('keeps a month’s known cost beside a day whose requests logged no tokens, and counts both seat entries of one plan', () => {
    const twoEntries = resolveSeats([{ plan: 'cursor-pro', count: 2 }, { plan: 'cursor-pro', count: 3 }]).seats;
    const november = dateList('2025-11-01', '2025-11-03');
    const rows = financeExport(
      [
        usageRow('2025-11-01', { source: 'copilot-chat', model: 'claude-sonnet-4-5', costUSD: 3 }),
        usageRow('2025-11-02', { source: 'copilot-chat', model: 'claude-sonnet-4-5', costUSD: null, requestsWithoutTokens: 4, requests: 4 }),
        usageRow('2025-11-03', { source: 'copilot-chat', model: 'claude-sonnet-4-5', costUSD: 3 }),
      ],
      twoEntries,
      november,
      'UTC',
    ).rows.filter((row) => row.period === 'month');
    const usage = rows.find((row) => row.kind === 'usage');
    assert.deepEqual([usage?.costUSD, usage?.requestsWithoutTokens], [6, 4]);
    assert.equal(rows.find((row) => row.kind === 'seat')?.seats, 5);
  });

  it('writes CSV with the report’s column names and JSON that reads back the same', () => {
    const lines = financeCsv(data).split('\r\n');
    assert.equal(lines[0], 'period,date,kind,source,model,plan,seats,inputTokens,outputTokens,reasoningTokens,cacheReadTokens,cacheWriteTokens,requests,requestsWithoutTokens,costUSD');
    assert.equal(lines.length, data.rows.length + 2);
    assert.ok(!financeCsv(data).includes('team-tool') && !financeJson(data).includes('team-tool'));
    assert.deepEqual(JSON.parse(financeJson(data)), data);
  });
});
