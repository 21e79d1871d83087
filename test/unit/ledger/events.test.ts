// The ledger writer's quick check of usage events (plainUsageEvent) stands in for the schema on the import's path, so
// it must never let through an event the schema refuses, and must write what the schema's parse would.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { plainUsageEvent, UsageEvent, UsageSource } from '../../../src/ledger/events';

describe('ledger events: the quick check of usage events', () => {
  it('accepts only what the schema accepts, and gives the same event (events built from edge values)', () => {
    const MAX_COUNT = 1e12;
    const MAX_EVENT_TIME = Date.UTC(2200, 0, 1);
    // Mostly plausible fields with now and then one at or past an edge, so that many events are one field from valid.
    const field = <T,>(plausible: fc.Arbitrary<T>, edges: unknown[]) =>
      fc.oneof({ arbitrary: plausible, weight: 24 }, { arbitrary: fc.oneof(fc.constantFrom(...edges), fc.anything()), weight: 1 });
    const notNumbers = ['1', null, undefined, true, {}, []];
    const numberEdges = [0, -0, 0.5, -1, MAX_COUNT, MAX_COUNT + 1, 2 ** 53 - 1, 2 ** 53, 1e308, Number.NaN, Infinity, -Infinity, ...notNumbers];
    const text = (maxLength: number) =>
      field(fc.string({ maxLength }), ['', 'x'.repeat(maxLength), 'x'.repeat(maxLength + 1), 1, null, undefined, ['a'], {}]);
    const tokens = field(fc.oneof(fc.nat(), fc.double({ min: 0, max: 1e9, noNaN: true })), numberEdges);
    const event = fc
      .record({
        v: field(fc.constant(1), [0, 2, '1', null]),
        t: field(fc.nat({ max: MAX_EVENT_TIME }), [MAX_EVENT_TIME + 1, 0.5, ...numberEdges]),
        kind: field(fc.constant('usage'), ['accept', 'Usage', '', null]),
        id: field(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 8, maxLength: 64 }), ['1234567', 'x'.repeat(8), 'x'.repeat(64), 'x'.repeat(65), 12345678, null]),
        source: field(fc.constantFrom(...UsageSource.options), ['claude', 'toString', '', null]),
        model: text(128),
        inputTokens: tokens,
        outputTokens: tokens,
        reasoningTokens: tokens,
        cacheReadTokens: tokens,
        cacheWrite5mTokens: tokens,
        cacheWrite1hTokens: tokens,
        tokensKnown: field(fc.boolean(), [0, 'true', null, undefined]),
        reportedCostUSD: field(fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1e6, noNaN: true })), numberEdges),
        session: text(32),
        project: text(32),
      })
      // Now and then a field absent, or one the schema does not know (its parse strips it, so the quick check must not keep it).
      .chain((candidate) =>
        fc.oneof(
          { arbitrary: fc.constant<Record<string, unknown>>(candidate), weight: 18 },
          { arbitrary: fc.constantFrom(...Object.keys(candidate)).map((key) => Object.fromEntries(Object.entries(candidate).filter(([name]) => name !== key))), weight: 1 },
          { arbitrary: fc.constantFrom(undefined, 'text', 1).map((extra) => ({ ...candidate, extra })), weight: 1 },
        ),
      );
    let quick = 0;
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: event, weight: 9 }, { arbitrary: fc.anything(), weight: 1 }), (candidate) => {
        const fromSchema = UsageEvent.safeParse(candidate);
        const fromQuickCheck = plainUsageEvent(candidate);
        if (fromSchema.success) valid++;
        if (fromQuickCheck === undefined) return;
        quick++;
        assert.ok(fromSchema.success, `the schema refuses ${JSON.stringify(candidate)}`);
        // The same line in the ledger: the same fields, values and order.
        assert.equal(JSON.stringify(fromQuickCheck), JSON.stringify(fromSchema.data));
        assert.notEqual(fromQuickCheck, candidate, 'a copy, as the schema gives');
      }),
      { numRuns: 5000 },
    );
    assert.ok(quick > 1000 && valid < 4500, `both verdicts were met (${quick} quick, ${valid} valid of 5000)`);
    assert.ok(quick >= valid - 300, `nearly every valid event takes the quick check (${quick} of ${valid})`);
  });
});
