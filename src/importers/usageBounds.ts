// The one boundary every imported usage record crosses, whatever its source: parsers read another
// tool's log leniently, and this schema decides what may become a ledger event. A record outside
// these bounds is a counted rejection, never an exception: one absurd line in a log (a timestamp in
// the year 318,857, 1e308 tokens) must not stop the run, poison the report with Infinity, or keep
// failing every later run because the import state was never saved.
import * as z from 'zod';
import type { ParsedUsage } from './types';

/** Why a log line or record was skipped; `fileTooLarge`: a whole log file or database too large to load (incremental.ts). */
export const RejectReason = z.enum(['json', 'timestamp', 'tokens', 'cost', 'fields', 'size', 'fileTooLarge']);
export type RejectReason = z.infer<typeof RejectReason>;
/** Rejected log lines (or records) by reason; a reason with none is absent. */
export type RejectedLines = Partial<Record<RejectReason, number>>;

/** No tool this importer reads existed before this: an earlier date is a misread field. */
const EARLIEST_USAGE_MS = Date.UTC(2000, 0, 1);
/** Clocks drift and time zones get mislabelled, but a response is never more than a day ahead. */
const FUTURE_SLACK_MS = 24 * 60 * 60 * 1000;
/** Per response and per token field; the largest context windows are a few million tokens. */
export const MAX_TOKENS_PER_RESPONSE = 1e12;
/** A tool's own cost for one response; far above any real request, far below overflow. */
const MAX_REPORTED_COST_USD = 1e6;
/** Keys, model names and session/project keys are hashed or normalized: longer ones are not log fields. */
const MAX_TEXT_LENGTH = 4096;

/**
 * Whether `t` (epoch ms) may be the time of something a tool logged, for a run that started at `now`: the bounds of a
 * usage record's time, which the agent edits and plan limits a run reads share (one forged far-future line would
 * otherwise stay the latest of its kind for ever).
 */
export function isPlausibleLogTime(t: number, now: number): boolean {
  return Number.isFinite(t) && t >= EARLIEST_USAGE_MS && t <= now + FUTURE_SLACK_MS;
}

/**
 * Whole-file logs larger than this, stored or decompressed, are not loaded into memory: the run counts them as
 * `fileTooLarge` (incremental.ts; no tool writes one this large; its text would be held twice, as bytes and as a string),
 * as it does a compressed log whose frame headers ask the decoder for more memory (zstd.ts).
 */
export const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;
/**
 * The same for a SQLite database with its WAL, which a heavy OpenCode or Kilo user's can outgrow. sql.js copies the
 * file into its own memory; measured with querySqliteCopy and OpenCode's query (Node 20, sql.js 1.17.0, generated
 * opencode.db): peak RSS 447 MB for a 309 MB database, 879 MB for 704 MB, 1.26 GB and about 10 s for 1.03 GB.
 */
export const MAX_DATABASE_BYTES = 1024 * 1024 * 1024;

const text = z.string().max(MAX_TEXT_LENGTH);
const tokens = z.number().int().min(0).max(MAX_TOKENS_PER_RESPONSE);

/** The schema of a ParsedUsage accepted by a run that started at `now`. */
export function parsedUsageSchema(now: number) {
  return z.object({
    key: text.min(1),
    t: z.number().int().min(EARLIEST_USAGE_MS).max(now + FUTURE_SLACK_MS),
    model: text,
    inputTokens: tokens,
    outputTokens: tokens,
    reasoningTokens: tokens,
    cacheReadTokens: tokens,
    cacheWrite5mTokens: tokens,
    cacheWrite1hTokens: tokens,
    tokensKnown: z.boolean(),
    reportedCostUSD: z.number().min(0).max(MAX_REPORTED_COST_USD).nullable(),
    sessionKey: text,
    projectKey: text,
    copyOf: z.object({ responseId: text.min(1), replay: z.boolean() }).optional(),
  });
}

const TOKEN_FIELDS: ReadonlySet<PropertyKey> = new Set([
  'inputTokens',
  'outputTokens',
  'reasoningTokens',
  'cacheReadTokens',
  'cacheWrite5mTokens',
  'cacheWrite1hTokens',
]);

function reasonOf(field: PropertyKey | undefined): RejectReason {
  if (field === 't') return 'timestamp';
  if (field === 'reportedCostUSD') return 'cost';
  if (field !== undefined && TOKEN_FIELDS.has(field)) return 'tokens';
  return 'fields';
}

const isText = (value: unknown, minLength = 0): boolean =>
  typeof value === 'string' && value.length >= minLength && value.length <= MAX_TEXT_LENGTH;
const isTokens = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value <= MAX_TOKENS_PER_RESPONSE;

/**
 * Whether every field of `parsed` is plainly of the type and within the range `parsedUsageSchema` asks, for a run that
 * accepts times up to `latestT`. Hand-written beside the schema because the schema's parse is too slow for the one
 * check every imported record makes: it builds a copy of the record, and measured over 500 MB of Claude Code logs
 * (75,000 records, test/bench/importClaude.ts) skipping it made a whole `assay report daily` 15% faster. Nearly every
 * record passes here; any other goes to the schema, which decides and names the reason. It may only ever accept what
 * the schema accepts: usageBounds.test.ts checks that on generated records.
 */
function plainlyWithinBounds(parsed: ParsedUsage, latestT: number): boolean {
  const { t, reportedCostUSD: cost, copyOf } = parsed;
  return (
    isText(parsed.key, 1) &&
    typeof t === 'number' &&
    Number.isSafeInteger(t) &&
    t >= EARLIEST_USAGE_MS &&
    t <= latestT &&
    isText(parsed.model) &&
    isTokens(parsed.inputTokens) &&
    isTokens(parsed.outputTokens) &&
    isTokens(parsed.reasoningTokens) &&
    isTokens(parsed.cacheReadTokens) &&
    isTokens(parsed.cacheWrite5mTokens) &&
    isTokens(parsed.cacheWrite1hTokens) &&
    typeof parsed.tokensKnown === 'boolean' &&
    (cost === null || (typeof cost === 'number' && cost >= 0 && cost <= MAX_REPORTED_COST_USD)) &&
    isText(parsed.sessionKey) &&
    isText(parsed.projectKey) &&
    (copyOf === undefined ||
      (typeof copyOf === 'object' && copyOf !== null && isText(copyOf.responseId, 1) && typeof copyOf.replay === 'boolean'))
  );
}

export class UsageBounds {
  /** Made for the first record the quick check does not pass: most runs meet none, and making it costs a run with nothing new a millisecond. */
  private schema: ReturnType<typeof parsedUsageSchema> | undefined;
  /** The latest time the schema accepts. */
  private readonly latestT: number;
  constructor(private readonly now: number) {
    this.latestT = now + FUTURE_SLACK_MS;
  }

  /** Why `parsed` may not become a ledger event, or undefined when it may. */
  rejection(parsed: ParsedUsage): RejectReason | undefined {
    if (plainlyWithinBounds(parsed, this.latestT)) return undefined;
    this.schema ??= parsedUsageSchema(this.now);
    const result = this.schema.safeParse(parsed);
    return result.success ? undefined : reasonOf(result.error.issues[0]?.path[0]);
  }
}

export function addRejection(counts: RejectedLines, reason: RejectReason, count = 1): void {
  if (count > 0) counts[reason] = (counts[reason] ?? 0) + count;
}

export function rejectionTotal(counts: RejectedLines): number {
  return Object.values(counts).reduce((total, count) => total + (count ?? 0), 0);
}

/** `2 timestamp, 1 tokens`: the counts, without any value from the log. */
function describeRejections(counts: RejectedLines): string {
  return RejectReason.options
    .filter((reason) => reason !== 'fileTooLarge' && (counts[reason] ?? 0) > 0)
    .map((reason) => `${counts[reason]} ${reason}`)
    .join(', ');
}

const megabytes = (bytes: number): string => `${bytes / (1024 * 1024)} MB`;

/** One line per source whose log lines were skipped as invalid, and one per source with files too large to read (CLI warnings, the editor's log). */
export function rejectionWarnings(sources: readonly { source: string; rejectedLines: RejectedLines }[]): string[] {
  const warnings: string[] = [];
  for (const { source, rejectedLines } of sources) {
    const tooLarge = rejectedLines.fileTooLarge ?? 0;
    const lines = rejectionTotal(rejectedLines) - tooLarge;
    if (lines > 0) {
      warnings.push(`${source}: ${lines} invalid log ${lines === 1 ? 'line was' : 'lines were'} skipped (${describeRejections(rejectedLines)}).`);
    }
    if (tooLarge > 0) {
      warnings.push(`${source}: ${tooLarge} log ${tooLarge === 1 ? 'file is' : 'files are'} too large to read (over ${megabytes(MAX_WHOLE_FILE_BYTES)}, or ${megabytes(MAX_DATABASE_BYTES)} for a database) and ${tooLarge === 1 ? 'was' : 'were'} skipped.`);
    }
  }
  return warnings;
}
