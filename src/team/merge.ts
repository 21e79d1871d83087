// Merging team summary files: every file is validated whole (a bad file is reported by
// name and reason and skipped), then files are taken newest first and each developer's day belongs
// to the newest file whose range covers it, so duplicates and overlapping ranges are harmless and a
// re-export replaces what it covers, empty days included. Figures are added per group with the set
// of developers behind each group, which the k rule (./kRule.ts) needs.
import { addTiered } from '../pricing/tiers';
import type { TieredTokenCounts, TokenCounts } from '../pricing/types';
import { addInlineRow, compareText, emptyInlineRow } from '../report/rollup';
import type { InlineRow } from '../report/rows';
import { emptyUsageTotals, type UsageTotals } from '../report/reportJson';
import { TeamSummaryLine } from './summarySchema';
import type { ExportLine, InlineLine, UsageLine } from './summarySchema';
import { addDays, daysBetween } from '../calendar/dates';

/** A summary file larger than this is not read (a year of one busy developer is well under 10 MB). */
export const MAX_SUMMARY_FILE_BYTES = 64 * 1024 * 1024;
/** Far above any real line (every field is bounded). */
export const MAX_SUMMARY_LINE_CHARS = 64 * 1024;
/** A file may speak for at most this many days. */
const MAX_RANGE_DAYS = 3700;

const HOSTILE_KEY = /"(?:__proto__|constructor|prototype)"\s*:/;

export type ParsedSummaryFile =
  | { ok: true; header: ExportLine; lines: Array<InlineLine | UsageLine> }
  | { ok: false; reason: string };

/** Validates a whole file: one export line first, then rows of that developer inside its range, each once. */
export function parseSummaryFile(text: string): ParsedSummaryFile {
  if (text.length === 0) return bad('empty file');
  if (!text.endsWith('\n')) return bad('truncated (the last line is not complete)');
  const texts = text.slice(0, -1).split('\n');
  let header: ExportLine | undefined;
  const lines: Array<InlineLine | UsageLine> = [];
  const keys = new Set<string>();
  for (let index = 0; index < texts.length; index++) {
    const parsed = parseSummaryLine(texts[index]);
    const where = `line ${index + 1}`;
    if (typeof parsed === 'string') return bad(`${where}: ${parsed}`);
    if (index === 0) {
      if (parsed.kind !== 'export') return bad('line 1 is not the export line');
      if (parsed.since > parsed.until) return bad('line 1: since is after until');
      if (daysBetween(parsed.since, parsed.until) > MAX_RANGE_DAYS) return bad(`line 1: the range is longer than ${MAX_RANGE_DAYS} days`);
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
    lines.push(parsed);
  }
  return { ok: true, header: header as ExportLine, lines };
}

/** The first line of a file alone, to order files before reading them whole. */
export function parseSummaryHeader(firstLine: string): ExportLine | string {
  const parsed = parseSummaryLine(firstLine);
  if (typeof parsed === 'string') return `line 1: ${parsed}`;
  return parsed.kind === 'export' ? parsed : 'line 1 is not the export line';
}

/** A line, or why it is refused. JSON.parse never touches prototypes, and keys that could are refused outright. */
function parseSummaryLine(text: string): TeamSummaryLine | string {
  if (text.length > MAX_SUMMARY_LINE_CHARS) return `longer than ${MAX_SUMMARY_LINE_CHARS} characters`;
  if (HOSTILE_KEY.test(text)) return 'a forbidden key (__proto__, constructor or prototype)';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  const result = TeamSummaryLine.safeParse(json);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  // Only field names this schema could have are echoed: a refused key is the sender's text.
  const field = issue.path.filter((part) => typeof part === 'number' || /^[A-Za-z0-9]{1,32}$/.test(String(part))).join('.');
  return `${field ? `${field}: ` : ''}${issue.message}`;
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

/** Usage figures of a group: the report's totals plus what what-if and the Jevons view need. */
export interface UsageFigures extends UsageTotals {
  tokens: TieredTokenCounts;
  /** Tokens of the requests that have a cost (the Jevons view's price per token). */
  pricedTokens: number;
}

export function emptyUsageFigures(): UsageFigures {
  return { ...emptyUsageTotals(), tokens: { standard: zeroTokens(), longContext: zeroTokens() }, pricedTokens: 0 };
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
}

/** Output includes reasoning (docs/metrics.md, Agent and chat usage), so reasoning is not added again. */
export function tokensOf(row: Pick<UsageTotals, 'inputTokens' | 'outputTokens' | 'cacheReadTokens' | 'cacheWriteTokens'>): number {
  return row.inputTokens + row.outputTokens + row.cacheReadTokens + row.cacheWriteTokens;
}

function usageFiguresOf(line: UsageLine): UsageFigures {
  // Schema 1 lines have no tiers: their tokens are taken as standard-tier, cache writes as 5-minute writes.
  const tokens = line.tokens ?? {
    standard: {
      inputTokens: line.inputTokens,
      outputTokens: line.outputTokens,
      reasoningTokens: line.reasoningTokens,
      cacheReadTokens: line.cacheReadTokens,
      cacheWrite5mTokens: line.cacheWriteTokens,
      cacheWrite1hTokens: 0,
    },
    longContext: zeroTokens(),
  };
  return {
    inputTokens: line.inputTokens,
    outputTokens: line.outputTokens,
    reasoningTokens: line.reasoningTokens,
    cacheReadTokens: line.cacheReadTokens,
    cacheWriteTokens: line.cacheWriteTokens,
    costUSD: line.costUSD ?? 0,
    requests: line.requests,
    requestsWithoutTokens: line.requestsWithoutTokens,
    unpricedRequests: line.costUSD === null ? line.requests : 0,
    tokens: { standard: { ...tokens.standard }, longContext: { ...tokens.longContext } },
    pricedTokens: line.costUSD === null ? 0 : tokensOf(line),
  };
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

export interface MergeFilter {
  since?: string;
  until?: string;
}

export interface SkippedFile {
  name: string;
  reason: string;
}

/**
 * The merged figures of a folder. Feed files newest first (compareRecency); each developer's day
 * is taken from the first file that covers it.
 */
export class TeamMerge {
  readonly skipped: SkippedFile[] = [];
  readonly inline = new Map<string, RowGroup<InlineRow>>();
  readonly usage = new Map<string, RowGroup<UsageFigures>>();
  /** Developers with at least one row on a day. */
  readonly activeByDay = new Map<string, Set<number>>();
  /** Each developer's seats, from their newest file. */
  readonly seats: ExportLine['seats'][] = [];
  merged = 0;
  /** Valid files not read because newer files cover every one of their days. */
  superseded = 0;
  private readonly developerIndex = new Map<string, number>();
  private readonly claimed: Array<Set<string>> = [];

  constructor(private readonly filter: MergeFilter = {}) {}

  /** Developers with at least one row in the range. */
  get developers(): number {
    const active = new Set<number>();
    for (const developers of this.activeByDay.values()) for (const developer of developers) active.add(developer);
    return active.size;
  }

  get firstDay(): string | undefined {
    return [...this.activeByDay.keys()].sort(compareText)[0];
  }

  get lastDay(): string | undefined {
    return [...this.activeByDay.keys()].sort(compareText).at(-1);
  }

  /**
   * True when newer files already cover every day of this one: it cannot change a figure, so a
   * folder of daily re-exports is read at the cost of its newest files.
   */
  isSuperseded(header: ExportLine): boolean {
    const index = this.developerIndex.get(header.developer);
    if (index === undefined) return false;
    const claimed = this.claimed[index];
    for (let day = header.since; day <= header.until; day = addDays(day, 1)) if (!claimed.has(day)) return false;
    this.superseded++;
    return true;
  }

  addFile(name: string, file: ParsedSummaryFile): void {
    if (!file.ok) {
      this.skipped.push({ name, reason: file.reason });
      return;
    }
    this.merged++;
    const { header } = file;
    let developer = this.developerIndex.get(header.developer);
    if (developer === undefined) {
      developer = this.developerIndex.size;
      this.developerIndex.set(header.developer, developer);
      this.claimed.push(new Set());
      this.seats.push(header.seats);
    }
    const claimed = this.claimed[developer];
    const mine = new Set<string>();
    for (let day = header.since; day <= header.until; day = addDays(day, 1)) {
      if (!claimed.has(day)) {
        claimed.add(day);
        mine.add(day);
      }
    }
    const { since, until } = this.filter;
    for (const line of file.lines) {
      if (!mine.has(line.date) || (since !== undefined && line.date < since) || (until !== undefined && line.date > until)) continue;
      let active = this.activeByDay.get(line.date);
      if (!active) this.activeByDay.set(line.date, (active = new Set()));
      active.add(developer);
      if (line.kind === 'inline') {
        const group = rowGroup(this.inline, line.date, line.languageId, line.provider, () => emptyInlineRow(line.date, line.languageId, line.provider));
        group.developers.add(developer);
        addInlineRow(group.figures, line);
      } else {
        const group = rowGroup(this.usage, line.date, line.source, line.model, emptyUsageFigures);
        group.developers.add(developer);
        addUsageFigures(group.figures, usageFiguresOf(line));
      }
    }
  }
}

function rowGroup<Figures>(groups: Map<string, RowGroup<Figures>>, date: string, first: string, second: string, empty: () => Figures): RowGroup<Figures> {
  const key = `${date}\u0000${first}\u0000${second}`;
  let group = groups.get(key);
  if (!group) groups.set(key, (group = { key, date, first, second, developers: new Set(), figures: empty() }));
  return group;
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
