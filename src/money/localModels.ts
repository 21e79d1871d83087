// Self-hosted and local models are never free (docs/money.md, What-if): the price data lists them at $0 per token,
// but the hardware and the power are paid for. A pricer wrapped here prices a local model's tokens (input, cached
// and output alike) at `assay.pricing.localModelUSDPerMTok` unless the user gave the model a price of its own
// (an override or a price file entry above $0), which then wins.
import { isLocalModel } from '../pricing/localProviders';
import { ZERO_TOKENS } from '../pricing/tiers';
import type { Pricer, TieredTokenCounts, TokenCounts } from '../pricing/types';

/**
 * A $2,000 workstation over three years (≈ $1.83 a day) plus 300 W for eight hours at $0.25 per kWh (≈ $0.60 a
 * day) is ≈ $2.43 a day; at 5 million tokens a day that is ≈ $0.49 per million (docs/money.md).
 */
export const DEFAULT_LOCAL_MODEL_USD_PER_MTOK = 0.5;

function allTokens(tokens: TokenCounts): number {
  // Reasoning is inside output (docs/metrics.md), so it is not added again.
  return tokens.inputTokens + tokens.outputTokens + tokens.cacheReadTokens + tokens.cacheWrite5mTokens + tokens.cacheWrite1hTokens;
}

/** `pricer`, except that a local model without a price of its own costs `usdPerMTok` per million tokens. */
export function withLocalModelCost(pricer: Pricer, usdPerMTok: number): Pricer {
  return {
    normalizeModel: (rawModel) => pricer.normalizeModel(rawModel),
    costUSD(model: string, tokens: TieredTokenCounts): number | null {
      const name = pricer.normalizeModel(model);
      if (!isLocalModel(name)) return pricer.costUSD(model, tokens);
      const ownPrice = pricer.costUSD(model, { standard: { ...ZERO_TOKENS, inputTokens: 1_000_000, outputTokens: 1_000_000 }, longContext: ZERO_TOKENS });
      if (ownPrice !== null && ownPrice > 0) return pricer.costUSD(model, tokens);
      return ((allTokens(tokens.standard) + allTokens(tokens.longContext)) * usdPerMTok) / 1_000_000;
    },
  };
}
