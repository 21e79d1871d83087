import assert from 'node:assert/strict';
import { activeBlock, burnRate, projectBlock, usageBlocks, usagePoints, type UsagePoint } from '../../../src/money/blocks';
import type { UsageEvent } from '../../../src/ledger/events';
import type { Pricer, TieredTokenCounts } from '../../../src/pricing/types';
import { close } from './fixtures';

const at = (iso: string): number => Date.parse(iso);
const point = (iso: string, tokens: number, costUSD: number | null): UsagePoint => ({ t: at(iso), tokens, costUSD });

describe('five-hour usage blocks', () => {
  // 22:10 1,000 tokens $0.10; 23:40 2,000 tokens $0.20; 00:50 the next day 3,000 tokens on an unpriced model.
  const night = [point('2026-11-20T23:40:00Z', 2000, 0.2), point('2026-11-20T22:10:00Z', 1000, 0.1), point('2026-11-21T00:50:00Z', 3000, null)];

  it('puts responses that span midnight in one block starting on the hour of the first', () => {
    const blocks = usageBlocks(night, at('2026-11-21T01:00:00Z'));
    assert.equal(blocks.length, 1);
    const [block] = blocks;
    assert.equal(block.start, at('2026-11-20T22:00:00Z'));
    assert.equal(block.end, at('2026-11-21T03:00:00Z'));
    assert.equal(block.firstAt, at('2026-11-20T22:10:00Z'));
    assert.equal(block.lastAt, at('2026-11-21T00:50:00Z'));
    assert.equal(block.responses, 3);
    assert.equal(block.tokens, 6000);
    assert.ok(close(block.costUSD, 0.3));
    assert.equal(block.unpricedResponses, 1, 'the unpriced response is counted, not priced at $0');
    assert.equal(block.active, true);
  });

  it('computes the burn rate from the first to the last response and projects it to the end of the block', () => {
    const block = usageBlocks(night, at('2026-11-21T01:00:00Z'))[0];
    // 160 minutes from 22:10 to 00:50: 6,000 ÷ 160 = 37.5 tokens a minute; $0.30 ÷ 160 × 60 = $0.1125 an hour.
    const rate = burnRate(block);
    assert.ok(rate && close(rate.tokensPerMinute, 37.5) && close(rate.costPerHour, 0.1125));
    // 120 minutes left at 01:00: 6,000 + 37.5 × 120 = 10,500 tokens; $0.30 + $0.1125 × 2 = $0.525.
    const projection = projectBlock(block, at('2026-11-21T01:00:00Z'));
    assert.ok(projection);
    assert.ok(close(projection.remainingMinutes, 120));
    assert.ok(close(projection.tokens, 10_500));
    assert.ok(close(projection.costUSD, 0.525));
  });

  it('starts a new block after a gap of more than five hours', () => {
    const blocks = usageBlocks([...night, point('2026-11-21T06:00:00Z', 500, 0.05)], at('2026-11-21T06:30:00Z'));
    assert.deepEqual(blocks.map((b) => [new Date(b.start).toISOString(), b.tokens, b.active]), [
      ['2026-11-20T22:00:00.000Z', 6000, false],
      ['2026-11-21T06:00:00.000Z', 500, true],
    ]);
  });

  it('starts a new block more than five hours after the block start, even without a gap', () => {
    const day = [point('2026-11-20T10:05:00Z', 1, 0), point('2026-11-20T12:00:00Z', 1, 0), point('2026-11-20T14:30:00Z', 1, 0), point('2026-11-20T15:00:00Z', 1, 0), point('2026-11-20T15:10:00Z', 1, 0)];
    const blocks = usageBlocks(day, at('2026-11-20T16:00:00Z'));
    // 15:00 is exactly 5 h after 10:00 and stays; 15:10 is past it and opens the 15:00 block.
    assert.deepEqual(blocks.map((b) => [new Date(b.start).toISOString().slice(11, 16), b.responses]), [
      ['10:00', 4],
      ['15:00', 1],
    ]);
    assert.equal(activeBlock(blocks)?.start, at('2026-11-20T15:00:00Z'));
  });

  it('floors to the UTC hour, so in India (UTC+5:30) a block starts at half past', () => {
    const [block] = usageBlocks([point('2026-11-20T04:15:00Z', 10, 0.01)], at('2026-11-20T04:20:00Z'));
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit' }).format(block.start);
    assert.equal(local, '09:30');
  });

  it('has no burn rate or projection for a single response, and no projection once the block is over', () => {
    const single = usageBlocks([point('2026-11-20T10:05:00Z', 100, 0.01)], at('2026-11-20T10:30:00Z'))[0];
    assert.equal(burnRate(single), null);
    assert.equal(projectBlock(single, at('2026-11-20T10:30:00Z')), null);
    const over = usageBlocks(night, at('2026-11-21T03:00:00Z'))[0];
    assert.equal(over.active, false, 'a block ends at start + 5 h');
    assert.notEqual(burnRate(over), null);
    assert.equal(projectBlock(over, at('2026-11-21T03:00:00Z')), null);
    assert.equal(activeBlock(usageBlocks(night, at('2026-11-21T03:00:00Z'))), undefined);
  });

  it('is empty without usage', () => {
    assert.deepEqual(usageBlocks([], at('2026-11-20T10:00:00Z')), []);
  });
});

describe('usage points from usage events', () => {
  // Input tokens cost $1 each in the standard tier and $2 in the long-context tier: which tier was used shows in the cost.
  const pricer: Pricer = {
    normalizeModel: (model) => model,
    costUSD: (model: string, tokens: TieredTokenCounts) => (model === 'unpriced' ? null : tokens.standard.inputTokens + 2 * tokens.longContext.inputTokens),
  };
  const event = (overrides: Partial<UsageEvent>): UsageEvent => ({
    v: 1,
    kind: 'usage',
    t: at('2026-11-20T10:00:00Z'),
    id: 'abcdef0123456789',
    source: 'claude-code',
    model: 'claude-sonnet-4-5',
    inputTokens: 10,
    outputTokens: 20,
    reasoningTokens: 5,
    cacheReadTokens: 30,
    cacheWrite5mTokens: 40,
    cacheWrite1hTokens: 50,
    tokensKnown: true,
    reportedCostUSD: null,
    session: 's',
    project: 'p',
    ...overrides,
  });

  it('totals tokens as ccusage does (reasoning is inside output) and prices each response in its tier', () => {
    const points = usagePoints(
      [
        event({}),
        event({ inputTokens: 150_000, cacheReadTokens: 60_000, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 }),
        event({ model: 'unpriced' }),
        event({ tokensKnown: false }),
        event({ source: 'codex' }),
      ],
      pricer,
      'claude-code',
    );
    assert.deepEqual(
      points.map((p) => [p.tokens, p.costUSD]),
      [
        [150, 10],
        [210_020, 300_000],
        [150, null],
        [150, null],
      ],
    );
  });
});
