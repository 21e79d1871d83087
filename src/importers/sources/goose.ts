// Goose (block/goose) session totals, read as ccusage 20.0.24 reads them: ryoppippi/ccusage
// rust/crates/ccusage/src/adapter/goose/{paths,loader,parser}.rs at 5816e640e8824986f33427203da164b01394a161, checked
// against the ccusage 20.0.24 binary (`ccusage goose daily --json`) on the unit test's and the cross-check's databases.
// The writer's side (block/goose):
// - One SQLite database, `<data dir>/sessions/sessions.db` (crates/goose/src/session/session_manager.rs at
//   0164300649cf5e4ab327105d9155779ab8bfde4b, `ensure_session_dir`). The data dir is `$GOOSE_PATH_ROOT/data` when that
//   is set, else etcetera's app folder for `Block`/`goose`: XDG (`${XDG_DATA_HOME:-~/.local/share}/goose`) on Linux and
//   macOS, `%APPDATA%\Block\goose\data` on Windows (crates/goose/src/config/paths.rs at
//   0780e228ca96f8b7171d9a76f62b6d2c11ed901e). ccusage also looks in `~/Library/Application Support/goose/sessions` and
//   `~/.local/share/Block/goose/sessions`.
// - Table `sessions`: one row per session (user, scheduled, subagent, ... runs each have theirs), `id` (`<yyyymmdd>_<n>`,
//   numbered per database), `created_at` (SQLite `CURRENT_TIMESTAMP` text, UTC; sessions imported from Goose's older
//   JSONL files carry an RFC 3339 time), and per-session counters (schema at 0164300649cf, migrations up to v13 in
//   crates/goose/src/session/migrations.rs at 865e4a030a67eb0c51869874b9c758cb1eb10595): `accumulated_input_tokens`,
//   `accumulated_output_tokens`, `accumulated_total_tokens`, the sum of every provider call's usage, and
//   `input_tokens`, `output_tokens`, `total_tokens`, the last call's alone. Migration v6 added `provider_name` and
//   `model_config_json` (the session's model config, `{"model_name": ..., "context_limit": ..., ...}`).
// - A call's `input_tokens` is its whole prompt, cache reads and writes included (providers/formats/anthropic.rs at
//   00f85252aa0642df52f25a4526868be8d4348657, `Usage::from_cache_exclusive_input`), and the session keeps no total of
//   the cache part before schema v14: the whole prompt counts as input, as ccusage counts it. Goose 1.50.0
//   (aaif-goose/goose, its home since block/goose; session_manager.rs at 017176d06077b119ade382d3bb710e56c8c04e90,
//   schema v17) keeps `cache_read_tokens`, `cache_write_tokens` and their `accumulated_*` sums beside them (v14), and
//   from v15 a per-call `usage_ledger` table and `parent_session_id`: a subagent's row holds its own calls only (Goose
//   sums the tree when it reads), so sessions still count once each. Where the cache columns are, they are split out
//   of the input here (writes as five-minute writes: Goose keeps no TTL); ccusage 20.0.24 does not read them. What `total` holds beyond input and
//   output (thinking a provider counts apart) is added to output as reasoning, as ccusage prices it as output.
// - As in ccusage: a session is one record, dated when it was created, with the accumulated counters, else (0 or
//   empty) the last call's; all-zero rows are not read. Unlike ccusage, which leaves them out, a row without a model
//   (before v6, or a blank `model_name`) counts under an unknown model: its tokens are what Goose recorded.
//   The totals grow in place (the record is replaced). Session ids repeat across databases, so a session is keyed by
//   its database and id, as ccusage keys it.
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { asRecord, asString, parseTimestamp, tokenCount, UNKNOWN_MODEL } from '../rawJson';

/** ccusage's columns: the counters, the model config and the start only (the row also holds names, folders and recipes). */
const SESSIONS_COLUMNS =
  'id, model_config_json, created_at, total_tokens, input_tokens, output_tokens, accumulated_total_tokens, ' +
  'accumulated_input_tokens, accumulated_output_tokens';

/**
 * The cache parts of the prompt, where the database has them: v14 added the columns and v15 the `usage_ledger`
 * table, so a database with that table has them (one at v14 exactly is read as before, whole prompt as input).
 */
function sessionsSql(tables: ReadonlySet<string>): string {
  const cache = tables.has('usage_ledger')
    ? 'cache_read_tokens, cache_write_tokens, accumulated_cache_read_tokens, accumulated_cache_write_tokens'
    : 'NULL, NULL, NULL, NULL';
  return `SELECT ${SESSIONS_COLUMNS}, ${cache} FROM sessions`;
}

/** `created_at` as ccusage reads it: epoch seconds or ms, a zoned time, or SQLite's zone-less UTC `YYYY-MM-DD[ HH:MM:SS]`. */
function gooseCreatedAt(value: unknown): number | undefined {
  if (typeof value !== 'string') return parseTimestamp(value);
  const text = value.trim();
  if (/^\d+$/.test(text)) return parseTimestamp(Number(text));
  const utc = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2}))?$/.exec(text);
  if (utc) return parseTimestamp(`${utc[1]}T${utc[2] ?? '00:00:00'}Z`);
  return /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) ? parseTimestamp(text.replace(' ', 'T')) : undefined;
}

function modelName(modelConfigJson: unknown): string | undefined {
  if (typeof modelConfigJson !== 'string') return undefined;
  let config: unknown;
  try {
    config = JSON.parse(modelConfigJson);
  } catch {
    return undefined;
  }
  const model = asString(asRecord(config)?.model_name)?.trim();
  return model ? model : undefined;
}

function usageFromSessionRow(row: unknown[], database: string, context: ParseContext): ParsedUsage | undefined {
  const [id, modelConfig, createdAt, total, input, output, accumulatedTotal, accumulatedInput, accumulatedOutput] = row;
  const [cacheRead, cacheWrite, accumulatedCacheRead, accumulatedCacheWrite] = row.slice(9);
  if (typeof id !== 'string' || id.length === 0) return undefined;
  const model = modelName(modelConfig) ?? UNKNOWN_MODEL;
  const accumulated = tokenCount(accumulatedInput) > 0;
  const inputTokens = tokenCount(accumulatedInput) || tokenCount(input);
  const answered = tokenCount(accumulatedOutput) || tokenCount(output);
  const totalTokens = tokenCount(accumulatedTotal) || tokenCount(total) || inputTokens + answered;
  if (inputTokens + answered + totalTokens === 0) return undefined;
  // The cache counts are parts of the whole prompt, from the same counters as the input (capped at it).
  const cacheReadTokens = Math.min(tokenCount(accumulated ? accumulatedCacheRead : cacheRead), inputTokens);
  const cacheWriteTokens = Math.min(tokenCount(accumulated ? accumulatedCacheWrite : cacheWrite), inputTokens - cacheReadTokens);
  const t = gooseCreatedAt(createdAt);
  if (t === undefined) {
    context.reject('timestamp');
    return undefined;
  }
  const reasoningTokens = Math.max(0, totalTokens - inputTokens - answered);
  return {
    key: `${database}:${id}`,
    t,
    model,
    inputTokens: inputTokens - cacheReadTokens - cacheWriteTokens,
    outputTokens: answered + reasoningTokens,
    reasoningTokens,
    cacheReadTokens,
    cacheWrite5mTokens: cacheWriteTokens,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey: id,
    projectKey: '',
  };
}

const gooseSessionsQuery: SqliteQuery = {
  sql: sessionsSql,
  parseRows(rows: unknown[][], filePath: string, context: ParseContext): ParsedUsage[] {
    const database = context.nameDigest(filePath);
    return rows.flatMap((row) => usageFromSessionRow(row, database, context) ?? []);
  },
};

/** `<data dir>/sessions/sessions.db`: read through `sqlite` by the import machinery, never as text. */
export const gooseSessionsParser: WholeFileParser = {
  kind: 'whole',
  source: 'goose',
  // Revision 1: cache reads and writes are split out of the prompt (Goose 1.50.0). Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  sqlite: gooseSessionsQuery,
  parseFile: () => [],
};
