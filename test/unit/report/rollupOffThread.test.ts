// The editor's rollup loads: rebuilds happen in a worker thread, and the extension host's own
// thread only reads the state file the worker saved and what was appended since.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { compactLedger } from '../../../src/ledger/compaction';
import { readLedger } from '../../../src/ledger/reader';
import { forgetRollupStates, loadDailyRollup, RebuildNeededError } from '../../../src/report/rollupCache';
import { rollupLoaderOffThread } from '../../../src/report/rollupOffThread';
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
});
