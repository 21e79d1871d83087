// The editor's rollup loads: rebuilds happen in a worker thread, and the extension host's own
// thread only reads the state file the worker saved and what was appended since.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { compactLedger } from '../../../src/ledger/compaction';
import { readLedger } from '../../../src/ledger/reader';
import { forgetRollupStates, loadDailyRollup, RebuildNeededError } from '../../../src/report/rollupCache';
import { loadRecentRollup, type RecentRollup } from '../../../src/report/recentRollup';
import { rollupLoaderOffThread } from '../../../src/report/rollupOffThread';
import { lastEventDayOfSegment, mergedSegmentName } from '../../../src/ledger/segments';
import { rollupDaily } from '../../../src/report/rollup';
import { accept, activity, eventLines, tempStorage, usage, writeSegment } from '../ledger/ledgerFixtures';

const WORKER = path.join(__dirname, '..', '..', '..', 'src', 'report', 'rollupWorker.js');
const timeZone = 'UTC';

describe('rollup loads off the extension host thread', function () {
  this.timeout(30_000);
  let storageDir: string;

  beforeEach(async () => {
    storageDir = await tempStorage();
    forgetRollupStates();
    for (let d = 1; d <= 9; d++) {
      const t = Date.UTC(2024, 4, d, 12);
      await writeSegment(storageDir, `2024-05-0${d}_00000001_1_aaaaaaaa.jsonl`, eventLines([accept({ t }), activity({ t }), usage({ t })]));
    }
  });

  it('refuses to rebuild on the calling thread when asked not to', async () => {
    await assert.rejects(loadDailyRollup(storageDir, { timeZone, rebuild: false }), RebuildNeededError);
  });

  it('rebuilds in the worker and loads the saved state here: the same rows as a rebuild from scratch', async () => {
    const load = rollupLoaderOffThread(WORKER);
    const loaded = await load(storageDir, { timeZone });
    assert.equal(loaded.stats.source, 'file');
    assert.equal(loaded.stats.rebuilt, false);
    const expected = rollupDaily((await readLedger(storageDir)).events, { timeZone });
    assert.deepEqual({ inline: loaded.inline, usage: loaded.usage }, expected);
  });

  it('goes back to the worker when a compaction made the state stale', async () => {
    const load = rollupLoaderOffThread(WORKER);
    await load(storageDir, { timeZone });
    await compactLedger(storageDir, { now: () => Date.UTC(2024, 6, 1), afterSegments: 0 });
    const loaded = await load(storageDir, { timeZone });
    assert.equal(loaded.stats.rebuilt, false);
    assert.equal(loaded.segments, 1);
    assert.deepEqual({ inline: loaded.inline, usage: loaded.usage }, rollupDaily((await readLedger(storageDir)).events, { timeZone }));
  });

  it('hands over the recent days first when it must rebuild, the same rows as the full rollup has for them', async () => {
    // An import segment written on May 9 holding a response of May 2 is old data in a new file: it must be read.
    await writeSegment(storageDir, '2024-05-09_import.jsonl', eventLines([usage({ t: Date.UTC(2024, 4, 2, 9), id: 'late' })]));
    await compactLedger(storageDir, { now: () => Date.UTC(2024, 4, 30), afterSegments: 0 });
    await writeSegment(storageDir, '2024-05-10_00000001_1_bbbbbbbb.jsonl', eventLines([accept({ t: Date.UTC(2024, 4, 10, 8) })]));
    const load = rollupLoaderOffThread(WORKER);
    const firsts: RecentRollup[] = [];
    const loaded = await load(storageDir, { timeZone, recentFirst: { since: '2024-05-08', onRows: (rows) => firsts.push(rows) } });
    assert.equal(firsts.length, 1, 'one first look, before the full rows');
    const [first] = firsts;
    assert.deepEqual(first.inline, loaded.inline.filter((row) => row.date >= '2024-05-08'));
    assert.deepEqual(first.usage, loaded.usage.filter((row) => row.date >= '2024-05-08'));
    assert.ok(first.inline.some((row) => row.date === '2024-05-10'), 'the newest segment is read');
    assert.ok(loaded.usage.some((row) => row.date === '2024-05-02'), 'the full rows still hold what the first look left out');

    const again: RecentRollup[] = [];
    await load(storageDir, { timeZone, recentFirst: { since: '2024-05-08', onRows: (rows) => again.push(rows) } });
    assert.equal(again.length, 0, 'no first look when nothing has to be rebuilt');
  });

  it('reads only the segments that can hold the recent days', async () => {
    await compactLedger(storageDir, { now: () => Date.UTC(2024, 5, 30), afterSegments: 0 });
    await writeSegment(storageDir, '2024-06-20_00000001_1_cccccccc.jsonl', eventLines([accept({ t: Date.UTC(2024, 5, 20, 8) })]));
    const recent = await loadRecentRollup(storageDir, timeZone, '2024-06-19');
    assert.deepEqual(recent.inline.map((row) => row.date), ['2024-06-20']);
    assert.equal(recent.segmentsRead, 1, 'the merged month of May cannot hold June 19 and is not opened');
    assert.equal(lastEventDayOfSegment(mergedSegmentName('2024-05', Date.UTC(2024, 5, 30))), '2024-06-01', 'a merged month reaches its last day');
    assert.equal(lastEventDayOfSegment('2024-06-20_import.jsonl'), '2024-06-21', 'records may be dated a day ahead');
    assert.equal(lastEventDayOfSegment('notes.jsonl'), undefined);
  });

  it('reads a segment whose name starts with no real day (a stray 2024-99-99 file) instead of failing the first look', async () => {
    await writeSegment(storageDir, '2024-99-99_00000001_1_dddddddd.jsonl', eventLines([accept({ t: Date.UTC(2024, 5, 20, 8) })]));
    const recent = await loadRecentRollup(storageDir, timeZone, '2024-06-19');
    assert.deepEqual(recent.inline.map((row) => row.date), ['2024-06-20']);
  });

  it('does not log the ordinary case, a state made stale by a compaction', async () => {
    const logged: string[] = [];
    const load = rollupLoaderOffThread(WORKER, (message) => logged.push(message));
    await load(storageDir, { timeZone });
    await compactLedger(storageDir, { now: () => Date.UTC(2024, 6, 1), afterSegments: 0 });
    await load(storageDir, { timeZone });
    assert.deepEqual(logged, []);
  });
});
