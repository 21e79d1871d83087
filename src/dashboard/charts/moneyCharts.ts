// The money sections of the dashboard (docs/money.md): findings, budgets, limits and plans, and the value card as a
// range. Every figure comes from the money core (src/money/); this module only picks its inputs out of the view
// model's and lays the results out as the protocol's charts, tables and lists.
import { localDate, monthOf } from '../../calendar/dates';
import { usageSourceName } from '../../ledger/events';
import type { BudgetSettings, BudgetStatus } from '../../money/budgets';
import { budgetStatuses } from '../../money/budgets';
import { activeBlock, burnRate, projectBlock, usageBlocks, type UsagePoint } from '../../money/blocks';
import { COPILOT_PLAN_TERMS } from '../../money/copilotBilling';
import { findFindings } from '../../money/findings';
import { latestLimits, limitReachedTimes, type LimitObservation, type LimitReached, type LimitStatus } from '../../money/limits';
import { premiumRequestsByMonth } from '../../money/premiumRequests';
import { compareSubscriptions, type SubscriptionComparison } from '../../money/subscriptions';
import { agentWork, estimateValueRange, type ValueRange, type ValueRangeSettings } from '../../money/valueRange';
import type { ResolvedSeat } from '../../pricing/seats';
import type { ModelUsage, WhatIfResult } from '../../pricing/whatIf';
import type { InlineRow } from '../../report/rows';
import { fig, text, type RichText } from '../../report/richText';
import { series } from '../figures';
import type { DashboardEconomics, DashboardUsageRow } from '../inputs';
import type { Card, ChartSpec, ListSpec, TableSpec, ValueFormula } from '../protocol';

/** What the money sections need beyond the daily rows: settings, plans and what the tools logged about limits. */
export interface DashboardMoney {
  seats: readonly ResolvedSeat[];
  budgets: BudgetSettings;
  valueRange: ValueRangeSettings;
  /** `assay.copilot.premiumRequestBilling`: Pro / Pro+ annual plans still billed by premium requests. */
  premiumRequestBilling: boolean;
  limitObservations: readonly LimitObservation[];
  limitsReached: readonly LimitReached[];
  /** Claude Code's responses of the last day or two, priced one by one: its 5-hour blocks. */
  claudeCodePoints: readonly UsagePoint[];
  /** The first day the ledger has data for; null when it has none. */
  trackedSince: string | null;
}

export interface MoneyInput {
  money: DashboardMoney;
  economics: DashboardEconomics;
  /** All loaded rows (findings look back 30 days whatever the range), and the range's. */
  inline: readonly InlineRow[];
  usage: readonly DashboardUsageRow[];
  usageInRange: readonly DashboardUsageRow[];
  from: string;
  to: string;
  now: number;
  timeZone: string;
  /** The range's value inputs, as the value card counts them. */
  arc600Chars: number;
  spendUSD: number;
}

export interface MoneySections {
  charts: ChartSpec[];
  tables: TableSpec[];
  lists: ListSpec[];
  notices: RichText[];
  valueRange: ValueRange;
  budgets: BudgetStatus[];
  limits: LimitStatus[];
}

/** Limit-reached lines are listed from this far back. */
const LIMIT_REACHED_DAYS = 7;
const MINUTE_MS = 60_000;

const WINDOW_NAMES = { '5h': '5-hour', weekly: 'weekly', other: 'usage' } as const;


export function buildMoneySections(input: MoneyInput): MoneySections {
  const { money, now, timeZone } = input;
  const today = localDate(now, timeZone);
  const subscriptions = compareSubscriptions(money.seats, input.usage, input.from, input.to);
  const budgets = budgetStatuses({
    usage: input.usage,
    seatCostUSD: input.economics.seatCostUSD,
    planCoveredSources: input.economics.planCoveredSources,
    settings: money.budgets,
    today,
    trackedSince: money.trackedSince,
  });
  const limits = latestLimits(money.limitObservations, now);
  const work = agentWork(input.usageInRange);
  const valueRange = estimateValueRange({ arc600Chars: input.arc600Chars, ...work, costUSD: input.spendUSD }, money.valueRange);
  const priceName = input.economics.priceName ?? ((model: string) => model);
  const whatIfOf = (model: string): WhatIfResult[] => {
    const rows: ModelUsage[] = input.usage.flatMap((r) =>
      r.tokens && r.date >= input.from && r.date <= input.to && priceName(r.model) === model ? [{ model: r.model, tokens: r.tokens }] : [],
    );
    return rows.length > 0 ? input.economics.whatIf(rows) : [];
  };
  const findings = findFindings({
    inline: input.inline,
    usage: input.usage,
    range: { from: input.from, to: input.to },
    whatIfOf,
    subscriptions,
    seats: money.seats,
    today,
    trackedSince: money.trackedSince,
    ...(input.economics.priceName ? { priceName: input.economics.priceName } : {}),
  });

  const tables: TableSpec[] = [budgetTable(budgets), limitsTable(limits, money.limitsReached, now), claudeBlockTable(money.claudeCodePoints, now)];
  // An allowance is a calendar month's: each month the range touches is counted whole, as GitHub bills it.
  const [firstMonth, lastMonth] = [monthOf(input.from), monthOf(input.to)];
  const premium = premiumRequestTable(
    input.usage.filter((row) => monthOf(row.date) >= firstMonth && monthOf(row.date) <= lastMonth),
    money,
  );
  if (premium) tables.push(premium);
  const notices: RichText[] = budgets.flatMap((budget) => (budget.note ? [[`Budget (${budgetName(budget)}): ${budget.note}`]] : []));
  return {
    charts: [subscriptionChart(subscriptions)],
    tables,
    lists: [
      {
        id: 'findings',
        section: 'findings',
        title: 'Findings',
        description: 'Plain observations from this range, largest money at stake first, each with its numbers and the chart that shows it.',
        items: findings.findings.map((finding) => ({
          title: finding.title,
          detail: finding.detail,
          figures: finding.numbers.map((n) => ({ label: n.label, value: n.value, format: n.format })),
          chartId: finding.chartId,
        })),
        notes: findings.notEnoughData.map((missing) => text`Not judged yet, it needs ${missing.needs}.`),
        empty: null,
      },
    ],
    notices,
    valueRange,
    budgets,
    limits,
  };
}

function budgetName(budget: BudgetStatus): string {
  return budget.scope === 'overall' ? 'Spend' : `${usageSourceName(budget.scope)} at API prices`;
}

export const NO_BUDGET =
  'No budget set. Set assay.budget.monthlyUSD for your total cost, or assay.budget.perSourceUSD for one tool, in Settings.';

function budgetTable(budgets: readonly BudgetStatus[]): TableSpec {
  return {
    id: 'budgets',
    section: 'budgets',
    title: 'Budgets this month',
    description:
      'Spend this month against each monthly budget: the budget pro-rated to today, the pace (above 1× is faster than the budget allows) and where the month ends if the last 7 days’ rate holds.',
    columns: [
      { label: 'Budget', format: null },
      { label: 'Spent', format: 'usd' },
      { label: 'Of', format: 'usd' },
      { label: 'Used', format: 'percent' },
      { label: 'Pro-rated', format: 'usd' },
      { label: 'Pace', format: 'multiple' },
      { label: 'Month end', format: 'usd' },
    ],
    rows: budgets.map((b) => [budgetName(b), b.spentUSD, b.budgetUSD, b.progress, b.proRatedBudgetUSD, b.pace, b.projectedUSD]),
    empty: budgets.length > 0 ? null : NO_BUDGET,
  };
}

function limitsTable(limits: readonly LimitStatus[], reached: readonly LimitReached[], now: number): TableSpec {
  const minutesUntil = (t: number | null) => (t === null ? null : Math.max(0, (t - now) / MINUTE_MS));
  const minutesAgo = (t: number) => Math.max(0, (now - t) / MINUTE_MS);
  const rows: TableSpec['rows'] = limits.map((limit) => [
    `${usageSourceName(limit.source)} ${WINDOW_NAMES[limit.window]} limit${limit.limit === 'plan' ? '' : ' (separate limit)'}`,
    limit.usedPercent === null ? null : limit.usedPercent / 100,
    minutesUntil(limit.resetsAt),
    minutesAgo(limit.observedAt),
  ]);
  for (const event of limitReachedTimes(reached, now - LIMIT_REACHED_DAYS * 24 * 60 * MINUTE_MS, now)) {
    rows.push([`${usageSourceName(event.source)}: ${WINDOW_NAMES[event.window]} limit reached`, null, minutesUntil(event.resetsAt), minutesAgo(event.t)]);
  }
  return {
    id: 'limits',
    section: 'limits',
    title: 'Plan limits',
    description:
      'The latest share of each plan limit the tools reported (Codex), and when a tool said a limit stopped a request (Claude Code, last 7 days). A dash: reset since, or not said.',
    columns: [
      { label: 'Limit', format: null },
      { label: 'Used', format: 'percent' },
      { label: 'Resets in', format: 'minutes' },
      { label: 'Reported', format: 'minutes' },
    ],
    rows,
    empty: rows.length > 0 ? null : 'No plan limits logged yet: Codex reports its 5-hour and weekly limits with each response, and Claude Code says when a limit stops a request.',
  };
}

function claudeBlockTable(points: readonly UsagePoint[], now: number): TableSpec {
  const blocks = usageBlocks(points, now);
  const active = activeBlock(blocks);
  const rows: TableSpec['rows'] = [];
  if (active) {
    const rate = burnRate(active);
    const projection = projectBlock(active, now);
    rows.push([
      'Current block',
      active.tokens,
      active.costUSD,
      rate?.tokensPerMinute ?? null,
      rate?.costPerHour ?? null,
      projection?.tokens ?? null,
      projection?.costUSD ?? null,
      Math.max(0, (active.end - now) / MINUTE_MS),
    ]);
  }
  return {
    id: 'claude-block',
    section: 'limits',
    title: 'Claude Code 5-hour block',
    description:
      'Claude Code’s current 5-hour block (its subscription window) as ccusage counts it: tokens and cost at API prices so far, the burn rate since its first response, and where the block ends if the rate holds.',
    columns: [
      { label: 'Block', format: null },
      { label: 'Tokens', format: 'tokens' },
      { label: 'Cost at API prices', format: 'usd' },
      { label: 'Tokens per minute', format: 'count' },
      { label: 'Cost per hour', format: 'usd' },
      { label: 'Projected tokens', format: 'tokens' },
      { label: 'Projected cost', format: 'usd' },
      { label: 'Time left', format: 'minutes' },
    ],
    rows,
    empty: active ? null : 'No active Claude Code block: none of its responses in the last 5 hours.',
  };
}

function subscriptionChart(comparisons: readonly SubscriptionComparison[]): ChartSpec {
  const months = [...new Set(comparisons.flatMap((c) => c.months.map((m) => m.month)))].sort();
  const valueOf = (c: SubscriptionComparison, month: string, pick: (m: SubscriptionComparison['months'][number]) => number | null) => {
    const entry = c.months.find((m) => m.month === month);
    return entry ? pick(entry) : null;
  };
  const list = [];
  for (const c of comparisons) {
    const name = c.labels.join(' + ');
    list.push(series(`${name}: plan`, 'bar', months.map((m) => valueOf(c, m, (e) => e.planUSD)), { format: 'usd' }));
    list.push(series(`${name}: usage at API prices`, 'bar', months.map((m) => valueOf(c, m, (e) => e.apiUSD)), { format: 'usd' }));
    if (c.months.some((m) => m.includedCreditsUSD !== null)) {
      list.push(series(`${name}: AI Credits included`, 'line', months.map((m) => valueOf(c, m, (e) => e.includedCreditsUSD)), { format: 'usd' }));
    }
    list.push(series(`${name}: API ÷ plan`, 'line', months.map((m) => valueOf(c, m, (e) => e.apiToPlan)), { format: 'multiple', tableOnly: true }));
  }
  return {
    id: 'subscription-vs-api',
    section: 'plans',
    title: 'Subscription versus API',
    description:
      'Each plan’s cost for the range’s days of each month beside the same tools’ usage at API list prices (above the plan: the plan paid off). Copilot plans show the AI Credits they include. A plan whose tool logs no usage shows no API figure.',
    horizontal: false,
    categoryLabel: 'Month',
    labels: months,
    series: list,
    axes: { y: { title: 'USD', format: 'usd' } },
    empty: comparisons.length > 0 ? null : 'No plans set: add yours in assay.seats (e.g. { "plan": "claude-max-5x" }) to compare them with API prices.',
  };
}

/** Premium requests per month, only for Copilot plans on request-based billing (docs/money.md, Copilot). */
function premiumRequestTable(usage: readonly DashboardUsageRow[], money: DashboardMoney): TableSpec | undefined {
  if (!money.premiumRequestBilling) return undefined;
  let allowance: number | null = null;
  for (const seat of money.seats) {
    const perSeat = COPILOT_PLAN_TERMS.get(seat.plan)?.premiumRequestAllowance;
    if (perSeat != null) allowance = (allowance ?? 0) + perSeat * seat.count;
  }
  if (allowance === null) return undefined;
  const months = premiumRequestsByMonth(usage, allowance);
  return {
    id: 'premium-requests',
    section: 'plans',
    title: 'Copilot premium requests',
    description:
      'Copilot Chat requests times each model’s multiplier against the plan’s monthly allowance, over every whole month the range touches; extra requests cost $0.04. Requests on models without a published multiplier are counted apart.',
    columns: [
      { label: 'Month', format: null },
      { label: 'Premium requests', format: 'decimal' },
      { label: 'Allowance', format: 'count' },
      { label: 'Used', format: 'percent' },
      { label: 'Extra cost', format: 'usd' },
      { label: 'Requests without a multiplier', format: 'count' },
    ],
    rows: months.map((m) => [m.month, m.premiumRequests, m.allowance, m.fractionUsed, m.extraUSD, m.unknownMultiplierRequests]),
    empty: months.length > 0 ? null : 'No Copilot Chat requests in this range.',
  };
}

/**
 * The value card as a range: the expected value, with the low and high ends, how much of it is measured and how much
 * assumed (`split`, cards.ts valueSplit), and ROI as a range beside it.
 */
export function withValueRange(money: MoneySections | undefined, cards: Card[], split: RichText): Card[] {
  if (!money) return cards;
  const range = money.valueRange;
  return cards.map((card) =>
    card.id === 'value'
      ? { ...card, value: range.expected.valueUSD, detail: [...text`Low ${fig(range.low.valueUSD, 'usd')} – high ${fig(range.high.valueUSD, 'usd')}; `, ...split, '; ', ...range.roiText] }
      : card,
  );
}

/** The value formula with the range's three ends, each with the user's own numbers. */
export function withValueRangeFormula(money: MoneySections | undefined, formula: ValueFormula, spendUSD: number): ValueFormula {
  if (!money) return formula;
  const range = money.valueRange;
  return {
    ...formula,
    formula: text`Expected value = ${range.expected.formula}. Low end = ${range.low.formula}. High end = ${range.high.formula}`,
    roiFormula: spendUSD > 0 ? text`${range.roiText}: each end of the value ÷ spend ${fig(spendUSD, 'usd')}` : range.roiText,
    terms: [
      ...formula.terms,
      { label: 'Value, low end (fast typing, fewer minutes per response)', value: range.low.valueUSD, format: 'usd' },
      { label: 'Value, expected', value: range.expected.valueUSD, format: 'usd' },
      { label: 'Value, high end (slow typing, more minutes per response)', value: range.high.valueUSD, format: 'usd' },
    ],
    settings: [
      ...formula.settings,
      'assay.value.typingCharsPerMinuteFast',
      'assay.value.typingCharsPerMinuteSlow',
      'assay.value.minutesPerResponseLow',
      'assay.value.minutesPerResponseHigh',
      'assay.value.minutesPerKeptLine',
    ],
  };
}
