import assert from 'node:assert/strict';
import { DEFAULT_VALUE_SETTINGS, estimateValue, type ValueInputs } from '../../../src/pricing/value';
import { assertClose } from './helpers';

const inputs: ValueInputs = {
  arc600Chars: 12_000,
  arc600KnownChars: 16_000,
  acceptedLines: 400,
  responses: 30,
  keptAgentLines: 0,
  tokenCostUSD: 40,
  seatCostUSD: 10,
};

describe('value estimate', () => {
  it('computes minutes saved, value and ROI from the settings', () => {
    const settings = DEFAULT_VALUE_SETTINGS;
    const estimate = estimateValue(inputs, settings);
    const typing = inputs.arc600Chars / settings.typingCharsPerMinute;
    const responses = inputs.responses * settings.minutesPerResponse;
    assertClose(estimate.minutesSavedTyping, typing);
    assertClose(estimate.minutesSavedResponses, responses);
    assertClose(estimate.valueUSD, ((typing + responses) / 60) * settings.hourlyCostUSD);
    assertClose(estimate.costUSD, 50);
    assertClose(estimate.roi, estimate.valueUSD / 50);
  });

  it('follows every setting (no hidden constant)', () => {
    const base = estimateValue(inputs, { typingCharsPerMinute: 200, minutesPerResponse: 1, minutesPerKeptLine: 0.5, hourlyCostUSD: 100 });
    const faster = estimateValue(inputs, { typingCharsPerMinute: 400, minutesPerResponse: 1, minutesPerKeptLine: 0.5, hourlyCostUSD: 100 });
    const longer = estimateValue(inputs, { typingCharsPerMinute: 200, minutesPerResponse: 3, minutesPerKeptLine: 0.5, hourlyCostUSD: 100 });
    const dearer = estimateValue(inputs, { typingCharsPerMinute: 200, minutesPerResponse: 1, minutesPerKeptLine: 0.5, hourlyCostUSD: 150 });
    assertClose(faster.minutesSavedTyping, base.minutesSavedTyping / 2);
    assertClose(longer.minutesSavedResponses, base.minutesSavedResponses * 3);
    assertClose(dearer.valueUSD, base.valueUSD * 1.5);
  });

  it('shows the formula with the numbers substituted', () => {
    const estimate = estimateValue(inputs, { typingCharsPerMinute: 200, minutesPerResponse: 1, minutesPerKeptLine: 0.5, hourlyCostUSD: 100 });
    // 12,000 / 200 = 60 min typing, 30 × 1 = 30 min of responses, 90 min = 1.5 h × $100 = $150.
    assert.equal(
      estimate.formula,
      'Estimated value = (12,000 chars retained at 600 s ÷ 200 chars/min + 30 responses × 1 min) ÷ 60 × $100.00/h' +
        ' = (60 + 30) min ÷ 60 × $100.00/h = $150.00',
    );
    assert.equal(estimate.roiFormula, 'ROI = estimated value ÷ cost = $150.00 ÷ ($40.00 tokens + $10.00 seats) = 3');
  });

  it('values measured agent work by its lines kept a day later, and names that term in the formula', () => {
    const settings = { typingCharsPerMinute: 200, minutesPerResponse: 1, minutesPerKeptLine: 0.5, hourlyCostUSD: 100 };
    const estimate = estimateValue({ ...inputs, responses: 10, keptAgentLines: 120 }, settings);
    // 60 min typing + 10 responses × 1 min + 120 kept lines × 0.5 min = 130 min = $216.67.
    assertClose(estimate.minutesSavedKeptLines, 60);
    assertClose(estimate.minutesSaved, 130);
    assertClose(estimate.valueUSD, (130 / 60) * 100);
    assert.match(estimate.formula, /\+ 10 responses × 1 min \+ 120 kept agent lines × 0\.5 min\) ÷ 60/);
  });

  it('derives cost per accepted and per retained line (retained = accepted lines × ARC ÷ known chars)', () => {
    const estimate = estimateValue(inputs);
    const retained = (inputs.acceptedLines * inputs.arc600Chars) / inputs.arc600KnownChars;
    assertClose(estimate.retainedLinesEstimate, retained);
    assertClose(estimate.costPerAcceptedLine, 50 / inputs.acceptedLines);
    assertClose(estimate.costPerRetainedLine, 50 / retained);
  });

  it('gives no ROI, and says why, when nothing cost anything', () => {
    const estimate = estimateValue({ ...inputs, tokenCostUSD: 0, seatCostUSD: 0 });
    assert.equal(estimate.roi, null);
    assert.match(estimate.roiFormula, /no cost/);
    assert.equal(estimate.costPerAcceptedLine, 0);
  });

  it('gives no per-line figures without lines or known retention', () => {
    const estimate = estimateValue({ ...inputs, acceptedLines: 0, arc600Chars: 0, arc600KnownChars: 0 });
    assert.equal(estimate.costPerAcceptedLine, null);
    assert.equal(estimate.retainedLinesEstimate, null);
    assert.equal(estimate.costPerRetainedLine, null);
  });

  it('says when unpriced requests are missing from the cost', () => {
    assert.match(estimateValue({ ...inputs, unpricedRequests: 7 }).roiFormula, /7 requests on unpriced models/);
  });
});
