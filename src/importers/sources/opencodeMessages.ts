// Assistant messages as OpenCode writes them, shared by the tools built on it (OpenCode itself, Kilo
// Code ≥ 7 and the Kilo CLI). A message is the JSON of MessageV2.Info (message-v2.ts `Assistant`):
// `role`, `modelID`, `providerID`, `cost`, `time {created, completed?}` and `tokens {total?, input,
// output, reasoning, cache {read, write}}`, rewritten in place as the message's steps finish. It is a
// SQLite row (`message.data`, without `id`/`sessionID`) since OpenCode 1.2 and a JSON file before.
//
// What `tokens` means was set by the AI SDK of the writing version (session/index.ts getUsage):
// `input` excludes cache reads and writes (except Anthropic and Bedrock messages written by OpenCode
// 1.3.4 until anomalyco/opencode#19758, whose `input` includes them: no field tells those apart, so
// they are not corrected), while `output` includes reasoning up to AI SDK v5 for
// every provider but Google's (`candidatesTokenCount` excludes thoughts), and excludes it from AI SDK
// v6 on (`output: outputTokens - reasoningTokens`). `tokens.total` (the SDK's totalTokens, which
// counts reasoning once) tells which one a message holds whenever it is there; otherwise the writer's
// convention decides.
//
// Forking a session copies every earlier message, tokens and `time.created` included, under new ids
// into the new session (session/index.ts `fork`): a copy is counted once, through its creation time
// and model.
import { openCodePartEdits } from '../../agentOutput/sources/opencode';
import type { ParseContext, ParsedUsage } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, type JsonRecord, UNKNOWN_MODEL } from '../rawJson';

/** Whether the writer's `tokens.output` already includes `tokens.reasoning`, for a message from this provider. */
export type ReasoningInOutput = (providerId: string | undefined) => boolean;

/** AI SDK v6 and later (Kilo Code ≥ 7, OpenCode ≥ 1.3.4): reasoning is never inside `output`. */
export const reasoningOutsideOutput: ReasoningInOutput = () => false;

/** Providers whose AI SDK v5 package reported output without thoughts (`@ai-sdk/google`, `@ai-sdk/google-vertex`). */
const V5_THOUGHTS_OUTSIDE_OUTPUT = new Set(['google', 'google-vertex']);

/** AI SDK v5 (OpenCode before 1.3.4): reasoning is inside `output` except for Google's providers. */
export const reasoningInOutputV5: ReasoningInOutput = (providerId) => !V5_THOUGHTS_OUTSIDE_OUTPUT.has(providerId ?? '');

function reportedCost(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** Output tokens with reasoning counted once, read from `tokens.total` when it decides, else by the writer's convention. */
function outputTokens(tokens: JsonRecord, providerId: string | undefined, reasoningInOutput: ReasoningInOutput): number {
  const output = tokenCount(tokens.output);
  const reasoning = tokenCount(tokens.reasoning);
  if (reasoning === 0) return output;
  const cache = asRecord(tokens.cache);
  const withoutReasoning = tokenCount(tokens.input) + output + tokenCount(cache?.read) + tokenCount(cache?.write);
  if (typeof tokens.total === 'number') {
    if (tokens.total === withoutReasoning + reasoning) return output + reasoning;
    if (tokens.total === withoutReasoning) return output;
  }
  return reasoningInOutput(providerId) ? output : output + reasoning;
}

/** One assistant message (already parsed) → one usage record; user messages and messages without tokens → none. */
export function usageFromOpenCodeMessage(
  messageId: string,
  sessionId: string,
  message: JsonRecord,
  reasoningInOutput: ReasoningInOutput,
): ParsedUsage | undefined {
  if (message.role !== 'assistant') return undefined;
  const tokens = asRecord(message.tokens);
  const t = parseTimestamp(asRecord(message.time)?.created);
  if (!tokens || t === undefined) return undefined;
  const cache = asRecord(tokens.cache);
  const provider = asString(message.providerID);
  const modelId = asString(message.modelID);
  const model = modelId ? (provider ? `${provider}/${modelId}` : modelId) : UNKNOWN_MODEL;
  const output = outputTokens(tokens, provider, reasoningInOutput);
  return {
    key: messageId,
    t,
    model,
    inputTokens: tokenCount(tokens.input),
    outputTokens: output,
    reasoningTokens: Math.min(tokenCount(tokens.reasoning), output),
    cacheReadTokens: tokenCount(cache?.read),
    cacheWrite5mTokens: tokenCount(cache?.write),
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: reportedCost(message.cost),
    sessionKey: sessionId,
    projectKey: '',
    copyOf: { responseId: `${t}:${model}`, replay: true },
  };
}

/** A row's id and its `data` JSON object, or undefined (a row whose data is no JSON is counted as rejected). */
function rowData(id: unknown, data: unknown, context: ParseContext): [string, JsonRecord] | undefined {
  const messageId = asString(id);
  if (!messageId || typeof data !== 'string') return undefined;
  const record = asRecord(parseJsonLine(data, context));
  return record && [messageId, record];
}

/** A `message` row (`id`, `session_id`, `data` JSON) → its usage record, if it is an assistant message with tokens. */
export function usageFromMessageRow(
  id: unknown,
  sessionId: unknown,
  data: unknown,
  reasoningInOutput: ReasoningInOutput,
  context: ParseContext,
): ParsedUsage | undefined {
  const row = rowData(id, data, context);
  return row && usageFromOpenCodeMessage(row[0], asString(sessionId) ?? '', row[1], reasoningInOutput);
}

/**
 * A `session_message` row of type `assistant` (`id`, `session_id`, `data` JSON) → its usage record. OpenCode 2's
 * session projector writes one per step (anomalyco/opencode packages/core/src/session/projector.ts at
 * 008d57153952804fea8d6eef1cf3baf4402248cb): `data` is the encoded SessionMessage.Assistant without `id`/`type`,
 * `model {id, providerID}`, `tokens` as in `message` but never a `total`, `time.created` in epoch milliseconds.
 * Released 1.18 runners write `cost: 0` whatever the model costs (npm opencode-linux-x64 1.18.34), so only a cost
 * above 0 is taken as reported.
 */
export function usageFromSessionMessageRow(
  id: unknown,
  sessionId: unknown,
  data: unknown,
  reasoningInOutput: ReasoningInOutput,
  context: ParseContext,
): ParsedUsage | undefined {
  const row = rowData(id, data, context);
  if (!row) return undefined;
  const [messageId, step] = row;
  const model = asRecord(step.model);
  const cost = step.cost === 0 ? null : step.cost;
  const message = { role: 'assistant', modelID: model?.id, providerID: model?.providerID, tokens: step.tokens, time: step.time, cost };
  return usageFromOpenCodeMessage(messageId, asString(sessionId) ?? '', message, reasoningInOutput);
}

/**
 * The `part` rows worth reading: completed calls of the tools that edit files. A database's parts are mostly
 * other tools' outputs (file reads, shell output), which would otherwise all be copied out of SQLite. The data
 * is JSON.stringify'd (drizzle's json mode), so `"tool":"edit"` has no spaces; a false match (LIKE's `_` matches any character) is filtered by the parser.
 */
export const EDIT_PARTS_WHERE =
  "data LIKE '%\"completed\"%' AND (data LIKE '%\"tool\":\"edit\"%' OR data LIKE '%\"tool\":\"write\"%' OR data LIKE '%\"tool\":\"apply_patch\"%')";

/**
 * `session_message`'s assistant steps (when the database has the table), `content` dropped in SQLite: it holds every
 * text and tool output of the step, as large as the parts the part query leaves out. A row that is no JSON is passed
 * as it is, to be counted as broken.
 */
export const SESSION_MESSAGE_SQL =
  "SELECT 'session_message', session_message.id, session_message.id, session_message.session_id, " +
  "CASE WHEN json_valid(session_message.data) THEN json_remove(session_message.data, '$.content') ELSE session_message.data END, " +
  "session.version FROM session_message LEFT JOIN session ON session.id = session_message.session_id WHERE session_message.type = 'assistant'";

/**
 * Rows of a query over `message` (and `session_message`) and `part` (`[kind, id, message id, session id, data, ...]`,
 * kind `part` or the message table's name) → the messages' usage records; the file edits of the tool parts
 * (src/agentOutput/sources/opencode.ts) go to `context.edit`, each with the model of its message's usage record.
 */
export function usagesAndPartEdits(
  rows: unknown[][],
  usageOfMessage: (row: unknown[]) => ParsedUsage | undefined,
  context: ParseContext,
): ParsedUsage[] {
  const usages = new Map<string, ParsedUsage>();
  for (const row of rows) {
    const usage = row[0] === 'part' ? undefined : usageOfMessage(row);
    if (usage) usages.set(usage.key, usage);
  }
  for (const [kind, id, messageId, sessionId, data] of rows) {
    if (kind !== 'part' || typeof id !== 'string' || typeof messageId !== 'string' || typeof data !== 'string') continue;
    const model = usages.get(messageId)?.model ?? UNKNOWN_MODEL;
    const edits = openCodePartEdits(id, parseJsonLine(data, context), { responseKey: messageId, sessionKey: asString(sessionId) ?? '', model });
    for (const edit of edits) context.edit(edit);
  }
  return [...usages.values()];
}
