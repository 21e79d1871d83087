// The ledger's event model (docs/ledger.md; meanings in docs/metrics.md). Every line of a segment file is one of these,
// validated on write and on read. Fields are counts and allowlisted categories only:
// no document text, path, file name or user name ever fits in this schema.
import * as z from 'zod';

export const LEDGER_SCHEMA_VERSION = 1;

/**
 * Bounds that keep every sum a report makes finite and every date printable, whatever a damaged or
 * hostile line holds: 1e12 per event is far above any real count (a response of a few million
 * tokens), and no event of this product happens after 2200.
 */
const MAX_COUNT = 1e12;
const MAX_EVENT_TIME = Date.UTC(2200, 0, 1);

const count = z.number().int().nonnegative().max(MAX_COUNT);
const tokenCount = z.number().nonnegative().max(MAX_COUNT);
const eventTime = z.number().int().nonnegative().max(MAX_EVENT_TIME);

const base = {
  v: z.literal(LEDGER_SCHEMA_VERSION),
  /** Epoch milliseconds when the thing happened (for usage: when the model answered). */
  t: eventTime,
};

/** Where an edit that is neither typed nor AI came from (docs/metrics.md), counted for diagnostics. */
export const OtherEditClass = z.enum([
  'paste',
  'undo',
  'redo',
  'multiCursor',
  'largeEdit',
  'deletion',
  'reload',
  'notebook',
]);
export type OtherEditClass = z.infer<typeof OtherEditClass>;

export const AcceptMode = z.enum(['full', 'word', 'line']);
export type AcceptMode = z.infer<typeof AcceptMode>;

/** One inline suggestion (or one partial accept of it) committed into a document (docs/metrics.md, Inline suggestions). */
export const AcceptEvent = z.object({
  ...base,
  kind: z.literal('accept'),
  /** Random id linking this acceptance to its retention checkpoints. */
  id: z.string().regex(/^[0-9a-f]{16}$/),
  mode: AcceptMode,
  /** Net inserted characters. */
  chars: count,
  /** Non-blank lines newly contributed by this accept (a partial-accept chain counts each line once). */
  lines: count,
  languageId: z.string().max(64),
  provider: z.string().max(64),
  workspace: z.string().max(32),
});
export type AcceptEvent = z.infer<typeof AcceptEvent>;

/**
 * Counters accumulated in memory and flushed periodically, one event per
 * (languageId, provider, workspace) that had activity: per-keystroke events would
 * make the ledger grow with every character typed.
 */
export const ActivityEvent = z.object({
  ...base,
  kind: z.literal('activity'),
  /**
   * Random id, so a copy of a segment (what sync tools leave behind) does not count the same
   * activity twice. Lines written before ids existed have none and are counted as they are.
   */
  id: z.string().regex(/^[0-9a-f]{16}$/).optional(),
  languageId: z.string().max(64),
  provider: z.string().max(64),
  workspace: z.string().max(32),
  /** Times the editor asked inline-completion providers for a suggestion (debounced). */
  opportunities: count,
  typedChars: count,
  /** Edits that count as neither typed nor AI, by class, and their inserted characters. */
  otherEdits: z.partialRecord(OtherEditClass, count),
  otherChars: count,
  /**
   * Changes an agent's own log names (Copilot Chat's edits applied in the editor), and their inserted characters:
   * neither typed nor unexplained. Absent on lines written before they were counted, and when 0.
   */
  agentEdits: count.optional(),
  agentChars: count.optional(),
});
export type ActivityEvent = z.infer<typeof ActivityEvent>;

export const UnknownReason = z.enum(['closed', 'windowEnded', 'branchSwitch', 'reload']);
export type UnknownReason = z.infer<typeof UnknownReason>;

/** An acceptance's state at one retention checkpoint (docs/metrics.md, Retention). */
export const RetentionEvent = z.object({
  ...base,
  kind: z.literal('retention'),
  acceptId: z.string().regex(/^[0-9a-f]{16}$/),
  /** When the acceptance happened: retention rows are dated by acceptance, not by checkpoint. */
  acceptedAt: eventTime,
  /** Checkpoint in seconds after acceptance. */
  checkpoint: z.number().int().positive(),
  outcome: z.enum(['known', 'unknown']),
  reason: UnknownReason.optional(),
  chars: count,
  /** Accepted characters still present at the checkpoint (0 when unknown). */
  arc: count,
  /** No later edit touched the accepted range (false when unknown). */
  unchanged: z.boolean(),
  languageId: z.string().max(64),
  provider: z.string().max(64),
  workspace: z.string().max(32),
});
export type RetentionEvent = z.infer<typeof RetentionEvent>;

export const UsageSource = z.enum([
  'claude-code',
  'codex',
  'gemini-cli',
  'copilot-chat',
  'cline',
  'roo-code',
  'kilo-code',
  'continue',
  'opencode',
  'qwen-code',
  'pi-agent',
  'factory-droid',
  'amp',
  'codebuff',
  'openclaw',
  'hermes',
  'grok-build',
  'copilot-cli',
  'zcode',
  'goose',
  'kimi-code',
  'kimi-cli',
  'crush',
  'antigravity',
  'kiro',
]);
export type UsageSource = z.infer<typeof UsageSource>;

/** What each tool is called wherever a view names it (status bar, dashboard, messages). */
export const USAGE_SOURCE_NAMES: Record<UsageSource, string> = {
  'claude-code': 'Claude Code',
  codex: 'Codex',
  'gemini-cli': 'Gemini CLI',
  'copilot-chat': 'Copilot Chat',
  cline: 'Cline',
  'roo-code': 'Roo Code',
  'kilo-code': 'Kilo Code',
  continue: 'Continue',
  opencode: 'OpenCode',
  'qwen-code': 'Qwen Code',
  'pi-agent': 'Pi',
  'factory-droid': 'Factory Droid',
  amp: 'Amp',
  codebuff: 'Codebuff',
  openclaw: 'OpenClaw',
  hermes: 'Hermes',
  'grok-build': 'Grok Build',
  'copilot-cli': 'Copilot CLI',
  zcode: 'ZCode',
  goose: 'Goose',
  'kimi-code': 'Kimi Code',
  'kimi-cli': 'Kimi CLI',
  crush: 'Crush',
  antigravity: 'Antigravity CLI',
  kiro: 'Kiro',
};

/** A source's name; an id this version does not know (a newer ledger) is shown as it is. */
export function usageSourceName(source: string): string {
  return (USAGE_SOURCE_NAMES as Record<string, string>)[source] ?? source;
}

/**
 * One logical model response imported from an agent or chat tool's local log (docs/metrics.md, Agent and chat usage).
 * Token fields follow one convention for every source: `inputTokens` excludes cached input,
 * `outputTokens` includes reasoning, `reasoningTokens` is the reasoning part of output.
 */
export const UsageEvent = z.object({
  ...base,
  kind: z.literal('usage'),
  /** Opaque dedupe key (hash of the source's own response id); a later event with the same id replaces an earlier one. */
  id: z.string().min(8).max(64),
  source: UsageSource,
  /** The model's name as the ledger keeps it (src/pricing/normalize.ts, ModelNames.keep): a price-data name, a public model id, or `other`. */
  model: z.string().max(128),
  inputTokens: tokenCount,
  outputTokens: tokenCount,
  reasoningTokens: tokenCount,
  cacheReadTokens: tokenCount,
  cacheWrite5mTokens: tokenCount,
  cacheWrite1hTokens: tokenCount,
  /** False where the source logged the request but not its tokens (some Copilot Chat versions, every Crush and Kiro response). */
  tokensKnown: z.boolean(),
  /** Cost the tool itself reported, if any; Assay's own pricing is computed at report time. */
  reportedCostUSD: z.number().nonnegative().max(MAX_COUNT).nullable(),
  session: z.string().max(32),
  project: z.string().max(32),
});
export type UsageEvent = z.infer<typeof UsageEvent>;

const USAGE_SOURCES: ReadonlySet<unknown> = new Set(UsageSource.options);
export const isUsageSource = (value: unknown): value is UsageSource => USAGE_SOURCES.has(value);
const USAGE_EVENT_FIELDS = Object.keys(UsageEvent.shape).length;
const isCount = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= MAX_COUNT;
const isText = (value: unknown, maxLength: number): value is string => typeof value === 'string' && value.length <= maxLength;

/**
 * `event` as `UsageEvent.parse` returns it (a copy, fields in the schema's order) when it is plainly a usage event the
 * schema accepts; undefined otherwise, and the schema decides. Hand-written beside the schema for the reason
 * `plainlyWithinBounds` (src/importers/usageBounds.ts) is: an import appends one event per response, mostly in a fresh
 * process (`assay report`, a new import thread), where the schema's code is still cold. Its first 7,500 parses took
 * 136 to 223 ms, later rounds 30. It may only ever accept what the schema accepts: events.test.ts checks that on
 * generated events.
 */
export function plainUsageEvent(event: unknown): UsageEvent | undefined {
  if (typeof event !== 'object' || event === null || Object.keys(event).length !== USAGE_EVENT_FIELDS) return undefined;
  const e = event as Record<string, unknown>;
  const { t, reportedCostUSD: cost } = e;
  const plain =
    e.v === LEDGER_SCHEMA_VERSION &&
    typeof t === 'number' &&
    Number.isSafeInteger(t) &&
    t >= 0 &&
    t <= MAX_EVENT_TIME &&
    e.kind === 'usage' &&
    isText(e.id, 64) &&
    e.id.length >= 8 &&
    isUsageSource(e.source) &&
    isText(e.model, 128) &&
    isCount(e.inputTokens) &&
    isCount(e.outputTokens) &&
    isCount(e.reasoningTokens) &&
    isCount(e.cacheReadTokens) &&
    isCount(e.cacheWrite5mTokens) &&
    isCount(e.cacheWrite1hTokens) &&
    typeof e.tokensKnown === 'boolean' &&
    (cost === null || isCount(cost)) &&
    isText(e.session, 32) &&
    isText(e.project, 32);
  if (!plain) return undefined;
  return {
    v: LEDGER_SCHEMA_VERSION,
    t,
    kind: 'usage',
    id: e.id as string,
    source: e.source as UsageSource,
    model: e.model as string,
    inputTokens: e.inputTokens as number,
    outputTokens: e.outputTokens as number,
    reasoningTokens: e.reasoningTokens as number,
    cacheReadTokens: e.cacheReadTokens as number,
    cacheWrite5mTokens: e.cacheWrite5mTokens as number,
    cacheWrite1hTokens: e.cacheWrite1hTokens as number,
    tokensKnown: e.tokensKnown as boolean,
    reportedCostUSD: cost as number | null,
    session: e.session as string,
    project: e.project as string,
  };
}

/**
 * One file edit an agent applied, imported from its tool's log (docs/metrics.md, Agent output): counts only, no path
 * or line. Dated by when the edit was applied; folded into the usage row of its (date, source, model).
 */
export const AgentEditEvent = z.object({
  ...base,
  kind: z.literal('agentEdit'),
  /** Opaque id (keyed hash of the tool call id): copies of one call (resumed sessions) count once. */
  id: z.string().min(8).max(64),
  source: UsageSource,
  model: z.string().max(128),
  session: z.string().max(32),
  /** Non-blank lines the edit added and removed. */
  linesAdded: count,
  linesRemoved: count,
});
export type AgentEditEvent = z.infer<typeof AgentEditEvent>;

/**
 * How many of an edit's added lines were still in its file at one checkpoint (docs/metrics.md, Agent output).
 * `t` is when it was measured (or judged unknown); the row is the edit's (`editedAt`, `source`, `model`).
 */
export const AgentRetentionEvent = z.object({
  ...base,
  kind: z.literal('agentRetention'),
  editId: z.string().min(8).max(64),
  editedAt: eventTime,
  source: UsageSource,
  model: z.string().max(128),
  /** Seconds after the edit. */
  checkpoint: z.number().int().positive(),
  /** False when the checkpoint could not be measured (no import ran in time, or its log is gone). */
  known: z.boolean(),
  linesAdded: count,
  /** Added lines still in the file (0 when unknown). */
  linesKept: count,
  /**
   * Present once per wasted response, on the 1-day checkpoint of its last edit measured: the tokens of a response
   * none of whose edits kept a line (docs/metrics.md, Agent output).
   */
  wasteTokens: tokenCount.optional(),
});
export type AgentRetentionEvent = z.infer<typeof AgentRetentionEvent>;

/** A plan limit's window, named by its length (docs/money.md, Limits): 5 hours, a week, or another. */
export const LimitWindow = z.enum(['5h', 'weekly', 'other']);
export type LimitWindow = z.infer<typeof LimitWindow>;

/** A window longer than a year is not a plan limit; a request can overshoot a limit a little, not tenfold. */
const MAX_WINDOW_MINUTES = 525_600;
const MAX_USED_PERCENT = 1_000;

/**
 * One plan limit's figure as a tool reported it at `t` (Codex's `rate_limits`; src/money/limits.ts). Written only
 * when a window's figure or reset time changes: the id is a digest of the source, limit, window, figure and reset.
 */
export const LimitEvent = z.object({
  ...base,
  kind: z.literal('limit'),
  id: z.string().min(8).max(64),
  source: UsageSource,
  /** `plan`: the account's own limit; `other`: a separate bucket the tool also reports. */
  limit: z.enum(['plan', 'other']),
  window: LimitWindow,
  windowMinutes: z.number().int().positive().max(MAX_WINDOW_MINUTES).nullable(),
  usedPercent: z.number().min(0).max(MAX_USED_PERCENT),
  /** When the window resets (epoch ms), or null when the tool did not say. */
  resetsAt: eventTime.nullable(),
});
export type LimitEvent = z.infer<typeof LimitEvent>;

/** A request a tool refused because a subscription limit was reached (Claude Code's limit lines). */
export const LimitReachedEvent = z.object({
  ...base,
  kind: z.literal('limitReached'),
  id: z.string().min(8).max(64),
  source: UsageSource,
  window: LimitWindow,
  resetsAt: eventTime.nullable(),
});
export type LimitReachedEvent = z.infer<typeof LimitReachedEvent>;

export const LedgerEvent = z.discriminatedUnion('kind', [
  AcceptEvent,
  ActivityEvent,
  RetentionEvent,
  UsageEvent,
  AgentEditEvent,
  AgentRetentionEvent,
  LimitEvent,
  LimitReachedEvent,
]);
export type LedgerEvent = z.infer<typeof LedgerEvent>;
