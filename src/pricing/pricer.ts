// Token cost (docs/metrics.md, Cost): Σ tokens × per-token price, by category and context tier.
//
// Where the price data has no price for a category, the rule is:
// - cache read, cache write (5 min): billed as plain input (the vendor gives no cache discount or surcharge);
// - cache write (1 h): `cache_creation_input_token_cost_above_1hr`; when absent, for Anthropic models
//   2 × input (Anthropic's published rule: 1-hour writes cost 2× base input, 5-minute writes 1.25×),
//   for others the 5-minute write price (no other vendor sells a 1-hour cache);
// - reasoning: part of output, at the output price, unless `output_cost_per_reasoning_token` exists;
// - long-context tier (prompt over 200k tokens): each category's `*_above_200k_tokens` price, else the
//   standard tier's price for that category.
// A model without both an input and an output price is unpriced: its cost is null, never $0.
import { OTHER } from '../privacy/allowlists';
import { createModelNames, createModelNormalizer } from './normalize';
import { applyPriceOverrides, PriceOverridesSchema, checkPriceOverrides, type PriceOverrides } from './overrides';
import { bundledPriceData, type ModelPriceEntry, type PriceData } from './priceData';
import type { Pricer, TieredTokenCounts, TokenCounts } from './types';

/** USD per token for each billing category within one context tier. */
interface TierPrices {
  input: number;
  output: number;
  /** Null when reasoning is billed as output (the usual case). */
  reasoning: number | null;
  cacheRead: number;
  cacheWrite5m: number;
  cacheWrite1h: number;
}

interface ModelPrices {
  /** The price data's name of the model. */
  model: string;
  standard: TierPrices;
  longContext: TierPrices;
}

export interface ModelPricer extends Pricer {
  /** The name the ledger keeps for a logged model (normalize.ts, ModelNames.keep). */
  keptModelName(rawModel: string): string;
  /** Resolved per-token prices (after the fallbacks above), or null when the model is unpriced. */
  pricesFor(model: string): ModelPrices | null;
  /** Every model name this pricer knows, overrides included. */
  knownModels(): string[];
}

export interface PricerOptions {
  /** Defaults to the bundled snapshot; pass `mergePriceData(bundledPriceData(), userFile)` to extend it. */
  priceData?: PriceData;
  /** From `assay.pricing.overrides`; they change known models and add new ones. */
  overrides?: PriceOverrides;
}

/** Throws when `overrides` is invalid (settings parsing already guarantees it is not). */
export function createPricer(options: PricerOptions = {}): ModelPricer {
  const base = options.priceData ?? bundledPriceData();
  let data = base;
  if (options.overrides && Object.keys(options.overrides).length > 0) {
    if (!PriceOverridesSchema.safeParse(options.overrides).success) {
      throw new Error(`Invalid price overrides: ${checkPriceOverrides(options.overrides).join('; ')}`);
    }
    data = applyPriceOverrides(base, options.overrides, createModelNormalizer(base));
  }
  const { normalize: normalizeModel, keep: keptModelName } = createModelNames(data);
  const resolved = new Map<string, ModelPrices | null>();

  function pricesFor(model: string): ModelPrices | null {
    const name = normalizeModel(model);
    if (name === OTHER) return null;
    if (!resolved.has(name)) {
      const entry = data.get(name);
      resolved.set(name, entry ? resolvePrices(name, entry) : null);
    }
    return resolved.get(name) ?? null;
  }

  return {
    normalizeModel,
    keptModelName,
    pricesFor,
    knownModels: () => [...data.keys()],
    costUSD(model: string, tokens: TieredTokenCounts): number | null {
      const prices = pricesFor(model);
      if (!prices) return null;
      return tierCost(tokens.standard, prices.standard) + tierCost(tokens.longContext, prices.longContext);
    },
  };
}

function isAnthropic(model: string, entry: ModelPriceEntry): boolean {
  return entry.litellm_provider === 'anthropic' || model.toLowerCase().includes('claude');
}

function resolvePrices(model: string, entry: ModelPriceEntry): ModelPrices | null {
  const input = entry.input_cost_per_token;
  const output = entry.output_cost_per_token;
  if (input == null || output == null) return null;
  const cacheWrite5m = entry.cache_creation_input_token_cost ?? input;
  const standard: TierPrices = {
    input,
    output,
    reasoning: entry.output_cost_per_reasoning_token ?? null,
    cacheRead: entry.cache_read_input_token_cost ?? input,
    cacheWrite5m,
    cacheWrite1h: entry.cache_creation_input_token_cost_above_1hr ?? (isAnthropic(model, entry) ? 2 * input : cacheWrite5m),
  };
  const longContext: TierPrices = {
    input: entry.input_cost_per_token_above_200k_tokens ?? standard.input,
    output: entry.output_cost_per_token_above_200k_tokens ?? standard.output,
    reasoning: standard.reasoning,
    cacheRead: entry.cache_read_input_token_cost_above_200k_tokens ?? standard.cacheRead,
    cacheWrite5m: entry.cache_creation_input_token_cost_above_200k_tokens ?? standard.cacheWrite5m,
    cacheWrite1h: entry.cache_creation_input_token_cost_above_1hr_above_200k_tokens ?? standard.cacheWrite1h,
  };
  return { model, standard, longContext };
}

function tierCost(tokens: TokenCounts, prices: TierPrices): number {
  let output = tokens.outputTokens * prices.output;
  if (prices.reasoning !== null) {
    const reasoning = Math.min(tokens.reasoningTokens, tokens.outputTokens);
    output = (tokens.outputTokens - reasoning) * prices.output + reasoning * prices.reasoning;
  }
  return (
    tokens.inputTokens * prices.input +
    output +
    tokens.cacheReadTokens * prices.cacheRead +
    tokens.cacheWrite5mTokens * prices.cacheWrite5m +
    tokens.cacheWrite1hTokens * prices.cacheWrite1h
  );
}
