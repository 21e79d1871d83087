import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readLedger } from '../../../src/ledger/reader';
import * as z from 'zod';
import { addWrittenEvents, forgetRollupStates, loadDailyRollup, rollupCacheDir, rollupStateFile, schemaDescription } from '../../../src/report/rollupCache';
import { LedgerWriter, type WrittenBatch } from '../../../src/ledger/writer';
import { segmentsDir } from '../../../src/ledger/segments';
import { rollupDaily } from '../../../src/report/rollup';
import { accept, activity, appendSegment, eventLines, retention, tempStorage, usage, writeSegment } from '../ledger/ledgerFixtures';

const ZONE = 'Europe/Berlin';

async function fromScratch(storageDir: string, timeZone = ZONE) {
  return rollupDaily((await readLedger(storageDir)).events, { timeZone });
}

function rowsOf(result: { inline: unknown; usage: unknown }) {
  return { inline: result.inline, usage: result.usage };
}

/** Rewrites a state file's JSON header (a 4-byte length, then the JSON) as another version, or a hand, would have written it. */
async function editStateHeader(
  statePath: string,
  edit: (header: { rollupSchemaVersion: number; acceptedEvents: string; segments: { offset: number; invalidLines: number }[] }) => void,
): Promise<void> {
  const data = await fs.readFile(statePath);
  const headerLength = data.readUInt32LE(0);
  const header = JSON.parse(data.toString('utf8', 4, 4 + headerLength));
  edit(header);
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  await fs.writeFile(statePath, Buffer.concat([length, headerBytes, data.subarray(4 + headerLength)]));
}

describe('loadDailyRollup', () => {
  let storageDir: string;
  beforeEach(async () => {
    storageDir = await tempStorage();
  });

  it('returns empty rows for a ledger with no segments', async () => {
    const result = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.deepEqual(rowsOf(result), { inline: [], usage: [] });
    assert.equal(result.segments, 0);
  });

  it('reads only appended bytes on the next load, and its rows equal a from-scratch rollup', async () => {
    const day = (d: number, h = 12) => Date.UTC(2024, 4, d, h);
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept({ t: day(1) }), activity({ t: day(1) }), usage({ t: day(1) })]));
    await writeSegment(storageDir, '2024-05-02_1_aaaaaaaa.jsonl', eventLines([retention({ acceptedAt: day(1, 23) }), accept({ t: day(2) })]));
    const cold = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(cold.stats.rebuilt, true);
    assert.equal(await cold.stats.cacheSaved, true);
    assert.deepEqual(rowsOf(cold), await fromScratch(storageDir));

    const appended = eventLines([accept({ t: day(2), mode: 'word' }), usage({ t: day(2), model: 'gpt-5', source: 'codex' })]);
    await appendSegment(storageDir, '2024-05-02_1_aaaaaaaa.jsonl', appended);
    const newSegment = eventLines([activity({ t: day(3) })]);
    await writeSegment(storageDir, '2024-05-03_2_bbbbbbbb.jsonl', newSegment);

    const warm = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(warm.stats.rebuilt, false);
    assert.equal(warm.stats.bytesRead, Buffer.byteLength(appended) + Buffer.byteLength(newSegment));
    assert.equal(warm.segments, 3);
    assert.deepEqual(rowsOf(warm), await fromScratch(storageDir));

    const unchanged = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(unchanged.stats.bytesRead, 0);
    assert.deepEqual(rowsOf(unchanged), rowsOf(warm));
  });

  it('applies a usage upsert whose earlier event is in an older segment read by an earlier load', async () => {
    const original = usage({ id: 'gemini-0000000a', t: Date.UTC(2024, 4, 1, 12), outputTokens: 10, source: 'gemini-cli', model: 'gemini-2.5-pro' });
    const unrelated = usage({ t: Date.UTC(2024, 4, 1, 13), source: 'gemini-cli', model: 'gemini-2.5-pro' });
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([original, unrelated]));
    await loadDailyRollup(storageDir, { timeZone: ZONE });

    const rewritten = { ...original, t: Date.UTC(2024, 4, 2, 9), outputTokens: 70 };
    await writeSegment(storageDir, '2024-05-02_1_aaaaaaaa.jsonl', eventLines([rewritten]));
    const warm = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(warm.stats.rebuilt, false);
    assert.deepEqual(
      warm.usage.map((row) => [row.date, row.requests, row.tokens.standard.outputTokens]),
      [
        ['2024-05-01', 1, unrelated.outputTokens],
        ['2024-05-02', 1, 70],
      ],
    );
    assert.deepEqual(rowsOf(warm), await fromScratch(storageDir));

    // And again, in the same segment as the previous version.
    await appendSegment(storageDir, '2024-05-02_1_aaaaaaaa.jsonl', eventLines([{ ...rewritten, outputTokens: 90 }]));
    const again = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.deepEqual(
      again.usage.map((row) => [row.date, row.requests, row.tokens.standard.outputTokens]),
      [
        ['2024-05-01', 1, unrelated.outputTokens],
        ['2024-05-02', 1, 90],
      ],
    );
    assert.deepEqual(rowsOf(again), await fromScratch(storageDir));
  });

  it('keeps counting the latest copy of a rewritten response when an older copy of its segment turns up (a duplicated file)', async () => {
    const original = usage({ id: 'claude-000000001', t: Date.UTC(2024, 4, 1, 12), outputTokens: 10 });
    await writeSegment(storageDir, '2024-05-01_import.jsonl', eventLines([original]));
    const copyOfThen = await fs.readFile(path.join(segmentsDir(storageDir), '2024-05-01_import.jsonl'));
    await loadDailyRollup(storageDir, { timeZone: ZONE });
    await appendSegment(storageDir, '2024-05-01_import.jsonl', eventLines([{ ...original, outputTokens: 70 }]));
    await loadDailyRollup(storageDir, { timeZone: ZONE });
    // Finder's "Duplicate" (or a sync tool) left the file as it was then, under a name that sorts before the original.
    await fs.writeFile(path.join(segmentsDir(storageDir), '2024-05-01_import copy.jsonl'), copyOfThen);

    const warm = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(warm.stats.rebuilt, false);
    assert.deepEqual(
      warm.usage.map((row) => [row.requests, row.tokens.standard.outputTokens]),
      [[1, 70]],
    );
    assert.deepEqual(rowsOf(warm), await fromScratch(storageDir));
  });

  it('adds batches a writer of this process wrote without reading them back, with upserts, as a load from the files would', async () => {
    const day = (d: number, h = 12) => Date.UTC(2024, 4, d, h);
    const original = usage({ id: 'claude-0000000a', t: day(1), outputTokens: 10 });
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([original, accept({ t: day(1) })]));
    await loadDailyRollup(storageDir, { timeZone: ZONE });

    const added: Promise<void>[] = [];
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000, role: 'import', onWritten: (batch) => added.push(addWrittenEvents(storageDir, batch)) });
    writer.append(usage({ t: day(2), model: 'gpt-5', source: 'codex' }));
    writer.append({ ...original, t: day(2), outputTokens: 40 });
    await writer.flush();
    writer.append({ ...original, t: day(3), outputTokens: 70 });
    writer.append(activity({ t: day(3) }));
    await writer.flush();
    await writer.dispose();
    await Promise.all(added);
    assert.equal(added.length, 2);

    const warm = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(warm.stats.bytesRead, 0);
    assert.equal(warm.segments, 2);
    assert.deepEqual(rowsOf(warm), await fromScratch(storageDir));
    assert.equal(await warm.stats.cacheSaved, true);

    // What the state file holds is what a new process starts from.
    forgetRollupStates();
    const restarted = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(restarted.stats.source, 'file');
    assert.equal(restarted.stats.bytesRead, 0);
    assert.deepEqual(rowsOf(restarted), rowsOf(warm));
  });

  it('leaves saving to the next load when asked to, and that load saves what both read', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept(), usage()]));
    const deferred = await loadDailyRollup(storageDir, { timeZone: ZONE, deferSave: true });
    assert.equal(await deferred.stats.cacheSaved, false);
    await assert.rejects(fs.stat(rollupStateFile(storageDir, ZONE)));

    const next = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(next.stats.bytesRead, 0);
    assert.equal(await next.stats.cacheSaved, true);
    forgetRollupStates();
    const restarted = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.deepEqual([restarted.stats.source, restarted.stats.bytesRead], ['file', 0]);
    assert.deepEqual(rowsOf(restarted), await fromScratch(storageDir));
  });

  it('leaves a written batch to the next load when it does not follow what the state has read', async () => {
    const name = '2024-05-01_1_aaaaaaaa.jsonl';
    const filePath = await writeSegment(storageDir, name, eventLines([accept()]));
    await loadDailyRollup(storageDir, { timeZone: ZONE });
    // Another process appended a line the state has not read; this process's batch follows it.
    await appendSegment(storageDir, name, eventLines([activity()]));
    const ours = usage();
    const start = (await fs.stat(filePath)).size;
    await appendSegment(storageDir, name, eventLines([ours]));
    const { dev, ino } = await fs.stat(filePath);
    const batch: WrittenBatch = { filePath, dev, ino, start, events: [ours], lineBytes: [Buffer.byteLength(eventLines([ours]))] };
    await addWrittenEvents(storageDir, batch);

    const next = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.ok(next.stats.bytesRead > 0);
    assert.deepEqual(rowsOf(next), await fromScratch(storageDir));
  });

  it('rebuilds when the time zone changes', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept({ t: Date.UTC(2024, 4, 1, 2) })]));
    await loadDailyRollup(storageDir, { timeZone: ZONE });
    const other = await loadDailyRollup(storageDir, { timeZone: 'America/New_York' });
    assert.equal(other.stats.rebuilt, true);
    assert.deepEqual(other.inline.map((row) => row.date), ['2024-04-30']);
    assert.deepEqual(rowsOf(other), await fromScratch(storageDir, 'America/New_York'));
  });

  it('keeps a state file per time zone, so loads in two zones take turns without rebuilding, and keeps three', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept({ t: Date.UTC(2024, 4, 1, 2) })]));
    const load = async (timeZone: string) => {
      forgetRollupStates();
      const result = await loadDailyRollup(storageDir, { timeZone });
      await result.stats.cacheSaved;
      // Apart in time, so that which file was saved longest ago does not depend on the file system's clock resolution.
      await new Promise((resolve) => setTimeout(resolve, 20));
      return result.stats.source;
    };
    assert.equal(await load(ZONE), 'rebuild');
    assert.equal(await load('UTC'), 'rebuild');
    // The editor's zone and the one a script passes with --tz: each starts from its own file.
    assert.equal(await load(ZONE), 'file');
    assert.equal(await load('UTC'), 'file');
    assert.equal(await load('Asia/Kathmandu'), 'rebuild');
    // A fourth zone: the file saved longest ago goes.
    assert.equal(await load('America/St_Johns'), 'rebuild');
    assert.deepEqual((await fs.readdir(rollupCacheDir(storageDir))).filter((name) => name.endsWith('.cache')).sort(), [
      path.basename(rollupStateFile(storageDir, 'America/St_Johns')),
      path.basename(rollupStateFile(storageDir, 'Asia/Kathmandu')),
      path.basename(rollupStateFile(storageDir, 'UTC')),
    ].sort());
  });

  it('rebuilds when the state file was written by another rollup schema version', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept()]));
    await (await loadDailyRollup(storageDir, { timeZone: ZONE })).stats.cacheSaved;
    forgetRollupStates();
    await editStateHeader(rollupStateFile(storageDir, ZONE), (header) => {
      header.rollupSchemaVersion = 0;
    });
    const result = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(result.stats.rebuilt, true);
    assert.deepEqual(rowsOf(result), await fromScratch(storageDir));
  });

  it('reads again the lines a version accepting other events counted as invalid (an older editor beside a newer CLI)', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept()]));
    await (await loadDailyRollup(storageDir, { timeZone: ZONE })).stats.cacheSaved;
    forgetRollupStates();
    // What a version that does not know `kiro` saves after reading this line: read past, counted as invalid, not in the rows.
    const kiroLine = eventLines([usage({ source: 'kiro', model: 'other', tokensKnown: false, inputTokens: 0, outputTokens: 0 })]);
    await appendSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', kiroLine);
    await editStateHeader(rollupStateFile(storageDir, ZONE), (header) => {
      header.acceptedEvents = 'an older reader';
      header.segments[0].offset += Buffer.byteLength(kiroLine);
      header.segments[0].invalidLines = 1;
    });

    const result = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(result.stats.rebuilt, true);
    assert.equal(result.invalidLines, 0);
    assert.deepEqual(result.usage.map((row) => [row.source, row.requests]), [['kiro', 1]]);
    assert.deepEqual(rowsOf(result), await fromScratch(storageDir));
  });

  it('tells apart event schemas that differ only in a record\'s keys or a bound, which readers of two versions disagree on', () => {
    const described = (classes: [string, ...string[]], maxModel: number) =>
      JSON.stringify(schemaDescription(z.object({ otherEdits: z.partialRecord(z.enum(classes), z.number()), model: z.string().max(maxModel) })));
    assert.equal(described(['paste', 'undo'], 128), described(['paste', 'undo'], 128));
    assert.notEqual(described(['paste', 'undo'], 128), described(['paste', 'undo', 'format'], 128));
    assert.notEqual(described(['paste', 'undo'], 128), described(['paste', 'undo'], 256));
  });

  it('starts from the state file in a new process and reads only new bytes', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept(), usage({ id: 'record-00000001' })]));
    await (await loadDailyRollup(storageDir, { timeZone: ZONE })).stats.cacheSaved;
    forgetRollupStates();
    const appended = eventLines([usage({ id: 'record-00000001', outputTokens: 3 })]);
    await appendSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', appended);
    const result = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(result.stats.source, 'file');
    assert.equal(result.stats.bytesRead, Buffer.byteLength(appended));
    assert.equal(result.usage[0].requests, 1);
    assert.deepEqual(rowsOf(result), await fromScratch(storageDir));
  });

  it('rebuilds from a damaged state file', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept(), usage()]));
    await (await loadDailyRollup(storageDir, { timeZone: ZONE })).stats.cacheSaved;
    forgetRollupStates();
    const statePath = rollupStateFile(storageDir, ZONE);
    const data = await fs.readFile(statePath);
    data[data.length - 20] ^= 0xff;
    await fs.writeFile(statePath, data);
    const result = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(result.stats.rebuilt, true);
    assert.deepEqual(rowsOf(result), await fromScratch(storageDir));
  });

  it('rebuilds when a segment shrank or was replaced (compaction)', async () => {
    const filePath = await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept(), accept(), accept()]));
    await loadDailyRollup(storageDir, { timeZone: ZONE });
    await fs.rm(filePath);
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept()]));
    const result = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(result.stats.rebuilt, true);
    assert.equal(result.inline[0].acceptances.full, 1);
  });

  it('counts an unterminated last line as torn without consuming it, and adds it once completed', async () => {
    const complete = JSON.stringify(accept({ chars: 7 }));
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept({ chars: 3 })]) + complete.slice(0, 25));
    const first = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(first.tornLines, 1);
    assert.equal(first.inline[0].acceptedChars, 3);

    await appendSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', `${complete.slice(25)}\n`);
    const second = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(second.stats.rebuilt, false);
    assert.equal(second.tornLines, 0);
    assert.equal(second.inline[0].acceptedChars, 10);
  });

  it('keeps counting invalid and torn lines it read in earlier loads', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', `${eventLines([accept()])}{"v":9}\n{"torn\n`);
    const first = await loadDailyRollup(storageDir, { timeZone: ZONE });
    const second = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(second.stats.bytesRead, 0);
    for (const result of [first, second]) {
      assert.equal(result.invalidLines, 1);
      assert.equal(result.tornLines, 1);
    }
  });

  it('still returns correct rows when the cache cannot be saved', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept(), usage()]));
    await fs.mkdir(path.dirname(rollupCacheDir(storageDir)), { recursive: true });
    await fs.writeFile(rollupCacheDir(storageDir), 'a file where the cache folder should be');
    const result = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(await result.stats.cacheSaved, false);
    assert.deepEqual(rowsOf(result), await fromScratch(storageDir));
  });

  it('gives the same rows to concurrent loads in one process', async () => {
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept(), usage(), activity()]));
    const [a, b] = await Promise.all([
      loadDailyRollup(storageDir, { timeZone: ZONE }),
      loadDailyRollup(storageDir, { timeZone: ZONE }),
    ]);
    assert.deepEqual(rowsOf(a), rowsOf(b));
    assert.equal(b.stats.bytesRead, 0, 'the second load reuses the first one\'s work');
  });

  it('leaves the newest state in the state file when loads follow each other before their saves end', async () => {
    const name = '2024-05-01_1_aaaaaaaa.jsonl';
    await writeSegment(storageDir, name, eventLines([accept(), usage()]));
    const first = await loadDailyRollup(storageDir, { timeZone: ZONE });
    await appendSegment(storageDir, name, eventLines([activity()]));
    const second = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.deepEqual(await Promise.all([first.stats.cacheSaved, second.stats.cacheSaved]), [true, true]);
    forgetRollupStates();
    const next = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.deepEqual([next.stats.source, next.stats.bytesRead], ['file', 0]);
    assert.deepEqual(rowsOf(next), await fromScratch(storageDir));
  });

  it('matches a from-scratch rollup over many random appends and upserts', async () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const ids = Array.from({ length: 30 }, (_, i) => `upsert-${String(i).padStart(8, '0')}`);
    const names = ['2024-05-01_1_aaaaaaaa.jsonl', '2024-05-01_2_bbbbbbbb.jsonl', '2024-05-02_1_aaaaaaaa.jsonl'];
    await fs.mkdir(segmentsDir(storageDir), { recursive: true });
    for (let round = 0; round < 12; round++) {
      // Each round writes only to the newest segment so far: write order matches ledger order.
      const name = names[Math.min(Math.floor(round / 4), names.length - 1)];
      const events = Array.from({ length: 20 }, () => {
        const t = Date.UTC(2024, 4, 1) + Math.floor(random() * 3 * 86_400_000);
        const pick = random();
        if (pick < 0.3) return accept({ t, mode: random() < 0.5 ? 'full' : 'word', chars: Math.floor(random() * 90) });
        if (pick < 0.5) return retention({ acceptedAt: t, arc: Math.floor(random() * 100) });
        if (pick < 0.6) return activity({ t });
        return usage({ t, id: ids[Math.floor(random() * ids.length)], inputTokens: Math.floor(random() * 300_000) });
      });
      await appendSegment(storageDir, name, eventLines(events));
      // Odd rounds start from the state file, as a new window would.
      if (round % 2 === 1) forgetRollupStates();
      const loaded = await loadDailyRollup(storageDir, { timeZone: ZONE });
      assert.equal(loaded.stats.rebuilt, round === 0);
      assert.deepEqual(rowsOf(loaded), await fromScratch(storageDir), `round ${round}`);
      // What a window that ends now leaves for the next one.
      await loaded.stats.cacheSaved;
    }
  });
});
