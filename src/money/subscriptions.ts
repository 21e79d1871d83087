// Subscription versus API (docs/money.md, Plans): per calendar month, what the user's plans cost beside the same
// usage priced at API list prices. A plan is matched to the tools whose logs show its usage (Claude plans: Claude
// Code; ChatGPT plans: Codex CLI; Copilot plans: Copilot Chat). Plans of tools that leave no local usage log
// (Cursor, Windsurf, Tabnine…) have a cost and no API-priced usage: that is shown as unknown, never as $0.
// Several plans covering the same tools (Claude Pro and Claude Max) are compared together, since their usage
// cannot be told apart. Usage through an API key instead of the plan is counted as the plan's usage too.
import type { UsageSource } from '../ledger/events';
import { seatCostForRange, type ResolvedSeat } from '../pricing/seats';
import { daysBetween, monthBounds, monthList, monthOf } from '../calendar/dates';
import { COPILOT_PLAN_TERMS } from './copilotBilling';

/** Tools whose local logs show a plan's usage, by plan id prefix. */
const SOURCES_BY_PLAN_PREFIX: ReadonlyArray<readonly [string, readonly UsageSource[]]> = [
  ['claude-', ['claude-code']],
  ['chatgpt-', ['codex']],
  ['copilot-', ['copilot-chat']],
];

/** Inline-suggestion providers (src/privacy/allowlists.ts) whose ghost text is a plan's activity, by plan id prefix. */
const PROVIDERS_BY_PLAN_PREFIX: ReadonlyArray<readonly [string, string]> = [
  ['copilot-', 'copilot'],
  ['windsurf-', 'codeium'],
  ['tabnine-', 'tabnine'],
  ['supermaven-', 'supermaven'],
  ['amazon-q-', 'amazon-q'],
];

export function sourcesOfPlan(plan: string): readonly UsageSource[] {
  return SOURCES_BY_PLAN_PREFIX.find(([prefix]) => plan.startsWith(prefix))?.[1] ?? [];
}

export function inlineProviderOfPlan(plan: string): string | undefined {
  return PROVIDERS_BY_PLAN_PREFIX.find(([prefix]) => plan.startsWith(prefix))?.[1];
}

/** Whether a plan pays for inline suggestions (its seat cost is what "inline seat cost per accepted line" divides). */
export function isInlinePlan(plan: string): boolean {
  return inlineProviderOfPlan(plan) !== undefined;
}

/** A priced usage row's fields this module reads (report/rows.ts UsageRow has them). */
export interface SpendRow {
  date: string;
  source: string;
  costUSD: number | null;
  requests: number;
  requestsWithoutTokens: number;
}

interface SubscriptionMonth {
  month: string;
  /** Days of the month inside the compared range. */
  days: number;
  /** False when the range covers only part of the month (the current month, or a range starting mid-month). */
  complete: boolean;
  /** The plans' cost for those days (monthly price spread evenly over the month's days). */
  planUSD: number;
  /** The same days' usage at API list prices; null when the plans' tools leave no local usage log. */
  apiUSD: number | null;
  requests: number;
  /** Requests whose cost is unknown (unpriced model, or tokens not logged): `apiUSD` is a lower bound when > 0. */
  requestsWithoutCost: number;
  /** apiUSD ÷ planUSD: below 1 the plan cost more than paying per token would have; null when either is missing. */
  apiToPlan: number | null;
  /** Copilot plans: AI Credits included for those days, in USD; null for other plans. */
  includedCreditsUSD: number | null;
}

export interface SubscriptionComparison {
  /** The plan ids compared together (one per plan unless several cover the same tools). */
  plans: string[];
  labels: string[];
  seats: number;
  /** The tools whose usage is priced; empty when none of them leaves a log. */
  sources: UsageSource[];
  months: SubscriptionMonth[];
}

/** One comparison per group of plans, with a month entry for each month touching [from, to] (both included). */
export function compareSubscriptions(seats: readonly ResolvedSeat[], usage: readonly SpendRow[], from: string, to: string): SubscriptionComparison[] {
  const groups = new Map<string, ResolvedSeat[]>();
  for (const seat of seats) {
    const sources = sourcesOfPlan(seat.plan);
    const key = sources.length > 0 ? `sources:${sources.join(',')}` : `plan:${seat.plan}`;
    const group = groups.get(key);
    if (group) group.push(seat);
    else groups.set(key, [seat]);
  }
  const comparisons: SubscriptionComparison[] = [];
  for (const group of groups.values()) {
    const sources = [...sourcesOfPlan(group[0].plan)];
    const rows = usage.filter((row) => (sources as string[]).includes(row.source) && row.date >= from && row.date <= to);
    const months = monthList(monthOf(from), monthOf(to)).map((month) => monthEntry(month, group, sources, rows, from, to));
    comparisons.push({
      plans: [...new Set(group.map((seat) => seat.plan))],
      labels: [...new Set(group.map((seat) => seat.label))],
      seats: group.reduce((total, seat) => total + seat.count, 0),
      sources,
      months,
    });
  }
  return comparisons;
}

function monthEntry(month: string, seats: readonly ResolvedSeat[], sources: readonly UsageSource[], rows: readonly SpendRow[], from: string, to: string): SubscriptionMonth {
  const { first, last } = monthBounds(month);
  const start = from > first ? from : first;
  const end = to < last ? to : last;
  const days = daysBetween(start, end) + 1;
  const planUSD = seatCostForRange(start, end, seats);
  const inMonth = rows.filter((row) => monthOf(row.date) === month);
  let apiUSD: number | null = null;
  let requests = 0;
  let requestsWithoutCost = 0;
  if (sources.length > 0) {
    apiUSD = 0;
    for (const row of inMonth) {
      requests += row.requests;
      if (row.costUSD === null) requestsWithoutCost += row.requests;
      else {
        apiUSD += row.costUSD;
        requestsWithoutCost += row.requestsWithoutTokens;
      }
    }
  }
  const monthDays = daysBetween(first, last) + 1;
  let includedCreditsUSD: number | null = null;
  for (const seat of seats) {
    const included = COPILOT_PLAN_TERMS.get(seat.plan)?.includedCreditsUSD;
    if (included != null) includedCreditsUSD = (includedCreditsUSD ?? 0) + (included * seat.count * days) / monthDays;
  }
  return {
    month,
    days,
    complete: days === monthDays,
    planUSD,
    apiUSD,
    requests,
    requestsWithoutCost,
    apiToPlan: apiUSD !== null && planUSD > 0 ? apiUSD / planUSD : null,
    includedCreditsUSD,
  };
}
