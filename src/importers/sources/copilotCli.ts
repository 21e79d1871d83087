// GitHub Copilot CLI session totals. The CLI is a closed binary: the format is the one its SDK's generated event
// types describe (github/copilot-sdk nodejs/src/generated/session-events.ts at cc0438d66e3e68c333537cb935d9425d4e4ed8d5,
// `ShutdownEvent`, `ShutdownData`, `ShutdownModelMetricUsage`), read as ccusage reads it: ccusage/ccusage
// rust/adapters/copilot/src/parser.rs at 130514498d3a90a474651b4e26c7a9620729e51b (`parse_session_state_file`) and
// loader.rs at 251498612684a260a1a8d263aeffa3019a3ddcd1 (`reconcile_session_state_entries`), checked against the
// ccusage 20.0.24 binary (`ccusage copilot daily --json --offline`) on test/fixtures/importers/copilot-cli:
// - `${COPILOT_HOME:-~/.copilot}/session-state/<session id>/events.jsonl`, one event per line (`type`, `id`,
//   `timestamp`, `data`). Per-call usage (`assistant.usage`) is ephemeral and never written; the only token counts
//   kept are each `session.shutdown` event's `data.modelMetrics`, per model `usage {inputTokens, outputTokens,
//   cacheReadTokens, cacheWriteTokens, reasoningTokens}`. A session that has not shut down yet (still open, or left
//   with `/new`) holds no counts and is not counted until it does.
// - `inputTokens` includes cache reads and writes, and `outputTokens` includes reasoning: input is the rest.
// - The counts are the session's running totals per model, and a resumed session writes one more shutdown, so each
//   shutdown counts what it adds to the one before it for that model (field by field, never below zero), dated at
//   its own time. Older CLI builds restarted the totals on resume; ccusage reads them the same way, and so does
//   this parser, so that both count the same.
// - A shutdown is keyed by its event id and model, so a file read again, or a shutdown line written twice, counts
//   once. Model ids lose the internal `-1m` / `-1m-internal` suffix, as in ccusage. ccusage also turns AI credits
//   that no model accounts for into cost-only `unknown` rows; they hold no tokens and are not imported.
import * as path from 'node:path';
import type { ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount } from '../rawJson';

export const COPILOT_CLI_EVENTS_FILE = 'events.jsonl';
const SHUTDOWN = 'session.shutdown';

interface Snapshot {
  key: string;
  t: number;
  line: number;
  model: string;
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}

type Counts = Pick<Snapshot, 'input' | 'output' | 'reasoning' | 'cacheRead' | 'cacheWrite'>;
const COUNT_FIELDS = ['input', 'output', 'reasoning', 'cacheRead', 'cacheWrite'] as const;

function modelName(raw: string): string {
  const model = raw.trim();
  if (model.endsWith('-1m-internal')) return model.slice(0, -'-1m-internal'.length);
  return model.endsWith('-1m') ? model.slice(0, -'-1m'.length) : model;
}

/** One snapshot per model of a `session.shutdown` line, or none for any other line. */
function shutdownSnapshots(line: string, index: number, session: string, context: ParseContext, counted: boolean): Snapshot[] {
  // Most lines are prompts, replies and tool output: only shutdown lines are decoded.
  if (!line.includes(SHUTDOWN)) return [];
  const event = asRecord(parseJsonLine(line, context, counted));
  if (event?.type !== SHUTDOWN) return [];
  const t = parseTimestamp(asString(event.timestamp)?.trim());
  if (t === undefined) {
    context.reject('timestamp');
    return [];
  }
  const metrics = asRecord(asRecord(event.data)?.modelMetrics) ?? {};
  const id = asString(event.id);
  const snapshots: Snapshot[] = [];
  for (const [rawModel, metric] of Object.entries(metrics)) {
    const usage = asRecord(asRecord(metric)?.usage);
    const model = modelName(rawModel);
    if (!usage || model.length === 0) continue;
    const cacheRead = tokenCount(usage.cacheReadTokens);
    const cacheWrite = tokenCount(usage.cacheWriteTokens);
    const counts: Counts = {
      input: Math.max(0, tokenCount(usage.inputTokens) - cacheRead - cacheWrite),
      output: tokenCount(usage.outputTokens),
      reasoning: tokenCount(usage.reasoningTokens),
      cacheRead,
      cacheWrite,
    };
    // Without an event id, ccusage tells shutdowns apart by their time and counts.
    const key = id ?? `${new Date(t).toISOString()}:${COUNT_FIELDS.map((field) => counts[field]).join(':')}`;
    snapshots.push({ key: `${session}:${key}:${model}`, t, line: index, model, ...counts });
  }
  return snapshots;
}

/** What `current` adds to `previous`, field by field and never below zero. */
function added(current: Snapshot, previous: Snapshot | undefined): Counts {
  const counts = { ...current };
  for (const field of COUNT_FIELDS) counts[field] = Math.max(0, current[field] - (previous?.[field] ?? 0));
  return counts;
}

/** `session-state/<session>/events.jsonl`: the session's event log, with per-model totals at each shutdown. */
export const copilotCliEventsParser: WholeFileParser = {
  kind: 'whole',
  source: 'copilot-cli',
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const session = path.basename(path.dirname(filePath));
    const lines = text.split('\n');
    const byKey = new Map<string, Snapshot>();
    lines.forEach((line, index) => {
      // The piece after the last newline may be a line the CLI is still writing: not counted when it is cut.
      for (const snapshot of shutdownSnapshots(line, index, session, context, index < lines.length - 1)) {
        const kept = byKey.get(snapshot.key);
        if (!kept || kept.t <= snapshot.t) byKey.set(snapshot.key, snapshot);
      }
    });
    const byModel = new Map<string, Snapshot[]>();
    for (const snapshot of byKey.values()) byModel.set(snapshot.model, [...(byModel.get(snapshot.model) ?? []), snapshot]);
    const usages: ParsedUsage[] = [];
    for (const snapshots of byModel.values()) {
      snapshots.sort((a, b) => a.t - b.t || a.line - b.line);
      snapshots.forEach((snapshot, index) => {
        const counts = added(snapshot, snapshots[index - 1]);
        if (counts.input + counts.output + counts.cacheRead + counts.cacheWrite + counts.reasoning === 0) return;
        usages.push({
          key: snapshot.key,
          t: snapshot.t,
          model: snapshot.model,
          inputTokens: counts.input,
          outputTokens: counts.output,
          reasoningTokens: Math.min(counts.reasoning, counts.output),
          cacheReadTokens: counts.cacheRead,
          cacheWrite5mTokens: counts.cacheWrite,
          cacheWrite1hTokens: 0,
          tokensKnown: true,
          reportedCostUSD: null,
          sessionKey: session,
          projectKey: '',
        });
      });
    }
    return usages;
  },
};
