// The team report's value counts agent work as the developer's dashboard does (issue #9 item 6): rows whose agent
// edits were measured a day later by the lines they kept, all others (rows still waiting, schema 1 and 2 rows) by
// responses, each developer's row on its own even where the merge adds them into one group.
import * as assert from 'node:assert/strict';
import { createPricer } from '../../../src/pricing/pricer';
import { teamReportHtml } from '../../../src/team/html';
import { mergeSummaryTexts } from '../../../src/team/merge';
import { buildTeamReport } from '../../../src/team/teamReport';
import type { TeamReportJson } from '../../../src/team/teamReport';
import { teamReportText } from '../../../src/team/text';
import { assertClose } from '../pricing/helpers';
import { agentOutput, asOlderSchema, dev, inlineRow, summaryText, usageRow } from './teamFixtures';

const pricer = createPricer();
const DAY = '2024-05-02';

/**
 * Seven developers, each with one inline row (60 chars retained at 600 s) and one Claude Code row of 3 responses
 * at $0.25, all in the same (day, tool, model) group: developers 1-3 (schema 3) had 30 of 40 agent lines kept at
 * 1 day; developers 4-5 (schema 3) have edits measured at 1 h only, their day not yet; developer 6 (schema 3) made
 * no agent edit; developer 7's file is schema 2, which says nothing about agent output.
 */
function team(): TeamReportJson {
  const files = [];
  for (let n = 1; n <= 7; n++) {
    const agent = n <= 3 ? agentOutput(4, 40, 36, 30) : n <= 5 ? agentOutput(2, 10, 9, null) : {};
    const text = summaryText(dev(n), { inline: [inlineRow(DAY)], usage: [usageRow(DAY, agent)] });
    files.push({ name: `d${n}.ndjson`, text: n === 7 ? asOlderSchema(text, 2) : text });
  }
  return buildTeamReport(mergeSummaryTexts(files), { minGroup: 5, personal: false, licences: null, pricer });
}

describe('team report: value as the dashboard counts it', () => {
  it('counts 90 kept lines for the three measured developers and 12 responses for the other four, by hand', () => {
    const value = team().economics?.value;
    assert.ok(value);
    assert.deepEqual([value.arc600Chars, value.responses, value.keptAgentLines], [7 * 60, 4 * 3, 3 * 30]);
    // minutes = 420 chars ÷ typing speed + 12 responses × minutes per response + 90 kept lines × minutes per kept line,
    // with the defaults of docs/money.md (350/200/120 chars a minute, 0.25/1/3 min a response, 0.1/0.5/2 min a line).
    assertClose(value.low.minutesSaved, 420 / 350 + 12 * 0.25 + 90 * 0.1);
    assertClose(value.expected.minutesSaved, 420 / 200 + 12 * 1 + 90 * 0.5);
    assertClose(value.high.minutesSaved, 420 / 120 + 12 * 3 + 90 * 2);
    // At $100 an hour.
    assertClose(value.low.valueUSD, (13.2 / 60) * 100);
    assertClose(value.expected.valueUSD, (59.1 / 60) * 100);
    assertClose(value.high.valueUSD, (219.5 / 60) * 100);
    assertClose(value.costUSD, 7 * 0.25);
    assertClose(value.expected.roi, (59.1 / 60) * 100 / 1.75);
  });

  it('the formula of each end names both agent terms, in the JSON, the text and the HTML', () => {
    const report = team();
    const value = report.economics?.value;
    assert.ok(value);
    const expected = '(420 chars retained at 600 s ÷ 200 chars/min + 12 responses × 1 min + 90 kept agent lines × 0.5 min) ÷ 60 × $100.00/h = $98.50';
    assert.equal(value.expected.formula, expected);
    assert.equal(value.low.formula, '(420 chars retained at 600 s ÷ 350 chars/min + 12 responses × 0.25 min + 90 kept agent lines × 0.1 min) ÷ 60 × $100.00/h = $22.00');
    assert.match(JSON.stringify(report), /"high":\{[^}]*"formula":"\(420 chars retained at 600 s ÷ 120 chars\/min \+ 12 responses × 3 min \+ 90 kept agent lines × 2 min\) ÷ 60 × \$100\.00\/h = \$365\.83"/);
    const text = teamReportText(report, '2024-06-01');
    assert.ok(text.includes('\n  Estimated value: $98.50 (low $22.00 – high $365.83)\n'), text);
    assert.ok(text.includes(`\n  Expected value = ${expected}\n`), text);
    assert.ok(text.includes('\n  ROI 12.6× – 209× (expected 56.3×): each end of the value ÷ cost $1.75 ($1.75 tokens + $0.00 seats)\n'), text);
    assert.match(text, /Agent work counts by the lines kept at 1 day where the summaries measured them .* Assay's defaults/);
    const html = teamReportHtml(report, '', '2024-06-01');
    assert.ok(html.includes(`<p><code>Expected value = ${expected}</code></p>`), 'the HTML shows the same formula');
  });

  it('a team whose files all predate agent output counts every response, as before', () => {
    const files = [];
    for (let n = 1; n <= 5; n++) {
      files.push({ name: `d${n}.ndjson`, text: asOlderSchema(summaryText(dev(n), { inline: [inlineRow(DAY)], usage: [usageRow(DAY)] }), 2) });
    }
    const value = buildTeamReport(mergeSummaryTexts(files), { minGroup: 5, personal: false, licences: null, pricer }).economics?.value;
    assert.ok(value);
    assert.deepEqual([value.responses, value.keptAgentLines], [15, 0]);
    assertClose(value.expected.valueUSD, ((300 / 200 + 15 * 1) / 60) * 100);
    assert.doesNotMatch(value.expected.formula, /kept agent lines/);
  });
});
