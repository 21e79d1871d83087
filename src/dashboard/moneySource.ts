// What the money sections read besides the daily rollup (docs/money.md): the last two days of the ledger for the
// Claude Code 5-hour blocks (which need each response's time) and the limits the tools logged (limit events the
// import writes: src/importers/limitImport.ts), plus the settings. A weekly figure older than that is not shown.
// Only recent segments are read, never the whole ledger. No `vscode` import.
import { addDays } from '../calendar/dates';
import { budgetStatuses } from '../money/budgets';
import type { UsagePoint } from '../money/blocks';
import { usagePoints } from '../money/blocks';
import { latestLimits, type LimitObservation, type LimitReached } from '../money/limits';
import { sourcesOfPlan, type SpendRow } from '../money/subscriptions';
import { statusBarWarning, type StatusBarWarning } from '../money/warnings';
import type { UsageEvent } from '../ledger/events';
import { readLedgerSince } from '../ledger/reader';
import { seatCostForDay, type ResolvedSeat } from '../pricing/seats';
import type { Pricer } from '../pricing/types';
import { budgetSettingsFrom, valueRangeSettingsFrom, type Settings } from '../settings/schema';
import type { DashboardMoney } from './charts/moneyCharts';

/** UTC days of segments read back: a 5-hour block that started yesterday evening is still in them. */
const RECENT_DAYS = 2;

export interface RecentMoneyEvents {
  limitObservations: LimitObservation[];
  limitsReached: LimitReached[];
  claudeCodePoints: UsagePoint[];
}

export async function loadRecentMoneyEvents(storageDir: string, pricer: Pricer, now: number): Promise<RecentMoneyEvents> {
  const since = addDays(new Date(now).toISOString().slice(0, 10), -RECENT_DAYS);
  const { events } = await readLedgerSince(storageDir, since);
  const usage: UsageEvent[] = [];
  const limitObservations: LimitObservation[] = [];
  const limitsReached: LimitReached[] = [];
  for (const event of events) {
    if (event.kind === 'usage') usage.push(event);
    else if (event.kind === 'limit') {
      const { source, limit, window, windowMinutes, usedPercent, resetsAt, t } = event;
      limitObservations.push({ source, limit, window, windowMinutes, usedPercent, resetsAt, t });
    } else if (event.kind === 'limitReached') {
      const { source, window, resetsAt, t } = event;
      limitsReached.push({ source, window, resetsAt, t });
    }
  }
  return { limitObservations, limitsReached, claudeCodePoints: usagePoints(usage, pricer, 'claude-code') };
}

export function dashboardMoney(settings: Settings, seats: readonly ResolvedSeat[], recent: RecentMoneyEvents, trackedSince: string | null): DashboardMoney {
  return {
    seats,
    budgets: budgetSettingsFrom(settings),
    valueRange: valueRangeSettingsFrom(settings),
    premiumRequestBilling: settings['copilot.premiumRequestBilling'],
    ...recent,
    trackedSince,
  };
}

/** The status bar's warning (docs/money.md, Warnings): this month's budgets and the latest plan limits. */
export function moneyWarning(
  usage: readonly SpendRow[],
  settings: Settings,
  seats: readonly ResolvedSeat[],
  recent: Pick<RecentMoneyEvents, 'limitObservations'>,
  today: string,
  trackedSince: string | null,
  now: number,
  formatTime: (epochMs: number) => string,
): StatusBarWarning {
  const budgets = budgetStatuses({
    usage,
    seatCostUSD: (date) => seatCostForDay(date, seats),
    planCoveredSources: new Set(seats.flatMap((seat) => sourcesOfPlan(seat.plan))),
    settings: budgetSettingsFrom(settings),
    today,
    trackedSince,
  });
  return statusBarWarning(latestLimits(recent.limitObservations, now), budgets, formatTime);
}
