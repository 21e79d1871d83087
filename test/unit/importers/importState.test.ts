// The import state is read at the start of every run. Its quick check stands in for the schema there, so a state file
// must load exactly as the schema alone would load it: the same state when valid, an empty one (read everything again)
// when not.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { UsageSource } from '../../../src/ledger/events';
import { ImportState, parseImportState } from '../../../src/importers/importState';

/** What the schema alone makes of a state file's text. */
function bySchema(text: string): unknown {
  const parsed = ImportState.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : { v: 1, files: {}, sources: {} };
}

describe('import state: loading', () => {
  it('loads every state file as the schema does (states built from edge values)', () => {
    // Mostly plausible fields with now and then one at or past an edge, so that many states are one field from valid.
    const field = <T,>(plausible: fc.Arbitrary<T>, edges: unknown[]) =>
      fc.oneof({ arbitrary: plausible, weight: 60 }, { arbitrary: fc.oneof(fc.constantFrom(...edges), fc.jsonValue()), weight: 1 });
    const numberEdges = [-1, 0.5, 2 ** 53, 1e308, '1', null, true, {}, []];
    const count = field(fc.nat(), numberEdges);
    const time = field(fc.double({ min: 0, max: 2e12, noNaN: true, noDefaultInfinity: true }), ['1', null, {}]);
    const hex40 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 40, maxLength: 40 });
    const headHash = field(
      fc.oneof(fc.constant(''), fc.tuple(fc.integer({ min: 0, max: 512 }), hex40).map(([bytes, digest]) => `${bytes}:${digest}`)),
      ['512:', '1234:' + '0'.repeat(40), '12:' + 'A'.repeat(40), '12:' + '0'.repeat(41), 512],
    );
    const withOptional = <T extends Record<string, unknown>>(required: fc.Arbitrary<T>, optional: Record<string, fc.Arbitrary<unknown>>) =>
      fc.tuple(required, fc.record(optional, { requiredKeys: [] })).map(([base, extra]) => ({ ...base, ...extra }));
    // A key the schema does not know (its parse drops it), now and then.
    const rarelyUnknownKey = <T extends Record<string, unknown>>(value: fc.Arbitrary<T>) =>
      fc
        .tuple(value, fc.oneof({ arbitrary: fc.constant(null), weight: 40 }, { arbitrary: fc.constantFrom('unknownField', '__proto__'), weight: 1 }))
        .map(([base, key]) => (key === null ? base : { ...base, [key]: 1 }));
    const fileState = rarelyUnknownKey(withOptional(
      fc.record({
        source: field(fc.constantFrom(...UsageSource.options), ['claude', '', null]),
        size: count,
        mtimeMs: time,
        offset: count,
        headHash,
        seenAt: time,
      }),
      {
        contentHash: field(hex40, [1, null]),
        parserState: fc.jsonValue(),
        revision: field(fc.integer({ min: 1, max: 9 }), [0, -1, 1.5, '1', null, 2 ** 53]),
      },
    ));
    const rareKey = (arbitrary: fc.Arbitrary<string>) =>
      fc.oneof({ arbitrary, weight: 60 }, { arbitrary: fc.constantFrom('__proto__', 'toString', ''), weight: 1 });
    const state = rarelyUnknownKey(withOptional(
      fc.record({
        v: field(fc.constant(1), [0, 2, '1']),
        files: fc.dictionary(rareKey(fc.string({ minLength: 1, maxLength: 20 })), fileState, { maxKeys: 6 }),
        sources: fc.dictionary(
          rareKey(fc.constantFrom(...UsageSource.options)),
          rarelyUnknownKey(fc.record({ lastReadAt: field(fc.oneof(fc.constant(null), fc.nat()), ['1', {}]) })),
          { maxKeys: 3 },
        ),
      }),
      {
        covered: fc.dictionary(
          rareKey(fc.string({ minLength: 1, maxLength: 20 })),
          rarelyUnknownKey(fc.record({ first: time, last: time })),
          { maxKeys: 2 },
        ),
      },
    ));
    let valid = 0;
    fc.assert(
      fc.property(fc.oneof({ arbitrary: state, weight: 19 }, { arbitrary: fc.jsonValue(), weight: 1 }), (candidate) => {
        // As it is on disk: JSON.
        const text = JSON.stringify(candidate);
        const expected = bySchema(text);
        if (JSON.stringify(expected) !== '{"v":1,"files":{},"sources":{}}') valid++;
        assert.equal(JSON.stringify(parseImportState(text)), JSON.stringify(expected));
      }),
      { numRuns: 2000 },
    );
    assert.ok(valid > 200 && valid < 1800, `both verdicts were met (${valid} of 2000 states valid)`);
  });

  it('a missing, torn or foreign state file loads as an empty state', () => {
    const empty = { v: 1, files: {}, sources: {} };
    assert.deepEqual(parseImportState(undefined), empty);
    assert.deepEqual(parseImportState('{"v":1,"files":{'), empty);
    assert.deepEqual(parseImportState('[]'), empty);
    assert.deepEqual(parseImportState('{"v":2,"files":{},"sources":{}}'), empty);
  });
});
