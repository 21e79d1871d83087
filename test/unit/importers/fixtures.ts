// Log lines shaped as Claude Code and Codex CLI write them (see the format notes at the top of
// src/importers/sources/claudeCode.ts and codex.ts), for tests and the ccusage cross-check.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseContext } from '../../../src/importers/rawJson';
import initSqlJs from 'sql.js';
import { runImport, type RunImportOptions, type UsageEventSink } from '../../../src/importers/runImport';
import type { UsageEvent } from '../../../src/ledger/events';
import type { ParsedUsage } from '../../../src/importers/types';

/** A parser context for calling parsers directly; its rejections are not looked at. */
export const TEST_CONTEXT = parseContext('', {});

/** A parsed Claude Code record, as a parser hands it to the import machinery. */
export function parsedUsage(overrides: Partial<ParsedUsage> = {}): ParsedUsage {
  return {
    key: 'msg_1:req_1',
    t: Date.UTC(2026, 0, 14),
    model: 'claude-sonnet-4-5',
    inputTokens: 10,
    outputTokens: 5,
    reasoningTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey: 's',
    projectKey: 'p',
    ...overrides,
  };
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `assay-${prefix}-`));
}

export function writeLines(filePath: string, lines: string[], options: { trailingNewline?: boolean } = {}): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const text = lines.join('\n') + (options.trailingNewline === false || lines.length === 0 ? '' : '\n');
  fs.writeFileSync(filePath, text);
}

export function appendLines(filePath: string, lines: string[]): void {
  fs.appendFileSync(filePath, lines.map((line) => `${line}\n`).join(''));
}

export interface ClaudeUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheCreation?: number;
  cache5m?: number;
  cache1h?: number;
  speed?: 'fast' | 'standard';
}

export interface ClaudeLineOptions {
  timestamp: string;
  messageId?: string;
  requestId?: string;
  model?: string;
  sessionId?: string;
  sidechain?: boolean;
  usage: ClaudeUsage;
  costUSD?: number;
  /** Assistant content, to give lines a realistic size. */
  text?: string;
  cwd?: string;
}

export function claudeAssistantLine(o: ClaudeLineOptions): string {
  const usage: Record<string, unknown> = {
    input_tokens: o.usage.input ?? 0,
    cache_creation_input_tokens: o.usage.cacheCreation ?? (o.usage.cache5m ?? 0) + (o.usage.cache1h ?? 0),
    cache_read_input_tokens: o.usage.cacheRead ?? 0,
    output_tokens: o.usage.output ?? 0,
    service_tier: 'standard',
  };
  if (o.usage.cache5m !== undefined || o.usage.cache1h !== undefined) {
    usage.cache_creation = { ephemeral_5m_input_tokens: o.usage.cache5m ?? 0, ephemeral_1h_input_tokens: o.usage.cache1h ?? 0 };
  }
  if (o.usage.speed) usage.speed = o.usage.speed;
  const line: Record<string, unknown> = {
    parentUuid: 'b7f1a3c2-0000-4000-8000-000000000001',
    isSidechain: o.sidechain ?? false,
    userType: 'external',
    cwd: o.cwd ?? '/home/dev/secret-project',
    sessionId: o.sessionId ?? 'session-0001',
    version: '1.0.98',
    gitBranch: 'main',
    message: {
      id: o.messageId,
      type: 'message',
      role: 'assistant',
      model: o.model ?? 'claude-sonnet-4-20250514',
      content: [{ type: 'text', text: o.text ?? 'Done.' }],
      stop_reason: null,
      stop_sequence: null,
      usage,
    },
    requestId: o.requestId,
    type: 'assistant',
    uuid: 'c0ffee00-0000-4000-8000-000000000002',
    timestamp: o.timestamp,
  };
  if (o.costUSD !== undefined) line.costUSD = o.costUSD;
  return JSON.stringify(line);
}

export function claudeUserLine(timestamp: string, text: string): string {
  return JSON.stringify({
    parentUuid: null,
    isSidechain: false,
    userType: 'external',
    cwd: '/home/dev/secret-project',
    sessionId: 'session-0001',
    version: '1.0.98',
    type: 'user',
    message: { role: 'user', content: text },
    uuid: 'd00d0000-0000-4000-8000-000000000003',
    timestamp,
  });
}

export function claudeToolResultLine(timestamp: string, output: string): string {
  return JSON.stringify({
    parentUuid: 'c0ffee00-0000-4000-8000-000000000002',
    isSidechain: false,
    type: 'user',
    message: { role: 'user', content: [{ tool_use_id: 'toolu_01', type: 'tool_result', content: output }] },
    toolUseResult: { stdout: output, stderr: '', interrupted: false },
    timestamp,
  });
}

export interface CodexTokens {
  input: number;
  cached?: number;
  output: number;
  reasoning?: number;
}

function codexUsage(tokens: CodexTokens): Record<string, number> {
  return {
    input_tokens: tokens.input,
    cached_input_tokens: tokens.cached ?? 0,
    output_tokens: tokens.output,
    reasoning_output_tokens: tokens.reasoning ?? 0,
    total_tokens: tokens.input + tokens.output,
  };
}

export function codexSessionMeta(timestamp: string, id: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    timestamp,
    type: 'session_meta',
    payload: { id, timestamp, cwd: '/home/dev/secret-project', originator: 'codex_cli_rs', cli_version: '0.58.0', ...extra },
  });
}

export function codexTurnContext(timestamp: string, model: string): string {
  return JSON.stringify({
    timestamp,
    type: 'turn_context',
    payload: { cwd: '/home/dev/secret-project', approval_policy: 'on-request', model, effort: 'medium', summary: 'auto' },
  });
}

export function codexTokenCount(timestamp: string, total: CodexTokens | null, last: CodexTokens | null): string {
  const info = total === null && last === null
    ? null
    : {
        ...(total ? { total_token_usage: codexUsage(total) } : {}),
        ...(last ? { last_token_usage: codexUsage(last) } : {}),
        model_context_window: 272000,
      };
  return JSON.stringify({
    timestamp,
    type: 'event_msg',
    payload: { type: 'token_count', info, rate_limits: { primary: { used_percent: 7, window_minutes: 300 } } },
  });
}

export function codexAgentMessage(timestamp: string, text: string): string {
  return JSON.stringify({ timestamp, type: 'response_item', payload: { type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] } });
}

/** Adds per-turn counters to a running total, as Codex's TokenUsage::add_assign does. */
export function addTokens(a: CodexTokens, b: CodexTokens): CodexTokens {
  return {
    input: a.input + b.input,
    cached: (a.cached ?? 0) + (b.cached ?? 0),
    output: a.output + b.output,
    reasoning: (a.reasoning ?? 0) + (b.reasoning ?? 0),
  };
}

/** Fails when any file under `dir` holds one of `secrets` (planted in a log, they must never reach what Assay writes). */
export function assertNoFileHolds(dir: string, secrets: readonly string[]): void {
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const text = fs.readFileSync(path.join(entry.parentPath, entry.name), 'latin1');
    for (const secret of secrets) assert.ok(!text.includes(secret), `${entry.name} holds ${secret}`);
  }
}

/** A run's sink that keeps the usage events it is given, for tests that look at them instead of a ledger. */
export class CollectingSink implements UsageEventSink {
  readonly events: UsageEvent[] = [];
  append(event: UsageEvent): void {
    this.events.push(event);
  }
  async flush(): Promise<void> {}
}

/** Options for a test import of the logs under `home` into `storage`: Linux folders, model names kept as logged, events collected. */
export function importOptions(
  home: string,
  storage: string,
  pricer: RunImportOptions['pricer'] = { keptModelName: (raw) => raw },
): RunImportOptions & { sink: CollectingSink } {
  return { storageDir: storage, secret: 'test-secret', pricer, env: {}, homeDir: home, platform: 'linux', sink: new CollectingSink() };
}

/**
 * The bytes of a SQLite database after `sql` ran on `base` (else on an empty database), through sql.js, the reader the
 * importers use; with `params`, `sql` is one statement bound to them.
 */
export async function sqliteBytes(sql: string, base?: Uint8Array, params?: (string | number | null)[]): Promise<Uint8Array> {
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const database = new SQL.Database(base);
  try {
    database.run(sql, params);
    return database.export();
  } finally {
    database.close();
  }
}

/**
 * The usage events an import of a Copilot Chat OpenTelemetry file holding `lines` writes (the latest of each id, by
 * time), and every event offered to the sink on the way.
 */
export async function importCopilotOtel(lines: string[]): Promise<{ events: UsageEvent[]; offered: UsageEvent[] }> {
  const home = tempDir('otel-home');
  const file = path.join(home, 'otel', 'copilot.jsonl');
  writeLines(file, lines);
  const sink = new CollectingSink();
  await runImport({
    storageDir: tempDir('otel-storage'),
    secret: 'test-secret',
    pricer: { keptModelName: (raw) => raw },
    env: { COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: file },
    homeDir: home,
    platform: 'linux',
    sink,
  });
  return { events: latestEvents(sink.events).sort((a, b) => a.t - b.t), offered: sink.events };
}

/** The latest event per id (a later event with the same id replaces an earlier one). */
export function latestEvents(events: readonly UsageEvent[]): UsageEvent[] {
  return [...new Map(events.map((event) => [event.id, event])).values()];
}

/** [UTC time, model, tokens known, all tokens, reported cost] of each event, by time: for sources whose responses carry no tokens. */
export function responseRows(events: readonly UsageEvent[]): (string | number | boolean | null)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => [
      new Date(e.t).toISOString(),
      e.model,
      e.tokensKnown,
      e.inputTokens + e.outputTokens + e.reasoningTokens + e.cacheReadTokens + e.cacheWrite5mTokens + e.cacheWrite1hTokens,
      e.reportedCostUSD,
    ]);
}

/**
 * Makes the next read of `file` fail with `code`, as a file a virus scanner or a backup holds does on Windows (EBUSY), or
 * any read when a process has too many files open (EMFILE). A stub: neither can be brought about in a test.
 */
export function failReadsOnce(file: string, code: string): { failed(): boolean; restore(): void } {
  const { readFile } = fs.promises;
  let failed = false;
  fs.promises.readFile = (async (target: Parameters<typeof readFile>[0], ...rest: unknown[]) => {
    if (!failed && String(target) === file) {
      failed = true;
      throw Object.assign(new Error(`${code}: resource busy or locked, open '${file}'`), { code });
    }
    return (readFile as (...args: unknown[]) => Promise<unknown>)(target, ...rest);
  }) as typeof readFile;
  return { failed: () => failed, restore: () => (fs.promises.readFile = readFile) };
}

/**
 * A model call's log record in Copilot Chat's OpenTelemetry file, as microsoft/vscode-copilot-chat
 * 31acd00a86424e2ee6e980e54919cf31fbf88030 writes it (src/platform/otel/node/fileExporters.ts): JSON.stringify of the
 * SDK's log record, with the attributes of src/platform/otel/common/genAiEvents.ts emitInferenceDetailsEvent (values
 * from src/extension/prompt/node/chatMLFetcher.ts: response id = result.requestId, prompt and completion tokens).
 */
export function copilotInferenceLogLine(responseId: string, second: number, input: number, output: number): string {
  return JSON.stringify({
    hrTime: [second, 0],
    hrTimeObserved: [second, 0],
    spanContext: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 },
    attributes: {
      'event.name': 'gen_ai.client.inference.operation.details',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.response.model': 'gpt-4.1-2025-04-14',
      'gen_ai.response.id': responseId,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
    },
    _body: 'GenAI inference: gpt-4.1',
  });
}
