// Builders for team summary tests: daily rows, one developer's summary file, and the built command.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { emptyAgentFigures, emptyInlineRow } from '../../../src/report/rollup';
import type { PricedAgentUsageRow, PricedUsageRow } from '../../../src/report/rollup';
import type { AgentOutputFigures, InlineRow } from '../../../src/report/rows';
import type { ResolvedSeat } from '../../../src/pricing/seats';
import { buildTeamSummary, encodeTeamSummary } from '../../../src/team/summary';

/** A developer id (16 hex digits) from a small number. */
export function dev(n: number): string {
  return n.toString(16).padStart(16, '0');
}

export function inlineRow(date: string, overrides: Partial<InlineRow> = {}): InlineRow {
  return {
    ...emptyInlineRow(date, 'typescript', 'copilot'),
    acceptances: { full: 2, word: 1, line: 0 },
    acceptedChars: 100,
    acceptedLines: 4,
    opportunities: 20,
    typedChars: 300,
    aiChars: 100,
    retention: { '600': { known: 2, chars: 80, arc: 60, unchanged: 1, mostlyRetained: 1 } },
    ...overrides,
  };
}

/** A usage row with no agent edits unless `overrides` gives them. */
export function usageRow(date: string, overrides: Partial<PricedAgentUsageRow> = {}): PricedAgentUsageRow {
  const standard = { inputTokens: 1000, outputTokens: 200, reasoningTokens: 0, cacheReadTokens: 5000, cacheWrite5mTokens: 300, cacheWrite1hTokens: 0 };
  const longContext = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
  return {
    date,
    kind: 'usage',
    source: 'claude-code',
    model: 'claude-sonnet-4-5',
    inputTokens: 1000,
    outputTokens: 200,
    reasoningTokens: 0,
    cacheReadTokens: 5000,
    cacheWriteTokens: 300,
    costUSD: 0.25,
    requests: 3,
    requestsWithoutTokens: 0,
    tokens: { standard, longContext },
    ...emptyAgentFigures(),
    ...overrides,
  };
}

/** Agent output figures: `added` lines over `edits` edits, `keptHour` and `keptDay` of them kept when measured (null: unknown). */
export function agentOutput(edits: number, added: number, keptHour: number | null, keptDay: number | null, wasteTokens = 0): AgentOutputFigures {
  const agentRetention: AgentOutputFigures['agentRetention'] = {};
  if (keptHour !== null) agentRetention['3600'] = { known: edits, linesAdded: added, linesKept: keptHour };
  if (keptDay !== null) agentRetention['86400'] = { known: edits, linesAdded: added, linesKept: keptDay };
  return { agentEdits: edits, linesAdded: added, linesRemoved: Math.floor(added / 4), agentRetention, wasteTokens };
}

export interface SummaryOptions {
  since?: string;
  until?: string;
  exportedAt?: string;
  inline?: InlineRow[];
  /** Rows without agent figures report none (as the daily report's rows before agent output). */
  usage?: Array<PricedUsageRow & Partial<AgentOutputFigures>>;
  seats?: ResolvedSeat[];
}

/** One developer's summary file text, as the export writes it. */
export function summaryText(developer: string, options: SummaryOptions = {}): string {
  return encodeTeamSummary(
    buildTeamSummary({
      inline: options.inline ?? [],
      usage: (options.usage ?? []).map((row) => ({ ...emptyAgentFigures(), ...row })),
      seats: options.seats ?? [],
      developerId: developer,
      since: options.since ?? '2024-05-01',
      until: options.until ?? '2024-05-31',
      exportedAt: new Date(options.exportedAt ?? '2024-06-01T00:00:00Z'),
    }),
  );
}

/** A summary file as an older Assay wrote it: version 2 lines have no agent output, version 1 lines no token tiers either. */
export function asOlderSchema(text: string, schema: 1 | 2): string {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const { agentEdits: _e, linesAdded: _a, linesRemoved: _r, agentRetention: _k, wasteTokens: _w, tokens, ...rest } = JSON.parse(line) as Record<string, unknown>;
      return `${JSON.stringify({ ...rest, schema, ...(schema >= 2 && tokens !== undefined ? { tokens } : {}) })}\n`;
    })
    .join('');
}

/** The bundled command (dist/cli.js, built by `node esbuild.mjs`), as a user runs it. */
export const DIST_CLI = path.join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
/** The compiled, unbundled command. */
export const OUT_CLI = path.join(__dirname, '..', '..', '..', 'src', 'cli', 'main.js');

export interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

export async function runCommand(cli: string, args: string[], home: string): Promise<CliResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config') };
  for (const name of ['CLAUDE_CONFIG_DIR', 'CODEX_HOME', 'GEMINI_CLI_HOME', 'CONTINUE_GLOBAL_DIR', 'CLINE_DIR', 'CLINE_DATA_DIR']) delete env[name];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], { env, maxBuffer: 64 * 1024 * 1024 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { status: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
