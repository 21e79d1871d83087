// The import run's side of plan limits (docs/money.md, Limits): what parsers report through `context.limit`
// becomes ledger events holding only enums, numbers and times. Codex repeats its rate limits in every
// `token_count` event; a run writes each figure and reset time once (its id is a keyed digest of them, its time
// the first report of it the run read). A later run whose new lines repeat a figure writes it again under the
// same id: readers keep an id's first copy (ledger/dedupe.ts), and a figure that is still current stays in the
// recent segments the money sections read (dashboard/moneySource.ts). A limit is dated as a usage record is
// (usageBounds.ts), else a forged line dated 2199 would stay the window's latest figure for ever.
import { LEDGER_SCHEMA_VERSION, type LimitEvent, type LimitReachedEvent, type UsageSource } from '../ledger/events';
import type { LimitObservation, LimitReached } from '../money/limits';
import { opaqueId } from '../privacy/opaqueId';
import { addRejection, isPlausibleLogTime, type RejectedLines } from './usageBounds';

const MINUTE_MS = 60_000;

/** What a parser reports: a window's figure (Codex), or a request refused at a limit (Claude Code). */
export type ParsedLimit = LimitObservation | LimitReached;

function isObservation(limit: ParsedLimit): limit is LimitObservation {
  return 'usedPercent' in limit;
}

/** Reset times Codex computed from `resets_in_seconds` drift by a second from one event to the next. */
function minuteOf(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / MINUTE_MS);
}

function limitLedgerEvent(limit: ParsedLimit, secret: string): LimitEvent | LimitReachedEvent {
  if (isObservation(limit)) {
    const id = opaqueId(secret, JSON.stringify(['limit', limit.source, limit.limit, limit.window, limit.usedPercent, minuteOf(limit.resetsAt)]));
    return { v: LEDGER_SCHEMA_VERSION, kind: 'limit', id, ...limit };
  }
  // Claude Code repeats the line on every retry until the reset: one event per reset time (per minute without one).
  const id = opaqueId(secret, JSON.stringify(['limitReached', limit.source, limit.window, minuteOf(limit.resetsAt) ?? `t${minuteOf(limit.t)}`]));
  return { v: LEDGER_SCHEMA_VERSION, kind: 'limitReached', id, ...limit };
}

/** The limits one import run read, each figure once, in the order first met. */
export class LimitRun {
  private readonly byId = new Map<string, LimitEvent | LimitReachedEvent>();

  constructor(private readonly options: { secret: string; now: number; rejected: (source: UsageSource) => RejectedLines }) {}

  /** A limit a parser reported while a log was read: kept if its time is plausible, else counted as a `timestamp` rejection of its source. */
  add(limit: ParsedLimit): void {
    if (!isPlausibleLogTime(limit.t, this.options.now)) {
      addRejection(this.options.rejected(limit.source), 'timestamp');
      return;
    }
    const event = limitLedgerEvent(limit, this.options.secret);
    const earlier = this.byId.get(event.id);
    // The first report of a figure is when it was reached.
    if (!earlier || event.t < earlier.t) this.byId.set(event.id, event);
  }

  events(): Array<LimitEvent | LimitReachedEvent> {
    return [...this.byId.values()];
  }
}
