// Figures of part of a group (docs/privacy.md, The k rule): a group's cost is its priced rows', its agent output the
// rows' that report it, its seat cost the developers' who list seats. Each is shown only where it, and what the rest of
// the group adds beside it, describe no developer or at least k; the cases are the ones a review found leaking.
import * as assert from 'node:assert/strict';
import { createPricer } from '../../../src/pricing/pricer';
import { resolveSeats } from '../../../src/pricing/seats';
import { mergeSummaryTexts } from '../../../src/team/merge';
import { buildTeamReport } from '../../../src/team/teamReport';
import { teamReportText } from '../../../src/team/text';
import { close } from '../money/fixtures';
import { agentOutput, dev, inlineRow, summaryText, usageRow } from './teamFixtures';

const pricer = createPricer();
const DAY = '2024-05-02';
const options = { minGroup: 5, personal: false, licences: null, pricer };

describe('team report: figures of part of a group', () => {
  it("a model one developer uses folds into other beside an unpriced model, and its cost is told nowhere", () => {
    const files = [];
    for (let n = 1; n <= 10; n++) {
      const model = n <= 5 ? 'claude-sonnet-4-5' : n === 6 ? 'gpt-4o' : 'other';
      const costUSD = model === 'other' ? null : model === 'gpt-4o' ? 3.1 : 0.25;
      files.push({ name: `d${n}.ndjson`, text: summaryText(dev(n), { usage: [usageRow(DAY, { model, costUSD, requests: 3 })] }) });
    }
    const report = buildTeamReport(mergeSummaryTexts(files), options);
    const other = report.rows.find((row) => row.kind === 'usage' && row.model === 'other');
    assert.ok(other && other.kind === 'usage');
    assert.equal(other.developers, 5);
    // Shown, `other`'s cost was developer 6's alone, and its requests minus its unpriced requests were too.
    assert.equal(other.costUSD, null);
    const total = report.totals.usage;
    assert.ok(total);
    assert.equal(total.costUSD, 5 * 0.25);
    assert.equal(total.unpricedRequests, 5 * 3);
    // What-if prices the models as the breakdown shows them: gpt-4o is inside `other`, which no price list names.
    const text = teamReportText(report, '2024-06-01');
    assert.doesNotMatch(JSON.stringify(report) + text, /gpt-4o|3\.1/);
    assert.match(text, /at list prices \([^)]*\), leaving out the tokens under "other" \(models too few developers use, or none names\)\./);
  });

  it('a group whose developers all have priced rows, or all unpriced ones, shows its cost', () => {
    const files = [];
    for (let n = 1; n <= 10; n++) {
      const model = n <= 5 ? 'claude-sonnet-4-5' : 'other';
      files.push({ name: `d${n}.ndjson`, text: summaryText(dev(n), { usage: [usageRow(DAY, { model, costUSD: model === 'other' ? null : 0.25 })] }) });
    }
    const report = buildTeamReport(mergeSummaryTexts(files), options);
    assert.deepEqual(
      report.rows.map((row) => row.kind === 'usage' && [row.model, row.costUSD]),
      [['claude-sonnet-4-5', 1.25], ['other', null]],
    );
    assert.equal(report.totals.usage?.unpricedRequests, 5 * 3);
  });

  it("on a model's own row a developer who exported it unpriced withholds the row's cost: what-if prices all its tokens", () => {
    const files = [];
    for (let n = 1; n <= 6; n++) files.push({ name: `d${n}.ndjson`, text: summaryText(dev(n), { usage: [usageRow(DAY, { costUSD: n === 6 ? null : 0.25 })] }) });
    const report = buildTeamReport(mergeSummaryTexts(files), options);
    assert.deepEqual(report.rows.map((row) => row.kind === 'usage' && [row.model, row.developers, row.costUSD]), [['claude-sonnet-4-5', 6, null]]);
    assert.deepEqual([report.totals.usage?.costUSD, report.totals.usage?.unpricedRequests], [0, 18]);
  });

  it('kept-line figures are withheld where a developer with agent output but no edit, or no day yet, stands beside fewer than k measured', () => {
    const files = [];
    for (let n = 1; n <= 6; n++) {
      const agent = n <= 5 ? agentOutput(4, 40, 36, 30, 100) : agentOutput(0, 0, null, null);
      files.push({ name: `d${n}.ndjson`, text: summaryText(dev(n), { usage: [usageRow(DAY, { ...agent, costUSD: n === 6 ? 9.99 : 0.25, requests: n === 6 ? 17 : 3 })] }) });
    }
    const report = buildTeamReport(mergeSummaryTexts(files), options);
    const total = report.totals.usage;
    assert.ok(total);
    // Shown, the row's cost minus the cost per kept line times the lines kept was developer 6's $9.99.
    assert.equal(total.agentRetention?.['86400'], undefined);
    assert.equal(total.costPerKeptLineUSD, null);
    assert.equal(total.wasteTokens, 0);
    assert.equal(report.economics?.value?.responses, 5 * 3 + 17);

    // Five measured at 1 h only and one at 1 day: the 1-day cell and its waste tokens would be that one's.
    const late = [];
    for (let n = 1; n <= 6; n++) late.push({ name: `d${n}.ndjson`, text: summaryText(dev(n), { usage: [usageRow(DAY, n === 6 ? agentOutput(4, 40, 36, 30, 4321) : agentOutput(2, 10, 9, null))] }) });
    const lateTotal = buildTeamReport(mergeSummaryTexts(late), options).totals.usage;
    assert.deepEqual([Object.keys(lateTotal?.agentRetention ?? {}), lateTotal?.wasteTokens], [['3600'], 0]);
  });

  it("an agent checkpoint cell is withheld where a developer's edits not measured there yet are of fewer than k developers", () => {
    // Each developer's 40 lines over 4 edits are measured at 1 h and 1 day; the partly measured ones also made a late
    // edit of 17 lines, measured at 1 h and not yet at 1 day.
    const teamOf = (fully: number, partly: number) =>
      mergeSummaryTexts(
        Array.from({ length: fully + partly }, (_, i) => {
          const agent = agentOutput(4, 40, 36, 30);
          if (i >= fully) {
            agent.agentEdits = 5;
            agent.linesAdded = 57;
            agent.agentRetention['3600'] = { known: 5, linesAdded: 57, linesKept: 50 };
          }
          return { name: `d${i + 1}.ndjson`, text: summaryText(dev(i + 1), { usage: [usageRow(DAY, agent)] }) };
        }),
      );
    const oneLate = buildTeamReport(teamOf(4, 1), options);
    const row = oneLate.rows.find((r) => r.kind === 'usage');
    assert.ok(row && row.kind === 'usage');
    // Shown, the row's 217 lines minus the 1-day cell's 200 were developer 5's late edit of 17 lines.
    assert.deepEqual([row.developers, row.linesAdded, Object.keys(row.agentRetention ?? {})], [5, 4 * 40 + 57, ['3600']]);
    assert.deepEqual(Object.keys(oneLate.totals.usage?.agentRetention ?? {}), ['3600']);
    // Five and five: those measured at 1 day, and those with edits not yet, each reach k.
    assert.deepEqual(buildTeamReport(teamOf(5, 5), options).totals.usage?.agentRetention?.['86400'], { known: 40, linesAdded: 400, linesKept: 300 });
  });

  it('an inline retention cell is withheld where the acceptances known there, or those not yet, are of fewer than k developers', () => {
    // Every acceptance known at 10 minutes, or none (the file was made before any reached them).
    const known = inlineRow(DAY, { retention: { '600': { known: 3, chars: 100, arc: 60, unchanged: 1, mostlyRetained: 1 } } });
    const unknown = inlineRow(DAY, { acceptedChars: 777, retention: {} });
    const teamOf = (knownCount: number) =>
      mergeSummaryTexts(Array.from({ length: 6 }, (_, i) => ({ name: `d${i + 1}.ndjson`, text: summaryText(dev(i + 1), { inline: [i < knownCount ? known : unknown] }) })));
    const oneLate = buildTeamReport(teamOf(5), options);
    // Shown, accepted characters minus the cell's were developer 6's 777.
    assert.deepEqual(oneLate.totals.inline?.retention, {});
    assert.equal(oneLate.totals.inline?.acceptedChars, 5 * 100 + 777);
    assert.equal(oneLate.economics?.retention600, null);
    // Two known and four not, with k = 3: the cell would describe those two.
    assert.deepEqual(buildTeamReport(teamOf(2), { ...options, minGroup: 3 }).totals.inline?.retention, {});
    // Three and three: both parts reach k, and the cell is the three's.
    assert.deepEqual(buildTeamReport(teamOf(3), { ...options, minGroup: 3 }).totals.inline?.retention, { '600': { known: 9, chars: 300, arc: 180, unchanged: 3, mostlyRetained: 3 } });
  });

  it("the seat cost is the active developers' seats, and only when at least k of them list seats", () => {
    const plan = resolveSeats([{ plan: 'claude-max-20x', count: 1 }]).seats;
    const files = [];
    for (let n = 1; n <= 6; n++) {
      // Developer 6 lists a seat and works only on 2024-05-01; developer 1 lists one too.
      const days = n === 6 ? ['2024-05-01'] : ['2024-05-01', '2024-05-10'];
      files.push({
        name: `d${n}.ndjson`,
        text: summaryText(dev(n), { seats: n === 1 || n === 6 ? plan : [], inline: days.map((date) => inlineRow(date)), usage: days.map((date) => usageRow(date)) }),
      });
    }
    const later = buildTeamReport(mergeSummaryTexts(files, { since: '2024-05-10' }), options);
    assert.equal(later.developers, 5);
    // Developer 6 is none of this range's developers, and developer 1's plan alone would be the team's seat cost.
    assert.deepEqual([later.economics?.seatSource, later.economics?.seatCostUSD], ['withheld', 0]);
    assert.match(teamReportText(later, '2024-06-01'), /Seat cost: not shown, because fewer developers than the report's minimum group list seats/);

    for (const file of files.slice(1, 5)) file.text = file.text.replace('"seats":[]', `"seats":${JSON.stringify(plan.map(({ plan: id, monthlyUSD, count }) => ({ plan: id, monthlyUSD, count })))}`);
    const listed = buildTeamReport(mergeSummaryTexts(files, { since: '2024-05-10' }), options);
    assert.equal(listed.economics?.seatSource, 'developers');
    assert.ok((listed.economics?.seatCostUSD ?? 0) > 0);
  });

  describe('tokens a flat plan covers, as the dashboard counts them: the plan\'s, not spend on top of it', () => {
    const max = resolveSeats([{ plan: 'claude-max-5x', count: 1 }]).seats;
    const copilot = resolveSeats([{ plan: 'copilot-business', count: 1 }]).seats;
    /** Developers 1 to `size` with Claude Code and Codex usage; those in `onMax` hold Claude Max, the others Copilot. */
    function team(onMax: number[], size = 6) {
      return Array.from({ length: size }, (_, i) => i + 1).map((n) => ({
        name: `d${n}.ndjson`,
        text: summaryText(dev(n), {
          seats: onMax.includes(n) ? max : copilot,
          inline: [inlineRow(DAY)],
          usage: [usageRow(DAY, { costUSD: 2 }), usageRow(DAY, { source: 'codex', model: 'gpt-5', costUSD: 1 })],
        }),
      }));
    }
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

    it("takes off the cost of a tool whose every developer's plan covers it, and nothing of a tool no plan covers", () => {
      const report = buildTeamReport(mergeSummaryTexts(team(range(1, 6))), options);
      const value = report.economics?.value;
      assert.ok(value);
      assert.equal(value.tokenCostUSD, 6 * 3);
      assert.deepEqual([value.planCoveredCostUSD, value.planCoverageWithheld], [6 * 2, false]);
      assert.equal(value.costUSD, value.tokenCostUSD + value.seatCostUSD - 6 * 2);
      assert.match(teamReportText(report, '2024-06-01'), /− \$12\.00 of tokens the developers' flat plans cover/);
    });

    it("takes nothing off a tool that only some of its developers' plans cover: the tool's cost less it would be the others' alone", () => {
      // Five on Claude Max, one paying for Claude Code by use: Claude Code's cost less five developers' would be the sixth's.
      for (const onMax of [range(1, 5), [1, 2]]) {
        const report = buildTeamReport(mergeSummaryTexts(team(onMax)), options);
        const value = report.economics?.value;
        assert.ok(value);
        assert.deepEqual([value.planCoveredCostUSD, value.planCoverageWithheld], [0, false], 'fewer than k on one side: not even said');
        assert.equal(value.costUSD, value.tokenCostUSD + value.seatCostUSD);
      }
      // Five on each side: said.
      const report = buildTeamReport(mergeSummaryTexts(team(range(1, 5), 10)), options);
      assert.deepEqual([report.economics?.value?.planCoveredCostUSD, report.economics?.value?.planCoverageWithheld], [0, true]);
      assert.match(teamReportText(report, '2024-06-01'), /tools that only some of their developers' flat plans cover, on every day they used them, count at their API price/);
    });

    it('says nothing of a developer the k rule folded away: whose plan they hold changes no figure', () => {
      // Six on Claude Max use Claude Code; a seventh uses it alone that day with another model, folded into `other`.
      const figures = (seventhSeats: typeof max) => {
        const files = team(range(1, 6));
        files.push({ name: 'd7.ndjson', text: summaryText(dev(7), { seats: seventhSeats, usage: [usageRow(DAY, { model: 'claude-opus-4-1', costUSD: 7 })] }) });
        const value = buildTeamReport(mergeSummaryTexts(files), options).economics?.value;
        // The seat cost is every listing developer's seats: the seventh's differ, by design (at least k list seats).
        return [value?.planCoveredCostUSD, value?.planCoverageWithheld, Math.round(((value?.costUSD ?? 0) - (value?.seatCostUSD ?? 0)) * 100) / 100];
      };
      assert.deepEqual(figures(copilot), figures(max));
    });

    it('says nothing of plans, with --seats too, when fewer than k developers list seats', () => {
      const files = team([1]).map((file, i) => (i === 0 ? file : { ...file, text: file.text.replace(/"seats":\[[^\]]*\]/, '"seats":[]') }));
      const licences = resolveSeats([{ plan: 'claude-max-5x', count: 6 }]).seats;
      const value = buildTeamReport(mergeSummaryTexts(files), { ...options, licences }).economics?.value;
      assert.deepEqual([value?.planCoveredCostUSD, value?.planCoverageWithheld], [0, false]);
    });

    it("in a personal report, a plan listed on two of the person's machines is one subscription, paid once", () => {
      const machines = team([1, 2], 2);
      const personal = { ...options, minGroup: 1, personal: true };
      const report = buildTeamReport(mergeSummaryTexts(machines), personal);
      const oneMachine = buildTeamReport(mergeSummaryTexts(machines.slice(0, 1)), personal);
      assert.ok((oneMachine.economics?.seatCostUSD ?? 0) > 0);
      assert.equal(report.economics?.seatCostUSD, oneMachine.economics?.seatCostUSD);
    });

    it("in a personal report, a plan listed on one of the person's machines covers the others too", () => {
      const files = team([1], 2);
      files[1].text = files[1].text.replace(/"seats":\[[^\]]*\]/, '"seats":[]');
      const value = buildTeamReport(mergeSummaryTexts(files), { ...options, minGroup: 1, personal: true }).economics?.value;
      assert.deepEqual([value?.planCoveredCostUSD, value?.planCoverageWithheld], [4, false]);
    });

    it('takes off only costs the report shows: a cost the k rule hid is in neither the tokens nor what is taken off them', () => {
      // Ten on Claude Max: two price their Sonnet rows, eight do not (the Sonnet row's cost is hidden) and price Opus rows.
      const files = Array.from({ length: 10 }, (_, i) => i + 1).map((n) => ({
        name: `d${n}.ndjson`,
        text: summaryText(dev(n), {
          seats: max,
          usage: n <= 2 ? [usageRow(DAY, { costUSD: 5 })] : [usageRow(DAY, { costUSD: null }), usageRow(DAY, { model: 'claude-opus-4-1', costUSD: 1 })],
        }),
      }));
      const value = buildTeamReport(mergeSummaryTexts(files), options).economics?.value;
      assert.ok(value);
      assert.equal(value.tokenCostUSD, 8);
      assert.deepEqual([value.planCoveredCostUSD, value.costUSD], [8, value.seatCostUSD]);
    });

    it('shows no inline seat cost per line when fewer than k of the developers listing seats hold inline-suggestion plans', () => {
      const report = buildTeamReport(mergeSummaryTexts(team(range(1, 5))), options);
      const value = report.economics?.value;
      assert.ok(value && report.economics?.seatSource === 'developers');
      assert.deepEqual([value.inlineSeatCostUSD, value.inlineSeatCostWithheld, value.inlineSeatCostPerAcceptedLine], [0, true, null]);
      assert.match(teamReportText(report, '2024-06-01'), /Inline seat cost per accepted line: not shown/);
      // Nor when fewer than k hold other plans: the seat cost less the inline part would be their seats alone.
      assert.equal(buildTeamReport(mergeSummaryTexts(team([6])), options).economics?.value?.inlineSeatCostWithheld, true);
      const copilotTeam = buildTeamReport(mergeSummaryTexts(team([])), options).economics?.value;
      assert.ok(copilotTeam && copilotTeam.inlineSeatCostUSD > 0 && !copilotTeam.inlineSeatCostWithheld);
    });

    it('with --seats, takes off only what a licensed plan covers too', () => {
      const licences = resolveSeats([{ plan: 'copilot-business', count: 6 }]).seats;
      const report = buildTeamReport(mergeSummaryTexts(team(range(1, 6))), { ...options, licences });
      assert.deepEqual([report.economics?.value?.planCoveredCostUSD, report.economics?.value?.planCoverageWithheld], [0, false]);
      const withMax = buildTeamReport(mergeSummaryTexts(team(range(1, 6))), { ...options, licences: [...licences, ...resolveSeats([{ plan: 'claude-max-5x', count: 6 }]).seats] });
      assert.equal(withMax.economics?.value?.planCoveredCostUSD, 12);
    });
  });

  it('prices no seat of a developer who worked only on days folded into other outside the range shown', () => {
    const copilot = resolveSeats([{ plan: 'copilot-business', count: 1 }]).seats;
    const max = resolveSeats([{ plan: 'claude-max-20x', count: 1 }]).seats;
    const files = [];
    for (let i = 0; i < 5; i++) {
      const later = i < 2 ? [usageRow('2024-05-20')] : i < 4 ? [usageRow('2024-05-21')] : [];
      files.push({ name: `d${i}.ndjson`, text: summaryText(dev(i + 1), { since: '2024-05-01', until: '2024-05-31', usage: [usageRow(DAY), ...later], seats: copilot }) });
    }
    // The sixth works only on the 20th, with two others (the 21st has two): both days fold into other, the range is the 2nd.
    files.push({ name: 'x.ndjson', text: summaryText(dev(9), { since: '2024-05-01', until: '2024-05-31', usage: [usageRow('2024-05-20')], seats: max }) });
    const report = buildTeamReport(mergeSummaryTexts(files), options);
    assert.deepEqual(report.range, { since: DAY, until: DAY });
    const { seatCostUSD } = report.economics ?? {};
    // Copilot Business for one day of May, five times: the sixth developer's Claude Max is not in it.
    assert.ok(seatCostUSD !== undefined && close(seatCostUSD, (5 * copilot[0].monthlyUSD) / 31), `seat cost ${seatCostUSD}`);
  });

  it("prices each developer's seats over the days their own files cover, whatever day another file starts on", () => {
    const plan = resolveSeats([{ plan: 'claude-max-20x', count: 1 }]).seats;
    const may = (n: number) => ({ name: `d${n}.ndjson`, text: summaryText(dev(n), { since: DAY, seats: plan, inline: [inlineRow(DAY)], usage: [usageRow(DAY)] }) });
    const team = [1, 2, 3, 4, 5].map(may);
    const mayOnly = buildTeamReport(mergeSummaryTexts(team), options);
    // Five more developers, listing no seat, whose summaries start in January with a row there.
    const january = [6, 7, 8, 9, 10].map((n) => ({ name: `d${n}.ndjson`, text: summaryText(dev(n), { since: '2024-01-01', inline: [inlineRow('2024-01-15'), inlineRow(DAY)] }) }));
    const withJanuary = buildTeamReport(mergeSummaryTexts([...team, ...january]), options);
    assert.equal(withJanuary.range?.since, '2024-01-15');
    assert.equal(withJanuary.economics?.seatCostUSD, mayOnly.economics?.seatCostUSD);
  });

  describe('seats that changed', () => {
    const business = resolveSeats([{ plan: 'copilot-business', count: 1 }]).seats;
    const enterprise = resolveSeats([{ plan: 'copilot-enterprise', count: 1 }]).seats;
    // A developer's April file (exported 1 May) and May file (exported 1 June), each with one row.
    const months = (n: number, april: typeof business, may: typeof business) => [
      { name: `d${n}-04.ndjson`, text: summaryText(dev(n), { since: '2024-04-01', until: '2024-04-30', exportedAt: '2024-05-01T00:00:00Z', seats: april, inline: [inlineRow('2024-04-01')] }) },
      { name: `d${n}-05.ndjson`, text: summaryText(dev(n), { since: '2024-05-01', until: '2024-05-31', exportedAt: '2024-06-01T00:00:00Z', seats: may, inline: [inlineRow('2024-05-31')] }) },
    ];

    it("prices each day at the plans of the file that day was taken from, so a plan changed in May leaves April at April's price", () => {
      const files = [1, 2, 3, 4, 5].flatMap((n) => months(n, business, enterprise));
      const report = buildTeamReport(mergeSummaryTexts(files), options);
      assert.deepEqual(report.range, { since: '2024-04-01', until: '2024-05-31' });
      const seatCostUSD = report.economics?.seatCostUSD;
      assert.ok(close(seatCostUSD, 5 * (business[0].monthlyUSD + enterprise[0].monthlyUSD)), String(seatCostUSD));
    });

    it('charges a plan given up for the days it was held, and a day no file covers at the plans of the next file', () => {
      const gap = (n: number) => [
        months(n, business, [])[0],
        { name: `d${n}-06.ndjson`, text: summaryText(dev(n), { since: '2024-06-01', until: '2024-06-30', exportedAt: '2024-07-01T00:00:00Z', seats: enterprise, inline: [inlineRow('2024-06-30')] }) },
      ];
      const dropped = buildTeamReport(mergeSummaryTexts([1, 2, 3, 4, 5].flatMap((n) => months(n, business, []))), options);
      assert.ok(close(dropped.economics?.seatCostUSD, 5 * business[0].monthlyUSD), String(dropped.economics?.seatCostUSD));
      // No May file: May is priced at June's plans, the ones held after it.
      const skipped = buildTeamReport(mergeSummaryTexts([1, 2, 3, 4, 5].flatMap(gap)), options);
      assert.ok(close(skipped.economics?.seatCostUSD, 5 * (business[0].monthlyUSD + 2 * enterprise[0].monthlyUSD)), String(skipped.economics?.seatCostUSD));
    });

    it("takes a tool's tokens off as the plan's only where its developers held the plan on every day they used it", () => {
      const max = resolveSeats([{ plan: 'claude-max-5x', count: 1 }]).seats;
      const joined = (n: number, april: typeof max, may: typeof max) => [
        { name: `d${n}-04.ndjson`, text: summaryText(dev(n), { since: '2024-04-01', until: '2024-04-30', exportedAt: '2024-05-01T00:00:00Z', seats: april, usage: [usageRow('2024-04-10', { costUSD: 1 })] }) },
        { name: `d${n}-05.ndjson`, text: summaryText(dev(n), { since: '2024-05-01', until: '2024-05-31', exportedAt: '2024-06-01T00:00:00Z', seats: may, usage: [usageRow('2024-05-10', { costUSD: 1 })] }) },
      ];
      // On Max from 1 May: April's tokens were not the plan's, so nothing is taken off (a part would be a day's figure
      // beside the rows), and the seat is paid from 1 to 10 May only.
      const fromMay = buildTeamReport(mergeSummaryTexts([1, 2, 3, 4, 5].flatMap((n) => joined(n, [], max))), options).economics?.value;
      assert.deepEqual([fromMay?.planCoveredCostUSD, fromMay?.planCoverageWithheld], [0, false]);
      assert.ok(close(fromMay?.seatCostUSD, (5 * max[0].monthlyUSD * 10) / 31), String(fromMay?.seatCostUSD));
      // On Max all along: both days' tokens are the plan's.
      const allAlong = buildTeamReport(mergeSummaryTexts([1, 2, 3, 4, 5].flatMap((n) => joined(n, max, max))), options).economics?.value;
      assert.ok(close(allAlong?.planCoveredCostUSD, 10), String(allAlong?.planCoveredCostUSD));
    });

    it('does not tell, by two rows of one day, that exactly one developer was not covered', () => {
      const max = resolveSeats([{ plan: 'claude-max-5x', count: 1 }]).seats;
      // Five on Max use Opus and Sonnet; a sixth, on no plan, Opus only: the Sonnet row alone is all covered.
      const files = [1, 2, 3, 4, 5, 6].map((n) => ({
        name: `d${n}.ndjson`,
        text: summaryText(dev(n), {
          seats: n <= 5 ? max : [],
          usage: [usageRow(DAY, { model: 'claude-opus-4-1', costUSD: 3 }), ...(n <= 5 ? [usageRow(DAY, { costUSD: 1 })] : [])],
        }),
      }));
      for (const licences of [null, resolveSeats([{ plan: 'claude-max-5x', count: 6 }]).seats]) {
        const value = buildTeamReport(mergeSummaryTexts(files), { ...options, licences }).economics?.value;
        assert.deepEqual([value?.planCoveredCostUSD, value?.planCoverageWithheld], [0, false]);
      }
    });

    it("in a personal report, a day's plan is paid once, by whichever of the person's machines lists it that day", () => {
      // Machine 1 listed Business in April only, machine 2 never: April's Business is paid.
      const april = buildTeamReport(mergeSummaryTexts([...months(1, business, []), ...months(2, [], [])]), { ...options, minGroup: 1, personal: true });
      assert.ok(close(april.economics?.seatCostUSD, business[0].monthlyUSD), String(april.economics?.seatCostUSD));
      // Machine 1 lists it in April, machine 2 in May: each month once.
      const handedOver = buildTeamReport(mergeSummaryTexts([...months(1, business, []), ...months(2, [], business)]), { ...options, minGroup: 1, personal: true });
      assert.ok(close(handedOver.economics?.seatCostUSD, 2 * business[0].monthlyUSD), String(handedOver.economics?.seatCostUSD));
      // Both machines list it in both months: still one subscription a day.
      const both = buildTeamReport(mergeSummaryTexts([...months(1, business, business), ...months(2, business, business)]), { ...options, minGroup: 1, personal: true });
      assert.ok(close(both.economics?.seatCostUSD, 2 * business[0].monthlyUSD), String(both.economics?.seatCostUSD));
    });

    it('counts a developer as listing seats when any day of the range has some, so one old plan is never the seat cost shown', () => {
      const files = [1, 2, 3, 4, 5].flatMap((n) => months(n, n === 1 ? business : [], []));
      const report = buildTeamReport(mergeSummaryTexts(files), options);
      assert.equal(report.economics?.seatSource, 'withheld');
      assert.equal(report.economics?.seatCostUSD, 0);
    });
  });

  it('retention at 600 s stays shown when a file names 16 other checkpoints, which used up every checkpoint a report tracks', () => {
    const cell = { known: 1, chars: 10, arc: 10, unchanged: 1, mostlyRetained: 1 };
    const files = [1, 2, 3, 4, 5, 6].map((n) => ({ name: `d${n}.ndjson`, text: summaryText(dev(n), { inline: [inlineRow(DAY)] }) }));
    const many = Object.fromEntries(Array.from({ length: 16 }, (_, i) => [String(i + 1), cell]));
    files.push({ name: 'd7.ndjson', text: summaryText(dev(7), { exportedAt: '2024-06-02T00:00:00Z', inline: [inlineRow(DAY, { retention: many })] }) });
    const report = buildTeamReport(mergeSummaryTexts(files), options);
    assert.deepEqual(report.totals.inline?.retention['600'], { known: 12, chars: 480, arc: 360, unchanged: 6, mostlyRetained: 6 });
  });
});
