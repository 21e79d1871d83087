// Hermes Agent (NousResearch/hermes-agent) session totals, read as ccusage 20.0.24 reads them: ryoppippi/ccusage
// rust/crates/ccusage/src/adapter/hermes/{paths,loader,parser}.rs at 5816e640e8824986f33427203da164b01394a161 (20.0.11),
// checked against the ccusage 20.0.24 binary (`ccusage hermes daily --json`) on the unit test's and the cross-check's
// databases. The writer's side (NousResearch/hermes-agent):
// - One SQLite database (WAL journal), `$HERMES_HOME/state.db`, `HERMES_HOME` defaulting to `~/.hermes`
//   (hermes_state.py at 00025f69fcc30e5f88db31dd7f61bb664db1c9bf, `DEFAULT_DB_PATH`). ccusage reads `state.db` in each
//   folder of `$HERMES_HOME` (a comma list), else `~/.hermes`; a profile's own folder (`~/.hermes/profiles/<name>`) is
//   read only when `HERMES_HOME` or `assay.import.folders` names it, as in ccusage.
// - Table `sessions` (hermes_state_common.py at 00704d087b7ca25039be87baf11706d01f4da355, SCHEMA_SQL): one row per
//   session with `model` (the first model the session used), `started_at` (epoch seconds, REAL) and running totals
//   `input_tokens`, `output_tokens`, `cache_read_tokens`, `cache_write_tokens`, `reasoning_tokens`,
//   `estimated_cost_usd`, `actual_cost_usd`, updated after each model call (hermes_state_usage.py at
//   0ebb0462c61ae5e547093d70f434add0da920fa2, `_token_update_sql`). Every call's usage is normalized first
//   (agent/usage_pricing.py at 00fb0f9cb90366ebd5d419544e57c13ca7f57924, `normalize_usage`): input without cache reads
//   and writes, output as the provider counts it (reasoning included), reasoning the part of output that was reasoning.
// - There is no record per call here, so a session is one record, dated as ccusage dates it: when the session
//   started. Its totals grow in place (the record is replaced). Rows without a model are not read, as in ccusage; a
//   session that counted no token yet is not usage. Hermes's own cost (the provider's `actual_cost_usd`, else its
//   estimate) is kept as the reported cost. A session found in two `HERMES_HOME` folders counts once.
// - Newer Hermes builds also keep `session_model_usage` (hermes_state_common.py SCHEMA_SQL at
//   00704d087b7ca25039be87baf11706d01f4da355): running totals per session, model, billing route and `task`, with
//   `first_seen` / `last_seen` (epoch seconds). Rows of the main loop (`task` '') repeat what `sessions` holds. Rows
//   with a `task` (vision, compression, title_generation, background_review, …) are auxiliary calls, which Hermes
//   records there only, never in `sessions` (hermes_state_usage.py at 0ebb0462c61ae5e547093d70f434add0da920fa2,
//   `record_auxiliary_usage`, `_record_model_usage`; an auxiliary call without a model is kept as "unknown"). ccusage
//   reads none of it, so its totals leave them out; Assay reads each auxiliary row as one more record of its session,
//   dated when it was first seen and replaced as it grows, like a session. The table is read only where it exists
//   (older databases have none). `session_daily_usage` (per local day) is not read.
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { parseTimestamp, tokenCount } from '../rawJson';

/** ccusage's query: the billable columns only (the row also holds titles, prompts and paths). */
const SESSIONS_SQL =
  "SELECT 'session', id, model, started_at, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, " +
  "estimated_cost_usd, actual_cost_usd FROM sessions WHERE model IS NOT NULL AND TRIM(model) != ''";

/**
 * Auxiliary calls, one row per session, model, route and task. The route's columns only make the record's key (a
 * keyed digest in the ledger); the row's key columns are joined with NUL, which none of them holds.
 */
const AUXILIARY_SQL =
  "SELECT 'auxiliary', session_id || char(0) || model || char(0) || COALESCE(billing_provider, '') || char(0) || " +
  "COALESCE(billing_base_url, '') || char(0) || COALESCE(billing_mode, '') || char(0) || task, model, first_seen, input_tokens, " +
  "output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, estimated_cost_usd, actual_cost_usd FROM session_model_usage WHERE task != ''";

function cost(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

/** A session's totals, or an auxiliary row's (whose id joins its session, model, route and task). */
function usageFromRow(row: unknown[], context: ParseContext): ParsedUsage | undefined {
  const [kind, id, model, startedAt, input, output, cacheRead, cacheWrite, reasoning, estimated, actual] = row;
  if (typeof id !== 'string' || id.length === 0 || typeof model !== 'string') return undefined;
  const session = kind === 'auxiliary' ? id.split('\u0000')[0] : id;
  const outputTokens = tokenCount(output);
  const counts = {
    inputTokens: tokenCount(input),
    outputTokens,
    reasoningTokens: Math.min(tokenCount(reasoning), outputTokens),
    cacheReadTokens: tokenCount(cacheRead),
    cacheWrite5mTokens: tokenCount(cacheWrite),
    cacheWrite1hTokens: 0,
  };
  if (counts.inputTokens + counts.outputTokens + counts.cacheReadTokens + counts.cacheWrite5mTokens === 0) return undefined;
  const t = parseTimestamp(startedAt);
  if (t === undefined) {
    context.reject('timestamp');
    return undefined;
  }
  return {
    key: kind === 'auxiliary' ? `auxiliary\u0000${id}` : id,
    t,
    // The writer names an auxiliary call's missing model "unknown"; a blank one is no name either.
    model: model.trim() || 'unknown',
    ...counts,
    tokensKnown: true,
    reportedCostUSD: cost(actual) ?? cost(estimated) ?? null,
    sessionKey: session,
    projectKey: '',
  };
}

const hermesStateQuery: SqliteQuery = {
  sql: (tables) => (tables.has('session_model_usage') ? `${SESSIONS_SQL} UNION ALL ${AUXILIARY_SQL}` : SESSIONS_SQL),
  parseRows(rows: unknown[][], _filePath: string, context: ParseContext): ParsedUsage[] {
    return rows.flatMap((row) => usageFromRow(row, context) ?? []);
  },
};

/** `$HERMES_HOME/state.db`: read through `sqlite` by the import machinery, never as text. */
export const hermesStateParser: WholeFileParser = {
  kind: 'whole',
  source: 'hermes',
  sqlite: hermesStateQuery,
  parseFile: () => [],
};
