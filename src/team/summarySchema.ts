// The team summary file: one developer's daily aggregates as NDJSON, one JSON object per
// line, each with its `schema` version. A public format that managers' tools and DuckDB read: add
// fields, never rename or remove them, and keep older versions merging.
//
// Lines (all carry `schema`, `kind`, `developer`):
//   kind "export": first line of a file: `since`, `until` (the days the file speaks for, inclusive),
//                  `exportedAt` (ISO time the file was made: the latest file per developer and day wins)
//                  and the developer's `seats`.
//   kind "inline": one daily report InlineRow (src/report/rows.ts): `date`, `languageId`, `provider` and
//                  its figures; `agentEditsInEditor` and `agentCharsInEditor` may be absent (lines written
//                  before they were counted), and then count 0, as the ledger's activity lines do.
//   kind "usage":  one daily report UsageRow, `costUSD` as priced on the developer's machine (null when
//                  unpriced), plus (schema ≥ 2) `tokens` split by context tier so a manager can price the
//                  same tokens as another model, and (schema ≥ 3) the row's agent output: `agentEdits`,
//                  `linesAdded`, `linesRemoved`, `agentRetention` (cells per checkpoint) and `wasteTokens`.
//                  An older line has none of them: its agent output is unknown, not zero.
// Categorical values come from the allowlists only, every number and string is bounded, and unknown
// keys are dropped, so a line can carry nothing it was not meant to.
import * as z from 'zod';
import { UsageSource } from '../ledger/events';
import { allowLanguageId, allowProvider, OTHER, publicModelId } from '../privacy/allowlists';
import { bundledPriceData } from '../pricing/priceData';
import { createModelNormalizer, type ModelNormalizer } from '../pricing/normalize';
import { SEAT_PLANS } from '../pricing/seats';
import { isCalendarDate } from '../calendar/dates';
import { AGENT_CHECKPOINTS } from '../agentOutput/types';

/**
 * Version written by this Assay. 1: the first layout, usage tokens as the report's flat sums only.
 * 2: usage lines add `tokens` by context tier. 3: usage lines add the agent output figures.
 */
export const SUMMARY_SCHEMA_VERSION = 3;
/** The first version whose usage lines carry agent output. */
const AGENT_OUTPUT_SCHEMA = 3;
/** Lines from a newer Assay still merge on the fields this one knows, unless the version is absurd. */
const MAX_READABLE_SCHEMA = 1000;

/** Hex length of a developer id (HMAC-SHA256 truncated). */
export const DEVELOPER_ID_LENGTH = 16;

/** Upper bounds far above any real day of one developer, so a hostile number cannot overflow a sum. */
const MAX_COUNT = 1e9;
const MAX_TOKENS = 1e13;
const MAX_COST_USD = 1e7;
const MAX_SEATS = 100;

// z.int() with bounds checks each count in one pass: a folder of 1,000 developers holds millions of them.
const count = z.int().min(0).max(MAX_COUNT);
const tokenCount = z.int().min(0).max(MAX_TOKENS);
const calendarDate = z.string().length(10).refine(isKnownCalendarDate, { message: 'expected a calendar date YYYY-MM-DD' });

/** Dates repeat on every line of a file: each distinct one is checked once (a few thousand at most). */
const checkedDates = new Map<string, boolean>();
function isKnownCalendarDate(date: string): boolean {
  let valid = checkedDates.get(date);
  if (valid === undefined) {
    valid = isCalendarDate(date);
    if (checkedDates.size < 100_000) checkedDates.set(date, valid);
  }
  return valid;
}
const DEVELOPER_ID = new RegExp(`^[0-9a-f]{${DEVELOPER_ID_LENGTH}}$`);
const DeveloperId = z.string().regex(DEVELOPER_ID);

/** The bundled price data's model names, and its name for any model: built on first use (a summary or a merge). */
let bundled: { models: ReadonlySet<string>; nameOf: ModelNormalizer } | undefined;
const bundledNames = () => (bundled ??= { models: new Set(bundledPriceData().keys()), nameOf: createModelNormalizer(bundledPriceData()) });

/**
 * The model a summary names when it is written: the bundled price data's name for the ledger's model (a dated
 * `claude-sonnet-4-5-20250929` goes as `claude-sonnet-4-5`), else `other`. A model newer than the snapshot goes as
 * `other` too: a logged name of a public model's shape may still carry an organisation's deployment or fine-tune
 * (`acme-payroll/gpt-4o`, `gpt-4o-acme-payroll`), which the ledger may keep but a summary must not. What is written
 * is always one of the bundled names, never a string from the ledger.
 */
export function exportedSummaryModel(model: string): string {
  const { models, nameOf } = bundledNames();
  const name = nameOf(model);
  return models.has(name) ? name : OTHER;
}

/**
 * A model a merge accepts: the bundled price data's names, or a public model id of a known vendor family, which a
 * newer Assay's price data may know; never a name that only a user's own price file or overrides know.
 */
function allowSummaryModel(model: string): string {
  return bundledNames().models.has(model) || publicModelId(model) === model ? model : OTHER;
}

export const SummarySource = z.enum([...UsageSource.options, OTHER]);
export type SummarySource = z.infer<typeof SummarySource>;

export function allowSummarySource(source: string): SummarySource {
  const parsed = SummarySource.safeParse(source);
  return parsed.success ? parsed.data : OTHER;
}

const KNOWN_SEAT_PLANS = new Set(SEAT_PLANS.map((plan) => plan.id));

export function allowSeatPlan(plan: string): string {
  return KNOWN_SEAT_PLANS.has(plan) ? plan : OTHER;
}

const base = {
  schema: z.number().int().min(1).max(MAX_READABLE_SCHEMA),
  developer: DeveloperId,
};

const SeatLine = z.object({
  plan: z.string().max(64).refine((plan) => allowSeatPlan(plan) === plan, { message: 'unknown seat plan' }),
  monthlyUSD: z.number().nonnegative().max(100_000),
  count: z.number().int().positive().max(100_000),
});

/** No summary speaks for a day before Assay or its usage sources existed (the ledger holds none: usageBounds.ts). */
export const EARLIEST_SUMMARY_DAY = '2000-01-01';
/** A file's last day is a local date, at most a day past the UTC date it was exported on (UTC+14 is the furthest). */
export const UNTIL_AFTER_EXPORT_DAYS = 1;

export const ExportLine = z.object({
  ...base,
  kind: z.literal('export'),
  since: calendarDate,
  until: calendarDate,
  /** ISO 8601 UTC, whole seconds. */
  exportedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
  seats: z.array(SeatLine).max(MAX_SEATS),
});
export type ExportLine = z.infer<typeof ExportLine>;

/** Figures no honest ledger gives (a share above 1), which would skew the team's ratios and value. */
const CONTRADICTORY = { message: 'figures contradict each other' };

const RetentionCellLine = z
  .object({
    known: count,
    chars: count,
    arc: count,
    unchanged: count,
    mostlyRetained: count,
  })
  .refine((cell) => isRetentionCell(cell.known, cell.chars, cell.arc, cell.unchanged, cell.mostlyRetained), CONTRADICTORY);

/** Retained characters within those accepted, and acceptances unchanged or mostly retained within those known. */
function isRetentionCell(known: number, chars: number, arc: number, unchanged: number, mostlyRetained: number): boolean {
  return arc <= chars && unchanged <= known && mostlyRetained <= known;
}

/** Checkpoint seconds as the report keys them ("30", "600"): digits only, so no key can be `__proto__`. */
const CHECKPOINT_KEY = /^[1-9]\d{0,4}$/;
const CheckpointKey = z.string().regex(CHECKPOINT_KEY);

export const InlineLine = z.object({
  ...base,
  kind: z.literal('inline'),
  date: calendarDate,
  languageId: z.string().max(64).refine((id) => allowLanguageId(id) === id, { message: 'language not in the allowlist' }),
  provider: z.string().max(64).refine((id) => allowProvider(id) === id, { message: 'provider not in the allowlist' }),
  acceptances: z.object({ full: count, word: count, line: count }),
  acceptedChars: count,
  acceptedLines: count,
  opportunities: count,
  typedChars: count,
  aiChars: count,
  agentEditsInEditor: count.optional(),
  agentCharsInEditor: count.optional(),
  /** Bounded in number by the line length a merge accepts. */
  retention: z.record(CheckpointKey, RetentionCellLine),
});
export type InlineLine = z.infer<typeof InlineLine>;

/** Agent checkpoints as the report keys them ("3600", "86400", "604800"), and no other key. */
export const AGENT_CHECKPOINT_KEYS = AGENT_CHECKPOINTS.map(String) as [string, ...string[]];
const AgentCheckpointKey = z.enum(AGENT_CHECKPOINT_KEYS);

const AgentRetentionCellLine = z
  .object({
    known: count,
    linesAdded: count,
    linesKept: count,
  })
  .refine((cell) => cell.linesKept <= cell.linesAdded, CONTRADICTORY);

const TierLine = z.object({
  inputTokens: tokenCount,
  outputTokens: tokenCount,
  reasoningTokens: tokenCount,
  cacheReadTokens: tokenCount,
  cacheWrite5mTokens: tokenCount,
  cacheWrite1hTokens: tokenCount,
});

export const UsageLine = z
  .object({
    ...base,
    kind: z.literal('usage'),
    date: calendarDate,
    source: SummarySource,
    model: z.string().max(128).refine((model) => allowSummaryModel(model) === model, { message: 'model not in the price data' }),
    inputTokens: tokenCount,
    outputTokens: tokenCount,
    reasoningTokens: tokenCount,
    cacheReadTokens: tokenCount,
    cacheWriteTokens: tokenCount,
    costUSD: z.number().nonnegative().max(MAX_COST_USD).nullable(),
    requests: count,
    requestsWithoutTokens: count,
    /** Schema ≥ 2. */
    tokens: z.object({ standard: TierLine, longContext: TierLine }).optional(),
    /** Schema ≥ 3, all five or none. */
    agentEdits: count.optional(),
    linesAdded: count.optional(),
    linesRemoved: count.optional(),
    agentRetention: z.partialRecord(AgentCheckpointKey, AgentRetentionCellLine).optional(),
    wasteTokens: tokenCount.optional(),
  })
  .refine((line) => line.schema < 2 || line.tokens !== undefined, { message: 'schema 2 usage line without tokens', path: ['tokens'] })
  .refine((line) => hasAgentFields(line, line.schema), { message: 'agent output fields missing (schema 3 has all five)', path: ['agentEdits'] })
  .refine((line) => line.tokens === undefined || tiersMatchSums(line), { message: 'tokens do not add up to the totals', path: ['tokens'] });
export type UsageLine = z.infer<typeof UsageLine>;

const AGENT_FIELDS = ['agentEdits', 'linesAdded', 'linesRemoved', 'agentRetention', 'wasteTokens'] as const;

/** The agent output fields come together: all five from schema 3 on, all or none before (older writers had none). */
function hasAgentFields(line: object, schema: number): boolean {
  let present = 0;
  for (const field of AGENT_FIELDS) if ((line as Record<string, unknown>)[field] !== undefined) present++;
  return present === AGENT_FIELDS.length || (present === 0 && schema < AGENT_OUTPUT_SCHEMA);
}

type Tiers = z.infer<typeof TierLine>;
interface FlatTokens {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  tokens?: { standard: Tiers; longContext: Tiers };
}

function tiersMatchSums(line: FlatTokens): boolean {
  const { standard, longContext } = line.tokens as NonNullable<FlatTokens['tokens']>;
  return (
    standard.inputTokens + longContext.inputTokens === line.inputTokens &&
    standard.outputTokens + longContext.outputTokens === line.outputTokens &&
    standard.reasoningTokens + longContext.reasoningTokens === line.reasoningTokens &&
    standard.cacheReadTokens + longContext.cacheReadTokens === line.cacheReadTokens &&
    standard.cacheWrite5mTokens + standard.cacheWrite1hTokens + longContext.cacheWrite5mTokens + longContext.cacheWrite1hTokens ===
      line.cacheWriteTokens
  );
}

export const TeamSummaryLine = z.discriminatedUnion('kind', [ExportLine, InlineLine, UsageLine]);
export type TeamSummaryLine = z.infer<typeof TeamSummaryLine>;

// A quicker check of the row lines (inline and usage), for the merge, which checks every line of a
// folder: a million of them for a team of 1,000 over a quarter. It is written out by hand because
// zod's parser, even compiled by z.compile, took a fifth of a reader thread's time and half of the
// rest of the merge. The schemas above stay the definition: true here means they accept the value
// (test/unit/team/summaryValidation.test.ts checks this on fuzzed lines, and that rows are not refused
// that they accept), and false means "not sure": the caller asks TeamSummaryLine, which also gives
// the reason. The constants and allowlists are the schemas' own.

/**
 * True when `value`, made by JSON.parse, is an inline or usage line that TeamSummaryLine accepts;
 * its parse would then be `value` less the keys the schema does not know.
 */
export function isValidSummaryRow(value: unknown): value is InlineLine | UsageLine {
  if (!isPlainRecord(value)) return false;
  const schema = value.schema;
  if (!(typeof schema === 'number' && Number.isInteger(schema) && schema >= 1 && schema <= MAX_READABLE_SCHEMA)) return false;
  if (!(typeof value.developer === 'string' && DEVELOPER_ID.test(value.developer))) return false;
  if (!(typeof value.date === 'string' && value.date.length === 10 && isKnownCalendarDate(value.date))) return false;
  if (value.kind === 'inline') return isInlineFigures(value);
  return value.kind === 'usage' && isUsageFigures(value, schema);
}

function isInlineFigures(value: Record<string, unknown>): boolean {
  const { languageId, provider, acceptances, retention } = value;
  if (!(typeof languageId === 'string' && languageId.length <= 64 && allowLanguageId(languageId) === languageId)) return false;
  if (!(typeof provider === 'string' && provider.length <= 64 && allowProvider(provider) === provider)) return false;
  if (!(isPlainRecord(acceptances) && isCount(acceptances.full) && isCount(acceptances.word) && isCount(acceptances.line))) return false;
  if (!(isCount(value.acceptedChars) && isCount(value.acceptedLines) && isCount(value.opportunities) && isCount(value.typedChars) && isCount(value.aiChars))) return false;
  for (const field of [value.agentEditsInEditor, value.agentCharsInEditor]) if (!(field === undefined || isCount(field))) return false;
  if (!isPlainRecord(retention)) return false;
  for (const checkpoint of Object.keys(retention)) {
    const cell = retention[checkpoint];
    if (!(CHECKPOINT_KEY.test(checkpoint) && isPlainRecord(cell))) return false;
    if (!(isCount(cell.known) && isCount(cell.chars) && isCount(cell.arc) && isCount(cell.unchanged) && isCount(cell.mostlyRetained))) return false;
    if (!isRetentionCell(cell.known, cell.chars, cell.arc, cell.unchanged, cell.mostlyRetained)) return false;
  }
  return true;
}

const SUMMARY_SOURCES: ReadonlySet<unknown> = new Set(SummarySource.options);

function isUsageFigures(value: Record<string, unknown>, schema: number): boolean {
  const { model, costUSD, tokens } = value;
  if (!SUMMARY_SOURCES.has(value.source)) return false;
  if (!(typeof model === 'string' && model.length <= 128 && allowSummaryModel(model) === model)) return false;
  if (!(isTokenCount(value.inputTokens) && isTokenCount(value.outputTokens) && isTokenCount(value.reasoningTokens))) return false;
  if (!(isTokenCount(value.cacheReadTokens) && isTokenCount(value.cacheWriteTokens))) return false;
  if (!(costUSD === null || (typeof costUSD === 'number' && costUSD >= 0 && costUSD <= MAX_COST_USD))) return false;
  if (!(isCount(value.requests) && isCount(value.requestsWithoutTokens))) return false;
  if (tokens === undefined) {
    if (schema >= 2) return false;
  } else if (!(isPlainRecord(tokens) && isTier(tokens.standard) && isTier(tokens.longContext) && tiersMatchSums(value as unknown as FlatTokens))) {
    return false;
  }
  if (!hasAgentFields(value, schema)) return false;
  return value.agentEdits === undefined || isAgentOutput(value);
}

const AGENT_CHECKPOINT_KEY_SET: ReadonlySet<string> = new Set(AGENT_CHECKPOINT_KEYS);

function isAgentOutput(value: Record<string, unknown>): boolean {
  const { agentRetention } = value;
  if (!(isCount(value.agentEdits) && isCount(value.linesAdded) && isCount(value.linesRemoved) && isTokenCount(value.wasteTokens))) return false;
  if (!isPlainRecord(agentRetention)) return false;
  for (const checkpoint of Object.keys(agentRetention)) {
    const cell = agentRetention[checkpoint];
    if (!(AGENT_CHECKPOINT_KEY_SET.has(checkpoint) && isPlainRecord(cell))) return false;
    if (!(isCount(cell.known) && isCount(cell.linesAdded) && isCount(cell.linesKept) && cell.linesKept <= cell.linesAdded)) return false;
  }
  return true;
}

function isTier(tier: unknown): boolean {
  return (
    isPlainRecord(tier) &&
    isTokenCount(tier.inputTokens) &&
    isTokenCount(tier.outputTokens) &&
    isTokenCount(tier.reasoningTokens) &&
    isTokenCount(tier.cacheReadTokens) &&
    isTokenCount(tier.cacheWrite5mTokens) &&
    isTokenCount(tier.cacheWrite1hTokens)
  );
}

/**
 * A JSON object, not an array, without a `__proto__` key of its own (JSON.parse makes one; a zod
 * record leaves it out, so its parse would not be the value).
 */
function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype && !Object.hasOwn(value, '__proto__');
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT;
}

function isTokenCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_TOKENS;
}
