// The contract between pricing and its users (report rollups, dashboard, CLI).

/** Token counts by billing category, in the one convention of docs/metrics.md (Agent and chat usage). */
export interface TokenCounts {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cacheReadTokens: number;
  cacheWrite5mTokens: number;
  cacheWrite1hTokens: number;
}

/**
 * Requests whose prompt (input + cache read + cache write) exceeded this many tokens are billed at
 * the price data's `*_above_200k_tokens` rates. Rollups keep those requests' tokens apart so cost
 * can be computed from daily aggregates for any price list.
 */
export const LONG_CONTEXT_THRESHOLD_TOKENS = 200_000;

export interface TieredTokenCounts {
  standard: TokenCounts;
  longContext: TokenCounts;
}

export interface Pricer {
  /** The price data's name for a model (logged or kept), what it is priced as; `other` when it cannot be named. */
  normalizeModel(rawModel: string): string;
  /** USD for these tokens on this model, or null when the model has no price (never a silent $0). */
  costUSD(model: string, tokens: TieredTokenCounts): number | null;
}
