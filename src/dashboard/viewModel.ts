// The dashboard's view model (docs/metrics.md): a pure function from daily rollup rows, prices,
// seats and value settings to exactly what the webview draws. Every figure the dashboard shows
// is computed here, so it is tested here; the webview only formats and draws.
import type { InlineRow, UsageRow } from '../report/rows';
import type { TieredTokenCounts } from '../pricing/types';
import type { ValueEstimate, ValueInputs } from '../pricing/value';
import type { ModelUsage, WhatIfResult } from '../pricing/whatIf';
import { addDays, dateList, localDate, monthOf } from '../calendar/dates';
import type {
  Card,
  ChartSpec,
  Filters,
  ImportSourceStatus,
  RangeSelection,
  Series,
  TableSpec,
  ValueFormula,
  ViewModel,
} from './protocol';

/** A priced usage row, with its tiered tokens when known so it can be priced as another model. */
export interface DashboardUsageRow extends UsageRow {
  tokens?: TieredTokenCounts;
}

/** The parts of the pricing module's value estimate the dashboard shows. */
type DashboardValue = Pick<
  ValueEstimate,
  'valueUSD' | 'minutesSaved' | 'roi' | 'costPerAcceptedLine' | 'costPerRetainedLine' | 'formula' | 'roiFormula'
>;

/** Prices, seats and the value formula, injected so this module stays pure and testable. */
export interface DashboardEconomics {
  /** Seat cost attributed to one local day (monthly seat prices spread over the month's days). */
  seatCostUSD(date: string): number;
  /** The value estimate (docs/metrics.md, Value: src/pricing/value.ts with the user's settings). */
  estimateValue(inputs: ValueInputs): DashboardValue;
  /** Setting keys that change the value estimate. */
  valueSettings: readonly string[];
  /** The same usage priced as other models (src/pricing/whatIf.ts). */
  whatIf(rows: readonly ModelUsage[]): WhatIfResult[];
}

export interface DashboardInput {
  inline: readonly InlineRow[];
  usage: readonly DashboardUsageRow[];
  economics: DashboardEconomics;
  range: RangeSelection;
  filters: Filters;
  timeZone: string;
  now: number;
  checkpoints: readonly number[];
  captureEnabled: boolean;
  /** Ledger lines that failed validation or were torn (docs/ledger.md: reported, never dropped silently). */
  invalidLines?: number;
  /** Caveats found while loading (e.g. seat plans without a price). */
  notices?: readonly string[];
  /** Which agent tools the latest import found, and when each was last read. */
  importSources?: readonly ImportSourceStatus[];
}

/** The checkpoint the value estimate uses (docs/metrics.md, Value). */
const VALUE_CHECKPOINT_SECONDS = 600;
/** Breakdowns show this many groups; the rest fold into one. */
export const TOP_N = 8;

export const EMPTY = {
  inline:
    'No inline suggestions accepted in this range. Assay records an acceptance when you accept ghost text ' +
    '(Tab, or accept word / line) from an assistant such as Copilot; figures appear within seconds.',
  captureOff: 'Capture is off (setting assay.capture.enabled): no inline suggestions are recorded.',
  opportunities:
    'No requests for suggestions recorded in this range. Assay counts each time the editor asks inline ' +
    'suggestion providers for ghost text while you type.',
  retention:
    'No acceptance with a known retention outcome in this range. Assay checks each acceptance 30 s to 15 min ' +
    'later; checkpoints whose document was closed or whose window ended are unknown and not counted.',
  usage:
    'No agent or chat usage in this range. Assay reads Claude Code, Codex, Gemini CLI, Copilot Chat, ' +
    'Cline / Roo / Kilo and Continue logs on this machine; run "Assay: Import Agent Usage Now".',
  costValue:
    'No cost in this range: import agent usage ("Assay: Import Agent Usage Now") or set seat prices in settings.',
  whatIf: 'No imported tokens in this range to price as another model.',
} as const;

// ---- Local dates (rows are already dated in the user's time zone) ----

const PRESET_DAYS = { today: 1, '7d': 7, '30d': 30, '90d': 90 } as const;

export function resolveRange(
  range: RangeSelection,
  now: number,
  timeZone: string,
  dataDates: readonly string[],
): { from: string; to: string } {
  const today = localDate(now, timeZone);
  switch (range.preset) {
    case 'custom': {
      const from = range.from ?? today;
      const to = range.to ?? today;
      return from <= to ? { from, to } : { from: to, to: from };
    }
    case 'all': {
      let from = today;
      let to = today;
      for (const date of dataDates) {
        if (date < from) from = date;
        if (date > to) to = date;
      }
      return { from, to };
    }
    default:
      return { from: addDays(today, 1 - PRESET_DAYS[range.preset]), to: today };
  }
}

// ---- Small arithmetic helpers ----

function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

function acceptancesOf(row: InlineRow): number {
  return row.acceptances.full + row.acceptances.word + row.acceptances.line;
}

function tokensOf(row: UsageRow): number {
  // Output already includes reasoning (docs/metrics.md, Agent and chat usage), so reasoning is not added again.
  return row.inputTokens + row.outputTokens + row.cacheReadTokens + row.cacheWriteTokens;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

function sum<T>(rows: readonly T[], value: (row: T) => number): number {
  let total = 0;
  for (const row of rows) total += value(row);
  return total;
}

function pricedCost(rows: readonly UsageRow[]): number {
  return sum(rows, (row) => row.costUSD ?? 0);
}

interface InlineTotals {
  acceptances: number;
  acceptedChars: number;
  acceptedLines: number;
  opportunities: number;
  typedChars: number;
  aiChars: number;
}

function inlineTotals(rows: readonly InlineRow[]): InlineTotals {
  return {
    acceptances: sum(rows, acceptancesOf),
    acceptedChars: sum(rows, (r) => r.acceptedChars),
    acceptedLines: sum(rows, (r) => r.acceptedLines),
    opportunities: sum(rows, (r) => r.opportunities),
    typedChars: sum(rows, (r) => r.typedChars),
    aiChars: sum(rows, (r) => r.aiChars),
  };
}

interface RetentionTotals {
  known: number;
  chars: number;
  arc: number;
  unchanged: number;
  mostlyRetained: number;
}

function retentionAt(rows: readonly InlineRow[], checkpoint: number): RetentionTotals {
  const totals: RetentionTotals = { known: 0, chars: 0, arc: 0, unchanged: 0, mostlyRetained: 0 };
  for (const row of rows) {
    const cell = row.retention[String(checkpoint)];
    if (!cell) continue;
    totals.known += cell.known;
    totals.chars += cell.chars;
    totals.arc += cell.arc;
    totals.unchanged += cell.unchanged;
    totals.mostlyRetained += cell.mostlyRetained;
  }
  return totals;
}

/**
 * The top `n` keys by `weight`, and the rest folded into one group. The folded group gets its own
 * label, distinct from an allowlist's literal `other`, so the two are never merged by accident.
 */
export function topN(weights: ReadonlyMap<string, number>, n: number): { keys: string[]; rest: string[] } {
  const sorted = [...weights.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
  if (sorted.length <= n) return { keys: sorted, rest: [] };
  return { keys: sorted.slice(0, n - 1), rest: sorted.slice(n - 1) };
}

function restLabel(rest: readonly string[]): string {
  return `${rest.length} others`;
}

function formatCheckpoint(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function series(
  label: string,
  type: Series['type'],
  values: (number | null)[],
  options: Partial<Pick<Series, 'axis' | 'format' | 'stack' | 'tableOnly'>> = {},
): Series {
  return {
    label,
    type,
    values,
    axis: options.axis ?? 'y',
    format: options.format ?? 'count',
    ...(options.stack === undefined ? {} : { stack: options.stack }),
    tableOnly: options.tableOnly ?? false,
  };
}

// ---- The view model ----

export function buildViewModel(input: DashboardInput): ViewModel {
  const { economics, filters, timeZone } = input;
  const dataDates = [...input.inline.map((r) => r.date), ...input.usage.map((r) => r.date)];
  const { from, to } = resolveRange(input.range, input.now, timeZone, dataDates);
  const days = dateList(from, to);
  const inRange = (row: { date: string }) => row.date >= from && row.date <= to;

  const inlineInRange = input.inline.filter(inRange);
  const usageInRange = input.usage.filter(inRange);
  const inline = inlineInRange.filter(
    (r) =>
      (filters.languageId === null || r.languageId === filters.languageId) &&
      (filters.provider === null || r.provider === filters.provider),
  );
  const usage = usageInRange.filter((r) => filters.source === null || r.source === filters.source);

  const checkpoints = [
    ...new Set([
      ...input.checkpoints,
      ...input.inline.flatMap((r) => Object.keys(r.retention).map(Number)).filter((n) => Number.isInteger(n) && n > 0),
    ]),
  ].sort((a, b) => a - b);

  const totals = inlineTotals(inline);
  const retention600 = retentionAt(inline, VALUE_CHECKPOINT_SECONDS);
  const responses = sum(usage, (r) => r.requests);
  const tokenCost = pricedCost(usage);
  const seatCost = sum(days, (d) => economics.seatCostUSD(d));
  const totalCost = tokenCost + seatCost;
  // A row with no tokens logged at all has no cost either, but its model is not unpriced.
  const unpriced = usage.filter((r) => r.costUSD === null && r.requestsWithoutTokens < r.requests);
  const unpricedRequests = sum(unpriced, (r) => r.requests);
  const value = economics.estimateValue({
    arc600Chars: retention600.arc,
    arc600KnownChars: retention600.chars,
    acceptedLines: totals.acceptedLines,
    responses,
    tokenCostUSD: tokenCost,
    seatCostUSD: seatCost,
    unpricedRequests,
  });
  const unpricedModels = [...new Set(unpriced.map((r) => r.model))].sort();

  const inlineEmpty = input.captureEnabled ? EMPTY.inline : EMPTY.captureOff;
  const hasInline = totals.acceptances > 0 || totals.typedChars > 0 || totals.aiChars > 0;

  const cards = buildCards({
    totals,
    retention600,
    usage,
    unpricedRequests,
    tokenCost,
    seatCost,
    totalCost,
    value,
    inlineEmpty,
  });

  const notices: string[] = [...(input.notices ?? [])];
  if (unpricedModels.length > 0) {
    notices.push(
      `No price for ${unpricedModels.join(', ')}: their tokens are counted but not in the spend. ` +
        'Add a price in settings (assay.pricing.overrides).',
    );
  }
  if (filters.languageId !== null || filters.provider !== null) {
    notices.push('Language and provider filters apply to inline suggestions; agent usage has neither.');
  }
  if (filters.source !== null) {
    notices.push('The source filter applies to agent and chat usage; inline figures are not narrowed by it.');
  }
  const withoutTokens = sum(usage, (r) => r.requestsWithoutTokens);
  if (withoutTokens > 0) {
    notices.push(
      `${withoutTokens.toLocaleString('en-US')} responses were logged without token counts (some Copilot Chat versions): ` +
        'token totals and spend are lower bounds.',
    );
  }
  if (input.invalidLines && input.invalidLines > 0) {
    notices.push(`${input.invalidLines} ledger lines could not be read (torn or invalid) and are not counted.`);
  }

  const charts: ChartSpec[] = [
    dailyCharsChart(days, inline, hasInline ? null : inlineEmpty),
    acceptanceChart(days, inline, totals.opportunities > 0 ? null : input.captureEnabled ? EMPTY.opportunities : EMPTY.captureOff),
    retentionChart(checkpoints, inline),
    inlineBreakdown('by-language', 'By language', 'Language', inline, (r) => r.languageId, hasInline ? null : inlineEmpty),
    inlineBreakdown('by-provider', 'By provider', 'Provider', inline, (r) => r.provider, hasInline ? null : inlineEmpty),
    usageBreakdown('by-source', 'By source', 'Source', usage, (r) => r.source),
    usageBreakdown('by-model', 'By model', 'Model', usage, (r) => r.model),
    costOverTime('cost-by-source', 'Cost over time by source', 'source', days, usage, (r) => r.source),
    costOverTime('cost-by-model', 'Cost over time by model', 'model', days, usage, (r) => r.model),
    costVsValue(days, inline, usage, economics),
    jevonsChart(from, to, usage),
  ];

  const valueFormula: ValueFormula = {
    formula: value.formula,
    roiFormula: value.roiFormula,
    terms: [
      { label: `Accepted and retained characters at ${formatCheckpoint(VALUE_CHECKPOINT_SECONDS)} (known)`, value: retention600.arc, format: 'chars' },
      { label: 'Agent and chat responses', value: responses, format: 'count' },
      { label: 'Minutes saved (estimate)', value: value.minutesSaved, format: 'minutes' },
      { label: 'Value (estimate)', value: value.valueUSD, format: 'usd' },
    ],
    settings: [...economics.valueSettings],
  };

  return {
    generatedAt: input.now,
    timeZone,
    range: { preset: input.range.preset, from, to, days: days.length },
    filters,
    filterOptions: {
      languages: distinct(inlineInRange.map((r) => r.languageId)),
      providers: distinct(inlineInRange.map((r) => r.provider)),
      sources: distinct(usageInRange.map((r) => r.source)),
    },
    cards,
    valueFormula,
    charts,
    tables: [whatIfTable(usage, economics)],
    notices,
    importSources: [...(input.importSources ?? [])],
  };
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function buildCards(f: {
  totals: InlineTotals;
  retention600: RetentionTotals;
  usage: readonly DashboardUsageRow[];
  unpricedRequests: number;
  tokenCost: number;
  seatCost: number;
  totalCost: number;
  value: DashboardValue;
  inlineEmpty: string;
}): Card[] {
  const { totals, retention600 } = f;
  const noInline = totals.acceptances === 0;
  const tokens = sum(f.usage, tokensOf);
  const responses = sum(f.usage, (r) => r.requests);
  const { roi } = f.value;
  const card = (c: Omit<Card, 'estimate'> & { estimate?: boolean }): Card => ({ estimate: false, ...c });
  return [
    card({
      id: 'accepted',
      label: 'Accepted suggestions',
      value: totals.acceptances,
      format: 'count',
      detail: noInline ? f.inlineEmpty : `${totals.acceptedChars.toLocaleString('en-US')} characters accepted`,
    }),
    card({
      id: 'lines',
      label: 'Accepted lines',
      value: totals.acceptedLines,
      format: 'count',
      detail: 'Non-blank lines; a chain of partial accepts counts each line once',
    }),
    card({
      id: 'acceptance-rate',
      label: 'Acceptance per request',
      value: ratio(totals.acceptances, totals.opportunities),
      format: 'percent',
      detail:
        totals.opportunities > 0
          ? `${totals.acceptances.toLocaleString('en-US')} accepted of ${totals.opportunities.toLocaleString('en-US')} requests for a suggestion`
          : 'No requests for suggestions recorded',
    }),
    card({
      id: 'ai-share',
      label: 'AI share of characters',
      value: ratio(totals.aiChars, totals.aiChars + totals.typedChars),
      format: 'percent',
      detail: `${totals.aiChars.toLocaleString('en-US')} AI, ${totals.typedChars.toLocaleString('en-US')} typed`,
    }),
    card({
      id: 'retention',
      label: `Retained at ${formatCheckpoint(VALUE_CHECKPOINT_SECONDS)}`,
      value: ratio(retention600.arc, retention600.chars),
      format: 'percent',
      detail:
        retention600.known > 0
          ? `Characters still present, of ${retention600.known.toLocaleString('en-US')} acceptances with a known outcome`
          : 'No acceptance with a known outcome yet',
    }),
    card({
      id: 'token-spend',
      label: 'Token spend',
      value: f.tokenCost,
      format: 'usd',
      detail:
        f.usage.length === 0
          ? 'No agent or chat usage imported in this range'
          : `${formatCompact(tokens)} tokens in ${responses.toLocaleString('en-US')} responses` +
            (f.unpricedRequests > 0 ? `; ${f.unpricedRequests.toLocaleString('en-US')} unpriced` : ''),
    }),
    card({
      id: 'total-cost',
      label: 'Total cost',
      value: f.totalCost,
      format: 'usd',
      detail: `Tokens ${formatUsd(f.tokenCost)} + seats ${formatUsd(f.seatCost)}`,
    }),
    card({
      id: 'cost-per-line',
      label: 'Cost per accepted line',
      value: f.value.costPerAcceptedLine,
      format: 'usd',
      detail:
        f.value.costPerRetainedLine !== null
          ? `${formatUsd(f.value.costPerRetainedLine)} per retained line (estimate)`
          : totals.acceptedLines > 0
            ? 'Total cost ÷ accepted lines'
            : 'No accepted lines in this range',
    }),
    card({
      id: 'value',
      label: 'Estimated value',
      value: f.value.valueUSD,
      format: 'usd',
      estimate: true,
      detail: roi === null ? 'Estimate; no cost to compare with' : `Estimate; ${roi.toFixed(1)}× the total cost`,
    }),
  ];
}

// Only card details are formatted here (they are sentences); figures are formatted by the webview.
function formatUsd(value: number): string {
  return `$${value.toFixed(2)}`;
}

function formatCompact(value: number): string {
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

function byDate<T extends { date: string }>(rows: readonly T[]): Map<string, T[]> {
  return groupBy(rows, (r) => r.date);
}

function dailyCharsChart(days: string[], inline: readonly InlineRow[], empty: string | null): ChartSpec {
  const perDay = byDate(inline);
  const totalsOf = (d: string) => inlineTotals(perDay.get(d) ?? []);
  const daily = days.map(totalsOf);
  return {
    id: 'daily-chars',
    section: 'inline',
    title: 'AI and typed characters per day',
    description: 'Characters from accepted suggestions and typed characters per day, stacked, with the AI share.',
    horizontal: false,
    categoryLabel: 'Date',
    labels: days,
    series: [
      series('AI (accepted) characters', 'bar', daily.map((t) => t.aiChars), { stack: 'chars', format: 'chars' }),
      series('Typed characters', 'bar', daily.map((t) => t.typedChars), { stack: 'chars', format: 'chars' }),
      series('AI share', 'line', daily.map((t) => ratio(t.aiChars, t.aiChars + t.typedChars)), { axis: 'y1', format: 'percent' }),
      series('Accepted lines', 'line', daily.map((t) => t.acceptedLines), { tableOnly: true }),
    ],
    axes: { y: { title: 'Characters', format: 'chars' }, y1: { title: 'AI share', format: 'percent' } },
    empty,
  };
}

function acceptanceChart(days: string[], inline: readonly InlineRow[], empty: string | null): ChartSpec {
  const perDay = byDate(inline);
  const daily = days.map((d) => inlineTotals(perDay.get(d) ?? []));
  return {
    id: 'acceptance-rate',
    section: 'inline',
    title: 'Acceptance rate per request',
    description: 'Requests for a suggestion per day, and the share of them that ended in an acceptance.',
    horizontal: false,
    categoryLabel: 'Date',
    labels: days,
    series: [
      series('Requests for a suggestion', 'bar', daily.map((t) => t.opportunities)),
      // Acceptances are a few per hundred requests: as bars beside requests they would not show.
      series('Acceptances', 'bar', daily.map((t) => t.acceptances), { tableOnly: true }),
      series('Acceptance rate', 'line', daily.map((t) => ratio(t.acceptances, t.opportunities)), { axis: 'y1', format: 'percent' }),
    ],
    axes: { y: { title: 'Count', format: 'count' }, y1: { title: 'Rate', format: 'percent' } },
    empty,
  };
}

function retentionChart(checkpoints: readonly number[], inline: readonly InlineRow[]): ChartSpec {
  const cells = checkpoints.map((cp) => retentionAt(inline, cp));
  const anyKnown = cells.some((c) => c.known > 0);
  return {
    id: 'retention',
    section: 'inline',
    title: 'Retention after acceptance',
    description:
      'Share of accepted characters still present (ARC), and of acceptances unchanged or mostly retained (≥ 67 %), ' +
      'at each checkpoint; acceptances whose outcome is unknown are left out.',
    horizontal: false,
    categoryLabel: 'Checkpoint',
    labels: checkpoints.map(formatCheckpoint),
    series: [
      series('Characters retained (ARC)', 'line', cells.map((c) => ratio(c.arc, c.chars)), { format: 'percent' }),
      series('Mostly retained acceptances', 'line', cells.map((c) => ratio(c.mostlyRetained, c.known)), { format: 'percent' }),
      series('Unchanged acceptances', 'line', cells.map((c) => ratio(c.unchanged, c.known)), { format: 'percent' }),
      series('Acceptances with a known outcome', 'bar', cells.map((c) => c.known), { tableOnly: true }),
    ],
    axes: { y: { title: 'Share', format: 'percent' } },
    empty: anyKnown ? null : EMPTY.retention,
  };
}

function inlineBreakdown(
  id: string,
  title: string,
  categoryLabel: string,
  inline: readonly InlineRow[],
  key: (row: InlineRow) => string,
  empty: string | null,
): ChartSpec {
  const groups = groupBy(inline, key);
  const { keys, rest } = topN(new Map([...groups].map(([k, rows]) => [k, sum(rows, (r) => r.acceptedChars)])), TOP_N);
  const buckets = [...keys.map((k) => groups.get(k) ?? []), rest.flatMap((k) => groups.get(k) ?? [])];
  const labels = [...keys, ...(rest.length > 0 ? [restLabel(rest)] : [])];
  const totals = buckets.slice(0, labels.length).map(inlineTotals);
  return {
    id,
    section: 'inline',
    title: `${title}: accepted characters`,
    description: `Accepted characters ${title.toLowerCase()}, top ${TOP_N - 1} and the rest together.`,
    horizontal: true,
    categoryLabel,
    labels,
    series: [
      series('Accepted characters', 'bar', totals.map((t) => t.acceptedChars), { format: 'chars' }),
      series('Acceptances', 'bar', totals.map((t) => t.acceptances), { tableOnly: true }),
      series('Acceptance rate', 'bar', totals.map((t) => ratio(t.acceptances, t.opportunities)), { tableOnly: true, format: 'percent' }),
      series('AI share', 'bar', totals.map((t) => ratio(t.aiChars, t.aiChars + t.typedChars)), { tableOnly: true, format: 'percent' }),
    ],
    axes: { y: { title: 'Accepted characters', format: 'chars' } },
    empty,
  };
}

function usageBreakdown(
  id: string,
  title: string,
  categoryLabel: string,
  usage: readonly DashboardUsageRow[],
  key: (row: UsageRow) => string,
): ChartSpec {
  const groups = groupBy(usage, key);
  // Ranked by tokens, not cost, so unpriced models still show.
  const { keys, rest } = topN(new Map([...groups].map(([k, rows]) => [k, sum(rows, tokensOf)])), TOP_N);
  const labels = [...keys, ...(rest.length > 0 ? [restLabel(rest)] : [])];
  const buckets = [...keys.map((k) => groups.get(k) ?? []), ...(rest.length > 0 ? [rest.flatMap((k) => groups.get(k) ?? [])] : [])];
  return {
    id,
    section: 'usage',
    title: `${title}: spend and tokens`,
    description: `Token spend and tokens ${title.toLowerCase()}, top ${TOP_N - 1} by tokens and the rest together.`,
    horizontal: true,
    categoryLabel,
    labels,
    series: [
      series('Spend', 'bar', buckets.map((rows) => (rows.every((r) => r.costUSD === null) ? null : pricedCost(rows))), { format: 'usd' }),
      series('Tokens', 'bar', buckets.map((rows) => sum(rows, tokensOf)), { tableOnly: true, format: 'tokens' }),
      series('Responses', 'bar', buckets.map((rows) => sum(rows, (r) => r.requests)), { tableOnly: true }),
    ],
    axes: { y: { title: 'Spend (USD)', format: 'usd' } },
    empty: usage.length > 0 ? null : EMPTY.usage,
  };
}

function costOverTime(
  id: string,
  title: string,
  what: string,
  days: string[],
  usage: readonly DashboardUsageRow[],
  key: (row: UsageRow) => string,
): ChartSpec {
  const groups = groupBy(usage, key);
  const { keys, rest } = topN(new Map([...groups].map(([k, rows]) => [k, pricedCost(rows)])), TOP_N);
  const restSet = new Set(rest);
  const seriesKeys = [...keys, ...(rest.length > 0 ? [restLabel(rest)] : [])];
  const values = new Map(seriesKeys.map((k) => [k, days.map(() => 0)]));
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  for (const row of usage) {
    const k = restSet.has(key(row)) ? restLabel(rest) : key(row);
    const i = dayIndex.get(row.date);
    const list = values.get(k);
    if (i !== undefined && list) list[i] += row.costUSD ?? 0;
  }
  return {
    id,
    section: 'economics',
    title,
    description: `Priced token spend per day, stacked by ${what}.`,
    horizontal: false,
    categoryLabel: 'Date',
    labels: days,
    series: seriesKeys.map((k) => series(k, 'bar', values.get(k) ?? [], { stack: 'cost', format: 'usd' })),
    axes: { y: { title: 'Spend (USD)', format: 'usd' } },
    empty: usage.length > 0 ? null : EMPTY.usage,
  };
}

function costVsValue(
  days: string[],
  inline: readonly InlineRow[],
  usage: readonly DashboardUsageRow[],
  economics: DashboardEconomics,
): ChartSpec {
  const inlineByDay = byDate(inline);
  const usageByDay = byDate(usage);
  const tokenCost = days.map((d) => pricedCost(usageByDay.get(d) ?? []));
  const seatCost = days.map((d) => economics.seatCostUSD(d));
  const value = days.map((d, i) => {
    const retention = retentionAt(inlineByDay.get(d) ?? [], VALUE_CHECKPOINT_SECONDS);
    return economics.estimateValue({
      arc600Chars: retention.arc,
      arc600KnownChars: retention.chars,
      acceptedLines: sum(inlineByDay.get(d) ?? [], (r) => r.acceptedLines),
      responses: sum(usageByDay.get(d) ?? [], (r) => r.requests),
      tokenCostUSD: tokenCost[i],
      seatCostUSD: seatCost[i],
    }).valueUSD;
  });
  const anything = [...tokenCost, ...seatCost, ...value].some((v) => v > 0);
  return {
    id: 'cost-vs-value',
    section: 'economics',
    title: 'Cost and estimated value per day',
    description: 'Token and seat cost per day, stacked, against the estimated value of the time saved (an estimate).',
    horizontal: false,
    categoryLabel: 'Date',
    labels: days,
    series: [
      series('Token cost', 'bar', tokenCost, { stack: 'cost', format: 'usd' }),
      series('Seat cost', 'bar', seatCost, { stack: 'cost', format: 'usd' }),
      series('Estimated value', 'line', value, { format: 'usd' }),
    ],
    axes: { y: { title: 'USD', format: 'usd' } },
    empty: anything ? null : EMPTY.costValue,
  };
}

function jevonsChart(from: string, to: string, usage: readonly DashboardUsageRow[]): ChartSpec {
  const months: string[] = [];
  for (let month = monthOf(from); month <= monthOf(to); month = monthOf(addDays(`${month}-28`, 7))) {
    months.push(month);
  }
  const byMonth = groupBy(usage, (r) => monthOf(r.date));
  const rows = months.map((m) => byMonth.get(m) ?? []);
  const spend = rows.map(pricedCost);
  const pricedTokens = rows.map((list) => sum(list.filter((r) => r.costUSD !== null), tokensOf));
  return {
    id: 'jevons',
    section: 'economics',
    title: 'Price per token against tokens used (Jevons view)',
    description:
      'Per month: average spend per million priced tokens, tokens used and total spend. Falling prices with rising spend is the Jevons effect.',
    horizontal: false,
    categoryLabel: 'Month',
    labels: months,
    series: [
      series('Spend', 'bar', spend, { format: 'usd' }),
      series('Average $ per 1M tokens', 'line', spend.map((s, i) => ratio(s * 1_000_000, pricedTokens[i])), { axis: 'y1', format: 'usdPerMillion' }),
      series('Tokens', 'line', rows.map((list) => sum(list, tokensOf)), { axis: 'y2', format: 'tokens' }),
    ],
    axes: {
      y: { title: 'Spend (USD)', format: 'usd' },
      y1: { title: '$ per 1M tokens', format: 'usdPerMillion' },
      y2: { title: 'Tokens', format: 'tokens' },
    },
    empty: usage.length > 0 ? null : EMPTY.usage,
  };
}

function whatIfTable(usage: readonly DashboardUsageRow[], economics: DashboardEconomics): TableSpec {
  const rows: ModelUsage[] = usage.flatMap((r) => (r.tokens ? [{ model: r.model, tokens: r.tokens }] : []));
  const results = rows.length > 0 ? economics.whatIf(rows) : [];
  const actual = results[0]?.realCostUSD ?? pricedCost(usage);
  const unpricedRows = results[0]?.unpricedRows ?? 0;
  return {
    id: 'what-if',
    section: 'economics',
    title: 'What if the same tokens had gone to another model',
    description:
      'The tokens of this range priced as each model, beside the real cost' +
      (unpricedRows > 0 ? ` (${unpricedRows} rows on unpriced models are left out of both).` : '.'),
    columns: [
      { label: 'Model', format: null },
      { label: 'Cost', format: 'usd' },
      { label: 'Difference', format: 'usd' },
      { label: 'Share of real cost', format: 'percent' },
    ],
    rows: [
      ['As used (models as logged)', actual, 0, null],
      ...results.map((r): TableSpec['rows'][number] => [
        r.targetModel,
        r.whatIfCostUSD,
        r.whatIfCostUSD === null ? null : r.whatIfCostUSD - r.realCostUSD,
        r.whatIfCostUSD === null ? null : ratio(r.whatIfCostUSD, r.realCostUSD),
      ]),
    ],
    empty: rows.length > 0 ? null : EMPTY.whatIf,
  };
}
