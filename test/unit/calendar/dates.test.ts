import * as assert from 'node:assert/strict';
import { localDayBounds } from '../../../src/calendar/dates';

const NOON = new Date(2025, 2, 30, 12, 0, 0).getTime(); // the day after Europe's spring-forward

describe('localDayBounds', () => {
  it('spans local midnight to local midnight', () => {
    const { start, end } = localDayBounds(NOON);
    assert.equal(start, new Date(2025, 2, 30).getTime());
    assert.equal(end, new Date(2025, 2, 31).getTime());
    assert.ok(start <= NOON && NOON < end);
  });
});
