// `assay report daily|monthly` as a table for a terminal, laid out like ccusage's: one row per day
// (or month) with its tokens, cost, agent lines and inline figures, a rule, then the totals, in under
// 100 columns. `--breakdown` adds the day's rows per source/model and per language/provider under it.
// The JSON form is src/report/reportJson.ts; column headers come from src/report/measures.ts.
import { KEPT_LINES_CHECKPOINT_KEY } from '../agentOutput/types';
import { addAgentFigures, emptyAgentFigures, type PricedAgentUsageRow } from '../report/rollup';
import { DIMENSIONS, MEASURES, type Measure } from '../report/measures';
import { inlineTotals, usageTotals, type InlineTotals, type UsageTotals } from '../report/reportJson';
import type { AgentOutputFigures, InlineRow, UsageRow } from '../report/rows';
import { printable } from '../privacy/printable';

/** Lines stay shorter than 100 columns, the width the issue asks of the report. */
const MAX_LINE_WIDTH = 99;
const GAP = '  ';
/** The checkpoint of "Kept at 10 min" (the value estimate's too: docs/metrics.md, Value). */
const KEPT_CHECKPOINT = '600';

export interface TableOptions {
  period: 'daily' | 'monthly';
  breakdown: boolean;
  colour: boolean;
}

type RowStyle = 'day' | 'part' | 'total';

/**
 * The table keeps apart, as the dashboard does (docs/metrics.md), the two reasons a row has no cost: its model has no
 * price (`unpricedRequests` here), or none of its responses logged tokens. The JSON's `unpricedRequests` counts both.
 */
interface TableUsage extends UsageTotals {
  /** Responses of rows none of whose responses logged tokens (every Kiro and Crush row). */
  uncostedWithoutTokens: number;
}

interface TableRow {
  label: string;
  style: RowStyle;
  usage?: TableUsage;
  agent?: AgentOutputFigures;
  inline?: InlineTotals;
}

interface Column {
  measure: Measure;
  kind: 'usage' | 'agent' | 'inline';
  /** `compact`: token counts as 1.23M; chosen when full numbers would make lines too long. */
  format(row: TableRow, compact: boolean): string;
}

const tokens = (count: (usage: UsageTotals) => number) => (row: TableRow, compact: boolean) =>
  row.usage ? (compact ? compactCount(count(row.usage)) : fullCount(count(row.usage))) : '';

const COLUMNS: Column[] = [
  { measure: MEASURES.inputTokens, kind: 'usage', format: tokens((usage) => usage.inputTokens) },
  { measure: MEASURES.outputTokens, kind: 'usage', format: tokens((usage) => usage.outputTokens) },
  { measure: MEASURES.cacheTokens, kind: 'usage', format: tokens((usage) => usage.cacheReadTokens + usage.cacheWriteTokens) },
  {
    measure: MEASURES.totalTokens,
    kind: 'usage',
    format: tokens((usage) => usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens),
  },
  {
    measure: MEASURES.cost,
    kind: 'usage',
    // A row none of whose responses has a cost shows why, never $0.
    format: (row) => {
      if (!row.usage) return '';
      const { unpricedRequests, uncostedWithoutTokens, requests } = row.usage;
      const uncosted = unpricedRequests + uncostedWithoutTokens;
      if (uncosted > 0 && uncosted >= requests) return unpricedRequests > 0 ? 'unpriced' : 'no tokens';
      return usd(row.usage.costUSD);
    },
  },
  {
    measure: MEASURES.agentLines,
    kind: 'agent',
    format: (row, compact) => {
      if (!row.agent) return '';
      if (row.agent.agentEdits === 0) return '–';
      const kept = row.agent.agentRetention[KEPT_LINES_CHECKPOINT_KEY];
      const added = compact ? compactCount(row.agent.linesAdded) : fullCount(row.agent.linesAdded);
      return `${added}/${kept ? share(kept.linesKept, kept.linesAdded) : '–'}`;
    },
  },
  {
    measure: MEASURES.acceptances,
    kind: 'inline',
    format: (row) => (row.inline ? fullCount(row.inline.acceptances.full + row.inline.acceptances.word + row.inline.acceptances.line) : ''),
  },
  {
    measure: MEASURES.aiShare,
    kind: 'inline',
    format: (row) => (row.inline ? share(row.inline.aiChars, row.inline.aiChars + row.inline.typedChars) : ''),
  },
  {
    measure: MEASURES.keptAt600,
    kind: 'inline',
    format: (row) => (row.inline ? share(row.inline.retention[KEPT_CHECKPOINT]?.arc ?? 0, row.inline.retention[KEPT_CHECKPOINT]?.chars ?? 0) : ''),
  },
];

export function reportTable(inline: readonly InlineRow[], usage: readonly PricedAgentUsageRow[], options: TableOptions): string {
  if (inline.length === 0 && usage.length === 0) return 'No Assay data in this range.\n';
  const withUsage = usage.length > 0;
  const withAgent = usage.some((row) => row.agentEdits > 0);
  const withInline = inline.length > 0;
  // A kind with no rows in the range (agent lines: no edit) has no columns: its zeros would say nothing.
  const shown = { usage: withUsage, agent: withAgent, inline: withInline };
  const columns = COLUMNS.filter((column) => shown[column.kind]);

  const byDate = new Map<string, { inline: InlineRow[]; usage: PricedAgentUsageRow[] }>();
  const dayOf = (date: string) => byDate.get(date) ?? byDate.set(date, { inline: [], usage: [] }).get(date)!;
  for (const row of inline) dayOf(row.date).inline.push(row);
  for (const row of usage) dayOf(row.date).usage.push(row);
  const rows: TableRow[] = [];
  for (const date of [...byDate.keys()].sort()) {
    const { inline: dayInline, usage: dayUsage } = dayOf(date);
    rows.push({
      label: date,
      style: 'day',
      ...(withUsage ? { usage: tableUsage(dayUsage) } : {}),
      ...(withAgent ? { agent: agentTotals(dayUsage) } : {}),
      ...(withInline ? { inline: inlineTotals(dayInline) } : {}),
    });
    if (!options.breakdown) continue;
    for (const row of dayUsage) {
      rows.push({ label: partLabel(row.source, row.model), style: 'part', usage: tableUsage([row]), ...(withAgent ? { agent: agentTotals([row]) } : {}) });
    }
    for (const row of dayInline) rows.push({ label: partLabel(row.languageId, row.provider), style: 'part', inline: inlineTotals([row]) });
  }
  const totals: TableRow = {
    label: 'Total',
    style: 'total',
    ...(withUsage ? { usage: tableUsage(usage) } : {}),
    ...(withAgent ? { agent: agentTotals(usage) } : {}),
    ...(withInline ? { inline: inlineTotals(inline) } : {}),
  };

  const dimension = options.period === 'monthly' ? DIMENSIONS.month : DIMENSIONS.date;
  const table = layOut([dimension.shortLabel, ...columns.map((column) => column.measure.shortLabel)], columns, rows, totals);
  const paint = painter(options.colour);
  const lines = [
    paint.bold(table.header),
    paint.dim(table.rule),
    ...table.rows.map((line, index) => (rows[index].style === 'part' ? paint.dim(line) : line)),
    paint.dim(table.rule),
    paint.bold(table.totals),
  ];

  const notes: string[] = [];
  const usageTotal = totals.usage;
  if (usageTotal && usageTotal.unpricedRequests > 0) {
    const count = usageTotal.unpricedRequests;
    notes.push(`${agentResponses(count)} ${count === 1 ? 'is' : 'are'} unpriced and not in the costs.`);
  }
  if (usageTotal && usageTotal.requestsWithoutTokens > 0) {
    const count = usageTotal.requestsWithoutTokens;
    notes.push(`${agentResponses(count)} ${count === 1 ? 'was' : 'were'} logged without token counts (counted as 0 tokens).`);
  }
  return `${[...lines, ...(notes.length > 0 ? ['', ...notes] : [])].join('\n')}\n`;
}

/** A breakdown row's keys are the ledger's text, which any process able to write the ledger may have written. */
function partLabel(first: string, second: string): string {
  return `  ${printable(first)}/${printable(second)}`;
}

function tableUsage(rows: readonly UsageRow[]): TableUsage {
  const totals = usageTotals(rows);
  let uncostedWithoutTokens = 0;
  for (const row of rows) {
    if (row.costUSD === null && row.requestsWithoutTokens >= row.requests) uncostedWithoutTokens += row.requests;
  }
  return { ...totals, unpricedRequests: totals.unpricedRequests - uncostedWithoutTokens, uncostedWithoutTokens };
}

function agentTotals(rows: readonly AgentOutputFigures[]): AgentOutputFigures {
  const total = emptyAgentFigures();
  for (const row of rows) addAgentFigures(total, row);
  return total;
}

interface LaidOut {
  header: string;
  rule: string;
  rows: string[];
  totals: string;
}

/**
 * Full numbers when they fit, else token counts in compact form. The label column is as wide as
 * the labels that must fit in it, up to what the figures leave; a part row's label may run on into
 * the blank cells after it (an inline part has no token figures), and is cut with "…" only where
 * even that is too narrow.
 */
function layOut(header: string[], columns: readonly Column[], rows: readonly TableRow[], totals: TableRow): LaidOut {
  let cells: string[][] = [];
  let widths: number[] = [];
  let labelWidth = 0;
  for (const compact of [false, true]) {
    cells = [...rows, totals].map((row) => columns.map((column) => column.format(row, compact)));
    widths = header.slice(1).map((title, index) => Math.max(title.length, ...cells.map((line) => line[index].length)));
    const figuresWidth = widths.reduce((sum, width) => sum + GAP.length + width, 0);
    const fixed = Math.max(header[0].length, ...[...rows, totals].filter((row) => row.style !== 'part').map((row) => row.label.length));
    const wanted = Math.max(fixed, ...rows.filter((row, index) => row.style === 'part' && cells[index][0] !== '').map((row) => row.label.length));
    labelWidth = Math.max(fixed, Math.min(wanted, MAX_LINE_WIDTH - figuresWidth));
    if (labelWidth + figuresWidth <= MAX_LINE_WIDTH && labelWidth === wanted) break;
  }
  const line = (label: string, figures: readonly string[]) => {
    let room = labelWidth;
    let first = 0;
    while (label.length > room && first < figures.length && figures[first] === '') {
      room += GAP.length + widths[first];
      first += 1;
    }
    const shown = label.length > room ? `${label.slice(0, room - 1)}…` : label;
    return (shown.padEnd(room) + figures.slice(first).map((cell, index) => GAP + cell.padStart(widths[first + index])).join('')).trimEnd();
  };
  const headerLine = line(header[0], header.slice(1));
  return {
    header: headerLine,
    rule: '─'.repeat(labelWidth + widths.reduce((sum, width) => sum + GAP.length + width, 0)),
    rows: rows.map((row, index) => line(row.label, cells[index])),
    totals: line(totals.label, cells[rows.length]),
  };
}

function painter(colour: boolean) {
  const wrap = (on: string, off: string) => (text: string) => (colour ? `\u001b[${on}m${text}\u001b[${off}m` : text);
  return { bold: wrap('1', '22'), dim: wrap('2', '22') };
}

function agentResponses(count: number): string {
  return `${fullCount(count)} ${count === 1 ? 'agent response' : 'agent responses'}`;
}

function fullCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

const COMPACT_UNITS = [
  [1e3, 'K'],
  [1e6, 'M'],
  [1e9, 'B'],
  [1e12, 'T'],
] as const;

/** 9,999, then 12.3K, 123K, 1.23M …: at most 5 characters below 1,000 T. */
function compactCount(value: number): string {
  if (value < 10_000) return fullCount(value);
  let text = fullCount(value);
  for (const [size, unit] of COMPACT_UNITS) {
    const scaled = value / size;
    text = `${scaled.toFixed(scaled < 10 ? 2 : scaled < 100 ? 1 : 0)}${unit}`;
    // 999,950 rounds to 1000K: the next unit says it in fewer characters.
    if (Number(text.slice(0, -1)) < 1000) break;
  }
  return text;
}

function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function share(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '–';
}
