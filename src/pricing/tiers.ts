// Token arithmetic shared by rollups and pricing: which tier a request's tokens belong to, and sums.
import { LONG_CONTEXT_THRESHOLD_TOKENS, type TieredTokenCounts, type TokenCounts } from './types';

export const ZERO_TOKENS: Readonly<TokenCounts> = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
  cacheReadTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
});

/** Everything the model read for one request: uncached input plus cached and cache-written input. */
function promptTokens(tokens: TokenCounts): number {
  return tokens.inputTokens + tokens.cacheReadTokens + tokens.cacheWrite5mTokens + tokens.cacheWrite1hTokens;
}

/** Whether one request is billed at long-context rates: its whole prompt exceeded the threshold. */
export function isLongContextRequest(tokens: TokenCounts): boolean {
  return promptTokens(tokens) > LONG_CONTEXT_THRESHOLD_TOKENS;
}

export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    reasoningTokens: a.reasoningTokens + b.reasoningTokens,
    cacheReadTokens: a.cacheReadTokens + b.cacheReadTokens,
    cacheWrite5mTokens: a.cacheWrite5mTokens + b.cacheWrite5mTokens,
    cacheWrite1hTokens: a.cacheWrite1hTokens + b.cacheWrite1hTokens,
  };
}

export function addTiered(a: TieredTokenCounts, b: TieredTokenCounts): TieredTokenCounts {
  return { standard: addTokens(a.standard, b.standard), longContext: addTokens(a.longContext, b.longContext) };
}
