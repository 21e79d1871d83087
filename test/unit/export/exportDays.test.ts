import * as assert from 'node:assert/strict';
import { dailyExportRange, firstUnsettledDay, otlpSendSince } from '../../../src/export/exportDays';

describe('the days each export covers', () => {
  it("goes back far enough for an edit made late on a day whose week checkpoint is measured two weeks later", () => {
    // An edit on 30 November at 23:00 may be measured at 22:59 on 14 December; the next export runs on 15 December.
    assert.equal(firstUnsettledDay(Date.UTC(2026, 11, 15, 0, 30), 'UTC'), '2026-11-30');
    // Calendar days, also across the autumn clock change (Berlin, 25 October 2026).
    assert.equal(firstUnsettledDay(Date.UTC(2026, 10, 5, 22, 30), 'Europe/Berlin'), '2026-10-21');
    // And across the spring one (New York, 14 March 2027): 14 × 24 hours after 23:30 on 28 February is 00:30 on 15 March.
    assert.equal(firstUnsettledDay(Date.UTC(2027, 2, 15, 4, 30), 'America/New_York'), '2027-02-28');
  });

  describe('daily team export range', () => {
    it('covers this month up to today once last month has settled', () => {
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 17, 12), 'UTC'), { since: '2026-12-01', until: '2026-12-17' });
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 31, 12), 'UTC'), { since: '2026-12-01', until: '2026-12-31' });
    });

    it("keeps writing last month into the middle of this one, so its last days' week-later agent figures are exported", () => {
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 1, 9), 'UTC'), { since: '2026-11-01', until: '2026-12-01' });
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 15, 0, 30), 'UTC'), { since: '2026-11-01', until: '2026-12-15' });
      // An edit late on 28 February measured at 00:30 on 15 March, after that day's export: the next day's export has it.
      assert.deepEqual(dailyExportRange(Date.UTC(2027, 2, 16, 4, 10), 'America/New_York'), { since: '2027-02-01', until: '2027-03-16' });
      assert.deepEqual(dailyExportRange(Date.UTC(2027, 0, 10, 9), 'UTC'), { since: '2026-12-01', until: '2027-01-10' });
    });

    it("after a pause, goes back to the last export's unsettled days, so a month last written before its 15th gets its last days", () => {
      // Last written on 20 January (1 to 20 January), then the editor stayed closed until 20 February.
      assert.deepEqual(dailyExportRange(Date.UTC(2027, 1, 20, 9), 'UTC', '2027-01-20'), { since: '2027-01-01', until: '2027-02-20' });
      // Without that export, or with yesterday's or today's, the range is the usual one.
      for (const last of [undefined, '2027-02-19', '2027-02-20']) {
        assert.deepEqual(dailyExportRange(Date.UTC(2027, 1, 20, 9), 'UTC', last), { since: '2027-02-01', until: '2027-02-20' });
      }
      // Last written on 14 January, whose export already began on 1 December: December's last days settled by then.
      assert.deepEqual(dailyExportRange(Date.UTC(2027, 1, 2, 9), 'UTC', '2027-01-14'), { since: '2026-12-01', until: '2027-02-02' });
      // Not more than about three months back.
      assert.deepEqual(dailyExportRange(Date.UTC(2027, 5, 30, 9), 'UTC', '2026-06-30'), { since: '2027-03-01', until: '2027-06-30' });
    });

    it('counts days in the local time zone', () => {
      // 23:30 UTC on 16 December is already 17 December in Berlin, and sixteen days before it 1 December.
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 16, 23, 30), 'Europe/Berlin'), { since: '2026-12-01', until: '2026-12-17' });
      assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 16, 23, 30), 'UTC'), { since: '2026-11-01', until: '2026-12-16' });
    });
  });

  describe('OpenTelemetry send', () => {
    const now = Date.UTC(2026, 11, 20, 12);

    it('sends the unsettled days again at every send, so a week-later agent figure reaches the collector', () => {
      // Sent an hour ago: today's send still covers the day an edit measured today may have been made on.
      assert.equal(otlpSendSince('2026-12-20', now, 'UTC'), '2026-12-05');
      assert.equal(otlpSendSince(undefined, now, 'UTC'), '2026-12-05');
    });

    it('after sends failed for days, also covers what was measured meanwhile: the unsettled days of the last send', () => {
      assert.equal(otlpSendSince('2026-12-15', now, 'UTC'), '2026-11-30');
      assert.equal(otlpSendSince('2026-11-02', now, 'UTC'), '2026-10-18');
    });

    it('goes no further back than three months', () => {
      assert.equal(otlpSendSince('2026-08-01', now, 'UTC'), '2026-09-19');
    });
  });
});
