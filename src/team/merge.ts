// Merging team summary files: every file is validated whole (a bad file is reported by
// name and reason and skipped), then files are taken newest first and each developer's day belongs
// to the newest file whose range covers it, so duplicates and overlapping ranges are harmless and a
// re-export replaces what it covers, empty days included. Figures are added per group with the set
// of developers behind each group, which the k rule (./kRule.ts) needs.
import { KEPT_LINES_CHECKPOINT_KEY } from '../agentOutput/types';
import { addTiered } from '../pricing/tiers';
import type { TieredTokenCounts, TokenCounts } from '../pricing/types';
import { compareText, emptyAgentFigures, emptyInlineRow } from '../report/rollup';
import type { AgentOutputFigures, AgentRetentionCell, InlineRow } from '../report/rows';
import type { UsageTotals } from '../report/reportJson';
import { AGENT_CHECKPOINT_KEYS, EARLIEST_SUMMARY_DAY, isValidSummaryRow, TeamSummaryLine, UNTIL_AFTER_EXPORT_DAYS } from './summarySchema';
import type { ExportLine } from './summarySchema';
import { addDays, daysBetween } from '../calendar/dates';
import { DEFAULT_CHECKPOINTS_SECONDS } from '../settings/schema';
import { printable } from '../privacy/printable';
import { AGENT_CELL_SIZE, INLINE_FIXED, INLINE_ROW, RETENTION_CELL_SIZE, RowPacker, USAGE_AGENT, USAGE_AGENT_CELLS, USAGE_SIZE } from './packedRows';
import type { PackedRows } from './packedRows';

/** A summary file larger than this is not read (a year of one busy developer is well under 10 MB). */
export const MAX_SUMMARY_FILE_BYTES = 64 * 1024 * 1024;
/** Far above any real line (every field is bounded). */
export const MAX_SUMMARY_LINE_CHARS = 64 * 1024;
/** A file may speak for at most this many days. */
const MAX_RANGE_DAYS = 3700;

/** A file's `exportedAt` may be this far ahead of this machine's clock (another machine's clock may run fast). */
const MAX_CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

/** Keys that could reach a prototype: a line holding one is refused before it is parsed. */
export const HOSTILE_KEY = /"(?:__proto__|constructor|prototype)"\s*:/;
const HOSTILE_KEY_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export type ParsedSummaryFile = { ok: true; header: ExportLine; rows: PackedRows } | { ok: false; reason: string };

/** Validates a whole file: one export line first, then rows of that developer inside its range, each once. */
export function parseSummaryFile(text: string, now = Date.now()): ParsedSummaryFile {
  if (text.length === 0) return bad('empty file');
  if (!text.endsWith('\n')) return bad('truncated (the last line is not complete)');
  let header: ExportLine | undefined;
  const rows = new RowPacker();
  const keys = new Set<string>();
  for (let start = 0, index = 0; start < text.length; index++) {
    const end = text.indexOf('\n', start);
    const parsed = parseSummaryLine(text.slice(start, end));
    start = end + 1;
    const where = `line ${index + 1}`;
    if (typeof parsed === 'string') return bad(`${where}: ${parsed}`);
    if (index === 0) {
      if (parsed.kind !== 'export') return bad('line 1 is not the export line');
      const problem = exportLineProblem(parsed, now);
      if (problem) return bad(`line 1: ${problem}`);
      header = parsed;
      continue;
    }
    const first = header as ExportLine;
    if (parsed.kind === 'export') return bad(`${where}: a second export line`);
    if (parsed.developer !== first.developer) return bad(`${where}: another developer than line 1`);
    if (parsed.date < first.since || parsed.date > first.until) return bad(`${where}: a day outside the file's range`);
    const key = parsed.kind === 'inline' ? `i\u0000${parsed.date}\u0000${parsed.languageId}\u0000${parsed.provider}` : `u\u0000${parsed.date}\u0000${parsed.source}\u0000${parsed.model}`;
    if (keys.has(key)) return bad(`${where}: the same row twice`);
    keys.add(key);
    rows.add(parsed);
  }
  return { ok: true, header: header as ExportLine, rows: rows.finish() };
}

/** The first line of a file alone, to order files before reading them whole. */
export function parseSummaryHeader(firstLine: string, now = Date.now()): ExportLine | string {
  const parsed = parseSummaryLine(firstLine);
  if (typeof parsed === 'string') return `line 1: ${parsed}`;
  if (parsed.kind !== 'export') return 'line 1 is not the export line';
  const problem = exportLineProblem(parsed, now);
  return problem ? `line 1: ${problem}` : parsed;
}

/**
 * Why an export line cannot be trusted, if it cannot. The newest file wins each day, so a file dated in the future
 * (a clock far ahead, or a file made to cover a developer's days) would win over every real export for good.
 */
function exportLineProblem(line: ExportLine, now: number): string | undefined {
  if (line.since > line.until) return 'since is after until';
  // Days are bounded: two files of a year 100 and a year 9999 made every report span 3.6 million days, and priced
  // seats day by day over them for minutes.
  if (line.since < EARLIEST_SUMMARY_DAY) return `since is before ${EARLIEST_SUMMARY_DAY}`;
  if (daysBetween(line.since, line.until) > MAX_RANGE_DAYS) return `the range is longer than ${MAX_RANGE_DAYS} days`;
  const exportedAt = Date.parse(line.exportedAt);
  if (!Number.isFinite(exportedAt) || new Date(exportedAt).toISOString().replace('.000Z', 'Z') !== line.exportedAt) return 'exportedAt is not a time';
  if (exportedAt > now + MAX_CLOCK_AHEAD_MS) return 'exportedAt is in the future';
  if (line.until > addDays(line.exportedAt.slice(0, 10), UNTIL_AFTER_EXPORT_DAYS)) return 'until is after the day the file was exported';
  return undefined;
}

class ForbiddenKey extends Error {}

const refuseHostileKey = (key: string, value: unknown): unknown => {
  if (HOSTILE_KEY_NAMES.has(key)) throw new ForbiddenKey();
  return value;
};

/** A line, or why it is refused. JSON.parse never touches prototypes, and keys that could are refused outright. */
function parseSummaryLine(text: string): TeamSummaryLine | string {
  if (text.length > MAX_SUMMARY_LINE_CHARS) return `longer than ${MAX_SUMMARY_LINE_CHARS} characters`;
  const forbidden = 'a forbidden key (__proto__, constructor or prototype)';
  if (HOSTILE_KEY.test(text)) return forbidden;
  let json: unknown;
  try {
    // The pattern above sees keys as written; one written with escapes (`"\u005f_proto__"`) is seen once parsed.
    // Summaries hold no escapes, so only a line that has one pays for the reviver.
    json = text.includes('\\') ? JSON.parse(text, refuseHostileKey) : JSON.parse(text);
  } catch (error) {
    return error instanceof ForbiddenKey ? forbidden : 'not JSON';
  }
  // A row is packed from the parsed JSON itself: zod's copy would hold the same values less the
  // keys packing never reads, and building it cost more than the check (a retention record keyed
  // "600" becomes a 600-slot array to V8). An export line is kept, so it is zod's copy.
  if (isValidSummaryRow(json)) return json;
  const result = TeamSummaryLine.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // Only field names this schema could have are echoed: a refused key is the sender's text. zod's message for a key a
  // closed record refuses quotes the key (`Unrecognized key: "…"`), so that message is Assay's own.
  const field = issue.path.filter((part) => typeof part === 'number' || /^[A-Za-z0-9]{1,32}$/.test(String(part))).join('.');
  const message = issue.code === 'unrecognized_keys' ? 'a key this schema does not have' : issue.message;
  return `${field ? `${field}: ` : ''}${message}`;
}

function bad(reason: string): ParsedSummaryFile {
  return { ok: false, reason };
}

/** Newest first: the file made last, then the one reaching furthest, then by name for a stable order. */
export function compareRecency(a: { name: string; header: ExportLine }, b: { name: string; header: ExportLine }): number {
  return (
    compareText(b.header.exportedAt, a.header.exportedAt) ||
    compareText(b.header.until, a.header.until) ||
    compareText(b.name, a.name)
  );
}

/**
 * Usage figures of a group: the report's totals, the agent output of the rows whose summaries
 * report it (schema ≥ 3), plus what what-if, the Jevons view and cost per kept line need.
 */
export interface UsageFigures extends UsageTotals, AgentOutputFigures {
  tokens: TieredTokenCounts;
  /** Tokens of the requests that have a cost (the Jevons view's price per token). */
  pricedTokens: number;
  /** Rows that report agent output: none means the group's agent output is unknown, not zero. */
  agentOutputRows: number;
  /** Responses in those rows: how much of the usage the agent figures speak for. */
  agentOutputRequests: number;
  /** Cost of the priced rows whose edits were measured a day later (docs/metrics.md, cost per kept agent line). */
  keptLineCostUSD: number;
  /**
   * Responses in the rows whose edits were measured a day later. The value counts those rows by their kept lines
   * (src/money/valueRange.ts, agentWork): a group sums rows of several developers, so which rows those were is
   * known only here, row by row.
   */
  keptLineRequests: number;
}

const KEPT_LINE_CELL = USAGE_AGENT_CELLS + AGENT_CHECKPOINT_KEYS.indexOf(KEPT_LINES_CHECKPOINT_KEY) * AGENT_CELL_SIZE;

/**
 * One object literal rather than a spread of emptyUsageTotals(): a spread gave the groups' figures
 * over a hundred different shapes in V8, and adding into them went through its slowest property path.
 */
export function emptyUsageFigures(): UsageFigures {
  return {
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUSD: 0,
    requests: 0,
    requestsWithoutTokens: 0,
    unpricedRequests: 0,
    tokens: { standard: zeroTokens(), longContext: zeroTokens() },
    pricedTokens: 0,
    agentEdits: 0,
    linesAdded: 0,
    linesRemoved: 0,
    // The daily report's sparse record: checkpoint keys are array indices to V8.
    agentRetention: emptyAgentFigures().agentRetention,
    wasteTokens: 0,
    agentOutputRows: 0,
    agentOutputRequests: 0,
    keptLineCostUSD: 0,
    keptLineRequests: 0,
  };
}

function zeroTokens(): TokenCounts {
  return { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
}

export function addUsageFigures(target: UsageFigures, row: UsageFigures): void {
  target.inputTokens += row.inputTokens;
  target.outputTokens += row.outputTokens;
  target.reasoningTokens += row.reasoningTokens;
  target.cacheReadTokens += row.cacheReadTokens;
  target.cacheWriteTokens += row.cacheWriteTokens;
  target.costUSD += row.costUSD;
  target.requests += row.requests;
  target.requestsWithoutTokens += row.requestsWithoutTokens;
  target.unpricedRequests += row.unpricedRequests;
  target.tokens = addTiered(target.tokens, row.tokens);
  target.pricedTokens += row.pricedTokens;
  target.agentEdits += row.agentEdits;
  target.linesAdded += row.linesAdded;
  target.linesRemoved += row.linesRemoved;
  target.wasteTokens += row.wasteTokens;
  for (const checkpoint of AGENT_CHECKPOINT_KEYS) {
    const cell = row.agentRetention[checkpoint];
    if (cell) addAgentCell(target.agentRetention, checkpoint, cell.known, cell.linesAdded, cell.linesKept);
  }
  target.agentOutputRows += row.agentOutputRows;
  target.agentOutputRequests += row.agentOutputRequests;
  target.keptLineCostUSD += row.keptLineCostUSD;
  target.keptLineRequests += row.keptLineRequests;
}

/** A checkpoint's cell exists once an edit is known at it, as in the daily report. */
function addAgentCell(cells: Record<string, AgentRetentionCell>, checkpoint: string, known: number, linesAdded: number, linesKept: number): void {
  if (known === 0 && linesAdded === 0 && linesKept === 0) return;
  const cell = (cells[checkpoint] ??= { known: 0, linesAdded: 0, linesKept: 0 });
  cell.known += known;
  cell.linesAdded += linesAdded;
  cell.linesKept += linesKept;
}

/** Output includes reasoning (docs/metrics.md, Agent and chat usage), so reasoning is not added again. */
export function tokensOf(row: Pick<UsageTotals, 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>): number {
  return row.inputTokens + row.outputTokens + row.cacheReadTokens + row.cacheWriteTokens;
}

/** Figures of one group and the developers (by merge index) behind them. */
export interface Group<Figures> {
  key: string;
  developers: Set<number>;
  figures: Figures;
}

/** Daily rows: date and two keys (languageId, provider or source, model). */
export interface RowGroup<Figures> extends Group<Figures> {
  date: string;
  first: string;
  second: string;
}

/**
 * A day's inline group, with what each developer's row knows at each retention checkpoint: a retention cell describes
 * the acceptances known there, and the row's accepted characters beside it tell those not known yet.
 */
export interface InlineRowGroup extends RowGroup<InlineRow> {
  /**
   * Developers whose row has acceptances → `known + KNOWN_ALL * all`, bit sets over the merge's retention checkpoints
   * (TeamMerge.retentionCheckpoints): in `known` the checkpoints at which some acceptances are known, in `all` those at
   * which every one is.
   */
  knownAt?: Map<number, number>;
}

/**
 * Where a developer's `all` bits start in InlineRowGroup.knownAt and UsageRowGroup.measuredAt: each bit set holds at
 * most 16 checkpoints.
 */
const KNOWN_ALL = 2 ** 16;

/** Whether a knownAt or measuredAt entry knows some of the developer's row at the checkpoint of `bit`. */
export function knownSomeAt(bits: number, bit: number): boolean {
  return ((bits % KNOWN_ALL) & (1 << bit)) !== 0;
}

/** Whether a knownAt or measuredAt entry knows all of the developer's row at the checkpoint of `bit`. */
export function knownAllAt(bits: number, bit: number): boolean {
  return (Math.floor(bits / KNOWN_ALL) & (1 << bit)) !== 0;
}
const MAX_RETENTION_CHECKPOINTS = 16;

/**
 * A day's usage group, with the developers whose row stands outside a part of the figures: the cost describes the
 * priced rows only, the agent output the rows that report it. Each developer has one row in the group, so the part's
 * own developers are the others. The team report shows such a part only where it and the rest describe no developer
 * or at least k (docs/privacy.md, The k rule).
 */
export interface UsageRowGroup extends RowGroup<UsageFigures> {
  /** Developers whose row has no cost (their model had no price where they exported). */
  unpriced?: Set<number>;
  /** Developers whose row reports no agent output (a summary of schema 1 or 2). */
  withoutAgentOutput?: Set<number>;
  /**
   * Developers whose row has agent edits → `some + KNOWN_ALL * all`, bit sets over AGENT_CHECKPOINT_KEYS (bit i for
   * AGENT_CHECKPOINT_KEYS[i]): in `some` the checkpoints at which some of the edits are known, in `all` those at which
   * every edit and every added line is, as InlineRowGroup.knownAt. A developer with agent output and no edit is not in
   * it: nothing of theirs to measure.
   */
  measuredAt?: Map<number, number>;
}

export interface MergeFilter {
  since?: string;
  until?: string;
}

export interface SkippedFile {
  /** The file's name as it may be shown (`printable`): the folder's writers' text. */
  name: string;
  reason: string;
}

/** Days as whole numbers, so a file's range is walked without making a date string per day. */
function dayNumber(date: string): number {
  return daysBetween(DAY_ZERO, date);
}
const DAY_ZERO = '1970-01-01';

/** Whether `claimed` holds every day of the header's range. */
export function coversRange(claimed: ReadonlySet<number>, header: ExportLine): boolean {
  const until = dayNumber(header.until);
  for (let day = dayNumber(header.since); day <= until; day++) if (!claimed.has(day)) return false;
  return true;
}

/** Adds the header's days to `claimed`; returns the days it added. */
export function claimRange(claimed: Set<number>, header: ExportLine): Set<number> {
  const added = new Set<number>();
  const until = dayNumber(header.until);
  for (let day = dayNumber(header.since); day <= until; day++) {
    if (!claimed.has(day)) {
      claimed.add(day);
      added.add(day);
    }
  }
  return added;
}

/** The seats a developer's files list for a run of days, both ends included (TeamMerge.seatRuns). */
export interface SeatRun {
  since: string;
  until: string;
  seats: ExportLine['seats'];
}

/**
 * The merged figures of a folder. Feed files newest first (compareRecency); each developer's day
 * is taken from the first file that covers it.
 */
export class TeamMerge {
  readonly skipped: SkippedFile[] = [];
  private readonly inlineGroups = new RowGroups<InlineRow>();
  private readonly usageGroups = new RowGroups<UsageFigures>();
  /** Daily inline groups, in the order they were first seen. */
  readonly inline: ReadonlyArray<InlineRowGroup> = this.inlineGroups.list;
  /**
   * Retention checkpoints by the bit InlineRowGroup.knownAt gives each: the default settings' first, so that no file
   * can take their bits (600 s is the value estimate's), then the others in the order first met. A developer's
   * settings hold at most 10; past 16 over the whole team, a checkpoint has no bit and its cells are never shown.
   */
  readonly retentionCheckpoints = new Map<string, number>(DEFAULT_CHECKPOINTS_SECONDS.map((seconds, bit) => [String(seconds), bit]));
  readonly usage: ReadonlyArray<UsageRowGroup> = this.usageGroups.list;
  /** Developers with at least one row on a day. */
  readonly activeByDay = new Map<string, Set<number>>();
  /** Each developer's seat lists, one per file that a day was taken from, newest first (seatRuns). */
  private readonly seatClaims: Array<Array<{ seats: ExportLine['seats']; days: ReadonlySet<number> }>> = [];
  /** Each developer's days, from the earliest `since` to the latest `until` of their files read. */
  readonly covered: Array<{ since: string; until: string }> = [];
  merged = 0;
  /** Valid files not read because newer files cover every one of their days. */
  superseded = 0;
  private readonly developerIndex = new Map<string, number>();
  /** Per developer, the days (dayNumber) that a merged file already speaks for. */
  private readonly claimed: Array<Set<number>> = [];
  private readonly dayNumbers = new Map<string, number>();

  constructor(private readonly filter: MergeFilter = {}) {}

  /** Developers (by merge index) with at least one row in the range. */
  get activeDevelopers(): Set<number> {
    const active = new Set<number>();
    for (const developers of this.activeByDay.values()) for (const developer of developers) active.add(developer);
    return active;
  }

  /** How many developers have at least one row in the range. */
  get developers(): number {
    return this.activeDevelopers.size;
  }

  /**
   * True when newer files already cover every day of this one: it cannot change a figure, so a
   * folder of daily re-exports is read at the cost of its newest files.
   */
  isSuperseded(header: ExportLine): boolean {
    const index = this.developerIndex.get(header.developer);
    if (index === undefined || !coversRange(this.claimed[index], header)) return false;
    this.superseded++;
    return true;
  }

  /**
   * The developer's seats over the days from `from` to `to` that their files span (`covered`), in runs of days with the
   * same seats, latest first: those of the file the day was taken from, so a plan changed in May leaves the April file's
   * days at the plans that file listed; on a day no file covers, those of the file that covers the next later day (the
   * plans held after it). Runs rather than days: a developer's files may span years.
   */
  seatRuns(developer: number, from: string, to: string): SeatRun[] {
    const span = this.covered[developer];
    const first = dayNumber(compareText(span.since, from) > 0 ? span.since : from);
    const last = dayNumber(compareText(span.until, to) < 0 ? span.until : to);
    const taken = new Map<number, ExportLine['seats']>();
    let after: { day: number; seats: ExportLine['seats'] } | undefined;
    for (const { seats, days } of this.seatClaims[developer]) {
      for (const day of days) {
        if (day <= last) taken.set(day, seats);
        else if (after === undefined || day < after.day) after = { day, seats };
      }
    }
    const runs: Array<{ since: number; until: number; seats: ExportLine['seats'] }> = [];
    let seats = after?.seats ?? [];
    for (let day = last; day >= first; day--) {
      seats = taken.get(day) ?? seats;
      const run = runs.at(-1);
      if (run?.seats === seats) run.since = day;
      else runs.push({ since: day, until: day, seats });
    }
    return runs.map((run) => ({ since: addDays(DAY_ZERO, run.since), until: addDays(DAY_ZERO, run.until), seats: run.seats }));
  }

  /** Reports a file left out, by name and why. */
  skip(name: string, reason: string): void {
    this.skipped.push({ name: printable(name), reason });
  }

  addFile(name: string, file: ParsedSummaryFile): void {
    if (!file.ok) {
      this.skip(name, file.reason);
      return;
    }
    this.merged++;
    const { header, rows } = file;
    let developer = this.developerIndex.get(header.developer);
    if (developer === undefined) {
      developer = this.developerIndex.size;
      this.developerIndex.set(header.developer, developer);
      this.claimed.push(new Set());
      this.seatClaims.push([]);
      this.covered.push({ since: header.since, until: header.until });
    } else {
      const covered = this.covered[developer];
      if (compareText(header.since, covered.since) < 0) covered.since = header.since;
      if (compareText(header.until, covered.until) > 0) covered.until = header.until;
    }
    const mine = claimRange(this.claimed[developer], header);
    if (mine.size > 0) this.seatClaims[developer].push({ seats: header.seats, days: mine });
    const { since, until } = this.filter;
    const { strings, values: v } = rows;
    // Per distinct date of the file: the day's active developers (this one added), or null when its rows do not count.
    const activeOn: Array<Set<number> | null | undefined> = new Array(strings.length);
    for (let at = 0; at < v.length; ) {
      const kind = v[at];
      const dateIndex = v[at + 1] | 0;
      const end = at + (kind === INLINE_ROW ? INLINE_FIXED + v[at + 12] * RETENTION_CELL_SIZE : USAGE_SIZE);
      let active = activeOn[dateIndex];
      if (active === undefined) {
        const date = strings[dateIndex];
        const counts = mine.has(this.dayNumber(date)) && (since === undefined || date >= since) && (until === undefined || date <= until);
        active = activeOn[dateIndex] = counts ? this.activeDevelopersOn(date) : null;
        active?.add(developer);
      }
      if (active !== null) {
        const date = strings[dateIndex];
        const first = strings[v[at + 2] | 0];
        const second = strings[v[at + 3] | 0];
        if (kind === INLINE_ROW) {
          const group: InlineRowGroup = this.inlineGroups.get(date, first, second) ?? this.inlineGroups.add(date, first, second, emptyInlineRow(date, first, second));
          group.developers.add(developer);
          addPackedInline(group.figures, rows, at);
          const accepted = v[at + 4] + v[at + 5] + v[at + 6];
          if (accepted > 0) (group.knownAt ??= new Map()).set(developer, this.knownBits(rows, at, accepted));
        } else {
          const group: UsageRowGroup = this.usageGroups.get(date, first, second) ?? this.usageGroups.add(date, first, second, emptyUsageFigures());
          group.developers.add(developer);
          addPackedUsage(group.figures, v, at);
          if (!isPricedRow(v, at)) (group.unpriced ??= new Set()).add(developer);
          if (!reportsAgentOutput(v, at)) (group.withoutAgentOutput ??= new Set()).add(developer);
          else if (v[at + USAGE_AGENT + 1] > 0) (group.measuredAt ??= new Map()).set(developer, measuredCheckpoints(v, at));
        }
      }
      at = end;
    }
  }

  /** A packed inline row's checkpoints with some acceptances known, and with all of them known (InlineRowGroup.knownAt). */
  private knownBits(rows: PackedRows, at: number, accepted: number): number {
    const v = rows.values;
    let known = 0;
    let all = 0;
    const end = at + INLINE_FIXED + v[at + 12] * RETENTION_CELL_SIZE;
    for (let cell = at + INLINE_FIXED; cell < end; cell += RETENTION_CELL_SIZE) {
      const checkpoint = rows.strings[v[cell] | 0];
      let bit = this.retentionCheckpoints.get(checkpoint);
      if (bit === undefined && this.retentionCheckpoints.size < MAX_RETENTION_CHECKPOINTS) this.retentionCheckpoints.set(checkpoint, (bit = this.retentionCheckpoints.size));
      if (bit === undefined) continue;
      if (v[cell + 1] > 0) known |= 1 << bit;
      if (v[cell + 1] >= accepted) all |= 1 << bit;
    }
    return known + KNOWN_ALL * all;
  }

  private dayNumber(date: string): number {
    let day = this.dayNumbers.get(date);
    if (day === undefined) this.dayNumbers.set(date, (day = dayNumber(date)));
    return day;
  }

  private activeDevelopersOn(date: string): Set<number> {
    let active = this.activeByDay.get(date);
    if (!active) this.activeByDay.set(date, (active = new Set()));
    return active;
  }
}

/** addInlineRow (src/report/rollup.ts) for a packed row. */
function addPackedInline(target: InlineRow, rows: PackedRows, at: number): void {
  const v = rows.values;
  target.acceptances.full += v[at + 4];
  target.acceptances.word += v[at + 5];
  target.acceptances.line += v[at + 6];
  target.acceptedChars += v[at + 7];
  target.acceptedLines += v[at + 8];
  target.opportunities += v[at + 9];
  target.typedChars += v[at + 10];
  target.aiChars += v[at + 11];
  target.agentEditsInEditor += v[at + 13];
  target.agentCharsInEditor += v[at + 14];
  const end = at + INLINE_FIXED + v[at + 12] * RETENTION_CELL_SIZE;
  for (let cell = at + INLINE_FIXED; cell < end; cell += RETENTION_CELL_SIZE) {
    const sum = (target.retention[rows.strings[v[cell] | 0]] ??= { known: 0, chars: 0, arc: 0, unchanged: 0, mostlyRetained: 0 });
    sum.known += v[cell + 1];
    sum.chars += v[cell + 2];
    sum.arc += v[cell + 3];
    sum.unchanged += v[cell + 4];
    sum.mostlyRetained += v[cell + 5];
  }
}

/** A packed usage row's cost is NaN when its model had no price. */
const isPricedRow = (v: Float64Array, at: number): boolean => !Number.isNaN(v[at + 9]);
/** Rows of schema 1 and 2 say nothing about agent output. */
const reportsAgentOutput = (v: Float64Array, at: number): boolean => v[at + USAGE_AGENT] !== 0;

/**
 * The checkpoints at which a row knows some of its agent edits, and those at which it knows all of them with all their
 * added lines (UsageRowGroup.measuredAt): the row's edits and lines minus the cell's tell those not measured yet.
 */
function measuredCheckpoints(v: Float64Array, at: number): number {
  let some = 0;
  let all = 0;
  for (let i = 0; i < AGENT_CHECKPOINT_KEYS.length; i++) {
    const cell = at + USAGE_AGENT_CELLS + i * AGENT_CELL_SIZE;
    if (v[cell] !== 0) some |= 1 << i;
    if (v[cell] >= v[at + USAGE_AGENT + 1] && v[cell + 1] >= v[at + USAGE_AGENT + 2]) all |= 1 << i;
  }
  return some + KNOWN_ALL * all;
}

/** addUsageFigures for a packed row, adding in place. */
function addPackedUsage(target: UsageFigures, v: Float64Array, at: number): void {
  const cost = v[at + 9];
  const priced = isPricedRow(v, at);
  target.inputTokens += v[at + 4];
  target.outputTokens += v[at + 5];
  target.reasoningTokens += v[at + 6];
  target.cacheReadTokens += v[at + 7];
  target.cacheWriteTokens += v[at + 8];
  target.costUSD += priced ? cost : 0;
  target.requests += v[at + 10];
  target.requestsWithoutTokens += v[at + 11];
  target.unpricedRequests += priced ? 0 : v[at + 10];
  addPackedTier(target.tokens.standard, v, at + 12);
  addPackedTier(target.tokens.longContext, v, at + 18);
  target.pricedTokens += priced ? v[at + 4] + v[at + 5] + v[at + 7] + v[at + 8] : 0;
  if (!reportsAgentOutput(v, at)) return;
  target.agentOutputRows += 1;
  target.agentOutputRequests += v[at + 10];
  target.agentEdits += v[at + USAGE_AGENT + 1];
  target.linesAdded += v[at + USAGE_AGENT + 2];
  target.linesRemoved += v[at + USAGE_AGENT + 3];
  target.wasteTokens += v[at + USAGE_AGENT + 4];
  for (let i = 0; i < AGENT_CHECKPOINT_KEYS.length; i++) {
    const cell = at + USAGE_AGENT_CELLS + i * AGENT_CELL_SIZE;
    addAgentCell(target.agentRetention, AGENT_CHECKPOINT_KEYS[i], v[cell], v[cell + 1], v[cell + 2]);
  }
  if (v[at + KEPT_LINE_CELL] === 0) return;
  target.keptLineRequests += v[at + 10];
  if (priced) target.keptLineCostUSD += cost;
}

function addPackedTier(target: TokenCounts, v: Float64Array, at: number): void {
  target.inputTokens += v[at];
  target.outputTokens += v[at + 1];
  target.reasoningTokens += v[at + 2];
  target.cacheReadTokens += v[at + 3];
  target.cacheWrite5mTokens += v[at + 4];
  target.cacheWrite1hTokens += v[at + 5];
}

/**
 * Groups by date and two keys, found through one map per key: a row costs three lookups of strings
 * whose hashes are already known, where one map by a joined key would build and hash a new string.
 */
class RowGroups<Figures> {
  readonly list: Array<RowGroup<Figures>> = [];
  private readonly byDate = new Map<string, Map<string, Map<string, RowGroup<Figures>>>>();

  get(date: string, first: string, second: string): RowGroup<Figures> | undefined {
    return this.byDate.get(date)?.get(first)?.get(second);
  }

  add(date: string, first: string, second: string, figures: Figures): RowGroup<Figures> {
    const group = { key: `${date}\u0000${first}\u0000${second}`, date, first, second, developers: new Set<number>(), figures };
    let byFirst = this.byDate.get(date);
    if (!byFirst) this.byDate.set(date, (byFirst = new Map()));
    let bySecond = byFirst.get(first);
    if (!bySecond) byFirst.set(first, (bySecond = new Map()));
    bySecond.set(second, group);
    this.list.push(group);
    return group;
  }
}

/** Merges files given as text (tests, small folders): parsed, ordered newest first, added. */
export function mergeSummaryTexts(files: ReadonlyArray<{ name: string; text: string }>, filter: MergeFilter = {}): TeamMerge {
  const merge = new TeamMerge(filter);
  const good: Array<{ name: string; header: ExportLine; file: ParsedSummaryFile }> = [];
  for (const { name, text } of files) {
    const file = text.length > MAX_SUMMARY_FILE_BYTES ? bad(`larger than ${MAX_SUMMARY_FILE_BYTES} bytes`) : parseSummaryFile(text);
    if (file.ok) good.push({ name, header: file.header, file });
    else merge.addFile(name, file);
  }
  for (const { name, header, file } of good.sort(compareRecency)) if (!merge.isSuperseded(header)) merge.addFile(name, file);
  return merge;
}
