import assert from 'node:assert/strict';
import { compareSubscriptions, inlineProviderOfPlan, sourcesOfPlan } from '../../../src/money/subscriptions';
import { resolveSeats } from '../../../src/pricing/seats';
import { close, usageRow } from './fixtures';

const { seats } = resolveSeats([
  { plan: 'claude-max-5x' },
  { plan: 'claude-pro' },
  { plan: 'chatgpt-plus' },
  { plan: 'cursor-pro' },
  { plan: 'copilot-pro' },
]);

const usage = [
  usageRow('2026-10-10', 'claude-code', 'claude-opus-4-5', 999),
  usageRow('2026-10-20', 'claude-code', 'claude-opus-4-5', 50),
  usageRow('2026-11-03', 'claude-code', 'claude-opus-4-5', 200),
  usageRow('2026-11-04', 'claude-code', 'mystery-model', null, 3),
  usageRow('2026-11-05', 'copilot-chat', 'claude-sonnet-4-5', 4, 20, 5),
];

describe('subscription versus API', () => {
  const comparisons = compareSubscriptions(seats, usage, '2026-10-15', '2026-11-20');
  const byPlan = (plan: string) => {
    const found = comparisons.find((comparison) => comparison.plans.includes(plan));
    assert.ok(found, plan);
    return found;
  };

  it('compares plans that cover the same tool together, and each month of the range, partial months pro-rated', () => {
    const claude = byPlan('claude-pro');
    assert.deepEqual(claude.plans, ['claude-max-5x', 'claude-pro']);
    assert.deepEqual(claude.sources, ['claude-code']);
    assert.equal(claude.seats, 2);
    const [october, november] = claude.months;
    // Oct 15..31: 17 of 31 days of $120; Nov 1..20: 20 of 30 days.
    assert.deepEqual([october.month, october.days, october.complete], ['2026-10', 17, false]);
    assert.ok(close(october.planUSD, (120 * 17) / 31));
    assert.ok(close(october.apiUSD, 50), 'usage before the range is left out');
    assert.deepEqual([november.month, november.days, november.complete], ['2026-11', 20, false]);
    assert.ok(close(november.planUSD, 80));
    assert.ok(close(november.apiUSD, 200));
    assert.equal(november.requests, 4);
    assert.equal(november.requestsWithoutCost, 3, 'unpriced requests make the API figure a lower bound');
    assert.ok(close(november.apiToPlan, 2.5));
    assert.equal(november.includedCreditsUSD, null);
  });

  it('shows $0 of API-priced usage for a plan whose tool logs but was not used', () => {
    const chatgpt = byPlan('chatgpt-plus');
    assert.deepEqual(chatgpt.sources, ['codex']);
    assert.equal(chatgpt.months[1].apiUSD, 0);
    assert.equal(chatgpt.months[1].apiToPlan, 0);
  });

  it('shows unknown, never $0, for a plan whose tool leaves no usage log', () => {
    const cursor = byPlan('cursor-pro');
    assert.deepEqual(cursor.sources, []);
    for (const month of cursor.months) {
      assert.equal(month.apiUSD, null);
      assert.equal(month.apiToPlan, null);
    }
    assert.ok(close(cursor.months[1].planUSD, (20 * 20) / 30));
  });

  it('gives a Copilot plan its included AI Credits, pro-rated like its price', () => {
    const copilot = byPlan('copilot-pro');
    assert.ok(close(copilot.months[1].includedCreditsUSD, (15 * 20) / 30));
    assert.ok(close(copilot.months[0].includedCreditsUSD, (15 * 17) / 31));
    assert.ok(close(copilot.months[1].apiUSD, 4));
    assert.equal(copilot.months[1].requestsWithoutCost, 5);
  });

  it('marks a whole month complete and charges exactly the monthly price', () => {
    const [september] = compareSubscriptions(resolveSeats([{ plan: 'claude-pro', count: 3 }]).seats, [], '2026-09-01', '2026-09-30')[0].months;
    assert.equal(september.complete, true);
    assert.ok(close(september.planUSD, 60));
    assert.equal(september.apiUSD, 0);
  });

  it('divides by nothing when a plan costs nothing', () => {
    const [month] = compareSubscriptions(resolveSeats([{ plan: 'copilot-free' }]).seats, usage, '2026-11-01', '2026-11-30')[0].months;
    assert.equal(month.planUSD, 0);
    assert.equal(month.apiToPlan, null);
    assert.ok(close(month.apiUSD, 4));
  });

  it('is empty without seats', () => {
    assert.deepEqual(compareSubscriptions([], usage, '2026-11-01', '2026-11-30'), []);
  });

  it('knows which tools and which suggestion providers show each plan\'s use', () => {
    assert.deepEqual(sourcesOfPlan('chatgpt-pro'), ['codex']);
    assert.deepEqual(sourcesOfPlan('windsurf-pro'), []);
    assert.equal(inlineProviderOfPlan('windsurf-pro'), 'codeium');
    assert.equal(inlineProviderOfPlan('copilot-business'), 'copilot');
    assert.equal(inlineProviderOfPlan('claude-max-20x'), undefined);
  });
});
