import assert from 'node:assert/strict';
import { DEFAULT_LOCAL_MODEL_USD_PER_MTOK, withLocalModelCost } from '../../../src/money/localModels';
import { isLocalModel } from '../../../src/pricing/localProviders';
import { createPricer } from '../../../src/pricing/pricer';
import { LOCAL_WHAT_IF_MODEL, suggestWhatIfModels, whatIfCost } from '../../../src/pricing/whatIf';
import { ZERO_TOKENS } from '../../../src/pricing/tiers';
import type { TieredTokenCounts } from '../../../src/pricing/types';
import { parseSettings } from '../../../src/settings/schema';
import { close } from './fixtures';

// 1M input, 0.5M output (0.1M of it reasoning) and 0.5M cache reads: 2M tokens processed.
const tokens: TieredTokenCounts = {
  standard: { ...ZERO_TOKENS, inputTokens: 1_000_000, outputTokens: 500_000, reasoningTokens: 100_000, cacheReadTokens: 500_000 },
  longContext: ZERO_TOKENS,
};

describe('local models are never free', () => {
  const base = createPricer();

  it('prices a local model the price data lists at $0 at the configured cost per million tokens', () => {
    assert.equal(base.costUSD(LOCAL_WHAT_IF_MODEL, tokens), 0, 'the bundled snapshot lists it at $0');
    const pricer = withLocalModelCost(base, 0.5);
    // 2M tokens × $0.50 per million; reasoning is inside output and not counted twice.
    assert.ok(close(pricer.costUSD(LOCAL_WHAT_IF_MODEL, tokens), 1));
    assert.ok(close(pricer.costUSD('ollama_chat/qwen3-coder:30b', tokens), 1), 'a logged name with a tag is the same local model');
  });

  it('leaves hosted models and a local model with a price of its own as they are', () => {
    const pricer = withLocalModelCost(base, 0.5);
    assert.equal(pricer.costUSD('claude-sonnet-4-5', tokens), base.costUSD('claude-sonnet-4-5', tokens));
    const overridden = createPricer({ overrides: { [LOCAL_WHAT_IF_MODEL]: { inputPerMTok: 0.2, outputPerMTok: 0.4 } } });
    const own = overridden.costUSD(LOCAL_WHAT_IF_MODEL, tokens);
    assert.ok(own !== null && own > 0);
    assert.equal(withLocalModelCost(overridden, 0.5).costUSD(LOCAL_WHAT_IF_MODEL, tokens), own);
    assert.equal(withLocalModelCost(base, 0.5).costUSD('mystery-model-xyz', tokens), null, 'an unpriced model stays unpriced');
  });

  it('gives the what-if table a cost for the local model, not $0', () => {
    const pricer = withLocalModelCost(base, 0.5);
    const result = whatIfCost([{ model: 'claude-sonnet-4-5', tokens }], LOCAL_WHAT_IF_MODEL, pricer);
    assert.ok(close(result.whatIfCostUSD, 1));
    assert.ok(suggestWhatIfModels(['claude-sonnet-4-5'], pricer).includes(LOCAL_WHAT_IF_MODEL));
  });

  it('recognises local providers by their prefix', () => {
    assert.deepEqual(
      ['ollama/qwen3', 'lm_studio/devstral', 'hosted_vllm/llama-3.3', 'vllm/qwen', 'llamafile/x', 'claude-sonnet-4-5', 'openrouter/ollama/x'].map(isLocalModel),
      [true, true, true, true, true, false, false],
    );
  });

  it('takes its default from the settings, and refuses a price of $0', () => {
    assert.equal(parseSettings({})['pricing.localModelUSDPerMTok'], DEFAULT_LOCAL_MODEL_USD_PER_MTOK);
    assert.equal(parseSettings({ 'pricing.localModelUSDPerMTok': 0 })['pricing.localModelUSDPerMTok'], DEFAULT_LOCAL_MODEL_USD_PER_MTOK);
    assert.equal(parseSettings({ 'pricing.localModelUSDPerMTok': 2 })['pricing.localModelUSDPerMTok'], 2);
  });
});
