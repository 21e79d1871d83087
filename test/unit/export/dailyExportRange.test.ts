import * as assert from 'node:assert/strict';
import { dailyExportRange } from '../../../src/export/dailyExportRange';

describe('daily team export range', () => {
  it('covers this month up to today', () => {
    assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 15, 12), 'UTC'), { since: '2026-12-01', until: '2026-12-15' });
  });

  it('on the first of a month still covers the whole previous month, so its last day is not lost', () => {
    assert.deepEqual(dailyExportRange(Date.UTC(2026, 11, 1, 9), 'UTC'), { since: '2026-11-01', until: '2026-12-01' });
    assert.deepEqual(dailyExportRange(Date.UTC(2027, 0, 1, 9), 'UTC'), { since: '2026-12-01', until: '2027-01-01' });
  });

  it('counts days in the local time zone', () => {
    // 23:30 UTC on 30 November is already 1 December in Berlin.
    assert.deepEqual(dailyExportRange(Date.UTC(2026, 10, 30, 23, 30), 'Europe/Berlin'), { since: '2026-11-01', until: '2026-12-01' });
    assert.deepEqual(dailyExportRange(Date.UTC(2026, 10, 30, 23, 30), 'UTC'), { since: '2026-11-01', until: '2026-11-30' });
  });
});
