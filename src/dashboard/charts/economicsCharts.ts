// Cost against estimated value, the Jevons view, and the what-if table.
import { addDays, monthOf } from '../../calendar/dates';
import type { ModelUsage } from '../../pricing/whatIf';
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

export function jevonsChart(from: string, to: string, usage: readonly DashboardUsageRow[]): ChartSpec {
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
