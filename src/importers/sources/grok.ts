// Grok Build CLI (xAI's `grok` coding agent), whose source is closed: read as ccusage reads it, ryoppippi/ccusage
// rust/crates/ccusage/src/adapter/grok/{parser,paths}.rs at 29e92c28eec5d6ae333f3c93ab8969d73744a5b5, each point
// below checked by running the ccusage 20.0.24 binary on logs of this shape:
// - `$GROK_HOME`, else `~/.grok` (ccusage 20.0.24 reads one folder there; later versions a comma list); one folder per session in `sessions/<URL-encoded cwd>/<session>/`,
//   holding `updates.jsonl`, an append-only log of the agent's JSON-RPC `session/update` notifications
//   (`{jsonrpc, method, timestamp, params: {sessionId, update: {sessionUpdate, …}, _meta}}`), and `summary.json`.
// - A `turn_completed` update carries the turn's `usage`, summed over its API requests: `inputTokens` (its cache
//   reads `cachedReadTokens` and writes `cacheCreationTokens` inside), `outputTokens` (its `reasoningTokens` inside:
//   `totalTokens = inputTokens + outputTokens`), `costUsdTicks` (1e-10 USD each), and the same per model in
//   `modelUsage`: one record per model of the turn.
// - `costIsPartial: true` on a row (Grok Build 1.0.41, npm `@xai-official/grok`; its `PromptUsageModel` in
//   crates/codegen/xai-grok-shell) means some of its calls reported no cost: the ticks are a partial sum, "do not
//   trust this row's cost". Such a row is priced from its tokens instead.
// - A turn is dated by `_meta.agentTimestampMs`, else by the envelope's `timestamp` (Unix seconds), and known by
//   `_meta.eventId` with the model (a repeated line counts once), else by its session, time, model and tokens.
// - A turn without `modelUsage` is its `usage` under the model `summary.json` names (`current_model_id`); a log line
//   cannot see that file, so Assay names it unknown (unpriced).
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL, type JsonRecord, storedDigest } from '../rawJson';

export interface GrokFileState {
  /** Keyed digest of the session folder's name (the session id, which the lines repeat). */
  session: string;
  /** Keyed digest of the project folder's name (the URL-encoded working directory). */
  project: string;
}

/** Grok's fixed-point cost: ticks of 1e-10 USD (verified by ccusage against xAI's list prices). */
const TICKS_PER_USD = 1e10;

function turnTime(line: JsonRecord, meta: JsonRecord | undefined): number | undefined {
  const agentMs = meta?.agentTimestampMs;
  if (typeof agentMs === 'number' && agentMs > 0) return parseTimestamp(agentMs);
  return typeof line.timestamp === 'number' && line.timestamp > 0 ? parseTimestamp(Math.floor(line.timestamp) * 1000) : undefined;
}

function usageOfModel(model: string, counts: JsonRecord, key: (model: string, tokens: number[]) => string, t: number, state: GrokFileState): ParsedUsage | undefined {
  const input = tokenCount(counts.inputTokens);
  const cacheRead = Math.min(tokenCount(counts.cachedReadTokens), input);
  const cacheWrite = Math.min(tokenCount(counts.cacheCreationTokens), input - cacheRead);
  const output = tokenCount(counts.outputTokens);
  const reasoning = tokenCount(counts.reasoningTokens);
  const tokens = [input - cacheRead - cacheWrite, cacheRead, cacheWrite, output, reasoning];
  if (tokens.every((count) => count === 0)) return undefined;
  // A partial bill would undercount the row: its tokens are priced instead.
  const ticks = counts.costIsPartial === true ? 0 : tokenCount(counts.costUsdTicks);
  return {
    key: key(model, tokens),
    t,
    model,
    inputTokens: tokens[0],
    outputTokens: output,
    reasoningTokens: Math.min(reasoning, output),
    cacheReadTokens: cacheRead,
    cacheWrite5mTokens: cacheWrite,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: ticks > 0 ? ticks / TICKS_PER_USD : null,
    sessionKey: state.session,
    projectKey: state.project,
  };
}

/** `sessions/<project>/<session>/updates.jsonl`: append-only notifications, one record per model of a completed turn. */
export const grokUpdatesParser: LineParser<GrokFileState> = {
  kind: 'lines',
  source: 'grok-build',
  // Revision 1: a row whose reported cost is partial keeps none (Grok Build 1.0.41). Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  storedState: z.object({ session: storedDigest, project: storedDigest }),
  initialState(filePath: string, context: ParseContext): GrokFileState {
    const parts = filePath.split(/[\\/]/).filter((part) => part.length > 0);
    return { session: context.nameDigest(parts[parts.length - 2] ?? ''), project: context.nameDigest(parts[parts.length - 3] ?? '') };
  },
  parseLine(line: string, state: GrokFileState, context: ParseContext): ParsedUsage[] {
    const record = asRecord(parseJsonLine(line, context));
    const params = asRecord(record?.params);
    const update = asRecord(params?.update);
    const usage = asRecord(update?.usage);
    if (!record || !params || update?.sessionUpdate !== 'turn_completed' || !usage) return [];
    const meta = asRecord(params._meta);
    const t = turnTime(record, meta);
    if (t === undefined) {
      context.reject('timestamp');
      return [];
    }
    const eventId = asString(meta?.eventId);
    const key = (model: string, tokens: number[]) => (eventId === undefined ? `${state.session}|${t}|${model}|${tokens.join('|')}` : `${eventId}|${model}`);
    const byModel = Object.entries(asRecord(usage.modelUsage) ?? {}).flatMap(([model, counts]) => {
      const record = asRecord(counts);
      return record ? [[model, record] as const] : [];
    });
    const rows = byModel.length > 0 ? byModel : [[UNKNOWN_MODEL, usage] as const];
    return rows.flatMap(([model, counts]) => usageOfModel(model, counts, key, t, state) ?? []);
  },
  lineMarkers: ['"turn_completed"'],
};
