// Today's figures for the status bar: acceptances, AI and typed characters, AI share (DESIGN
// §3.2) and retention at one checkpoint, over the local calendar day (the glue runs in the user's
// time zone). Accepts and activity are dated by `t`, retention by `acceptedAt` (retention rows are
// dated by acceptance, as in the report). Pure: feed it ledger events, or let the engine feed it
// what it emits.
import type { LedgerEvent } from '../ledger/events';

export interface RetentionGlance {
  checkpoint: number;
  /** Today's acceptances whose outcome at the checkpoint is known. */
  known: number;
  chars: number;
  arc: number;
  /** arc ÷ chars; undefined until a known checkpoint with characters exists. */
  retention: number | undefined;
}

export interface CaptureGlance {
  /** Epoch ms of the local midnight that starts the day. */
  dayStart: number;
  acceptances: number;
  aiChars: number;
  typedChars: number;
  opportunities: number;
  /** aiChars ÷ (aiChars + typedChars); undefined while both are 0. */
  aiShare: number | undefined;
  retention: RetentionGlance;
}

/** [start, end) epoch ms of the local calendar day holding `t` (DST days are 23 or 25 hours). */
export function localDayBounds(t: number): { start: number; end: number } {
  const day = new Date(t);
  const start = new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
  const end = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime();
  return { start, end };
}

interface RetentionSums {
  known: number;
  chars: number;
  arc: number;
}

export class GlanceAccumulator {
  private dayStart: number;
  private dayEnd: number;
  private acceptances = 0;
  private aiChars = 0;
  private typedChars = 0;
  private opportunities = 0;
  private readonly retentionByCheckpoint = new Map<number, RetentionSums>();

  constructor(now: number) {
    ({ start: this.dayStart, end: this.dayEnd } = localDayBounds(now));
  }

  add(event: LedgerEvent): void {
    const dated = event.kind === 'retention' ? event.acceptedAt : event.t;
    if (!this.rollTo(dated)) return;
    switch (event.kind) {
      case 'accept':
        this.acceptances++;
        this.aiChars += event.chars;
        break;
      case 'activity':
        this.typedChars += event.typedChars;
        this.opportunities += event.opportunities;
        break;
      case 'retention': {
        if (event.outcome !== 'known') break;
        let sums = this.retentionByCheckpoint.get(event.checkpoint);
        if (!sums) {
          sums = { known: 0, chars: 0, arc: 0 };
          this.retentionByCheckpoint.set(event.checkpoint, sums);
        }
        sums.known++;
        sums.chars += event.chars;
        sums.arc += event.arc;
        break;
      }
      case 'usage':
        break;
    }
  }

  /**
   * `unflushed` adds counters not yet emitted as activity events (the engine's in-memory ones),
   * so the status bar does not lag the activity flush interval.
   */
  glance(now: number, checkpoint: number, unflushed = { typedChars: 0, opportunities: 0 }): CaptureGlance {
    this.rollTo(now);
    const typedChars = this.typedChars + unflushed.typedChars;
    const sums = this.retentionByCheckpoint.get(checkpoint) ?? { known: 0, chars: 0, arc: 0 };
    return {
      dayStart: this.dayStart,
      acceptances: this.acceptances,
      aiChars: this.aiChars,
      typedChars,
      opportunities: this.opportunities + unflushed.opportunities,
      aiShare: this.aiChars + typedChars > 0 ? this.aiChars / (this.aiChars + typedChars) : undefined,
      retention: {
        checkpoint,
        known: sums.known,
        chars: sums.chars,
        arc: sums.arc,
        retention: sums.chars > 0 ? sums.arc / sums.chars : undefined,
      },
    };
  }

  /** Whether `t` falls on the current day; a later day starts a fresh one (time only moves on). */
  private rollTo(t: number): boolean {
    if (t >= this.dayEnd) {
      ({ start: this.dayStart, end: this.dayEnd } = localDayBounds(t));
      this.acceptances = 0;
      this.aiChars = 0;
      this.typedChars = 0;
      this.opportunities = 0;
      this.retentionByCheckpoint.clear();
    }
    return t >= this.dayStart;
  }
}

/** Today's glance (the local day of `now`) from ledger events, e.g. those read at startup. */
export function glanceFromEvents(events: Iterable<LedgerEvent>, now: number, checkpoint: number): CaptureGlance {
  const accumulator = new GlanceAccumulator(now);
  const { end } = localDayBounds(now);
  for (const event of events) {
    if ((event.kind === 'retention' ? event.acceptedAt : event.t) < end) accumulator.add(event);
  }
  return accumulator.glance(now, checkpoint);
}
