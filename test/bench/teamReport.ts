// Team report benchmark (docs/architecture.md: `assay team report` over 1,000 developers × 90 days in < 5 s and
// < 500 MB). Writes one summary file per developer into a temporary folder (3 inline and 3 usage
// rows a working day, languages, assistants, tools and models varied so that rows and breakdowns
// have many groups, though with 1,000 developers none is small enough to fold; agent tools' rows
// carry agent output, measured at 1 h and 1 day, as schema 3 writes it), then runs the
// bundled command `node dist/cli.js team report DIR --json` under /usr/bin/time -v three times and
// prints, per run and for the median run, wall time and CPU time (all threads) beside the target,
// peak RSS, and the machine's load, which says whether the wall time is the command's own. Prints
// figures; asserts nothing.
// Run: npm run build && npx tsc -p . && node out/test/bench/teamReport.js [developers] [days]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emptyInlineRow } from '../../src/report/rollup';
import type { PricedAgentUsageRow } from '../../src/report/rollup';
import type { InlineRow } from '../../src/report/rows';
import { buildTeamSummary, encodeTeamSummary, summaryFileName } from '../../src/team/summary';

const DEVELOPERS = Number(process.argv[2] ?? 1000);
const DAYS = Number(process.argv[3] ?? 90);
const FIRST_DAY = Date.UTC(2025, 7, 1);
const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');

const LANGUAGES = ['typescript', 'python', 'go', 'java', 'rust', 'csharp', 'cpp', 'ruby'];
const PROVIDERS = ['copilot', 'codeium', 'tabnine', 'unknown'];
const USAGE = [
  ['claude-code', 'claude-sonnet-4-5'],
  ['claude-code', 'claude-opus-4-1'],
  ['codex', 'gpt-5-codex'],
  ['gemini-cli', 'gemini-2.5-pro'],
  ['copilot-chat', 'gpt-4.1'],
  ['cline', 'other'],
] as const;

/** Deterministic pseudo-random numbers (mulberry32), so runs compare. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function day(index: number): string {
  return new Date(FIRST_DAY + index * 86_400_000).toISOString().slice(0, 10);
}

function generate(folder: string): { files: number; bytes: number; lines: number } {
  let lines = 0;
  for (let developer = 0; developer < DEVELOPERS; developer++) {
    const next = random(developer + 1);
    // A generator of its own for agent output, so the other figures are those of the benchmark before it.
    const nextAgent = random(DEVELOPERS + developer + 1);
    const inline: InlineRow[] = [];
    const usage: PricedAgentUsageRow[] = [];
    const language = LANGUAGES[developer % LANGUAGES.length];
    const provider = PROVIDERS[developer % PROVIDERS.length];
    for (let d = 0; d < DAYS; d++) {
      if (new Date(FIRST_DAY + d * 86_400_000).getUTCDay() % 6 === 0 && next() < 0.9) continue;
      for (const lang of new Set([language, 'typescript', LANGUAGES[(developer + d) % LANGUAGES.length]])) {
        const accepted = Math.floor(next() * 40);
        inline.push({
          ...emptyInlineRow(day(d), lang, provider),
          acceptances: { full: accepted, word: Math.floor(next() * 10), line: Math.floor(next() * 5) },
          acceptedChars: accepted * 40,
          acceptedLines: accepted * 2,
          opportunities: accepted * 5 + 10,
          typedChars: Math.floor(next() * 5000),
          aiChars: accepted * 40,
          retention: {
            '30': { known: accepted, chars: accepted * 40, arc: accepted * 36, unchanged: accepted, mostlyRetained: accepted },
            '600': { known: accepted, chars: accepted * 40, arc: accepted * 30, unchanged: Math.floor(accepted / 2), mostlyRetained: accepted },
          },
        });
      }
      for (let u = 0; u < 3; u++) {
        const [source, model] = USAGE[(developer + d + u) % USAGE.length];
        const requests = 1 + Math.floor(next() * 80);
        const standard = {
          inputTokens: requests * 2000,
          outputTokens: requests * 400,
          reasoningTokens: 0,
          cacheReadTokens: requests * 30_000,
          cacheWrite5mTokens: requests * 1000,
          cacheWrite1hTokens: 0,
        };
        usage.push({
          date: day(d),
          kind: 'usage',
          source,
          model,
          inputTokens: standard.inputTokens,
          outputTokens: standard.outputTokens,
          reasoningTokens: 0,
          cacheReadTokens: standard.cacheReadTokens,
          cacheWriteTokens: standard.cacheWrite5mTokens,
          costUSD: model === 'other' ? null : requests * 0.02,
          requests,
          requestsWithoutTokens: 0,
          tokens: { standard, longContext: { ...standard, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 } },
          ...agentOutput(source === 'copilot-chat' ? 0 : Math.floor(requests / 4), nextAgent),
        });
      }
    }
    const developerId = (developer + 1).toString(16).padStart(16, '0');
    const summary = buildTeamSummary({ inline, usage, seats: [], developerId, since: day(0), until: day(DAYS - 1), exportedAt: new Date(FIRST_DAY + DAYS * 86_400_000) });
    lines += summary.length;
    writeFileSync(path.join(folder, summaryFileName(developerId, day(0), day(DAYS - 1))), encodeTeamSummary(summary));
  }
  const names = readdirSync(folder);
  return { files: names.length, bytes: names.reduce((sum, name) => sum + statSync(path.join(folder, name)).size, 0), lines };
}

/** `edits` edits of a few lines each, their 1 h and 1 day checkpoints measured. */
function agentOutput(edits: number, next: () => number): Pick<PricedAgentUsageRow, 'agentEdits' | 'linesAdded' | 'linesRemoved' | 'agentRetention' | 'wasteTokens'> {
  const linesAdded = edits * (1 + Math.floor(next() * 30));
  const kept = (share: number) => ({ known: edits, linesAdded, linesKept: Math.floor(linesAdded * share) });
  return {
    agentEdits: edits,
    linesAdded,
    linesRemoved: Math.floor(linesAdded / 3),
    agentRetention: edits > 0 ? { '3600': kept(0.9), '86400': kept(0.7) } : {},
    wasteTokens: edits > 0 && next() < 0.1 ? 40_000 : 0,
  };
}

const RUNS = 3;
const TARGET_SECONDS = 5;
const TARGET_RSS_MB = 500;

interface Run {
  wallSeconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  /** One-minute load average when the run ended. */
  load: number;
}

function describe(run: Run): string {
  return (
    `${run.wallSeconds.toFixed(2)} s (target < ${TARGET_SECONDS} s, ${(run.wallSeconds / TARGET_SECONDS).toFixed(2)}×), ` +
    `CPU ${run.cpuSeconds.toFixed(2)} s, peak RSS ${run.peakRssMB.toFixed(0)} MB (target < ${TARGET_RSS_MB} MB, ${(run.peakRssMB / TARGET_RSS_MB).toFixed(2)}×), ` +
    `load ${run.load.toFixed(1)} on ${os.availableParallelism()} cores`
  );
}

function main(): void {
  if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run node esbuild.mjs first');
  // ASSAY_BENCH_KEEP=DIR generates into DIR once and keeps it, for profiling the report alone.
  const kept = process.env.ASSAY_BENCH_KEEP;
  const folder = kept ?? mkdtempSync(path.join(os.tmpdir(), 'assay-bench-team-'));
  try {
    const started = Date.now();
    if (kept && readdirSync(folder).length > 0) {
      const names = readdirSync(folder);
      const bytes = names.reduce((sum, name) => sum + statSync(path.join(folder, name)).size, 0);
      console.log(`kept folder: ${names.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    } else {
      const data = generate(folder);
      console.log(`generated ${data.files} files, ${data.lines.toLocaleString('en-US')} lines, ${(data.bytes / 1024 / 1024).toFixed(1)} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
    // One warm-up run reads the files into the page cache, as a manager's second run would find them.
    execFileSync(process.execPath, [CLI, 'team', 'report', folder, '--json'], { stdio: 'ignore' });
    const runs: Run[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const result = spawnSync('/usr/bin/time', ['-v', process.execPath, CLI, 'team', 'report', folder, '--json'], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
      if (result.status !== 0) throw new Error(`team report failed: ${result.stderr.slice(0, 500)}`);
      const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(result.stderr);
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr);
      // CPU time (user + system, every thread) says less about other processes on a shared machine than wall time does.
      const cpu = ['User', 'System'].reduce((sum, kind) => sum + Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(result.stderr)?.[1] ?? Number.NaN), 0);
      const report = JSON.parse(result.stdout) as { developers: number; rows: unknown[]; suppressed: { groups: number } };
      const measured: Run = {
        wallSeconds: wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : Number.NaN,
        cpuSeconds: cpu,
        peakRssMB: rss ? Number(rss[1]) / 1024 : Number.NaN,
        load: os.loadavg()[0],
      };
      runs.push(measured);
      console.log(`run ${run}: ${describe(measured)} (${report.developers} developers, ${report.rows.length} rows, ${report.suppressed.groups} groups folded)`);
    }
    const median = [...runs].sort((a, b) => a.wallSeconds - b.wallSeconds)[Math.floor(runs.length / 2)];
    console.log(`team merge ${DEVELOPERS.toLocaleString('en-US')} devs × ${DAYS} days: ${describe(median)}`);
  } finally {
    if (!kept) rmSync(folder, { recursive: true, force: true });
  }
}

main();
