import * as assert from 'node:assert/strict';
import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { eventKey } from '../../../src/ledger/dedupe';
import { readLedger } from '../../../src/ledger/reader';
import { ledgerDir, segmentsDir } from '../../../src/ledger/segments';
import { LedgerWriter, type WrittenBatch } from '../../../src/ledger/writer';
import type { LedgerEvent } from '../../../src/ledger/events';
import { accept, activity, segmentFiles, tempStorage, usage } from './ledgerFixtures';
import { failFolderSyncs, recordDurability } from '../privacy/durabilitySpy';

const SEGMENT_NAME = /^\d{4}-\d{2}-\d{2}_\d{8}_(\d+)_[0-9a-f]{8}\.jsonl$/;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition` holds, up to `timeoutMs`: timers fire late on a loaded machine, so no fixed wait. */
async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition()) && Date.now() < deadline) await sleep(10);
}

/**
 * Makes the next segment file opened fail its write as a full disk does (as the fault suite's injectDiskFull: half of
 * the bytes reach the file, then ENOSPC), once the test calls `release`; until then the write waits, as one does in
 * the thread pool. A stub because a full disk needs mount rights the tests do not have; only that one handle's `write`
 * is replaced, so the writer's open, stat, truncate and retry are real.
 */
function stallThenFailNextSegmentWrite(directory: string): { started: Promise<void>; release(): void; restore(): void } {
  const open = fs.open;
  let started!: () => void;
  let release!: () => void;
  const reached = new Promise<void>((resolve) => (started = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  fs.open = async (...args: Parameters<typeof open>) => {
    const handle = await open(...args);
    if (!String(args[0]).startsWith(directory)) return handle;
    fs.open = open;
    const write = handle.write.bind(handle) as (buffer: Buffer, offset?: number, length?: number) => Promise<{ bytesWritten: number; buffer: Buffer }>;
    (handle as unknown as { write: typeof write }).write = async (buffer: Buffer, offset = 0) => {
      started();
      await released;
      await write(buffer, offset, Math.floor((buffer.length - offset) / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    };
    return handle;
  };
  return { started: reached, release, restore: () => (fs.open = open) };
}

/**
 * Appends `inFlight` and flushes; while that write waits in the thread pool, appends `atDeactivate` and calls
 * flushSync, as deactivate does while the timer's flush is still writing; then the write fails (full disk).
 */
async function flushSyncDuringFailingWrite(writer: LedgerWriter, storageDir: string, inFlight: LedgerEvent[], atDeactivate: LedgerEvent[]): Promise<void> {
  const fault = stallThenFailNextSegmentWrite(segmentsDir(storageDir));
  try {
    for (const event of inFlight) writer.append(event);
    const flushing = writer.flush();
    await fault.started;
    for (const event of atDeactivate) writer.append(event);
    writer.flushSync();
    fault.release();
    await flushing;
  } finally {
    fault.restore();
  }
}

function byIdentity(events: readonly LedgerEvent[]): LedgerEvent[] {
  return [...events].sort((a, b) => String(eventKey(a)).localeCompare(String(eventKey(b))));
}

/** Event lines in every segment, copies included (readLedger counts an identity once). */
function eventLinesOnDisk(storageDir: string): number {
  const directory = segmentsDir(storageDir);
  return readdirSync(directory).reduce((sum, name) => sum + readFileSync(path.join(directory, name), 'utf8').split('\n').filter(Boolean).length, 0);
}

describe('LedgerWriter', () => {
  let storageDir: string;
  beforeEach(async () => {
    storageDir = await tempStorage();
  });

  it('buffers appends without touching the disk and writes them in one segment on flush', async () => {
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
    const events = [accept(), activity(), usage()];
    for (const event of events) writer.append(event);
    assert.deepEqual(await segmentFiles(storageDir), []);

    await writer.flush();
    const files = await segmentFiles(storageDir);
    assert.equal(files.length, 1);
    const match = SEGMENT_NAME.exec(files[0]);
    assert.ok(match, files[0]);
    assert.equal(Number(match[1]), process.pid);
    const lines = readFileSync(path.join(segmentsDir(storageDir), files[0]), 'utf8').split('\n');
    assert.deepEqual(lines.slice(0, 3).map((line) => JSON.parse(line)), events);
    assert.equal(lines[3], '');
    await writer.dispose();
  });

  it('tells onWritten where each written line is, and not of a batch that starts after torn bytes', async () => {
    const batches: WrittenBatch[] = [];
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000, role: 'import', onWritten: (batch) => batches.push(batch) });
    writer.append(usage({ model: 'modèle-ünïcode' }));
    writer.append(accept());
    await writer.flush();
    writer.append(activity());
    await writer.flush();
    const [file] = await segmentFiles(storageDir);
    const filePath = path.join(segmentsDir(storageDir), file);
    const bytes = readFileSync(filePath);
    assert.deepEqual(batches.map((batch) => [batch.filePath, batch.events.length]), [[filePath, 2], [filePath, 1]]);
    for (const batch of batches) {
      let offset = batch.start;
      batch.events.forEach((event, i) => {
        const line = bytes.subarray(offset, offset + batch.lineBytes[i]);
        assert.deepEqual(JSON.parse(line.toString('utf8')), event);
        assert.equal(line[line.length - 1], 0x0a);
        offset += batch.lineBytes[i];
      });
    }
    assert.equal(batches[1].start, batches[0].start + batches[0].lineBytes.reduce((sum, n) => sum + n, 0));
    assert.equal(batches[1].start + batches[1].lineBytes[0], bytes.length);

    await fs.appendFile(filePath, '{"torn');
    writer.append(accept());
    await writer.flush();
    assert.equal(batches.length, 2);
    await writer.dispose();
  });

  it('flushes on its own after the flush interval', async () => {
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 20 });
    writer.append(accept());
    writer.append(accept());
    await waitUntil(async () => (await readLedger(storageDir)).events.length === 2);
    assert.equal((await readLedger(storageDir)).events.length, 2);
    await writer.dispose();
  });

  it('rejects an event that does not match the schema and keeps nothing of it', async () => {
    const writer = new LedgerWriter({ storageDir });
    assert.throws(() => writer.append({ ...accept(), chars: -1 }));
    assert.throws(() => writer.append({ ...accept(), kind: 'nonsense' } as unknown as LedgerEvent));
    await writer.flush();
    assert.deepEqual(await segmentFiles(storageDir), []);
  });

  it('does not write fields outside the schema', async () => {
    const writer = new LedgerWriter({ storageDir });
    writer.append({ ...accept(), documentText: 'secret code' } as unknown as LedgerEvent);
    await writer.dispose();
    const [file] = await segmentFiles(storageDir);
    assert.ok(!readFileSync(path.join(segmentsDir(storageDir), file), 'utf8').includes('secret'));
  });

  it('starts a new segment when the UTC day changes', async () => {
    let now = Date.UTC(2024, 4, 1, 23, 59);
    const writer = new LedgerWriter({ storageDir, now: () => now });
    writer.append(accept());
    await writer.flush();
    now = Date.UTC(2024, 4, 2, 0, 1);
    writer.append(accept());
    await writer.flush();
    const files = await segmentFiles(storageDir);
    assert.deepEqual(
      files.map((file) => file.slice(0, 10)),
      ['2024-05-01', '2024-05-02'],
    );
  });

  it('counts the copy of a response that a later import run wrote after the clock went back across midnight', async () => {
    const response = usage({ outputTokens: 1 });
    const rewritten = { ...response, outputTokens: 2 };
    // Two runs, the second after a clock correction (NTP, a dual-boot clock) took the time back to the day before.
    const runs: [number, LedgerEvent][] = [
      [Date.UTC(2024, 4, 2, 0, 5), response],
      [Date.UTC(2024, 4, 1, 23, 58), rewritten],
    ];
    for (const [now, event] of runs) {
      const writer = new LedgerWriter({ storageDir, role: 'import', now: () => now });
      writer.append(event);
      await writer.dispose();
    }
    assert.deepEqual((await readLedger(storageDir)).events, [rewritten]);
  });

  it('writes synchronously with flushSync (deactivate)', () => {
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
    const event = accept();
    writer.append(event);
    writer.flushSync();
    const files = readdirSync(segmentsDir(storageDir));
    assert.equal(files.length, 1);
    assert.deepEqual(JSON.parse(readFileSync(path.join(segmentsDir(storageDir), files[0]), 'utf8')), event);
  });

  it('makes a segment file that flushSync creates survive a power loss: its folder is synced after the write', () => {
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
    const syncs = recordDurability();
    try {
      writer.append(accept());
      writer.flushSync();
      assert.equal(syncs.syncsOf(segmentsDir(storageDir)), 1, 'the new file is in the synced folder');
      writer.append(accept());
      writer.flushSync();
      assert.equal(syncs.syncsOf(segmentsDir(storageDir)), 1, 'appending to a file already there needs no folder sync');
    } finally {
      syncs.restore();
    }
  });

  it('makes the ledger folders a first write creates survive a power loss, whether flush or flushSync writes it', async () => {
    for (const write of [(writer: LedgerWriter) => writer.flush(), (writer: LedgerWriter) => writer.flushSync()]) {
      const fresh = await tempStorage();
      const writer = new LedgerWriter({ storageDir: fresh, flushIntervalMs: 60_000 });
      writer.append(accept());
      const syncs = recordDurability();
      try {
        await write(writer);
      } finally {
        syncs.restore();
      }
      assert.equal((await readLedger(fresh)).events.length, 1);
      for (const parent of [fresh, ledgerDir(fresh), segmentsDir(fresh)]) assert.ok(syncs.syncsOf(parent) > 0, `${parent} is synced: ${syncs.steps.join('; ')}`);
      await writer.dispose();
    }
  });

  it('makes the side segment that flushSync writes beside a write in flight survive a power loss', async () => {
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
    writer.append(accept());
    await writer.flush();
    const syncs = recordDurability();
    try {
      await flushSyncDuringFailingWrite(writer, storageDir, [accept()], [accept()]);
      assert.equal((await segmentFiles(storageDir)).length, 2, 'flushSync wrote a segment of its own');
      assert.equal(syncs.syncsOf(segmentsDir(storageDir)), 1, 'the side segment is in the synced folder');
    } finally {
      syncs.restore();
    }
    await writer.dispose();
  });

  it('keeps what flushSync wrote while an asynchronous write was in flight, when that write then fails', async () => {
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
    const earlier = [accept(), activity()];
    const inFlight = [accept(), usage()];
    const atDeactivate = [accept(), activity()];
    for (const event of earlier) writer.append(event);
    await writer.flush();
    await flushSyncDuringFailingWrite(writer, storageDir, inFlight, atDeactivate);
    assert.equal(writer.unwrittenCount, inFlight.length, 'the failed batch waits for the next flush');
    await writer.flush();

    const read = await readLedger(storageDir);
    const appended = [...earlier, ...inFlight, ...atDeactivate];
    assert.deepEqual(read.events.map(eventKey).sort(), appended.map(eventKey).sort());
    assert.deepEqual(byIdentity(read.events), byIdentity(appended));
    assert.deepEqual({ tornLines: read.tornLines, invalidLines: read.invalidLines }, { tornLines: 0, invalidLines: 0 });
    assert.equal(eventLinesOnDisk(storageDir), appended.length, 'each event is written once');
    await writer.dispose();
  });

  it('keeps an import writer\'s events in its one segment, in append order, when flushSync meets a write that then fails', async () => {
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000, role: 'import' });
    const response = usage({ outputTokens: 1 });
    const inFlight = [usage(), accept()];
    const rewritten = { ...response, outputTokens: 2 };
    writer.append(response);
    await writer.flush();
    await flushSyncDuringFailingWrite(writer, storageDir, inFlight, [rewritten]);
    await writer.flush();

    assert.equal((await segmentFiles(storageDir)).length, 1);
    const read = await readLedger(storageDir);
    // The later copy of a usage event counts (docs/ledger.md): `rewritten` must follow `response` in ledger order.
    assert.deepEqual(read.events, [rewritten, ...inFlight]);
    assert.equal(eventLinesOnDisk(storageDir), 4, 'each event is written once');
    await writer.dispose();
  });

  it('after a torn write, loses only the torn line and keeps every later event', async () => {
    const writer = new LedgerWriter({ storageDir });
    const [first, second, third, fourth] = [accept(), accept(), accept(), accept()];
    writer.append(first);
    writer.append(second);
    await writer.flush();
    const [file] = await segmentFiles(storageDir);
    const filePath = path.join(segmentsDir(storageDir), file);
    const { size } = await fs.stat(filePath);
    // A crash in the middle of writing `second`.
    await fs.truncate(filePath, size - 20);

    writer.append(third);
    writer.append(fourth);
    await writer.flush();
    const read = await readLedger(storageDir);
    assert.deepEqual(read.events, [first, third, fourth]);
    assert.equal(read.tornLines, 1);
    assert.equal(read.invalidLines, 0);
  });

  it('keeps events in memory while storage is unwritable, says so once, and writes them all when it can', async () => {
    const blocker = segmentsDir(storageDir);
    await fs.mkdir(path.dirname(blocker), { recursive: true });
    await fs.writeFile(blocker, 'a file where the segments folder should be');
    const told: Error[] = [];
    let writableAgain = 0;
    const writer = new LedgerWriter({
      storageDir,
      flushIntervalMs: 60_000,
      onUnwritable: (error) => told.push(error),
      onWritableAgain: () => (writableAgain += 1),
    });
    const events = [accept(), usage(), activity()];
    writer.append(events[0]);
    await writer.flush();
    writer.append(events[1]);
    await writer.flush();
    writer.flushSync();
    assert.equal(told.length, 1);
    assert.ok(told[0] instanceof Error);
    assert.equal(writableAgain, 0);

    await fs.rm(blocker);
    writer.append(events[2]);
    await writer.flush();
    assert.equal(writableAgain, 1);
    assert.deepEqual((await readLedger(storageDir)).events, events);
    await writer.dispose();
  });

  it('keeps a batch whose new segment the disk did not sync into its folder (EIO), and writes it once when it can', async () => {
    let unwritable = 0;
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000, onUnwritable: () => (unwritable += 1) });
    const events = [accept(), usage()];
    const fault = failFolderSyncs(segmentsDir(storageDir), 'EIO');
    try {
      writer.append(events[0]);
      await writer.flush();
      writer.append(events[1]);
      writer.flushSync();
    } finally {
      fault.restore();
    }
    assert.equal(unwritable, 1);
    assert.equal(writer.unwrittenCount, 2);
    assert.equal(eventLinesOnDisk(storageDir), 0, 'a batch whose folder sync failed is cut off again');
    await writer.flush();
    assert.equal(eventLinesOnDisk(storageDir), 2);
    assert.deepEqual((await readLedger(storageDir)).events, events);
    await writer.dispose();
  });

  it('retries on its own after a failed flush', async () => {
    const blocker = segmentsDir(storageDir);
    await fs.mkdir(path.dirname(blocker), { recursive: true });
    await fs.writeFile(blocker, 'blocks');
    let unwritable = 0;
    let writableAgain = 0;
    const writer = new LedgerWriter({
      storageDir,
      flushIntervalMs: 20,
      onUnwritable: () => (unwritable += 1),
      onWritableAgain: () => (writableAgain += 1),
    });
    const event = accept();
    writer.append(event);
    await waitUntil(() => unwritable === 1);
    assert.equal(unwritable, 1, 'the first flush, by itself, failed');
    await fs.rm(blocker);
    await waitUntil(() => writableAgain === 1);
    assert.equal(writableAgain, 1);
    assert.deepEqual((await readLedger(storageDir)).events, [event]);
    await writer.dispose();
  });

  it('tells live listeners about appended events after append returns', async () => {
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
    const seen: LedgerEvent[] = [];
    const subscription = writer.onDidAppend((events) => seen.push(...events));
    const events = [accept(), accept()];
    writer.append(events[0]);
    writer.append(events[1]);
    assert.equal(seen.length, 0);
    await sleep(5);
    assert.deepEqual(seen, events);

    subscription.dispose();
    writer.append(accept());
    await sleep(5);
    assert.equal(seen.length, 2);
    await writer.dispose();
  });

  it('flushes what is buffered when disposed', async () => {
    const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
    writer.append(accept());
    await writer.dispose();
    assert.equal((await readLedger(storageDir)).events.length, 1);
  });
});
