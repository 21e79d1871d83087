// The dashboard's view model (docs/metrics.md): a pure function from daily rollup rows, prices,
// seats and value settings to exactly what the webview draws. Every figure the dashboard shows
// is computed in this folder, so it is tested here; the webview only formats and draws.
// This file picks the range and filters and assembles the parts: cards (cards.ts), the value
// formula (valueFormula.ts) and one module per chart family (charts/).
import { dateList } from '../calendar/dates';
import { agentWork } from '../money/valueRange';
import { buildCards, valueSplit } from './cards';
import { agentByModel, agentLinesPerDay, agentRetentionChart } from './charts/agentCharts';
import { costVsValue, jevonsChart, whatIfTable } from './charts/economicsCharts';
import { buildMoneySections, withValueRange, withValueRangeFormula } from './charts/moneyCharts';
import { acceptanceChart, dailyCharsChart, inlineBreakdown, retentionChart } from './charts/inlineCharts';
import { costOverTime, unpricedModelsTable, usageBreakdown } from './charts/usageCharts';
import { EMPTY } from './emptyStates';
import { fig, inlineTotals, pricedCost, retentionAt, sum, text, tokensOf } from './figures';
import { VALUE_CHECKPOINT_SECONDS, type DashboardInput, type DashboardUsageRow } from './inputs';
import type { ChartSpec, RichText, ViewModel } from './protocol';
import { resolveRange } from './range';
import { buildValueFormula } from './valueFormula';

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
  const tokenCost = pricedCost(usage);
  const planCoveredTokenCost = pricedCost(usage.filter((r) => economics.planCoveredSources.has(r.source)));
  const seatCost = sum(days, (d) => economics.seatCostUSD(d));
  const inlineSeatCost = sum(days, (d) => economics.inlineSeatCostUSD(d));
  // Spend is what was paid: seats, and tokens billed by use that no flat plan covers.
  const spend = seatCost + tokenCost - planCoveredTokenCost;
  // A row with no tokens logged at all has no cost either, but its model is not unpriced.
  const unpriced = usage.filter((r) => r.costUSD === null && r.requestsWithoutTokens < r.requests);
  const unpricedRequests = sum(unpriced, (r) => r.requests);
  const unpricedTokens = sum(unpriced, tokensOf);
  // Tokens a flat plan covers are not spend whether priced or not: only the rest would have added to it.
  const unpricedBilledTokens = sum(unpriced.filter((r) => !economics.planCoveredSources.has(r.source)), tokensOf);
  // Agent work counts by its lines kept a day later where that was measured, by responses elsewhere.
  const work = agentWork(usage);
  const value = economics.estimateValue({
    arc600Chars: retention600.arc,
    arc600KnownChars: retention600.chars,
    acceptedLines: totals.acceptedLines,
    ...work,
    tokenCostUSD: tokenCost - planCoveredTokenCost,
    seatCostUSD: seatCost,
    unpricedRequests,
  });

  const inlineEmpty = input.captureEnabled ? EMPTY.inline : EMPTY.captureOff;
  const hasInline = totals.acceptances > 0 || totals.typedChars > 0 || totals.aiChars > 0;

  const charts: ChartSpec[] = [
    dailyCharsChart(days, inline, hasInline || totals.agentCharsInEditor > 0 ? null : inlineEmpty),
    acceptanceChart(days, inline, totals.opportunities > 0 ? null : input.captureEnabled ? EMPTY.opportunities : EMPTY.captureOff),
    retentionChart(checkpoints, inline),
    inlineBreakdown('by-language', 'By language', 'Language', inline, (r) => r.languageId, hasInline ? null : inlineEmpty),
    inlineBreakdown('by-provider', 'By provider', 'Provider', inline, (r) => r.provider, hasInline ? null : inlineEmpty),
    usageBreakdown('by-source', 'By source', 'Source', usage, (r) => r.source),
    usageBreakdown('by-model', 'By model', 'Model', usage, (r) => r.model),
    agentLinesPerDay(days, usage),
    agentRetentionChart(usage),
    agentByModel(usage),
    costOverTime('cost-by-source', 'Cost over time by source', 'source', days, usage, (r) => r.source),
    costOverTime('cost-by-model', 'Cost over time by model', 'model', days, usage, (r) => r.model),
    costVsValue(days, inline, usage, economics),
    jevonsChart(from, to, usage),
  ];

  const filterHid = { inline: inline.length === 0 && inlineInRange.length > 0, usage: usage.length === 0 && usageInRange.length > 0 };

  const money = input.money
    ? buildMoneySections({ money: input.money, economics, inline: input.inline, usage: input.usage, usageInRange: usage, from, to, now: input.now, timeZone, arc600Chars: retention600.arc, spendUSD: spend })
    : undefined;

  return {
    generatedAt: input.now,
    locale: input.locale,
    timeZone,
    range: { preset: input.range.preset, from, to, days: days.length },
    filters,
    filterOptions: {
      languages: distinct(inlineInRange.map((r) => r.languageId)),
      providers: distinct(inlineInRange.map((r) => r.provider)),
      sources: distinct(usageInRange.map((r) => r.source)),
    },
    cards: withValueRange(money, buildCards({
      totals,
      retention600,
      usage,
      unpricedRequests,
      unpricedTokens,
      unpricedBilledTokens,
      tokenCost,
      planCoveredTokenCost,
      seatCost,
      inlineSeatCost,
      spend,
      value,
      work,
      valueSettings: economics.valueSettings,
      inlineEmpty,
    }), valueSplit({ value, work, valueSettings: economics.valueSettings })),
    valueFormula: withValueRangeFormula(money, buildValueFormula(
      { retention600, work, billedTokenCost: tokenCost - planCoveredTokenCost, seatCost, unpricedRequests, value },
      economics,
    ), spend),
    charts: [...withFilterNotes(charts, filterHid), ...(money?.charts ?? [])],
    tables: [...withFilterNotes([whatIfTable(usage, economics), unpricedModelsTable(usage, unpriced)], filterHid), ...(money?.tables ?? [])],
    lists: money?.lists ?? [],
    notices: [...notices(input, usage, unpriced), ...(money?.notices ?? [])],
    importSources: input.importSources.map((status) => ({ ...status, folders: [...status.folders] })),
  };
}

/** Sections whose figures come from agent and chat usage, which the source filter narrows. */
const USAGE_SECTIONS = new Set(['usage', 'agentOutput', 'economics']);

/**
 * The chart families say why a chart is empty as if no filter applied. Where the filters hid every row of the range,
 * the note says so instead: the page then offers to clear the filters, not to import what is already there.
 */
function withFilterNotes<T extends { section: string; empty: string | null }>(specs: T[], hid: { inline: boolean; usage: boolean }): T[] {
  return specs.map((spec) => {
    if (spec.empty === null) return spec;
    if (spec.section === 'inline' && hid.inline) return { ...spec, empty: EMPTY.inlineFiltered };
    if (USAGE_SECTIONS.has(spec.section) && hid.usage) return { ...spec, empty: EMPTY.usageFiltered };
    return spec;
  });
}

function notices(input: DashboardInput, usage: readonly DashboardUsageRow[], unpriced: readonly DashboardUsageRow[]): RichText[] {
  const { filters } = input;
  const list: RichText[] = (input.notices ?? []).map((notice) => [notice]);
  const unpricedModels = distinct(unpriced.map((r) => r.model));
  if (unpricedModels.length > 0) {
    list.push([
      `No price for ${unpricedModels.join(', ')}: their tokens are counted but not in the spend. ` +
        'Load a price file (Unpriced models, under Agent and chat usage) or add a price in assay.pricing.overrides.',
    ]);
  }
  if (filters.languageId !== null || filters.provider !== null) {
    list.push(['Language and provider filters apply to inline suggestions; agent usage has neither.']);
  }
  if (filters.source !== null) {
    list.push(['The source filter applies to agent and chat usage; inline figures are not narrowed by it.']);
  }
  const withoutTokens = sum(usage, (r) => r.requestsWithoutTokens);
  if (withoutTokens > 0) {
    list.push(
      text`${fig(withoutTokens, 'count')} responses were logged without token counts (Crush, Kiro, some Copilot Chat versions): token totals and spend are lower bounds.`,
    );
  }
  if (input.invalidLines && input.invalidLines > 0) {
    list.push(text`${fig(input.invalidLines, 'count')} ledger lines could not be read (torn or invalid) and are not counted.`);
  }
  return list;
}

function distinct(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}
