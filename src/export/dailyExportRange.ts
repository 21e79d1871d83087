// The days a daily team export covers. Pure, so the month boundary is unit-tested.
import { localDate, MS_PER_DAY } from '../calendar/dates';

/**
 * From the first day of yesterday's month up to today: one file per month that each daily export
 * replaces, and on the first of a month the previous month's last day is still written once more
 * (the day before may have ended after that month's last export).
 */
export function dailyExportRange(now: number, timeZone: string): { since: string; until: string } {
  return { since: `${localDate(now - MS_PER_DAY, timeZone).slice(0, 7)}-01`, until: localDate(now, timeZone) };
}
