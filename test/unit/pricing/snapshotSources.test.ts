// The bundled price snapshot against its source: every entry taken from @pydantic/genai-prices (a curated price list
// that cites each vendor's price page) must cost what that list charges, category by category, at the snapshot's date.
// A typo in the snapshot, or a price the source changed since, fails here with the model and the category.
import * as assert from 'node:assert/strict';
import { calcPrice, type Usage } from '@pydantic/genai-prices';
import { bundledPriceData } from '../../../src/pricing/priceData';
import { createPricer } from '../../../src/pricing/pricer';
import { PRICE_SNAPSHOT_DATE } from '../../../src/pricing/snapshotInfo';
import { longOnly, standardOnly } from './helpers';
import type { TokenCounts } from '../../../src/pricing/types';

/**
 * Snapshot name → [the source's provider, the model id it is priced by]. Left out: the entries the source does not price
 * (together_ai, local models, `devstral-medium`, `qwen3-coder-plus`), DeepSeek V3.2 (`deepseek-chat`, `deepseek-reasoner`:
 * the source still lists the earlier prices) and `claude-sonnet-4`, whose long-context rates the source does not list
 * (snapshotInfo.ts).
 */
const SOURCES: Record<string, [string, string]> = {
  ...Object.fromEntries(
    [
      'claude-opus-5-5', 'claude-opus-5', 'claude-fable-5-1', 'claude-fable-5', 'claude-sonnet-5', 'claude-opus-4-8', 'claude-opus-4-7',
      'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-opus-4-5', 'claude-opus-4-1', 'claude-opus-4', 'claude-sonnet-4-5', 'claude-3-7-sonnet',
      'claude-3-5-sonnet', 'claude-haiku-4-5', 'claude-3-5-haiku', 'claude-3-opus', 'claude-3-haiku',
    ].map((model) => [model, ['anthropic', model]]),
  ),
  // Fast mode (Claude Code logs `usage.speed: "fast"`, which the importer names `<model>-fast`): the source lists it not
  // under Anthropic but under GitHub Copilot (Opus 4.8, "2x the standard Opus 4.8 rates") and OpenRouter (Opus 5).
  'claude-opus-4-8-fast': ['github-copilot', 'claude-opus-4.8-fast'],
  'claude-opus-5-fast': ['openrouter', 'anthropic/claude-opus-5-fast'],
  ...Object.fromEntries(
    [
      'gpt-6-astra', 'gpt-6-sol', 'gpt-6-luna', 'gpt-5.6-sol', 'gpt-5.6', 'gpt-5.6-terra', 'gpt-5.6-luna', 'gpt-5.5', 'gpt-5.5-pro', 'gpt-5.4',
      'gpt-5.4-pro', 'gpt-5.4-mini', 'gpt-5.4-nano', 'gpt-5.3', 'gpt-5.3-codex', 'gpt-5.2', 'gpt-5.2-codex', 'gpt-5.2-pro', 'gpt-5', 'gpt-5-mini',
      'gpt-5-nano', 'gpt-5-pro', 'gpt-5-codex', 'gpt-5-chat-latest', 'gpt-5.1', 'gpt-5.1-codex', 'gpt-5.1-codex-max', 'gpt-5.1-codex-mini',
      'codex-mini-latest', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-2024-05-13', 'gpt-4o-mini', 'o3', 'o3-pro', 'o3-mini',
      'o4-mini', 'o1',
    ].map((model) => [model, ['openai', model]]),
  ),
  ...Object.fromEntries(
    [
      'gemini-3.8-flash', 'gemini-3.7-flash', 'gemini-3.6-flash', 'gemini-3.5-flash', 'gemini-3.5-flash-lite', 'gemini-3.1-pro-preview',
      'gemini-3.1-flash-lite', 'gemini-3-flash-preview', 'gemini-3-pro-preview', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite',
      'gemini-2.0-flash',
    ].map((model) => [model, ['google', model]]),
  ),
  ...Object.fromEntries(
    ['grok-4.6', 'grok-4.5', 'grok-4.3', 'grok-4.20', 'grok-4', 'grok-4-1-fast-reasoning', 'grok-4-1-fast-non-reasoning', 'grok-build-0.1', 'grok-code-fast-1'].map(
      (model) => [model, ['x-ai', model]],
    ),
  ),
  ...Object.fromEntries(['kimi-k3', 'kimi-k2.7-code', 'kimi-k2.6', 'kimi-k2.5'].map((model) => [model, ['moonshotai', model]])),
  ...Object.fromEntries(['glm-5.3', 'glm-5.2'].map((model) => [model, ['zai', model]])),
  ...Object.fromEntries(['deepseek-v4-pro', 'deepseek-v4-flash'].map((model) => [model, ['deepseek', model]])),
  ...Object.fromEntries(['devstral-2512', 'devstral-small', 'mistral-large'].map((model) => [model, ['mistral', model]])),
  // The source names Mistral's `codestral` by the ids its API answers to.
  codestral: ['mistral', 'codestral-latest'],
  ...Object.fromEntries(['llama-3.3-70b-versatile', 'llama-3.1-8b-instant'].map((model) => [`groq/${model}`, ['groq', model]])),
};

/**
 * Midday UTC of the snapshot's date: the source's prices in force then, outside the off-peak hours at which DeepSeek
 * charges less (Assay prices every hour at the standard rate).
 */
const AT = new Date(`${PRICE_SNAPSHOT_DATE}T12:00:00Z`);
/** Tokens of one category in one request: under 200K, so that the source charges its standard rates. */
const ONE_REQUEST = 100_000;

/** One category's tokens, in the source's terms (its input_tokens include the cached and cache-written ones). */
const CATEGORIES: { name: string; source: (count: number) => Usage; assay: (count: number) => Partial<TokenCounts> }[] = [
  { name: 'input', source: (count) => ({ input_tokens: count }), assay: (count) => ({ inputTokens: count }) },
  { name: 'output', source: (count) => ({ output_tokens: count }), assay: (count) => ({ outputTokens: count }) },
  { name: 'cache read', source: (count) => ({ input_tokens: count, cache_read_tokens: count }), assay: (count) => ({ cacheReadTokens: count }) },
  { name: 'cache write', source: (count) => ({ input_tokens: count, cache_write_tokens: count }), assay: (count) => ({ cacheWrite5mTokens: count }) },
];

function sourceCost(usage: Usage, [providerId, model]: [string, string]): number {
  const price = calcPrice(usage, model, { providerId, timestamp: AT });
  assert.ok(price, `${providerId}/${model} is in the source`);
  return price.total_price;
}

describe('price data: bundled snapshot against its source (@pydantic/genai-prices)', () => {
  const pricer = createPricer({ priceData: bundledPriceData() });

  it('prices every model it names as the source does, category by category', () => {
    for (const [model, source] of Object.entries(SOURCES)) {
      for (const category of CATEGORIES) {
        const ours = pricer.costUSD(model, standardOnly(category.assay(ONE_REQUEST)));
        const theirs = sourceCost(category.source(ONE_REQUEST), source);
        assert.ok(ours !== null && Math.abs(ours - theirs) < 1e-9, `${model} ${category.name}: ${ours} for ${ONE_REQUEST} tokens, the source ${theirs}`);
      }
    }
  });

  it('prices a prompt over 200K tokens at the long-context rates where the source has them (below OpenAI\'s 272K)', () => {
    // 190K of new input and 60K read from the cache: a 250K-token prompt. (Cache writes are left to the test above: for a
    // model without a cache-write price, such as Gemini's, the source charges them at the standard input rate in a long
    // prompt, Assay at the long one, as it does any input.)
    for (const [model, source] of Object.entries(SOURCES)) {
      const ours = pricer.costUSD(model, longOnly({ inputTokens: 190_000, cacheReadTokens: 60_000, outputTokens: ONE_REQUEST }));
      const theirs = sourceCost({ input_tokens: 250_000, cache_read_tokens: 60_000, output_tokens: ONE_REQUEST }, source);
      assert.ok(ours !== null && Math.abs(ours - theirs) < 1e-9, `${model}: ${ours} for a 250K-token prompt, the source ${theirs}`);
    }
  });

  it('prices fast mode at its multiple of the same model at standard speed, caching included (snapshotInfo.ts)', () => {
    // Claude Code's fast-mode page: $30/$150 on Opus 4.6 and 4.7 (six times standard), $10/$50 on Opus 4.8 (twice);
    // cache reads and writes keep their multiples of the fast input rate.
    const multiples: [string, number][] = [['claude-opus-4-6', 6], ['claude-opus-4-7', 6], ['claude-opus-4-8', 2], ['claude-opus-5', 2]];
    const categories: Partial<TokenCounts>[] = [
      { inputTokens: ONE_REQUEST },
      { outputTokens: ONE_REQUEST },
      { cacheReadTokens: ONE_REQUEST },
      { cacheWrite5mTokens: ONE_REQUEST },
      { cacheWrite1hTokens: ONE_REQUEST },
    ];
    for (const [model, multiple] of multiples) {
      for (const tokens of categories) {
        const fast = pricer.costUSD(`${model}-fast`, standardOnly(tokens));
        const standard = pricer.costUSD(model, standardOnly(tokens));
        assert.ok(fast !== null && standard !== null && Math.abs(fast - multiple * standard) < 1e-9, `${model}-fast ${JSON.stringify(tokens)}: ${fast}, standard ${standard}`);
      }
    }
  });

  it('names only models of the snapshot', () => {
    const data = bundledPriceData();
    for (const model of Object.keys(SOURCES)) assert.ok(data.has(model), `${model} is in the snapshot`);
  });

  it("prices a prompt over OpenAI's 272K tokens at the standard rates, below what the source charges (snapshotInfo.ts)", () => {
    const ours = pricer.costUSD('gpt-5.4', longOnly({ inputTokens: 300_000 }));
    const theirs = sourceCost({ input_tokens: 300_000 }, SOURCES['gpt-5.4']);
    assert.ok(ours !== null && ours < theirs, `gpt-5.4, a 300K-token prompt: ${ours}, the source ${theirs}`);
  });
});
