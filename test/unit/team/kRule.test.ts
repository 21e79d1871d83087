import * as assert from 'node:assert/strict';
import { createPricer } from '../../../src/pricing/pricer';
import { resolveSeats, seatCostForRange } from '../../../src/pricing/seats';
import { mergeSummaryTexts } from '../../../src/team/merge';
import { buildTeamReport } from '../../../src/team/teamReport';
import type { TeamReportJson } from '../../../src/team/teamReport';
import { teamReportCsv } from '../../../src/team/csv';
import { teamReportHtml } from '../../../src/team/html';
import { teamReportText } from '../../../src/team/text';
import { dev, inlineRow, summaryText, usageRow } from './teamFixtures';
import type { SummaryOptions } from './teamFixtures';
import { monthOf, weekOf } from '../../../src/calendar/dates';
import type { InlineRow, UsageRow } from '../../../src/report/rows';

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

/**
 * Each breakdown group equals the sum of the report's rows under its key (`other` included): a breakdown then tells
 * nothing the rows do not, and the rows fold every small group.
 */
function assertBreakdownsAreSumsOfRows(result: TeamReportJson): void {
  const week = (date: string) => (date === 'other' ? date : weekOf(date));
  const month = (date: string) => (date === 'other' ? date : monthOf(date));
  const inlineKeys: Record<keyof TeamReportJson['breakdowns']['inline'], (row: InlineRow) => string> = {
    day: (row) => row.date,
    week: (row) => week(row.date),
    month: (row) => month(row.date),
    language: (row) => row.languageId,
    provider: (row) => row.provider,
  };
  const usageKeys: Record<keyof TeamReportJson['breakdowns']['usage'], (row: UsageRow) => string> = {
    day: (row) => row.date,
    week: (row) => week(row.date),
    month: (row) => month(row.date),
    source: (row) => row.source,
    model: (row) => row.model,
  };
  const inlineRows = result.rows.filter((row): row is InlineRow & { developers: number } => row.kind === 'inline');
  const usageRows = result.rows.filter((row): row is UsageRow & { developers: number } => row.kind === 'usage');
  for (const [name, keyOf] of Object.entries(inlineKeys) as Array<[keyof typeof inlineKeys, (row: InlineRow) => string]>) {
    const sums = new Map<string, number>();
    for (const row of inlineRows) sums.set(keyOf(row), (sums.get(keyOf(row)) ?? 0) + row.acceptedLines);
    assert.deepEqual(new Map(result.breakdowns.inline[name].map((group) => [group.key, group.acceptedLines])), sums, `inline by ${name}`);
  }
  for (const [name, keyOf] of Object.entries(usageKeys) as Array<[keyof typeof usageKeys, (row: UsageRow) => string]>) {
    const sums = new Map<string, number>();
    for (const row of usageRows) sums.set(keyOf(row), (sums.get(keyOf(row)) ?? 0) + row.requests);
    assert.deepEqual(new Map(result.breakdowns.usage[name].map((group) => [group.key, group.requests])), sums, `usage by ${name}`);
  }
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
    // On 05-01 rust alone (1 developer) would be recoverable from typescript and the day's total: both fold into the
    // day's other row. The language breakdown adds up the rows, so typescript is its 05-02 row only.
    assert.deepEqual(result.rows.map((row) => [row.date, row.kind === 'inline' && row.languageId]).filter(([, language]) => language), [
      ['2024-05-01', 'other'],
      ['2024-05-02', 'typescript'],
    ]);
    assert.deepEqual(result.breakdowns.inline.language.map((row) => [row.key, row.developers, row.aiChars]), [['typescript', 5, 500], ['other', 5, 600]]);
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

  it('the range names no day that fewer than k developers worked: not in the JSON, the text, the HTML, or the seat cost over it', () => {
    const team: SummaryOptions[] = [];
    for (let i = 0; i < 10; i++) {
      const usage = [usageRow('2024-05-02'), usageRow('2024-05-09')];
      // Three developers also worked on the 1st, three others on the 26th: together they are k, in rows dated other.
      if (i < 3) usage.unshift(usageRow('2024-05-01'));
      if (i >= 3 && i < 6) usage.push(usageRow('2024-05-26'));
      team.push({ usage });
    }
    const merge = mergeSummaryTexts(team.map((options, i) => ({ name: `d${i}.ndjson`, text: summaryText(dev(i + 1), options) })));
    const licences = resolveSeats([{ plan: 'copilot-business', count: 8 }]).seats;
    const result = buildTeamReport(merge, { minGroup: 5, personal: false, licences, pricer });
    assert.deepEqual(result.rows.map((row) => row.date), ['2024-05-02', '2024-05-09', 'other']);
    assert.deepEqual(result.range, { since: '2024-05-02', until: '2024-05-09' });
    const text = teamReportText(result, '2024-06-01');
    assert.match(text, /^Days: 2024-05-02 to 2024-05-09$/m);
    assert.match(teamReportHtml(result, '', '2024-06-01'), /Days 2024-05-02 to 2024-05-09\./);
    // Over the 1st to the 26th, the licences' cost would tell the days the figures span.
    assert.equal(result.economics?.seatCostUSD, seatCostForRange('2024-05-02', '2024-05-09', licences));
    assert.doesNotMatch(JSON.stringify(result) + text + teamReportCsv(result), /2024-05-01|2024-05-26/);
  });

  it('weeks and months add up the days shown: a month minus its shown weeks isolates no one', () => {
    // February 2021 is four whole weeks. Five developers work its first three; only one the fourth.
    const team: SummaryOptions[] = [];
    for (let i = 0; i < 5; i++) {
      const dates = ['2021-02-01', '2021-02-08', '2021-02-15', i === 0 ? '2021-02-22' : '2021-03-01'];
      team.push({ since: '2021-02-01', until: '2021-03-31', inline: dates.map((date) => inlineRow(date, { acceptedLines: date === '2021-02-22' ? 777 : 10 })) });
    }
    const result = report(team);
    const { week, month } = result.breakdowns.inline;
    const february = month.find((group) => group.key === '2021-02');
    const februaryWeeks = week.filter((group) => group.key >= '2021-02-01' && group.key <= '2021-02-22');
    assert.ok(february);
    assert.equal(february.acceptedLines - februaryWeeks.reduce((sum, group) => sum + group.acceptedLines, 0), 0);
    assert.ok(!week.some((group) => group.key === '2021-02-22'));
    for (const [where, count] of developerCounts(result)) assert.ok(count >= 5, `${where} describes ${count} developers`);
  });

  it('a language minus its rows isolates no one: every breakdown is the sum of the rows shown under its key', () => {
    // On 05-02 only developer 1 writes Rust beside TypeScript; on 05-01 six developers write both.
    const team: SummaryOptions[] = [];
    for (let i = 0; i < 6; i++) {
      const inline = [inlineRow('2024-05-01'), inlineRow('2024-05-01', { languageId: 'rust', acceptedLines: 10 }), inlineRow('2024-05-02')];
      if (i === 0) inline.push(inlineRow('2024-05-02', { languageId: 'rust', acceptedLines: 777 }));
      team.push({ inline, usage: [usageRow('2024-05-01'), usageRow('2024-05-01', { model: 'gpt-5', requests: i === 0 ? 99 : 1 }), ...(i === 0 ? [usageRow('2024-05-02', { model: 'o3' })] : [])] });
    }
    const result = report(team);
    const rust = result.breakdowns.inline.language.find((group) => group.key === 'rust');
    assert.equal(rust?.acceptedLines, 60, "Rust's 05-01 row: developer 1's 777 lines of 05-02 stay in other");
    assertBreakdownsAreSumsOfRows(result);
  });

  it('for any team, every breakdown is the sum of the rows shown under its key, and every figure describes k developers', function () {
    this.timeout(60_000);
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const languages = ['typescript', 'rust', 'go', 'python'];
    const models = ['claude-sonnet-4-5', 'gpt-5', 'o3'];
    for (let trial = 0; trial < 8; trial++) {
      const team: SummaryOptions[] = [];
      const developers = 5 + Math.floor(random() * 10);
      for (let i = 0; i < developers; i++) {
        const inline: InlineRow[] = [];
        const usage: ReturnType<typeof usageRow>[] = [];
        for (let day = 1; day <= 31; day++) {
          if (random() < 0.5) continue;
          const date = `2024-05-${String(day).padStart(2, '0')}`;
          inline.push(inlineRow(date, { languageId: languages[Math.floor(random() * languages.length)], acceptedLines: 1 + Math.floor(random() * 100) }));
          usage.push(usageRow(date, { model: models[Math.floor(random() * models.length)], requests: 1 + Math.floor(random() * 50) }));
        }
        team.push({ inline, usage });
      }
      const result = report(team);
      assertBreakdownsAreSumsOfRows(result);
      for (const [where, count] of developerCounts(result)) assert.ok(count >= 5, `trial ${trial}: ${where} describes ${count} developers`);
    }
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
