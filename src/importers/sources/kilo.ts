// Kilo Code ≥ 7 and the Kilo CLI, which run on OpenCode: one SQLite database,
// `${XDG_DATA_HOME:-~/.local/share}/kilo/kilo.db` (Kilo-Org/kilocode packages/opencode/src/storage/db.ts
// at f10b24fca408dd2c45eb39eeb9f820a8a1f7865a: `path.join(Global.Path.data, "kilo.db")`, WAL journal).
// Table `message` (session.sql.ts at 7a8a7897b7bacf399487aa098ed32c6c11cf834b): `id` primary key,
// `session_id`, `time_created`, and `data`, the JSON of MessageV2.Info without `id`/`sessionID`. An
// assistant message (message-v2.ts `Assistant`) carries `modelID`, `providerID`, `cost`,
// `time {created, completed?}` and `tokens {input, output, reasoning, cache {read, write}}`, updated in
// place (upsert by message id) as steps finish. OpenCode's usage (session/index.ts getUsage) stores
// `input` without cache reads and writes, and `output` without `reasoning`.
import type { ParseContext, ParsedUsage, SqliteQuery, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL } from '../rawJson';

function reportedCost(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** One assistant message row → one usage record; anything else (user messages, no tokens yet) → none. */
export function usageFromKiloMessage(id: unknown, sessionId: unknown, data: unknown, context: ParseContext): ParsedUsage | undefined {
  const messageId = asString(id);
  if (!messageId || typeof data !== 'string') return undefined;
  const message = asRecord(parseJsonLine(data, context));
  if (!message || message.role !== 'assistant') return undefined;
  const tokens = asRecord(message.tokens);
  const t = parseTimestamp(asRecord(message.time)?.created);
  if (!tokens || t === undefined) return undefined;
  const cache = asRecord(tokens.cache);
  const reasoning = tokenCount(tokens.reasoning);
  const output = tokenCount(tokens.output);
  const provider = asString(message.providerID);
  const model = asString(message.modelID);
  return {
    key: messageId,
    t,
    model: model ? (provider ? `${provider}/${model}` : model) : UNKNOWN_MODEL,
    inputTokens: tokenCount(tokens.input),
    outputTokens: output + reasoning,
    reasoningTokens: reasoning,
    cacheReadTokens: tokenCount(cache?.read),
    cacheWrite5mTokens: tokenCount(cache?.write),
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: reportedCost(message.cost),
    sessionKey: asString(sessionId) ?? '',
    projectKey: '',
  };
}

/** `kilo.db`: the assistant messages of every session. */
const kiloDbQuery: SqliteQuery = {
  sql: "SELECT id, session_id, data FROM message WHERE data LIKE '%\"assistant\"%'",
  parseRows(rows: unknown[][], _filePath: string, context: ParseContext): ParsedUsage[] {
    const usages: ParsedUsage[] = [];
    for (const [id, sessionId, data] of rows) {
      const usage = usageFromKiloMessage(id, sessionId, data, context);
      if (usage) usages.push(usage);
    }
    return usages;
  },
};

/** `kilo/kilo.db`: read through `sqlite` by the import machinery, never as text. */
export const kiloDbParser: WholeFileParser = {
  kind: 'whole',
  source: 'kilo-code',
  sqlite: kiloDbQuery,
  parseFile: () => [],
};
