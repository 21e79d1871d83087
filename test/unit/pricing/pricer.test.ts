import assert from 'node:assert/strict';
import prices from '../../../src/pricing/modelPrices.json';
import { createPricer } from '../../../src/pricing/pricer';
import { bundledPriceData, type ModelPriceEntry, type PriceData } from '../../../src/pricing/priceData';
import { isLongContextRequest } from '../../../src/pricing/tiers';
import { LONG_CONTEXT_THRESHOLD_TOKENS } from '../../../src/pricing/types';
import { assertClose, longOnly, standardOnly, tokens } from './helpers';

const sonnet = prices['claude-sonnet-4-5'];
const gpt5 = prices['gpt-5'];

describe('pricer: token cost', () => {
  const pricer = createPricer();

  it('prices every category of a Claude request at the snapshot per-token prices', () => {
    const counts = { inputTokens: 1_234, outputTokens: 5_678, reasoningTokens: 400, cacheReadTokens: 90_000, cacheWrite5mTokens: 7_000, cacheWrite1hTokens: 3_000 };
    const expected =
      counts.inputTokens * sonnet.input_cost_per_token +
      counts.outputTokens * sonnet.output_cost_per_token +
      counts.cacheReadTokens * sonnet.cache_read_input_token_cost +
      counts.cacheWrite5mTokens * sonnet.cache_creation_input_token_cost +
      counts.cacheWrite1hTokens * sonnet.cache_creation_input_token_cost_above_1hr;
    assertClose(pricer.costUSD('claude-sonnet-4-5', standardOnly(counts)), expected);
  });

  it('prices a logged (dated) model name like its price-data name', () => {
    const tiered = standardOnly({ inputTokens: 1000, outputTokens: 100 });
    assert.equal(pricer.costUSD('claude-sonnet-4-5-20250929', tiered), pricer.costUSD('claude-sonnet-4-5', tiered));
  });

  it('bills 1-hour cache writes at the 1-hour price, not the 5-minute one', () => {
    const oneHour = pricer.costUSD('claude-sonnet-4-5', standardOnly({ cacheWrite1hTokens: 10_000 }));
    const fiveMinutes = pricer.costUSD('claude-sonnet-4-5', standardOnly({ cacheWrite5mTokens: 10_000 }));
    assertClose(oneHour, 10_000 * sonnet.cache_creation_input_token_cost_above_1hr);
    assertClose(fiveMinutes, 10_000 * sonnet.cache_creation_input_token_cost);
    assert.ok((oneHour as number) > (fiveMinutes as number));
  });

  it('bills long-context tokens at the above-200k prices', () => {
    const counts = { inputTokens: 250_000, outputTokens: 2_000, cacheReadTokens: 10_000, cacheWrite5mTokens: 1_000, cacheWrite1hTokens: 500 };
    const expected =
      counts.inputTokens * sonnet.input_cost_per_token_above_200k_tokens +
      counts.outputTokens * sonnet.output_cost_per_token_above_200k_tokens +
      counts.cacheReadTokens * sonnet.cache_read_input_token_cost_above_200k_tokens +
      counts.cacheWrite5mTokens * sonnet.cache_creation_input_token_cost_above_200k_tokens +
      counts.cacheWrite1hTokens * sonnet.cache_creation_input_token_cost_above_1hr_above_200k_tokens;
    assertClose(pricer.costUSD('claude-sonnet-4-5', longOnly(counts)), expected);
  });

  it('adds the standard and long-context tiers of one aggregate', () => {
    const standard = tokens({ inputTokens: 5_000, outputTokens: 700 });
    const longContext = tokens({ inputTokens: 300_000, outputTokens: 900 });
    const both = pricer.costUSD('gemini-2.5-pro', { standard, longContext });
    const gemini = prices['gemini-2.5-pro'];
    assertClose(
      both,
      5_000 * gemini.input_cost_per_token + 700 * gemini.output_cost_per_token +
        (300_000 * gemini.input_cost_per_token_above_200k_tokens + 900 * gemini.output_cost_per_token_above_200k_tokens),
    );
  });

  it('prices a long-context request at standard prices when the model has no long-context tier', () => {
    const counts = { inputTokens: 300_000, outputTokens: 1_000 };
    assert.equal(pricer.costUSD('gpt-4.1', longOnly(counts)), pricer.costUSD('gpt-4.1', standardOnly(counts)));
  });

  it('treats reasoning as part of output when the data has no reasoning price', () => {
    const withReasoning = pricer.costUSD('gpt-5', standardOnly({ outputTokens: 1_000, reasoningTokens: 800 }));
    assertClose(withReasoning, 1_000 * gpt5.output_cost_per_token);
  });

  it('bills cache writes of a model without cache-write prices at its input price', () => {
    assertClose(pricer.costUSD('gpt-5', standardOnly({ cacheWrite5mTokens: 1_000, cacheWrite1hTokens: 1_000 })), 2_000 * gpt5.input_cost_per_token);
  });

  it('returns null, never 0, for a model without a price', () => {
    assert.equal(pricer.costUSD('some-unreleased-model', standardOnly({ inputTokens: 1_000 })), null);
    assert.equal(pricer.costUSD('other', standardOnly({ inputTokens: 1_000 })), null);
    assert.equal(pricer.costUSD('<synthetic>', standardOnly({})), null);
  });

  it('prices a local model at exactly $0', () => {
    assert.equal(pricer.costUSD('qwen2.5-coder:7b', standardOnly({ inputTokens: 50_000, outputTokens: 5_000, cacheReadTokens: 10_000 })), 0);
  });
});

describe('pricer: fallbacks for price files without every field', () => {
  function pricerWith(model: string, entry: ModelPriceEntry) {
    const data: PriceData = new Map([[model, entry]]);
    return createPricer({ priceData: data });
  }

  it('bills 1-hour cache writes of an Anthropic model without a 1-hour price at 2x input', () => {
    const pricer = pricerWith('claude-x', { litellm_provider: 'anthropic', input_cost_per_token: 3e-6, output_cost_per_token: 15e-6, cache_creation_input_token_cost: 3.75e-6 });
    assertClose(pricer.costUSD('claude-x', standardOnly({ cacheWrite1hTokens: 1_000 })), 1_000 * 2 * 3e-6);
  });

  it('bills 1-hour cache writes of another vendor without a 1-hour price at its 5-minute write price', () => {
    const pricer = pricerWith('vendor-model', { litellm_provider: 'vendor', input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, cache_creation_input_token_cost: 1.5e-6 });
    assertClose(pricer.costUSD('vendor-model', standardOnly({ cacheWrite1hTokens: 1_000 })), 1_000 * 1.5e-6);
  });

  it('prices reasoning separately when the data has a reasoning price', () => {
    const pricer = pricerWith('reasoner', { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, output_cost_per_reasoning_token: 5e-6 });
    assertClose(pricer.costUSD('reasoner', standardOnly({ outputTokens: 1_000, reasoningTokens: 600 })), 400 * 2e-6 + 600 * 5e-6);
  });

  it('treats a model with an input price but no output price as unpriced', () => {
    const pricer = pricerWith('embedder', { input_cost_per_token: 1e-7 });
    assert.equal(pricer.normalizeModel('embedder'), 'embedder');
    assert.equal(pricer.costUSD('embedder', standardOnly({ inputTokens: 10 })), null);
  });
});

describe('pricer: overrides from settings', () => {
  it('changes a known model, reached by a logged spelling, keeping the prices it does not override', () => {
    const pricer = createPricer({ overrides: { 'claude-sonnet-4-5-20250929': { inputPerMTok: 2 } } });
    assertClose(pricer.costUSD('claude-sonnet-4-5', standardOnly({ inputTokens: 1_000_000 })), 2);
    assertClose(pricer.costUSD('claude-sonnet-4-5', standardOnly({ outputTokens: 1_000 })), 1_000 * sonnet.output_cost_per_token);
  });

  it('adds a model that normalization then recognizes, case-insensitively', () => {
    const plain = createPricer();
    assert.equal(plain.normalizeModel('my-finetune'), 'other');
    const pricer = createPricer({ overrides: { 'My-Finetune': { inputPerMTok: 1, outputPerMTok: 2, cacheReadPerMTok: 0.1 } } });
    assert.equal(pricer.normalizeModel('my-finetune'), 'My-Finetune');
    assertClose(
      pricer.costUSD('my-finetune', standardOnly({ inputTokens: 1_000, outputTokens: 2_000, cacheReadTokens: 10_000, cacheWrite5mTokens: 500 })),
      1_000 * (1 / 1e6) + 2_000 * (2 / 1e6) + 10_000 * (0.1 / 1e6) + 500 * (1 / 1e6),
    );
  });

  it('rejects invalid overrides with a readable message', () => {
    assert.throws(
      () => createPricer({ overrides: { 'bad-model': { inputPerMTok: -1 } } }),
      (error: Error) => error.message.includes('"bad-model"') && error.message.includes('must not be negative'),
    );
  });

  it('does not change the bundled data other pricers use', () => {
    createPricer({ overrides: { 'gpt-5': { inputPerMTok: 100 } } });
    assert.equal(bundledPriceData().get('gpt-5')?.input_cost_per_token, gpt5.input_cost_per_token);
    assertClose(createPricer().costUSD('gpt-5', standardOnly({ inputTokens: 1 })), gpt5.input_cost_per_token);
  });
});

describe('tiers: long-context classification', () => {
  it('puts a request in the long-context tier only when its whole prompt exceeds the threshold', () => {
    const atThreshold = tokens({ inputTokens: 1_000, cacheReadTokens: LONG_CONTEXT_THRESHOLD_TOKENS - 1_000, outputTokens: 50 });
    assert.equal(isLongContextRequest(atThreshold), false);
    const over = tokens({ inputTokens: 1_000, cacheReadTokens: LONG_CONTEXT_THRESHOLD_TOKENS - 1_000, cacheWrite1hTokens: 1, outputTokens: 50 });
    assert.equal(isLongContextRequest(over), true);
  });
});
