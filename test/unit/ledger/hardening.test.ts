// Issue #7's ledger defects, each reproduced the way a user meets it: through the command-line tool
// run as a process, or through the reader, writer and rollup cache the editor uses.
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { promises as fs, readlinkSync } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { ReportJson } from '../../../src/report/reportJson';
import { compactLedger } from '../../../src/ledger/compaction';
import type { LedgerEvent } from '../../../src/ledger/events';
import { readLedger } from '../../../src/ledger/reader';
import { forgetRollupStates, IdentityIndex, loadDailyRollup } from '../../../src/report/rollupCache';
import { segmentsDir } from '../../../src/ledger/segments';
import { LedgerWriter } from '../../../src/ledger/writer';
import { rollupDaily } from '../../../src/report/rollup';
import { runAssay } from '../cli/cliRunner';
import { accept, activity, appendSegment, eventLines, retention, segmentFiles, tempStorage, usage, writeSegment } from './ledgerFixtures';

const timeZone = 'UTC';

async function report(storageDir: string, home: string): Promise<{ status: number; report: ReportJson; stderr: string }> {
  const result = await runAssay(['report', 'daily', '--json', '--no-import', '--storage', storageDir, '--tz', timeZone], home);
  return { status: result.status, report: result.status === 0 ? (JSON.parse(result.stdout) as ReportJson) : (undefined as never), stderr: result.stderr };
}

async function fromScratch(storageDir: string) {
  return rollupDaily((await readLedger(storageDir)).events, { timeZone });
}

/** Every file and folder under `root`, with its permission bits. */
async function modes(root: string): Promise<Array<{ entry: string; mode: number; folder: boolean }>> {
  const found: Array<{ entry: string; mode: number; folder: boolean }> = [];
  for (const entry of await fs.readdir(root, { recursive: true })) {
    const stat = await fs.lstat(path.join(root, entry));
    found.push({ entry, mode: stat.mode & 0o777, folder: stat.isDirectory() });
  }
  return found;
}

describe('ledger hardening (issue #7)', function () {
  this.timeout(60_000);
  let home: string;
  let storageDir: string;

  beforeEach(async () => {
    home = await tempStorage();
    storageDir = await tempStorage();
    forgetRollupStates();
  });

  it('skips a folder, a FIFO and a symlink loop named like segments: reports, reads and rollups go on and say so', async () => {
    const events = [accept({ chars: 7 }), usage({ inputTokens: 123 })];
    await writeSegment(storageDir, '2024-05-01_1_aaaaaaaa.jsonl', eventLines(events));
    const directory = segmentsDir(storageDir);
    await fs.mkdir(path.join(directory, '2024-05-02_folder.jsonl'));
    execFileSync('mkfifo', [path.join(directory, '2024-05-03_fifo.jsonl')]);
    await fs.symlink('2024-05-04_loop_b.jsonl', path.join(directory, '2024-05-04_loop_a.jsonl'));
    await fs.symlink('2024-05-04_loop_a.jsonl', path.join(directory, '2024-05-04_loop_b.jsonl'));

    const read = await readLedger(storageDir);
    assert.equal(read.events.length, 2);
    assert.equal(read.unreadableSegments, 4);
    const rollup = await loadDailyRollup(storageDir, { timeZone });
    assert.equal(rollup.unreadableSegments, 4);
    assert.equal(rollup.usage[0].tokens.standard.inputTokens, 123);

    const { status, report: json, stderr } = await report(storageDir, home);
    assert.equal(status, 0, stderr);
    assert.equal(json.totals.usage.inputTokens, 123);
    assert.equal(json.totals.inline.aiChars, 7);
    assert.match(stderr, /4 entries of the ledger's segments folder \(or the folder itself\) could not be read as segment files and were skipped/);
  });

  it('warns when a file stands where the segments folder should be, instead of reporting an empty ledger', async () => {
    await fs.mkdir(path.dirname(segmentsDir(storageDir)), { recursive: true });
    await fs.writeFile(segmentsDir(storageDir), 'not a folder');
    const { status, report: json, stderr } = await report(storageDir, home);
    assert.equal(status, 0, stderr);
    assert.equal(json.totals.usage.inputTokens, 0);
    assert.match(stderr, /1 entry of the ledger's segments folder \(or the folder itself\) could not be read as segment files and was skipped/);
  });

  it('fsyncs a segment before its flush resolves, so an import marks nothing read that a power loss could take', async () => {
    const synced: string[] = [];
    const probe = await fs.open(path.join(storageDir, 'probe'), 'w');
    const prototype = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
    await probe.close();
    const original = prototype.sync;
    prototype.sync = function (this: { fd: number }) {
      synced.push(readlinkSync(`/proc/self/fd/${this.fd}`));
      return original.call(this);
    };
    try {
      const writer = new LedgerWriter({ storageDir });
      writer.append(accept());
      await writer.flush();
      const [segment] = await segmentFiles(storageDir);
      assert.ok(synced.includes(path.join(segmentsDir(storageDir), segment)), `synced: ${synced.join(', ')}`);
      await writer.dispose();
    } finally {
      prototype.sync = original;
    }
  });

  it('writes every file 0600 and every folder 0700: segments, rollup cache, import state', async () => {
    const writer = new LedgerWriter({ storageDir });
    writer.append(accept());
    await writer.dispose();
    const importWriter = new LedgerWriter({ storageDir, role: 'import' });
    importWriter.append(usage());
    await importWriter.dispose();
    const loaded = await loadDailyRollup(storageDir, { timeZone });
    assert.equal(await loaded.stats.cacheSaved, true);
    const found = await modes(path.join(storageDir, 'ledger'));
    assert.ok(found.some((entry) => !entry.folder) && found.some((entry) => entry.folder));
    for (const entry of found) assert.equal(entry.mode, entry.folder ? 0o700 : 0o600, entry.entry);
  });

  it('appends every import run of a day to one segment instead of a file per run', async () => {
    for (let run = 0; run < 5; run++) {
      const writer = new LedgerWriter({ storageDir, role: 'import' });
      writer.append(usage());
      await writer.dispose();
    }
    assert.equal((await segmentFiles(storageDir)).length, 1);
    assert.equal((await readLedger(storageDir)).events.length, 5);
  });

  it('compacts settled segments into one per month without losing, doubling or reordering an event', async () => {
    const day = (month: number, d: number) => Date.UTC(2024, month, d, 12);
    const upserted = usage({ t: day(4, 2), outputTokens: 1 });
    let events: LedgerEvent[] = [];
    for (let d = 1; d <= 28; d++) {
      const dayEvents = [accept({ t: day(4, d) }), activity({ t: day(4, d) }), retention({ acceptedAt: day(4, d) }), usage({ t: day(4, d) })];
      await writeSegment(storageDir, `2024-05-${String(d).padStart(2, '0')}_00000001_1_aaaaaaaa.jsonl`, eventLines(dayEvents));
      events = events.concat(dayEvents);
    }
    // An upsert rewritten on a later day, a torn line, and an invalid line that must stay counted.
    await appendSegment(storageDir, '2024-05-02_00000001_1_aaaaaaaa.jsonl', eventLines([upserted]));
    await appendSegment(storageDir, '2024-05-20_00000001_1_aaaaaaaa.jsonl', `${eventLines([{ ...upserted, outputTokens: 99 }])}{"v":1,"kind":"accept"}\n{"torn`);
    await writeSegment(storageDir, '2024-06-01_00000001_1_aaaaaaaa.jsonl', eventLines([accept({ t: day(5, 1) })]));
    const before = await fromScratch(storageDir);
    const beforeRead = await readLedger(storageDir);

    const result = await compactLedger(storageDir, { now: () => day(5, 20), afterSegments: 10 });
    assert.equal(result.status, 'done');
    assert.deepEqual(await segmentFiles(storageDir), [
      (await segmentFiles(storageDir)).find((name) => name.startsWith('2024-05-01_00000000_merged-')),
      '2024-06-01_00000001_1_aaaaaaaa.jsonl',
    ]);
    assert.deepEqual(await fromScratch(storageDir), before);
    const afterRead = await readLedger(storageDir);
    assert.equal(afterRead.events.length, beforeRead.events.length);
    assert.equal(afterRead.invalidLines, 1);
    const usageTotal = (await loadDailyRollup(storageDir, { timeZone })).usage.find((row) => row.date === '2024-05-02');
    assert.equal(usageTotal?.tokens.standard.outputTokens, 500 + 99);
  });

  it('a compaction stopped after writing its merged file, with some sources left, still counts every event once', async () => {
    const day = (d: number) => Date.UTC(2024, 4, d, 12);
    const upserted = usage({ t: day(1), outputTokens: 1 });
    await writeSegment(storageDir, '2024-05-01_00000001_1_aaaaaaaa.jsonl', eventLines([accept({ t: day(1) }), upserted]));
    await writeSegment(storageDir, '2024-05-05_00000001_1_aaaaaaaa.jsonl', eventLines([accept({ t: day(5) }), { ...upserted, outputTokens: 7 }]));
    await writeSegment(storageDir, '2024-05-09_00000001_1_aaaaaaaa.jsonl', eventLines([activity({ t: day(9) })]));
    const before = await fromScratch(storageDir);
    const copies = await Promise.all(
      (await segmentFiles(storageDir)).map(async (name) => [name, await fs.readFile(path.join(segmentsDir(storageDir), name))] as const),
    );
    await compactLedger(storageDir, { now: () => day(30), afterSegments: 0 });
    // Put back the sources a crash would have left: the later ones, as removal goes in ledger order.
    for (const [name, content] of copies.slice(1)) await fs.writeFile(path.join(segmentsDir(storageDir), name), content);
    assert.deepEqual(await fromScratch(storageDir), before);
    assert.deepEqual(await loadDailyRollup(storageDir, { timeZone }).then(({ inline, usage: rows }) => ({ inline, usage: rows })), before);
  });

  it('a compaction killed before it removed any source counts activity lines older than activity ids once, and the next one finishes it', async () => {
    const day = (d: number) => Date.UTC(2024, 4, d, 12);
    const { id: _written, ...legacy } = activity({ t: day(1), typedChars: 200 });
    await writeSegment(storageDir, '2024-05-01_00000001_1_aaaaaaaa.jsonl', `${eventLines([legacy, accept({ t: day(1) })])}{"v":99,"kind":"future"}\n`);
    await writeSegment(storageDir, '2024-05-02_00000001_1_bbbbbbbb.jsonl', eventLines([activity({ t: day(2), typedChars: 50 })]));
    const before = await fromScratch(storageDir);
    const sources = await segmentFiles(storageDir);
    const removeFile = nodeFs.promises.rm;
    nodeFs.promises.rm = async (target, options) => {
      if (String(target).endsWith('.jsonl')) throw new Error('killed');
      return removeFile(target, options);
    };
    try {
      await assert.rejects(compactLedger(storageDir, { now: () => day(30), afterSegments: 0 }), /killed/);
    } finally {
      nodeFs.promises.rm = removeFile;
    }
    assert.equal((await segmentFiles(storageDir)).filter((name) => sources.includes(name)).length, 2, 'the sources are still there');
    assert.deepEqual(await fromScratch(storageDir), before);
    assert.equal((await readLedger(storageDir)).invalidLines, 1);
    assert.deepEqual(await loadDailyRollup(storageDir, { timeZone }).then(({ inline, usage: rows }) => ({ inline, usage: rows })), before);

    await compactLedger(storageDir, { now: () => day(31), afterSegments: 0 });
    const left = await segmentFiles(storageDir);
    assert.equal(left.length, 1);
    assert.match(left[0], /^2024-05-01_00000000_merged-\d{15}\.jsonl$/);
    assert.deepEqual(await fromScratch(storageDir), before);
  });

  it('leaves a ledger with few settled segments alone (each compaction costs the dashboard a rollup rebuild)', async () => {
    for (let d = 1; d <= 5; d++) await writeSegment(storageDir, `2024-05-0${d}_00000001_1_aaaaaaaa.jsonl`, eventLines([accept()]));
    const result = await compactLedger(storageDir, { now: () => Date.UTC(2024, 5, 30) });
    assert.equal(result.merged, 0);
    assert.equal((await segmentFiles(storageDir)).length, 5);
  });

  it('keeps exact locations past 2^17 segments and 64 GiB offsets in the rollup identity index', () => {
    const index = new IdentityIndex();
    index.swap(1, 2 ** 20, 2 ** 40 + 3);
    const decoded = IdentityIndex.decode(index.encode());
    assert.deepEqual(decoded.swap(1, 0, 0), { segment: 2 ** 20, offset: 2 ** 40 + 3 });
  });

  it('keeps the latest location of every identity across saves: saved ones, moved ones and new ones', () => {
    let index = new IdentityIndex();
    const latest = new Map<number, number>();
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 500; i++) {
        const hash = (i * 7919 + round * 104_729) % 1_000 + 0.5;
        const previous = index.swap(hash, round, i);
        assert.equal(previous?.offset, latest.get(hash));
        latest.set(hash, i);
      }
      index = IdentityIndex.decode(index.encode());
    }
    for (const [hash, offset] of latest) assert.equal(index.swap(hash, 9, 9)?.offset, offset);
  });

  it('counts a replaced usage event once even when its line is longer than 16 KB', async () => {
    const long = { ...usage({ outputTokens: 10 }), padding: 'x'.repeat(40_000) };
    await writeSegment(storageDir, '2024-05-01_00000001_1_aaaaaaaa.jsonl', `${JSON.stringify(long)}\n`);
    assert.equal((await loadDailyRollup(storageDir, { timeZone })).usage[0].tokens.standard.outputTokens, 10);
    await writeSegment(storageDir, '2024-05-02_00000001_1_aaaaaaaa.jsonl', eventLines([{ ...usage(), id: long.id, outputTokens: 30 }]));
    assert.equal((await loadDailyRollup(storageDir, { timeZone })).usage[0].tokens.standard.outputTokens, 30);
    forgetRollupStates();
    await writeSegment(storageDir, '2024-05-03_00000001_1_aaaaaaaa.jsonl', eventLines([{ ...usage(), id: long.id, outputTokens: 50 }]));
    const rows = (await loadDailyRollup(storageDir, { timeZone })).usage;
    assert.deepEqual(rows.map((row) => row.tokens.standard.outputTokens), [50]);
  });

  it('counts a copied segment (what sync tools leave) once: accepts, typing, retention and usage', async () => {
    const content = eventLines([accept({ chars: 11 }), activity({ typedChars: 300 }), retention({ chars: 11, arc: 5 }), usage({ inputTokens: 77 })]);
    await writeSegment(storageDir, '2024-05-01_00000001_1_aaaaaaaa.jsonl', content);
    const single = await report(storageDir, home);
    await writeSegment(storageDir, '2024-05-01_00000001_1_aaaaaaaa (1).jsonl', content);
    forgetRollupStates();
    const copied = await report(storageDir, home);
    assert.equal(copied.status, 0, copied.stderr);
    assert.deepEqual(copied.report, single.report);
    assert.equal(copied.report.totals.inline.typedChars, 300);
    // The rollup cache, kept up to date incrementally, agrees after the copy arrives too.
    await writeSegment(storageDir, '2024-05-01_00000001_1_aaaaaaaa (2).jsonl', content);
    const { inline, usage: rows } = await loadDailyRollup(storageDir, { timeZone });
    assert.deepEqual({ inline, usage: rows }, await fromScratch(storageDir));
    assert.equal(inline[0].aiChars, 11);
  });

  it('ends quietly when the reader of its output goes away (assay report daily | head -1)', async () => {
    const events: LedgerEvent[] = [];
    for (let d = 0; d < 3000; d++) events.push(usage({ t: Date.UTC(2020, 0, 1) + d * 86_400_000 }));
    await writeSegment(storageDir, '2020-01-01_00000001_1_aaaaaaaa.jsonl', eventLines(events));
    const cli = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');
    const script = `"${process.execPath}" "${cli}" report daily --no-import --storage "${storageDir}" --tz UTC | head -1; echo "status=\${PIPESTATUS[0]}" >&2`;
    const { stdout, stderr } = await promisify(execFile)('bash', ['-c', script], { env: { ...process.env, HOME: home } });
    assert.equal(stdout.split('\n').filter(Boolean).length, 1);
    assert.equal(stderr.trim(), 'status=0');
  });

  it('prints no stack trace and no path for an expected error', async () => {
    const result = await runAssay(['report', 'daily', '--no-import', '--storage', path.join(storageDir, 'no-such-user-folder')], home);
    assert.equal(result.status, 1);
    assert.doesNotMatch(result.stderr, /no-such-user-folder|\n\s+at /);
  });
});
