// Value as a range (docs/money.md, Value): the estimate of src/pricing/value.ts computed three times, from the
// low, expected and high end of each input, so the dashboard never shows one falsely precise number.
//
//   minutes saved = ARC(600 s) ÷ typing speed + agent minutes
//   agent minutes = kept agent lines × minutes per kept line      (once agent output is measured)
//                 = responses × minutes per response              (until then)
//   value         = minutes saved ÷ 60 × hourly cost
//   ROI           = value ÷ cost                                 (none when the cost is 0)
//
// Kept lines replace responses rather than adding to them: both describe the same agent work, and counting both
// would count it twice. The low value uses the fast typing speed (typing it yourself would have taken less time)
// and the low minutes; the high value the slow typing speed and the high minutes. Whatever the user sets, each
// input's three numbers are put in order, so low ≤ expected ≤ high always holds.
import { DEFAULT_VALUE_SETTINGS } from '../pricing/value';
import { figure, rich, type RichText } from './format';

export interface ValueRangeSettings {
  /** Characters per minute: `assay.value.typingCharsPerMinuteFast`, `…PerMinute`, `…PerMinuteSlow`. */
  typingCharsPerMinute: { fast: number; expected: number; slow: number };
  minutesPerResponse: { low: number; expected: number; high: number };
  minutesPerKeptLine: { low: number; expected: number; high: number };
  hourlyCostUSD: number;
}

/**
 * The ends of each input. Expected typing speed and minutes per response are the value estimate's own defaults
 * (src/pricing/value.ts). Typing: about 70 words a minute for a fast typist, 24 for code typed while thinking
 * (5 characters a word). Minutes: a quarter of a minute to three per response; six seconds to two minutes per
 * kept line. Assumptions, not measurements: every one is a setting (docs/money.md explains them).
 */
export const DEFAULT_VALUE_RANGE_SETTINGS: Readonly<ValueRangeSettings> = Object.freeze({
  typingCharsPerMinute: { fast: 350, expected: DEFAULT_VALUE_SETTINGS.typingCharsPerMinute, slow: 120 },
  minutesPerResponse: { low: 0.25, expected: DEFAULT_VALUE_SETTINGS.minutesPerResponse, high: 3 },
  minutesPerKeptLine: { low: 0.1, expected: 0.5, high: 2 },
  hourlyCostUSD: DEFAULT_VALUE_SETTINGS.hourlyCostUSD,
});

export interface ValueRangeInputs {
  /** Accepted-and-retained characters at 600 s (known checkpoints). */
  arc600Chars: number;
  /** Agent and chat responses. */
  responses: number;
  /** Agent-written lines still present 1 day later; null until agent output is measured. */
  keptAgentLines: number | null;
  /** Token cost of priced usage plus seat cost. */
  costUSD: number;
}

interface ValueBound {
  minutesSaved: number;
  valueUSD: number;
  /** value ÷ cost; null when the cost is 0. */
  roi: number | null;
  /** The formula with this bound's numbers. */
  formula: RichText;
}

export interface ValueRange {
  low: ValueBound;
  expected: ValueBound;
  high: ValueBound;
  /** Which agent term was used. */
  agentBasis: 'keptLines' | 'responses';
  /** "ROI 1.2× – 3.4× (expected 2.1×)", or why there is none. */
  roiText: RichText;
}

export function estimateValueRange(inputs: ValueRangeInputs, settings: ValueRangeSettings): ValueRange {
  const [slowest, typingExpected, fastest] = ordered([settings.typingCharsPerMinute.slow, settings.typingCharsPerMinute.expected, settings.typingCharsPerMinute.fast]);
  const agentBasis = inputs.keptAgentLines === null ? 'responses' : 'keptLines';
  const agentCount = inputs.keptAgentLines ?? inputs.responses;
  const perAgentUnit = ordered(
    agentBasis === 'keptLines'
      ? [settings.minutesPerKeptLine.low, settings.minutesPerKeptLine.expected, settings.minutesPerKeptLine.high]
      : [settings.minutesPerResponse.low, settings.minutesPerResponse.expected, settings.minutesPerResponse.high],
  );
  const unit = agentBasis === 'keptLines' ? 'kept agent lines' : 'responses';
  const bound = (typingSpeed: number, agentMinutes: number): ValueBound => {
    const typingMinutes = inputs.arc600Chars / typingSpeed;
    const minutesSaved = typingMinutes + agentCount * agentMinutes;
    const valueUSD = (minutesSaved / 60) * settings.hourlyCostUSD;
    const formula = rich`(${figure(inputs.arc600Chars, 'chars')} chars retained at 600 s ÷ ${figure(typingSpeed, 'decimal')} chars/min + ${figure(agentCount, 'count')} ${unit} × ${figure(agentMinutes, 'decimal')} min) ÷ 60 × ${figure(settings.hourlyCostUSD, 'usd')}/h = ${figure(valueUSD, 'usd')}`;
    return { minutesSaved, valueUSD, roi: inputs.costUSD > 0 ? valueUSD / inputs.costUSD : null, formula };
  };
  const low = bound(fastest, perAgentUnit[0]);
  const expected = bound(typingExpected, perAgentUnit[1]);
  const high = bound(slowest, perAgentUnit[2]);
  const roiText =
    low.roi === null || expected.roi === null || high.roi === null
      ? ['ROI: no cost in this range']
      : rich`ROI ${figure(low.roi, 'multiple')} – ${figure(high.roi, 'multiple')} (expected ${figure(expected.roi, 'multiple')})`;
  return { low, expected, high, agentBasis, roiText };
}

function ordered(values: [number, number, number]): [number, number, number] {
  return [...values].sort((a, b) => a - b) as [number, number, number];
}
