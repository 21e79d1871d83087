import assert from 'node:assert/strict';
import { COPILOT_PLAN_TERMS, EXTRA_PREMIUM_REQUEST_USD, modelKey, premiumRequestMultiplier } from '../../../src/money/copilotBilling';
import { premiumRequestsByMonth, type ModelRequestRow } from '../../../src/money/premiumRequests';
import { close } from './fixtures';

const row = (date: string, model: string, requests: number, source = 'copilot-chat'): ModelRequestRow => ({ date, source, model, requests });

describe('Copilot premium requests', () => {
  const rows = [
    row('2026-11-03', 'claude-sonnet-4.5', 10),
    row('2026-11-04', 'gpt-4.1', 100),
    row('2026-11-05', 'claude-haiku-4.5', 3),
    row('2026-11-06', 'other', 5),
    row('2026-11-07', 'gpt-5.5', 2),
    row('2026-11-08', 'claude-opus-4-5', 40, 'claude-code'),
    row('2026-11-30', 'gpt-4.1', 1),
    row('2026-12-01', 'gpt-5.4', 1),
  ];

  it('multiplies each Copilot Chat request by its model\'s rate and counts models without one apart', () => {
    const [november, december] = premiumRequestsByMonth(rows, 150);
    // 10 × 6 + 101 × 1 + 3 × 0.33 = 161.99 premium requests; 7 requests on models without a published rate.
    assert.equal(november.month, '2026-11');
    assert.equal(november.requests, 114);
    assert.ok(close(november.premiumRequests, 161.99));
    assert.equal(november.unknownMultiplierRequests, 7);
    assert.deepEqual(november.unknownModels, ['gpt-5.5', 'other']);
    // 11.99 beyond the allowance of 150, at $0.04.
    assert.ok(close(november.fractionUsed, 161.99 / 150));
    assert.ok(close(november.extraRequests, 11.99));
    assert.ok(close(november.extraUSD, 11.99 * EXTRA_PREMIUM_REQUEST_USD));
    assert.equal(december.month, '2026-12');
    assert.equal(december.premiumRequests, 6);
    assert.equal(december.extraRequests, 0);
  });

  it('has no fraction and no extra charge without an allowance, and no division by an allowance of 0', () => {
    const [withoutPlan] = premiumRequestsByMonth(rows, null);
    assert.equal(withoutPlan.allowance, null);
    assert.equal(withoutPlan.fractionUsed, null);
    assert.equal(withoutPlan.extraUSD, 0);
    const [zero] = premiumRequestsByMonth(rows, 0);
    assert.equal(zero.fractionUsed, null);
    assert.ok(close(zero.extraRequests, 161.99));
  });

  it('is empty without Copilot Chat requests', () => {
    assert.deepEqual(premiumRequestsByMonth([row('2026-11-08', 'claude-opus-4-5', 40, 'claude-code')], 300), []);
    assert.deepEqual(premiumRequestsByMonth([], 300), []);
  });
});

describe('Copilot billing terms', () => {
  it('finds a multiplier under the docs\' name, Copilot Chat\'s id and the price data\'s name alike', () => {
    for (const name of ['Claude Sonnet 4.5', 'claude-sonnet-4.5', 'claude-sonnet-4-5', 'claude-sonnet-4-5-20250929']) {
      assert.equal(premiumRequestMultiplier(name), 6, name);
    }
    assert.equal(modelKey('GPT-5.1-Codex-Mini'), modelKey('gpt-5.1-codex-mini'));
    assert.equal(premiumRequestMultiplier('gpt-5.1-codex-mini'), 0.33);
    // Copilot Chat's OpenTelemetry file names the dated model that answered, and the ledger keeps it so.
    assert.equal(premiumRequestMultiplier('gpt-4.1-2025-04-14'), premiumRequestMultiplier('GPT-4.1'));
    assert.notEqual(premiumRequestMultiplier('gpt-4.1'), undefined);
    // Kept preview, dated and thinking ids find the multiplier their undated model has.
    assert.equal(premiumRequestMultiplier('gemini-2.5-pro-preview-06-05'), premiumRequestMultiplier('Gemini 2.5 Pro'));
    assert.equal(premiumRequestMultiplier('grok-code-fast-1-0825'), premiumRequestMultiplier('Grok Code Fast 1'));
    assert.equal(premiumRequestMultiplier('claude-sonnet-4-5-thinking'), premiumRequestMultiplier('Claude Sonnet 4.5'));
    assert.equal(premiumRequestMultiplier('gpt-5.5'), undefined, 'the docs say TBD');
    assert.equal(premiumRequestMultiplier('claude-sonnet-4'), undefined, 'not in the table effective June 2026');
  });

  it('gives the documented allowances and included credits', () => {
    assert.equal(COPILOT_PLAN_TERMS.get('copilot-pro')?.premiumRequestAllowance, 300);
    assert.equal(COPILOT_PLAN_TERMS.get('copilot-pro-plus')?.premiumRequestAllowance, 1_500);
    assert.equal(COPILOT_PLAN_TERMS.get('copilot-business')?.premiumRequestAllowance, null);
    assert.deepEqual(
      ['copilot-pro', 'copilot-pro-plus', 'copilot-max', 'copilot-business', 'copilot-enterprise'].map((plan) => COPILOT_PLAN_TERMS.get(plan)?.includedCreditsUSD),
      [15, 70, 200, 19, 39],
    );
  });
});
