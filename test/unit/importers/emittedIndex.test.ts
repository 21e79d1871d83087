// The emitted index's file (src/importers/emittedIndex.ts): every run with anything new loads it whole, so it is read
// through a quick reading that must agree with its schema, and an index an earlier Assay wrote is still read.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import * as fs from 'node:fs';
import * as z from 'zod';
import { EmittedIndex, IndexFile, readIndexFile, type IndexMaps } from '../../../src/importers/emittedIndex';
import { importerDir } from '../../../src/ledger/storageLocation';
import { parsedUsage, tempDir } from './fixtures';

const NOW = Date.UTC(2026, 5, 1);

/** The maps the schema's own reading of a version 2 file stands for (a record's revision as `revisions` lists it, else `revision`). */
function schemaMaps(value: unknown): IndexMaps | undefined {
  const parsed = IndexFile.safeParse(value);
  if (!parsed.success) return undefined;
  return {
    records: new Map(
      parsed.data.records.map(([id, total, replay, fingerprint]) => {
        const revision = (parsed.data.revisions ?? []).filter(([revised]) => revised === id).pop()?.[1] ?? parsed.data.revision ?? 0;
        return [id, revision === 0 ? [total, replay, fingerprint] : [total, replay, fingerprint, revision]];
      }),
    ),
    responses: new Map(parsed.data.responses.map((entry) => [entry[0], entry.slice(1)])),
    aliases: new Map(parsed.data.aliases),
    legacyKeysBefore: parsed.data.legacyKeysBefore,
  };
}

describe('emitted index file', () => {
  it('reads exactly what its schema reads, with the same maps, through its quick reading as well (generated files)', () => {
    // Mostly well-formed parts with now and then one at or past an edge, so that many files are one part from valid.
    const part = <T,>(plausible: fc.Arbitrary<T>, edges: unknown[]) =>
      fc.oneof({ arbitrary: plausible, weight: 40 }, { arbitrary: fc.oneof(fc.constantFrom(...edges), fc.anything()), weight: 1 });
    // JSON has no Infinity, but `1e400` parses to it: INFINITE stands for that number in the file's text.
    const numberEdges = [0, -1, 0.5, 1e308, 'INFINITE', Number.NaN, '1', null, undefined, true, [], {}];
    const textEdges = ['', '__proto__', 'toString', 1, null, undefined, ['a'], {}];
    const id = part(fc.oneof(fc.string({ minLength: 16, maxLength: 16, unit: fc.constantFrom(...'0123456789abcdef') }), fc.constantFrom('a', 'b')), textEdges);
    const count = part(fc.nat(), numberEdges);
    const record = part(fc.tuple(id, count, part(fc.constantFrom(0, 1), numberEdges), count), [[], ['a', 1, 0], ['a', 1, 0, 2, 3], null, 'a', {}]);
    const revision = part(fc.tuple(id, count), [[], ['a'], ['a', 1, 2], [1, 'a'], null]);
    const response = part(
      fc.tuple(id, fc.array(id, { maxLength: 3 })).map(([responseId, ids]) => [responseId, ...ids]),
      [[], [1], null, { 0: 'a' }],
    );
    const alias = part(fc.tuple(id, id), [[], ['a'], ['a', 'b', 'c'], null]);
    const list = <T,>(item: fc.Arbitrary<T>) => part(fc.array(item, { maxLength: 6 }), [null, {}, 'a', { length: 0 }]);
    const file = part(
      fc.record({
        v: part(fc.constant(2), [1, 3, '2', null, undefined]),
        records: list(record),
        responses: list(response),
        aliases: list(alias),
        revision: part(fc.nat({ max: 3 }), numberEdges),
        revisions: list(revision),
        legacyKeysBefore: part(fc.nat(), numberEdges),
      }, { requiredKeys: ['v', 'records', 'responses', 'aliases', 'legacyKeysBefore'] }),
      [null, [], 'index', 2],
    );
    let read = 0;
    fc.assert(
      fc.property(file, (value) => {
        // Through JSON, as the file is: no undefined member, NaN as null, a `__proto__` member as an own member.
        const json = JSON.stringify(value);
        if (json === undefined) return;
        const candidate: unknown = JSON.parse(json.replaceAll('"INFINITE"', '1e400'));
        const result = readIndexFile(candidate, NOW);
        const expected = schemaMaps(candidate);
        assert.deepEqual(result?.data, expected);
        if (result) {
          assert.equal(result.rewrite, false);
          read++;
        }
      }),
      { numRuns: 4000 },
    );
    assert.ok(read > 1000 && read < 3500, `both verdicts were met (${read} of 4000 read)`);
  });

  it('reads an index an earlier Assay wrote (version 1) and writes it as version 2 with the same records', async () => {
    const storage = tempDir('emitted-index');
    fs.mkdirSync(importerDir(storage), { recursive: true });
    const version1 = {
      v: 1,
      records: { r1: [30, 0, 111], r2: [40, 1, 222] },
      responses: { resp: ['r1', 'r2'] },
      aliases: { r3: 'r1' },
      legacyKeysBefore: NOW - 1000,
    };
    fs.writeFileSync(EmittedIndex.filePath(storage, 'claude-code'), JSON.stringify(version1));
    const index = await EmittedIndex.load(storage, 'claude-code', 'secret', NOW);
    assert.equal(index.tokenTotal('r2'), 40);
    assert.equal(index.tokenTotal('r3'), 30, 'an alias is followed to the record it was folded into');
    // Nothing new admitted, yet the file is written in today's format.
    await index.save(storage);
    const written: unknown = JSON.parse(fs.readFileSync(EmittedIndex.filePath(storage, 'claude-code'), 'utf8'));
    assert.equal(IndexFile.safeParse(written).success, true);
    assert.deepEqual(readIndexFile(written, NOW)?.data, {
      records: new Map([
        ['r1', [30, 0, 111]],
        ['r2', [40, 1, 222]],
      ]),
      responses: new Map([['resp', ['r1', 'r2']]]),
      aliases: new Map([['r3', 'r1']]),
      legacyKeysBefore: NOW - 1000,
    });
  });

  it('gives a version 1 index without legacyKeysBefore the time of the run, and reads one its schema refuses as none', () => {
    const version1 = { v: 1, records: { r1: [30, 0, 111] }, responses: {}, aliases: {} };
    assert.deepEqual(readIndexFile(version1, NOW), {
      data: { records: new Map([['r1', [30, 0, 111]]]), responses: new Map(), aliases: new Map(), legacyKeysBefore: NOW },
      rewrite: true,
    });
    assert.equal(readIndexFile({ ...version1, records: { r1: [30, 0] } }, NOW), undefined);
    assert.equal(readIndexFile({ ...version1, v: 3 }, NOW), undefined);
  });

  it('keeps each record\'s revision beside the records, where the build before it reads the file as it did', async () => {
    const storage = tempDir('emitted-index');
    fs.mkdirSync(importerDir(storage), { recursive: true });
    const first = await EmittedIndex.load(storage, 'claude-code', 'secret', NOW);
    const copy = parsedUsage({ key: 'msg_1:req_1', outputTokens: 50 });
    first.admit(copy, 'bestCopy', undefined, { revision: 2, revised: false });
    first.admit(parsedUsage({ key: 'msg_2:req_2', outputTokens: 7 }), 'bestCopy', undefined, { revision: 2, revised: false });
    // A record of a parser still at revision 0 (another log kind of the same source).
    const other = first.admit(parsedUsage({ key: 'msg_3:req_3', outputTokens: 9 }), 'bestCopy', undefined, { revision: 0, revised: false });
    await first.save(storage);
    const written = JSON.parse(fs.readFileSync(EmittedIndex.filePath(storage, 'claude-code'), 'utf8')) as { records: unknown[][]; revision: number; revisions: unknown[][] };
    assert.deepEqual([written.revision, written.revisions], [2, [[other?.id, 0]]], 'the revision most records share is written once, the others listed');
    // The schema of the build before revisions: records of four, and members it does not know left out.
    const before = z.object({ v: z.literal(2), records: z.array(z.tuple([z.string(), z.number(), z.number(), z.number()])) });
    assert.equal(before.safeParse(written).success, true);
    // Read again, the stamp holds: a copy cut short, read again for revision 2, does not replace the record.
    const second = await EmittedIndex.load(storage, 'claude-code', 'secret', NOW);
    assert.equal(second.admit({ ...copy, outputTokens: 5 }, 'bestCopy', undefined, { revision: 2, revised: true }), undefined);
  });

  it('keeps what a run admits: a record read again is not new, and a better copy of it replaces it', async () => {
    const storage = tempDir('emitted-index');
    fs.mkdirSync(importerDir(storage), { recursive: true });
    const first = await EmittedIndex.load(storage, 'claude-code', 'secret', NOW);
    const copy = parsedUsage({ key: 'msg_1:req_1', outputTokens: 10, copyOf: { responseId: 'msg_1', replay: false } });
    const admitted = first.admit(copy, 'bestCopy');
    assert.equal(admitted?.isNew, true);
    await first.save(storage);

    const second = await EmittedIndex.load(storage, 'claude-code', 'secret', NOW);
    assert.equal(second.admit(copy, 'bestCopy'), undefined, 'the same copy again');
    const better = { ...copy, outputTokens: 50 };
    assert.deepEqual(second.admit(better, 'bestCopy'), { id: admitted?.id, isNew: false });
    await second.save(storage);

    const third = await EmittedIndex.load(storage, 'claude-code', 'secret', NOW);
    assert.equal(third.tokenTotal(admitted?.id ?? ''), copy.inputTokens + 50 + copy.cacheReadTokens + copy.cacheWrite5mTokens + copy.cacheWrite1hTokens);
  });
});
