// Events that carry an identity count once, wherever their copies sit (docs/ledger.md, Identity and duplicates):
// - usage events are upserts: an importer re-emits a record when the tool rewrote it, with the same
//   `id`, and of several events with one id the later one in ledger order counts;
// - inline events (accepts, retention checkpoints, activity counters) are never rewritten, so a
//   second copy can only be a duplicate: a segment copied by a sync tool, or a compaction that
//   stopped before it removed the segments it had merged. The first copy counts.
import type { LedgerEvent } from './events';

/** The identity of `event`, or undefined for an event written before it had one (counted as it is). */
export function eventKey(event: LedgerEvent): string | undefined {
  switch (event.kind) {
    case 'usage':
      return `u:${event.id}`;
    case 'accept':
      return `a:${event.id}`;
    case 'retention':
      return `r:${event.acceptId}:${event.checkpoint}`;
    case 'activity':
      return event.id === undefined ? undefined : `c:${event.id}`;
    case 'agentEdit':
      return `e:${event.id}`;
    case 'agentRetention':
      return `k:${event.editId}:${event.checkpoint}`;
    case 'limit':
      return `l:${event.id}`;
    case 'limitReached':
      return `x:${event.id}`;
  }
}

/**
 * `events` with each identity once: the later copy of a usage event replaces the earlier one in
 * the earlier one's position; later copies of an inline event are dropped. Ledger order is
 * otherwise preserved.
 */
export function dedupeEvents(events: readonly LedgerEvent[]): LedgerEvent[] {
  const positionByKey = new Map<string, number>();
  const result: LedgerEvent[] = [];
  for (const event of events) {
    const key = eventKey(event);
    if (key === undefined) {
      result.push(event);
      continue;
    }
    const position = positionByKey.get(key);
    if (position === undefined) {
      positionByKey.set(key, result.length);
      result.push(event);
    } else if (event.kind === 'usage') {
      result[position] = event;
    }
  }
  return result;
}
