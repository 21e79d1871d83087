// Cost against estimated value, the Jevons view, and the what-if table.
import { dateList, daysInMonth, monthOf } from '../../calendar/dates';
import { agentWork } from '../../money/valueRange';
import type { ModelUsage, WhatIfResult } from '../../pricing/whatIf';
import type { InlineRow } from '../../report/rows';
import { EMPTY } from '../emptyStates';
import { byDate, groupBy, pricedCost, ratio, retentionAt, series, sum, tokensOf } from '../figures';
import { VALUE_CHECKPOINT_SECONDS, type DashboardEconomics, type DashboardUsageRow } from '../inputs';
import type { ChartSpec, TableSpec } from '../protocol';

export function costVsValue(
  days: string[],
  inline: readonly InlineRow[],
  usage: readonly DashboardUsageRow[],
  economics: DashboardEconomics,
): ChartSpec {
  const inlineByDay = byDate(inline);
  const usageByDay = byDate(usage);
  // Tokens a flat plan covers are not spent on top of its seat price (docs/metrics.md, Cost).
  const tokenCost = days.map((d) => pricedCost((usageByDay.get(d) ?? []).filter((r) => !economics.planCoveredSources.has(r.source))));
  const seatCost = days.map((d) => economics.seatCostUSD(d));
  const value = days.map((d, i) => {
    const retention = retentionAt(inlineByDay.get(d) ?? [], VALUE_CHECKPOINT_SECONDS);
    return economics.estimateValue({
      arc600Chars: retention.arc,
      arc600KnownChars: retention.chars,
      acceptedLines: sum(inlineByDay.get(d) ?? [], (r) => r.acceptedLines),
      ...agentWork(usageByDay.get(d) ?? []),
      tokenCostUSD: tokenCost[i],
      seatCostUSD: seatCost[i],
    }).valueUSD;
  });
  const anything = [...tokenCost, ...seatCost, ...value].some((v) => v > 0);
  return {
    id: 'cost-vs-value',
    section: 'economics',
    title: 'Cost and estimated value per day',
    description:
      'Spend per day (seats, and tokens billed by use that no plan covers), stacked, against the estimated value of the time saved (an estimate).',
    horizontal: false,
    categoryLabel: 'Date',
    labels: days,
    series: [
      series('Tokens billed by use', 'bar', tokenCost, { stack: 'cost', format: 'usd' }),
      series('Seat cost', 'bar', seatCost, { stack: 'cost', format: 'usd' }),
      series('Estimated value', 'line', value, { format: 'usd' }),
    ],
    axes: { y: { title: 'USD', format: 'usd' } },
    empty: anything ? null : EMPTY.costValue,
  };
}

/**
 * Per month of the range: average price per 1M tokens, and API-priced cost and tokens per day of the month inside
 * the range, so a month the range covers for 2 days compares fairly with a full one.
 */
export function jevonsChart(from: string, to: string, usage: readonly DashboardUsageRow[]): ChartSpec {
  // One pass over the days: counting each month's days with its own pass over the range took minutes
  // on the extension host for a range of a century.
  const daysByMonth = new Map<string, number>();
  for (const date of dateList(from, to)) {
    const month = monthOf(date);
    daysByMonth.set(month, (daysByMonth.get(month) ?? 0) + 1);
  }
  const months = [...daysByMonth.keys()];
  const daysInRange = [...daysByMonth.values()];
  const partial = months.filter((month, i) => {
    const [year, m] = month.split('-').map(Number);
    return daysInRange[i] < daysInMonth(year, m);
  });
  const byMonth = groupBy(usage, (r) => monthOf(r.date));
  const rows = months.map((m) => byMonth.get(m) ?? []);
  // A month whose usage has no price at all has no cost to show, not $0.
  const spend = rows.map((list) => (list.length > 0 && list.every((r) => r.costUSD === null) ? null : pricedCost(list)));
  const tokens = rows.map((list) => sum(list, tokensOf));
  const pricedTokens = rows.map((list) => sum(list.filter((r) => r.costUSD !== null), tokensOf));
  return {
    id: 'jevons',
    section: 'economics',
    title: 'Price per token against tokens used (Jevons view)',
    description:
      'Per month: average cost per million priced tokens, and cost and tokens per day of the month inside the range. ' +
      'Falling prices with rising daily spend is the Jevons effect.' +
      (partial.length > 0 ? ` Months only partly in the range (averaged over their days in it): ${partial.join(', ')}.` : ''),
    horizontal: false,
    categoryLabel: 'Month',
    labels: months,
    series: [
      series('API-priced cost per day', 'bar', spend.map((s, i) => (s === null ? null : ratio(s, daysInRange[i]))), { format: 'usd' }),
      series('Average $ per 1M tokens', 'line', spend.map((s, i) => (s === null ? null : ratio(s * 1_000_000, pricedTokens[i]))), { axis: 'y1', format: 'usdPerMillion' }),
      series('Tokens per day', 'line', tokens.map((t, i) => ratio(t, daysInRange[i])), { axis: 'y2', format: 'tokens' }),
      series('Days in range', 'bar', daysInRange, { tableOnly: true }),
      series('API-priced cost', 'bar', spend, { tableOnly: true, format: 'usd' }),
      series('Tokens', 'bar', tokens, { tableOnly: true, format: 'tokens' }),
    ],
    axes: {
      y: { title: 'Cost per day (USD)', format: 'usd' },
      y1: { title: '$ per 1M tokens', format: 'usdPerMillion' },
      y2: { title: 'Tokens per day', format: 'tokens' },
    },
    empty: usage.length > 0 ? null : EMPTY.usage,
  };
}

export function whatIfTable(usage: readonly DashboardUsageRow[], economics: DashboardEconomics): TableSpec {
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
      ...[...results].sort(cheapestFirst).map((r): TableSpec['rows'][number] => [
        r.targetModel,
        r.whatIfCostUSD,
        r.whatIfCostUSD === null ? null : r.whatIfCostUSD - r.realCostUSD,
        r.whatIfCostUSD === null ? null : ratio(r.whatIfCostUSD, r.realCostUSD),
      ]),
    ],
    empty: rows.length > 0 ? null : EMPTY.whatIf,
  };
}

/** Cheapest alternative first; models without a price last. */
function cheapestFirst(a: WhatIfResult, b: WhatIfResult): number {
  if (a.whatIfCostUSD === null || b.whatIfCostUSD === null) return (a.whatIfCostUSD === null ? 1 : 0) - (b.whatIfCostUSD === null ? 1 : 0);
  return a.whatIfCostUSD - b.whatIfCostUSD || a.targetModel.localeCompare(b.targetModel);
}
