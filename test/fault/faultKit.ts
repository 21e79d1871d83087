// Shared by the fault suites: deterministic ledger events per writer lane, synthetic Claude Code
// logs, child processes speaking one line per message, and the "from scratch" references the
// suites compare against.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LedgerEvent } from '../../src/ledger/events';
import { readLedger } from '../../src/ledger/reader';
import type { RunImportOptions } from '../../src/importers/runImport';
import { rollupDaily } from '../../src/report/rollup';
import { claudeAssistantLine, claudeUserLine, tempDir } from '../unit/importers/fixtures';

export { tempDir };

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const CHILD_SCRIPT = path.join(__dirname, 'faultChild.js');
export const TIME_ZONE = 'UTC';
/** Fixed so two folders importing the same logs get the same opaque ids. */
export const IMPORT_SECRET = 'fault-suite-import-secret';

const DAY_MS = 86_400_000;
const BASE_MS = Date.UTC(2026, 1, 2);
const LANGUAGES = ['typescript', 'python', 'rust'];
const PROVIDERS = ['copilot', 'cursor'];
const MODES = ['full', 'word', 'line'] as const;

function eventTime(lane: number, index: number): number {
  return BASE_MS + ((index * 7919 + lane * 104_729) % (5 * DAY_MS));
}

function acceptId(lane: number, index: number): string {
  return lane.toString(16).padStart(2, '0') + index.toString(16).padStart(14, '0');
}

/**
 * Event number `index` of writer `lane` (0..255): accepts, activity, retention and usage in turn,
 * each distinguishable from every other lane's and index's (see eventKey), so a lost or doubled
 * event is visible, and the same for every run, so a single-writer reference can replay them.
 */
export function laneEvent(lane: number, index: number): LedgerEvent {
  const t = eventTime(lane, index);
  const common = { v: 1 as const, languageId: LANGUAGES[(index + lane) % 3], provider: PROVIDERS[index % 2], workspace: `w${lane}` };
  switch (index % 4) {
    case 0:
      return { ...common, t, kind: 'accept', id: acceptId(lane, index), mode: MODES[index % 3], chars: 1 + (index % 97), lines: index % 5 };
    case 1:
      return { ...common, t, kind: 'activity', id: acceptId(lane, index), opportunities: index, typedChars: (index * 13) % 500, otherEdits: { paste: index % 3 }, otherChars: index % 7 };
    case 2: {
      const acceptedAt = eventTime(lane, index - 2);
      const chars = 1 + ((index - 2) % 97);
      return {
        ...common,
        t: acceptedAt + 600_000,
        kind: 'retention',
        acceptId: acceptId(lane, index - 2),
        acceptedAt,
        checkpoint: 600,
        outcome: 'known',
        chars,
        arc: chars - (index % 2),
        unchanged: index % 8 === 2,
      };
    }
    default:
      return {
        v: 1,
        t,
        kind: 'usage',
        id: `lane-${lane}-${index}`,
        source: 'codex',
        model: 'gpt-5.2',
        inputTokens: index % 1000,
        outputTokens: 10 + (index % 300),
        reasoningTokens: index % 10,
        cacheReadTokens: (index * 31) % 5000,
        cacheWrite5mTokens: 0,
        cacheWrite1hTokens: 0,
        tokensKnown: true,
        reportedCostUSD: null,
        session: `s${lane}`,
        project: 'p',
      };
  }
}

/** What makes an event of laneEvent unique: two lines with one key are the same event written twice. */
export function eventKey(event: LedgerEvent): string {
  switch (event.kind) {
    case 'accept':
      return `accept:${event.id}`;
    case 'activity':
      return `activity:${event.workspace}:${event.opportunities}`;
    case 'retention':
      return `retention:${event.acceptId}:${event.checkpoint}`;
    case 'usage':
      return `usage:${event.id}`;
    case 'agentEdit':
      return `agentEdit:${event.id}`;
    case 'agentRetention':
      return `agentRetention:${event.editId}:${event.checkpoint}`;
    case 'limit':
      return `limit:${event.id}`;
    case 'limitReached':
      return `limitReached:${event.id}`;
  }
}

/** Keys of the ledger's events (usage upserts applied) that occur more than once, and how many there are of each key. */
export async function ledgerKeyCounts(storageDir: string): Promise<{ counts: Map<string, number>; events: LedgerEvent[] }> {
  const { events } = await readLedger(storageDir);
  const counts = new Map<string, number>();
  for (const event of events) counts.set(eventKey(event), (counts.get(eventKey(event)) ?? 0) + 1);
  return { counts, events };
}

export function duplicatedKeys(counts: Map<string, number>): string[] {
  return [...counts].filter(([, count]) => count > 1).map(([key, count]) => `${key} x${count}`);
}

export async function fromScratch(storageDir: string) {
  const rollup = rollupDaily((await readLedger(storageDir)).events, { timeZone: TIME_ZONE });
  return { inline: rollup.inline, usage: rollup.usage };
}

export function rowsOf(result: { inline: unknown; usage: unknown }) {
  return { inline: result.inline, usage: result.usage };
}

export interface ClaudeMessage {
  /** Relative to the `projects` folder. */
  file: string;
  messageId: string;
  /** Streamed copies in the order the tool writes them; the last is final. */
  lines: string[];
  finalOutput: number;
  input: number;
}

/**
 * A Claude Code log tree's content, message by message, to be written in slices: streamed copies of
 * one response may land in different import runs, so later runs re-emit (upsert) earlier events.
 */
export function claudeMessages(count: number, firstMessage = 0, sessions = 6): ClaudeMessage[] {
  const messages: ClaudeMessage[] = [];
  for (let n = firstMessage; n < firstMessage + count; n++) {
    const session = n % sessions;
    const sessionId = `00000000-0000-4000-8000-${String(session).padStart(12, '0')}`;
    const file = path.join(`-home-dev-project-${session % 3}`, `${sessionId}.jsonl`);
    const messageId = `msg_${String(n).padStart(10, '0')}`;
    const timestamp = new Date(BASE_MS + ((n * 3_600_017) % (5 * DAY_MS))).toISOString();
    const input = 1 + (n % 50);
    const finalOutput = 20 + ((n * 37) % 2000);
    const copies = 1 + (n % 3);
    const lines = [claudeUserLine(timestamp, `prompt ${n}`)];
    for (let copy = 1; copy <= copies; copy++) {
      lines.push(
        claudeAssistantLine({
          timestamp,
          messageId,
          requestId: `req_${String(n).padStart(10, '0')}`,
          sessionId,
          usage: { input, output: Math.max(1, Math.floor((finalOutput * copy) / copies)), cacheRead: (n * 101) % 20_000, cacheCreation: n % 400 },
        }),
      );
    }
    messages.push({ file, messageId, lines, finalOutput, input });
  }
  return messages;
}

/** Appends the messages' lines to their files below `projectsDir` (whole lines only). */
export function appendClaudeLines(projectsDir: string, lines: { file: string; line: string }[]): void {
  const byFile = new Map<string, string[]>();
  for (const { file, line } of lines) byFile.set(file, [...(byFile.get(file) ?? []), line]);
  for (const [file, fileLines] of byFile) {
    const filePath = path.join(projectsDir, file);
    fs.mkdirSync(path.dirname(filePath), { recursive: true });
    fs.appendFileSync(filePath, fileLines.map((line) => `${line}\n`).join(''));
  }
}

export function linesOf(messages: readonly ClaudeMessage[]): { file: string; line: string }[] {
  return messages.flatMap((message) => message.lines.map((line) => ({ file: message.file, line })));
}

const liveChildren = new Set<ChildProcess>();

/** Kills every child still running, so a failed test never leaves mocha waiting on its loops. */
export function stopChildren(): void {
  for (const child of liveChildren) child.kill('SIGKILL');
}

/** A child process running faultChild.js; its stdout lines arrive at `onLine` as they are printed. */
export class Child {
  readonly process: ChildProcess;
  readonly lines: string[] = [];
  /** performance.now() when each line arrived. */
  readonly lineTimes: number[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderr = '';
  private readonly waiters: { test: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  private readonly replies: ((line: string) => void)[] = [];

  constructor(args: object, options: { uid?: number; gid?: number } = {}) {
    this.process = spawn(process.execPath, [CHILD_SCRIPT, JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'], ...options });
    let carry = '';
    this.process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      carry += chunk;
      let newline = carry.indexOf('\n');
      while (newline !== -1) {
        this.receive(carry.slice(0, newline));
        carry = carry.slice(newline + 1);
        newline = carry.indexOf('\n');
      }
    });
    this.process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    liveChildren.add(this.process);
    this.exited = new Promise((resolve) =>
      this.process.on('exit', (code, signal) => {
        liveChildren.delete(this.process);
        resolve({ code, signal });
      }),
    );
  }

  get errorOutput(): string {
    return this.stderr;
  }

  /** Resolves with the first line (already printed or still to come) that passes `test`; rejects if the child exits first. */
  waitFor(test: (line: string) => boolean): Promise<string> {
    const seen = this.lines.find(test);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      this.waiters.push({ test, resolve });
      void this.exited.then(({ code, signal }) =>
        reject(new Error(`child exited (${code ?? signal}) before the awaited line; stderr: ${this.stderr.slice(-2000)}`)),
      );
    });
  }

  /** Sends one command and waits for its reply (the child answers commands in order, `reply <json>` each). */
  request<T>(message: object): Promise<T> {
    return new Promise((resolve, reject) => {
      this.replies.push((line) => resolve(JSON.parse(line.slice('reply '.length)) as T));
      void this.exited.then(({ code, signal }) => reject(new Error(`child exited (${code ?? signal}) before replying; stderr: ${this.stderr.slice(-2000)}`)));
      this.process.send(message);
    });
  }

  /** Resolves once the child ended normally; rejects with its stderr otherwise. */
  async finished(): Promise<void> {
    const { code, signal } = await this.exited;
    if (code !== 0) throw new Error(`child failed (${code ?? signal}): ${this.stderr.slice(-2000)}`);
  }

  private receive(line: string): void {
    this.lines.push(line);
    this.lineTimes.push(performance.now());
    if (line.startsWith('reply ')) this.replies.shift()?.(line);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      if (this.waiters[i].test(line)) {
        this.waiters[i].resolve(line);
        this.waiters.splice(i, 1);
      }
    }
  }
}

/** Runs the built command-line tool (dist/cli.js), as a user would. */
export function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

export function dailyReport(storageDir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return runCli(['report', 'daily', '--json', '--storage', storageDir, '--no-import', '--tz', TIME_ZONE]);
}

/** Import options reading only the given Claude Code `projects` folders, with the suite's fixed secret. */
export async function claudeImportOptions(storageDir: string, roots: string[]): Promise<RunImportOptions> {
  // Loaded on demand: the price data would slow the start of every writer the crash suite kills.
  const { loadConfiguredPricer } = await import('../../src/pricing/configuredPricer');
  return {
    storageDir,
    secret: IMPORT_SECRET,
    pricer: (await loadConfiguredPricer({ overrides: {}, priceFile: '' })).pricer,
    roots: { 'claude-code': roots },
    discover: false,
    lockWaitMs: 60_000,
  };
}
