import assert from 'node:assert/strict';
import prices from '../../../src/pricing/modelPrices.json';
import { createPricer } from '../../../src/pricing/pricer';
import { LOCAL_WHAT_IF_MODEL, SMALLER_SIBLING, suggestWhatIfModels, whatIfCost, type ModelUsage } from '../../../src/pricing/whatIf';
import { assertClose, standardOnly } from './helpers';

describe('what-if cost', () => {
  const pricer = createPricer();
  const rows: ModelUsage[] = [
    { model: 'claude-sonnet-4-5', tokens: standardOnly({ inputTokens: 10_000, outputTokens: 2_000, cacheReadTokens: 100_000, cacheWrite5mTokens: 5_000 }) },
    { model: 'claude-opus-4-1', tokens: standardOnly({ inputTokens: 1_000, outputTokens: 500, cacheWrite1hTokens: 2_000 }) },
    { model: 'other', tokens: standardOnly({ inputTokens: 99_999 }) },
  ];

  it('prices the same tokens, category by category, at the target model', () => {
    const result = whatIfCost(rows, 'claude-haiku-4-5', pricer);
    const haiku = prices['claude-haiku-4-5'];
    const expected =
      10_000 * haiku.input_cost_per_token + 2_000 * haiku.output_cost_per_token + 100_000 * haiku.cache_read_input_token_cost +
      5_000 * haiku.cache_creation_input_token_cost +
      (1_000 * haiku.input_cost_per_token + 500 * haiku.output_cost_per_token + 2_000 * haiku.cache_creation_input_token_cost_above_1hr);
    assert.equal(result.targetModel, 'claude-haiku-4-5');
    assertClose(result.whatIfCostUSD, expected);
    assertClose(result.realCostUSD, (pricer.costUSD(rows[0].model, rows[0].tokens) ?? NaN) + (pricer.costUSD(rows[1].model, rows[1].tokens) ?? NaN));
    assert.ok((result.whatIfCostUSD as number) < result.realCostUSD);
  });

  it('leaves rows of unpriced models out of both sides and counts them', () => {
    const result = whatIfCost(rows, 'gpt-5-mini', pricer);
    assert.equal(result.pricedRows, 2);
    assert.equal(result.unpricedRows, 1);
  });

  it('bills cache tokens at input price on a target without cache prices', () => {
    const result = whatIfCost([{ model: 'gpt-5', tokens: standardOnly({ cacheWrite5mTokens: 1_000, cacheReadTokens: 1_000 }) }], 'mistral-large', pricer);
    assertClose(result.whatIfCostUSD, 2_000 * prices['mistral-large'].input_cost_per_token);
  });

  it('prices a local target at $0 and an unknown target as null', () => {
    assert.equal(whatIfCost(rows, 'ollama/qwen3-coder', pricer).whatIfCostUSD, 0);
    const unknown = whatIfCost(rows, 'no-such-model', pricer);
    assert.equal(unknown.targetModel, 'other');
    assert.equal(unknown.whatIfCostUSD, null);
  });

  it('suggests configured models, then a smaller sibling per used model, then a local model', () => {
    const suggestions = suggestWhatIfModels(['claude-opus-4-1-20250805', 'gpt-5-codex', 'other'], pricer, ['deepseek-chat', 'nonexistent']);
    assert.deepEqual(suggestions, ['deepseek-chat', 'claude-sonnet-4-5', 'gpt-5-mini', LOCAL_WHAT_IF_MODEL]);
  });

  it('suggests for each model a priced sibling that costs less for input and for output', () => {
    for (const [model, sibling] of SMALLER_SIBLING) {
      const big = pricer.pricesFor(model);
      const small = pricer.pricesFor(sibling);
      assert.ok(big && small, `${model} and ${sibling} are priced`);
      assert.ok(small.standard.input < big.standard.input && small.standard.output < big.standard.output, `${sibling} costs less than ${model}`);
    }
    assert.deepEqual(suggestWhatIfModels(['claude-opus-4-6', 'gpt-5.2-codex'], pricer), ['claude-sonnet-4-6', 'gpt-5.4-mini', LOCAL_WHAT_IF_MODEL]);
  });

  it('lists each suggestion once', () => {
    const suggestions = suggestWhatIfModels(['claude-sonnet-4-5', 'claude-sonnet-4'], pricer, ['ollama/qwen3-coder']);
    assert.deepEqual(suggestions, [LOCAL_WHAT_IF_MODEL, 'claude-haiku-4-5']);
  });
});
