import * as fc from 'fast-check';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { isValidTimeZone, localDate, localDayBounds } from '../../../src/calendar/dates';

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

describe('localTimeZone', () => {
  /** The machine's zone and the zone used, as a process started with `TZ` sees them: Node reads TZ at start. */
  async function zonesWithTz(tz: string): Promise<{ machine: string | null; local: string }> {
    const dates = path.join(__dirname, '..', '..', '..', 'src', 'calendar', 'dates.js');
    const script = `const d = require(${JSON.stringify(dates)}); console.log(JSON.stringify({ machine: d.machineTimeZone() ?? null, local: d.localTimeZone() }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { env: { ...process.env, TZ: tz } });
    return JSON.parse(stdout) as { machine: string | null; local: string };
  }

  it('is the machine\'s zone when Intl can name it', async () => {
    assert.deepEqual(await zonesWithTz('Europe/Berlin'), { machine: 'Europe/Berlin', local: 'Europe/Berlin' });
  });

  // On Linux, Node names no zone for the first two and Etc/Unknown, which Intl refuses, for the last.
  for (const tz of [':/etc/localtime', 'UTC+3', '']) {
    it(`is a zone Intl knows, UTC unless the machine's can be named, with TZ=${JSON.stringify(tz)}`, async () => {
      const { machine, local } = await zonesWithTz(tz);
      assert.ok(typeof local === 'string' && isValidTimeZone(local), String(local));
      assert.equal(local, machine ?? 'UTC');
    });
  }
});
