// The dashboard's date range: a preset or custom choice resolved to local dates (rows are already
// dated in the user's time zone).
import { addDays, localDate } from '../calendar/dates';
import type { RangeSelection } from './protocol';

const PRESET_DAYS = { today: 1, '7d': 7, '30d': 30, '90d': 90 } as const;

export function resolveRange(
  range: RangeSelection,
  now: number,
  timeZone: string,
  dataDates: readonly string[],
): { from: string; to: string } {
  const today = localDate(now, timeZone);
  switch (range.preset) {
    case 'custom': {
      const from = range.from ?? today;
      const to = range.to ?? today;
      return from <= to ? { from, to } : { from: to, to: from };
    }
    case 'all': {
      let from = today;
      let to = today;
      for (const date of dataDates) {
        if (date < from) from = date;
        if (date > to) to = date;
      }
      return { from, to };
    }
    default:
      return { from: addDays(today, 1 - PRESET_DAYS[range.preset]), to: today };
  }
}
