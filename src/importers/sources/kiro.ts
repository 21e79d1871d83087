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
// - Kiro CLI's newer agent engines write their sessions elsewhere (`~/.kiro/sessions/`); each session lives in one
//   store. Only ids, times and model names are read here: prompts, responses, tool calls and paths never are (the
//   working directory is kept only as a keyed digest naming the project).
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, UNKNOWN_MODEL } from '../rawJson';
import { ZERO_TOKENS } from '../../pricing/tiers';

export const KIRO_CLI_DB = 'data.sqlite3';

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
