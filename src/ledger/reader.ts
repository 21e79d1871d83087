// Reads the whole ledger: every segment, merged in ledger order (docs/ledger.md). Nothing in a
// segment stops reading: torn lines (crash artefacts) and invalid lines are skipped and counted
// so callers can report them.
import * as path from 'node:path';
import { dedupeEvents } from './dedupe';
import type { LedgerEvent } from './events';
import { lastEventDayOfSegment, listSegments, parseLedgerLine, scanLines, segmentsDir } from './segments';

interface LedgerReadCounts {
  /** Lines that are JSON but not a valid event of this schema version. */
  invalidLines: number;
  /** Lines that are not JSON (cut short by a crash), and unterminated last lines. */
  tornLines: number;
  segments: number;
  /** Entries named like segments that are not readable regular files: skipped. */
  unreadableSegments: number;
}

export interface LedgerReadResult extends LedgerReadCounts {
  events: LedgerEvent[];
}

/**
 * Streams every event of every segment, in ledger order, to `onEvent` without holding the ledger
 * in memory. Events are not deduplicated here (see readLedger).
 */
async function forEachLedgerEvent(
  storageDir: string,
  onEvent: (event: LedgerEvent) => void,
  readSegment: (name: string) => boolean = () => true,
): Promise<LedgerReadCounts> {
  const listing = await listSegments(storageDir);
  const counts: LedgerReadCounts = { invalidLines: 0, tornLines: 0, segments: 0, unreadableSegments: listing.skipped };
  const directory = segmentsDir(storageDir);
  for (const { name } of listing.files) {
    if (!readSegment(name)) continue;
    const lineCounts = { invalid: 0, torn: 0 };
    try {
      const { tail } = await scanLines(path.join(directory, name), 0, Number.MAX_SAFE_INTEGER, (line) => {
        const parsed = parseLedgerLine(line);
        if (parsed.kind === 'event') onEvent(parsed.event);
        else if (parsed.kind === 'invalid') lineCounts.invalid += 1;
        else if (parsed.kind === 'torn') lineCounts.torn += 1;
      });
      if (tail.trim() !== '') lineCounts.torn += 1;
    } catch (error) {
      // Removed between listing and reading (compaction): its events are in the compacted file.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') counts.unreadableSegments += 1;
      continue;
    } finally {
      counts.invalidLines += lineCounts.invalid;
      counts.tornLines += lineCounts.torn;
    }
    counts.segments += 1;
  }
  return counts;
}

/**
 * The events of every segment that can hold an event of UTC day `sinceDay` or later (by its name:
 * lastEventDayOfSegment), each identity once. It holds every event of those days and some older
 * ones, from a fraction of the ledger: what a first look at recent days needs.
 */
export async function readLedgerSince(storageDir: string, sinceDay: string): Promise<LedgerReadResult> {
  const events: LedgerEvent[] = [];
  const counts = await forEachLedgerEvent(storageDir, (event) => events.push(event), (name) => (lastEventDayOfSegment(name) ?? sinceDay) >= sinceDay);
  return { events: dedupeEvents(events), ...counts };
}

/** All events, each identity once (dedupe.ts): of usage events sharing an id the later one counts, of inline copies the first. */
export async function readLedger(storageDir: string): Promise<LedgerReadResult> {
  const events: LedgerEvent[] = [];
  const counts = await forEachLedgerEvent(storageDir, (event) => events.push(event));
  return { events: dedupeEvents(events), ...counts };
}
