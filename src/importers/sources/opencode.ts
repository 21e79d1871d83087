// OpenCode (anomalyco/opencode, formerly sst/opencode). Verified against the released binaries
// (npm opencode-linux-x64 1.1.53, 1.2.1, 1.3.2, 1.14.34 and 1.18.33: the JavaScript bundled in each) and
// anomalyco/opencode:
// - Data folder: `Global.Path.data`, xdg-basedir's `${XDG_DATA_HOME:-~/.local/share}/opencode` on every
//   OS (packages/opencode/src/global/index.ts at 29c1bde5f14083104f3f2625b8cf6c93902376f1).
// - Since 1.2, one SQLite database (WAL journal) there: `opencode.db` for the latest/beta/prod
//   channels, `opencode-<channel>.db` for others, or `$OPENCODE_DB` (an absolute path, or a name in
//   the data folder) (packages/opencode/src/storage/db.ts at 89d1ccc3cac018b87cb1727356203933d1f4b949;
//   `Database.path()` in 1.18.33). Table `message` (`id`, `session_id`, `data`) is written by
//   `Session.updateMessage` through the MessageUpdated projector, upserting by id; table `session`
//   carries the `version` of OpenCode that created the session.
// - Before 1.2 (1.1.53), `Session.updateMessage` wrote `storage/message/<sessionID>/<messageID>.json`
//   (`Storage.write`: the whole MessageV2.Info, id and sessionID included, pretty-printed, rewritten in
//   place). 1.2's one-time migration copies these files into `message` under the same ids and leaves
//   them on disk (packages/opencode/src/storage/json-migration.ts at
//   062aa8c024a00b7348dd3160c0b4fbbfce074ee2): both are read, and a message counts once by its id.
// - Token convention by version (opencodeMessages.ts): the files were written with AI SDK v5; rows of
//   sessions created before 1.3.4 (AI SDK v6 arrived in 1.3.4, anomalyco/opencode#18433) too.
// - Table `session_message` (`id`, `session_id`, `type`, `seq`, `data`; created by 1.18.33 and 1.18.34 too) is
//   OpenCode 2's transcript: its session projector writes one `assistant` row per step (anomalyco/opencode
//   packages/core/src/session/sql.ts at 02ce4a330f33fee005fb5a18c0e3ec6e1143caee, projector.ts at
//   008d57153952804fea8d6eef1cf3baf4402248cb). In 1.18.34 the TUI, `opencode run` and ACP still prompt through the
//   API that writes `message`, and `/api/session/:id/prompt` runs the step runner that writes `session_message`:
//   both tables are read. A step's `input` excludes cache and its `output` reasoning (the runner's
//   `nonCachedInputTokens` and `visibleOutputTokens`); a fork's copy has a new id but the same creation time and
//   model, so it counts once as in `message`. A legacy message's backfilled copy (id `evt_legacy_backfill_m_…`,
//   session/message-backfill.ts at 9a7198e6144d8f72aea4015434173ce5a7b94555) keeps the legacy tokens, so its
//   session's version decides their convention, and it counts once with its `message` row.
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine } from '../rawJson';
import {
  reasoningInOutputV5,
  reasoningOutsideOutput,
  usageFromMessageRow,
  usageFromOpenCodeMessage,
  usageFromSessionMessageRow,
  usagesAndPartEdits,
  EDIT_PARTS_WHERE,
  SESSION_MESSAGE_SQL,
  type ReasoningInOutput,
} from './opencodeMessages';

/** The first release built on AI SDK v6, whose `tokens.output` excludes reasoning. */
const FIRST_AI_SDK_V6 = [1, 3, 4] as const;

/** The token convention of a session created by this OpenCode version (`session.version`). */
export function conventionOfVersion(version: unknown): ReasoningInOutput {
  const match = typeof version === 'string' ? /^(\d+)\.(\d+)\.(\d+)/.exec(version) : null;
  if (!match) return reasoningOutsideOutput;
  const parts = match.slice(1, 4).map(Number);
  for (let index = 0; index < FIRST_AI_SDK_V6.length; index++) {
    if (parts[index] !== FIRST_AI_SDK_V6[index]) return parts[index] < FIRST_AI_SDK_V6[index] ? reasoningInOutputV5 : reasoningOutsideOutput;
  }
  return reasoningOutsideOutput;
}

/** The id prefix of the `session_message` rows OpenCode 2 backfills from a legacy session's `message` rows. */
const BACKFILLED_ID = 'evt_legacy_backfill_';

/**
 * `opencode*.db`: every session's assistant messages, with the version that created the session, then the
 * completed tool parts (table `part`, created with `message`), whose file edits
 * src/agentOutput/sources/opencode.ts reads, then OpenCode 2's assistant steps.
 */
const opencodeDbQuery: SqliteQuery = {
  sql: (tables) =>
    "SELECT 'message', message.id, message.id, message.session_id, message.data, session.version FROM message " +
    "LEFT JOIN session ON session.id = message.session_id WHERE message.data LIKE '%\"assistant\"%' " +
    `UNION ALL SELECT 'part', id, message_id, session_id, data, NULL FROM part WHERE ${EDIT_PARTS_WHERE}` +
    (tables.has('session_message') ? ` UNION ALL ${SESSION_MESSAGE_SQL}` : ''),
  parseRows(rows: unknown[][], _filePath: string, context: ParseContext): ParsedUsage[] {
    return usagesAndPartEdits(
      rows,
      ([kind, id, , sessionId, data, version]) => {
        if (kind !== 'session_message') return usageFromMessageRow(id, sessionId, data, conventionOfVersion(version), context);
        const convention = String(id).startsWith(BACKFILLED_ID) ? conventionOfVersion(version) : reasoningOutsideOutput;
        return usageFromSessionMessageRow(id, sessionId, data, convention, context);
      },
      context,
    );
  },
};

/** OpenCode ≥ 1.2's database: read through `sqlite` by the import machinery, never as text. */
export const opencodeDbParser: WholeFileParser = {
  kind: 'whole',
  source: 'opencode',
  // Revision 1: OpenCode 2's assistant steps in `session_message` are read (OpenCode 1.18.34). Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  sqlite: opencodeDbQuery,
  parseFile: () => [],
};

/** `storage/message/<session>/<message>.json` (OpenCode before 1.2): one message per file, rewritten in place. */
export const opencodeMessageFileParser: WholeFileParser = {
  kind: 'whole',
  source: 'opencode',
  parseFile(text: string, _filePath: string, context: ParseContext): ParsedUsage[] {
    const message = asRecord(parseJsonLine(text, context));
    const id = asString(message?.id);
    if (!message || !id) return [];
    const usage = usageFromOpenCodeMessage(id, asString(message.sessionID) ?? '', message, reasoningInOutputV5);
    return usage ? [usage] : [];
  },
};
