// Benchmark (DESIGN §9): cold import of Claude Code logs against `ccusage@20.0.24 claude daily
// --json --offline` on the same files, a repeat import with no new data, and peak memory.
// Corpora of about 10, 100 and 500 MB are generated once into ${ASSAY_TEST_CACHE:-~/.cache/assay-test}.
// Usage: node out/test/bench/importClaude.js [sizes in MB, default "10,100,500"]
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CCUSAGE_VERSION, ccusageCacheDir, ensureCcusage } from '../crosscheck/ccusage';
import { writeClaudeCorpus } from '../crosscheck/corpus';

const MB = 1024 * 1024;

function corpusDir(sizeMb: number): string {
  const dir = path.join(path.dirname(ccusageCacheDir()), `claude-corpus-${sizeMb}mb-v1`);
  const marker = path.join(dir, 'complete');
  if (!fs.existsSync(marker)) {
    fs.rmSync(dir, { recursive: true, force: true });
    const started = Date.now();
    const bytes = writeClaudeCorpus(dir, { targetBytes: sizeMb * MB, days: 60, seed: sizeMb });
    fs.writeFileSync(marker, String(bytes));
    console.log(`  generated ${(bytes / MB).toFixed(0)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  return dir;
}

/** Wall time and peak RSS of a command, from GNU time when present. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv): { ms: number; rssKb: number | null; stdout: string } {
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
  if (gnuTime) {
    const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(fs.readFileSync(stderrFile, 'utf8'));
    rssKb = match ? Number(match[1]) : null;
    fs.rmSync(stderrFile, { force: true });
  }
  return { ms, rssKb, stdout };
}

function main(): void {
  const sizes = (process.argv[2] ?? '10,100,500').split(',').map(Number);
  const ccusage = ensureCcusage();
  const emptyHome = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-home-'));
  console.log(`cores: ${os.cpus().length}, node ${process.version}`);
  for (const sizeMb of sizes) {
    console.log(`\n${sizeMb} MB corpus`);
    const dir = corpusDir(sizeMb);
    const storage = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-bench-storage-'));
    const runner = path.join(__dirname, 'importClaudeRun.js');
    const assay = timed(process.execPath, [runner, dir, storage], { ...process.env });
    const figures = JSON.parse(assay.stdout.trim()) as Record<string, number>;
    console.log(
      `  assay cold import: ${figures.coldMs.toFixed(0)} ms (${figures.coldEvents} responses, ${(figures.coldBytes / MB).toFixed(0)} MB read), ` +
        `peak RSS ${((assay.rssKb ?? figures.coldRssKb) / 1024).toFixed(0)} MB`,
    );
    console.log(`  assay repeat import: ${figures.repeatMs.toFixed(1)} ms (${figures.repeatEvents} new, ${figures.repeatBytes} bytes read)`);
    if (ccusage) {
      const reference = timed(ccusage, ['claude', 'daily', '--json', '--offline', '-z', 'UTC'], {
        PATH: process.env.PATH,
        HOME: emptyHome,
        CLAUDE_CONFIG_DIR: dir,
      });
      console.log(`  ccusage ${CCUSAGE_VERSION} claude daily: ${reference.ms.toFixed(0)} ms, peak RSS ${reference.rssKb === null ? '?' : (reference.rssKb / 1024).toFixed(0)} MB`);
      console.log(`  ratio assay cold / ccusage: ${(figures.coldMs / reference.ms).toFixed(2)} (target <= 2)`);
    } else {
      console.log('  ccusage unavailable: no comparison');
    }
    fs.rmSync(storage, { recursive: true, force: true });
  }
}

main();
