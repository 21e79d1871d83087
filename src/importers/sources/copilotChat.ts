// GitHub Copilot Chat sessions as VS Code stores them: `User/workspaceStorage/<workspace id>/chatSessions/`
// and, for windows without a folder, `User/globalStorage/emptyWindowChatSessions/`.
// Verified against microsoft/vscode (src/vs/workbench/contrib/chat/common/model/chatSessionStore.ts,
// chatSessionOperationLog.ts, objectMutationLog.ts, chatService.ts ResponseModelState) and
// microsoft/vscode-copilot-chat (src/extension/prompt/common/conversation.ts IResultMetadata,
// intents/node/toolCallingLoop.ts, prompt/node/defaultIntentRequestHandler.ts):
// - `<session id>.json`: one ISerializableChatData object `{version, sessionId, creationDate, requests}`.
// - `<session id>.jsonl` (VS Code 1.109 and later): an operation log replayed line by line:
//   `{kind: 0, v}` sets the whole state, `{kind: 1, k: path, v}` sets the value at `path`,
//   `{kind: 2, k: path, v?: items, i?: index}` truncates the array at `path` to `i` (when given), then
//   appends `v`, `{kind: 3, k: path}` deletes the value at `path`. Compaction rewrites the file as one
//   `kind: 0` line. A torn last line is skipped.
// - Each request: `requestId`, `timestamp` (ms), `modelId` (e.g. `copilot/gpt-4.1`), `result`
//   `{metadata?, timings?, errorDetails?}`, `modelState {value}` (0 pending, 1 complete, 2 cancelled,
//   3 failed, 4 needs input). `result.metadata.resolvedModel` names the model that answered.
// - Token counts: `result.metadata.promptTokens`/`outputTokens`, written since 2026-01 for
//   Anthropic-family models, and overwritten by each tool-calling round: they are the last model
//   call's usage, not the request's. Newer builds also write the response's usage on the request itself,
//   for every model (ChatResponseModel.toJSON, spread into each request by ChatModel.toExport, and in the
//   operation log's request schema): `promptTokens`, the last model call's prompt (IChatUsage), and
//   `completionTokens`, the output of every call of the turn summed (_setUsage). Either counts as known
//   only for a request of one round, where last and all are the same call: the metadata's when
//   `metadata.toolCallRounds` has at most one entry, the request's only when it has exactly one (a turn
//   ended by a throw, e.g. the user stopping a running tool, gets `{errorDetails}` without metadata after
//   any number of rounds: vscode-copilot-chat 31acd00a defaultIntentRequestHandler.ts, CanceledResult);
//   otherwise the request is counted with tokens unknown. promptTokens includes cached input (no split is
//   logged), so all of it counts as input. `copilotCredits`, `sessionCopilotCredits` and `modelTotals`
//   (per-model sums of a turn with cached input) are not read: credits are no tokens, and modelTotals
//   comes only from agent-host sessions (IChatUsage, VS Code 1.138.0, 7debcd0e), which VS Code does not
//   write to chatSessions (ChatSessionStore stores local sessions; others get index metadata only), and
//   the extension API's usage (IChatUsageDto) has no such field.
// - Moving a window into a workspace copies its session files (originals kept), and a session may
//   exist as both `.json` and `.jsonl`: keys are request ids, so every copy yields the same records.
// - File edits (`textEditGroup` response parts) are read by src/agentOutput/sources/copilotChat.ts.
import { copilotChatEdits } from '../../agentOutput/sources/copilotChat';
import type { ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, type JsonRecord, UNKNOWN_MODEL } from '../rawJson';

const PENDING = 0;

type Path = (string | number)[];

/** Path segments that would reach Object.prototype through a hostile log. */
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);

function isPath(value: unknown): value is Path {
  return (
    Array.isArray(value) &&
    value.every((segment) => (typeof segment === 'string' && !FORBIDDEN_SEGMENTS.has(segment)) || typeof segment === 'number')
  );
}

/** The container holding the last segment of `path`, or undefined when an intermediate is missing. */
function parentOf(state: unknown, path: Path): Record<string | number, unknown> | undefined {
  let current: unknown = state;
  for (let i = 0; i < path.length - 1; i++) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[path[i]];
  }
  return typeof current === 'object' && current !== null ? (current as Record<string | number, unknown>) : undefined;
}

/**
 * Whether writing `last` of `parent` leaves an array as VS Code writes one: at an index it has or right after them. A
 * hostile `length` or an index far past the end makes an array of 4 billion holes that takes minutes to read through,
 * or one no array can be (a throw, which would lose the whole file).
 */
function keepsArrayDense(parent: Record<string | number, unknown>, last: string | number): boolean {
  return !Array.isArray(parent) || (typeof last === 'number' && Number.isInteger(last) && last >= 0 && last <= parent.length);
}

/**
 * Rebuilds the session object from an operation log, as ObjectMutationLog.read does, except that a
 * malformed line or an entry whose path does not resolve is skipped instead of failing the file.
 * Returns undefined when no line set an initial state.
 */
export function replayOperationLog(text: string, context: ParseContext): unknown {
  let state: unknown;
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index];
    if (line.trim().length === 0) continue;
    // A last line without its newline may still be being written: not a rejected line.
    const entry = asRecord(parseJsonLine(line, context, index < lines.length - 1));
    if (!entry) continue;
    if (entry.kind === 0) {
      state = entry.v;
      continue;
    }
    if (state === undefined || !isPath(entry.k) || entry.k.length === 0) continue;
    const parent = parentOf(state, entry.k);
    const last = entry.k[entry.k.length - 1];
    if (!parent || !keepsArrayDense(parent, last)) continue;
    if (entry.kind === 1) {
      parent[last] = entry.v;
    } else if (entry.kind === 3) {
      parent[last] = undefined;
    } else if (entry.kind === 2) {
      const array = Array.isArray(parent[last]) ? (parent[last] as unknown[]) : [];
      if (typeof entry.i === 'number' && Number.isInteger(entry.i) && entry.i >= 0 && entry.i <= array.length) {
        array.length = entry.i;
      }
      if (Array.isArray(entry.v)) {
        for (const item of entry.v) array.push(item);
      }
      parent[last] = array;
    }
  }
  return state;
}

function modelOf(request: JsonRecord, metadata: JsonRecord | undefined): string {
  const resolved = asString(metadata?.resolvedModel);
  if (resolved) return resolved;
  const selected = asString(request.modelId);
  if (!selected) return UNKNOWN_MODEL;
  // The picker's ids are `<vendor>/<model>`; only Copilot's own vendor prefix is dropped.
  return selected.startsWith('copilot/') ? selected.slice('copilot/'.length) : selected;
}

function usageFromRequest(request: JsonRecord, session: JsonRecord, sessionKey: string, projectKey: string): ParsedUsage | undefined {
  const key = asString(request.requestId);
  if (!key) return undefined;
  const result = asRecord(request.result);
  const state = asRecord(request.modelState)?.value;
  const finished = result !== undefined || (typeof state === 'number' && state !== PENDING);
  if (!finished) return undefined;
  const t = parseTimestamp(request.timestamp) ?? parseTimestamp(session.creationDate);
  if (t === undefined) return undefined;
  const metadata = asRecord(result?.metadata);
  const rounds = metadata?.toolCallRounds;
  const oneRound = !Array.isArray(rounds) || rounds.length <= 1;
  // The request's own usage is reported by every round, and a turn ended by a throw (the user stopping a tool, an
  // error) returns a result without metadata, so without `toolCallRounds` its number of calls is not known.
  const exactlyOneRound = Array.isArray(rounds) && rounds.length === 1;
  const counts =
    typeof metadata?.promptTokens === 'number' && typeof metadata?.outputTokens === 'number'
      ? oneRound
        ? { input: metadata.promptTokens, output: metadata.outputTokens }
        : undefined
      : exactlyOneRound && typeof request.promptTokens === 'number' && typeof request.completionTokens === 'number'
        ? { input: request.promptTokens, output: request.completionTokens }
        : undefined;
  const tokensKnown = counts !== undefined;
  return {
    key,
    t,
    model: modelOf(request, metadata),
    inputTokens: tokensKnown ? tokenCount(counts.input) : 0,
    outputTokens: tokensKnown ? tokenCount(counts.output) : 0,
    reasoningTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    tokensKnown,
    reportedCostUSD: null,
    sessionKey,
    projectKey,
  };
}

/** Hands the request's file edits (src/agentOutput/sources/copilotChat.ts) to `context.edit`. */
function reportEdits(request: JsonRecord, session: JsonRecord, sessionKey: string, context: ParseContext): void {
  const requestKey = asString(request.requestId);
  const requestTime = parseTimestamp(request.timestamp) ?? parseTimestamp(session.creationDate);
  if (!requestKey || requestTime === undefined || !Array.isArray(request.response)) return;
  const edits = copilotChatEdits(request, {
    responseKey: requestKey,
    sessionKey,
    model: modelOf(request, asRecord(asRecord(request.result)?.metadata)),
    requestTime,
    pathDigest: (path) => context.nameDigest(path),
  });
  for (const edit of edits) context.edit(edit);
}

/** The workspace storage id (a hash VS Code derives from the folder URI), or '' outside workspaceStorage. */
function workspaceIdFromPath(filePath: string): string {
  const parts = filePath.split(/[\\/]/).filter((part) => part.length > 0);
  const index = parts.lastIndexOf('chatSessions');
  return index > 0 && parts[index - 2] === 'workspaceStorage' ? parts[index - 1] : '';
}

function fileStem(filePath: string): string {
  const name = filePath.split(/[\\/]/).pop() ?? '';
  return name.replace(/\.jsonl?$/i, '');
}

/** `chatSessions/*.json` and `chatSessions/*.jsonl`; the whole file is replayed on each change. */
export const copilotChatSessionParser: WholeFileParser = {
  kind: 'whole',
  source: 'copilot-chat',
  // Revision 1: a request's usage is exact only where it made one model call (VS Code 1.138). Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const isLog = filePath.toLowerCase().endsWith('.jsonl');
    const session = asRecord(isLog ? replayOperationLog(text, context) : parseJsonLine(text, context));
    const requests = session?.requests;
    if (!session || !Array.isArray(requests)) return [];
    const sessionKey = asString(session.sessionId) ?? fileStem(filePath);
    const projectKey = workspaceIdFromPath(filePath);
    const usages: ParsedUsage[] = [];
    for (const entry of requests) {
      const request = asRecord(entry);
      if (!request) continue;
      const usage = usageFromRequest(request, session, sessionKey, projectKey);
      if (usage) usages.push(usage);
      reportEdits(request, session, sessionKey, context);
    }
    return usages;
  },
};
