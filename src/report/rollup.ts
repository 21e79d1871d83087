// Daily and monthly rollups (docs/metrics.md, docs/ledger.md): pure functions of ledger events, shared by the
// rollup cache, the dashboard and `assay report`. One accumulator does all the adding, so the
// cached incremental rollup and a from-scratch rollup cannot drift apart.
import type { AcceptEvent, ActivityEvent, AgentEditEvent, AgentRetentionEvent, LedgerEvent, RetentionEvent, UsageEvent } from '../ledger/events';
import { AGENT_CHECKPOINTS, type AgentCheckpoint } from '../agentOutput/types';
import { dedupeEvents } from '../ledger/dedupe';
import { addTiered, addTokens, isLongContextRequest } from '../pricing/tiers';
import type { Pricer, TieredTokenCounts, TokenCounts } from '../pricing/types';
import { localDate, monthOf } from '../calendar/dates';
import type { AgentOutputFigures, AgentRetentionCell, InlineRow, RetentionCell, UsageRow } from './rows';

/** An acceptance is mostly retained at a checkpoint when ARC ÷ chars reaches this (docs/metrics.md, Retention). */
const MOSTLY_RETAINED_THRESHOLD = 0.67;

/**
 * Usage totals of one (date, source, model) before pricing. Tokens stay split by context tier so
 * any price list (or a what-if model) can price the day exactly, long-context rates included.
 */
export interface UsageTotalsRow {
  date: string;
  kind: 'usage';
  source: string;
  model: string;
  tokens: TieredTokenCounts;
  requests: number;
  /** Requests whose source logged no token counts (their tokens count as 0). */
  requestsWithoutTokens: number;
  /** Agent output of this (date, source, model): edits, lines and retention (docs/metrics.md, Agent output). */
  agent: AgentOutputFigures;
}

export interface Rollup {
  inline: InlineRow[];
  usage: UsageTotalsRow[];
}

/** Dates are inclusive and compared as text, so they must have the rows' granularity. */
export interface RollupFilter {
  since?: string;
  until?: string;
  /** Selects inline rows; usage rows have no language and are kept. */
  languageId?: string;
  /** Selects inline rows; usage rows are kept. */
  provider?: string;
  /** Selects usage rows; inline rows are kept. */
  source?: string;
  /** Selects usage rows; inline rows are kept. */
  model?: string;
}

/** An acceptance is mostly retained when at least 67 % of its characters remain (docs/metrics.md, Retention). */
function isMostlyRetained(chars: number, arc: number): boolean {
  return chars > 0 && arc / chars >= MOSTLY_RETAINED_THRESHOLD;
}

/**
 * A row in compact form, the accumulator's working form and the rollup cache's stored form: a
 * year of rows as plain number arrays parses from disk several times faster than as objects.
 * Inline: date, languageId, provider, then the INLINE counts (agent edits in the editor and their characters
 * last), then retention as a flat list of [checkpoint, known, chars, arc, unchanged, mostlyRetained] groups.
 */
export type InlineTuple = [string, string, string, ...number[], number[]];
/**
 * Usage: date, source, model, then the USAGE counts: tokens by tier, requests, then agent output (edits, lines
 * added and removed, waste tokens, and per AGENT_CHECKPOINTS checkpoint: known edits, lines added, lines kept).
 */
export type UsageTuple = [string, string, string, ...number[]];

export interface CompactRollup {
  inline: InlineTuple[];
  usage: UsageTuple[];
}

const INLINE = {
  full: 3,
  word: 4,
  line: 5,
  acceptedChars: 6,
  acceptedLines: 7,
  opportunities: 8,
  typedChars: 9,
  aiChars: 10,
  agentEditsInEditor: 11,
  agentCharsInEditor: 12,
  retention: 13,
} as const;
const RETENTION_STRIDE = 6;
const TOKEN_FIELDS = ['inputTokens', 'outputTokens', 'reasoningTokens', 'cacheReadTokens', 'cacheWrite5mTokens', 'cacheWrite1hTokens'] as const;
const USAGE_REQUESTS = 3 + 2 * TOKEN_FIELDS.length;
const AGENT_RETENTION_STRIDE = 3;
const USAGE = {
  standard: 3,
  longContext: 3 + TOKEN_FIELDS.length,
  requests: USAGE_REQUESTS,
  requestsWithoutTokens: USAGE_REQUESTS + 1,
  agentEdits: USAGE_REQUESTS + 2,
  linesAdded: USAGE_REQUESTS + 3,
  linesRemoved: USAGE_REQUESTS + 4,
  wasteTokens: USAGE_REQUESTS + 5,
  agentRetention: USAGE_REQUESTS + 6,
  length: USAGE_REQUESTS + 6 + AGENT_CHECKPOINTS.length * AGENT_RETENTION_STRIDE,
} as const;

/**
 * Adds events into (date, languageId, provider) inline rows and (date, source, model) usage rows.
 * Usage events can be taken out again (`removeUsage`) so a caller that tracks ids can apply an
 * upsert; the accumulator itself does not deduplicate.
 */
export class RollupAccumulator {
  private readonly inline = new Map<string, InlineTuple>();
  private readonly usage = new Map<string, UsageTuple>();
  /** Row objects of earlier snapshots, dropped when their tuple changes, so a snapshot rebuilds only changed rows. */
  private readonly inlineObjects = new Map<string, InlineRow>();
  private readonly usageObjects = new Map<string, UsageTotalsRow>();
  private inlineOrder: string[] | undefined;
  private usageOrder: string[] | undefined;

  /** Takes ownership of `initial`'s tuples. */
  constructor(
    readonly timeZone: string,
    initial?: CompactRollup,
  ) {
    for (const row of initial?.inline ?? []) this.inline.set(rowKey(row[0], row[1], row[2]), row);
    for (const row of initial?.usage ?? []) this.usage.set(rowKey(row[0], row[1], row[2]), row);
  }

  add(event: LedgerEvent): void {
    switch (event.kind) {
      case 'accept':
        return this.addAccept(event);
      case 'activity':
        return this.addActivity(event);
      case 'retention':
        return this.addRetention(event);
      case 'usage':
        return this.addUsage(event, 1);
      case 'agentEdit':
        return this.addAgentEdit(event);
      case 'agentRetention':
        return this.addAgentRetention(event);
    }
  }

  removeUsage(event: UsageEvent): void {
    this.addUsage(event, -1);
  }

  /**
   * The rows as objects, sorted by date then keys. Rows that did not change since the previous
   * snapshot are the same objects as in it: treat them as read-only.
   */
  snapshot(): Rollup {
    this.inlineOrder ??= sortedKeys(this.inline);
    this.usageOrder ??= sortedKeys(this.usage);
    return {
      inline: this.inlineOrder.map((key) => cachedRow(this.inlineObjects, key, () => inlineRowFromTuple(this.inline.get(key) as InlineTuple))),
      usage: this.usageOrder.map((key) => cachedRow(this.usageObjects, key, () => usageRowFromTuple(this.usage.get(key) as UsageTuple))),
    };
  }

  /** The rows in compact form, shared with the accumulator: serialize them before the next add. */
  compact(): CompactRollup {
    return { inline: [...this.inline.values()], usage: [...this.usage.values()] };
  }

  private inlineRow(t: number, languageId: string, provider: string): number[] & InlineTuple {
    const date = localDate(t, this.timeZone);
    const key = rowKey(date, languageId, provider);
    let row = this.inline.get(key);
    if (!row) {
      row = [date, languageId, provider, ...new Array<number>(INLINE.retention - 3).fill(0), []];
      this.inline.set(key, row);
      this.inlineOrder = undefined;
    }
    this.inlineObjects.delete(key);
    return row as number[] & InlineTuple;
  }

  private addAccept(event: AcceptEvent): void {
    const row = this.inlineRow(event.t, event.languageId, event.provider);
    row[INLINE[event.mode]] += 1;
    row[INLINE.acceptedChars] += event.chars;
    row[INLINE.aiChars] += event.chars;
    row[INLINE.acceptedLines] += event.lines;
  }

  private addActivity(event: ActivityEvent): void {
    const row = this.inlineRow(event.t, event.languageId, event.provider);
    row[INLINE.opportunities] += event.opportunities;
    row[INLINE.typedChars] += event.typedChars;
    // Lines written before agent edits were counted have neither field: they count 0.
    row[INLINE.agentEditsInEditor] += event.agentEdits ?? 0;
    row[INLINE.agentCharsInEditor] += event.agentChars ?? 0;
  }

  /** Retention is dated by the acceptance, so a day's retention describes that day's acceptances. */
  private addRetention(event: RetentionEvent): void {
    // Unknown checkpoints are neither kept nor lost (docs/metrics.md, Retention): they stay out of every cell.
    if (event.outcome !== 'known') return;
    const row = this.inlineRow(event.acceptedAt, event.languageId, event.provider);
    const cells = row[INLINE.retention] as unknown as number[];
    let at = 0;
    while (at < cells.length && cells[at] !== event.checkpoint) at += RETENTION_STRIDE;
    if (at === cells.length) cells.push(event.checkpoint, 0, 0, 0, 0, 0);
    cells[at + 1] += 1;
    cells[at + 2] += event.chars;
    cells[at + 3] += event.arc;
    if (event.unchanged) cells[at + 4] += 1;
    if (isMostlyRetained(event.chars, event.arc)) cells[at + 5] += 1;
  }

  private usageRow(t: number, source: string, model: string): number[] & UsageTuple {
    const date = localDate(t, this.timeZone);
    const key = rowKey(date, source, model);
    let row = this.usage.get(key) as (number[] & UsageTuple) | undefined;
    if (!row) {
      row = [date, source, model, ...new Array<number>(USAGE.length - 3).fill(0)] as number[] & UsageTuple;
      this.usage.set(key, row);
      this.usageOrder = undefined;
    }
    this.usageObjects.delete(key);
    return row;
  }

  private addUsage(event: UsageEvent, sign: 1 | -1): void {
    const key = rowKey(localDate(event.t, this.timeZone), event.source, event.model);
    if (sign < 0 && !this.usage.has(key)) return;
    const row = this.usageRow(event.t, event.source, event.model);
    const tier = isLongContextRequest(event) ? USAGE.longContext : USAGE.standard;
    TOKEN_FIELDS.forEach((field, i) => (row[tier + i] += sign * event[field]));
    row[USAGE.requests] += sign;
    if (!event.tokensKnown) row[USAGE.requestsWithoutTokens] += sign;
    // A row that still holds agent output stays, so replacing its last response keeps what its edits did.
    if (row[USAGE.requests] <= 0 && !hasAgentOutput(row)) {
      this.usage.delete(key);
      this.usageOrder = undefined;
    }
  }

  private addAgentEdit(event: AgentEditEvent): void {
    const row = this.usageRow(event.t, event.source, event.model);
    row[USAGE.agentEdits] += 1;
    row[USAGE.linesAdded] += event.linesAdded;
    row[USAGE.linesRemoved] += event.linesRemoved;
  }

  /** Dated by the edit, like inline retention by the acceptance; unknown checkpoints stay out of every cell. */
  private addAgentRetention(event: AgentRetentionEvent): void {
    const at = AGENT_CHECKPOINTS.indexOf(event.checkpoint as AgentCheckpoint);
    if (!event.known && event.wasteTokens === undefined) return;
    const row = this.usageRow(event.editedAt, event.source, event.model);
    row[USAGE.wasteTokens] += event.wasteTokens ?? 0;
    if (!event.known || at === -1) return;
    const cell = USAGE.agentRetention + at * AGENT_RETENTION_STRIDE;
    row[cell] += 1;
    row[cell + 1] += event.linesAdded;
    row[cell + 2] += event.linesKept;
  }
}

function hasAgentOutput(row: number[]): boolean {
  for (let i = USAGE.agentEdits; i < USAGE.length; i++) if (row[i] !== 0) return true;
  return false;
}

function cachedRow<Row>(objects: Map<string, Row>, key: string, build: () => Row): Row {
  let row = objects.get(key);
  if (!row) {
    row = build();
    objects.set(key, row);
  }
  return row;
}

/** Keys ordered by date then the two key fields: the NUL separator sorts below every other character. */
function sortedKeys(rows: Map<string, unknown>): string[] {
  return [...rows.keys()].sort(compareText);
}

function inlineRowFromTuple(row: InlineTuple): InlineRow {
  const counts = row as unknown as number[];
  const cells = row[INLINE.retention] as number[];
  const retention = newRetentionRecord();
  for (let at = 0; at < cells.length; at += RETENTION_STRIDE) {
    retention[String(cells[at])] = {
      known: cells[at + 1],
      chars: cells[at + 2],
      arc: cells[at + 3],
      unchanged: cells[at + 4],
      mostlyRetained: cells[at + 5],
    };
  }
  return {
    date: row[0],
    kind: 'inline',
    languageId: row[1],
    provider: row[2],
    acceptances: { full: counts[INLINE.full], word: counts[INLINE.word], line: counts[INLINE.line] },
    acceptedChars: counts[INLINE.acceptedChars],
    acceptedLines: counts[INLINE.acceptedLines],
    opportunities: counts[INLINE.opportunities],
    typedChars: counts[INLINE.typedChars],
    aiChars: counts[INLINE.aiChars],
    agentEditsInEditor: counts[INLINE.agentEditsInEditor],
    agentCharsInEditor: counts[INLINE.agentCharsInEditor],
    retention,
  };
}

function usageRowFromTuple(row: UsageTuple): UsageTotalsRow {
  const counts = row as unknown as number[];
  const tier = (start: number): TokenCounts => ({
    inputTokens: counts[start],
    outputTokens: counts[start + 1],
    reasoningTokens: counts[start + 2],
    cacheReadTokens: counts[start + 3],
    cacheWrite5mTokens: counts[start + 4],
    cacheWrite1hTokens: counts[start + 5],
  });
  return {
    date: row[0],
    kind: 'usage',
    source: row[1],
    model: row[2],
    tokens: { standard: tier(USAGE.standard), longContext: tier(USAGE.longContext) },
    requests: counts[USAGE.requests],
    requestsWithoutTokens: counts[USAGE.requestsWithoutTokens],
    agent: agentFiguresFromTuple(counts),
  };
}

function agentFiguresFromTuple(counts: number[]): AgentOutputFigures {
  const agentRetention = newRetentionRecord<AgentRetentionCell>();
  AGENT_CHECKPOINTS.forEach((checkpoint, i) => {
    const at = USAGE.agentRetention + i * AGENT_RETENTION_STRIDE;
    if (counts[at] > 0) agentRetention[String(checkpoint)] = { known: counts[at], linesAdded: counts[at + 1], linesKept: counts[at + 2] };
  });
  return {
    agentEdits: counts[USAGE.agentEdits],
    linesAdded: counts[USAGE.linesAdded],
    linesRemoved: counts[USAGE.linesRemoved],
    agentRetention,
    wasteTokens: counts[USAGE.wasteTokens],
  };
}

/** Daily rows of `events` in `timeZone`. Usage events with one id count once: the later one wins. */
export function rollupDaily(events: readonly LedgerEvent[], options: { timeZone: string; filter?: RollupFilter }): Rollup {
  const accumulator = new RollupAccumulator(options.timeZone);
  for (const event of dedupeEvents(events)) accumulator.add(event);
  const rollup = accumulator.snapshot();
  return options.filter ? filterRollup(rollup, options.filter) : rollup;
}

/** Daily rows merged into calendar months (rows dated YYYY-MM). Filter by day before merging. */
export function rollupMonthly(daily: Rollup): Rollup {
  const inline = new Map<string, InlineRow>();
  for (const row of daily.inline) {
    const month = monthOf(row.date);
    const key = rowKey(month, row.languageId, row.provider);
    const target = inline.get(key);
    if (target) addInlineRow(target, row);
    else inline.set(key, { ...cloneInlineRow(row), date: month });
  }
  const usage = new Map<string, UsageTotalsRow>();
  for (const row of daily.usage) {
    const month = monthOf(row.date);
    const key = rowKey(month, row.source, row.model);
    const target = usage.get(key);
    if (target) addUsageTotals(target, row);
    else usage.set(key, { ...cloneUsageRow(row), date: month });
  }
  return { inline: sortInline([...inline.values()]), usage: sortUsage([...usage.values()]) };
}

export function filterRollup(rollup: Rollup, filter: RollupFilter): Rollup {
  const inDates = (date: string) =>
    (filter.since === undefined || date >= filter.since) && (filter.until === undefined || date <= filter.until);
  return {
    inline: rollup.inline.filter(
      (row) =>
        inDates(row.date) &&
        (filter.languageId === undefined || row.languageId === filter.languageId) &&
        (filter.provider === undefined || row.provider === filter.provider),
    ),
    usage: rollup.usage.filter(
      (row) =>
        inDates(row.date) &&
        (filter.source === undefined || row.source === filter.source) &&
        (filter.model === undefined || row.model === filter.model),
    ),
  };
}

/** A priced usage row that keeps its tiered tokens, so it can be priced again as another model. */
export interface PricedUsageRow extends UsageRow {
  tokens: TieredTokenCounts;
}

/** A priced usage row with its agent output, as the daily report has it. */
export type PricedAgentUsageRow = PricedUsageRow & AgentOutputFigures;

export function priceUsageRows(rows: readonly UsageTotalsRow[], pricer: Pricer): PricedAgentUsageRow[] {
  return rows.map((row) => {
    const total = sumTiers(row.tokens);
    // A row none of whose requests logged tokens has an unknown cost, not a cost of $0.
    const costUSD = row.requestsWithoutTokens >= row.requests ? null : pricer.costUSD(row.model, row.tokens);
    return {
      date: row.date,
      kind: 'usage',
      source: row.source,
      model: row.model,
      inputTokens: total.inputTokens,
      outputTokens: total.outputTokens,
      reasoningTokens: total.reasoningTokens,
      cacheReadTokens: total.cacheReadTokens,
      cacheWriteTokens: total.cacheWrite5mTokens + total.cacheWrite1hTokens,
      costUSD,
      requests: row.requests,
      requestsWithoutTokens: row.requestsWithoutTokens,
      tokens: cloneTiers(row.tokens),
      ...cloneAgentFigures(row.agent),
    };
  });
}

export function emptyAgentFigures(): AgentOutputFigures {
  return { agentEdits: 0, linesAdded: 0, linesRemoved: 0, agentRetention: newRetentionRecord<AgentRetentionCell>(), wasteTokens: 0 };
}

/** Adds `figures` into `target`, retention cells per checkpoint. */
export function addAgentFigures(target: AgentOutputFigures, figures: AgentOutputFigures): void {
  target.agentEdits += figures.agentEdits;
  target.linesAdded += figures.linesAdded;
  target.linesRemoved += figures.linesRemoved;
  target.wasteTokens += figures.wasteTokens;
  for (const [checkpoint, cell] of Object.entries(figures.agentRetention)) {
    const sum = (target.agentRetention[checkpoint] ??= { known: 0, linesAdded: 0, linesKept: 0 });
    sum.known += cell.known;
    sum.linesAdded += cell.linesAdded;
    sum.linesKept += cell.linesKept;
  }
}

function cloneAgentFigures(figures: AgentOutputFigures): AgentOutputFigures {
  const clone = emptyAgentFigures();
  addAgentFigures(clone, figures);
  return clone;
}

/** Adds `row`'s figures into `target` (keys are not compared). */
export function addInlineRow(target: InlineRow, row: InlineRow): void {
  target.acceptances.full += row.acceptances.full;
  target.acceptances.word += row.acceptances.word;
  target.acceptances.line += row.acceptances.line;
  target.acceptedChars += row.acceptedChars;
  target.acceptedLines += row.acceptedLines;
  target.opportunities += row.opportunities;
  target.typedChars += row.typedChars;
  target.aiChars += row.aiChars;
  target.agentEditsInEditor += row.agentEditsInEditor;
  target.agentCharsInEditor += row.agentCharsInEditor;
  for (const [checkpoint, cell] of Object.entries(row.retention)) {
    const sum = (target.retention[checkpoint] ??= emptyRetentionCell());
    addRetentionCell(sum, cell);
  }
}

export function emptyInlineRow(date: string, languageId: string, provider: string): InlineRow {
  return {
    date,
    kind: 'inline',
    languageId,
    provider,
    acceptances: { full: 0, word: 0, line: 0 },
    acceptedChars: 0,
    acceptedLines: 0,
    opportunities: 0,
    typedChars: 0,
    aiChars: 0,
    agentEditsInEditor: 0,
    agentCharsInEditor: 0,
    retention: newRetentionRecord(),
  };
}

/**
 * An empty object for retention cells keyed by checkpoint seconds. Keys such as "900" are array
 * indices to V8, which backs an object built by assigning them with a dense array as long as the
 * largest index: about 8 KB per row, hundreds of MB over a year of rows. Storing and deleting an
 * index far out of range first switches the object to sparse (dictionary) storage, as
 * JSON.parse does, at about 0.6 KB per row.
 */
function newRetentionRecord<Cell = RetentionCell>(): Record<string, Cell> {
  const record: Record<string, Cell> = {};
  record[SPARSE_INDEX] = {} as Cell;
  delete record[SPARSE_INDEX];
  return record;
}

const SPARSE_INDEX = 10_000_000;

function emptyRetentionCell(): RetentionCell {
  return { known: 0, chars: 0, arc: 0, unchanged: 0, mostlyRetained: 0 };
}

export function sumTiers(tokens: TieredTokenCounts): TokenCounts {
  return addTokens(tokens.standard, tokens.longContext);
}

function addUsageTotals(target: UsageTotalsRow, row: UsageTotalsRow): void {
  target.tokens = addTiered(target.tokens, row.tokens);
  target.requests += row.requests;
  target.requestsWithoutTokens += row.requestsWithoutTokens;
  addAgentFigures(target.agent, row.agent);
}

function addRetentionCell(target: RetentionCell, cell: RetentionCell): void {
  target.known += cell.known;
  target.chars += cell.chars;
  target.arc += cell.arc;
  target.unchanged += cell.unchanged;
  target.mostlyRetained += cell.mostlyRetained;
}



function cloneInlineRow(row: InlineRow): InlineRow {
  const retention = newRetentionRecord();
  for (const [checkpoint, cell] of Object.entries(row.retention)) retention[checkpoint] = { ...cell };
  return { ...row, acceptances: { ...row.acceptances }, retention };
}

function cloneUsageRow(row: UsageTotalsRow): UsageTotalsRow {
  return { ...row, tokens: cloneTiers(row.tokens), agent: cloneAgentFigures(row.agent) };
}

function cloneTiers(tokens: TieredTokenCounts): TieredTokenCounts {
  return { standard: { ...tokens.standard }, longContext: { ...tokens.longContext } };
}

function rowKey(date: string, first: string, second: string): string {
  return `${date}\u0000${first}\u0000${second}`;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortInline(rows: InlineRow[]): InlineRow[] {
  return rows.sort(
    (a, b) => compareText(a.date, b.date) || compareText(a.languageId, b.languageId) || compareText(a.provider, b.provider),
  );
}

function sortUsage(rows: UsageTotalsRow[]): UsageTotalsRow[] {
  return rows.sort((a, b) => compareText(a.date, b.date) || compareText(a.source, b.source) || compareText(a.model, b.model));
}
