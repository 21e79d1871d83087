// The dashboard's "Export figures…" for finance: the chosen range's cost figures per day and per month, per tool,
// model and plan, as CSV (RFC 4180, CRLF) or JSON. Column names are the report JSON's field names
// (docs/report-json.md, as `assay report --csv` uses them) plus `period`, `plan` and `seats`; only ever added to.
// A plan is named only by a known plan id (src/pricing/seats.ts): a plan the user named themselves is `other`.
import * as z from 'zod';
import { monthOf } from '../calendar/dates';
import { sourcesOfPlan } from '../money/subscriptions';
import { SEAT_PLANS, seatCostForDay, type ResolvedSeat } from '../pricing/seats';
import { csvCell } from '../report/csv';
import type { UsageRow } from '../report/rows';

const KNOWN_PLANS = new Set(SEAT_PLANS.map((plan) => plan.id));

const FinanceRow = z.object({
  period: z.enum(['day', 'month']),
  /** YYYY-MM-DD for a day, YYYY-MM for a month (local dates). */
  date: z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/),
  /** `usage`: agent and chat tokens at API list prices; `seat`: a plan's price spread over its days. */
  kind: z.enum(['usage', 'seat']),
  source: z.string().max(64),
  model: z.string().max(128),
  /** The plans covering this usage, `+`-joined (empty: billed by use), or the seat's plan. */
  plan: z.string().max(512),
  seats: z.number().int().nonnegative(),
  inputTokens: z.number().nonnegative(),
  outputTokens: z.number().nonnegative(),
  reasoningTokens: z.number().nonnegative(),
  cacheReadTokens: z.number().nonnegative(),
  cacheWriteTokens: z.number().nonnegative(),
  requests: z.number().nonnegative(),
  requestsWithoutTokens: z.number().nonnegative(),
  /** Null when the model has no price. */
  costUSD: z.number().nonnegative().nullable(),
});
type FinanceRow = z.infer<typeof FinanceRow>;

export const FinanceExport = z.object({
  from: z.string(),
  to: z.string(),
  timeZone: z.string(),
  rows: z.array(FinanceRow),
});
export type FinanceExport = z.infer<typeof FinanceExport>;

const COLUMNS = [
  'period', 'date', 'kind', 'source', 'model', 'plan', 'seats',
  'inputTokens', 'outputTokens', 'reasoningTokens', 'cacheReadTokens', 'cacheWriteTokens', 'requests', 'requestsWithoutTokens', 'costUSD',
] as const satisfies ReadonlyArray<keyof FinanceRow>;

function planName(plan: string): string {
  return KNOWN_PLANS.has(plan) ? plan : 'other';
}

const ZERO_USAGE = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, requests: 0, requestsWithoutTokens: 0 };

/** Daily rows, then monthly rows, of the priced usage rows and seats in [from, to]. */
export function financeExport(usage: readonly UsageRow[], seats: readonly ResolvedSeat[], days: readonly string[], timeZone: string): FinanceExport {
  const from = days[0] ?? '';
  const to = days[days.length - 1] ?? '';
  const plansOf = (source: string) =>
    [...new Set(seats.filter((seat) => (sourcesOfPlan(seat.plan) as readonly string[]).includes(source)).map((seat) => planName(seat.plan)))].sort().join('+');
  const daily: FinanceRow[] = [];
  for (const row of usage) {
    if (row.date < from || row.date > to) continue;
    daily.push({
      period: 'day', date: row.date, kind: 'usage', source: row.source, model: row.model, plan: plansOf(row.source), seats: 0,
      inputTokens: row.inputTokens, outputTokens: row.outputTokens, reasoningTokens: row.reasoningTokens,
      cacheReadTokens: row.cacheReadTokens, cacheWriteTokens: row.cacheWriteTokens, requests: row.requests,
      requestsWithoutTokens: row.requestsWithoutTokens, costUSD: row.costUSD,
    });
  }
  for (const date of days) {
    for (const seat of seats) {
      daily.push({ period: 'day', date, kind: 'seat', source: '', model: '', plan: planName(seat.plan), seats: seat.count, ...ZERO_USAGE, costUSD: seatCostForDay(date, [seat]) });
    }
  }
  daily.sort((a, b) => a.date.localeCompare(b.date) || a.kind.localeCompare(b.kind) || a.source.localeCompare(b.source) || a.model.localeCompare(b.model) || a.plan.localeCompare(b.plan));
  const monthly = new Map<string, FinanceRow>();
  /** Per monthly seat row, the seats of each of its days: two entries of one plan are both that day's seats. */
  const seatsByDay = new Map<FinanceRow, Map<string, number>>();
  for (const row of daily) {
    const month = monthOf(row.date);
    const key = [month, row.kind, row.source, row.model, row.plan].join('\u0000');
    let entry = monthly.get(key);
    if (!entry) {
      entry = { ...row, period: 'month', date: month };
      monthly.set(key, entry);
    } else {
      for (const field of ['inputTokens', 'outputTokens', 'reasoningTokens', 'cacheReadTokens', 'cacheWriteTokens', 'requests', 'requestsWithoutTokens'] as const) entry[field] += row[field];
      // As the report's totals: a day without a price or tokens leaves the month's known cost, a lower bound beside its
      // requests without tokens; only a month of such days has none.
      entry.costUSD = entry.costUSD === null ? row.costUSD : row.costUSD === null ? entry.costUSD : entry.costUSD + row.costUSD;
    }
    if (row.kind === 'seat') {
      const days = seatsByDay.get(entry) ?? new Map<string, number>();
      seatsByDay.set(entry, days);
      days.set(row.date, (days.get(row.date) ?? 0) + row.seats);
      entry.seats = Math.max(...days.values());
    }
  }
  return { from, to, timeZone, rows: [...daily, ...monthly.values()] };
}

export function financeCsv(data: FinanceExport): string {
  const round = (value: number | null) => (value === null ? null : Math.round(value * 1e6) / 1e6);
  const lines = data.rows.map((row) => COLUMNS.map((column) => csvCell(column === 'costUSD' ? round(row.costUSD) : row[column])).join(','));
  return [COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
}

export function financeJson(data: FinanceExport): string {
  return JSON.stringify(FinanceExport.parse(data), null, 2) + '\n';
}
