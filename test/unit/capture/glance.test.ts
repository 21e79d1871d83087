import assert from 'node:assert/strict';
import { glanceFromEvents, localDayBounds } from '../../../src/capture/glance';
import { LEDGER_SCHEMA_VERSION, type LedgerEvent } from '../../../src/ledger/events';

const category = { languageId: 'go', provider: 'copilot', workspace: '0123456789abcdef' };
const NOON = new Date(2025, 2, 30, 12, 0, 0).getTime(); // the day after Europe's spring-forward
const YESTERDAY_LATE = new Date(2025, 2, 29, 23, 30, 0).getTime();
const TOMORROW = new Date(2025, 2, 31, 0, 30, 0).getTime();

function accept(t: number, chars: number): LedgerEvent {
  return { v: LEDGER_SCHEMA_VERSION, t, kind: 'accept', id: 'a'.repeat(16), mode: 'full', chars, lines: 1, ...category };
}

function typed(t: number, typedChars: number, opportunities = 0): LedgerEvent {
  return {
    v: LEDGER_SCHEMA_VERSION, t, kind: 'activity', ...category,
    opportunities, typedChars, otherEdits: { paste: 3 }, otherChars: 40,
  };
}

function retention(acceptedAt: number, checkpoint: number, chars: number, arc: number, known = true): LedgerEvent {
  return {
    v: LEDGER_SCHEMA_VERSION, t: acceptedAt + checkpoint * 1000, kind: 'retention', acceptId: 'b'.repeat(16),
    acceptedAt, checkpoint, outcome: known ? 'known' : 'unknown', ...(known ? {} : { reason: 'closed' as const }),
    chars, arc: known ? arc : 0, unchanged: known && arc === chars, ...category,
  };
}

describe('glanceFromEvents', () => {
  it("sums today's accepts, typing and known retention at the checkpoint; ignores other days", () => {
    const events = [
      accept(YESTERDAY_LATE, 100),
      typed(YESTERDAY_LATE, 100),
      retention(YESTERDAY_LATE, 600, 100, 100), // checkpoint falls today, acceptance was yesterday
      accept(NOON - 3_600_000, 30),
      accept(NOON - 60_000, 10),
      typed(NOON - 3_000_000, 40, 7),
      typed(NOON - 60_000, 20, 3),
      retention(NOON - 3_600_000, 600, 30, 15),
      retention(NOON - 3_600_000, 30, 30, 30),
      retention(NOON - 60_000, 600, 10, 0, false),
      accept(TOMORROW, 1_000),
    ];
    const glance = glanceFromEvents(events, NOON, 600);
    assert.deepEqual(
      [glance.acceptances, glance.aiChars, glance.typedChars, glance.opportunities],
      [2, 40, 60, 10],
    );
    assert.equal(glance.aiShare, 40 / 100);
    assert.deepEqual(glance.retention, { checkpoint: 600, known: 1, chars: 30, arc: 15, retention: 0.5 });
  });

  it('has no AI share and no retention on a day without data', () => {
    const glance = glanceFromEvents([], NOON, 600);
    assert.equal(glance.aiShare, undefined);
    assert.equal(glance.retention.retention, undefined);
  });
});

describe('localDayBounds', () => {
  it('spans local midnight to local midnight', () => {
    const { start, end } = localDayBounds(NOON);
    assert.equal(start, new Date(2025, 2, 30).getTime());
    assert.equal(end, new Date(2025, 2, 31).getTime());
    assert.ok(start <= NOON && NOON < end);
  });
});
