import * as fc from 'fast-check';
import * as assert from 'node:assert/strict';
import { localDate, localDayBounds } from '../../../src/calendar/dates';

const NOON = new Date(2025, 2, 30, 12, 0, 0).getTime(); // the day after Europe's spring-forward

describe('localDayBounds', () => {
  it('spans local midnight to local midnight', () => {
    const { start, end } = localDayBounds(NOON);
    assert.equal(start, new Date(2025, 2, 30).getTime());
    assert.equal(end, new Date(2025, 2, 31).getTime());
    assert.ok(start <= NOON && NOON < end);
  });
});

describe('localDate', () => {
  it('dates UTC days without Intl as Intl dates them (any time the ledger can hold)', () => {
    const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Date.UTC(2200, 0, 1) }), (t) => {
        const expected = intl.format(t);
        assert.equal(localDate(t, 'UTC'), expected);
        assert.equal(localDate(t, 'Etc/UTC'), expected);
        // Etc/GMT is the same day through Intl.
        assert.equal(localDate(t, 'Etc/GMT'), expected);
      }),
      { numRuns: 2000 },
    );
    assert.equal(localDate(Date.UTC(2026, 11, 31, 23, 59, 59, 999), 'UTC'), '2026-12-31');
    assert.equal(localDate(Date.UTC(2027, 0, 1), 'Etc/UTC'), '2027-01-01');
  });
});
