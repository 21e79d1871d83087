// Benchmark (docs/architecture.md, Performance budgets): cold import of Claude Code logs against `ccusage@20.0.24 claude daily
// --json --offline` on the same files, a repeat import with no new data, and peak memory.
// Corpora of about 10, 100 and 500 MB are generated once (claudeCorpus.ts).
// What is timed, per corpus (median of ASSAY_BENCH_RUNS runs, default 3, each in a fresh process):
// - "import": `runImport` in-process into a fresh storage folder through the real ledger writer, from
//   the call to its return; module loading and price data are not included (importClaudeRun.ts). This
//   is the work the extension's import worker does once it has started.
// - "repeat import": `runImport` with nothing new, five times in the same process (warm: the median, and the first,
//   right after the cold import), and again in a fresh process over the same storage (cold code, as `assay report`
//   with nothing new meets it).
// - "new responses after that history": `runImport` of the corpus and a small new log (written in the storage folder), in a
//   fresh process over the same storage, as `assay report` after a day's work meets it (importClaudeRun.ts `new`). No
//   target: beside the repeat in a fresh process, it shows what loading and saving the emitted index of every record
//   ever written costs.
// - "whole process": `node dist/cli.js report daily --json` (start-up, import, report), when `dist/cli.js` is
//   built (`node esbuild.mjs`); the like-with-like counterpart of the ccusage process, and the figure the target
//   (within 2x of ccusage) is about. An untimed run first makes the command's code cache (src/cli/codeCache.ts), as a
//   user's first `assay` does.
// - ccusage: the whole native process, which reads the same files and prints its daily JSON. Each run of it
//   follows a run of assay's, so that both meet the same load.
// - plain Node: plainRead.js, which only reads the files and parses their usage lines (the floor under any Node
//   program doing this), run after each ccusage run, then again with the reading in a worker thread (what a second
//   thread could take off a run's thread at best).
// Usage: node out/test/bench/importClaude.js [sizes in MB, default "10,100,500"]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CCUSAGE_VERSION, ensureCcusage } from '../crosscheck/ccusage';
import { claudeCorpusDir } from './claudeCorpus';

const MB = 1024 * 1024;
const RUNS = Math.max(1, Number(process.env.ASSAY_BENCH_RUNS ?? 3));

interface Timed {
  ms: number;
  /** User + system CPU time of the process and its threads; NaN without GNU time. */
  cpuMs: number;
  rssKb: number | null;
  stdout: string;
}

/** Wall time, CPU time and peak RSS of a command, from GNU time when present. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): Timed {
  const gnuTime = fs.existsSync('/usr/bin/time');
  const started = process.hrtime.bigint();
  const stderrFile = path.join(os.tmpdir(), `assay-bench-time-${process.pid}.txt`);
  const stdout = execFileSync(gnuTime ? '/usr/bin/time' : command, gnuTime ? ['-v', '-o', stderrFile, command, ...args] : args, {
    env,
    maxBuffer: 512 * MB,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  let rssKb: number | null = null;
  let cpuMs = NaN;
  if (gnuTime) {
    const report = fs.readFileSync(stderrFile, 'utf8');
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(report);
    rssKb = match ? Number(match[1]) : null;
    const seconds = (label: string) => Number(new RegExp(`${label} time \\(seconds\\): ([\\d.]+)`).exec(report)?.[1] ?? NaN);
    cpuMs = (seconds('User') + seconds('System')) * 1000;
    fs.rmSync(stderrFile, { force: true });
  }
  return { ms, cpuMs, rssKb, stdout };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/**
 * Reads every file of the corpus so that each measured run finds it in the page cache: this machine's
 * kernel may evict it between runs, and the first program timed would otherwise pay for the disk.
 */
function warmPageCache(dir: string): void {
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) fs.readFileSync(path.join(entry.parentPath, entry.name));
  }
}

/** Runs `measure` `runs` times over `corpus`, each with a fresh storage folder and a warm page cache. */
function repeated<T>(corpus: string, measure: (storage: string) => T, runs = RUNS): T[] {
  const results: T[] = [];
  for (let run = 0; run < runs; run++) {
    warmPageCache(corpus);
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-storage-'));
    try {
      results.push(measure(storage));
    } finally {
      fs.rmSync(storage, { recursive: true, force: true });
    }
  }
  return results;
}

/** The line importClaudeRun.js prints. */
interface RunFigures {
  coldMs: number;
  coldEvents: number;
  coldBytes: number;
  coldRssKb: number;
  /** The first repeat, right after the cold import. */
  repeatMs: number;
  /** The median of five repeats, the first included. */
  repeatsMedianMs: number;
  repeatEvents: number;
  repeatBytes: number;
}

const megabytes = (kb: number | null) => (kb === null ? '?' : (kb / 1024).toFixed(0));

function main(): void {
  const sizes = (process.argv[2] ?? '10,100,500').split(',').map(Number);
  const ccusage = ensureCcusage();
  const cli = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
  const hasCli = fs.existsSync(cli);
  const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-home-'));
  console.log(`cores: ${os.cpus().length}, node ${process.version}, median of ${RUNS} runs`);
  for (const sizeMb of sizes) {
    console.log(`\n${sizeMb} MB corpus`);
    const dir = claudeCorpusDir(sizeMb);
    const runner = path.join(__dirname, 'importClaudeRun.js');
    const imports = repeated(dir, (storage) => {
      const child = timed(process.execPath, [runner, dir, storage], { ...process.env });
      const fresh = timed(process.execPath, [runner, dir, storage, 'repeat'], { ...process.env });
      const fewNew = JSON.parse(timed(process.execPath, [runner, dir, storage, 'new'], { ...process.env }).stdout.trim()) as { newMs: number; newEvents: number };
      return {
        rssKb: child.rssKb,
        ...(JSON.parse(child.stdout.trim()) as RunFigures),
        repeatFreshMs: (JSON.parse(fresh.stdout.trim()) as { repeatMs: number }).repeatMs,
        newMs: fewNew.newMs,
        newEvents: fewNew.newEvents,
      };
    });
    const coldMs = median(imports.map((figures) => figures.coldMs));
    const last = imports[imports.length - 1];
    const peakRssKb = Math.max(...imports.map((figures) => figures.rssKb ?? figures.coldRssKb));
    console.log(
      `  assay import, in-process: ${coldMs.toFixed(0)} ms (${last.coldEvents} responses, ${(last.coldBytes / MB).toFixed(0)} MB read), ` +
        `peak RSS ${megabytes(peakRssKb)} MB (process, cold + repeat)`,
    );
    console.log(
      `  assay repeat import: ${median(imports.map((figures) => figures.repeatsMedianMs)).toFixed(1)} ms, median of 5 in one process (target < 50 ms; ` +
        `${last.repeatEvents} new, ${last.repeatBytes} bytes read); the first, right after the cold import: ${median(imports.map((figures) => figures.repeatMs)).toFixed(1)} ms`,
    );
    console.log(
      `  assay repeat import in a fresh process (module loading not included): ${median(imports.map((figures) => figures.repeatFreshMs)).toFixed(1)} ms (target < 50 ms)`,
    );
    console.log(
      `  assay import of ${last.newEvents} new responses after that history, in a fresh process (module loading not included): ` +
        `${median(imports.map((figures) => figures.newMs)).toFixed(1)} ms (no target; beyond the repeat, the emitted index of every record is loaded and saved)`,
    );
    if (!hasCli) console.log('  dist/cli.js not built (node esbuild.mjs): no whole-process figure');
    if (!ccusage) console.log('  ccusage unavailable: no comparison');
    if (!hasCli || !ccusage) continue;
    // The two programs take turns, so that a change in the machine's load falls on both alike.
    const cliRuns: Timed[] = [];
    const references: Timed[] = [];
    const plainRuns: Timed[] = [];
    const plainTwoThreadRuns: Timed[] = [];
    const runCli = (storage: string) =>
      timed(process.execPath, [cli, 'report', 'daily', '--json', '--no-discover', '--claude-config-dir', dir, '--storage', storage, '--tz', 'UTC'], {
        PATH: process.env.PATH,
        HOME: emptyHome,
      });
    if (sizeMb === sizes[0]) repeated(dir, runCli, 1);
    repeated(dir, (storage) => {
      cliRuns.push(runCli(storage));
      references.push(timed(ccusage, ['claude', 'daily', '--json', '--offline', '-z', 'UTC'], { PATH: process.env.PATH, HOME: emptyHome, CLAUDE_CONFIG_DIR: dir }));
      plainRuns.push(timed(process.execPath, [path.join(__dirname, 'plainRead.js'), dir], { PATH: process.env.PATH, HOME: emptyHome }));
      plainTwoThreadRuns.push(timed(process.execPath, [path.join(__dirname, 'plainRead.js'), dir, 'two-threads'], { PATH: process.env.PATH, HOME: emptyHome }));
    });
    const cliMs = median(cliRuns.map((run) => run.ms));
    const referenceMs = median(references.map((run) => run.ms));
    const cliRssMb = Number(megabytes(Math.max(...cliRuns.map((run) => run.rssKb ?? 0))));
    console.log(
      `  assay report daily, whole process (import + report): ${cliMs.toFixed(0)} ms wall, ${median(cliRuns.map((run) => run.cpuMs)).toFixed(0)} ms CPU, ` +
        `peak RSS ${cliRssMb} MB (target < 200 MB: ${(cliRssMb / 200).toFixed(2)}x)`,
    );
    console.log(
      `  ccusage ${CCUSAGE_VERSION} claude daily, whole process: ${referenceMs.toFixed(0)} ms wall, ${median(references.map((run) => run.cpuMs)).toFixed(0)} ms CPU, ` +
        `peak RSS ${megabytes(Math.max(...references.map((run) => run.rssKb ?? 0)))} MB`,
    );
    // Each run of assay's beside the ccusage run right after it: the spread says how much of a ratio is the machine's load.
    const pairRatios = cliRuns.map((run, i) => run.ms / references[i].ms);
    console.log(
      `  ratio assay / ccusage, whole process: ${(cliMs / referenceMs).toFixed(2)} (target <= 2; run by run ` +
        `${Math.min(...pairRatios).toFixed(2)} to ${Math.max(...pairRatios).toFixed(2)})`,
    );
    console.log(`  ratio assay import in-process / ccusage: ${(coldMs / referenceMs).toFixed(2)}`);
    const plainMs = median(plainRuns.map((run) => run.ms));
    console.log(
      `  plain Node reading and parsing the usage lines only (plainRead.js), whole process: ${plainMs.toFixed(0)} ms wall; ` +
        `assay / plain ${(cliMs / plainMs).toFixed(2)}, ccusage / plain ${(referenceMs / plainMs).toFixed(2)}`,
    );
    console.log(
      `  the same with a worker thread reading and parsing, the main thread only summing what it sends: ` +
        `${median(plainTwoThreadRuns.map((run) => run.ms)).toFixed(0)} ms wall (one thread: ${plainMs.toFixed(0)} ms)`,
    );
    console.log(`  load average after: ${os.loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  }
  fs.rmSync(emptyHome, { recursive: true, force: true });
}

main();
