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
  private nextThread = 0;
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

  read(request: Omit<ReadRequest, 'id'>): Promise<ReadResponse> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const thread = this.threads[this.nextThread];
    this.nextThread = (this.nextThread + 1) % this.threads.length;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      thread.postMessage({ ...request, id } satisfies ReadRequest);
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
