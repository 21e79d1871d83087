// Per-model price overrides from settings (`assay.pricing.overrides`). Humans read prices per
// million tokens on vendors' pages, so settings use USD per 1M tokens; they are converted to
// LiteLLM's per-token fields here, in one place.
import * as z from 'zod';
import { OTHER } from '../privacy/allowlists';
import { MAX_MODEL_NAME_LENGTH, type ModelPriceEntry, type PriceData } from './priceData';
import type { ModelNormalizer } from './normalize';

const perMillion = z
  .number({ error: 'must be a number (USD per 1M tokens)' })
  .nonnegative({ error: 'must not be negative' })
  .max(1_000_000, { error: 'must be at most 1000000 (USD per 1M tokens)' });

/** Setting field (USD per 1M tokens) to the LiteLLM field it sets (USD per token). */
const OVERRIDE_FIELDS = {
  inputPerMTok: 'input_cost_per_token',
  outputPerMTok: 'output_cost_per_token',
  reasoningPerMTok: 'output_cost_per_reasoning_token',
  cacheReadPerMTok: 'cache_read_input_token_cost',
  cacheWrite5mPerMTok: 'cache_creation_input_token_cost',
  cacheWrite1hPerMTok: 'cache_creation_input_token_cost_above_1hr',
  inputAbove200kPerMTok: 'input_cost_per_token_above_200k_tokens',
  outputAbove200kPerMTok: 'output_cost_per_token_above_200k_tokens',
  cacheReadAbove200kPerMTok: 'cache_read_input_token_cost_above_200k_tokens',
  cacheWrite5mAbove200kPerMTok: 'cache_creation_input_token_cost_above_200k_tokens',
  cacheWrite1hAbove200kPerMTok: 'cache_creation_input_token_cost_above_1hr_above_200k_tokens',
} as const satisfies Record<string, keyof ModelPriceEntry>;
type OverrideField = keyof typeof OVERRIDE_FIELDS;

/** One model's prices in USD per 1M tokens; fields left out keep the price data's value. */
export const PriceOverrideSchema = z
  .object(
    Object.fromEntries(Object.keys(OVERRIDE_FIELDS).map((field) => [field, perMillion.optional()])) as Record<
      OverrideField,
      z.ZodOptional<typeof perMillion>
    >,
  )
  .strict();

/** Model names a user may add: what providers use in ids, nothing that could carry a path or sentence. */
export const OverrideModelName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@/+-]*$/, { error: 'model names may use letters, digits and . _ : @ / + -' })
  .max(MAX_MODEL_NAME_LENGTH)
  .refine((name) => name.toLowerCase() !== OTHER, { error: `"${OTHER}" is reserved for models without a price` });

/**
 * `{ "my-model": { "inputPerMTok": 1, "outputPerMTok": 2 } }`. A name that the price data already
 * knows (in any spelling normalization accepts, e.g. a dated id) changes that model's prices;
 * any other name adds a model, which is priced once it has both input and output prices.
 */
export const PriceOverridesSchema = z.record(OverrideModelName, PriceOverrideSchema);
export type PriceOverrides = z.infer<typeof PriceOverridesSchema>;

/** Readable problems with a raw `assay.pricing.overrides` value (empty when it is valid). */
export function checkPriceOverrides(raw: unknown): string[] {
  const parsed = PriceOverridesSchema.safeParse(raw);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const where = issue.path.map((part) => JSON.stringify(String(part).slice(0, 60))).join(' → ');
    // A bad model name is reported by zod as "Invalid key in record"; the reason is one level down.
    const message = issue.code === 'invalid_key' ? issue.issues.map((inner) => inner.message).join('; ') : issue.message;
    return where ? `${where}: ${message}` : message;
  });
}

export function applyPriceOverrides(data: PriceData, overrides: PriceOverrides, normalize: ModelNormalizer): PriceData {
  const result = new Map(data);
  for (const [name, override] of Object.entries(overrides)) {
    const known = normalize(name);
    const target = known === OTHER ? name : known;
    const entry: ModelPriceEntry = { ...(result.get(target) ?? { litellm_provider: 'assay.pricing.overrides' }) };
    for (const field of Object.keys(OVERRIDE_FIELDS) as OverrideField[]) {
      const perMTok = override[field];
      if (perMTok !== undefined) entry[OVERRIDE_FIELDS[field]] = perMTok / 1_000_000;
    }
    result.set(target, entry);
  }
  return result;
}
