import * as assert from 'node:assert/strict';
import { createPricer } from '../../../src/pricing/pricer';
import { mergeSummaryTexts } from '../../../src/team/merge';
import { buildTeamReport } from '../../../src/team/teamReport';
import type { TeamReportJson } from '../../../src/team/teamReport';
import { teamReportCsv } from '../../../src/team/csv';
import { teamReportText } from '../../../src/team/text';
import { dev, inlineRow, summaryText, usageRow } from './teamFixtures';
import type { SummaryOptions } from './teamFixtures';

const pricer = createPricer();

function report(team: SummaryOptions[], minGroup = 5): TeamReportJson {
  const merge = mergeSummaryTexts(team.map((options, i) => ({ name: `d${i}.ndjson`, text: summaryText(dev(i + 1), options) })));
  return buildTeamReport(merge, { minGroup, personal: false, licences: null, pricer });
}

/** Every object in the report that says how many developers it describes. */
function developerCounts(value: unknown, path = '$', out: Array<[string, number]> = []): Array<[string, number]> {
  if (Array.isArray(value)) value.forEach((item, i) => developerCounts(item, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'developers' && typeof item === 'number') out.push([path, item]);
      else developerCounts(item, `${path}.${key}`, out);
    }
  }
  return out;
}

const everyDay = (language = 'typescript'): SummaryOptions => ({
  inline: [inlineRow('2024-05-01', { languageId: language }), inlineRow('2024-05-02', { languageId: language })],
  usage: [usageRow('2024-05-01')],
});

describe('team report: the k rule', () => {
  it('2 developers: no figures at all, only why', () => {
    const result = report([everyDay(), everyDay()]);
    assert.equal(result.developers, 2);
    assert.deepEqual(result.rows, []);
    assert.deepEqual(result.totals, { inline: null, usage: null });
    assert.equal(result.economics, null);
    assert.deepEqual(result.adoption, { day: [], week: [], licences: null });
    assert.match(result.suppressed.reason ?? '', /2 developers .* at least 5/);
    assert.doesNotMatch(teamReportText(result, '2024-06-01'), /\$|AI share|typescript/);
    assert.equal(teamReportCsv(result).split('\r\n').filter(Boolean).length, 1, 'the CSV has its header only');
  });

  it('4 developers: nothing under the default k, everything at k = 3', () => {
    const team = [everyDay(), everyDay(), everyDay(), everyDay()];
    assert.deepEqual(report(team).rows, []);
    const shown = report(team, 3);
    assert.equal(shown.totals.inline?.developers, 4);
    assert.equal(shown.totals.usage?.requests, 12);
  });

  it('5 developers: groups of exactly k are shown; a language of one developer is folded, and so is the next group', () => {
    const result = report([everyDay(), everyDay(), everyDay(), everyDay(), { ...everyDay(), inline: [...everyDay().inline!, inlineRow('2024-05-01', { languageId: 'rust' })] }]);
    assert.equal(result.totals.inline?.developers, 5);
    // rust alone (1 developer) would be recoverable from typescript and the total: both fold.
    assert.deepEqual(result.breakdowns.inline.language.map((row) => [row.key, row.developers]), [['other', 5]]);
    assert.deepEqual(result.breakdowns.inline.day.map((row) => [row.key, row.developers]), [['2024-05-01', 5], ['2024-05-02', 5]]);
    for (const [where, count] of developerCounts(result)) assert.ok(count >= 5, `${where} describes ${count} developers`);
  });

  it('12 developers, the subtraction case: a small other takes in the next-smallest group so no small group can be recovered', () => {
    const team: SummaryOptions[] = [];
    for (let i = 0; i < 12; i++) {
      const inline = [inlineRow('2024-05-01')];
      if (i < 6) inline.push(inlineRow('2024-05-01', { languageId: 'go', aiChars: 1000 }));
      if (i < 2) inline.push(inlineRow('2024-05-01', { languageId: 'python', aiChars: 7777 }));
      if (i === 2) inline.push(inlineRow('2024-05-01', { languageId: 'rust', aiChars: 9999 }));
      team.push({ inline });
    }
    const result = report(team);
    const languages = result.breakdowns.inline.language;
    // python (2) + rust (1) = 3 developers < 5: go (6) folds too, else total − typescript − go = python + rust.
    assert.deepEqual(languages.map((row) => [row.key, row.developers]), [['typescript', 12], ['other', 6]]);
    const other = languages.find((row) => row.key === 'other');
    assert.equal(other?.aiChars, 6 * 1000 + 2 * 7777 + 9999);
    // The shown groups still add up to the shown total: nothing disappears, it is only grouped.
    assert.equal(languages.reduce((sum, row) => sum + row.aiChars, 0), result.totals.inline?.aiChars);
    // Rows of the day fold the same way.
    const dayRows = result.rows.filter((row) => row.kind === 'inline');
    assert.deepEqual(dayRows.map((row) => [row.date, row.kind === 'inline' && row.languageId, row.developers]), [
      ['2024-05-01', 'other', 6],
      ['2024-05-01', 'typescript', 12],
    ]);
    for (const [where, count] of developerCounts(result)) assert.ok(count >= 5, `${where} describes ${count} developers`);
  });

  it('a day with fewer than k developers is folded into rows dated other, with complementary suppression over days', () => {
    const team: SummaryOptions[] = [];
    for (let i = 0; i < 8; i++) {
      const inline = [inlineRow('2024-05-01')];
      if (i < 6) inline.push(inlineRow('2024-05-02'));
      if (i < 2) inline.push(inlineRow('2024-05-03'));
      team.push({ inline });
    }
    const result = report(team);
    const dates = result.rows.map((row) => [row.date, row.developers]);
    // 05-03 (2) alone in other would be recovered from the total: 05-02 (6) joins it.
    assert.deepEqual(dates, [['2024-05-01', 8], ['other', 6]]);
    assert.deepEqual(result.adoption.day.map((row) => [row.key, row.developers]), [['2024-05-01', 8], ['other', 6]]);
  });

  it('a Saturday two developers worked is not left alone in its week: week minus shown days never isolates it', () => {
    const weekdays = ['2024-05-06', '2024-05-07', '2024-05-08', '2024-05-09', '2024-05-10', '2024-05-14', '2024-05-15', '2024-05-16', '2024-05-17'];
    const team: SummaryOptions[] = [];
    for (let i = 0; i < 8; i++) {
      const dates = [...weekdays, ...(i < 6 ? ['2024-05-13'] : []), ...(i < 2 ? ['2024-05-11'] : [])];
      team.push({ inline: dates.map((date) => inlineRow(date)) });
    }
    const result = report(team);
    // Folding only the Saturday and the smallest day of the range (Monday the 13th) would leave the
    // first week's total minus its shown days equal to the Saturday: a day of that week folds instead.
    const expected = [['2024-05-07', 8], ['2024-05-08', 8], ['2024-05-09', 8], ['2024-05-10', 8], ['2024-05-13', 6], ['2024-05-14', 8], ['2024-05-15', 8], ['2024-05-16', 8], ['2024-05-17', 8], ['other', 8]];
    assert.deepEqual(result.breakdowns.inline.day.map((row) => [row.key, row.developers]), expected);
    assert.deepEqual(result.adoption.day.map((row) => [row.key, row.developers]), expected);
    assert.deepEqual([...new Set(result.rows.map((row) => row.date))], expected.map(([date]) => date));
    assert.deepEqual(result.breakdowns.inline.week.map((row) => [row.key, row.developers]), [['2024-05-06', 8], ['2024-05-13', 8]]);
  });

  it('a table used by fewer than k developers is hidden while the rest of the report stands, and value is withheld', () => {
    const team: SummaryOptions[] = [];
    for (let i = 0; i < 6; i++) team.push({ usage: [usageRow('2024-05-01')], inline: i < 2 ? [inlineRow('2024-05-01')] : [] });
    const result = report(team);
    assert.equal(result.totals.inline, null);
    assert.equal(result.totals.usage?.developers, 6);
    assert.deepEqual(result.suppressed.hidden, ['inline']);
    assert.equal(result.economics?.value, null);
    assert.ok(result.rows.every((row) => row.kind === 'usage'));
  });

  it('a personal report (one person, several machines) applies no k rule', () => {
    const merge = mergeSummaryTexts([
      { name: 'laptop.ndjson', text: summaryText(dev(1), { inline: [inlineRow('2024-05-01', { languageId: 'rust' })] }) },
      { name: 'desktop.ndjson', text: summaryText(dev(2), { inline: [inlineRow('2024-05-01')] }) },
    ]);
    const result = buildTeamReport(merge, { minGroup: 5, personal: true, licences: null, pricer });
    assert.equal(result.minGroup, 1);
    assert.equal(result.totals.inline?.aiChars, 200);
    assert.deepEqual(result.breakdowns.inline.language.map((row) => row.key), ['rust', 'typescript']);
  });
});
