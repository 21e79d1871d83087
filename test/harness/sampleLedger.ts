// Realistic, deterministic sample ledger events: for `npm start`'s demo profile, dashboard
// screenshot tests and the ledger benchmarks (which need millions of events fast, so this is a
// streaming generator over plain objects with no validation on the hot path).
import { AcceptEvent, ActivityEvent, LEDGER_SCHEMA_VERSION, LedgerEvent, RetentionEvent, UsageEvent } from '../../src/ledger/events';
import { DEFAULT_CHECKPOINTS_SECONDS } from '../../src/settings/schema';
import { LedgerWriter } from '../../src/ledger/writer';

export interface SampleOptions {
  /** Days of history, ending with the day of `now`. */
  days: number;
  /** Events per day (default 80); the total is exactly days × eventsPerDay. */
  eventsPerDay?: number;
  seed: number;
  /** Epoch ms; no event is later than this. */
  now: number;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * mulberry32: a tiny seeded PRNG. Math.random cannot be seeded, and the output must be the same
 * for a seed on every run and machine (screenshots, benchmarks); a dependency for 8 lines is not
 * worth it.
 */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Weighted<T> = ReadonlyArray<readonly [T, number]>;

const LANGUAGES: Weighted<string> = [
  ['typescript', 34], ['python', 22], ['javascript', 12], ['go', 8], ['rust', 6], ['java', 5],
  ['markdown', 5], ['json', 3], ['shellscript', 3], ['other', 2],
];
const PROVIDERS: Weighted<string> = [['copilot', 62], ['codeium', 14], ['continue', 10], ['unknown', 9], ['tabby', 5]];
const MODES: Weighted<AcceptEvent['mode']> = [['full', 70], ['word', 20], ['line', 10]];
const USAGE_MODELS: Weighted<readonly [UsageEvent['source'], string]> = [
  [['claude-code', 'claude-sonnet-4-5'], 34],
  [['claude-code', 'claude-opus-4-1'], 8],
  [['claude-code', 'claude-haiku-4-5'], 8],
  [['codex', 'gpt-5'], 18],
  [['codex', 'gpt-5-codex'], 14],
  [['codex', 'gpt-5-mini'], 4],
  [['gemini-cli', 'gemini-2.5-pro'], 8],
  [['copilot-chat', 'gpt-4.1'], 6],
];
/** Event kinds per day, in proportion; retention follows its acceptances (one per checkpoint). */
const KIND_WEIGHTS: Weighted<'accept' | 'retention' | 'activity' | 'usage'> = [
  ['accept', 14], ['retention', 46], ['activity', 22], ['usage', 18],
];

class SampleRandom {
  constructor(readonly next: () => number) {}

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(choices: Weighted<T>): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1][0];
  }

  hex16(): string {
    const high = Math.floor(this.next() * 0x1_0000_0000);
    const low = Math.floor(this.next() * 0x1_0000_0000);
    return high.toString(16).padStart(8, '0') + low.toString(16).padStart(8, '0');
  }
}

interface PendingRetention {
  accept: AcceptEvent;
  /** Index into the checkpoints of the next retention event to emit. */
  next: number;
  /** Fraction of the accepted characters lost per checkpoint step (0 for kept-as-is suggestions). */
  decay: number;
}

/** The generator's per-run state: a few workspaces, projects and sessions reused across days. */
class SampleGenerator {
  private readonly random: SampleRandom;
  private readonly workspaces: string[];
  private readonly projects: string[];
  private readonly sessions: string[];

  constructor(seed: number) {
    this.random = new SampleRandom(seededRandom(seed));
    this.workspaces = Array.from({ length: 3 }, () => this.random.hex16());
    this.projects = Array.from({ length: 4 }, () => this.random.hex16());
    this.sessions = Array.from({ length: 24 }, () => this.random.hex16());
  }

  /** One day's events, sorted by time, all within [dayStart + 8 h, dayEnd) and not after `now`. */
  day(dayStart: number, count: number, now: number): LedgerEvent[] {
    const workStart = dayStart + 8 * HOUR_MS;
    const workEnd = Math.min(dayStart + 19 * HOUR_MS, now);
    // Before 08:00 on the last day: spread over what has passed of it.
    const [from, to] = workEnd > workStart ? [workStart, workEnd] : [dayStart, Math.max(dayStart + 1, now)];
    const events: LedgerEvent[] = [];
    const pending: PendingRetention[] = [];
    while (events.length < count) {
      const kind = this.random.pick(KIND_WEIGHTS);
      const t = from + Math.floor(this.random.next() * (to - from));
      if (kind === 'retention' && this.emitRetention(pending, events, now)) continue;
      if (kind === 'accept' || kind === 'retention') {
        const accept = this.accept(t);
        events.push(accept);
        pending.push({ accept, next: 0, decay: this.random.next() < 0.55 ? 0 : this.random.next() * 0.25 });
      } else if (kind === 'activity') {
        events.push(this.activity(t));
      } else {
        events.push(this.usage(t));
      }
    }
    return events.sort((a, b) => a.t - b.t);
  }

  private accept(t: number): AcceptEvent {
    const mode = this.random.pick(MODES);
    const chars = mode === 'full' ? this.random.int(12, 420) : mode === 'line' ? this.random.int(8, 90) : this.random.int(2, 12);
    const lines = mode === 'word' ? (this.random.next() < 0.3 ? 1 : 0) : mode === 'line' ? 1 : Math.max(1, Math.round(chars / 38));
    return {
      v: LEDGER_SCHEMA_VERSION,
      t,
      kind: 'accept',
      id: this.random.hex16(),
      mode,
      chars,
      lines,
      languageId: this.random.pick(LANGUAGES),
      provider: this.random.pick(PROVIDERS),
      workspace: this.workspaces[this.random.int(0, this.workspaces.length - 1)],
    };
  }

  /** Emits the next checkpoint of the oldest acceptance that has one due by `now`; false if none. */
  private emitRetention(pending: PendingRetention[], events: LedgerEvent[], now: number): boolean {
    while (pending.length > 0) {
      const entry = pending[0];
      const checkpoint = DEFAULT_CHECKPOINTS_SECONDS[entry.next];
      const t = entry.accept.t + checkpoint * 1000;
      if (checkpoint === undefined || t > now) {
        pending.shift();
        continue;
      }
      entry.next += 1;
      if (entry.next >= DEFAULT_CHECKPOINTS_SECONDS.length) pending.shift();
      events.push(this.retention(entry, checkpoint, t));
      return true;
    }
    return false;
  }

  private retention(entry: PendingRetention, checkpoint: number, t: number): RetentionEvent {
    const { accept } = entry;
    const common: Omit<RetentionEvent, 'outcome' | 'reason' | 'arc' | 'unchanged'> = {
      v: LEDGER_SCHEMA_VERSION,
      t,
      kind: 'retention',
      acceptId: accept.id,
      acceptedAt: accept.t,
      checkpoint,
      chars: accept.chars,
      languageId: accept.languageId,
      provider: accept.provider,
      workspace: accept.workspace,
    };
    // Documents get closed: later checkpoints are more often unknown.
    if (this.random.next() < 0.02 * entry.next) {
      return { ...common, outcome: 'unknown', reason: 'closed', arc: 0, unchanged: false };
    }
    const kept = Math.max(0, 1 - entry.decay * entry.next);
    const arc = Math.round(accept.chars * kept);
    return { ...common, outcome: 'known', arc, unchanged: arc === accept.chars };
  }

  private activity(t: number): ActivityEvent {
    const typedChars = this.random.int(40, 2400);
    const pastes = this.random.int(0, 4);
    const undos = this.random.int(0, 6);
    const deletions = this.random.int(0, 30);
    return {
      v: LEDGER_SCHEMA_VERSION,
      t,
      kind: 'activity',
      languageId: this.random.pick(LANGUAGES),
      provider: this.random.pick(PROVIDERS),
      workspace: this.workspaces[this.random.int(0, this.workspaces.length - 1)],
      opportunities: this.random.int(4, 90),
      typedChars,
      otherEdits: { paste: pastes, undo: undos, deletion: deletions },
      otherChars: pastes * this.random.int(10, 300) + undos * this.random.int(1, 40),
    };
  }

  private usage(t: number): UsageEvent {
    const [source, model] = this.random.pick(USAGE_MODELS);
    const tokensKnown = source !== 'copilot-chat' || this.random.next() < 0.4;
    const cached = source === 'claude-code' || source === 'codex' || source === 'gemini-cli';
    const outputTokens = tokensKnown ? this.random.int(60, 6_000) : 0;
    const reasons = model.startsWith('gpt-5') || model.startsWith('gemini');
    const cacheWrite = source === 'claude-code' && tokensKnown ? this.random.int(0, 12_000) : 0;
    return {
      v: LEDGER_SCHEMA_VERSION,
      t,
      kind: 'usage',
      id: this.random.hex16(),
      source,
      model,
      inputTokens: tokensKnown ? this.random.int(20, cached ? 4_000 : 30_000) : 0,
      outputTokens,
      reasoningTokens: reasons ? Math.floor(outputTokens * this.random.next() * 0.7) : 0,
      cacheReadTokens: tokensKnown && cached ? this.random.int(2_000, 180_000) : 0,
      // Claude Code logs whether a cache write lasts 5 minutes or 1 hour; mostly 5 minutes.
      cacheWrite5mTokens: this.random.next() < 0.85 ? cacheWrite : 0,
      cacheWrite1hTokens: 0,
      tokensKnown,
      reportedCostUSD: null,
      session: this.sessions[this.random.int(0, this.sessions.length - 1)],
      project: this.projects[this.random.int(0, this.projects.length - 1)],
    };
  }
}

/** Streams the sample events day by day, oldest first. */
export function* sampleEvents(options: SampleOptions): Generator<LedgerEvent> {
  const generator = new SampleGenerator(options.seed);
  const eventsPerDay = options.eventsPerDay ?? 80;
  const today = Math.floor(options.now / DAY_MS) * DAY_MS;
  for (let day = options.days - 1; day >= 0; day--) {
    yield* generator.day(today - day * DAY_MS, eventsPerDay, options.now);
  }
}

export function generateSampleEvents(options: SampleOptions): LedgerEvent[] {
  return [...sampleEvents(options)];
}

/** Writes sample events into an Assay storage dir (a profile's `User/globalStorage/assay.assay`). */
export async function seedSampleLedger(storageDir: string, events: Iterable<LedgerEvent>): Promise<number> {
  const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
  let written = 0;
  for (const event of events) {
    writer.append(event);
    written++;
  }
  await writer.dispose();
  return written;
}
