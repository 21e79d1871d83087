// Plan limits the tools write into their own logs (docs/money.md, Limits): Codex's rate-limit windows and the
// times Claude Code says a usage limit was reached. The parsers take one already-parsed log record and return
// plain, zod-validated observations holding numbers and categories only, ready for the ledger.
//
// Codex (openai/codex): every `event_msg` of `payload.type == "token_count"` carries `payload.rate_limits`
// (TokenCountEvent { info, rate_limits: Option<RateLimitSnapshot> }), written into the rollout by the recorder as
// `{timestamp, type: "event_msg", payload}`. Three shapes, oldest first:
// - Sept 2025 builds (about 0.39–0.44) wrote the flat RateLimitSnapshotEvent `{primary_used_percent,
//   secondary_used_percent, primary_to_secondary_ratio_percent, primary_window_minutes, secondary_window_minutes}`
//   (as serialised in codex-rs/core/tests/suite/client.rs of that time; no reset time);
// - then `{primary, secondary}` windows `{used_percent, window_minutes, resets_in_seconds}`: seconds after the event;
// - since openai/codex PR #5304 (merged 2025-10-17, "switch rate limit reset handling to timestamps") the window
//   has `resets_at`, Unix seconds; later builds add `limit_id`, `limit_name`, `credits`, `plan_type` and
//   `rate_limit_reached_type` (codex-rs/protocol/src/protocol.rs at edb4efee49ae9f130636fab25f2e398a931dd987:
//   RateLimitSnapshot, RateLimitWindow { used_percent: f64, window_minutes: Option<i64>, resets_at: Option<i64> }).
// `rate_limits` is null when the backend sent none (API-key sessions; openai/codex issue #14880). Which slot holds
// which window is not fixed (the weekly window can arrive as `primary`), so the window is named by its length.
//
// Claude Code: when a subscription limit stops a request, Claude Code writes an assistant line with
// `isApiErrorMessage: true` whose text is `Claude AI usage limit reached|<reset, Unix seconds>` (what ccusage
// detects: ryoppippi/ccusage apps/ccusage/src/data-loader.ts getUsageLimitResetTime at
// 0078fcb0046bdc92adc5fe8b4bff79c00c1e0589, and rust/crates/ccusage/src/adapter/claude/mod.rs
// usage_limit_reset_time_from_line_bytes with its test line in rust/crates/ccusage/src/main.rs at
// 5816e640e8824986f33427203da164b01394a161). Newer builds write `You've hit your limit · resets 3pm (Europe/Rome)`,
// also `session`, `weekly` or a model name before `limit`; that text carries no machine-readable reset time.
import * as z from 'zod';
import { parseLoggedDateTime } from '../calendar/dates';
import { LimitWindow, UsageSource } from '../ledger/events';

/** Events after this are not plausible (the ledger's own bound). */
const MAX_TIME = Date.UTC(2200, 0, 1);
/** A window longer than a year is not a plan limit. */
const MAX_WINDOW_MINUTES = 525_600;
/** Codex reports percentages of 0–100; a little above 100 happens when a request overshoots the limit. */
const MAX_USED_PERCENT = 1_000;
const FIVE_HOURS_MINUTES = 300;
const WEEK_MINUTES = 10_080;

const epochMs = z.number().int().nonnegative().max(MAX_TIME);

export { LimitWindow };

/** One window's figure as the tool reported it at `t`: what the ledger stores for Codex limits. */
export const LimitObservation = z
  .object({
    source: UsageSource,
    /** `plan`: the account's own limit; `other`: a separate bucket the tool also reports (e.g. one model's). */
    limit: z.enum(['plan', 'other']),
    window: LimitWindow,
    windowMinutes: z.number().int().positive().max(MAX_WINDOW_MINUTES).nullable(),
    usedPercent: z.number().min(0).max(MAX_USED_PERCENT),
    /** When the window resets (epoch ms), or null when the tool did not say. */
    resetsAt: epochMs.nullable(),
    /** When the tool reported it (epoch ms). */
    t: epochMs,
  })
  .strict();
export type LimitObservation = z.infer<typeof LimitObservation>;

/** A request the tool refused because a subscription limit was reached: what the ledger stores for Claude Code. */
export const LimitReached = z
  .object({
    source: UsageSource,
    /** Which limit, when the message names it; `other` when it does not. */
    window: LimitWindow,
    resetsAt: epochMs.nullable(),
    t: epochMs,
  })
  .strict();
export type LimitReached = z.infer<typeof LimitReached>;

const isoTime = z.string().max(64).transform((text, context) => {
  const ms = parseLoggedDateTime(text);
  if (ms === undefined || ms > MAX_TIME) {
    context.addIssue({ code: 'custom', message: 'not a time' });
    return z.NEVER;
  }
  return ms;
});

const percent = z.number().finite();
/** Minutes as logged; 0 means the tool did not know the window, like a missing value. */
const minutes = z
  .number()
  .int()
  .nonnegative()
  .max(MAX_WINDOW_MINUTES)
  .transform((value) => (value === 0 ? null : value));
const seconds = z.number().int().nonnegative();

const CodexWindowSchema = z.object({
  used_percent: percent,
  window_minutes: minutes.nullish(),
  resets_at: seconds.nullish(),
  resets_in_seconds: seconds.nullish(),
});
type CodexWindow = z.infer<typeof CodexWindowSchema>;

const CodexSnapshotSchema = z.object({
  limit_id: z.string().max(128).nullish(),
  primary: CodexWindowSchema.nullish(),
  secondary: CodexWindowSchema.nullish(),
  primary_used_percent: percent.nullish(),
  secondary_used_percent: percent.nullish(),
  primary_window_minutes: minutes.nullish(),
  secondary_window_minutes: minutes.nullish(),
  primary_reset_after_seconds: seconds.nullish(),
  secondary_reset_after_seconds: seconds.nullish(),
});

const CodexTokenCountLine = z.object({
  timestamp: isoTime,
  type: z.literal('event_msg'),
  payload: z.object({ type: z.literal('token_count'), rate_limits: z.unknown() }),
});

/** The window a limit of `windowMinutes` is: Codex reports 300 and 10080; a few minutes either way is the same. */
export function windowOfMinutes(windowMinutes: number | null): LimitWindow {
  if (windowMinutes === null) return 'other';
  if (Math.abs(windowMinutes - FIVE_HOURS_MINUTES) <= 15) return '5h';
  if (Math.abs(windowMinutes - WEEK_MINUTES) <= 60) return 'weekly';
  return 'other';
}

/**
 * The rate-limit windows in one Codex rollout record (a parsed JSONL line), or undefined when the record is not a
 * `token_count` event or carries no usable window. Each returned observation has passed `LimitObservation`.
 */
export function parseCodexRateLimits(record: unknown): LimitObservation[] | undefined {
  const line = CodexTokenCountLine.safeParse(record);
  if (!line.success) return undefined;
  const snapshot = CodexSnapshotSchema.safeParse(line.data.payload.rate_limits);
  if (!snapshot.success) return undefined;
  const t = line.data.timestamp;
  const raw = snapshot.data;
  const limit = raw.limit_id == null || raw.limit_id === 'codex' ? 'plan' : 'other';
  const windows: Array<{ usedPercent: number; windowMinutes: number | null; resetsAt: number | null }> = [];
  for (const window of [raw.primary, raw.secondary]) {
    if (window) windows.push({ usedPercent: window.used_percent, windowMinutes: window.window_minutes ?? null, resetsAt: resetTime(window, t) });
  }
  if (windows.length === 0) {
    const flat: Array<[number | null | undefined, number | null | undefined, number | null | undefined]> = [
      [raw.primary_used_percent, raw.primary_window_minutes, raw.primary_reset_after_seconds],
      [raw.secondary_used_percent, raw.secondary_window_minutes, raw.secondary_reset_after_seconds],
    ];
    for (const [usedPercent, windowMinutes, resetAfter] of flat) {
      if (usedPercent == null) continue;
      windows.push({ usedPercent, windowMinutes: windowMinutes ?? null, resetsAt: resetAfter == null ? null : t + resetAfter * 1000 });
    }
  }
  const observations: LimitObservation[] = [];
  for (const window of windows) {
    const parsed = LimitObservation.safeParse({
      source: 'codex',
      limit,
      window: windowOfMinutes(window.windowMinutes),
      windowMinutes: window.windowMinutes,
      usedPercent: window.usedPercent,
      resetsAt: window.resetsAt,
      t,
    });
    if (parsed.success) observations.push(parsed.data);
  }
  return observations.length > 0 ? observations : undefined;
}

function resetTime(window: CodexWindow, t: number): number | null {
  if (window.resets_at != null) return window.resets_at * 1000;
  if (window.resets_in_seconds != null) return t + window.resets_in_seconds * 1000;
  return null;
}

const ClaudeErrorLine = z.object({
  timestamp: isoTime,
  isApiErrorMessage: z.literal(true),
  message: z.object({
    content: z.union([z.string(), z.array(z.unknown())]),
  }),
});

/** `Claude AI usage limit reached|1736503200`: the number is the reset time in Unix seconds. */
const LEGACY_LIMIT = /Claude AI usage limit reached\|(\d{1,12})/;
/** `You've hit your limit · resets 3pm (Europe/Rome)`, `You've hit your session limit`, `… weekly limit`, `… Opus limit`. */
const HIT_LIMIT = /You(?:'|’)?ve hit your ((?:[\w.-]+ ){0,2})limit/i;

/**
 * When a parsed Claude Code transcript line says a usage limit stopped a request: the line's time, the reset time
 * when the message carries one, and which limit when it names it. Undefined for every other line.
 */
export function parseClaudeLimitReached(record: unknown): LimitReached | undefined {
  // Every transcript line passes here: the schema is the boundary, this test only spares the other lines its cost.
  if ((record as { isApiErrorMessage?: unknown } | undefined)?.isApiErrorMessage !== true) return undefined;
  const line = ClaudeErrorLine.safeParse(record);
  if (!line.success) return undefined;
  const content = line.data.message.content;
  const texts = typeof content === 'string' ? [content] : content.flatMap((part) => textOf(part));
  for (const text of texts) {
    const legacy = LEGACY_LIMIT.exec(text);
    if (legacy) {
      const resetSeconds = Number(legacy[1]);
      return validLimitReached({ window: 'other', resetsAt: resetSeconds > 0 ? resetSeconds * 1000 : null, t: line.data.timestamp });
    }
    const hit = HIT_LIMIT.exec(text);
    if (hit) return validLimitReached({ window: namedWindow(hit[1]), resetsAt: null, t: line.data.timestamp });
  }
  return undefined;
}

function textOf(part: unknown): string[] {
  const text = z.object({ text: z.string().max(4_096) }).safeParse(part);
  return text.success ? [text.data.text] : [];
}

function namedWindow(words: string): LimitWindow {
  const name = words.trim().toLowerCase();
  if (name === 'session' || name === '5-hour') return '5h';
  if (name === 'weekly') return 'weekly';
  return 'other';
}

function validLimitReached(fields: Omit<LimitReached, 'source'>): LimitReached | undefined {
  const parsed = LimitReached.safeParse({ source: 'claude-code', ...fields });
  return parsed.success ? parsed.data : undefined;
}

/** The latest figure of one window, as the dashboard and the status bar show it. */
export interface LimitStatus {
  source: UsageSource;
  limit: LimitObservation['limit'];
  window: LimitWindow;
  windowMinutes: number | null;
  /** As last reported; null once the reported reset time has passed (the window started again, usage unknown). */
  usedPercent: number | null;
  resetsAt: number | null;
  /** When the figure was reported. */
  observedAt: number;
}

/** The latest observation of each (source, limit, window), ordered 5 h, weekly, other. */
export function latestLimits(observations: readonly LimitObservation[], now: number): LimitStatus[] {
  const latest = new Map<string, LimitObservation>();
  for (const observation of observations) {
    const key = `${observation.source}\u0000${observation.limit}\u0000${observation.window}`;
    const previous = latest.get(key);
    if (!previous || observation.t >= previous.t) latest.set(key, observation);
  }
  const order: Record<LimitWindow, number> = { '5h': 0, weekly: 1, other: 2 };
  return [...latest.values()]
    .sort((a, b) => a.source.localeCompare(b.source) || a.limit.localeCompare(b.limit) || order[a.window] - order[b.window])
    .map((observation) => ({
      source: observation.source,
      limit: observation.limit,
      window: observation.window,
      windowMinutes: observation.windowMinutes,
      usedPercent: observation.resetsAt !== null && observation.resetsAt <= now ? null : observation.usedPercent,
      resetsAt: observation.resetsAt,
      observedAt: observation.t,
    }));
}

/**
 * Times a limit was reached in [since, until], newest first. Claude Code writes the line again on every retry until
 * the reset, so only the first line per reset time (per minute when there is none) counts.
 */
export function limitReachedTimes(events: readonly LimitReached[], since: number, until: number): LimitReached[] {
  const seen = new Set<string>();
  const result: LimitReached[] = [];
  for (const event of [...events].sort((a, b) => a.t - b.t)) {
    if (event.t < since || event.t > until) continue;
    const key = `${event.source}\u0000${event.window}\u0000${event.resetsAt ?? `t${Math.floor(event.t / 60_000)}`}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.push(event);
  }
  return result.reverse();
}
