// Price data in LiteLLM's model_prices_and_context_window.json format (docs/metrics.md, Cost): the bundled
// snapshot, and a user-given file that replaces or extends it. Both go through one zod schema;
// a user file's problems come back as a short readable message, never as a thrown zod dump.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { OTHER } from '../privacy/allowlists';
import { SafeMessageError } from '../privacy/errors';

/** Keys stored in the ledger are at most this long (UsageEvent.model), so longer names cannot be priced. */
export const MAX_MODEL_NAME_LENGTH = 128;

const pricePerToken = z
  .number({ error: 'must be a number (USD per token)' })
  .nonnegative({ error: 'must not be negative' })
  .nullish();

/** The LiteLLM fields Assay prices with; every other field of an entry is allowed and ignored. */
const ModelPriceEntrySchema = z.object({
  input_cost_per_token: pricePerToken,
  output_cost_per_token: pricePerToken,
  output_cost_per_reasoning_token: pricePerToken,
  cache_read_input_token_cost: pricePerToken,
  cache_creation_input_token_cost: pricePerToken,
  cache_creation_input_token_cost_above_1hr: pricePerToken,
  input_cost_per_token_above_200k_tokens: pricePerToken,
  output_cost_per_token_above_200k_tokens: pricePerToken,
  cache_read_input_token_cost_above_200k_tokens: pricePerToken,
  cache_creation_input_token_cost_above_200k_tokens: pricePerToken,
  cache_creation_input_token_cost_above_1hr_above_200k_tokens: pricePerToken,
  // Descriptive fields: a wrong type here does not make prices wrong, so it is dropped, not reported.
  litellm_provider: z.string().max(64).optional().catch(undefined),
  mode: z.string().max(64).optional().catch(undefined),
  max_input_tokens: z.number().nonnegative().optional().catch(undefined),
});
export type ModelPriceEntry = z.infer<typeof ModelPriceEntrySchema>;

/** Model name (as the price data spells it) to its prices. A Map, so names like `__proto__` are plain keys. */
export type PriceData = ReadonlyMap<string, ModelPriceEntry>;

/**
 * `unappliedTiers`: the thresholds (in thousands of tokens, 272 for `…_above_272k_tokens`) at which some entry prices a
 * request differently, other than the 200k Assay applies (tiers.ts): past them it prices at the entry's lower tier.
 */
export type PriceFileResult = { ok: true; data: PriceData; unappliedTiers: number[] } | { ok: false; error: string };

/** A LiteLLM field of a long-context price: `input_cost_per_token_above_272k_tokens`, the threshold in its name. */
const TIER_FIELD = /_above_(\d{1,7})k_tokens$/;
const APPLIED_TIER = 200;
const MAX_NAMED_TIERS = 3;

/** LiteLLM's documentation entry, and the name Assay reserves for "not in the price data". */
const RESERVED_KEYS = new Set(['sample_spec', OTHER]);
const MAX_REPORTED_PROBLEMS = 5;

/**
 * Parses a price file's text. Entries named `sample_spec` or `other`, and names longer than a
 * ledger model name can be, are skipped; anything else that is wrong fails the whole file, so a
 * typo never silently leaves a model at a wrong price.
 */
export function loadPriceFile(text: string): PriceFileResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `The price file is not valid JSON${jsonErrorLocation(text, error)}.` };
  }
  return priceDataFromJson(raw);
}

function priceDataFromJson(raw: unknown): PriceFileResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      error: 'The price file must be a JSON object mapping model names to prices (LiteLLM model_prices_and_context_window.json format).',
    };
  }
  const data = new Map<string, ModelPriceEntry>();
  const problems: string[] = [];
  const unappliedTiers = new Set<number>();
  for (const [model, value] of Object.entries(raw)) {
    if (RESERVED_KEYS.has(model.toLowerCase()) || model.length === 0 || model.length > MAX_MODEL_NAME_LENGTH) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${quoteName(model)} must be an object of prices`);
      continue;
    }
    for (const [field, price] of Object.entries(value as Record<string, unknown>)) {
      const tier = Number(TIER_FIELD.exec(field)?.[1]);
      if (Number.isInteger(tier) && tier !== APPLIED_TIER && typeof price === 'number' && price > 0) unappliedTiers.add(tier);
    }
    const parsed = ModelPriceEntrySchema.safeParse(value);
    if (parsed.success) {
      data.set(model, parsed.data);
    } else {
      for (const issue of parsed.error.issues) {
        problems.push(`${quoteName(model)} ${issue.path.map(String).join('.')} ${issue.message}`);
      }
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_REPORTED_PROBLEMS).join('; ');
    const more = problems.length > MAX_REPORTED_PROBLEMS ? ` (and ${problems.length - MAX_REPORTED_PROBLEMS} more)` : '';
    return { ok: false, error: `The price file has ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${shown}${more}.` };
  }
  if (data.size === 0) return { ok: false, error: 'The price file lists no models.' };
  return { ok: true, data, unappliedTiers: [...unappliedTiers].sort((a, b) => a - b) };
}

/** A name from the file, quoted and cut short, so a hostile key cannot flood or forge the message. */
function quoteName(name: string): string {
  return JSON.stringify(name.length > 60 ? `${name.slice(0, 60)}…` : name);
}

/**
 * Line and column of a JSON syntax error. V8's own message quotes the text around the error,
 * and the file's text is not ours to echo, so only the position is kept.
 */
function jsonErrorLocation(text: string, error: unknown): string {
  const position = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  if (!position) return '';
  const offset = Math.min(Number(position[1]), text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return ` (line ${line}, column ${column})`;
}

/**
 * The snapshot's file beside the module that reads it: `dist/modelPrices.json` beside every bundle (esbuild.mjs copies
 * it there), `out/src/pricing/` for the unit tests. Read on first use, not bundled: it was 14 KB of each of seven
 * bundles, the extension host's among them, where only an export or a price file needs it.
 */
const BUNDLED_PRICES_FILE = 'modelPrices.json';

let bundled: PriceData | undefined;

/** The snapshot shipped with Assay (see ./snapshotInfo.ts for its date). */
export function bundledPriceData(): PriceData {
  if (!bundled) {
    let json: unknown;
    let unreadable: string | undefined;
    try {
      json = JSON.parse(fs.readFileSync(path.join(__dirname, BUNDLED_PRICES_FILE), 'utf8'));
    } catch (error) {
      // The code alone, and not the error as a cause: its message names the folder Assay is installed in.
      unreadable = error instanceof SyntaxError ? 'not JSON' : ((error as NodeJS.ErrnoException).code ?? 'unreadable');
    }
    if (unreadable !== undefined) throw new SafeMessageError(`Assay's bundled price snapshot could not be read (${unreadable}); reinstall Assay`);
    const result = priceDataFromJson(json);
    if (!result.ok) throw new SafeMessageError(`Assay's bundled price snapshot is invalid (${result.error}); reinstall Assay`);
    bundled = result.data;
  }
  return bundled;
}

/** `extra`'s entries replace `base`'s entries of the same name (compared case-insensitively) and add the rest. */
export function mergePriceData(base: PriceData, extra: PriceData): PriceData {
  const extraNames = new Set([...extra.keys()].map((name) => name.toLowerCase()));
  const merged = new Map<string, ModelPriceEntry>();
  for (const [name, entry] of base) {
    if (!extraNames.has(name.toLowerCase())) merged.set(name, entry);
  }
  for (const [name, entry] of extra) merged.set(name, entry);
  return merged;
}

/** What a price file's long-context prices at thresholds other than 200k mean for its costs; null when it has none. */
export function unappliedTiersNotice(tiers: readonly number[]): string | null {
  if (tiers.length === 0) return null;
  // A file may name any number of thresholds: the message names the lowest few.
  const named = tiers.slice(0, MAX_NAMED_TIERS).map((tier) => `${tier}k`).join(', ') + (tiers.length > MAX_NAMED_TIERS ? ' and others' : '');
  return `The price file prices some models differently above ${named} tokens; Assay applies long-context prices above 200k tokens only, so a request past ${named} tokens is priced at its rate below that and its cost reads too low.`;
}
