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
// - Newer Hermes builds also keep `session_model_usage` (per model) and `session_daily_usage` (per local day); ccusage
//   does not read them, and neither does this parser, so that both count the same.
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { parseTimestamp, tokenCount } from '../rawJson';

/** ccusage's query: the billable columns only (the row also holds titles, prompts and paths). */
const SESSIONS_SQL =
  'SELECT id, model, started_at, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, reasoning_tokens, ' +
  "estimated_cost_usd, actual_cost_usd FROM sessions WHERE model IS NOT NULL AND TRIM(model) != ''";

function cost(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}

function usageFromSessionRow(row: unknown[], context: ParseContext): ParsedUsage | undefined {
  const [id, model, startedAt, input, output, cacheRead, cacheWrite, reasoning, estimated, actual] = row;
  if (typeof id !== 'string' || id.length === 0 || typeof model !== 'string') return undefined;
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
    key: id,
    t,
    model: model.trim(),
    ...counts,
    tokensKnown: true,
    reportedCostUSD: cost(actual) ?? cost(estimated) ?? null,
    sessionKey: id,
    projectKey: '',
  };
}

const hermesSessionsQuery: SqliteQuery = {
  sql: SESSIONS_SQL,
  parseRows(rows: unknown[][], _filePath: string, context: ParseContext): ParsedUsage[] {
    return rows.flatMap((row) => usageFromSessionRow(row, context) ?? []);
  },
};

/** `$HERMES_HOME/state.db`: read through `sqlite` by the import machinery, never as text. */
export const hermesStateParser: WholeFileParser = {
  kind: 'whole',
  source: 'hermes',
  sqlite: hermesSessionsQuery,
  parseFile: () => [],
};
