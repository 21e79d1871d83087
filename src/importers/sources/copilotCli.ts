// GitHub Copilot CLI sessions: each model call it records, and its session totals. The CLI is a closed binary: the
// format is the one its SDK's generated event types describe (github/copilot-sdk nodejs/src/generated/session-events.ts
// at cc0438d66e3e68c333537cb935d9425d4e4ed8d5, `ShutdownEvent`, `ShutdownData`, `ShutdownModelMetricUsage`), checked
// against what CLI 1.0.102 itself wrote (npm `@github/copilot-linux-x64` 1.0.102, build 638eca2df17, run on a
// model endpoint of our own: test/fixtures/importers/copilot-cli/README.md). Totals are read as ccusage reads them:
// ccusage/ccusage rust/adapters/copilot/src/parser.rs at 130514498d3a90a474651b4e26c7a9620729e51b
// (`parse_session_state_file`) and loader.rs at 251498612684a260a1a8d263aeffa3019a3ddcd1
// (`reconcile_session_state_entries`), checked against the ccusage 20.0.24 binary (`ccusage copilot daily --json
// --offline`) on test/fixtures/importers/copilot-cli:
// - `${COPILOT_HOME:-~/.copilot}/session-state/<session id>/events.jsonl`, one event per line (`type`, `id`,
//   `timestamp`, `data`).
// - Each model call: a `session.usage_record` event (1.0.102 writes one per call; older builds' logs may hold none)
//   with `data.usage {model, inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens,
//   apiCallId, accounting {sourceSessionId, usageId}}`, dated by the event. `usageId` is the response id, the same as
//   the chat span's `gen_ai.response.id` in the CLI's OpenTelemetry file, which copilotChatOtel.ts therefore leaves
//   out: the CLI's calls are counted from here, once. A fork copies its source's records with the source's
//   `sourceSessionId`: keyed by it, a copy counts once.
// - Each `session.shutdown` event's `data.modelMetrics`, per model `usage {...}` as above: the session's running totals
//   per model, and a resumed session writes one more shutdown, so each shutdown counts what it adds to the one before
//   it for that model (field by field, never below zero), dated at its own time. Older CLI builds restarted the
//   totals on resume; ccusage reads them the same way, and so does this parser, so that both count the same.
// - What a shutdown adds, less the calls of that model recorded since the previous shutdown (up to and including its
//   own time), is counted as one record at the shutdown: calls the session log does not record one by one (older
//   builds) still count, and recorded ones count once. A session that has not shut down yet counts its recorded
//   calls; with none, it counts once it shuts down.
// - `inputTokens` includes cache reads and writes, and `outputTokens` includes reasoning: input is the rest.
// - A shutdown is keyed by its event id and model, so a file read again, or a shutdown line written twice, counts
//   once. Model ids lose the internal `-1m` / `-1m-internal` suffix, as in ccusage. ccusage also turns AI credits
//   that no model accounts for into cost-only `unknown` rows; they hold no tokens and are not imported.
import * as path from 'node:path';
import type { ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, type JsonRecord } from '../rawJson';

const SHUTDOWN = 'session.shutdown';
const USAGE_RECORD = 'session.usage_record';

/** Token counts in Assay's convention (docs/metrics.md): input without cache, output with reasoning. */
interface Counts {
  input: number;
  output: number;
  reasoning: number;
  cacheRead: number;
  cacheWrite: number;
}
const COUNT_FIELDS = ['input', 'output', 'reasoning', 'cacheRead', 'cacheWrite'] as const;

/** One model's counts at one point of the log: a shutdown's running totals, or one recorded call. */
interface Entry extends Counts {
  key: string;
  t: number;
  line: number;
  model: string;
  session: string;
}

function modelName(raw: string): string {
  const model = raw.trim();
  if (model.endsWith('-1m-internal')) return model.slice(0, -'-1m-internal'.length);
  return model.endsWith('-1m') ? model.slice(0, -'-1m'.length) : model;
}

function countsOf(usage: JsonRecord): Counts {
  const cacheRead = tokenCount(usage.cacheReadTokens);
  const cacheWrite = tokenCount(usage.cacheWriteTokens);
  return {
    input: Math.max(0, tokenCount(usage.inputTokens) - cacheRead - cacheWrite),
    output: tokenCount(usage.outputTokens),
    reasoning: tokenCount(usage.reasoningTokens),
    cacheRead,
    cacheWrite,
  };
}

/** The event of a line of type `type`, with its time; undefined for any other line. */
function eventOf(line: string, type: string, context: ParseContext, counted: boolean): { event: JsonRecord; t: number } | undefined {
  // Most lines are prompts, replies and tool output: only lines naming the type are decoded.
  if (!line.includes(type)) return undefined;
  const event = asRecord(parseJsonLine(line, context, counted));
  if (event?.type !== type) return undefined;
  const t = parseTimestamp(asString(event.timestamp)?.trim());
  if (t === undefined) {
    context.reject('timestamp');
    return undefined;
  }
  return { event, t };
}

/** One snapshot per model of a `session.shutdown` line, or none for any other line. */
function shutdownSnapshots(line: string, index: number, session: string, context: ParseContext, counted: boolean): Entry[] {
  const found = eventOf(line, SHUTDOWN, context, counted);
  if (!found) return [];
  const { event, t } = found;
  const metrics = asRecord(asRecord(event.data)?.modelMetrics) ?? {};
  const id = asString(event.id);
  const snapshots: Entry[] = [];
  for (const [rawModel, metric] of Object.entries(metrics)) {
    const usage = asRecord(asRecord(metric)?.usage);
    const model = modelName(rawModel);
    if (!usage || model.length === 0) continue;
    const counts = countsOf(usage);
    // Without an event id, ccusage tells shutdowns apart by their time and counts.
    const key = id ?? `${new Date(t).toISOString()}:${COUNT_FIELDS.map((field) => counts[field]).join(':')}`;
    snapshots.push({ key: `${session}:${key}:${model}`, t, line: index, model, session, ...counts });
  }
  return snapshots;
}

/** The call a `session.usage_record` line records, or undefined for any other line. */
function recordedCall(line: string, index: number, session: string, context: ParseContext, counted: boolean): Entry | undefined {
  const found = eventOf(line, USAGE_RECORD, context, counted);
  if (!found) return undefined;
  const { event, t } = found;
  const usage = asRecord(asRecord(event.data)?.usage);
  const model = modelName(asString(usage?.model) ?? '');
  if (!usage || model.length === 0) return undefined;
  const accounting = asRecord(usage.accounting);
  const callId = asString(accounting?.usageId) ?? asString(usage.apiCallId) ?? asString(event.id);
  if (!callId) return undefined;
  const source = asString(accounting?.sourceSessionId) ?? session;
  return { key: `${source}:call:${callId}`, t, line: index, model, session: source, ...countsOf(usage) };
}

/** What `current` adds to `previous`, field by field and never below zero. */
function added(current: Counts, previous: Counts | undefined): Counts {
  const counts = { ...current };
  for (const field of COUNT_FIELDS) counts[field] = Math.max(0, current[field] - (previous?.[field] ?? 0));
  return counts;
}

function sum(entries: Counts[]): Counts {
  const total: Counts = { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 };
  for (const entry of entries) for (const field of COUNT_FIELDS) total[field] += entry[field];
  return total;
}

function hasTokens(counts: Counts): boolean {
  return COUNT_FIELDS.some((field) => counts[field] > 0);
}

function usageOf(entry: Entry, counts: Counts): ParsedUsage {
  return {
    key: entry.key,
    t: entry.t,
    model: entry.model,
    inputTokens: counts.input,
    outputTokens: counts.output,
    reasoningTokens: Math.min(counts.reasoning, counts.output),
    cacheReadTokens: counts.cacheRead,
    cacheWrite5mTokens: counts.cacheWrite,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey: entry.session,
    projectKey: '',
  };
}

/** Keeps, per key, the entry written last (a line repeated later, or the latest of two copies). */
function keepLatest(byKey: Map<string, Entry>, entry: Entry): void {
  const kept = byKey.get(entry.key);
  if (!kept || kept.t <= entry.t) byKey.set(entry.key, entry);
}

function groupByModel(entries: Iterable<Entry>): Map<string, Entry[]> {
  const byModel = new Map<string, Entry[]>();
  for (const entry of entries) {
    const list = byModel.get(entry.model);
    if (list) list.push(entry);
    else byModel.set(entry.model, [entry]);
  }
  for (const list of byModel.values()) list.sort((a, b) => a.t - b.t || a.line - b.line);
  return byModel;
}

/** `session-state/<session>/events.jsonl`: the session's event log, with its recorded calls and per-model totals. */
export const copilotCliEventsParser: WholeFileParser = {
  kind: 'whole',
  source: 'copilot-cli',
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const session = path.basename(path.dirname(filePath));
    const lines = text.split('\n');
    const snapshots = new Map<string, Entry>();
    const calls = new Map<string, Entry>();
    lines.forEach((line, index) => {
      // The piece after the last newline may be a line the CLI is still writing: not counted when it is cut.
      const counted = index < lines.length - 1;
      for (const snapshot of shutdownSnapshots(line, index, session, context, counted)) keepLatest(snapshots, snapshot);
      const call = recordedCall(line, index, session, context, counted);
      if (call) keepLatest(calls, call);
    });
    const usages = [...calls.values()].map((call) => usageOf(call, call));
    const callsByModel = groupByModel(calls.values());
    for (const [model, modelSnapshots] of groupByModel(snapshots.values())) {
      const modelCalls = callsByModel.get(model) ?? [];
      // Both are in time order: the calls since the previous shutdown follow the ones taken before. Filtering all of them
      // for each shutdown took time growing with the square of a session's length.
      let taken = 0;
      modelSnapshots.forEach((snapshot, index) => {
        const previous = modelSnapshots[index - 1];
        const from = taken;
        while (taken < modelCalls.length && modelCalls[taken].t <= snapshot.t) taken++;
        const recorded = modelCalls.slice(from, taken);
        const rest = added(added(snapshot, previous), sum(recorded));
        if (hasTokens(rest)) usages.push(usageOf(snapshot, rest));
      });
    }
    return usages;
  },
};
