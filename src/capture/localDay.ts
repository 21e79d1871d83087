// The local calendar day of a moment, in this process's time zone: activity counters are
// flushed at local midnight so each event counts towards one day.

/** [start, end) epoch ms of the local calendar day holding `t` (DST days are 23 or 25 hours). */
export function localDayBounds(t: number): { start: number; end: number } {
  const day = new Date(t);
  const start = new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime();
  const end = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1).getTime();
  return { start, end };
}
