// Monthly budgets (docs/money.md, Budgets): an overall budget for what is spent (seat cost, and token spend at API list
// prices of the tools no flat plan covers, as the dashboard's Spend card) and a budget per tool for that tool's token
// spend at API list prices.
//   progress            = spent this month ÷ budget
//   pro-rated budget     = budget × days of the month so far (today included) ÷ days in the month
//   pace                 = spent ÷ pro-rated budget (above 1: spending faster than the budget allows)
//   recent daily rate    = token spend of the last 7 complete days (yesterday and before, not before the first day
//                          with data) ÷ those days
//   projection           = spent + rate × days left after today (+ the seat cost of those days, which is known)
// Today is counted whole in the pro-rated budget and in `spent`, and left out of the rate because it is not over.
// Days are the user's local days (rows are dated in the report's time zone).
import type { UsageSource } from '../ledger/events';
import { addDays, dateList, dayOfMonth, daysInMonthOf, monthBounds, monthOf } from '../calendar/dates';
import type { SpendRow } from './subscriptions';
import { warningLevel, type WarningLevel } from './warnings';

/** Complete days the recent daily rate looks back over. */
const RATE_DAYS = 7;

export interface BudgetSettings {
  /** `assay.budget.monthlyUSD`; 0 means no overall budget. */
  monthlyUSD: number;
  /** `assay.budget.perSourceUSD`: a budget per tool; tools not listed (or at 0) have none. */
  perSourceUSD: Partial<Record<UsageSource, number>>;
}

export interface BudgetInput {
  usage: readonly SpendRow[];
  /** Seat cost of one local day (src/pricing/seats.ts seatCostForDay with the user's seats). */
  seatCostUSD(date: string): number;
  /** Tools a flat plan among the seats covers (money/subscriptions.ts sourcesOfPlan): their tokens are not spend. */
  planCoveredSources: ReadonlySet<string>;
  settings: BudgetSettings;
  /** Today, YYYY-MM-DD in the user's time zone. */
  today: string;
  /** The first day the ledger has any data for; null when it has none. */
  trackedSince: string | null;
}

export interface BudgetStatus {
  /** `overall`, or the tool the budget is for. */
  scope: 'overall' | UsageSource;
  month: string;
  budgetUSD: number;
  spentUSD: number;
  /** spent ÷ budget. */
  progress: number;
  proRatedBudgetUSD: number;
  /** spent ÷ pro-rated budget. */
  pace: number;
  /** Token spend per day over the rate window; null when no complete day has data yet. */
  dailyRateUSD: number | null;
  /** Days in the rate window (0 to 7). */
  rateDays: number;
  projectedUSD: number | null;
  /** projected ÷ budget. */
  projectedProgress: number | null;
  level: WarningLevel;
  /** Requests whose cost is unknown (unpriced model, or tokens not logged): spend is a lower bound when > 0. */
  requestsWithoutCost: number;
  /** The first day of the month the ledger covers, when it is not the 1st: spend before it is not counted. */
  coveredFrom: string | null;
  /** Why a figure is missing, in words for the user; null when nothing is. */
  note: string | null;
}

export function budgetStatuses(input: BudgetInput): BudgetStatus[] {
  const statuses: BudgetStatus[] = [];
  if (input.settings.monthlyUSD > 0) statuses.push(budgetStatus(input, 'overall', input.settings.monthlyUSD));
  for (const [source, budget] of Object.entries(input.settings.perSourceUSD) as Array<[UsageSource, number | undefined]>) {
    if (budget !== undefined && budget > 0) statuses.push(budgetStatus(input, source, budget));
  }
  return statuses;
}

function budgetStatus(input: BudgetInput, scope: BudgetStatus['scope'], budgetUSD: number): BudgetStatus {
  const { today } = input;
  const month = monthOf(today);
  const { first, last } = monthBounds(month);
  const rows = scope === 'overall' ? input.usage.filter((row) => !input.planCoveredSources.has(row.source)) : input.usage.filter((row) => row.source === scope);
  const withSeats = scope === 'overall';
  const tokenSpend = (from: string, to: string): number => {
    let total = 0;
    for (const row of rows) if (row.date >= from && row.date <= to) total += row.costUSD ?? 0;
    return total;
  };
  const seatSpend = (from: string, to: string): number => (withSeats && from <= to ? sumOver(dateList(from, to), input.seatCostUSD) : 0);

  const coveredFrom = input.trackedSince !== null && input.trackedSince > first && input.trackedSince <= today ? input.trackedSince : null;
  const spentUSD = tokenSpend(first, today) + seatSpend(first, today);
  let requestsWithoutCost = 0;
  for (const row of rows) {
    if (row.date < first || row.date > today) continue;
    requestsWithoutCost += row.costUSD === null ? row.requests : row.requestsWithoutTokens;
  }

  const yesterday = addDays(today, -1);
  const windowStart = maxDate(addDays(today, -RATE_DAYS), input.trackedSince ?? today);
  const rateDays = windowStart <= yesterday ? dateList(windowStart, yesterday).length : 0;
  const dailyRateUSD = rateDays > 0 ? tokenSpend(windowStart, yesterday) / rateDays : null;
  const daysLeft = daysInMonthOf(month) - dayOfMonth(today);
  const projectedUSD = dailyRateUSD === null ? null : spentUSD + dailyRateUSD * daysLeft + seatSpend(addDays(today, 1), last);

  const proRatedBudgetUSD = (budgetUSD * dayOfMonth(today)) / daysInMonthOf(month);
  const progress = spentUSD / budgetUSD;
  const notes: string[] = [];
  if (dailyRateUSD === null) notes.push('The projection needs one complete day of data.');
  if (coveredFrom !== null) notes.push(`Assay has data from ${coveredFrom}; spend earlier this month is not counted.`);
  return {
    scope,
    month,
    budgetUSD,
    spentUSD,
    progress,
    proRatedBudgetUSD,
    pace: spentUSD / proRatedBudgetUSD,
    dailyRateUSD,
    rateDays,
    projectedUSD,
    projectedProgress: projectedUSD === null ? null : projectedUSD / budgetUSD,
    level: warningLevel(progress),
    requestsWithoutCost,
    coveredFrom,
    note: notes.length > 0 ? notes.join(' ') : null,
  };
}

function sumOver(dates: readonly string[], value: (date: string) => number): number {
  let total = 0;
  for (const date of dates) total += value(date);
  return total;
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
