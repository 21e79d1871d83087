// Shared by the pricing tests: token records and a float comparison for sums of products.
import assert from 'node:assert/strict';
import type { TieredTokenCounts, TokenCounts } from '../../../src/pricing/types';
import { ZERO_TOKENS } from '../../../src/pricing/tiers';

export function tokens(counts: Partial<TokenCounts>): TokenCounts {
  return { ...ZERO_TOKENS, ...counts };
}

export function standardOnly(counts: Partial<TokenCounts>): TieredTokenCounts {
  return { standard: tokens(counts), longContext: tokens({}) };
}

export function longOnly(counts: Partial<TokenCounts>): TieredTokenCounts {
  return { standard: tokens({}), longContext: tokens(counts) };
}

/** Equal up to float rounding of a sum of a few products (relative 1e-12). */
export function assertClose(actual: number | null, expected: number, message?: string): void {
  assert.notEqual(actual, null, message ?? 'expected a number, got null');
  const difference = Math.abs((actual as number) - expected);
  assert.ok(difference <= 1e-12 * Math.max(1, Math.abs(expected)), `${message ?? ''} expected ${expected}, got ${actual}`);
}
