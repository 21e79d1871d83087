// Kiro CLI (closed source; formerly Amazon Q Developer CLI), read as tokscale reads its SQLite store (junhoyeo/tokscale
// crates/tokscale-core/src/sessions/kiro.rs `parse_kiro_sqlite` and scanner/kiro.rs; the tokscale 4.17.0 binary counts
// the same responses per day on test/fixtures/importers/kiro), with the record layout of the open-source Amazon Q CLI
// it grew from (aws/amazon-q-developer-cli at 15cc8f3cd18c4272925ce1c7053268eedff1ea0a):
// - One SQLite database, `~/.local/share/kiro-cli/data.sqlite3` (on macOS `~/Library/Application Support/kiro-cli/`),
//   table `conversations_v2`: one row per conversation, `key` its working directory, `conversation_id`, and `value`,
//   the whole conversation as JSON (crates/chat-cli/src/cli/chat/conversation.rs `ConversationState`): `model_info`
//   (`model_id`, the model chosen with `/model`) and `history`, one entry per model request, each with the
//   `request_metadata` of that request (crates/chat-cli/src/cli/chat/parser.rs `RequestMetadata`): `message_id`, a
//   random id per request, `request_start_timestamp_ms`, `stream_end_timestamp_ms`, `model_id`, the response's size in
//   bytes, and in Kiro a `context_usage_percentage`. Entries Kiro adds without a request (an MCP prompt's messages, the
//   context it injects) have no `request_metadata`, and are not responses.
// - Kiro keeps no token counts: tokscale estimates them (input from the context percentage times the context window,
//   output from the response size / 4) and drops an entry whose estimate is 0. Assay keeps no estimate: each entry
//   with request metadata is one response whose tokens are unknown, at an unknown cost, under the request's model,
//   else the conversation's.
// - Kiro rewrites a conversation's whole row at every save, and `/compact` or a long conversation drops its oldest
//   entries, so a response is keyed by its `message_id` (not its place in `history`), counted once however often the
//   row is read again.
// Kiro CLI's second agent engine keeps each session in `~/.kiro/sessions/cli/<session id>.json`, read as tokscale's
// `parse_kiro_file` reads it (the tokscale 4.17.0 binary counts the same responses per day on the unit test's files):
// - `session_id`, `cwd`, `session_state.rts_model_state.model_info.model_id`, and
//   `session_state.conversation_metadata.user_turn_metadatas`, one entry per user turn: `total_request_count` (the
//   model requests the turn made), `message_ids`, `end_timestamp` (RFC 3339), and token counts Kiro writes as 0.
//   The file is rewritten after each turn; the transcript, `<session id>.jsonl`, is appended beside it, its `Prompt`
//   lines timed (`data.meta.timestamp`, epoch seconds) and followed by the turn's `AssistantMessage` lines.
// - As tokscale: each turn counts `total_request_count` responses (at least one), at the time of the prompt that the
//   turn's first answered message follows in the transcript, else at the turn's end. tokscale drops a turn whose
//   estimate is 0 (no context percentage, no text); Assay does not. Each response's tokens are unknown. Unlike
//   tokscale, which keeps a turn as one record with its count, Assay writes a record per response, so a file counts
//   no more responses than its size allows (`SESSION_CHARACTERS_PER_RESPONSE`): a turn claiming more is damaged.
// - A turn is keyed by its first message id (else its place in the list), each of its requests by its number.
// Each session lives in one store, its agent engine's (as harnesses that run Kiro CLI describe its `--agent-engine`
// v1, v2, v3; the third's `~/.kiro/sessions/<workspace>/sess_<id>/` folders log turns without a count of requests, and
// are not read), so no response is counted from two stores. Only ids, times and model names are
// read: prompts, responses, tool calls and paths never are (a working directory is kept only as a keyed digest naming
// the project, and the transcript is scanned for its prompts' times alone).
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, UNKNOWN_MODEL } from '../rawJson';
import { ZERO_TOKENS } from '../../pricing/tiers';
import { MAX_WHOLE_FILE_BYTES } from '../usageBounds';
import { readRegularFile } from '../../files/boundedRead';

const CONVERSATIONS_SQL = 'SELECT key, conversation_id, value FROM conversations_v2';

function modelName(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function usageFromHistoryEntry(entry: unknown, conversation: { id: string; model: string; projectKey: string }, context: ParseContext): ParsedUsage | undefined {
  const metadata = asRecord(asRecord(entry)?.request_metadata);
  if (!metadata) return undefined;
  const messageId = asString(metadata.message_id);
  if (!messageId) {
    context.reject('fields');
    return undefined;
  }
  const t = parseTimestamp(metadata.request_start_timestamp_ms) ?? parseTimestamp(metadata.stream_end_timestamp_ms);
  if (t === undefined) {
    context.reject('timestamp');
    return undefined;
  }
  return {
    key: messageId,
    t,
    model: modelName(metadata.model_id) ?? conversation.model,
    ...ZERO_TOKENS,
    tokensKnown: false,
    reportedCostUSD: null,
    sessionKey: conversation.id,
    projectKey: conversation.projectKey,
  };
}

function usagesFromConversationRow(row: unknown[], context: ParseContext): ParsedUsage[] {
  const [cwd, conversationId, value] = row;
  if (typeof value !== 'string') {
    context.reject('fields');
    return [];
  }
  const state = asRecord(parseJsonLine(value, context));
  if (!state) return [];
  const history = state.history;
  if (!Array.isArray(history)) {
    context.reject('fields');
    return [];
  }
  const conversation = {
    id: asString(conversationId) ?? asString(state.conversation_id) ?? '',
    model: modelName(asRecord(state.model_info)?.model_id) ?? UNKNOWN_MODEL,
    projectKey: typeof cwd === 'string' ? context.nameDigest(cwd) : '',
  };
  return history.flatMap((entry) => usageFromHistoryEntry(entry, conversation, context) ?? []);
}

const kiroConversationsQuery: SqliteQuery = {
  sql: CONVERSATIONS_SQL,
  parseRows(rows: unknown[][], _filePath: string, context: ParseContext): ParsedUsage[] {
    return rows.flatMap((row) => usagesFromConversationRow(row, context));
  },
};

/** Kiro CLI's `data.sqlite3`: read through `sqlite` by the import machinery, never as text. */
export const kiroCliDbParser: WholeFileParser = {
  kind: 'whole',
  source: 'kiro',
  sqlite: kiroConversationsQuery,
  parseFile: () => [],
};

/**
 * Epoch ms of the prompt each answered message of a transcript follows: a `Prompt` line's time goes to the next
 * `AssistantMessage` line, as tokscale pairs them. Lines that are not JSON are a transcript still being written: skipped
 * uncounted (the session file, not the transcript, is what is imported).
 */
function promptTimesByAnswer(transcript: string): Map<string, number> {
  const times = new Map<string, number>();
  let pending: number | undefined | null = null;
  for (const line of transcript.split('\n')) {
    if (!line.includes('"Prompt"') && !line.includes('"AssistantMessage"')) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    const record = asRecord(entry);
    const data = asRecord(record?.data);
    const messageId = asString(data?.message_id);
    if (!messageId) continue;
    if (record?.kind === 'Prompt') pending = parseTimestamp(asRecord(data?.meta)?.timestamp);
    else if (record?.kind === 'AssistantMessage' && pending !== null) {
      if (pending !== undefined) times.set(messageId, pending);
      pending = null;
    }
  }
  return times;
}

/** The session's transcript beside it, or '' when missing or larger than any whole file Assay loads (its turns are then dated by their ends). */
function readTranscript(sessionFile: string): string {
  const transcript = `${sessionFile.slice(0, -'.json'.length)}.jsonl`;
  try {
    return readRegularFile(transcript, MAX_WHOLE_FILE_BYTES)?.toString('utf8') ?? '';
  } catch {
    return '';
  }
}

/**
 * A session file yields at most one response per this many of its characters: the count of a turn's requests is a
 * number in the file, and one record per request must not let a file of 2 KB write 300,000 responses. A turn takes
 * about 400 characters as Kiro writes it (its loop id, token counts, credits, message ids and end: the unit test's
 * files, without indentation), so its requests may average 25 before a real file meets this.
 */
const SESSION_CHARACTERS_PER_RESPONSE = 16;

/** The number of model requests a turn made, at least one (tokscale's reading of a missing or 0 count). */
function requestCount(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : 1;
}

/** `~/.kiro/sessions/cli/<session id>.json`: a session's turns, each counting its requests as responses. */
export const kiroCliSessionParser: WholeFileParser = {
  kind: 'whole',
  source: 'kiro',
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const session = asRecord(parseJsonLine(text, context));
    const state = asRecord(session?.session_state);
    const turns = asRecord(state?.conversation_metadata)?.user_turn_metadatas;
    if (!session || !Array.isArray(turns)) return [];
    const sessionId = asString(session.session_id) ?? context.nameDigest(filePath);
    const model = modelName(asRecord(asRecord(state?.rts_model_state)?.model_info)?.model_id) ?? UNKNOWN_MODEL;
    const projectKey = typeof session.cwd === 'string' ? context.nameDigest(session.cwd) : '';
    const promptTimes = promptTimesByAnswer(readTranscript(filePath));
    let responsesLeft = Math.floor(text.length / SESSION_CHARACTERS_PER_RESPONSE);
    return turns.flatMap((value, index) => {
      const turn = asRecord(value);
      if (!turn) {
        context.reject('fields');
        return [];
      }
      const messageIds = Array.isArray(turn.message_ids) ? turn.message_ids.filter((id): id is string => typeof id === 'string' && id.length > 0) : [];
      const promptTime = messageIds.map((id) => promptTimes.get(id)).find((t) => t !== undefined);
      const t = promptTime ?? parseTimestamp(turn.end_timestamp);
      if (t === undefined) {
        context.reject('timestamp');
        return [];
      }
      const requests = requestCount(turn.total_request_count);
      if (requests > responsesLeft) {
        // More requests than the file has room to log: a forged or misread count, the whole turn counted as damaged.
        context.reject('fields');
        return [];
      }
      responsesLeft -= requests;
      const turnKey = `${sessionId}:${messageIds[0] ?? `#${index}`}`;
      return Array.from({ length: requests }, (_, request): ParsedUsage => ({
        key: `${turnKey}:${request}`,
        t,
        model,
        ...ZERO_TOKENS,
        tokensKnown: false,
        reportedCostUSD: null,
        sessionKey: sessionId,
        projectKey,
      }));
    });
  },
};
