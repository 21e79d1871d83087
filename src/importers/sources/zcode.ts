// ZCode (Z.ai's GLM coding agent), read as ccusage 20.0.24 reads it. ZCode's own source is not public, so the
// reference is ccusage's adapter: its `adapters/zcode` sources are not in any stored ccusage snapshot (the newest,
// ryoppippi/ccusage 5816e640e8824986f33427203da164b01394a161, is 20.0.11 and has no ZCode), so the columns below are
// those of the query the 20.0.24 binary embeds (`... FROM model_usage m LEFT JOIN session s ON s.id = m.session_id
// WHERE m.status = 'completed'`), and every rule was checked by running that binary (`ccusage zcode daily --json
// --offline`) on hand-made databases (see test/fixtures/importers/zcode/README.md). A second, readable parser of the
// same table agrees on the columns and their meaning: cobra91/better-ccusage apps/better-ccusage/src/zcode-adapter.ts
// at 8f818596dc190d51b36952dad5c1f2333cb76899.
// - One SQLite database, `cli/db/db.sqlite` in each folder of `$ZCODE_HOME` (a comma list), else in `~/.zcode`.
// - Table `model_usage`: one row per model request, `id` (unique; ccusage counts an id found in two homes once),
//   `started_at` (epoch ms), `model_id`, `status` (only 'completed' rows count), `input_tokens` (the whole prompt:
//   cache reads and cache writes included), `output_tokens` (reasoning included), `cache_read_input_tokens`,
//   `cache_creation_input_tokens`. ccusage takes the cache reads out of the input first, then the cache writes from
//   what is left, each at most what is left, so a row whose cache exceeds its input is clamped, not negative.
// - Rows without a model (or a blank one) are not read, by ccusage either; an all-zero row is not usage.
// - Databases from before the cache columns existed (ccusage's "legacy" layout) are read too, their cache counted as 0,
//   as ccusage does. The `session` table (working folders) is never read.
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { tokenCount } from '../rawJson';

/**
 * The billable columns of completed requests only (the database also holds prompts and paths). The import machinery
 * runs one statement, so the cache columns, absent from older databases, are each read by a subquery on the row
 * itself: SQLite resolves a name the inner table lacks in the outer query, where `absent` supplies it as 0.
 */
const MODEL_USAGE_SQL =
  'SELECT m.id, m.session_id, m.started_at, m.model_id, m.input_tokens, m.output_tokens, ' +
  '(SELECT cache_read_input_tokens FROM model_usage AS own WHERE own.rowid = m.rowid), ' +
  '(SELECT cache_creation_input_tokens FROM model_usage AS own WHERE own.rowid = m.rowid) ' +
  'FROM (SELECT 0 AS cache_read_input_tokens, 0 AS cache_creation_input_tokens) AS absent CROSS JOIN model_usage AS m ' +
  "WHERE m.status = 'completed'";

function usageFromModelUsageRow(row: unknown[], context: ParseContext): ParsedUsage | undefined {
  const [id, sessionId, startedAt, model, input, output, cacheRead, cacheWrite] = row;
  const key = typeof id === 'number' && Number.isFinite(id) ? String(id) : id;
  if (typeof key !== 'string' || key.length === 0 || typeof model !== 'string' || model.trim() === '') return undefined;
  const prompt = tokenCount(input);
  const cacheReadTokens = Math.min(tokenCount(cacheRead), prompt);
  const cacheWrite5mTokens = Math.min(tokenCount(cacheWrite), prompt - cacheReadTokens);
  const counts = {
    inputTokens: prompt - cacheReadTokens - cacheWrite5mTokens,
    outputTokens: tokenCount(output),
    reasoningTokens: 0,
    cacheReadTokens,
    cacheWrite5mTokens,
    cacheWrite1hTokens: 0,
  };
  if (prompt + counts.outputTokens === 0) return undefined;
  if (typeof startedAt !== 'number' || !Number.isFinite(startedAt) || startedAt <= 0) {
    context.reject('timestamp');
    return undefined;
  }
  return {
    key,
    t: Math.floor(startedAt),
    model: model.trim(),
    ...counts,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey: typeof sessionId === 'string' ? sessionId : '',
    projectKey: '',
  };
}

const zcodeModelUsageQuery: SqliteQuery = {
  sql: MODEL_USAGE_SQL,
  parseRows(rows: unknown[][], _filePath: string, context: ParseContext): ParsedUsage[] {
    return rows.flatMap((row) => usageFromModelUsageRow(row, context) ?? []);
  },
};

/** `$ZCODE_HOME/cli/db/db.sqlite`: read through `sqlite` by the import machinery, never as text. */
export const zcodeDbParser: WholeFileParser = {
  kind: 'whole',
  source: 'zcode',
  sqlite: zcodeModelUsageQuery,
  parseFile: () => [],
};
