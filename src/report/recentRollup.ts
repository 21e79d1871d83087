// The daily rows of recent days only, read from the few segments that can hold them: what the
// dashboard shows first while a cold rebuild of the whole ledger (seconds on a year of heavy use)
// is still running.
import { addDays } from '../calendar/dates';
import { readLedgerSince } from '../ledger/reader';
import { rollupDaily, type UsageTotalsRow } from './rollup';
import type { InlineRow } from './rows';

export interface RecentRollup {
  /** The first local day whose rows are complete; earlier days are left out. */
  since: string;
  inline: InlineRow[];
  usage: UsageTotalsRow[];
  /** Segment files read for them (the rest of the ledger was not opened). */
  segmentsRead: number;
}

/** Rows of local days `since` and later in `timeZone`, equal to the full rollup's rows of those days. */
export async function loadRecentRollup(storageDir: string, timeZone: string, since: string): Promise<RecentRollup> {
  // A local day starts at most a day before the UTC day of the same date (zones reach UTC+14).
  const { events, segments } = await readLedgerSince(storageDir, addDays(since, -1));
  const rollup = rollupDaily(events, { timeZone });
  return {
    since,
    inline: rollup.inline.filter((row) => row.date >= since),
    usage: rollup.usage.filter((row) => row.date >= since),
    segmentsRead: segments,
  };
}
