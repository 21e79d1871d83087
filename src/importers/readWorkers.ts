// Reading log files in worker threads (./readWorker.ts, bundled to dist/readWorker.js). Reading a large history
// is decoding lines and JSON.parse, one file at a time: in threads, files are read side by side on every core,
// while the run's thread admits each file's records in discovery order, so what a run writes does not depend on
// the number of threads or on which file finished first (docs/architecture.md, Import).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FileReading, FileReadInput } from './incremental';

/** A reading asked of a thread: FileReadInput as plain data, the parser named by its place in SOURCE_DEFINITIONS. */
export interface ReadRequest extends Omit<FileReadInput, 'parser' | 'shouldStop' | 'bounds'> {
  id: number;
  definition: number;
}

export type ReadResponse = { id: number; reading: FileReading } | { id: number; unreadable: true };

/** More threads than this only contend for the disk and for the run's thread, which admits their records. */
const MAX_THREADS = 4;

function readWorkerScript(): string {
  return path.join(__dirname, 'readWorker.js');
}

/** Threads that read files for one import run; `stop` is shared memory the threads poll between chunks. */
export class ReadWorkers {
  private readonly threads: Worker[] = [];
  private readonly waiting = new Map<number, { resolve: (response: ReadResponse) => void; reject: (error: Error) => void }>();
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 0;
  private failure: Error | undefined;

  private constructor(
    readonly count: number,
    script: string,
  ) {
    for (let i = 0; i < count; i++) {
      const worker = new Worker(script, { workerData: { stop: this.stopFlag } });
      worker.on('message', (response: ReadResponse) => {
        const waiter = this.waiting.get(response.id);
        this.waiting.delete(response.id);
        waiter?.resolve(response);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a read thread stopped (exit code ${code})`));
      });
      this.threads.push(worker);
    }
  }

  /**
   * Threads for a run besides its own (which reads a share of the files too: each thread is a V8 heap of 20 MB or
   * more), or undefined where there is one core or the thread script is missing.
   */
  static start(count = os.availableParallelism() - 1, script = readWorkerScript()): ReadWorkers | undefined {
    count = Math.min(count, MAX_THREADS);
    if (count < 1 || !fs.existsSync(script)) return undefined;
    return new ReadWorkers(count, script);
  }

  /** Asks thread number `thread` to read a file. */
  read(thread: number, request: Omit<ReadRequest, 'id'>): Promise<ReadResponse> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.threads[thread];
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } satisfies ReadRequest);
    });
  }

  /** Asks every thread to stop at its next chunk; what they have read by then is still sent back. */
  stop(): void {
    Atomics.store(this.stopFlag, 0, 1);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((worker) => worker.terminate()));
    this.fail(new Error('the read threads were closed'));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }
}

const THREAD_FAILED = Symbol('thread failed');
type Outcome = FileReading | undefined | typeof THREAD_FAILED;

/** Each thread has this many files asked of it at once, so it never waits for the run's thread to ask again. */
const ASKED_PER_THREAD = 2;
/** How far past the file being admitted files are read: readings waiting for their turn stay few. */
const READ_AHEAD_FILES = 16;

/**
 * Which thread reads which file of a run, decided as they come free: each read thread takes the next file nobody
 * has taken; the run's thread reads the file it must admit next when no thread has it, and while it waits for a
 * thread, a later file nobody has taken. Readings come back in file order (`reading(i)`, for i = 0, 1, …).
 */
export class ReadSchedule {
  /** Files asked of a thread: the pending reply, then its outcome. */
  private readonly outcomes = new Map<number, Outcome | Promise<Outcome>>();
  /** Files this thread read ahead while it waited for a thread. */
  private readonly readAhead = new Map<number, FileReading | undefined>();
  private readonly asked: number[];
  private nextUntaken = 0;
  private admitting = 0;
  /** Files whose reading came from a read thread. */
  readByThreads = 0;

  /**
   * @param request the request for a thread to read file i, or undefined when it is read here (unchanged files,
   * parsers no thread knows)
   * @param readHere reads file i in this thread; undefined when it cannot be read
   */
  constructor(
    private readonly files: number,
    private readonly workers: ReadWorkers | undefined,
    private readonly request: (i: number) => Omit<ReadRequest, 'id'> | undefined,
    private readonly readHere: (i: number) => Promise<FileReading | undefined>,
  ) {
    this.asked = new Array<number>(workers?.count ?? 0).fill(0);
    this.feed();
  }

  /** The reading of file `i`, the next to admit; undefined when the file could not be read. */
  async reading(i: number): Promise<FileReading | undefined> {
    this.admitting = i;
    this.feed();
    for (;;) {
      if (this.readAhead.has(i)) {
        const reading = this.readAhead.get(i);
        this.readAhead.delete(i);
        return reading;
      }
      if (!this.outcomes.has(i)) {
        // Nobody took it, or no thread can read it (unchanged, or a parser no thread knows).
        this.nextUntaken = Math.max(this.nextUntaken, i + 1);
        return this.readHere(i);
      }
      const outcome = this.outcomes.get(i);
      if (!(outcome instanceof Promise)) {
        this.outcomes.delete(i);
        if (outcome !== THREAD_FAILED) {
          this.readByThreads++;
          return outcome;
        }
        // Its thread failed (out of memory, killed): read here.
        return this.readHere(i);
      }
      // A thread has file i: meanwhile read a later file nobody has taken, if one is near enough.
      if (this.nextUntaken < this.files && this.nextUntaken - i < READ_AHEAD_FILES) {
        const j = this.nextUntaken++;
        this.readAhead.set(j, await this.readHere(j));
        // Lets the threads' replies in, so that a thread that finished is given its next file.
        await new Promise((resolve) => setImmediate(resolve));
        continue;
      }
      await outcome;
    }
  }

  /** Gives each thread files up to ASKED_PER_THREAD, from the first nobody has taken. */
  private feed(): void {
    const workers = this.workers;
    if (!workers) return;
    for (let thread = 0; thread < this.asked.length; thread++) {
      while (this.asked[thread] < ASKED_PER_THREAD && this.nextUntaken < this.files && this.nextUntaken - this.admitting < READ_AHEAD_FILES) {
        const j = this.nextUntaken++;
        const request = this.request(j);
        if (!request) continue;
        this.asked[thread]++;
        const done = workers.read(thread, request).then(
          (response): Outcome => ('reading' in response ? response.reading : undefined),
          (): Outcome => THREAD_FAILED,
        );
        this.outcomes.set(j, done);
        void done.then((outcome) => {
          if (this.outcomes.has(j)) this.outcomes.set(j, outcome);
          this.asked[thread]--;
          this.feed();
        });
      }
    }
  }
}
