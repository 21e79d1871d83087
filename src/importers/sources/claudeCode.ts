// Claude Code transcripts: `<config dir>/projects/<project>/<session>.jsonl`, plus
// `<project>/<session>/subagents/[<subdir>/]agent-<id>.jsonl` for subagents. Verified against ccusage 20.0.x
// (rust/crates/ccusage/src/adapter/claude/{mod,daily}.rs), which is the reference we cross-check:
// - a usage line is `{timestamp, sessionId, requestId, isSidechain, costUSD?, message: {id, model, usage}}`;
//   Task-tool progress lines nest the same record under `data.message` (`{data: {message: {timestamp,
//   requestId, isSidechain, message: {id, model, usage}}}}`) and are parsed the same way;
// - streaming writes one line per content block, each with the response's usage so far: copies share
//   (message.id, requestId) and the copy with the largest token total is the response;
// - sidechain transcripts (subagents, `/btw`) replay parent messages with the same message.id and a new
//   requestId: the non-sidechain copy wins (ccusage issue #913);
// - `cache_creation_input_tokens` is the cache write; `cache_creation.ephemeral_1h_input_tokens` (capped at it) is its
//   hour-long part and the rest is priced as five-minute writes. Claude Code 2.1.332 (npm
//   @anthropic-ai/claude-code-linux-x64 2.1.332, the bundle in its `claude` binary) logs `message.usage` as its
//   merge `Pse(Jg, usage)` onto a default whose `cache_creation` is `{ephemeral_1h_input_tokens: 0,
//   ephemeral_5m_input_tokens: 0}`, so a response whose API reported no split (Bedrock, Vertex) is logged with
//   zeros beside a non-zero total; its own pricing (`$kn`, `RF`) reads the total so. Only when the total is 0 does the
//   split's sum stand for it, as `Pse` itself fills it;
// - `usage.output_tokens_details.thinking_tokens` (same version; "already counted inside outputTokens" in its SDK
//   schema) is the reasoning part of the output;
// - `usage.speed == "fast"` is billed differently: the model gets a `-fast` suffix, as ccusage does;
// - `<synthetic>` messages are written by Claude Code itself (errors, interruptions), not by a model:
//   they are not responses and carry no cost, so they are skipped;
// - with the advisor tool (Claude Code 2.1.98 and later), `message.usage.iterations[]` holds the API's
//   sub-inferences, and those of type `advisor_message` carry the advisor model's own `model` and counts, which
//   the top-level counts leave out (Anthropic's advisor tool documentation, usage and billing; ccusage issue
//   #1115 shows such a line, and ccusage counts each under its model since PR #1423): each is a record of its own.
// - a response the API paused at a limit and Claude Code resumed with a new request (2.1.332 and later, behind a
//   server-side flag) carries each paused request's final counts in `message.pausedResponses[]` (its message_delta
//   handler: `VL.push({limit: paused_limit, usage, requestId, resumedRequestId})`, then every line of the response gets
//   `message.pausedResponses = VL`); lines written before the pause carry that request's id and its counts so far.
// The cross-file choice between copies is made by the import machinery from `copyOf` (see incremental.ts),
// because a subagent file and its parent are separate files read in any order and in separate runs.
//
// Agent edits (docs/metrics.md, Agent output): the user line that answers an Edit, MultiEdit or Write call carries
// `toolUseResult {filePath, structuredPatch: [{oldStart, oldLines, newStart, newLines, lines: ["+…", "-…", " …"]}]}`,
// plus `type: "create" | "update"` and `content` for Write (a create's patch is empty: its lines are `content`). The
// shapes are the tool outputs FileEditOutput and FileWriteOutput of the Claude Agent SDK's sdk-tools.d.ts
// (Cometix-Org/Claude-Code-Agent-SDK-Typescript-Tracker sdk-tools.d.ts at 83bc93e615f09e807c6e3ba72ac9061861e6fde4),
// and claude-code-log's EditResult (daaain/claude-code-log claude_code_log/models.py at
// a641071a154f041b96e9b83ccd42d2f92eaa321a), whose ToolUseResult is a plain string for a failed call
// ("Error: …", with `is_error: true` on the tool_result block): such a call wrote nothing. The tool_result block's
// `tool_use_id` is the edit's key; the assistant line that made the call (`message.content[].type == "tool_use"`,
// `id`) gives its response and model.
import * as path from 'node:path';
import type { ParsedEdit } from '../../agentOutput/types';
import { countHunkLines, nonBlankLines, type EditLines } from '../../agentOutput/lines';
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage } from '../types';
import { parseClaudeLimitReached } from '../../money/limits';
import { asRecord, asString, parseJsonLine, parseTimestamp, remembered, tokenCount, type JsonRecord, UNKNOWN_MODEL, storedDigest } from '../rawJson';

export interface ClaudeFileState {
  /** Digest of the project folder name (first folder under `projects/`). */
  project: string;
  /** Digest of the session derived from the path, used when a line has no `sessionId`. */
  session: string;
  /** Model of the last response read (stored under the name the ledger keeps), for an edit whose call was not read. */
  lastModel?: string | null;
  /** Response of each recent tool call (raw ids: kept in memory only, never stored). */
  calls?: Record<string, { responseKey: string; model: string }>;
}

/** Tool calls remembered per file: a call's result follows it within a few lines. */
const MAX_REMEMBERED_CALLS = 64;

const SYNTHETIC_MODEL = '<synthetic>';

function pathParts(filePath: string): string[] {
  return filePath.split(/[\\/]+/).filter((part) => part.length > 0);
}

/** Project and session names from the path, as ccusage derives them (extract_project, extract_session_parts). */
export function claudePathContext(filePath: string): { project: string; session: string } {
  const parts = pathParts(filePath);
  const projectsAt = parts.lastIndexOf('projects');
  const relative = projectsAt >= 0 ? parts.slice(projectsAt + 1) : parts.slice(-2);
  const project = relative.length > 1 ? relative[0] : 'unknown';
  const fileStem = (relative[relative.length - 1] ?? '').replace(/\.jsonl$/i, '');
  let session: string;
  if (relative.length === 2) session = fileStem;
  // Claude Code 2.1.332 may file a subagent one folder deeper, `<session>/subagents/<subdir>/agent-<id>.jsonl`
  // (its agentTranscriptSubdirs; its own path reader takes `subagents` as the third part, any folders after it).
  else if (relative.length >= 4 && relative[2] === 'subagents') session = relative[1];
  else session = relative[relative.length - 2] ?? fileStem;
  return { project, session: session || 'unknown' };
}

interface UsageRecord {
  timestamp: unknown;
  message: JsonRecord;
  usage: JsonRecord;
  requestId: unknown;
  isSidechain: unknown;
  costUSD: unknown;
  sessionId: unknown;
}

function usageRecord(entry: JsonRecord): UsageRecord | undefined {
  const message = asRecord(entry.message);
  const usage = message && asRecord(message.usage);
  if (message && usage) {
    return {
      timestamp: entry.timestamp,
      message,
      usage,
      requestId: entry.requestId,
      isSidechain: entry.isSidechain,
      costUSD: entry.costUSD,
      sessionId: entry.sessionId,
    };
  }
  const progress = asRecord(asRecord(asRecord(entry.data)?.message));
  const inner = progress && asRecord(progress.message);
  const innerUsage = inner && asRecord(inner.usage);
  if (progress && inner && innerUsage) {
    return {
      timestamp: progress.timestamp,
      message: inner,
      usage: innerUsage,
      requestId: progress.requestId,
      isSidechain: progress.isSidechain,
      costUSD: progress.costUSD,
      sessionId: entry.sessionId,
    };
  }
  return undefined;
}

export function parseClaudeLine(line: string, state: ClaudeFileState, context: ParseContext): ParsedUsage[] {
  // Lines without `"usage"` or `"structuredPatch"` (most bytes: user turns, other tool results) are skipped
  // unread through `lineMarkers`.
  const entry = asRecord(parseJsonLine(line, context));
  if (!entry) return [];
  // A subscription limit that stopped a request (src/money/limits.ts): a synthetic line, never a usage record.
  const reached = parseClaudeLimitReached(entry);
  if (reached) context.limit(reached);
  const record = usageRecord(entry);
  if (!record) {
    const edit = editOf(entry, state);
    if (edit) context.edit(edit);
    return [];
  }
  const t = parseTimestamp(record.timestamp);
  if (t === undefined) {
    context.reject('timestamp');
    return [];
  }
  const { usage, message } = record;
  // ccusage requires both counts; a usage block without them (or with null, as rawJson.ts reads a missing count) is
  // not a finished response record.
  const absent = (count: unknown) => count === undefined || count === null;
  if (absent(usage.input_tokens) || absent(usage.output_tokens)) return [];
  const rawModel = asString(message.model);
  if (rawModel === SYNTHETIC_MODEL) return [];
  // A response whose counts are there but are no numbers (`"100"`) cannot be counted: it is a bad line, not a non-record.
  if (typeof usage.input_tokens !== 'number' || typeof usage.output_tokens !== 'number') {
    context.reject('tokens');
    return [];
  }

  const model = rawModel ? (usage.speed === 'fast' ? `${rawModel}-fast` : rawModel) : UNKNOWN_MODEL;
  const messageId = asString(message.id);
  const requestId = asString(record.requestId) ?? '';
  const cost = record.costUSD;
  const key = messageId ? `${messageId}:${requestId}` : `line:${context.nameDigest(line)}`;
  rememberCalls(state, message, key, model);
  const sessionKey = asString(record.sessionId) ?? state.session;
  const replay = record.isSidechain === true;

  const reportedCostUSD = typeof cost === 'number' && Number.isFinite(cost) && cost >= 0 ? cost : null;
  const advisorModel = asString(entry.advisorModel);
  const records: ParsedUsage[] = [];
  const addRequest = (requestKey: string, requestUsage: JsonRecord, requestModel: string, requestCost: number | null) => {
    records.push(claudeRecord(requestKey, t, requestModel, requestUsage, requestCost, sessionKey, state.project, messageId === undefined ? undefined : { responseId: messageId, replay }));
    advisorCalls(requestUsage, advisorModel).forEach((advisor, index) => {
      const copyOf = messageId === undefined ? undefined : { responseId: `${messageId}:${requestKey === key ? '' : `${requestKey}:`}advisor:${index}`, replay };
      records.push(claudeRecord(`${requestKey}:advisor:${index}`, t, advisor.model, advisor.usage, null, sessionKey, state.project, copyOf));
    });
  };
  const paused = pausedRequests(message.pausedResponses);
  // Each paused request is a record of its own, keyed as the lines it wrote before its pause are (message id and its
  // request id), so that its final counts replace their counts so far. Where that pairing cannot hold, its counts join
  // the response's, as Claude Code's own readers add them (Igt), and that total outweighs any copy so far: when the
  // ids are missing, and in a sidechain, whose records all count as replays, and any replay of a response stands for
  // every copy of it (emittedIndex.ts, admit): the requests of one response would fold into one.
  const separate = paused.length > 0 && !replay && messageId !== undefined && requestId !== '' && paused.every((part) => part.requestId !== undefined);
  addRequest(key, separate || paused.length === 0 ? usage : withPausedUsage(usage, paused), model, reportedCostUSD);
  if (separate) {
    for (const part of paused) {
      addRequest(`${messageId}:${part.requestId}`, part.usage, rawModel ? (part.usage.speed === 'fast' ? `${rawModel}-fast` : rawModel) : UNKNOWN_MODEL, null);
    }
  }
  return records;
}

/** A response's usage with its paused requests' counts added, cache write split and thinking tokens too. */
function withPausedUsage(usage: JsonRecord, paused: ReadonlyArray<{ usage: JsonRecord }>): JsonRecord {
  const parts = [usage, ...paused.map((part) => part.usage)];
  const sum = (count: (part: JsonRecord) => unknown) => parts.reduce((total, part) => total + tokenCount(count(part)), 0);
  const split = (part: JsonRecord) => asRecord(part.cache_creation);
  return {
    ...usage,
    input_tokens: sum((part) => part.input_tokens),
    output_tokens: sum((part) => part.output_tokens),
    cache_read_input_tokens: sum((part) => part.cache_read_input_tokens),
    cache_creation_input_tokens: sum((part) => part.cache_creation_input_tokens),
    cache_creation: {
      ephemeral_1h_input_tokens: sum((part) => split(part)?.ephemeral_1h_input_tokens),
      ephemeral_5m_input_tokens: sum((part) => split(part)?.ephemeral_5m_input_tokens),
    },
    output_tokens_details: { thinking_tokens: sum((part) => asRecord(part.output_tokens_details)?.thinking_tokens) },
    // The paused requests' advisor calls are records of their own (below the response's).
    iterations: parts.flatMap((part) => (Array.isArray(part.iterations) ? part.iterations : [])),
  };
}

/** Far above the pauses one response makes (each is the API stopping at a limit and Claude Code resuming it). */
const MAX_PAUSED_REQUESTS = 32;

/**
 * The requests of a response the API paused and Claude Code resumed with a new request (Claude Code 2.1.332 and later,
 * behind a server-side flag): `message.pausedResponses[]`, each `{limit, usage, requestId, resumedRequestId, …}` with the
 * counts of one paused request, which `message.usage` (the last request's) leaves out. Claude Code's own transcript
 * readers add them to the response once per message id (its `Igt` in the 2.1.332 bundle). Where it can be told apart
 * (parseClaudeLine), each is a record of its own, as it was a request of its own: priced by its own size (long-context
 * rates) and under its own fast mode.
 */
function pausedRequests(value: unknown): Array<{ requestId: string | undefined; usage: JsonRecord }> {
  if (!Array.isArray(value)) return [];
  const requests: Array<{ requestId: string | undefined; usage: JsonRecord }> = [];
  for (const entry of value) {
    const paused = asRecord(entry);
    const usage = paused && asRecord(paused.usage);
    if (!paused || !usage || typeof usage.input_tokens !== 'number' || typeof usage.output_tokens !== 'number') continue;
    requests.push({ requestId: asString(paused.requestId), usage });
    if (requests.length === MAX_PAUSED_REQUESTS) break;
  }
  return requests;
}

/** Every record built by one literal: a spread of the counts into it made the parse of each line measurably slower. */
function claudeRecord(
  key: string,
  t: number,
  model: string,
  usage: JsonRecord,
  reportedCostUSD: number | null,
  sessionKey: string,
  projectKey: string,
  copyOf: ParsedUsage['copyOf'],
): ParsedUsage {
  const cacheCreation = asRecord(usage.cache_creation);
  const split1h = cacheCreation ? tokenCount(cacheCreation.ephemeral_1h_input_tokens) : 0;
  const split5m = cacheCreation ? tokenCount(cacheCreation.ephemeral_5m_input_tokens) : 0;
  const cacheWrite = tokenCount(usage.cache_creation_input_tokens) || split1h + split5m;
  const cacheWrite1h = Math.min(split1h, cacheWrite);
  const outputTokens = tokenCount(usage.output_tokens);
  return {
    key,
    t,
    model,
    inputTokens: tokenCount(usage.input_tokens),
    outputTokens,
    reasoningTokens: Math.min(tokenCount(asRecord(usage.output_tokens_details)?.thinking_tokens), outputTokens),
    cacheReadTokens: tokenCount(usage.cache_read_input_tokens),
    cacheWrite5mTokens: cacheWrite - cacheWrite1h,
    cacheWrite1hTokens: cacheWrite1h,
    tokensKnown: true,
    reportedCostUSD,
    sessionKey,
    projectKey,
    ...(copyOf ? { copyOf } : {}),
  };
}

/** Far above the advisor calls one response makes (Claude consults it at a few moments of a task). */
const MAX_ADVISOR_CALLS = 32;

/**
 * The advisor's inferences within a response: `usage.iterations[]` entries of type `advisor_message`, each with its
 * own `model` and counts, which the response's own counts leave out (Anthropic's advisor tool, Claude Code 2.1.98 and
 * later; ccusage issue #1115 shows a logged line). Each is a response of the advisor model, numbered in order so that
 * a streamed copy with more of them keeps the first ones' keys.
 */
function advisorCalls(usage: JsonRecord, advisorModel: string | undefined): Array<{ model: string; usage: JsonRecord }> {
  if (!Array.isArray(usage.iterations)) return [];
  const calls: Array<{ model: string; usage: JsonRecord }> = [];
  for (const entry of usage.iterations) {
    const iteration = asRecord(entry);
    if (iteration?.type !== 'advisor_message') continue;
    calls.push({ model: asString(iteration.model) ?? advisorModel ?? UNKNOWN_MODEL, usage: iteration });
    if (calls.length === MAX_ADVISOR_CALLS) break;
  }
  return calls;
}

function rememberCalls(state: ClaudeFileState, message: JsonRecord, responseKey: string, model: string): void {
  state.lastModel = model;
  if (!Array.isArray(message.content)) return;
  for (const block of message.content) {
    const call = asRecord(block);
    const id = call?.type === 'tool_use' ? asString(call.id) : undefined;
    if (!id) continue;
    // No prototype: a logged id `__proto__` is a key like any other.
    const calls = (state.calls ??= Object.create(null) as NonNullable<ClaudeFileState['calls']>);
    calls[id] = { responseKey, model };
    const ids = Object.keys(calls);
    if (ids.length > MAX_REMEMBERED_CALLS) delete calls[ids[0]];
  }
}

/** The tool_result block a user line answers, if the call did not fail. */
function toolResult(entry: JsonRecord): { id: string | undefined } | undefined {
  const content = asRecord(entry.message)?.content;
  if (!Array.isArray(content)) return { id: undefined };
  for (const block of content) {
    const result = asRecord(block);
    if (result?.type !== 'tool_result') continue;
    if (result.is_error === true) return undefined;
    return { id: asString(result.tool_use_id) };
  }
  return { id: undefined };
}

function editLines(result: JsonRecord): EditLines | undefined {
  if (result.type === 'create') {
    const content = asString(result.content);
    return { addedLines: content === undefined ? [] : nonBlankLines(content), removedLines: 0 };
  }
  if (!Array.isArray(result.structuredPatch)) return undefined;
  const hunks: string[][] = [];
  for (const hunk of result.structuredPatch) {
    const lines = asRecord(hunk)?.lines;
    if (Array.isArray(lines)) hunks.push(lines.filter((line): line is string => typeof line === 'string'));
  }
  return countHunkLines(hunks);
}

/** An Edit, MultiEdit or Write that was applied, from the user line carrying its result. */
function editOf(entry: JsonRecord, state: ClaudeFileState): ParsedEdit | undefined {
  const result = asRecord(entry.toolUseResult);
  const rawPath = result && asString(result.filePath);
  if (!result || !rawPath || !Array.isArray(result.structuredPatch)) return undefined;
  const answered = toolResult(entry);
  if (!answered) return undefined;
  const key = answered.id ?? asString(entry.uuid);
  const t = parseTimestamp(entry.timestamp);
  const lines = editLines(result);
  if (!key || t === undefined || !lines) return undefined;
  const cwd = asString(entry.cwd);
  const call = answered.id === undefined ? undefined : remembered(state.calls, answered.id);
  return {
    key,
    t,
    model: call?.model ?? state.lastModel ?? UNKNOWN_MODEL,
    ...(call ? { responseKey: call.responseKey } : {}),
    sessionKey: asString(entry.sessionId) ?? state.session,
    filePath: path.isAbsolute(rawPath) || cwd === undefined ? rawPath : path.resolve(cwd, rawPath),
    addedLines: lines.addedLines,
    removedLines: lines.removedLines,
  };
}

export const claudeCodeParser: LineParser<ClaudeFileState> = {
  kind: 'lines',
  source: 'claude-code',
  // Revision 1: the cache write is `cache_creation_input_tokens`, also beside a zero split (Bedrock, Vertex), and thinking tokens are kept as reasoning (Claude Code 2.1.332).
  // Revision 2: the requests of a paused and resumed response (`message.pausedResponses`) are counted. Logs read before are read again once (types.ts, ParserRevision).
  revision: 2,
  storedState: z.object({ project: storedDigest, session: storedDigest, lastModel: z.string().nullable().optional() }),
  initialState(filePath: string, context: ParseContext): ClaudeFileState {
    const { project, session } = claudePathContext(filePath);
    return { project: context.nameDigest(project), session: context.nameDigest(`${project}/${session}`) };
  },
  parseLine: parseClaudeLine,
  stateForStorage(state: ClaudeFileState, keptModelName: (rawModel: string) => string): ClaudeFileState {
    // Tool call ids and raw model names stay in memory; a call answered in a later run takes the last model.
    return {
      project: state.project,
      session: state.session,
      lastModel: state.lastModel === undefined || state.lastModel === null ? null : keptModelName(state.lastModel),
    };
  },
  lineMarkers: ['"usage"', '"structuredPatch"', '"isApiErrorMessage"'],
};
