// Reading log files in worker threads (./readWorker.ts, bundled to dist/readWorker.js). Reading a large history
// is decoding lines and JSON.parse, one file at a time: in threads, files are read side by side on every core,
// while the run's thread admits each file's records in discovery order, so what a run writes does not depend on
// the number of threads or on which file finished first (docs/architecture.md, Import). A large file comes back in
// parts (READING_ITEMS in incremental.ts), one message each, in order.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileReading, FileReadInput } from './incremental';

/** A reading a thread may do: FileReadInput as plain data, the parser named by its place in SOURCE_DEFINITIONS. */
export interface ReadRequest extends Omit<FileReadInput, 'parser' | 'shouldStop' | 'bounds' | 'chunks'> {
  definition: number;
  /** About how many bytes reading it takes (what is new in a growing log, else the whole file). */
  bytes: number;
}

/**
 * What a run sends each thread once: the request for each file of the run (null: read in the run's thread), in order.
 * Threads then take files themselves (ReadControl), so a thread never waits for the run's thread to hand it one.
 */
export interface ReadPlan {
  requests: (ReadRequest | null)[];
}

/** One reading of a file (a part while `reading.more`), or the end of its readings when the (rest of the) file is unreadable. */
export type ReadResponse = { file: number; reading: FileReading } | { file: number; unreadable: true };

/**
 * Shared between a run's thread and its read threads: the stop flag, the next file nobody has taken (every thread
 * takes files with an atomic add, so each file is read once), the file being admitted (ReadAhead) and how many of its
 * parts the run's thread has admitted (PARTS_AHEAD).
 */
export const ReadControl = { STOP: 0, NEXT_UNTAKEN: 1, ADMITTING: 2, PARTS_ADMITTED: 3, SLOTS: 4 } as const;

/**
 * How far past the file being admitted files may be read, in files and in bytes to read: readings waiting for their
 * turn hold memory, and the run's thread, which admits every record, is the slower of two on two cores. Measured with
 * `assay report daily` on the 500 MB Claude Code corpus (test/bench/importClaude.ts, median of 6 runs, alternating):
 * 16 files, 1.46 s; 64 files, 1.37 s, with FLUSH_EVERY_EVENTS at 4,000 (runImport.ts); the same peak RSS.
 */
const READ_AHEAD_FILES = 64;
const READ_AHEAD_BYTES = 64 * 1024 * 1024;
/**
 * How many parts of a large file a thread may have sent beyond those the run's thread has admitted, once that file's turn
 * has come; before it, one. Parts waiting for their turn hold memory as whole readings do; two let the thread read the
 * next part while the run's thread admits one.
 */
export const PARTS_AHEAD = 2;

/** Whether file `file` is near enough to the file being admitted to be read now (READ_AHEAD_FILES and _BYTES). */
export class ReadAhead {
  /** Bytes to read in the files before each file. */
  private readonly bytesBefore: Float64Array;

  constructor(requests: readonly (ReadRequest | null)[]) {
    this.bytesBefore = new Float64Array(requests.length + 1);
    requests.forEach((request, i) => {
      this.bytesBefore[i + 1] = this.bytesBefore[i] + (request?.bytes ?? 0);
    });
  }

  allows(file: number, admitting: number): boolean {
    return file - admitting < READ_AHEAD_FILES && (file <= admitting || this.bytesBefore[file] - this.bytesBefore[admitting] < READ_AHEAD_BYTES);
  }
}

/** More threads than this only contend for the disk and for the run's thread, which admits their records. */
const MAX_THREADS = 4;

function readWorkerScript(): string {
  return path.join(__dirname, 'readWorker.js');
}

/** Threads that read files for one import run. */
export class ReadWorkers {
  readonly control = new Int32Array(new SharedArrayBuffer(ReadControl.SLOTS * Int32Array.BYTES_PER_ELEMENT));
  private readonly threads: Worker[] = [];
  /** Each file's responses that came before the run's thread asked for them, in the order they came. */
  private readonly arrived = new Map<number, ReadResponse[]>();
  private readonly waiting = new Map<number, { resolve: (response: ReadResponse | undefined) => void }>();
  private failure: Error | undefined;

  private constructor(count: number, script: string) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, { workerData: { control: this.control } });
      worker.on('message', (response: ReadResponse) => {
        const waiter = this.waiting.get(response.file);
        if (waiter) {
          this.waiting.delete(response.file);
          waiter.resolve(response);
        } else {
          const earlier = this.arrived.get(response.file);
          if (earlier) earlier.push(response);
          else this.arrived.set(response.file, [response]);
        }
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a read thread stopped (exit code ${code})`));
      });
      this.threads.push(worker);
    }
  }

  /**
   * Threads for a run besides its own (which reads files too: each thread is a V8 heap of 20 MB or more), or
   * undefined where there is one core or the thread script is missing.
   */
  static start(count = os.availableParallelism() - 1, script = readWorkerScript()): ReadWorkers | undefined {
    count = Math.min(count, MAX_THREADS);
    if (count < 1 || !fs.existsSync(script)) return undefined;
    return new ReadWorkers(count, script);
  }

  /** Gives every thread the run's files; from then on they take them. */
  begin(plan: ReadPlan): void {
    for (const worker of this.threads) worker.postMessage(plan);
  }

  /** Takes the next file nobody has taken, for the run's thread. */
  take(): number {
    return Atomics.add(this.control, ReadControl.NEXT_UNTAKEN, 1);
  }

  /** The first file nobody has taken yet. */
  untaken(): number {
    return Atomics.load(this.control, ReadControl.NEXT_UNTAKEN);
  }

  /** Tells the threads which file is being admitted (they read as far past it as ReadAhead and PARTS_AHEAD allow). */
  admitting(i: number): void {
    // Reset first: a thread that sees file i being admitted then finds none of its parts admitted yet.
    Atomics.store(this.control, ReadControl.PARTS_ADMITTED, 0);
    Atomics.store(this.control, ReadControl.ADMITTING, i);
    Atomics.notify(this.control, ReadControl.ADMITTING);
    Atomics.notify(this.control, ReadControl.PARTS_ADMITTED);
  }

  /** Tells the thread reading the file being admitted that one more of its parts is admitted. */
  partAdmitted(): void {
    Atomics.add(this.control, ReadControl.PARTS_ADMITTED, 1);
    Atomics.notify(this.control, ReadControl.PARTS_ADMITTED);
  }

  /** The next response for file `i` (taken by a thread), as soon as it is there; undefined when the threads failed. */
  response(i: number): ReadResponse | undefined | Promise<ReadResponse | undefined> {
    const arrived = this.arrived.get(i);
    if (arrived) {
      const response = arrived.shift() as ReadResponse;
      if (arrived.length === 0) this.arrived.delete(i);
      return response;
    }
    if (this.failure) return undefined;
    return new Promise((resolve) => this.waiting.set(i, { resolve }));
  }

  /** Whether the reply for file `i` is there, so `response(i)` returns it without waiting. */
  hasArrived(i: number): boolean {
    return this.arrived.has(i) || this.failure !== undefined;
  }

  /** Asks every thread to stop at its next chunk; what they have read by then is still sent back. */
  stop(): void {
    Atomics.store(this.control, ReadControl.STOP, 1);
    Atomics.notify(this.control, ReadControl.ADMITTING);
    Atomics.notify(this.control, ReadControl.PARTS_ADMITTED);
  }

  async close(): Promise<void> {
    this.stop();
    await Promise.all(this.threads.map((worker) => worker.terminate()));
    this.fail(new Error('the read threads were closed'));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    // A thread that failed took files it will never send: the run's thread reads them (undefined below).
    for (const waiter of this.waiting.values()) waiter.resolve(undefined);
    this.waiting.clear();
  }
}

/** A file's readings in order; undefined ends them when the (rest of the) file could not be read. */
export type Readings = AsyncGenerator<FileReading | undefined>;

/**
 * Which thread reads which file of a run: read threads take the next file nobody has taken as soon as they are free;
 * the run's thread reads the file it must admit next when no thread took it, and while it waits for a thread, takes a
 * later file too. Readings come back in file order (`readings(i)`, for i = 0, 1, …), each file's in the order read.
 */
export class ReadSchedule {
  /** Files this thread took while it waited for a thread: each file's first reading read, the rest for its turn. */
  private readonly readAhead = new Map<number, Readings>();
  private readonly ahead: ReadAhead;
  /** Files whose readings came from a read thread. */
  readByThreads = 0;

  /**
   * @param requests the request for a thread to read each file, or null when it is read here (unchanged files,
   * parsers no thread knows)
   * @param readHere reads file i in this thread
   */
  constructor(
    private readonly requests: (ReadRequest | null)[],
    private readonly workers: ReadWorkers | undefined,
    private readonly readHere: (i: number) => Readings,
  ) {
    this.ahead = new ReadAhead(requests);
    workers?.begin({ requests });
  }

  /** The readings of file `i`, the next to admit, each to be admitted before the next is asked for. */
  async *readings(i: number): Readings {
    const readAhead = this.readAhead.get(i);
    this.readAhead.delete(i);
    yield* readAhead ?? ((await this.readByThread(i)) ? this.threadReadings(i) : this.readHere(i));
  }

  /** Whether a thread reads file `i`, the next to admit (else this thread does); meanwhile reads later files here. */
  private async readByThread(i: number): Promise<boolean> {
    const workers = this.workers;
    if (!workers) return false;
    workers.admitting(i);
    if (this.requests[i] === null) return false;
    // Files before i that nobody took were read here when admitted (unchanged files, parsers no thread knows).
    while (workers.untaken() <= i) {
      const j = workers.take();
      if (j === i) return false;
      if (j > i) {
        // A thread took i meanwhile; j is this thread's now.
        if (j < this.requests.length && this.requests[j] !== null) await this.startHere(j);
        break;
      }
    }
    // A thread has file i: meanwhile read later files nobody has taken, if they are near enough.
    while (!workers.hasArrived(i)) {
      const next = workers.untaken();
      if (next >= this.requests.length || !this.ahead.allows(next, i)) break;
      const j = workers.take();
      if (j >= this.requests.length) break;
      if (this.requests[j] !== null) await this.startHere(j);
      // Lets the threads' replies in.
      await new Promise((resolve) => setImmediate(resolve));
    }
    return true;
  }

  /** The readings a thread sends of file `i`, the one being admitted. */
  private async *threadReadings(i: number): Readings {
    const workers = this.workers as ReadWorkers;
    for (let parts = 0; ; parts++) {
      const response = await workers.response(i);
      if (!response || !('reading' in response)) {
        // Unreadable in the thread (vanished, no permission), or its thread failed: read here, as a run without threads,
        // unless some parts were admitted (the rest waits for the next run, which goes on from the last one's state).
        if (response || parts > 0) yield undefined;
        else yield* this.readHere(i);
        return;
      }
      if (parts === 0) this.readByThreads++;
      yield response.reading;
      if (!response.reading.more) return;
      workers.partAdmitted();
    }
  }

  /** Reads file j's first reading here now, keeping the rest of it for its turn. */
  private async startHere(j: number): Promise<void> {
    const readings = this.readHere(j);
    const first = await readings.next();
    this.readAhead.set(
      j,
      (async function* () {
        if (first.done) return;
        yield first.value;
        yield* readings;
      })(),
    );
  }
}
