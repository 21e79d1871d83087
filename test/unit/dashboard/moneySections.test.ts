// The money sections of the view model (docs/money.md) over rows and limits shaped as the source gives them:
// budgets, limits with their reset times, the Claude Code block, subscription versus API, findings linked to
// their charts, and the value card as a range.
import * as assert from 'node:assert/strict';
import type { DashboardMoney } from '../../../src/dashboard/charts/moneyCharts';
import { NO_BUDGET } from '../../../src/dashboard/charts/moneyCharts';
import { ViewModel } from '../../../src/dashboard/protocol';
import { buildViewModel } from '../../../src/dashboard/viewModel';
import { DEFAULT_VALUE_RANGE_SETTINGS } from '../../../src/money/valueRange';
import { resolveSeats } from '../../../src/pricing/seats';
import { cell, inlineRow, input, NOON_UTC, usageRow } from './fixtures';

const MINUTE = 60_000;

function money(overrides: Partial<DashboardMoney> = {}): DashboardMoney {
  return {
    seats: resolveSeats([{ plan: 'claude-max-5x' }, { plan: 'copilot-business' }]).seats,
    budgets: { monthlyUSD: 0, perSourceUSD: {} },
    valueRange: { ...DEFAULT_VALUE_RANGE_SETTINGS, hourlyCostUSD: 60 },
    premiumRequestBilling: false,
    limitObservations: [],
    limitsReached: [],
    claudeCodePoints: [],
    trackedSince: '2024-02-01',
    ...overrides,
  };
}

function table(model: ViewModel, id: string) {
  const found = model.tables.find((t) => t.id === id);
  assert.ok(found, `table ${id}`);
  return found;
}

describe('dashboard money sections', () => {
  it('shows no money section without money inputs, and every section with them, valid for the protocol', () => {
    const without = buildViewModel(input());
    assert.deepEqual(without.lists, []);
    assert.ok(!without.tables.some((t) => t.id === 'budgets'));
    const model = buildViewModel(input({ usage: [usageRow('2024-03-09')], money: money() }));
    assert.ok(ViewModel.safeParse(model).success);
    assert.deepEqual(
      [...new Set([...model.charts, ...model.tables, ...model.lists].map((item) => item.section).filter((s) => ['findings', 'budgets', 'limits', 'plans'].includes(s)))].sort(),
      ['budgets', 'findings', 'limits', 'plans'],
    );
  });

  it('says how to set a budget when none is set, and shows this month against the budget when one is', () => {
    assert.equal(table(buildViewModel(input({ money: money() })), 'budgets').empty, NO_BUDGET);
    // 1–10 March, $3 of Claude Code a day; budget $310 over 31 days: pro-rated to the 10th, $100.
    const usage = Array.from({ length: 10 }, (_, i) => usageRow(`2024-03-${String(i + 1).padStart(2, '0')}`, { costUSD: 3 }));
    const model = buildViewModel(input({ usage, money: money({ seats: [], budgets: { monthlyUSD: 310, perSourceUSD: { 'claude-code': 20 } } }) }));
    const budgets = table(model, 'budgets');
    assert.equal(budgets.empty, null);
    const [overall, claude] = budgets.rows;
    assert.equal(overall[1], 30);
    assert.equal(overall[2], 310);
    assert.equal(overall[4], 100);
    assert.equal(overall[5], 0.3);
    // Rate $3 a day over 7 complete days, 21 days left: 30 + 63.
    assert.equal(overall[6], 93);
    assert.equal(claude[3], 1.5);
  });

  it('shows the latest Codex windows with minutes to their reset, and a Claude Code limit reached', () => {
    const model = buildViewModel(
      input({
        money: money({
          limitObservations: [
            { source: 'codex', limit: 'plan', window: '5h', windowMinutes: 300, usedPercent: 40, resetsAt: NOON_UTC + 90 * MINUTE, t: NOON_UTC - 60 * MINUTE },
            { source: 'codex', limit: 'plan', window: '5h', windowMinutes: 300, usedPercent: 85, resetsAt: NOON_UTC + 90 * MINUTE, t: NOON_UTC - 10 * MINUTE },
            { source: 'codex', limit: 'plan', window: 'weekly', windowMinutes: 10_080, usedPercent: 12, resetsAt: NOON_UTC + 3_000 * MINUTE, t: NOON_UTC - 10 * MINUTE },
          ],
          limitsReached: [{ source: 'claude-code', window: '5h', resetsAt: null, t: NOON_UTC - 30 * MINUTE }],
        }),
      }),
    );
    const limits = table(model, 'limits');
    assert.deepEqual(limits.rows, [
      ['Codex 5-hour limit', 0.85, 90, 10],
      ['Codex weekly limit', 0.12, 3_000, 10],
      ['Claude Code: 5-hour limit reached', null, null, 30],
    ]);
  });

  it('shows the active Claude Code block with its burn rate and projection', () => {
    const start = Date.UTC(2024, 2, 10, 10, 0, 0);
    const model = buildViewModel(
      input({
        money: money({
          claudeCodePoints: [
            { t: start + 10 * MINUTE, tokens: 1_000, costUSD: 1 },
            { t: start + 70 * MINUTE, tokens: 2_000, costUSD: 2 },
          ],
        }),
      }),
    );
    const block = table(model, 'claude-block');
    // 3,000 tokens over 60 min = 50 a minute, $3 an hour; noon is 120 min in, 180 min left: 3,000 + 9,000, $3 + $9.
    assert.deepEqual(block.rows, [['Current block', 3_000, 3, 50, 3, 12_000, 12, 180]]);
    const idle = buildViewModel(input({ money: money({ claudeCodePoints: [{ t: NOON_UTC - 6 * 60 * MINUTE, tokens: 5, costUSD: 0 }] }) }));
    assert.equal(table(idle, 'claude-block').rows.length, 0);
    assert.notEqual(table(idle, 'claude-block').empty, null);
  });

  it('compares each plan with its tool’s usage at API prices per month, with Copilot’s included AI Credits', () => {
    const usage = [usageRow('2024-03-08', { costUSD: 40 }), usageRow('2024-03-09', { source: 'copilot-chat', costUSD: 2 })];
    const chart = buildViewModel(input({ usage, money: money() })).charts.find((c) => c.id === 'subscription-vs-api');
    assert.ok(chart);
    assert.deepEqual(chart.labels, ['2024-03']);
    const values = Object.fromEntries(chart.series.map((s) => [s.label, s.values[0]]));
    assert.equal(values['Claude Max (5x): usage at API prices'], 40);
    assert.equal(values['GitHub Copilot Business: usage at API prices'], 2);
    // 7 days of March (4th–10th): $100 × 7 ÷ 31 and $19 × 7 ÷ 31 of credits.
    assert.ok(Math.abs((values['Claude Max (5x): plan'] ?? 0) - (100 * 7) / 31) < 1e-9);
    assert.ok(Math.abs((values['GitHub Copilot Business: AI Credits included'] ?? 0) - (19 * 7) / 31) < 1e-9);
  });

  it('counts premium requests over every whole month the range touches, since the allowance is a month\'s', () => {
    // 1–10 March, 40 Copilot Chat requests a day on a model whose multiplier is 1; the range is the last 7 days.
    const usage = Array.from({ length: 10 }, (_, i) =>
      usageRow(`2024-03-${String(i + 1).padStart(2, '0')}`, { source: 'copilot-chat', model: 'gpt-4.1', requests: 40 }),
    );
    const model = buildViewModel(input({ usage, money: money({ seats: resolveSeats([{ plan: 'copilot-pro' }]).seats, premiumRequestBilling: true }) }));
    const [march] = table(model, 'premium-requests').rows;
    assert.deepEqual(march.slice(0, 3), ['2024-03', 400, 300]);
    assert.equal(march[4], (400 - 300) * 0.04);
  });

  it('lists findings with the chart that shows them, and says what data the others need', () => {
    // $50 of Sonnet in the range; cheap-model prices the same tokens at half: a model-saving finding.
    const usage = [usageRow('2024-03-09', { inputTokens: 20_000, outputTokens: 5_000, costUSD: 50 })];
    const model = buildViewModel(input({ usage, money: money({ seats: [] }) }));
    const findings = model.lists.find((l) => l.id === 'findings');
    assert.ok(findings);
    const saving = findings.items.find((item) => item.chartId === 'what-if');
    assert.ok(saving, JSON.stringify(findings.items));
    assert.ok(saving.figures.length > 0);
    assert.ok(model.tables.some((t) => t.id === 'what-if'));
    assert.ok(findings.notes.length > 0);
  });

  it('shows the value card as a range, low ≤ expected ≤ high, with the three formulas one click away', () => {
    const inline = [inlineRow('2024-03-09', { retention: { '600': cell(10, 6_000, 6_000) } })];
    const usage = [usageRow('2024-03-09', { requests: 30, costUSD: 50 })];
    const model = buildViewModel(input({ inline, usage, money: money({ seats: [] }) }));
    const card = model.cards.find((c) => c.id === 'value');
    assert.ok(card);
    const figures = card.detail.filter((part) => typeof part !== 'string').map((part) => part.value);
    const [low, high] = figures;
    // Defaults at $60/h: low (6,000 ÷ 350 + 30 × 0.25) min, expected (6,000 ÷ 200 + 30) min, high (6,000 ÷ 120 + 90) min.
    assert.ok(Math.abs((low ?? 0) - ((6_000 / 350 + 7.5) / 60) * 60) < 1e-9);
    assert.ok(Math.abs((card.value ?? 0) - 60) < 1e-9);
    assert.ok(Math.abs((high ?? 0) - 140) < 1e-9);
    // The range keeps the split of the expected estimate into measured and assumed minutes: 30 of 60 from each.
    const detail = card.detail.map((part) => (typeof part === 'string' ? part : String(part.value))).join('');
    assert.match(detail, /; 0\.5 from kept inline characters \(measured\), 0\.5 from 30 agent responses × 1 min each \(assumed\); ROI /);
    const formula = model.valueFormula.formula.filter((part) => typeof part === 'string').join('');
    assert.match(formula, /Expected value = .*Low end = .*High end = /);
    assert.ok(model.valueFormula.terms.some((t) => t.label.startsWith('Value, high end') && Math.abs((t.value ?? 0) - 140) < 1e-9));
  });
});
