import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { RecordIdMaker } from '../../../src/importers/emittedIndex';
import type { ParsedUsage } from '../../../src/importers/types';
import { opaqueId } from '../../../src/privacy/opaqueId';
import { parsedUsage } from './fixtures';

const SECRET = 'record-ids-test';

/** The fingerprint as every earlier Assay computed it: FNV-1a over the joined text. */
function joinedFingerprint(p: ParsedUsage, names: string): number {
  const text =
    `${p.t}|${names}|${p.inputTokens}|${p.outputTokens}|${p.reasoningTokens}|${p.cacheReadTokens}|` +
    `${p.cacheWrite5mTokens}|${p.cacheWrite1hTokens}|${p.tokensKnown}|${p.reportedCostUSD ?? ''}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

const count = fc.oneof(fc.nat(), fc.nat({ max: 10 }));
const name = fc.oneof(fc.constantFrom('claude-sonnet-4-5', 'gpt-5', ''), fc.string({ maxLength: 40 }));
const anyParsedUsage: fc.Arbitrary<ParsedUsage> = fc.record({
  key: fc.string({ minLength: 1, maxLength: 40 }),
  t: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.double({ min: 0, max: 4e12, noNaN: true })),
  model: name,
  inputTokens: count,
  outputTokens: count,
  reasoningTokens: count,
  cacheReadTokens: count,
  cacheWrite5mTokens: count,
  cacheWrite1hTokens: count,
  tokensKnown: fc.boolean(),
  reportedCostUSD: fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1e4, noNaN: true })),
  sessionKey: name,
  projectKey: name,
});

// Emitted indexes on users' machines hold these values: one computed differently would make every record of a
// whole-file source look changed, and write it to the ledger once more.
describe('RecordIdMaker', () => {
  it('gives the record fingerprint and names digest that earlier versions stored, record after record', () => {
    fc.assert(
      fc.property(fc.array(anyParsedUsage, { minLength: 1, maxLength: 6 }), (records) => {
        const maker = new RecordIdMaker(SECRET, 'claude-code');
        for (const record of records) {
          const names = opaqueId(SECRET, `claude-code:names:${record.model}\u0000${record.sessionKey}\u0000${record.projectKey}`);
          const ids = maker.of(record);
          assert.equal(ids.id, opaqueId(SECRET, `claude-code:${record.key}`));
          assert.equal(ids.entry[2], joinedFingerprint(record, names));
        }
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('tells records apart whose model, session and project differ only in where the pieces split', () => {
    const maker = new RecordIdMaker(SECRET, 'claude-code');
    const base = parsedUsage({ model: 'a', sessionKey: 'bc', projectKey: 'd' });
    const first = maker.of(base).entry[2];
    const moved = maker.of({ ...base, model: 'ab', sessionKey: 'c' }).entry[2];
    const back = maker.of(base).entry[2];
    assert.notEqual(first, moved);
    assert.equal(back, first);
  });
});
