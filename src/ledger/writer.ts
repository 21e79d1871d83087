// Appends events to this process's segment file (docs/ledger.md). `append` runs on the typing path:
// it validates and buffers, nothing more; a timer writes the buffer in one append per flush.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeError } from '../privacy/errors';
import { ignoreUnsupportedMode, makePrivateDir, makePrivateDirSync, PRIVATE_FILE_MODE, syncDirectory, syncDirectorySync } from '../privacy/privateFiles';
import { LedgerEvent, plainUsageEvent } from './events';
import { importSegmentFileName, segmentDay, segmentFileName, segmentsDir } from './segments';

const DEFAULT_FLUSH_INTERVAL_MS = 2_000;
const NEWLINE = 0x0a;

export interface LedgerWriterOptions {
  storageDir: string;
  flushIntervalMs?: number;
  /** Called once when a write fails; events stay in memory and later flushes retry. */
  onUnwritable?(error: Error): void;
  /** Called when a write succeeds after `onUnwritable`. */
  onWritableAgain?(): void;
  /** Clock for choosing the segment's day (tests). */
  now?(): number;
  /**
   * `import`: append to the day's one import segment, shared by every import run (runs hold the
   * import lock, so one writes at a time), instead of a new segment per run: the file watcher
   * starts thousands of runs a day. Default `capture`: a segment of this writer's own.
   */
  role?: 'capture' | 'import';
  /**
   * Told of each batch this writer's flushes wrote, with where its lines are, so the daily rollup of this process can
   * add them without reading them back (report/rollupCache.ts, addWrittenEvents). A batch that had to start on a new
   * line (the file ended inside a line) and the synchronous `flushSync` are not told.
   */
  onWritten?(batch: WrittenBatch): void;
}

/** Events as one write put them in a segment file. */
export interface WrittenBatch {
  filePath: string;
  dev: number;
  ino: number;
  /** Offset of the first event's line; each next line follows the previous one's newline. */
  start: number;
  events: readonly LedgerEvent[];
  /** Byte length of each event's line, its newline included. */
  lineBytes: readonly number[];
}

export interface Disposable {
  dispose(): void;
}

type AppendListener = (events: readonly LedgerEvent[]) => void;

interface DaySegment {
  day: string;
  filePath: string;
  /** A capture writer's flushSync writes here while an asynchronous write has `filePath` (syncSegmentPath). */
  sideFilePath?: string;
}

export class LedgerWriter {
  private pending: LedgerEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private unwritable = false;
  private readonly directory: string;
  private readonly fileSuffix = randomBytes(4).toString('hex');
  private readonly sideFileSuffix = randomBytes(4).toString('hex');
  /** The segment an asynchronous write is writing, from taking its batch until it has closed the file. */
  private asyncWriteFile: string | undefined;
  /** The segment this writer last wrote and its size after that write. */
  private lastWrite: { filePath: string; size: number } | undefined;
  private segment: DaySegment | undefined;
  private readonly listeners = new Set<AppendListener>();
  private undelivered: LedgerEvent[] = [];
  private readonly flushIntervalMs: number;
  private readonly now: () => number;

  constructor(private readonly options: LedgerWriterOptions) {
    this.directory = segmentsDir(options.storageDir);
    this.flushIntervalMs = options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS;
    this.now = options.now ?? Date.now;
  }

  /** Validates and buffers `event` (throws a ZodError, writing nothing, when it is not a ledger event). */
  append(event: LedgerEvent): void {
    const parsed = plainUsageEvent(event) ?? LedgerEvent.parse(event);
    this.pending.push(parsed);
    this.scheduleFlush();
    if (this.listeners.size > 0) {
      if (this.undelivered.length === 0) setImmediate(() => this.deliver());
      this.undelivered.push(parsed);
    }
  }

  /** Events appended but not on disk yet: after a failed write they wait here for the next flush. */
  get unwrittenCount(): number {
    return this.pending.length;
  }

  /** `listener` receives appended events in batches, soon after `append` (not on its stack). */
  onDidAppend(listener: AppendListener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Writes everything appended so far. Resolves even when the write fails: the events stay buffered. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  /**
   * Writes the buffer synchronously, for `deactivate`, where the process may end before a promise
   * settles. Events an asynchronous flush is writing at that moment are left to it, and so is the
   * whole buffer of an import writer meanwhile (syncSegmentPath).
   */
  flushSync(): void {
    if (this.pending.length === 0) return;
    const filePath = this.syncSegmentPath();
    if (filePath === undefined) return;
    const batch = this.pending;
    this.pending = [];
    try {
      makePrivateDirSync(this.directory);
      const fd = fs.openSync(filePath, 'a+', PRIVATE_FILE_MODE);
      try {
        if (this.lastWrite?.filePath !== filePath) {
          try {
            fs.fchmodSync(fd, PRIVATE_FILE_MODE);
          } catch {
            ignoreUnsupportedMode();
          }
        }
        const size = fs.fstatSync(fd).size;
        const data = this.encode(batch, this.mayEndMidLine(filePath, size) && readLastByteSync(fd, size) !== NEWLINE);
        try {
          let written = 0;
          while (written < data.length) written += fs.writeSync(fd, data, written);
          fs.fsyncSync(fd);
          // A new file's name lives in the folder: unsynced, a power loss can take the whole file and the events
          // this reported written (a new day's segment, or the side segment of a write in flight). Should that sync
          // fail, the batch is cut off again: it stays pending, and its retry must not leave a second copy.
          if (size === 0) syncDirectorySync(this.directory);
        } catch (error) {
          truncateQuietlySync(fd, size);
          throw error;
        }
        this.lastWrite = { filePath, size: size + data.length };
      } finally {
        fs.closeSync(fd);
      }
      this.markWritable();
    } catch (error) {
      this.pending = batch.concat(this.pending);
      this.markUnwritable(error);
    }
  }

  async dispose(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.listeners.clear();
    await this.flush();
  }

  private scheduleFlush(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushIntervalMs);
    this.timer.unref?.();
  }

  private async writePending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const { filePath } = this.daySegment();
    this.asyncWriteFile = filePath;
    try {
      await makePrivateDir(this.directory);
      const file = await fs.promises.open(filePath, 'a+', PRIVATE_FILE_MODE);
      try {
        // The mode above applies only to a file this open creates; an import segment or a file of
        // an older version may already exist readable by others.
        if (this.lastWrite?.filePath !== filePath) await file.chmod(PRIVATE_FILE_MODE).catch(ignoreUnsupportedMode);
        const { size, dev, ino } = await file.stat();
        const leadingNewline = this.mayEndMidLine(filePath, size) && (await readLastByte(file, size)) !== NEWLINE;
        const lineBytes = this.options.onWritten && !leadingNewline ? [] : undefined;
        const data = this.encode(batch, leadingNewline, lineBytes);
        try {
          let written = 0;
          while (written < data.length) written += (await file.write(data, written)).bytesWritten;
          // Durable before `flush` resolves: an importer marks log lines as read once their events
          // are flushed, and a power loss must not take events whose lines are already marked.
          await file.sync();
          if (size === 0) await syncDirectory(this.directory);
        } catch (error) {
          await file.truncate(size).catch(() => undefined);
          throw error;
        }
        this.lastWrite = { filePath, size: size + data.length };
        if (lineBytes) this.options.onWritten?.({ filePath, dev, ino, start: size, events: batch, lineBytes });
      } finally {
        await file.close();
      }
      this.markWritable();
    } catch (error) {
      this.pending = batch.concat(this.pending);
      this.markUnwritable(error);
      this.scheduleFlush();
    } finally {
      this.asyncWriteFile = undefined;
    }
  }

  /**
   * Whether the file may end inside a line: a write of ours cut short by a crash, or a file
   * changed behind our back. When it does, the batch starts with a newline so the torn bytes stay
   * on a line of their own and cost one torn line instead of also corrupting this batch's first event.
   */
  private mayEndMidLine(filePath: string, size: number): boolean {
    return size > 0 && !(this.lastWrite?.filePath === filePath && this.lastWrite.size === size);
  }

  /** @param lineBytes when given, receives each event's line length in bytes */
  private encode(batch: readonly LedgerEvent[], leadingNewline: boolean, lineBytes?: number[]): Buffer {
    // Joined once: a string grown line by line is a tree of pieces that Buffer.from must flatten, about a third slower
    // for a batch of thousands of import events.
    const lines: string[] = leadingNewline ? [''] : [];
    for (const event of batch) {
      const line = JSON.stringify(event);
      lines.push(line);
      lineBytes?.push(Buffer.byteLength(line, 'utf8') + 1);
    }
    lines.push('');
    return Buffer.from(lines.join('\n'), 'utf8');
  }

  /** One segment per writer (or for all imports) per UTC day, named once by when it was created. */
  private daySegment(): DaySegment {
    const now = this.now();
    const day = segmentDay(now);
    if (this.segment?.day !== day) {
      const inDirectory = (name: string) => path.join(this.directory, name);
      this.segment =
        this.options.role === 'import'
          ? { day, filePath: inDirectory(importSegmentFileName(now, segmentNames(this.directory))) }
          : {
              day,
              filePath: inDirectory(segmentFileName(now, process.pid, this.fileSuffix)),
              sideFilePath: inDirectory(segmentFileName(now, process.pid, this.sideFileSuffix)),
            };
    }
    return this.segment;
  }

  /**
   * Where flushSync writes: never the file an asynchronous write is writing. That write, should it fail, truncates
   * the file back to the size it found, which would cut lines flushSync wrote meanwhile and reported durable, and its
   * bytes could land between flushSync's. A capture writer then writes its side segment, which readers merge like
   * any other (its events are inline events: no order among them to keep). An import writer writes nothing: only the
   * day's import segment keeps its events in ledger order, and should the process end first, the run's import state
   * is not saved, so the next run reads those events from the logs again (docs/ledger.md, Import state).
   */
  private syncSegmentPath(): string | undefined {
    const { filePath, sideFilePath } = this.daySegment();
    return filePath === this.asyncWriteFile ? sideFilePath : filePath;
  }

  private markWritable(): void {
    if (!this.unwritable) return;
    this.unwritable = false;
    this.options.onWritableAgain?.();
  }

  private markUnwritable(error: unknown): void {
    if (this.unwritable) return;
    this.unwritable = true;
    this.options.onUnwritable?.(error instanceof Error ? error : new Error(String(error)));
  }

  private deliver(): void {
    const events = this.undelivered;
    this.undelivered = [];
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        // One failing consumer (say, a closed dashboard) must not starve the others.
        console.error(`Assay: a ledger listener failed (${describeError(error)})`);
      }
    }
  }
}

async function readLastByte(file: fs.promises.FileHandle, size: number): Promise<number> {
  const byte = Buffer.alloc(1);
  await file.read(byte, 0, 1, size - 1);
  return byte[0];
}

function readLastByteSync(fd: number, size: number): number {
  const byte = Buffer.alloc(1);
  fs.readSync(fd, byte, 0, 1, size - 1);
  return byte[0];
}

/** The folder's entries; none when it cannot be listed yet (the write that follows creates it or fails). */
function segmentNames(directory: string): string[] {
  try {
    return fs.readdirSync(directory);
  } catch {
    return [];
  }
}

function truncateQuietlySync(fd: number, size: number): void {
  try {
    fs.ftruncateSync(fd, size);
  } catch {
    // The write error is what the caller reports; the next write starts on a fresh line anyway.
  }
}
