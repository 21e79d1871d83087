// Estimated value (docs/metrics.md, Value), always labelled an estimate and shown with its formula. Every input
// is a setting with a default here; nothing is a hidden constant.
//
//   minutes saved = ARC(600 s) ÷ typing speed + kept agent lines × minutes per kept line
//                 + responses × minutes per response
// (agent work counts by its lines kept at 1 day where they were measured, by responses elsewhere: the split is
// money/valueRange.ts `agentWork`, which the value range's ends share with this estimate)
//   value         = minutes saved ÷ 60 × hourly cost
//   ROI           = value ÷ cost (null when cost is 0)
//
// Retained lines are not measured per line: the estimate is accepted lines × Retention(600 s),
// where Retention(600 s) = ARC(600 s) ÷ accepted chars of acceptances whose 600 s checkpoint is known
// (unknown checkpoints are neither counted as retained nor as lost).
export interface ValueSettings {
  /** `assay.value.typingCharsPerMinute` */
  typingCharsPerMinute: number;
  /** `assay.value.minutesPerResponse`: minutes one agent/chat response saves (conservative default). */
  minutesPerResponse: number;
  /** `assay.value.minutesPerKeptLine`: minutes one agent-written line still there a day later saves. */
  minutesPerKeptLine: number;
  /** `assay.value.hourlyCostUSD`: the cost of one hour of the developer's time. */
  hourlyCostUSD: number;
}

export const DEFAULT_VALUE_SETTINGS: Readonly<ValueSettings> = Object.freeze({
  typingCharsPerMinute: 200,
  minutesPerResponse: 1,
  minutesPerKeptLine: 0.5,
  hourlyCostUSD: 100,
});

export interface ValueInputs {
  /** Accepted-and-retained characters at the 600 s checkpoint (known checkpoints only). */
  arc600Chars: number;
  /** Accepted characters of the acceptances whose 600 s checkpoint is known. */
  arc600KnownChars: number;
  acceptedLines: number;
  /** Agent and chat responses whose agent output was not measured at 1 day (usage records). */
  responses: number;
  /** Agent-written lines still there a day later, in the usage whose agent output was measured then. */
  keptAgentLines: number;
  /** Token cost of priced usage; unpriced usage is counted in `unpricedRequests`, not here. */
  tokenCostUSD: number;
  seatCostUSD: number;
  /** Usage records whose model has no price, so their cost is missing from `tokenCostUSD`. */
  unpricedRequests?: number;
}

export interface ValueEstimate {
  minutesSavedTyping: number;
  minutesSavedResponses: number;
  minutesSavedKeptLines: number;
  minutesSaved: number;
  hoursSaved: number;
  valueUSD: number;
  /** Token cost + seat cost. */
  costUSD: number;
  retainedLinesEstimate: number | null;
  costPerAcceptedLine: number | null;
  costPerRetainedLine: number | null;
  roi: number | null;
  /** The value formula with this estimate's numbers substituted, for display beside the figure. */
  formula: string;
  roiFormula: string;
}

export function estimateValue(inputs: ValueInputs, settings: ValueSettings = DEFAULT_VALUE_SETTINGS): ValueEstimate {
  const minutesSavedTyping = inputs.arc600Chars / settings.typingCharsPerMinute;
  const minutesSavedResponses = inputs.responses * settings.minutesPerResponse;
  const minutesSavedKeptLines = inputs.keptAgentLines * settings.minutesPerKeptLine;
  const minutesSaved = minutesSavedTyping + minutesSavedResponses + minutesSavedKeptLines;
  const hoursSaved = minutesSaved / 60;
  const valueUSD = hoursSaved * settings.hourlyCostUSD;
  const costUSD = inputs.tokenCostUSD + inputs.seatCostUSD;
  const retainedLinesEstimate =
    inputs.arc600KnownChars > 0 ? (inputs.acceptedLines * inputs.arc600Chars) / inputs.arc600KnownChars : null;
  const roi = costUSD > 0 ? valueUSD / costUSD : null;

  const keptLines = inputs.keptAgentLines > 0 ? ` + ${count(inputs.keptAgentLines)} kept agent lines × ${count(settings.minutesPerKeptLine)} min` : '';
  const keptMinutes = inputs.keptAgentLines > 0 ? ` + ${count(minutesSavedKeptLines)}` : '';
  const formula =
    `Estimated value = (${count(inputs.arc600Chars)} chars retained at 600 s ÷ ${count(settings.typingCharsPerMinute)} chars/min` +
    ` + ${count(inputs.responses)} responses × ${count(settings.minutesPerResponse)} min${keptLines}) ÷ 60 × ${usd(settings.hourlyCostUSD)}/h` +
    ` = (${count(minutesSavedTyping)} + ${count(minutesSavedResponses)}${keptMinutes}) min ÷ 60 × ${usd(settings.hourlyCostUSD)}/h` +
    ` = ${usd(valueUSD)}`;
  const unpriced = inputs.unpricedRequests
    ? ` (${count(inputs.unpricedRequests)} requests on unpriced models are not in the cost)`
    : '';
  const roiFormula =
    roi === null
      ? `ROI: no cost in this range${unpriced}`
      : `ROI = estimated value ÷ cost = ${usd(valueUSD)} ÷ (${usd(inputs.tokenCostUSD)} tokens + ${usd(inputs.seatCostUSD)} seats)` +
        ` = ${count(roi)}${unpriced}`;

  return {
    minutesSavedTyping,
    minutesSavedResponses,
    minutesSavedKeptLines,
    minutesSaved,
    hoursSaved,
    valueUSD,
    costUSD,
    retainedLinesEstimate,
    costPerAcceptedLine: inputs.acceptedLines > 0 ? costUSD / inputs.acceptedLines : null,
    costPerRetainedLine: retainedLinesEstimate ? costUSD / retainedLinesEstimate : null,
    roi,
    formula,
    roiFormula,
  };
}

// A fixed locale keeps formula strings identical on every machine (and in tests). Made on first use: the first Intl
// number format of a process loads ICU's number data (about 30 ms), which most `assay` commands never need.
let formulaFormats: { count: Intl.NumberFormat; usd: Intl.NumberFormat } | undefined;
const formats = () =>
  (formulaFormats ??= {
    count: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }),
    usd: new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' }),
  });

function count(value: number): string {
  return formats().count.format(value);
}

function usd(value: number): string {
  return formats().usd.format(value);
}
