// Value as a range (docs/money.md, Value): the estimate of src/pricing/value.ts computed three times, from the
// low, expected and high end of each input, so the dashboard never shows one falsely precise number.
//
//   minutes saved = ARC(600 s) ÷ typing speed
//                 + responses × minutes per response        (usage whose agent output is not measured)
//                 + kept agent lines × minutes per kept line (usage whose agent output is measured)
//   value         = minutes saved ÷ 60 × hourly cost
//   ROI           = value ÷ cost                            (none when the cost is 0)
//
// Once a usage row's agent edits have a known 1-day checkpoint, its lines kept replace its responses: both describe
// the same agent work, and counting both would count it twice (`agentWork` makes that split). The low value uses
// the fast typing speed (typing it yourself would have taken less time) and the low minutes; the high value the
// slow typing speed and the high minutes. The expected number is always the user's own (the value estimate and its
// formula use it); whatever the ends are set to, they are widened to hold it, so low ≤ expected ≤ high always holds.
import { DEFAULT_VALUE_SETTINGS } from '../pricing/value';
import { KEPT_LINES_CHECKPOINT_KEY } from '../agentOutput/types';
import type { AgentRetentionCell } from '../report/rows';
import { fig, text, type RichText } from '../report/richText';


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
  minutesPerKeptLine: { low: 0.1, expected: DEFAULT_VALUE_SETTINGS.minutesPerKeptLine, high: 2 },
  hourlyCostUSD: DEFAULT_VALUE_SETTINGS.hourlyCostUSD,
});

export interface ValueRangeInputs {
  /** Accepted-and-retained characters at 600 s (known checkpoints). */
  arc600Chars: number;
  /** Agent and chat responses whose agent output is not measured. */
  responses: number;
  /** Agent-written lines still present 1 day later, where that is measured. */
  keptAgentLines: number;
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
  /** "ROI 1.2× – 3.4× (expected 2.1×)", or why there is none. */
  roiText: RichText;
}

/** A usage row's fields `agentWork` reads (report/rows.ts UsageRow, with AgentOutputFigures where measured). */
export interface AgentWorkRow {
  requests: number;
  agentRetention?: Record<string, AgentRetentionCell>;
}

/** The agent terms of the value: responses of rows without a known 1-day checkpoint, kept lines of rows with one. */
export function agentWork(rows: readonly AgentWorkRow[]): { responses: number; keptAgentLines: number } {
  let responses = 0;
  let keptAgentLines = 0;
  for (const row of rows) {
    const cell = row.agentRetention?.[KEPT_LINES_CHECKPOINT_KEY];
    if (cell && cell.known > 0) keptAgentLines += cell.linesKept;
    else responses += row.requests;
  }
  return { responses, keptAgentLines };
}

export function estimateValueRange(inputs: ValueRangeInputs, settings: ValueRangeSettings): ValueRange {
  const [slowest, typingExpected, fastest] = around(settings.typingCharsPerMinute.expected, settings.typingCharsPerMinute.slow, settings.typingCharsPerMinute.fast);
  const perResponse = around(settings.minutesPerResponse.expected, settings.minutesPerResponse.low, settings.minutesPerResponse.high);
  const perKeptLine = around(settings.minutesPerKeptLine.expected, settings.minutesPerKeptLine.low, settings.minutesPerKeptLine.high);
  const bound = (typingSpeed: number, minutesPerResponse: number, minutesPerKeptLine: number): ValueBound => {
    const minutesSaved = inputs.arc600Chars / typingSpeed + inputs.responses * minutesPerResponse + inputs.keptAgentLines * minutesPerKeptLine;
    const valueUSD = (minutesSaved / 60) * settings.hourlyCostUSD;
    const responsesTerm = text` + ${fig(inputs.responses, 'count')} responses × ${fig(minutesPerResponse, 'decimal')} min`;
    const keptLinesTerm = text` + ${fig(inputs.keptAgentLines, 'count')} kept agent lines × ${fig(minutesPerKeptLine, 'decimal')} min`;
    // A term with nothing to count is left out, unless both are empty: the formula still shows where responses go.
    const agentTerms = [
      ...(inputs.responses > 0 || inputs.keptAgentLines === 0 ? responsesTerm : []),
      ...(inputs.keptAgentLines > 0 ? keptLinesTerm : []),
    ];
    const formula = text`(${fig(inputs.arc600Chars, 'chars')} chars retained at 600 s ÷ ${fig(typingSpeed, 'decimal')} chars/min${agentTerms}) ÷ 60 × ${fig(settings.hourlyCostUSD, 'usd')}/h = ${fig(valueUSD, 'usd')}`;
    return { minutesSaved, valueUSD, roi: inputs.costUSD > 0 ? valueUSD / inputs.costUSD : null, formula };
  };
  const low = bound(fastest, perResponse[0], perKeptLine[0]);
  const expected = bound(typingExpected, perResponse[1], perKeptLine[1]);
  const high = bound(slowest, perResponse[2], perKeptLine[2]);
  const roiText =
    low.roi === null || expected.roi === null || high.roi === null
      ? ['ROI: no cost in this range']
      : text`ROI ${fig(low.roi, 'multiple')} – ${fig(high.roi, 'multiple')} (expected ${fig(expected.roi, 'multiple')})`;
  return { low, expected, high, roiText };
}

/** The smaller end, `expected` itself, the larger end: ends set on the wrong side of `expected` are moved out to it. */
function around(expected: number, end: number, otherEnd: number): [number, number, number] {
  return [Math.min(expected, end, otherEnd), expected, Math.max(expected, end, otherEnd)];
}
