// Usage events are upserts (DESIGN §3.4): an importer re-emits a record when the tool rewrote
// it, with the same `id`. Of several events with one id, the later one in ledger order counts.
import type { LedgerEvent } from './events';

/**
 * `events` without the usage events that a later usage event with the same id replaces. The
 * survivor keeps the position of the first copy, so ledger order is otherwise preserved.
 */
export function dedupeUsageById(events: readonly LedgerEvent[]): LedgerEvent[] {
  const positionById = new Map<string, number>();
  const result: LedgerEvent[] = [];
  for (const event of events) {
    if (event.kind !== 'usage') {
      result.push(event);
      continue;
    }
    const position = positionById.get(event.id);
    if (position === undefined) {
      positionById.set(event.id, result.length);
      result.push(event);
    } else {
      result[position] = event;
    }
  }
  return result;
}
