// Kilo Code ≥ 7 and the Kilo CLI, which run on OpenCode: one SQLite database,
// `${XDG_DATA_HOME:-~/.local/share}/kilo/kilo.db` (Kilo-Org/kilocode packages/opencode/src/storage/db.ts
// at f10b24fca408dd2c45eb39eeb9f820a8a1f7865a: `path.join(Global.Path.data, "kilo.db")`, WAL journal); since
// packages/core/src/database/database.ts (at 2770028959952965af9645f632474e4e2d8c1b0e), builds of another
// channel than latest, beta and prod write `opencode-<channel>.db` there, and `$KILO_DB` names any file.
// Table `message` (session.sql.ts at 7a8a7897b7bacf399487aa098ed32c6c11cf834b): `id` primary key,
// `session_id`, `time_created`, and `data`, the JSON of MessageV2.Info without `id`/`sessionID`
// (read by opencodeMessages.ts). Kilo's usage (session/index.ts getUsage) stores `input` without cache
// reads and writes, and `output` without `reasoning`. Table `part` holds the messages' tool calls.
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { reasoningOutsideOutput, usageFromMessageRow, usagesAndPartEdits, EDIT_PARTS_WHERE } from './opencodeMessages';

/** One `message` row → one usage record; anything else (user messages, no tokens yet) → none. */
export function usageFromKiloMessage(id: unknown, sessionId: unknown, data: unknown, context: ParseContext): ParsedUsage | undefined {
  return usageFromMessageRow(id, sessionId, data, reasoningOutsideOutput, context);
}

/**
 * `kilo.db`: the assistant messages of every session, then the completed tool parts, whose file edits
 * src/agentOutput/sources/opencode.ts reads; a part takes the model of its message's usage record.
 */
const kiloDbQuery: SqliteQuery = {
  sql:
    "SELECT 'message', id, id, session_id, data FROM message WHERE data LIKE '%\"assistant\"%' " +
    `UNION ALL SELECT 'part', id, message_id, session_id, data FROM part WHERE ${EDIT_PARTS_WHERE}`,
  parseRows(rows: unknown[][], _filePath: string, context: ParseContext): ParsedUsage[] {
    return usagesAndPartEdits(rows, ([, id, , sessionId, data]) => usageFromKiloMessage(id, sessionId, data, context), context);
  },
};

/** `kilo/kilo.db`: read through `sqlite` by the import machinery, never as text. */
export const kiloDbParser: WholeFileParser = {
  kind: 'whole',
  source: 'kilo-code',
  sqlite: kiloDbQuery,
  parseFile: () => [],
};
