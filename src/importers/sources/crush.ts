// Crush (charmbracelet/crush), checked in its source at 37f36e93824e5c4f892e4a817f7f628e2682fe14, and read as tokscale
// reads it (junhoyeo/tokscale crates/tokscale-core/src/sessions/crush.rs at d08e339e020e25f4705ccdc2cedae5bbffe381c8;
// the tokscale 4.17.0 binary counts the same responses per day on test/fixtures/importers/crush):
// - One SQLite database (WAL journal) per project, `<data directory>/crush.db` (internal/db/connect.go). The data
//   directory is the `data_directory` option, else the closest `.crush` folder up to the project's boundary, else
//   `<working directory>/.crush` (internal/config/load.go); every local run records it in `projects.json` of Crush's
//   global data folder (internal/projects/projects.go, `Register`; internal/cmd/root.go), which `crush stats --all`
//   and tokscale read to find every project's database (discovery.ts, crushProjectDataDirs).
// - Crush keeps no token totals. `sessions.prompt_tokens` and `completion_tokens` are overwritten by every response
//   with that response's own input and output (internal/agent/agent.go `updateSessionTokenCounters`: the context
//   size, used to decide when to summarize) and zeroed after a summary; only `sessions.cost` accumulates, priced by
//   Crush from its model catalogue (or OpenRouter's figure, 0 for flat-rate models), and a sub-agent's cost is added
//   to its parent's (internal/agent/coordinator.go `updateParentSessionCost`). Messages carry `model`, `provider`
//   and `created_at` (epoch seconds, though the schema's comment says milliseconds) but no tokens
//   (internal/db/migrations, internal/db/sql/messages.sql).
// - So each assistant message is one response whose tokens are unknown: Crush writes one per model step
//   (agent.go `PrepareStep`), per summary (`is_summary_message`), and a placeholder for a turn canceled or failed,
//   which Crush's own `crush stats` and tokscale count too. As tokscale, only messages of sessions that descend
//   from a top-level session count (a sub-agent's session whose parent was deleted does not).
// - Crush's cost is per session; tokscale spreads it over the session's messages by day. A share per message would
//   be Assay's invention (and Assay never uses a tool's own cost: docs/ledger.md), and would rewrite every earlier
//   record of a session at each new response, so no cost is kept: Crush's responses show as responses without
//   tokens, at an unknown cost.
// - Only ids, times and model names are read: titles, message parts (prompts, code), files and paths never are.
import * as path from 'node:path';
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { parseTimestamp, UNKNOWN_MODEL } from '../rawJson';
import { ZERO_TOKENS } from '../../pricing/tiers';

/**
 * Assistant messages of every session below a top-level one, with that top-level session. UNION (not UNION ALL) ends
 * the recursion on a damaged database whose sessions name each other as parents.
 */
const ASSISTANT_MESSAGES_SQL =
  'WITH RECURSIVE tree(root_id, session_id) AS (SELECT id, id FROM sessions WHERE parent_session_id IS NULL ' +
  'UNION SELECT tree.root_id, sessions.id FROM sessions JOIN tree ON sessions.parent_session_id = tree.session_id) ' +
  "SELECT messages.id, tree.root_id, messages.created_at, messages.model FROM tree JOIN messages ON messages.session_id = tree.session_id WHERE messages.role = 'assistant'";

function usageFromMessageRow(row: unknown[], projectKey: string, context: ParseContext): ParsedUsage | undefined {
  const [id, rootSession, createdAt, model] = row;
  if (typeof id !== 'string' || id.length === 0) return undefined;
  const t = parseTimestamp(createdAt);
  if (t === undefined) {
    context.reject('timestamp');
    return undefined;
  }
  return {
    key: id,
    t,
    model: typeof model === 'string' && model.trim() !== '' ? model.trim() : UNKNOWN_MODEL,
    ...ZERO_TOKENS,
    tokensKnown: false,
    reportedCostUSD: null,
    sessionKey: typeof rootSession === 'string' ? rootSession : '',
    projectKey,
  };
}

const crushMessagesQuery: SqliteQuery = {
  sql: ASSISTANT_MESSAGES_SQL,
  parseRows(rows: unknown[][], filePath: string, context: ParseContext): ParsedUsage[] {
    // One database per project: its data directory names the project.
    const projectKey = context.nameDigest(path.dirname(filePath));
    return rows.flatMap((row) => usageFromMessageRow(row, projectKey, context) ?? []);
  },
};

/** `<data directory>/crush.db`: read through `sqlite` by the import machinery, never as text. */
export const crushDbParser: WholeFileParser = {
  kind: 'whole',
  source: 'crush',
  sqlite: crushMessagesQuery,
  parseFile: () => [],
};
