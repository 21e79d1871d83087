// What-if (docs/metrics.md, Other dashboard views): the same token records priced as another model, beside the real cost.
// Tokens keep their categories and tiers. The target's own prices apply, with the pricer's
// fallbacks: a target without cache prices (e.g. a local model) bills cache reads and writes at its
// input price, and a target without long-context prices bills long prompts at its standard prices.
// What-if does not model a smaller context window: prompts the target could not take are priced anyway.
import { OTHER } from '../privacy/allowlists';
import { ZERO_TOKENS } from './tiers';
import type { Pricer, TieredTokenCounts } from './types';

export interface ModelUsage {
  /** Model as recorded (normalized or raw; the pricer normalizes it). */
  model: string;
  tokens: TieredTokenCounts;
}

export interface WhatIfResult {
  /** The price data's name of the target, or `other` when it is unknown. */
  targetModel: string;
  /** Real cost of the rows whose model has a price. */
  realCostUSD: number;
  /** The same rows priced as the target; null when the target has no price. */
  whatIfCostUSD: number | null;
  pricedRows: number;
  /** Rows whose real model has no price: left out of both sums so the two compare like with like. */
  unpricedRows: number;
}

export function whatIfCost(rows: readonly ModelUsage[], targetModel: string, pricer: Pricer): WhatIfResult {
  const target = pricer.normalizeModel(targetModel);
  let realCostUSD = 0;
  let whatIfCostUSD: number | null = isPriced(target, pricer) ? 0 : null;
  let pricedRows = 0;
  let unpricedRows = 0;
  for (const row of rows) {
    const real = pricer.costUSD(row.model, row.tokens);
    if (real === null) {
      unpricedRows++;
      continue;
    }
    pricedRows++;
    realCostUSD += real;
    if (whatIfCostUSD !== null) whatIfCostUSD += pricer.costUSD(target, row.tokens) ?? 0;
  }
  return { targetModel: target, realCostUSD, whatIfCostUSD, pricedRows, unpricedRows };
}

/** Suggested local comparison: free to run, so what-if shows the token bill a local model avoids. */
export const LOCAL_WHAT_IF_MODEL = 'ollama/qwen3-coder';

/**
 * A cheaper model of the same vendor for each model, by the snapshot's names: the same generation's smaller tier where
 * the vendor sells one (a `-pro` model's is its base model, a fast-mode model's the same model at standard speed), else a
 * smaller current one. Each is priced lower than the model it stands for, for input and output (whatIf.test.ts checks
 * that).
 */
export const SMALLER_SIBLING: ReadonlyMap<string, string> = new Map([
  ...['claude-fable-5-1', 'claude-fable-5'].map((m) => [m, 'claude-opus-5-5'] as const),
  ...['claude-opus-5', 'claude-opus-4-8', 'claude-opus-4-7', 'claude-opus-4-6'].map((m) => [`${m}-fast`, m] as const),
  ...['claude-opus-5-5', 'claude-opus-5'].map((m) => [m, 'claude-sonnet-5'] as const),
  ...['claude-opus-4-8', 'claude-opus-4-7', 'claude-opus-4-6'].map((m) => [m, 'claude-sonnet-4-6'] as const),
  ...['claude-opus-4-5', 'claude-opus-4-1', 'claude-opus-4', 'claude-3-opus'].map((m) => [m, 'claude-sonnet-4-5'] as const),
  ...['claude-sonnet-5', 'claude-sonnet-4-6', 'claude-sonnet-4-5', 'claude-sonnet-4', 'claude-3-7-sonnet', 'claude-3-5-sonnet'].map(
    (m) => [m, 'claude-haiku-4-5'] as const,
  ),
  ['claude-haiku-4-5', 'claude-3-5-haiku'],
  ['gpt-6-astra', 'gpt-6-sol'],
  ['gpt-6-sol', 'gpt-6-luna'],
  ...['gpt-5.6-sol', 'gpt-5.6'].map((m) => [m, 'gpt-5.6-terra'] as const),
  ['gpt-5.6-terra', 'gpt-5.6-luna'],
  ['gpt-5.5-pro', 'gpt-5.5'],
  ['gpt-5.4-pro', 'gpt-5.4'],
  ['gpt-5.2-pro', 'gpt-5.2'],
  ...['gpt-5.5', 'gpt-5.4', 'gpt-5.3', 'gpt-5.3-codex', 'gpt-5.2', 'gpt-5.2-codex'].map((m) => [m, 'gpt-5.4-mini'] as const),
  ['gpt-5.4-mini', 'gpt-5.4-nano'],
  ...['gpt-5', 'gpt-5-codex', 'gpt-5-chat-latest', 'gpt-5-pro'].map((m) => [m, 'gpt-5-mini'] as const),
  ...['gpt-5.1', 'gpt-5.1-codex', 'gpt-5.1-codex-max'].map((m) => [m, 'gpt-5.1-codex-mini'] as const),
  ['gpt-5-mini', 'gpt-5-nano'],
  ['gpt-5.1-codex-mini', 'gpt-5-nano'],
  ['gpt-4.1', 'gpt-4.1-mini'],
  ['gpt-4.1-mini', 'gpt-4.1-nano'],
  ['gpt-4o', 'gpt-4o-mini'],
  ['gpt-4o-2024-05-13', 'gpt-4o-mini'],
  ...['o3', 'o3-pro', 'o1'].map((m) => [m, 'o4-mini'] as const),
  ...['gemini-3.1-pro-preview', 'gemini-3-pro-preview'].map((m) => [m, 'gemini-3-flash-preview'] as const),
  ['gemini-3-flash-preview', 'gemini-3.1-flash-lite'],
  ...['gemini-3.8-flash', 'gemini-3.7-flash', 'gemini-3.6-flash', 'gemini-3.5-flash'].map((m) => [m, 'gemini-3.5-flash-lite'] as const),
  ['gemini-2.5-pro', 'gemini-2.5-flash'],
  ['gemini-2.5-flash', 'gemini-2.5-flash-lite'],
  ...['grok-4.6', 'grok-4.5', 'grok-4.3', 'grok-4.20', 'grok-4'].map((m) => [m, 'grok-4-1-fast-reasoning'] as const),
  ['kimi-k3', 'kimi-k2.6'],
  ['deepseek-v4-pro', 'deepseek-v4-flash'],
  ['devstral-medium', 'devstral-small'],
]);

const MAX_SUGGESTIONS = 8;

/**
 * Models to show in the what-if table: the user's `assay.pricing.whatIfModels` first, then the
 * smaller sibling of each used model (pass them by spend, largest first), then a local model.
 * Only models the pricer can price are listed; each appears once.
 */
export function suggestWhatIfModels(usedModels: readonly string[], pricer: Pricer, configured: readonly string[] = []): string[] {
  const suggestions: string[] = [];
  const add = (model: string): void => {
    const name = pricer.normalizeModel(model);
    if (isPriced(name, pricer) && !suggestions.includes(name) && suggestions.length < MAX_SUGGESTIONS) suggestions.push(name);
  };
  configured.forEach(add);
  for (const used of usedModels) {
    const sibling = SMALLER_SIBLING.get(pricer.normalizeModel(used));
    if (sibling) add(sibling);
  }
  add(LOCAL_WHAT_IF_MODEL);
  return suggestions;
}

function isPriced(model: string, pricer: Pricer): boolean {
  return model !== OTHER && pricer.costUSD(model, { standard: ZERO_TOKENS, longContext: ZERO_TOKENS }) !== null;
}
