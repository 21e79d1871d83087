// Kilo Code ≥ 7 and the Kilo CLI, which run on OpenCode: one SQLite database,
// `${XDG_DATA_HOME:-~/.local/share}/kilo/kilo.db` (Kilo-Org/kilocode packages/opencode/src/storage/db.ts
// at f10b24fca408dd2c45eb39eeb9f820a8a1f7865a: `path.join(Global.Path.data, "kilo.db")`, WAL journal); since
// packages/core/src/database/database.ts (at 2770028959952965af9645f632474e4e2d8c1b0e), builds of another
// channel than latest, beta and prod write `opencode-<channel>.db` there, and `$KILO_DB` names any file; by 7.7.9
// (npm @kilocode/cli-linux-x64, `Database.path()` in the bundled JavaScript) such a build writes `kilo-<channel>.db`,
// unless only its older `opencode-<channel>.db` exists, and `$KILO_DISABLE_CHANNEL_DB` makes it `kilo.db`.
// Table `message` (session.sql.ts at 7a8a7897b7bacf399487aa098ed32c6c11cf834b): `id` primary key,
// `session_id`, `time_created`, and `data`, the JSON of MessageV2.Info without `id`/`sessionID`
// (read by opencodeMessages.ts). Kilo's usage (session/index.ts getUsage) stores `input` without cache
// reads and writes, and `output` without `reasoning`. Table `part` holds the messages' tool calls.
// Kilo carries OpenCode 2's session projector (packages/core/src/session/projector.ts at
// 68b59571a0bdf5edc761ac90a86d160c9424c1b3 `insertMessage`), and the released CLI (npm @kilocode/cli-linux-x64 7.7.9,
// the JavaScript bundled in it) creates table `session_message` and serves `/api/session/:sessionID/prompt`, whose
// step runner writes one `assistant` row per step there instead of a `message` row: those steps are read as
// OpenCode's (opencodeMessages.ts `usageFromSessionMessageRow`; the same creation time and model count once).
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import {
  reasoningOutsideOutput,
  usageFromMessageRow,
  usageFromSessionMessageRow,
  usagesAndPartEdits,
  EDIT_PARTS_WHERE,
  SESSION_MESSAGE_SQL,
} from './opencodeMessages';

/** One `message` row → one usage record; anything else (user messages, no tokens yet) → none. */
export function usageFromKiloMessage(id: unknown, sessionId: unknown, data: unknown, context: ParseContext): ParsedUsage | undefined {
  return usageFromMessageRow(id, sessionId, data, reasoningOutsideOutput, context);
}

/**
 * `kilo.db`: the assistant messages of every session, then the completed tool parts, whose file edits
 * src/agentOutput/sources/opencode.ts reads (a part takes the model of its message's usage record), then the
 * assistant steps of `session_message` when the database has the table (the last column, the session's version, is
 * not needed: Kilo ≥ 7 always wrote AI SDK v6 tokens).
 */
const kiloDbQuery: SqliteQuery = {
  sql: (tables) =>
    "SELECT 'message', id, id, session_id, data, NULL FROM message WHERE data LIKE '%\"assistant\"%' " +
    `UNION ALL SELECT 'part', id, message_id, session_id, data, NULL FROM part WHERE ${EDIT_PARTS_WHERE}` +
    (tables.has('session_message') ? ` UNION ALL ${SESSION_MESSAGE_SQL}` : ''),
  parseRows(rows: unknown[][], _filePath: string, context: ParseContext): ParsedUsage[] {
    return usagesAndPartEdits(
      rows,
      ([kind, id, , sessionId, data]) =>
        kind === 'session_message'
          ? usageFromSessionMessageRow(id, sessionId, data, reasoningOutsideOutput, context)
          : usageFromKiloMessage(id, sessionId, data, context),
      context,
    );
  },
};

/** `kilo/kilo.db`: read through `sqlite` by the import machinery, never as text. */
export const kiloDbParser: WholeFileParser = {
  kind: 'whole',
  source: 'kilo-code',
  // Revision 1: assistant steps in `session_message` are read (Kilo 7.7.9). Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  sqlite: kiloDbQuery,
  parseFile: () => [],
};
