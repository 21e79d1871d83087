// Gemini CLI chat recordings: `${GEMINI_CLI_HOME:-~}/.gemini/tmp/<project>/chats/` (and, for sessions in the macOS
// Seatbelt sandbox, from 0.61.0, `.cache/.gemini/tmp/...`: discovery.ts).
// Verified against google-gemini/gemini-cli (packages/core/src/services/chatRecordingService.ts,
// chatRecordingTypes.ts, telemetry/uiTelemetry.ts), main of 2026-08, and npm @google/gemini-cli-core 0.61.0:
// - Since 2026-04 (#23749) sessions are JSONL, append-only: a metadata line `{sessionId, projectHash,
//   startTime, ...}`, then whole message records. A message is appended again, whole, each time it
//   changes (tokens arrive after the text), so the same `id` appears several times: the later copy wins.
//   `{$set: {...}}` lines update metadata (`$set.messages` is a checkpoint holding whole messages) and
//   `{$rewindTo: id}` drops messages from the conversation, but their tokens were spent, so rewinds
//   are ignored here. Main sessions are `chats/session-<time>-<id8>.jsonl`, subagents
//   `chats/<parent session id>/<session id>.jsonl`.
// - Before that a session was one JSON object `{sessionId, projectHash, startTime, lastUpdated,
//   messages: [...]}` rewritten in place (`chats/session-*.json`); resuming one migrates it to `.jsonl`
//   with the same session and message ids, so keys (`<session>:<message id>`) agree across both files.
// - Since 2026-08 (#28672) a resume whose file does not reload rewrites it whole (temp file + rename) from the
//   conversation in memory, same ids; the old file is kept as `<file>.unreadable-<ms>`, not read here: without a
//   readable metadata line its keys would come from its name and double the rewritten file's.
// - `type: "gemini"` records carry `model` and `tokens {input, output, cached, thoughts, tool, total}`
//   copied from the API's usageMetadata: `input` is promptTokenCount, which includes the cached part
//   (the CLI's own stats show input as prompt − cached); `output` is candidatesTokenCount, which
//   excludes thoughts; `tool` (toolUsePromptTokenCount) is further prompt input outside `input`.
//   A record without tokens yet is skipped: its later copy carries them. An empty reply to a tool result is recorded
//   through `recordSyntheticMessage('gemini', …)` (geminiChat.ts, main of 2026-08-21, 5411f113), which passes
//   `model: undefined`: that record has the call's tokens and no `model`, and is counted under the session's model so
//   far (the last one a record named).
// - The file edits of its tool calls are read by src/agentOutput/sources/gemini.ts. Each line holds a
//   whole message, so an edit is found again from its own line.
import { geminiEdits } from '../../agentOutput/sources/gemini';
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, type JsonRecord, UNKNOWN_MODEL, storedDigest } from '../rawJson';


export interface GeminiFileState {
  session: string;
  project: string;
  /** Session start (epoch ms) for records whose own timestamp is missing. */
  startedAt: number | null;
  /** Model of the last record that named one, for a record written without (stored under the name the ledger keeps). */
  lastModel?: string | null;
}

/** Fallback ids from the path `.../tmp/<project>/chats/[<parent>/]<file>`, digested (state holds no names). */
function idsFromPath(filePath: string, context: ParseContext): GeminiFileState {
  const parts = filePath.split(/[\\/]/).filter((part) => part.length > 0);
  const fileName = parts[parts.length - 1] ?? filePath;
  const chatsIndex = parts.lastIndexOf('chats');
  const projectFolder = chatsIndex > 0 ? parts[chatsIndex - 1] : undefined;
  return {
    session: context.nameDigest(fileName.replace(/\.jsonl?$/i, '')),
    project: projectFolder ? context.nameDigest(projectFolder) : '',
    startedAt: null,
  };
}

/**
 * The session id and project hash are kept as keyed digests: the file state is persisted, and a
 * project hash is an unkeyed hash of the project's path, checkable against a guessed path.
 */
function applyMetadata(ids: GeminiFileState, metadata: JsonRecord, context: ParseContext): void {
  const session = asString(metadata.sessionId);
  if (session) ids.session = context.nameDigest(session);
  const project = asString(metadata.projectHash);
  if (project) ids.project = context.nameDigest(project);
  const startedAt = parseTimestamp(metadata.startTime);
  if (startedAt !== undefined && ids.startedAt === null) ids.startedAt = startedAt;
}

/**
 * One usage record from a `type: "gemini"` message with tokens, else undefined. The message's file
 * edits go to `context.edit`, whether or not its tokens are known yet (they count once, by call id).
 */
function usageFromMessage(message: JsonRecord, ids: GeminiFileState, context: ParseContext): ParsedUsage | undefined {
  if (message.type !== 'gemini') return undefined;
  const id = asString(message.id);
  if (!id) return undefined;
  const key = `${ids.session}:${id}`;
  const named = asString(message.model);
  if (named) ids.lastModel = named;
  const model = named ?? ids.lastModel ?? UNKNOWN_MODEL;
  if (Array.isArray(message.toolCalls)) {
    const edits = geminiEdits(message, { responseKey: key, sessionKey: ids.session, model, fallbackTime: ids.startedAt ?? undefined });
    for (const edit of edits) context.edit(edit);
  }
  const tokens = asRecord(message.tokens);
  if (!tokens) return undefined;
  const t = parseTimestamp(message.timestamp) ?? ids.startedAt ?? undefined;
  if (t === undefined) {
    context.reject('timestamp');
    return undefined;
  }
  const prompt = tokenCount(tokens.input);
  const cached = Math.min(tokenCount(tokens.cached), prompt);
  const thoughts = tokenCount(tokens.thoughts);
  return {
    key,
    t,
    model,
    inputTokens: prompt - cached + tokenCount(tokens.tool),
    outputTokens: tokenCount(tokens.output) + thoughts,
    reasoningTokens: thoughts,
    cacheReadTokens: cached,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey: ids.session,
    projectKey: ids.project,
  };
}

function usageFromMessages(messages: unknown, ids: GeminiFileState, context: ParseContext): ParsedUsage[] {
  if (!Array.isArray(messages)) return [];
  const usages: ParsedUsage[] = [];
  for (const entry of messages) {
    const message = asRecord(entry);
    const usage = message && usageFromMessage(message, ids, context);
    if (usage) usages.push(usage);
  }
  return usages;
}

/** `chats/**\/*.jsonl` (2026-04 and later): one record per line, the later copy of an id wins. */
export const geminiJsonlParser: LineParser<GeminiFileState> = {
  kind: 'lines',
  source: 'gemini-cli',
  // Revision 1: a record written without `model` (an empty reply to a tool result) takes the session's model so far,
  // instead of `unknown`. Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  storedState: z.object({ session: storedDigest, project: storedDigest, startedAt: z.number().nullable(), lastModel: z.string().nullable().optional() }),
  initialState(filePath: string, context: ParseContext): GeminiFileState {
    return idsFromPath(filePath, context);
  },
  parseLine(line: string, state: GeminiFileState, context: ParseContext): ParsedUsage[] {
    const record = asRecord(parseJsonLine(line, context));
    if (!record) return [];
    const update = asRecord(record.$set);
    if (update) {
      applyMetadata(state, update, context);
      return usageFromMessages(update.messages, state, context);
    }
    if (typeof record.$rewindTo === 'string') return [];
    if (asString(record.sessionId) && asString(record.projectHash)) {
      // The first line; a legacy record migrated onto one line also carries its messages.
      applyMetadata(state, record, context);
      return usageFromMessages(record.messages, state, context);
    }
    const usage = usageFromMessage(record, state, context);
    return usage ? [usage] : [];
  },
  stateForStorage(state: GeminiFileState, keptModelName: (rawModel: string) => string): GeminiFileState {
    // The raw model name stays in memory: a private one is stored as the ledger keeps it.
    return { ...state, lastModel: state.lastModel === undefined || state.lastModel === null ? null : keptModelName(state.lastModel) };
  },
};

/** `chats/session-*.json` (before 2026-04): the whole conversation as one object, rewritten in place. */
export const geminiJsonParser: WholeFileParser = {
  kind: 'whole',
  source: 'gemini-cli',
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const conversation = asRecord(parseJsonLine(text, context));
    if (!conversation) return [];
    const ids = idsFromPath(filePath, context);
    applyMetadata(ids, conversation, context);
    return usageFromMessages(conversation.messages, ids, context);
  },
};
