import * as assert from 'node:assert/strict';
import { createPricer } from '../../../src/pricing/pricer';
import { assertClose } from '../pricing/helpers';
import { resolveSeats, seatCostForRange } from '../../../src/pricing/seats';
import { whatIfCost } from '../../../src/pricing/whatIf';
import { DEFAULT_LOCAL_MODEL_USD_PER_MTOK } from '../../../src/money/localModels';
import { mergeSummaryTexts } from '../../../src/team/merge';
import { usd, usdSmall } from '../../../src/team/format';
import { teamReportHtml } from '../../../src/team/html';
import { buildTeamReport } from '../../../src/team/teamReport';
import { teamReportText } from '../../../src/team/text';
import { dev, inlineRow, summaryText, usageRow } from './teamFixtures';

const pricer = createPricer();

/** Six developers over two months; developer 6 works only in the first week. */
function team(filter = {}) {
  const files = [];
  for (let n = 1; n <= 6; n++) {
    const days = n === 6 ? ['2024-05-01'] : ['2024-05-01', '2024-05-02', '2024-05-13', '2024-06-03'];
    files.push({
      name: `d${n}.ndjson`,
      text: summaryText(dev(n), {
        since: '2024-05-01',
        until: '2024-06-30',
        exportedAt: '2024-07-01T00:00:00Z',
        inline: days.map((date) => inlineRow(date, { acceptedLines: n })),
        usage: days.map((date) => usageRow(date, { costUSD: date < '2024-06-01' ? 0.25 : 0.5 })),
      }),
    });
  }
  return mergeSummaryTexts(files, filter);
}

describe('team report: the manager\'s questions', () => {
  it('adoption with --seats: developers active per week against licences paid, and the seat cost over the range', () => {
    const licences = resolveSeats([{ plan: 'copilot-business', count: 8 }]).seats;
    const report = buildTeamReport(team(), { minGroup: 5, personal: false, licences, pricer });
    assert.deepEqual(report.adoption.week, [
      { key: '2024-04-29', developers: 6, idleLicences: 2 },
      { key: '2024-05-13', developers: 5, idleLicences: 3 },
      { key: '2024-06-03', developers: 5, idleLicences: 3 },
    ]);
    const cost = seatCostForRange('2024-05-01', '2024-06-03', licences);
    assert.deepEqual(report.adoption.licences, { paid: 8, active: 6, idle: 2, costUSD: cost });
    assert.equal(report.economics?.seatSource, 'licences');
    assert.equal(report.economics?.seatCostUSD, cost);
  });

  it('the ROI divides by tokens and seats; cost per accepted and retained line by the inline-suggestion seats alone, as the dashboard', () => {
    // Copilot seats give the ghost text; Claude Max seats pay for Claude Code, not for those lines.
    const licences = resolveSeats([
      { plan: 'copilot-business', count: 6 },
      { plan: 'claude-max-5x', count: 6 },
    ]).seats;
    const report = buildTeamReport(team(), { minGroup: 5, personal: false, licences, pricer });
    const inline = report.totals.inline;
    const usage = report.totals.usage;
    const value = report.economics?.value;
    assert.ok(inline && usage && value);
    const inlineSeats = seatCostForRange('2024-05-01', '2024-06-03', licences.slice(0, 1));
    const allSeats = seatCostForRange('2024-05-01', '2024-06-03', licences);
    assert.ok(inlineSeats > 0 && allSeats > inlineSeats);
    assert.equal(value.costUSD, usage.costUSD + allSeats);
    assert.equal(value.inlineSeatCostUSD, inlineSeats);
    const retained = (inline.acceptedLines * inline.retention['600'].arc) / inline.retention['600'].chars;
    assert.equal(value.inlineSeatCostPerAcceptedLine, inlineSeats / inline.acceptedLines);
    assertClose(value.inlineSeatCostPerRetainedLine, inlineSeats / retained);
    assert.match(teamReportText(report, '2024-07-01'), /Inline seat cost per accepted line: \$/);
    assert.equal(report.economics?.acceptanceRate, (inline.acceptances.full + inline.acceptances.word + inline.acceptances.line) / inline.opportunities);
  });

  it('has no cost per accepted line without inline-suggestion seats, rather than charging agent tokens to ghost-text lines', () => {
    const report = buildTeamReport(team(), { minGroup: 5, personal: false, licences: null, pricer });
    const value = report.economics?.value;
    assert.ok(value && (report.totals.usage?.costUSD ?? 0) > 0);
    assert.equal(value.inlineSeatCostPerAcceptedLine, null);
    assert.equal(value.inlineSeatCostPerRetainedLine, null);
    assert.match(teamReportText(report, '2024-07-01'), /Inline seat cost per accepted line: – \(no inline-suggestion seats/);
  });

  it('what-if prices the team\'s tokens on the suggested models; the Jevons view has one point per month', () => {
    const report = buildTeamReport(team(), { minGroup: 5, personal: false, licences: null, pricer });
    const haiku = report.economics?.whatIf.find((result) => result.targetModel === 'claude-haiku-4-5');
    const tokens = usageRow('2024-05-01').tokens;
    const all = { standard: { ...tokens.standard }, longContext: { ...tokens.longContext } };
    for (const key of Object.keys(all.standard) as Array<keyof typeof all.standard>) all.standard[key] *= 21;
    assert.deepEqual(haiku, whatIfCost([{ model: 'claude-sonnet-4-5', tokens: all }], 'claude-haiku-4-5', pricer));
    assert.deepEqual(
      report.economics?.jevons.map((month) => [month.month, Math.round(month.spendUSD * 100) / 100]),
      [['2024-05', 16 * 0.25], ['2024-06', 5 * 0.5]],
    );
    const may = report.economics?.jevons[0];
    assert.equal(may?.usdPerMillionTokens, ((may?.spendUSD ?? 0) * 1e6) / (may?.tokens ?? 1));
  });

  it('what-if prices a local model at the default cost per million tokens, never as free (docs/money.md)', () => {
    const report = buildTeamReport(team(), { minGroup: 5, personal: false, licences: null, pricer });
    const local = report.economics?.whatIf.find((result) => result.targetModel.startsWith('ollama/'));
    assert.ok(local, JSON.stringify(report.economics?.whatIf.map((result) => result.targetModel)));
    const tokens = usageRow('2024-05-01').tokens.standard;
    const perRow = tokens.inputTokens + tokens.outputTokens + tokens.cacheReadTokens + tokens.cacheWrite5mTokens + tokens.cacheWrite1hTokens;
    assertClose(local.whatIfCostUSD ?? 0, (21 * perRow * DEFAULT_LOCAL_MODEL_USD_PER_MTOK) / 1e6);
  });

  it('what-if says what its figures are: the tokens at list prices, not the spend the machines recorded', () => {
    const report = buildTeamReport(team(), { minGroup: 5, personal: false, licences: null, pricer });
    const spend = report.totals.usage?.costUSD ?? 0;
    const asUsed = report.economics?.whatIf[0].realCostUSD ?? 0;
    // The fixture's recorded costs are not list prices, as when developers set their own prices.
    assert.ok(asUsed > 0 && Math.abs(asUsed - spend) > 0.01, `${asUsed} ${spend}`);
    const text = teamReportText(report, '2024-07-01');
    assert.match(text, new RegExp(`models as used +\\${usd(asUsed)}\n`));
    assert.ok(text.includes(`The spend, ${usd(spend)}, is what each developer's Assay priced`), text);
    const html = teamReportHtml(report, '', '2024-07-01');
    assert.ok(html.includes(`<th scope="row">Models as used</th><td class="n">${usd(asUsed)}</td>`), 'the what-if table starts with the models as used');
    assert.ok(html.includes(`The spend, ${usd(spend)}, is what each developer&#39;s Assay priced`));
    assert.doesNotMatch(html + text, /Real cost|instead of/);
  });

  it('with no seat listed and no --seats, the seat cost is said to be unknown rather than shown as $0.00', () => {
    const unknown = buildTeamReport(team(), { minGroup: 5, personal: false, licences: null, pricer });
    assert.equal(unknown.economics?.seatCostUSD, 0);
    assert.match(teamReportText(unknown, '2024-07-01'), /Seat cost: none known .*so the cost is token spend only/);
    const licences = resolveSeats([{ plan: 'copilot-business', count: 8 }]).seats;
    const given = buildTeamReport(team(), { minGroup: 5, personal: false, licences, pricer });
    const text = teamReportText(given, '2024-07-01');
    assert.ok(text.includes(`Seat cost in this range: ${usd(seatCostForRange('2024-05-01', '2024-06-03', licences))}, for the licences given with --seats.`), text);
  });

  it('the HTML shows idle licences only when the licences paid for were given', () => {
    const without = teamReportHtml(buildTeamReport(team(), { minGroup: 5, personal: false, licences: null, pricer }), '', '2024-07-01');
    assert.ok(without.includes('<th scope="col" class="n">Developers active</th></tr>') && !without.includes('Idle licences'));
    const licences = resolveSeats([{ plan: 'copilot-business', count: 8 }]).seats;
    const given = teamReportHtml(buildTeamReport(team(), { minGroup: 5, personal: false, licences, pricer }), '', '2024-07-01');
    assert.ok(given.includes('<th scope="col" class="n">Idle licences</th>'));
    assert.ok(given.includes('<th scope="row">2024-04-29</th><td class="n">6</td><td class="n">2</td>'), 'week, developers active, idle licences');
  });

  it('--since and --until keep only the days between them', () => {
    const report = buildTeamReport(team({ since: '2024-05-02', until: '2024-05-31' }), { minGroup: 5, personal: false, licences: null, pricer });
    assert.deepEqual(report.range, { since: '2024-05-02', until: '2024-05-13' });
    assert.equal(report.developers, 5);
    assert.equal(report.totals.usage?.requests, 5 * 2 * 3);
  });
});

describe('team report: wording', () => {
  it('a personal report counts machines, one or more, where a team report counts developers', () => {
    const machines = mergeSummaryTexts([
      { name: 'laptop.ndjson', text: summaryText(dev(1), { inline: [inlineRow('2024-05-02'), inlineRow('2024-05-02', { languageId: 'python' })] }) },
      { name: 'desktop.ndjson', text: summaryText(dev(2), { inline: [inlineRow('2024-05-02')] }) },
    ]);
    const personal = buildTeamReport(machines, { minGroup: 5, personal: true, licences: null, pricer });
    const text = teamReportText(personal, '2024-07-01');
    assert.match(text, /Week of 2024-04-29: 2 machines active/);
    assert.match(text, /python +\d[\d,]* AI chars +1 machine\n/);
    assert.match(text, /typescript +\d[\d,]* AI chars +2 machines\n/);
    assert.doesNotMatch(text + teamReportHtml(personal, '', '2024-07-01'), /developers? active|\d developers?\b|>Developers</);
  });


  it('a cost under ten cents keeps two significant digits, where cents would show $0.01 or $0.00', () => {
    assert.deepEqual([0.0067, 0.0004449, 0.05, 0.25, 1234.5, 0].map(usdSmall), ['$0.0067', '$0.00044', '$0.05', '$0.25', '$1,234.50', '$0.00']);
  });
});
