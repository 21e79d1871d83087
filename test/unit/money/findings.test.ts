import assert from 'node:assert/strict';
import { FINDING_CHART_IDS, findFindings, type FindingsInput } from '../../../src/money/findings';
import { compareSubscriptions } from '../../../src/money/subscriptions';
import { resolveSeats } from '../../../src/pricing/seats';
import { createPricer } from '../../../src/pricing/pricer';
import type { WhatIfResult } from '../../../src/pricing/whatIf';
import { close, inlineRow, usageRow } from './fixtures';

const TODAY = '2026-11-20';
const RANGE = { from: '2026-11-01', to: TODAY };

const whatIf = (targetModel: string, whatIfCostUSD: number | null, realCostUSD = 80): WhatIfResult => ({ targetModel, realCostUSD, whatIfCostUSD, pricedRows: 1, unpricedRows: 0 });

/**
 * Python: 1,000 requests, 10 accepted (1 %); TypeScript: 1,000 requests, 100 accepted (10 %).
 * Spend in the range: Opus $80 + Sonnet $20 of Claude Code, $10 of Codex; $40 of Claude Code on Oct 25.
 * Kept characters: 5,000 on Oct 26 and 5,000 on Nov 8.
 */
function scenario(): FindingsInput {
  const { seats } = resolveSeats([{ plan: 'claude-max-5x' }, { plan: 'chatgpt-pro' }, { plan: 'windsurf-pro' }, { plan: 'copilot-pro' }, { plan: 'cursor-pro' }]);
  const usage = [
    usageRow('2026-10-25', 'claude-code', 'claude-sonnet-4-5', 40),
    usageRow('2026-11-03', 'codex', 'gpt-5.1-codex', 10),
    usageRow('2026-11-10', 'claude-code', 'claude-opus-4-5', 80),
    usageRow('2026-11-12', 'claude-code', 'claude-sonnet-4-5', 20),
  ];
  return {
    inline: [
      inlineRow('2026-11-05', 'python', { opportunities: 1000, acceptances: 10 }),
      inlineRow('2026-11-05', 'typescript', { opportunities: 1000, acceptances: 100 }),
      inlineRow('2026-11-06', 'go', { opportunities: 100, acceptances: 0 }),
      inlineRow('2026-10-26', 'markdown', { arc600: 5000 }),
      inlineRow('2026-11-08', 'markdown', { arc600: 5000 }),
    ],
    usage,
    range: RANGE,
    // Priced as each target, the range's $80 of Opus tokens would cost: Sonnet $32, Haiku $12, Opus $80 (its own model).
    // Any other model's tokens are none of this finding's business: asked for them, the what-if says nothing.
    whatIfOf: (model) =>
      model === 'claude-opus-4-5'
        ? [whatIf('claude-sonnet-4-5', 32), whatIf('claude-haiku-4-5', 12), whatIf('claude-opus-4-5', 80), whatIf('gpt-unpriced', null)]
        : [whatIf('claude-haiku-4-5', 0, 1000)],
    subscriptions: compareSubscriptions(seats, usage, RANGE.from, RANGE.to),
    seats,
    today: TODAY,
    trackedSince: '2026-09-01',
  };
}

describe('findings', () => {
  const { findings, notEnoughData } = findFindings(scenario());
  const byId = (id: string) => {
    const found = findings.find((finding) => finding.id === id);
    assert.ok(found, `${id} in ${findings.map((f) => f.id).join(', ')}`);
    return found;
  };

  it('ranks findings by the money at stake, then the rest', () => {
    assert.deepEqual(findings.map((f) => f.id), [
      'plan-far-from-api:below:chatgpt-pro',
      'model-saving:claude-opus-4-5',
      'spend-outgrows-kept-code',
      'idle-seat:windsurf-pro',
      'low-acceptance-language:python',
    ]);
    assert.deepEqual(notEnoughData, []);
  });

  it('flags a language with many requests and an acceptance rate under half of the others\'', () => {
    const python = byId('low-acceptance-language:python');
    assert.equal(python.chartId, FINDING_CHART_IDS.byLanguage);
    // Against TypeScript and Go together: 100 accepted of 1,100 requests.
    assert.deepEqual(python.numbers.map((n) => n.value), [1000, 0.01, 100 / 1100]);
    assert.ok(close(python.magnitude, 1000 * (100 / 1100 - 0.01)), 'acceptances short of the other languages\' rate');
    assert.equal(python.usdAtStake, null);
  });

  it('flags a model carrying most of the spend when the what-if saves a lot, against the cheapest other model', () => {
    const model = byId('model-saving:claude-opus-4-5');
    assert.equal(model.chartId, FINDING_CHART_IDS.whatIf);
    // Opus: $80 of $110 priced spend in the range (73 %); its tokens on Haiku: $12 instead of $80, saving $68 (85 %).
    assert.ok(close(model.numbers[1].value, 80 / 110));
    assert.deepEqual(model.title.filter((part) => typeof part !== 'string').map((part) => part.value), [80 / 110, 0.85]);
    assert.ok(close(model.usdAtStake, 68));
  });

  it('flags spend growing faster than kept code over the last two fortnights', () => {
    const growth = byId('spend-outgrows-kept-code');
    assert.equal(growth.chartId, FINDING_CHART_IDS.costVsValue);
    // Oct 23..Nov 5: $40 + $10 = $50 and 5,000 kept; Nov 6..19: $100 and 5,000 kept. $100 − $50 × 1 = $50 beyond.
    assert.deepEqual(growth.numbers.map((n) => n.value), [50, 100, 5000, 5000]);
    assert.ok(close(growth.usdAtStake, 50));
  });

  it('flags a plan whose usage at API prices is far below its price', () => {
    const plan = byId('plan-far-from-api:below:chatgpt-pro');
    assert.equal(plan.chartId, FINDING_CHART_IDS.subscriptions);
    // Nov 1..20 of $200 = $133.33 against $10 of Codex usage.
    assert.ok(close(plan.numbers[0].value, (200 * 20) / 30));
    assert.equal(plan.numbers[1].value, 10);
    assert.ok(close(plan.usdAtStake, (200 * 20) / 30 - 10));
  });

  it('flags a plan with no activity Assay can see in 30 days, and skips plans it cannot see at all', () => {
    const idle = byId('idle-seat:windsurf-pro');
    assert.equal(idle.usdAtStake, 15);
    assert.ok(!findings.some((f) => f.id === 'idle-seat:cursor-pro'), 'Cursor leaves no signal: not judged');
    assert.ok(!findings.some((f) => f.id === 'idle-seat:copilot-pro'), 'accepted Copilot suggestions are activity');
    assert.ok(!findings.some((f) => f.id === 'idle-seat:chatgpt-pro'), 'Codex requests are activity');
  });

  it('flags a plan that its usage far outgrows', () => {
    const input = scenario();
    const { seats } = resolveSeats([{ plan: 'claude-pro' }]);
    const result = findFindings({ ...input, seats, subscriptions: compareSubscriptions(seats, input.usage, RANGE.from, RANGE.to) });
    const plan = result.findings.find((f) => f.id === 'plan-far-from-api:above:claude-pro');
    // Nov 1..20 of $20 = $13.33 against $100 of Claude Code usage: 7.5× the plan.
    assert.ok(plan);
    assert.ok(close(plan.usdAtStake, 100 - (20 * 20) / 30));
    assert.ok(plan.title.some((part) => typeof part !== 'string' && close(part.value, 7.5)));
  });

  it('makes no finding without enough data, and says for each kind what it needs', () => {
    const empty = findFindings({ inline: [], usage: [], range: RANGE, whatIfOf: () => [], subscriptions: [], seats: [], today: TODAY, trackedSince: null });
    assert.deepEqual(empty.findings, []);
    assert.deepEqual(empty.notEnoughData.map((n) => n.kind), ['low-acceptance-language', 'model-saving', 'spend-outgrows-kept-code', 'plan-far-from-api', 'idle-seat']);
    for (const { needs } of empty.notEnoughData) assert.ok(needs.length > 0);
  });

  it('does not judge growth or idle seats before the ledger covers the weeks they look at', () => {
    const recent = findFindings({ ...scenario(), trackedSince: '2026-11-01' });
    assert.deepEqual(recent.notEnoughData.map((n) => n.kind), ['spend-outgrows-kept-code', 'idle-seat']);
    assert.ok(!recent.findings.some((f) => f.kind === 'idle-seat' || f.kind === 'spend-outgrows-kept-code'));
  });

  it('makes no language finding when rates are close, and no model finding when the saving is small', () => {
    const input = scenario();
    const even = findFindings({
      ...input,
      inline: [inlineRow('2026-11-05', 'python', { opportunities: 1000, acceptances: 60 }), inlineRow('2026-11-05', 'typescript', { opportunities: 1000, acceptances: 100 })],
      whatIfOf: () => [whatIf('claude-sonnet-4-5', 56)],
    });
    assert.ok(!even.findings.some((f) => f.kind === 'low-acceptance-language' || f.kind === 'model-saving'));
    assert.ok(!even.notEnoughData.some((n) => n.kind === 'low-acceptance-language' || n.kind === 'model-saving'), 'judged, and nothing to report');
  });

  it("sums one model's spend over its dated and undated ids", () => {
    const pricer = createPricer();
    // Claude Code keeps claude-opus-4-5-20251101, Copilot Chat claude-opus-4-5: $45 + $25 of Opus 4.5, $30 of GPT-4.1.
    const usage = [
      usageRow('2026-11-10', 'claude-code', pricer.keptModelName('claude-opus-4-5-20251101'), 45),
      usageRow('2026-11-11', 'copilot-chat', pricer.keptModelName('claude-opus-4.5'), 25),
      usageRow('2026-11-12', 'copilot-chat', 'gpt-4.1', 30),
    ];
    const result = findFindings({
      inline: [], usage, range: RANGE, whatIfOf: (model) => (model === 'claude-opus-4-5' ? [whatIf('claude-haiku-4-5', 10, 70)] : []), subscriptions: [], seats: [], today: TODAY, trackedSince: '2026-09-01',
      priceName: (model) => pricer.normalizeModel(model),
    });
    assert.deepEqual(result.findings.map((f) => f.id), ['model-saving:claude-opus-4-5']);
  });
});
