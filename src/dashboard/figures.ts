// Arithmetic over daily rows shared by the cards and every chart family, and the two small
// builders of what the webview draws: a chart series and a sentence whose numbers are figures.
import type { InlineRow, UsageRow } from '../report/rows';
import type { Series } from './protocol';
export { fig, text } from '../report/richText';

export function ratio(numerator: number, denominator: number): number | null {
  return denominator > 0 ? numerator / denominator : null;
}

export function sum<T>(rows: readonly T[], value: (row: T) => number): number {
  let total = 0;
  for (const row of rows) total += value(row);
  return total;
}

export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export function byDate<T extends { date: string }>(rows: readonly T[]): Map<string, T[]> {
  return groupBy(rows, (r) => r.date);
}

function acceptancesOf(row: InlineRow): number {
  return row.acceptances.full + row.acceptances.word + row.acceptances.line;
}

export function tokensOf(row: UsageRow): number {
  // Output already includes reasoning (docs/metrics.md, Agent and chat usage), so reasoning is not added again.
  return row.inputTokens + row.outputTokens + row.cacheReadTokens + row.cacheWriteTokens;
}

export function pricedCost(rows: readonly UsageRow[]): number {
  return sum(rows, (row) => row.costUSD ?? 0);
}

export interface InlineTotals {
  acceptances: number;
  acceptedChars: number;
  acceptedLines: number;
  opportunities: number;
  typedChars: number;
  aiChars: number;
  agentEditsInEditor: number;
  agentCharsInEditor: number;
}

export function inlineTotals(rows: readonly InlineRow[]): InlineTotals {
  return {
    acceptances: sum(rows, acceptancesOf),
    acceptedChars: sum(rows, (r) => r.acceptedChars),
    acceptedLines: sum(rows, (r) => r.acceptedLines),
    opportunities: sum(rows, (r) => r.opportunities),
    typedChars: sum(rows, (r) => r.typedChars),
    aiChars: sum(rows, (r) => r.aiChars),
    agentEditsInEditor: sum(rows, (r) => r.agentEditsInEditor),
    agentCharsInEditor: sum(rows, (r) => r.agentCharsInEditor),
  };
}

export interface RetentionTotals {
  known: number;
  chars: number;
  arc: number;
  unchanged: number;
  mostlyRetained: number;
}

export function retentionAt(rows: readonly InlineRow[], checkpoint: number): RetentionTotals {
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

/** Breakdowns show this many groups; the rest fold into one. */
export const TOP_N = 8;

/**
 * The top `n` keys by `weight`, and the rest folded into one group. The folded group gets its own
 * label, distinct from an allowlist's literal `other`, so the two are never merged by accident.
 */
export function topN(weights: ReadonlyMap<string, number | readonly number[]>, n: number): { keys: string[]; rest: string[] } {
  // A list of weights ranks by the first, then the next on a tie (e.g. spend, then tokens for unpriced models).
  const rank = (w: number | readonly number[]) => (typeof w === 'number' ? [w] : w);
  const byWeight = (a: readonly number[], b: readonly number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) if ((b[i] ?? 0) !== (a[i] ?? 0)) return (b[i] ?? 0) - (a[i] ?? 0);
    return 0;
  };
  const sorted = [...weights.entries()].sort((a, b) => byWeight(rank(a[1]), rank(b[1])) || a[0].localeCompare(b[0])).map(([k]) => k);
  if (sorted.length <= n) return { keys: sorted, rest: [] };
  return { keys: sorted.slice(0, n - 1), rest: sorted.slice(n - 1) };
}

export function restLabel(rest: readonly string[]): string {
  return `${rest.length} others`;
}

export function formatCheckpoint(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

export function series(
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
