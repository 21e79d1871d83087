// Reads the whole ledger: every segment, merged in ledger order (DESIGN §5). Nothing in a
// segment stops reading: torn lines (crash artefacts) and invalid lines are skipped and counted
// so callers can report them.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { dedupeUsageById } from './dedupe';
import type { LedgerEvent } from './events';
import { listSegments, parseLedgerLine, scanLines, segmentsDir } from './segments';

export interface LedgerReadCounts {
  /** Lines that are JSON but not a valid event of this schema version. */
  invalidLines: number;
  /** Lines that are not JSON (cut short by a crash), and unterminated last lines. */
  tornLines: number;
  segments: number;
}

export interface LedgerReadResult extends LedgerReadCounts {
  events: LedgerEvent[];
}

/**
 * Streams every event of every segment, in ledger order, to `onEvent` without holding the ledger
 * in memory. Usage events are not deduplicated here (see readLedger).
 */
export async function forEachLedgerEvent(
  storageDir: string,
  onEvent: (event: LedgerEvent) => void,
): Promise<LedgerReadCounts> {
  const counts: LedgerReadCounts = { invalidLines: 0, tornLines: 0, segments: 0 };
  const directory = segmentsDir(storageDir);
  for (const name of await listSegments(storageDir)) {
    const filePath = path.join(directory, name);
    let size: number;
    try {
      size = (await fs.stat(filePath)).size;
    } catch (error) {
      // Removed between listing and reading (compaction): its events are in the compacted file.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    counts.segments += 1;
    const { tail } = await scanLines(filePath, 0, size, (line) => {
      const parsed = parseLedgerLine(line);
      if (parsed.kind === 'event') onEvent(parsed.event);
      else if (parsed.kind === 'invalid') counts.invalidLines += 1;
      else if (parsed.kind === 'torn') counts.tornLines += 1;
    });
    if (tail.trim() !== '') counts.tornLines += 1;
  }
  return counts;
}

/** All events, with usage upserts applied: of usage events sharing an id, the later one counts. */
export async function readLedger(storageDir: string): Promise<LedgerReadResult> {
  const events: LedgerEvent[] = [];
  const counts = await forEachLedgerEvent(storageDir, (event) => events.push(event));
  return { events: dedupeUsageById(events), ...counts };
}
