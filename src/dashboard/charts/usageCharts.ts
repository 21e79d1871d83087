// Charts of agent and chat usage: API-priced cost and tokens by source and model, that cost over time, and the unpriced models.
import { OTHER } from '../../privacy/allowlists';
import type { UsageRow } from '../../report/rows';
import { EMPTY } from '../emptyStates';
import { groupBy, pricedCost, restLabel, series, sum, tokensOf, topN, TOP_N } from '../figures';
import type { DashboardUsageRow } from '../inputs';
import type { ChartSpec, TableSpec } from '../protocol';

export function usageBreakdown(
  id: string,
  title: string,
  categoryLabel: string,
  usage: readonly DashboardUsageRow[],
  key: (row: UsageRow) => string,
): ChartSpec {
  const groups = groupBy(usage, key);
  // Ranked by the cost the bars draw; tokens break ties, so unpriced models still show, after the priced ones.
  const { keys, rest } = topN(new Map([...groups].map(([k, rows]) => [k, [pricedCost(rows), sum(rows, tokensOf)]])), TOP_N);
  const labels = [...keys, ...(rest.length > 0 ? [restLabel(rest)] : [])];
  const buckets = [...keys.map((k) => groups.get(k) ?? []), ...(rest.length > 0 ? [rest.flatMap((k) => groups.get(k) ?? [])] : [])];
  return {
    id,
    section: 'usage',
    title: `${title}: API-priced cost and tokens`,
    // Not "spend": usage a flat plan covers is at API prices here, as the Spend card leaves it out (docs/metrics.md).
    description: `API-priced token cost (usage a flat plan covers included) and tokens ${title.toLowerCase()}, top ${TOP_N - 1} by cost (then tokens) and the rest together.`,
    horizontal: true,
    categoryLabel,
    labels,
    series: [
      series('API-priced cost', 'bar', buckets.map((rows) => (rows.every((r) => r.costUSD === null) ? null : pricedCost(rows))), { format: 'usd' }),
      series('Tokens', 'bar', buckets.map((rows) => sum(rows, tokensOf)), { tableOnly: true, format: 'tokens' }),
      series('Agent responses', 'bar', buckets.map((rows) => sum(rows, (r) => r.requests)), { tableOnly: true }),
    ],
    axes: { y: { title: 'API-priced cost (USD)', format: 'usd' } },
    empty: usage.length > 0 ? null : EMPTY.usage,
  };
}

export function costOverTime(
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
  // A day with no usage cost $0; a day whose usage has no price at all has no cost to show (docs/metrics.md: an
  // unpriced model is never counted as $0).
  const priced = new Map(seriesKeys.map((k) => [k, days.map((): number | null => null)]));
  const used = new Map(seriesKeys.map((k) => [k, days.map(() => false)]));
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  for (const row of usage) {
    const k = restSet.has(key(row)) ? restLabel(rest) : key(row);
    const i = dayIndex.get(row.date);
    const costs = priced.get(k);
    const usedOn = used.get(k);
    if (i === undefined || !costs || !usedOn) continue;
    usedOn[i] = true;
    if (row.costUSD !== null) costs[i] = (costs[i] ?? 0) + row.costUSD;
  }
  const values = new Map([...priced].map(([k, costs]) => [k, costs.map((cost, i) => cost ?? (used.get(k)?.[i] ? null : 0))]));
  return {
    id,
    section: 'economics',
    title,
    description: `API-priced token cost per day (usage a flat plan covers included), stacked by ${what}.`,
    horizontal: false,
    categoryLabel: 'Date',
    labels: days,
    series: seriesKeys.map((k) => series(k, 'bar', values.get(k) ?? [], { stack: 'cost', format: 'usd' })),
    axes: { y: { title: 'API-priced cost (USD)', format: 'usd' } },
    empty: usage.length > 0 ? null : EMPTY.usage,
  };
}

/**
 * Models whose tokens have no price (bundled snapshot, price file or override), per model and source, most tokens first:
 * what a price file would price, since prices apply when figures are made, to old usage too.
 */
export function unpricedModelsTable(usage: readonly DashboardUsageRow[], unpriced: readonly DashboardUsageRow[]): TableSpec {
  const groups = groupBy(unpriced, (r) => JSON.stringify([r.model, r.source]));
  const rows = [...groups.values()]
    .map((list) => ({ model: list[0].model, source: list[0].source, rows: list, tokens: sum(list, tokensOf) }))
    .sort((a, b) => b.tokens - a.tokens || a.model.localeCompare(b.model) || a.source.localeCompare(b.source));
  const other = rows.some((row) => row.model === OTHER);
  return {
    id: 'unpriced-models',
    section: 'usage',
    title: 'Unpriced models',
    description:
      'Models of this range with no price in the bundled prices, your price file or assay.pricing.overrides: their tokens are counted but not in the spend. ' +
      'Most tokens first. A price file that has them prices their past usage too.' +
      (other ? ` "${OTHER}" holds model names Assay does not keep (fine-tunes, paths, free text) and calls whose tool logs no model (Kimi CLI; some Grok Build, Antigravity and old Goose ones): no price file can price it.` : ''),
    columns: [
      { label: 'Model', format: null },
      { label: 'Source', format: null },
      { label: 'Input', format: 'tokens' },
      { label: 'Output', format: 'tokens' },
      { label: 'Cache read', format: 'tokens' },
      { label: 'Cache write', format: 'tokens' },
      { label: 'Agent responses', format: 'count' },
    ],
    rows: rows.map((row) => [
      row.model,
      row.source,
      sum(row.rows, (r) => r.inputTokens),
      sum(row.rows, (r) => r.outputTokens),
      sum(row.rows, (r) => r.cacheReadTokens),
      sum(row.rows, (r) => r.cacheWriteTokens),
      sum(row.rows, (r) => r.requests),
    ]),
    empty: usage.length === 0 ? EMPTY.usage : rows.length === 0 ? EMPTY.allPriced : null,
    ...(rows.length > 0 ? { action: { label: 'Load price file…', action: 'loadPriceFile' as const } } : {}),
  };
}
