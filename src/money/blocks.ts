// Five-hour usage blocks (docs/money.md, Limits), as ccusage computes them for Claude's subscription windows
// (ryoppippi/ccusage apps/ccusage/src/_session-blocks.ts at 0078fcb0046bdc92adc5fe8b4bff79c00c1e0589:
// identifySessionBlocks, calculateBurnRate, projectBlockUsage):
// - a block starts at its first response's time floored to the hour (a UTC hour: in a zone with a half-hour offset
//   it starts at :30 local time) and lasts 5 hours;
// - a response more than 5 hours after the block's start, or more than 5 hours after the previous response, starts
//   a new block; blocks are instants, so a block that spans local midnight stays one block;
// - a block is active while now is before its end and less than 5 hours after its last response;
// - burn rate = tokens (input + output + cache read + cache write) ÷ minutes from the first to the last response;
//   cost per hour likewise; the projection adds that rate over the minutes left until the block ends.
// Unlike ccusage, a response on an unpriced model adds no cost and is counted, so the cost is marked a lower bound
// instead of silently including $0.
import { isLongContextRequest, ZERO_TOKENS } from '../pricing/tiers';
import type { Pricer } from '../pricing/types';
import type { UsageEvent, UsageSource } from '../ledger/events';

const BLOCK_HOURS = 5;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** One response: when it happened, its tokens, and its cost (null when its model has no price). */
export interface UsagePoint {
  t: number;
  tokens: number;
  costUSD: number | null;
}

export interface UsageBlock {
  /** Epoch ms, on a whole UTC hour. */
  start: number;
  /** start + 5 h. */
  end: number;
  firstAt: number;
  lastAt: number;
  responses: number;
  tokens: number;
  /** Cost of the priced responses. */
  costUSD: number;
  /** Responses whose model has no price: their cost is missing from `costUSD`. */
  unpricedResponses: number;
  active: boolean;
}

export interface BurnRate {
  tokensPerMinute: number;
  costPerHour: number;
}

export interface BlockProjection {
  /** Tokens and cost at the end of the block if the burn rate holds. */
  tokens: number;
  costUSD: number;
  remainingMinutes: number;
}

/** The usage points of one source's events, priced per response (ccusage's token total: reasoning is inside output). */
export function usagePoints(events: readonly UsageEvent[], pricer: Pricer, source: UsageSource): UsagePoint[] {
  return events
    .filter((event) => event.source === source)
    .map((event) => {
      const tokens = event.inputTokens + event.outputTokens + event.cacheReadTokens + event.cacheWrite5mTokens + event.cacheWrite1hTokens;
      const long = isLongContextRequest(event);
      const counts = {
        inputTokens: event.inputTokens,
        outputTokens: event.outputTokens,
        reasoningTokens: event.reasoningTokens,
        cacheReadTokens: event.cacheReadTokens,
        cacheWrite5mTokens: event.cacheWrite5mTokens,
        cacheWrite1hTokens: event.cacheWrite1hTokens,
      };
      const costUSD = event.tokensKnown
        ? pricer.costUSD(event.model, long ? { standard: ZERO_TOKENS, longContext: counts } : { standard: counts, longContext: ZERO_TOKENS })
        : null;
      return { t: event.t, tokens, costUSD };
    });
}

/** Blocks of `points` (any order), oldest first. */
export function usageBlocks(points: readonly UsagePoint[], now: number, blockHours = BLOCK_HOURS): UsageBlock[] {
  const lengthMs = blockHours * HOUR_MS;
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const blocks: UsageBlock[] = [];
  let current: UsageBlock | undefined;
  for (const point of sorted) {
    if (!current || point.t - current.start > lengthMs || point.t - current.lastAt > lengthMs) {
      const start = Math.floor(point.t / HOUR_MS) * HOUR_MS;
      current = { start, end: start + lengthMs, firstAt: point.t, lastAt: point.t, responses: 0, tokens: 0, costUSD: 0, unpricedResponses: 0, active: false };
      blocks.push(current);
    }
    current.lastAt = point.t;
    current.responses += 1;
    current.tokens += point.tokens;
    if (point.costUSD === null) current.unpricedResponses += 1;
    else current.costUSD += point.costUSD;
  }
  for (const block of blocks) block.active = now < block.end && now - block.lastAt < lengthMs;
  return blocks;
}

/** The active block, if any (at most one can be). */
export function activeBlock(blocks: readonly UsageBlock[]): UsageBlock | undefined {
  return blocks.find((block) => block.active);
}

/** Tokens per minute and cost per hour from the first to the last response; null until two responses are minutes apart. */
export function burnRate(block: UsageBlock): BurnRate | null {
  const minutes = (block.lastAt - block.firstAt) / MINUTE_MS;
  if (minutes <= 0) return null;
  return { tokensPerMinute: block.tokens / minutes, costPerHour: (block.costUSD / minutes) * 60 };
}

/** Where an active block ends up if its burn rate holds; null for an inactive block or one without a burn rate. */
export function projectBlock(block: UsageBlock, now: number): BlockProjection | null {
  const rate = burnRate(block);
  if (!block.active || rate === null) return null;
  const remainingMinutes = Math.max(0, (block.end - now) / MINUTE_MS);
  return {
    tokens: block.tokens + rate.tokensPerMinute * remainingMinutes,
    costUSD: block.costUSD + (rate.costPerHour / 60) * remainingMinutes,
    remainingMinutes,
  };
}
