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
 * Ten developers, each with one inline row (60 chars retained at 600 s) and one Claude Code row of 3 responses at
 * $0.25, all in the same (day, tool, model) group, reported with k = 3: developers 1-3 (schema 3) had 30 of 40 agent
 * lines kept at 1 day; developers 4-6 (schema 3) have edits measured at 1 h only, their day not yet; developer 7
 * (schema 3) made no agent edit; developers 8-10 wrote schema 2 files, which say nothing about agent output. Each part
 * of the row (measured a day later or not, reporting agent output or not) has no developer or at least k.
 */
function team(): TeamReportJson {
  const files = [];
  for (let n = 1; n <= 10; n++) {
    const agent = n <= 3 ? agentOutput(4, 40, 36, 30) : n <= 6 ? agentOutput(2, 10, 9, null) : {};
    const text = summaryText(dev(n), { inline: [inlineRow(DAY)], usage: [usageRow(DAY, agent)] });
    files.push({ name: `d${n}.ndjson`, text: n >= 8 ? asOlderSchema(text, 2) : text });
  }
  return buildTeamReport(mergeSummaryTexts(files), { minGroup: 3, personal: false, licences: null, pricer });
}

describe('team report: value as the dashboard counts it', () => {
  it('counts 90 kept lines for the three measured developers and 21 responses for the other seven, by hand', () => {
    const value = team().economics?.value;
    assert.ok(value);
    assert.deepEqual([value.arc600Chars, value.responses, value.keptAgentLines], [10 * 60, 7 * 3, 3 * 30]);
    // minutes = 600 chars ÷ typing speed + 21 responses × minutes per response + 90 kept lines × minutes per kept line,
    // with the defaults of docs/money.md (350/200/120 chars a minute, 0.25/1/3 min a response, 0.1/0.5/2 min a line).
    assertClose(value.low.minutesSaved, 600 / 350 + 21 * 0.25 + 90 * 0.1);
    assertClose(value.expected.minutesSaved, 600 / 200 + 21 * 1 + 90 * 0.5);
    assertClose(value.high.minutesSaved, 600 / 120 + 21 * 3 + 90 * 2);
    // At $100 an hour.
    assertClose(value.low.valueUSD, ((600 / 350 + 14.25) / 60) * 100);
    assertClose(value.expected.valueUSD, (69 / 60) * 100);
    assertClose(value.high.valueUSD, (248 / 60) * 100);
    assertClose(value.costUSD, 10 * 0.25);
    assertClose(value.expected.roi, (69 / 60) * 100 / 2.5);
  });

  it('the formula of each end names both agent terms, in the JSON, the text and the HTML', () => {
    const report = team();
    const value = report.economics?.value;
    assert.ok(value);
    const expected = '(600 chars retained at 600 s ÷ 200 chars/min + 21 responses × 1 min + 90 kept agent lines × 0.5 min) ÷ 60 × $100.00/h = $115.00';
    assert.equal(value.expected.formula, expected);
    assert.equal(value.low.formula, '(600 chars retained at 600 s ÷ 350 chars/min + 21 responses × 0.25 min + 90 kept agent lines × 0.1 min) ÷ 60 × $100.00/h = $26.61');
    assert.match(JSON.stringify(report), /"high":\{[^}]*"formula":"\(600 chars retained at 600 s ÷ 120 chars\/min \+ 21 responses × 3 min \+ 90 kept agent lines × 2 min\) ÷ 60 × \$100\.00\/h = \$413\.33"/);
    const text = teamReportText(report, '2024-06-01');
    assert.ok(text.includes('\n  Estimated value: $115.00 (low $26.61 – high $413.33)\n'), text);
    assert.ok(text.includes(`\n  Expected value = ${expected}\n`), text);
    assert.match(text, /\n {2}ROI 10\.6× – 165(\.3)?× \(expected 46(\.0)?×\): each end of the value ÷ cost \$2\.50 \(\$2\.50 tokens \+ \$0\.00 seats\)\n/);
    assert.match(text, /Agent work counts by the lines kept at 1 day where the summaries measured them .* Assay's defaults/);
    const html = teamReportHtml(report, '', '2024-06-01');
    assert.ok(html.includes(`<p><code>Expected value = ${expected}</code></p>`), 'the HTML shows the same formula');
  });

  it('with one schema 2 developer among six, the agent output of the others is withheld and every response counts as one', () => {
    const files = [];
    for (let n = 1; n <= 6; n++) {
      const text = summaryText(dev(n), { inline: [inlineRow(DAY)], usage: [usageRow(DAY, agentOutput(4, 40, 36, 30))] });
      files.push({ name: `d${n}.ndjson`, text: n === 6 ? asOlderSchema(text, 2) : text });
    }
    const report = buildTeamReport(mergeSummaryTexts(files), { minGroup: 5, personal: false, licences: null, pricer });
    // Shown, the row's requests minus its agent output's requests would be developer 6's.
    assert.equal(report.totals.usage?.agentOutputRequests, undefined);
    assert.equal(report.totals.usage?.requests, 18);
    assert.deepEqual([report.economics?.value?.responses, report.economics?.value?.keptAgentLines], [18, 0]);
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
