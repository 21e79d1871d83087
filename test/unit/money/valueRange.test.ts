import assert from 'node:assert/strict';
import { agentWork, DEFAULT_VALUE_RANGE_SETTINGS, estimateValueRange, type ValueRangeSettings } from '../../../src/money/valueRange';
import { parseSettings, valueRangeSettingsFrom } from '../../../src/settings/schema';
import { close } from './fixtures';

const settings: ValueRangeSettings = {
  typingCharsPerMinute: { fast: 300, expected: 200, slow: 100 },
  minutesPerResponse: { low: 0.5, expected: 1, high: 2 },
  minutesPerKeptLine: { low: 0.25, expected: 0.5, high: 1 },
  hourlyCostUSD: 60,
};

describe('value as a range', () => {
  it('computes low, expected and high value and ROI from each end of the inputs', () => {
    const range = estimateValueRange({ arc600Chars: 6000, responses: 30, keptAgentLines: 0, costUSD: 50 }, settings);
    // Low: 6,000 ÷ 300 = 20 min + 30 × 0.5 = 15 min → 35 min at $60/h = $35, ROI 0.7.
    // Expected: 30 + 30 = 60 min → $60, ROI 1.2. High: 60 + 60 = 120 min → $120, ROI 2.4.
    assert.deepEqual(
      [range.low, range.expected, range.high].map((bound) => [bound.minutesSaved, bound.valueUSD]),
      [
        [35, 35],
        [60, 60],
        [120, 120],
      ],
    );
    assert.ok(close(range.low.roi, 0.7) && close(range.expected.roi, 1.2) && close(range.high.roi, 2.4));
    assert.deepEqual(range.roiText, [
      'ROI ',
      { value: range.low.roi, format: 'multiple' },
      ' – ',
      { value: range.high.roi, format: 'multiple' },
      ' (expected ',
      { value: range.expected.roi, format: 'multiple' },
      ')',
    ]);
  });

  it('shows each formula with the user\'s numbers as figures', () => {
    const { low } = estimateValueRange({ arc600Chars: 6000, responses: 30, keptAgentLines: 0, costUSD: 50 }, settings);
    assert.deepEqual(low.formula, [
      '(',
      { value: 6000, format: 'chars' },
      ' chars retained at 600 s ÷ ',
      { value: 300, format: 'decimal' },
      ' chars/min + ',
      { value: 30, format: 'count' },
      ' responses × ',
      { value: 0.5, format: 'decimal' },
      ' min) ÷ 60 × ',
      { value: 60, format: 'usd' },
      '/h = ',
      { value: 35, format: 'usd' },
    ]);
  });

  it('counts kept agent lines where agent output is measured, and responses elsewhere', () => {
    const range = estimateValueRange({ arc600Chars: 6000, responses: 30, keptAgentLines: 40, costUSD: 50 }, settings);
    // Low: 20 + 30 × 0.5 + 40 × 0.25 = 45 min → $45; expected: 30 + 30 + 20 = 80 → $80; high: 60 + 60 + 40 = 160 → $160.
    assert.deepEqual([range.low.valueUSD, range.expected.valueUSD, range.high.valueUSD], [45, 80, 160]);
    assert.ok(range.expected.formula.includes(' kept agent lines × '));
    assert.ok(range.expected.formula.includes(' responses × '));
    const keptOnly = estimateValueRange({ arc600Chars: 0, responses: 0, keptAgentLines: 40, costUSD: 50 }, settings);
    assert.ok(!keptOnly.expected.formula.includes(' responses × '), 'a term with nothing to count is left out');
  });

  it('takes kept lines from usage rows with a known 1-day checkpoint, responses from the others, never both', () => {
    const cell = (known: number, linesKept: number) => ({ known, linesAdded: linesKept + 5, linesKept });
    assert.deepEqual(
      agentWork([
        { requests: 12, agentRetention: { '86400': cell(3, 40), '3600': cell(3, 50) } },
        { requests: 7, agentRetention: { '3600': cell(2, 9) } },
        { requests: 5, agentRetention: { '86400': cell(0, 0) } },
        { requests: 4 },
      ]),
      { responses: 16, keptAgentLines: 40 },
    );
    assert.deepEqual(agentWork([]), { responses: 0, keptAgentLines: 0 });
  });

  it('keeps the expected number the user set and widens the ends to hold it, so low never exceeds high', () => {
    const swapped: ValueRangeSettings = {
      ...settings,
      typingCharsPerMinute: { fast: 100, expected: 200, slow: 300 },
      minutesPerResponse: { low: 2, expected: 0.5, high: 1 },
    };
    const range = estimateValueRange({ arc600Chars: 6000, responses: 30, keptAgentLines: 0, costUSD: 50 }, swapped);
    // Expected: 6000 chars ÷ 200 + 30 responses × 0.5 min, as the single value estimate computes it; the ends are
    // the fastest typing with the fewest minutes (300, 0.5) and the slowest with the most (100, 2).
    assert.deepEqual([range.low.valueUSD, range.expected.valueUSD, range.high.valueUSD], [35, 45, 120]);
  });

  it('has no ROI without cost and no NaN without data', () => {
    const range = estimateValueRange({ arc600Chars: 0, responses: 0, keptAgentLines: 0, costUSD: 0 }, settings);
    for (const bound of [range.low, range.expected, range.high]) {
      assert.equal(bound.valueUSD, 0);
      assert.equal(bound.roi, null);
    }
    assert.deepEqual(range.roiText, ['ROI: no cost in this range']);
  });

  it('reads its inputs from the settings, the expected ends being the value estimate\'s own', () => {
    assert.deepEqual(valueRangeSettingsFrom(parseSettings({})), DEFAULT_VALUE_RANGE_SETTINGS);
    const custom = valueRangeSettingsFrom(parseSettings({ 'value.typingCharsPerMinute': 250, 'value.minutesPerKeptLineHigh': 5, 'value.hourlyCostUSD': 80 }));
    assert.equal(custom.typingCharsPerMinute.expected, 250);
    assert.equal(custom.minutesPerKeptLine.high, 5);
    assert.equal(custom.hourlyCostUSD, 80);
    const defaults = estimateValueRange({ arc600Chars: 1000, responses: 10, keptAgentLines: 10, costUSD: 1 }, DEFAULT_VALUE_RANGE_SETTINGS);
    assert.ok(defaults.low.valueUSD < defaults.expected.valueUSD && defaults.expected.valueUSD < defaults.high.valueUSD);
  });
});
