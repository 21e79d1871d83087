// Many editor windows on one ledger (issue #7): four writer processes, an import loop and a rollup
// loop share one storage folder; the result must be what one writer would have produced.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runImport } from '../../src/importers/runImport';
import { forgetRollupStates, loadDailyRollup } from '../../src/report/rollupCache';
import { segmentsDir } from '../../src/ledger/segments';
import { LedgerWriter } from '../../src/ledger/writer';
import {
  Child,
  claudeImportOptions,
  dailyReport,
  duplicatedKeys,
  eventKey,
  fromScratch,
  laneEvent,
  ledgerKeyCounts,
  rowsOf,
  stopChildren,
  tempDir,
  TIME_ZONE,
} from './faultKit';

const LANES = [1, 2, 3, 4];
const EVENTS_PER_WINDOW = 25_000;
const MESSAGES = 3_000;

describe('fault: many windows on one ledger', () => {
  afterEach(stopChildren);
  it('keeps every event of 4 concurrent writers exactly once while imports and rollup loads run, and reports what one writer would', async () => {
    const storageDir = tempDir('fault-windows');
    const projectsDir = path.join(tempDir('fault-windows-logs'), 'projects');
    const started = Date.now();

    const importer = new Child({ mode: 'import-loop', storageDir, projectsDir, messages: MESSAGES, rounds: 12 });
    const rollups = new Child({ mode: 'rollup-loop', storageDir });
    const windows = LANES.map((lane) => new Child({ mode: 'window', storageDir, lane, from: 0, count: EVENTS_PER_WINDOW, batch: 100 }));
    await Promise.all(windows.map((window) => window.finished()));
    importer.process.send('stop');
    rollups.process.send('stop');
    await Promise.all([importer.finished(), rollups.finished()]);
    const writtenMs = Date.now() - started;

    const { counts, events } = await ledgerKeyCounts(storageDir);
    assert.deepEqual(duplicatedKeys(counts).slice(0, 10), [], 'events written twice');
    const missing: string[] = [];
    for (const lane of LANES) {
      for (let i = 0; i < EVENTS_PER_WINDOW; i++) if (!counts.has(eventKey(laneEvent(lane, i)))) missing.push(eventKey(laneEvent(lane, i)));
    }
    assert.deepEqual(missing.slice(0, 10), [], `${missing.length} events lost`);
    const imported = events.filter((event) => event.kind === 'usage' && event.source === 'claude-code');
    assert.equal(imported.length, MESSAGES, 'imported responses');

    // What the rollup loop left in the cache file must equal a rollup of the whole ledger.
    forgetRollupStates();
    const cached = await loadDailyRollup(storageDir, { timeZone: TIME_ZONE });
    assert.deepEqual(rowsOf(cached), await fromScratch(storageDir));

    const referenceDir = tempDir('fault-windows-reference');
    const writer = new LedgerWriter({ storageDir: referenceDir });
    for (const lane of LANES) for (let i = 0; i < EVENTS_PER_WINDOW; i++) writer.append(laneEvent(lane, i));
    await writer.dispose();
    assert.equal((await runImport(await claudeImportOptions(referenceDir, [projectsDir]))).status, 'done');

    const [many, one] = await Promise.all([dailyReport(storageDir), dailyReport(referenceDir)]);
    assert.equal(many.status, 0, many.stderr);
    assert.equal(one.status, 0, one.stderr);
    assert.equal(many.stderr, '');
    assert.deepEqual(JSON.parse(many.stdout), JSON.parse(one.stdout));
    assert.ok((JSON.parse(one.stdout) as { rows: unknown[] }).rows.length > 0);

    console.log(
      `      ${LANES.length} windows x ${EVENTS_PER_WINDOW} events + ${MESSAGES} imported responses in ${writtenMs} ms; ` +
        `${importer.lines.at(-1)}, rollup ${rollups.lines.at(-1)}, ${fs.readdirSync(segmentsDir(storageDir)).length} files in segments/, cache load from ${cached.stats.source}`,
    );
  });
});
