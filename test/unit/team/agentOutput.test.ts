// Agent output in the team report (issue #9 item 6): what the developers' agents wrote and kept,
// summed per group under the same k rule as every other figure, and shown in the text, HTML and CSV.
import * as assert from 'node:assert/strict';
import { createPricer } from '../../../src/pricing/pricer';
import { MEASURES } from '../../../src/report/measures';
import { teamReportCsv } from '../../../src/team/csv';
import { teamReportHtml } from '../../../src/team/html';
import { mergeSummaryTexts } from '../../../src/team/merge';
import { buildTeamReport } from '../../../src/team/teamReport';
import type { TeamReportJson } from '../../../src/team/teamReport';
import { teamReportText } from '../../../src/team/text';
import { agentOutput, dev, inlineRow, summaryText, usageRow } from './teamFixtures';

const pricer = createPricer();
const DAY = '2024-05-02';

/**
 * Ten developers on Claude Code (each 4 edits, 40 lines added, 36 kept at 1 h, 30 at 1 day, $0.25);
 * developers 1-4 also on Codex (2 edits, 10 lines, 9 and 5 kept, $0.50), developers 5-7 on Gemini
 * CLI (1 edit, 8 lines, 1 h measured only: its day not yet, $0.30), all on 2024-05-02.
 */
function team(): TeamReportJson {
  const files = [];
  for (let n = 1; n <= 10; n++) {
    const usage = [usageRow(DAY, { ...agentOutput(4, 40, 36, 30, 1000), costUSD: 0.25 })];
    if (n <= 4) usage.push(usageRow(DAY, { source: 'codex', model: 'gpt-5', ...agentOutput(2, 10, 9, 5), costUSD: 0.5 }));
    if (n >= 5 && n <= 7) usage.push(usageRow(DAY, { source: 'gemini-cli', model: 'gemini-2.5-pro', ...agentOutput(1, 8, 8, null), costUSD: 0.3 }));
    files.push({ name: `d${n}.ndjson`, text: summaryText(dev(n), { inline: [inlineRow(DAY)], usage }) });
  }
  return buildTeamReport(mergeSummaryTexts(files), { minGroup: 5, personal: false, licences: null, pricer });
}

describe('team report: agent output', () => {
  it('sums each group\'s agent figures, and the Codex group of 4 developers folds into other with Gemini CLI\'s 3', () => {
    const report = team();
    const total = report.totals.usage;
    assert.ok(total);
    assert.deepEqual(
      [total.agentEdits, total.linesAdded, total.linesRemoved, total.wasteTokens, total.agentOutputRequests],
      [10 * 4 + 4 * 2 + 3 * 1, 10 * 40 + 4 * 10 + 3 * 8, 10 * 10 + 4 * 2 + 3 * 2, 10 * 1000, 10 * 3 + 4 * 3 + 3 * 3],
    );
    // At 1 day, `other` has Codex's 4 developers measured and Gemini CLI's 3 not yet: its 1-day figures would describe
    // those 4 alone, so they are withheld there, and from every sum of rows.
    assert.deepEqual(total.agentRetention, {
      '3600': { known: 51, linesAdded: 464, linesKept: 10 * 36 + 4 * 9 + 3 * 8 },
      '86400': { known: 40, linesAdded: 400, linesKept: 10 * 30 },
    });
    const sources = report.breakdowns.usage.source;
    assert.deepEqual(sources.map((row) => [row.key, row.developers, row.linesAdded]), [
      ['claude-code', 10, 400],
      ['other', 7, 4 * 10 + 3 * 8],
    ]);
    // Cost per kept line: the cost of the rows measured a day later ÷ lines kept at 1 day; none shown for `other`.
    assert.equal(sources[0].costPerKeptLineUSD, (10 * 0.25) / 300);
    assert.equal(sources[1].agentRetention?.['86400'], undefined);
    assert.equal(sources[1].costPerKeptLineUSD, null);
    assert.equal(total.costPerKeptLineUSD, (10 * 0.25) / 300);
    // The day's rows fold the same way: no row shows Codex's 4 developers.
    const usageRows = report.rows.filter((row) => row.kind === 'usage');
    assert.deepEqual(usageRows.map((row) => [row.kind === 'usage' && row.source, row.developers, row.kind === 'usage' && row.linesAdded]), [
      ['claude-code', 10, 400],
      ['other', 7, 64],
    ]);
    assert.ok(!JSON.stringify(report).includes('"codex"'), 'Codex is named nowhere');
  });

  it('the text says lines added and removed, kept at 1 h and 1 day with the edits measured, and cost per kept line, per tool and model', () => {
    const text = teamReportText(team(), '2024-06-01');
    assert.match(text, /\nAgent output\n {2}Reported for 51 of 51 agent responses/);
    assert.match(text, /Lines added: 464 {3}Lines removed: 114 {3}Edits: 51\n/);
    assert.match(text, /Kept at 1 h: 90\.5% of 464 lines \(51 edits measured\) {3}Kept at 1 day: 75\.0% of 400 lines \(40 edits measured\)\n/);
    assert.match(text, /Cost per kept line \(kept at 1 day\): \$0\.0083 {3}Tokens of responses whose edits kept nothing at 1 day: 10,000\n/);
    assert.match(text, /\n {2}By tool:\n {4}claude-code +400 lines added {2}kept at 1 h +90\.0% {2}kept at 1 day +75\.0% \(40 edits measured\) +\$0\.0083 per kept line +10 developers\n {4}other +64 lines added/);
    assert.match(text, /\n {2}By model:\n {4}claude-sonnet-4-5 +400 lines added/);
  });

  it('the HTML has the same figures, with a table per tool and model', () => {
    const html = teamReportHtml(team(), '', '2024-06-01');
    assert.ok(html.includes('<h2>Agent output</h2>'));
    assert.ok(html.includes('Lines added: <strong>464</strong>; lines removed: <strong>114</strong>; edits: 51.'));
    assert.ok(html.includes('Kept at 1 day: <strong>75.0% of 400 lines (40 edits measured)</strong>.'));
    assert.ok(html.includes('Cost per kept line (kept at 1 day): <strong>$0.0083</strong>.'));
    assert.ok(html.includes('<th scope="col" class="n">Kept at 1 h</th><th scope="col" class="n">Kept at 1 day</th><th scope="col" class="n">Edits measured at 1 day</th><th scope="col" class="n">Cost per kept line</th>'));
    assert.ok(html.includes('<th scope="row">claude-code</th><td class="n">10</td><td class="n">400</td><td class="n">100</td><td class="n">90.0%</td><td class="n">75.0%</td><td class="n">40</td><td class="n">$0.0083</td>'), html);
    assert.ok(html.includes('<th scope="row">claude-sonnet-4-5</th><td class="n">10</td><td class="n">400</td><td class="n">100</td>'));
  });

  it('the CSV has the agent columns on every usage row and the total', () => {
    const [header, ...lines] = teamReportCsv(team()).trimEnd().split('\r\n');
    const columns = header.split(',');
    const at = (line: string, column: string) => line.split(',')[columns.indexOf(column)];
    const total = lines.find((line) => line.startsWith('total,usage,'));
    const claude = lines.find((line) => line.includes(',claude-code,'));
    assert.ok(total && claude);
    const fields = ['agentEdits', 'linesAdded', 'linesRemoved', 'agentRetention3600LinesKept', 'agentRetention86400Known', 'agentRetention86400LinesKept', 'agentRetention604800Known', 'wasteTokens', 'agentOutputRequests'];
    assert.deepEqual(fields.map((field) => at(total, field)), ['51', '464', '114', '420', '40', '300', '0', '10000', '51']);
    assert.deepEqual(fields.map((field) => at(claude, field)), ['40', '400', '100', '360', '40', '300', '0', '10000', '30']);
    assert.equal(Number(at(claude, 'costPerKeptLineUSD')), 2.5 / 300);
  });

  it('inline figures carry the product\'s one name per measure', () => {
    const report = team();
    const text = teamReportText(report, '2024-06-01');
    const html = teamReportHtml(report, '', '2024-06-01');
    for (const out of [text, html]) {
      assert.ok(out.includes(`${MEASURES.acceptanceRate.label}: `) && out.includes(`${MEASURES.keptAt600.label}: `), out);
      assert.doesNotMatch(out, /Acceptance rate \(per request\)|Kept after 10 minutes/);
    }
  });
});
