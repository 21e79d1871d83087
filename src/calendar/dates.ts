// All calendar arithmetic in one place. Rollups date every event by the user's local day, which
// is 23 or 25 hours long on DST change days, so days are computed with Intl (the platform's tz
// database), never by adding a fixed offset. Arithmetic on YYYY-MM-DD strings goes through UTC
// midnight, where every day is 24 hours, so no zone or DST shift can move a day.

const QUARTER_HOUR_MS = 15 * 60 * 1000;
/** Bounds the per-zone memo: a year of events touches about 35,000 quarter hours. */
const MAX_MEMO_ENTRIES = 200_000;

interface ZoneDates {
  dateAt: (t: number) => string;
  /** Local date by quarter hour since the epoch (see localDate). */
  byQuarterHour: Map<number, string>;
}

/**
 * Zones whose days are UTC days, named as Intl names them: their dates need no Intl. A process's first
 * Intl.DateTimeFormat loads the platform's calendar data, about 30 ms of an `assay report --tz UTC` that imports
 * 100 MB of logs in under a second.
 */
const UTC_ZONES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC']);

const zones = new Map<string, ZoneDates>();

/**
 * The time zone of this machine (what the editor and a terminal show as "today"), or undefined when the platform
 * cannot name one it knows: TZ=":/etc/localtime" or TZ="UTC+3" resolves to no zone, TZ="" to Etc/Unknown, which
 * Intl then refuses.
 */
export function machineTimeZone(): string | undefined {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone as string | undefined;
  return zone !== undefined && isValidTimeZone(zone) ? zone : undefined;
}

/**
 * The machine's time zone, else UTC: every rollup needs a zone Intl knows. Without one, a rollup cache header has no
 * zone and never matches (every load rebuilds, on the editor's own thread), and dating an event throws.
 */
export function localTimeZone(): string {
  return machineTimeZone() ?? 'UTC';
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    zoneDates(timeZone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The calendar day (YYYY-MM-DD) of epoch-ms `t` in `timeZone`. Memoized per quarter hour:
 * every current zone's UTC offset and DST transition falls on a 15-minute boundary, so all
 * instants of one quarter hour share a local day, and formatting once per quarter hour instead
 * of once per event keeps a million-event rollup from spending seconds in Intl.
 */
export function localDate(t: number, timeZone: string): string {
  const zone = zoneDates(timeZone);
  const quarterHour = Math.floor(t / QUARTER_HOUR_MS);
  let date = zone.byQuarterHour.get(quarterHour);
  if (date === undefined) {
    date = zone.dateAt(quarterHour * QUARTER_HOUR_MS);
    if (zone.byQuarterHour.size >= MAX_MEMO_ENTRIES) zone.byQuarterHour.clear();
    zone.byQuarterHour.set(quarterHour, date);
  }
  return date;
}

/** The month (YYYY-MM) of a YYYY-MM-DD date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** True for a real calendar date written YYYY-MM-DD (rejects 2024-02-30). */
export function isCalendarDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(Date.UTC(year, month - 1, day));
  return utc.getUTCFullYear() === year && utc.getUTCMonth() === month - 1 && utc.getUTCDate() === day;
}

export const MS_PER_DAY = 86_400_000;

/** UTC midnight of a YYYY-MM-DD date, in epoch ms (NaN for text that is not such a date). */
function utcMidnight(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

export function addDays(date: string, days: number): string {
  return new Date(utcMidnight(date) + days * MS_PER_DAY).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMidnight(to) - utcMidnight(from)) / MS_PER_DAY);
}

/** Every date from `from` to `to`, both included (empty when `to` is earlier). */
export function dateList(from: string, to: string): string[] {
  const days: string[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) days.push(date);
  return days;
}

/** Monday of the ISO week of `date`: weeks are labelled by their first day. */
export function weekOf(date: string): string {
  const weekday = (new Date(utcMidnight(date)).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

/** Days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Days in the month of a YYYY-MM month or a YYYY-MM-DD date. */
export function daysInMonthOf(monthOrDate: string): number {
  return daysInMonth(Number(monthOrDate.slice(0, 4)), Number(monthOrDate.slice(5, 7)));
}

/** The day of the month (1-31) of a YYYY-MM-DD date. */
export function dayOfMonth(date: string): number {
  return Number(date.slice(8, 10));
}

/** The first and last day (YYYY-MM-DD) of a YYYY-MM month. */
export function monthBounds(month: string): { first: string; last: string } {
  return { first: `${month}-01`, last: `${month}-${String(daysInMonthOf(month)).padStart(2, '0')}` };
}

/** Every month (YYYY-MM) from `from` to `to`, both included (empty when `to` is earlier). */
export function monthList(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = monthOf(addDays(monthBounds(month).last, 1))) months.push(month);
  return months;
}

/**
 * [start, end) epoch ms of the local calendar day holding `t` in this process's time zone (DST
 * days are 23 or 25 hours): capture flushes its activity counters at local midnight.
 */
export function localDayBounds(t: number): { start: number; end: number } {
  const day = new Date(t);
  const start = new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
  const end = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime();
  return { start, end };
}

function zoneDates(timeZone: string): ZoneDates {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = { dateAt: UTC_ZONES.has(timeZone) ? utcDate : zoneFormatter(timeZone), byQuarterHour: new Map() };
    zones.set(timeZone, zone);
  }
  return zone;
}

/** Throws RangeError for a zone the platform does not know. */
function zoneFormatter(timeZone: string): (t: number) => string {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    calendar: 'gregory',
    numberingSystem: 'latn',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  return (t) => formatDate(format, t);
}

function utcDate(t: number): string {
  const date = new Date(t);
  const twoDigits = (value: number) => String(value).padStart(2, '0');
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${twoDigits(date.getUTCMonth() + 1)}-${twoDigits(date.getUTCDate())}`;
}

function formatDate(format: Intl.DateTimeFormat, t: number): string {
  let year = '';
  let month = '';
  let day = '';
  for (const part of format.formatToParts(t)) {
    if (part.type === 'year') year = part.value.padStart(4, '0');
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}

/**
 * The date-time strings the tools write, RFC 3339: a zone (`Z` or an offset) and any fraction of a second, as
 * JavaScript's `2026-11-20T23:58:10.412Z`, Kiro's `…T00:00:20.123456789Z`, Factory Droid's and Goose's
 * `…T10:00:00+02:00` (goose.ts makes SQLite's zone-less `2026-11-20 23:58:00` UTC before it comes here); a space
 * for the `T`, as RFC 3339 allows. No tool writes a date alone or a time without a zone (which Date.parse would read
 * in this machine's zone). Nothing else reaches Date.parse, whose legacy fallback reads `5`, `12` or `usage 3` as
 * days in 2001.
 */
const LOGGED_DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** Epoch ms of a date-time string as another tool logs it (LOGGED_DATE_TIME), or undefined for anything else. */
export function parseLoggedDateTime(text: string | undefined): number | undefined {
  if (text === undefined || !LOGGED_DATE_TIME.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}
