// What the money sections read besides the daily rollup (docs/money.md): the last two days of the ledger for the
// Claude Code 5-hour blocks (which need each response's time) and the limits the tools logged, plus the settings.
// Only recent segments are read, never the whole ledger. No `vscode` import.
import { addDays } from '../calendar/dates';
import type { UsagePoint } from '../money/blocks';
import { usagePoints } from '../money/blocks';
import type { LimitObservation, LimitReached } from '../money/limits';
import type { UsageEvent } from '../ledger/events';
import { readLedgerSince } from '../ledger/reader';
import type { ResolvedSeat } from '../pricing/seats';
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
