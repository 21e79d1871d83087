// Benchmark (docs/architecture.md, Performance budgets): why an import below READ_THREADS_MIN_BYTES (runImport.ts) reads
// in its own thread. Reads the Claude Code corpus with the import's read path (`readFile`, incremental.ts: lines,
// markers, JSON.parse, records and their ids) in one worker thread, then split between two side by side, three passes
// each. The first pass is what an import meets: each thread's V8 compiles the read path for itself. The later passes
// show the same code warm. Both are run as V8 runs by default and with its background compiling turned off
// (--no-concurrent-recompilation), each in a fresh process.
// Usage: node out/test/bench/readThreads.js [MB, default 100]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { readFile } from '../../src/importers/incremental';
import { ChunkPool } from '../../src/importers/lineReader';
import { SOURCE_DEFINITIONS } from '../../src/importers/sourceDefinitions';
import { UsageBounds } from '../../src/importers/usageBounds';
import { claudeCorpusDir } from './claudeCorpus';

const PASSES = 3;

interface ThreadJob {
  files: string[];
  /** One count of arrivals: every thread starts each pass when all have finished the one before. */
  barrier: Int32Array;
  threads: number;
}

/** Waits until `count` arrivals in all: a pass must not start while another thread still reads the one before. */
function arriveAndWait(barrier: Int32Array, count: number): void {
  Atomics.add(barrier, 0, 1);
  while (Atomics.load(barrier, 0) < count) Atomics.wait(barrier, 0, Atomics.load(barrier, 0), 1);
}

/** Each pass's time (ms), and the records the last pass read. */
async function readThread({ files, barrier, threads }: ThreadJob): Promise<{ passes: number[]; records: number }> {
  const parser = SOURCE_DEFINITIONS.find((definition) => definition.source === 'claude-code')?.parser;
  if (!parser) throw new Error('no Claude Code parser');
  const bounds = new UsageBounds(Date.now());
  const passes: number[] = [];
  const chunks = new ChunkPool();
  let records = 0;
  for (let pass = 0; pass < PASSES; pass++) {
    records = 0;
    arriveAndWait(barrier, threads * (pass + 1));
    const started = performance.now();
    for (const file of files) {
      const stat = fs.statSync(file);
      const input = { source: 'claude-code' as const, path: file, stat, parser, previous: undefined, shouldStop: () => false, now: Date.now(), bounds, secret: 'bench', chunks };
      for await (const reading of readFile(input)) records += reading.records.length;
    }
    passes.push(performance.now() - started);
  }
  return { passes, records };
}

/** In a fresh process: `threads` worker threads read the corpus's files, interleaved; prints what each thread returned. */
async function child(threads: number, dir: string): Promise<void> {
  const files = fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.jsonl'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
  const barrier = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from({ length: threads }, (_, k) => {
    const job: ThreadJob = { files: files.filter((_, i) => i % threads === k), barrier, threads };
    return new Worker(__filename, { workerData: job });
  });
  const results = await Promise.all(
    workers.map((worker) => new Promise<{ passes: number[]; records: number }>((resolve, reject) => worker.once('message', resolve).once('error', reject))),
  );
  process.stdout.write(`${JSON.stringify(results)}\n`);
}

function main(): void {
  const sizeMb = Number(process.argv[2] ?? 100);
  const dir = claudeCorpusDir(sizeMb);
  console.log(`${sizeMb} MB Claude Code corpus, the import's read path in worker threads; ms per pass, first / later`);
  for (const flags of [[], ['--no-concurrent-recompilation']]) {
    for (const threads of [1, 2]) {
      const output = execFileSync(process.execPath, [...flags, __filename, '--child', String(threads), dir], { encoding: 'utf8' });
      const results = JSON.parse(output) as { passes: number[]; records: number }[];
      const perThread = results.map(({ passes }) => passes.map((ms) => ms.toFixed(0)).join(' / ')).join('  |  ');
      const records = results.reduce((sum, result) => sum + result.records, 0);
      console.log(
        `  ${flags.length > 0 ? 'background compiling off' : 'V8 defaults'}, ${threads} thread${threads > 1 ? 's, half each' : ', all files'}: ` +
          `${perThread} (${records} records)`,
      );
    }
  }
}

if (!isMainThread) {
  void readThread(workerData as ThreadJob).then((result) => parentPort?.postMessage(result));
} else if (process.argv[2] === '--child') {
  void child(Number(process.argv[3]), process.argv[4]);
} else {
  main();
}
