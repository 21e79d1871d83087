import * as assert from 'node:assert/strict';
import { dailyExportRange, firstUnsettledDay, otlpSendSince } from '../../../src/export/exportDays';

describe('the days each export covers', () => {
  describe('daily team export range', () => {
    it('covers this month up to today once last month has settled', () => {
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 15, 12), 'UTC'), { since: '2026-12-01', until: '2026-12-15' });
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 31, 12), 'UTC'), { since: '2026-12-01', until: '2026-12-31' });
    });

    it("keeps writing last month for two weeks into this one, so its last days' week-later agent figures are exported", () => {
      // An edit on 30 November has its week checkpoint measured up to 14 December.
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 1, 9), 'UTC'), { since: '2026-11-01', until: '2026-12-01' });
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 14, 9), 'UTC'), { since: '2026-11-01', until: '2026-12-14' });
      assert.deepEqual(dailyExportRange(Date.UTC(2027, 0, 10, 9), 'UTC'), { since: '2026-12-01', until: '2027-01-10' });
    });

    it('counts days in the local time zone', () => {
      // 23:30 UTC on 14 December is already 15 December in Berlin, and two weeks before it 1 December.
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 14, 23, 30), 'Europe/Berlin'), { since: '2026-12-01', until: '2026-12-15' });
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 14, 23, 30), 'UTC'), { since: '2026-11-01', until: '2026-12-14' });
    });
  });

  describe('OpenTelemetry send', () => {
    const now = Date.UTC(2026, 11, 20, 12);

    it('sends the last two weeks again at every send, so a week-later agent figure reaches the collector', () => {
      assert.equal(firstUnsettledDay(now, 'UTC'), '2026-12-06');
      // Sent an hour ago: today's send still covers the day an edit 13 days ago was made on.
      assert.equal(otlpSendSince('2026-12-20', now, 'UTC'), '2026-12-06');
      assert.equal(otlpSendSince(undefined, now, 'UTC'), '2026-12-06');
    });

    it('after a pause longer than that, sends every day since the last send, up to three months back', () => {
      assert.equal(otlpSendSince('2026-11-02', now, 'UTC'), '2026-11-02');
      assert.equal(otlpSendSince('2026-08-01', now, 'UTC'), '2026-12-06');
    });
  });
});
