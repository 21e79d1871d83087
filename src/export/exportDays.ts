// The days each export covers: the daily team summary and the OpenTelemetry send. Pure, so month boundaries and how
// far back a day's figures may still change are unit-tested.
import { AGENT_CHECKPOINTS } from '../agentOutput/types';
import { addDays, localDate } from '../calendar/dates';

/**
 * How many days before the day of a measurement the edit it measures may have been made: an edit's last checkpoint (a
 * week) is measured by the first import up to twice that after it (docs/metrics.md, Agent output), and is counted on
 * the edit's day. In calendar days 14, and one more for a spring clock change between the two (14 × 24 hours after
 * 23:30 is 00:30 fifteen days on).
 */
const SETTLING_DAYS = (2 * Math.max(...AGENT_CHECKPOINTS)) / 86_400 + 1;

/** The first day whose figures a measurement made today may still change: every export covers it and the days after it. */
export function firstUnsettledDay(now: number, timeZone: string): string {
  return addDays(localDate(now, timeZone), -SETTLING_DAYS);
}

/**
 * After a long pause, older days are not exported or sent again: OpenTelemetry collectors drop points that old anyway,
 * and a summary file stays within a few months.
 */
const MAX_CATCH_UP_DAYS = 92;

/**
 * The daily team summary's days: from the first day of the month of the first day the last daily export could not
 * yet settle, up to today. One file per month, which each daily export replaces, and which is written until the
 * month's last day has settled (about two weeks into the next month), so that the week-later figures of its last
 * days' agent edits reach the team. The last export is yesterday's when there was none or it ran today: a day earlier
 * than today's unsettled days, as yesterday's export may have run before a measurement made later yesterday. After a
 * pause (the editor closed for weeks) the export goes back to the last one's unsettled days, not more than three months,
 * so that a month whose file was last written before its 15th still gets its last days. The next month's file starts
 * alongside it; a merge takes each day from the newest file that covers it.
 */
export function dailyExportRange(now: number, timeZone: string, lastExportDay?: string): { since: string; until: string } {
  const today = localDate(now, timeZone);
  const yesterday = addDays(today, -1);
  const oldest = addDays(today, -MAX_CATCH_UP_DAYS);
  const lastDay = lastExportDay === undefined || lastExportDay >= yesterday ? yesterday : lastExportDay < oldest ? oldest : lastExportDay;
  return { since: `${addDays(lastDay, -SETTLING_DAYS).slice(0, 7)}-01`, until: today };
}

/**
 * The first day an OpenTelemetry send covers: every day a measurement since the last successful send to the same
 * target may have changed, so the unsettled days of that send's day (of today, when there was none), and not more than
 * three months back. A day's values are cumulative, so sending a day again replaces its values at the collector
 * instead of adding to them.
 */
export function otlpSendSince(lastSentDay: string | undefined, now: number, timeZone: string): string {
  const today = localDate(now, timeZone);
  const since = addDays(lastSentDay !== undefined && lastSentDay < today ? lastSentDay : today, -SETTLING_DAYS);
  const oldest = addDays(today, -MAX_CATCH_UP_DAYS);
  return since < oldest ? oldest : since;
}
