// The days each export covers: the daily team summary and the OpenTelemetry send. Pure, so month boundaries and how
// far back a day's figures may still change are unit-tested.
import { AGENT_CHECKPOINTS } from '../agentOutput/types';
import { localDate, MS_PER_DAY } from '../calendar/dates';

/**
 * How long after an agent edit its day's figures may still change: its last checkpoint (a week) is measured by the
 * first import up to twice that after the edit (docs/metrics.md, Agent output), and is dated by the edit's day.
 */
const SETTLING_MS = 2 * Math.max(...AGENT_CHECKPOINTS) * 1000;

/** The first day whose figures may still change (two weeks ago): every export covers it and the days after it. */
export function firstUnsettledDay(now: number, timeZone: string): string {
  return localDate(now - SETTLING_MS, timeZone);
}

/**
 * From the first day of the first unsettled day's month up to today: one file per month, which each daily export
 * replaces, and which is written until the month's last day has settled (two weeks into the next month), so that the
 * week-later figures of its last days' agent edits reach the team. The next month's file starts alongside it; a merge
 * takes each day from the newest file that covers it.
 */
export function dailyExportRange(now: number, timeZone: string): { since: string; until: string } {
  return { since: `${firstUnsettledDay(now, timeZone).slice(0, 7)}-01`, until: localDate(now, timeZone) };
}

/** After a long pause, older days are not sent again: collectors drop points that old anyway. */
const OTLP_MAX_DAYS_BACK = 92;

/**
 * The first day an OpenTelemetry send covers: the first unsettled day, or the day of the last successful send to the
 * same target when that is earlier (and not too old). A day's values are cumulative, so sending a day again replaces
 * its values at the collector instead of adding to them.
 */
export function otlpSendSince(lastSentDay: string | undefined, now: number, timeZone: string): string {
  const unsettled = firstUnsettledDay(now, timeZone);
  const oldest = localDate(now - OTLP_MAX_DAYS_BACK * MS_PER_DAY, timeZone);
  return lastSentDay !== undefined && lastSentDay >= oldest && lastSentDay < unsettled ? lastSentDay : unsettled;
}
