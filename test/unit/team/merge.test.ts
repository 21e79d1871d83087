import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { createPricer } from '../../../src/pricing/pricer';
import { MAX_SUMMARY_FILE_BYTES, mergeSummaryTexts, parseSummaryFile } from '../../../src/team/merge';
import { SafeMessageError } from '../../../src/privacy/errors';
import { mergeSummaryFolder } from '../../../src/team/summaryFiles';
import { SummaryReaders } from '../../../src/team/summaryReaders';
import { buildTeamReport } from '../../../src/team/teamReport';
import { teamReportCsv } from '../../../src/team/csv';
import { teamReportHtml } from '../../../src/team/html';
import { teamReportText } from '../../../src/team/text';
import { agentOutput, asOlderSchema, dev, inlineRow, summaryText, usageRow } from './teamFixtures';

const personal = { minGroup: 5, personal: true, licences: null, pricer: createPricer() };

function aiCharsByDay(merge: ReturnType<typeof mergeSummaryTexts>): Record<string, number> {
  const days: Record<string, number> = {};
  for (const group of merge.inline.values()) days[group.date] = (days[group.date] ?? 0) + group.figures.aiChars;
  return days;
}

describe('team merge', () => {
  it('counts a file present twice (a copy, a re-sync) once', () => {
    const text = summaryText(dev(1), { inline: [inlineRow('2024-05-02', { aiChars: 70 })], usage: [usageRow('2024-05-02')] });
    const merge = mergeSummaryTexts([
      { name: 'a.ndjson', text },
      { name: 'a (copy).ndjson', text },
    ]);
    assert.deepEqual(aiCharsByDay(merge), { '2024-05-02': 70 });
    assert.equal(buildTeamReport(merge, personal).totals.usage?.requests, 3);
    assert.deepEqual(merge.skipped, []);
  });

  it('overlapping ranges: each day comes from the newest file that covers it, including days it has no rows for', () => {
    const older = summaryText(dev(1), {
      since: '2024-05-01',
      until: '2024-05-31',
      exportedAt: '2024-06-01T08:00:00Z',
      inline: ['2024-05-02', '2024-05-10', '2024-05-12', '2024-05-20'].map((date) => inlineRow(date, { aiChars: 1 })),
    });
    const newer = summaryText(dev(1), {
      since: '2024-05-05',
      until: '2024-05-15',
      exportedAt: '2024-06-10T08:00:00Z',
      inline: [inlineRow('2024-05-10', { aiChars: 50 })],
    });
    const otherDeveloper = summaryText(dev(2), { inline: [inlineRow('2024-05-12', { aiChars: 300 })] });
    for (const order of [[older, newer, otherDeveloper], [newer, otherDeveloper, older]]) {
      const merge = mergeSummaryTexts(order.map((text, i) => ({ name: `f${i}.ndjson`, text })));
      assert.deepEqual(aiCharsByDay(merge), { '2024-05-02': 1, '2024-05-10': 50, '2024-05-12': 300, '2024-05-20': 1 });
    }
  });

  it('merges files of the older schema versions 1 (no token tiers) and 2 (no agent output) beside version 3, what-if included', () => {
    const v3 = summaryText(dev(1), { usage: [usageRow('2024-05-01', agentOutput(4, 40, 30, 20))] });
    const v2 = asOlderSchema(summaryText(dev(2), { usage: [usageRow('2024-05-01')] }), 2);
    const v1 = asOlderSchema(summaryText(dev(3), { usage: [usageRow('2024-05-01')] }), 1);
    assert.ok(!v1.includes('"tokens"') && v1.includes('"schema":1') && v2.includes('"schema":2') && !v2.includes('agentEdits'));
    const merge = mergeSummaryTexts([
      { name: 'v1.ndjson', text: v1 },
      { name: 'v2.ndjson', text: v2 },
      { name: 'v3.ndjson', text: v3 },
    ]);
    assert.deepEqual(merge.skipped, []);
    const report = buildTeamReport(merge, personal);
    assert.equal(report.totals.usage?.inputTokens, 3000);
    assert.equal(report.totals.usage?.costUSD, 0.75);
    const haiku = report.economics?.whatIf.find((result) => result.targetModel === 'claude-haiku-4-5');
    assert.equal(haiku?.pricedRows, 1, 'all three files priced as one model row');
    assert.ok((haiku?.whatIfCostUSD ?? 0) > 0);
    // The agent output is version 3's alone, and says which responses it speaks for: 3 of 9.
    assert.deepEqual(
      [report.totals.usage?.linesAdded, report.totals.usage?.agentRetention?.['86400'], report.totals.usage?.agentOutputRequests, report.totals.usage?.requests],
      [40, { known: 4, linesAdded: 40, linesKept: 20 }, 3, 9],
    );
    // A version-2 line without its tiers, or a version-3 line without its agent output, is not valid.
    const line = (text: string) => JSON.parse(text.split('\n')[1]) as Record<string, unknown>;
    const header = (text: string) => text.split('\n')[0];
    const { tokens: _tokens, ...untiered } = line(v2);
    assert.equal(parseSummaryFile(`${header(v2)}\n${JSON.stringify(untiered)}\n`).ok, false);
    const { wasteTokens: _wasteTokens, ...partial } = line(v3);
    const refused = parseSummaryFile(`${header(v3)}\n${JSON.stringify(partial)}\n`);
    assert.ok(!refused.ok && /agent output fields missing/.test(refused.reason), JSON.stringify(refused));
  });

  it('sums agent edits in the editor per inline row; a line written before they were counted adds 0', () => {
    const withAgents = summaryText(dev(1), { inline: [inlineRow('2024-05-01', { agentEditsInEditor: 3, agentCharsInEditor: 250 })] });
    const lines = summaryText(dev(2), { inline: [inlineRow('2024-05-01', { agentEditsInEditor: 1, agentCharsInEditor: 9 })] }).split('\n');
    const { agentEditsInEditor: _edits, agentCharsInEditor: _chars, ...before } = JSON.parse(lines[1]) as Record<string, unknown>;
    const older = [lines[0], JSON.stringify(before), ''].join('\n');
    const merge = mergeSummaryTexts([{ name: 'a.ndjson', text: withAgents }, { name: 'b.ndjson', text: older }]);
    assert.deepEqual(merge.skipped, []);
    const report = buildTeamReport(merge, personal);
    const row = report.rows.find((r) => r.kind === 'inline');
    assert.ok(row?.kind === 'inline');
    assert.deepEqual([row.developers, row.agentEditsInEditor, row.agentCharsInEditor, row.typedChars], [2, 3, 250, 600]);
    assert.deepEqual([report.totals.inline?.agentEditsInEditor, report.totals.inline?.agentCharsInEditor], [3, 250]);
  });

  it('a group whose summaries are all older than agent output reports none: unknown, not 0 lines kept', () => {
    const older = asOlderSchema(summaryText(dev(1), { usage: [usageRow('2024-05-01')] }), 2);
    const newer = summaryText(dev(2), { usage: [usageRow('2024-05-01', { source: 'codex', model: 'gpt-5', ...agentOutput(2, 10, 10, 5) })] });
    const report = buildTeamReport(mergeSummaryTexts([{ name: 'old.ndjson', text: older }, { name: 'new.ndjson', text: newer }]), personal);
    const claude = report.breakdowns.usage.source.find((row) => row.key === 'claude-code');
    const codex = report.breakdowns.usage.source.find((row) => row.key === 'codex');
    assert.ok(claude && codex);
    for (const field of ['agentEdits', 'linesAdded', 'linesRemoved', 'agentRetention', 'wasteTokens', 'costPerKeptLineUSD'] as const) {
      assert.equal(claude[field], undefined, `claude-code ${field} is unknown`);
    }
    assert.equal(codex.linesAdded, 10);
    const claudeRow = report.rows.find((row) => row.kind === 'usage' && row.source === 'claude-code');
    assert.ok(claudeRow && !('linesAdded' in claudeRow));
    const csv = teamReportCsv(report).split('\r\n');
    const columns = csv[0].split(',');
    const cell = (line: string, column: string) => line.split(',')[columns.indexOf(column)];
    const claudeLine = csv.find((line) => line.includes(',claude-code,'));
    const codexLine = csv.find((line) => line.includes(',codex,'));
    assert.ok(claudeLine && codexLine);
    assert.deepEqual([cell(claudeLine, 'linesAdded'), cell(claudeLine, 'agentRetention86400LinesKept')], ['', ''], 'empty cells, not 0');
    assert.deepEqual([cell(codexLine, 'linesAdded'), cell(codexLine, 'agentRetention86400LinesKept')], ['10', '5']);
    const all = buildTeamReport(mergeSummaryTexts([{ name: 'old.ndjson', text: older }]), personal);
    assert.equal(all.totals.usage?.linesAdded, undefined);
    assert.match(teamReportText(all, '2024-06-01'), /\nAgent output\n {2}Unknown: no summary in the range reports it/);
    assert.match(teamReportHtml(all, '', '2024-06-01'), /<h2>Agent output<\/h2>\n<p class="note">Unknown: no summary in the range reports it/);
  });

  describe('bad files are reported by name and reason and skipped; the rest merges', () => {
    const good = summaryText(dev(9), { inline: [inlineRow('2024-05-01', { aiChars: 5 })] });
    const line = (text: string, index: number) => text.split('\n')[index];
    const header = line(good, 0);
    const row = JSON.parse(line(good, 1)) as Record<string, unknown>;
    const withRow = (value: unknown) => `${header}\n${typeof value === 'string' ? value : JSON.stringify(value)}\n`;
    const usageLine = JSON.parse(summaryText(dev(9), { usage: [usageRow('2024-05-01', agentOutput(2, 8, 6, 4))] }).split('\n')[1]) as Record<string, unknown>;
    const withUsage = (changes: Record<string, unknown>) => withRow({ ...usageLine, ...changes });
    const cases: Array<[string, string, RegExp]> = [
      ['empty', '', /empty/],
      ['truncated', good.slice(0, -20), /truncated/],
      ['not JSON', withRow('{"schema":2,'), /line 2: not JSON/],
      ['no export line first', `${line(good, 1)}\n`, /line 1 is not the export line/],
      ['a language outside the allowlist', withRow({ ...row, languageId: 'acme-internal-dsl' }), /line 2: languageId: language not in the allowlist/],
      ['a raw model name', withRow({ ...usageRow('2024-05-01'), schema: 2, developer: dev(9), model: 'ft:gpt-4o:acme-corp:secret' }), /line 2: /],
      ['a number out of bounds', withRow({ ...row, aiChars: 1e300 }), /line 2: aiChars/],
      ['a negative count', withRow({ ...row, typedChars: -1 }), /line 2: typedChars/],
      ['another developer', withRow({ ...row, developer: dev(8) }), /another developer/],
      ['a day outside the range', withRow({ ...row, date: '2024-07-01' }), /outside the file's range/],
      ['the same row twice', withRow(row) + `${JSON.stringify(row)}\n`, /the same row twice/],
      ['a __proto__ key', withRow(`{"__proto__":{"polluted":true},${JSON.stringify(row).slice(1)}`), /forbidden key/],
      ['a nested __proto__ key', withRow(JSON.stringify(row).replace('"retention":{', '"retention":{"__proto__":{"polluted":true},')), /forbidden key/],
      ['a constructor key', withRow(JSON.stringify(row).replace('"retention":{', '"retention":{"constructor":{"prototype":{"polluted":true}},')), /forbidden key/],
      ['a huge line', withRow({ ...row, padding: 'x'.repeat(70_000) }), /longer than/],
      ['agent output at a checkpoint that is not one', withUsage({ agentRetention: { '600': { known: 1, linesAdded: 2, linesKept: 1 } } }), /line 2: agentRetention/],
      ['agent lines out of bounds', withUsage({ linesAdded: 1e10 }), /line 2: linesAdded/],
      ['agent lines kept negative', withUsage({ agentRetention: { '86400': { known: 1, linesAdded: 2, linesKept: -1 } } }), /line 2: agentRetention\.86400\.linesKept/],
      // Each would make a team's share above 100 % (and its value estimate as large as the file likes).
      ['more agent lines kept than added', withUsage({ agentRetention: { '86400': { known: 1, linesAdded: 2, linesKept: 1e9 } } }), /line 2: agentRetention\.86400: figures contradict/],
      ['more characters retained than accepted', withRow({ ...row, retention: { '600': { known: 2, chars: 80, arc: 1e9, unchanged: 1, mostlyRetained: 1 } } }), /line 2: retention\.600: figures contradict/],
      ['more acceptances unchanged than known', withRow({ ...row, retention: { '600': { known: 2, chars: 80, arc: 60, unchanged: 3, mostlyRetained: 1 } } }), /line 2: retention\.600: figures contradict/],
      ['agent output on a version-2 line, in part', withUsage({ schema: 2, agentEdits: undefined, linesRemoved: undefined }), /line 2: agentEdits: agent output fields missing/],
      ['a __proto__ key written with escapes', withRow(`{"\\u005f_proto__":{"polluted":true},${JSON.stringify(row).slice(1)}`), /forbidden key/],
      ['made in the future, which would win every day it names for good', `${header.replace(/"exportedAt":"[^"]+"/, '"exportedAt":"9999-01-01T00:00:00Z"')}\n`, /exportedAt is in the future/],
      ['made at a time that is none', `${header.replace(/"exportedAt":"[^"]+"/, '"exportedAt":"2024-13-45T99:00:00Z"')}\n`, /exportedAt is not a time/],
      ['a range of two decades', `${header.replace('"since":"2024-05-01"', '"since":"2004-05-01"')}\n`, /range is longer/],
      // Two files of far-apart days made every report span millions of days (and price seats for each).
      ['days before 2000', `${header.replace('"since":"2024-05-01"', '"since":"1999-12-31"')}\n`, /since is before 2000-01-01/],
      ['days after the day it was made', `${header.replace('"until":"2024-05-31"', '"until":"2024-06-03"')}\n`, /until is after the day the file was exported/],
    ];
    for (const [title, text, reason] of cases) {
      it(title, () => {
        const merge = mergeSummaryTexts([
          { name: 'bad.ndjson', text },
          { name: 'good.ndjson', text: good },
        ]);
        assert.equal(merge.skipped.length, 1, JSON.stringify(merge.skipped));
        assert.equal(merge.skipped[0].name, 'bad.ndjson');
        assert.match(merge.skipped[0].reason, reason);
        assert.deepEqual(aiCharsByDay(merge), { '2024-05-01': 5 });
        assert.equal(({} as Record<string, unknown>).polluted, undefined);
        assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
      });
    }

    it('a refused key is not echoed in the reason', () => {
      const key = 'john.doe@acme.example\u001b[2J';
      const texts: Array<[string, string]> = [
        ['retention', withRow({ ...row, retention: { [key]: {} } })],
        ['agentRetention', withUsage({ agentRetention: { [key]: { known: 1, linesAdded: 2, linesKept: 1 } } })],
      ];
      for (const [field, text] of texts) {
        const merge = mergeSummaryTexts([{ name: 'bad.ndjson', text }]);
        assert.match(merge.skipped[0].reason, new RegExp(`^line 2: ${field}`));
        assert.doesNotMatch(merge.skipped[0].reason, /john|acme/);
        assert.ok(!merge.skipped[0].reason.includes('\u001b'), merge.skipped[0].reason);
      }
    });
  });

  describe('a folder', () => {
    let folder: string;
    beforeEach(async () => {
      folder = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-team-merge-'));
    });
    afterEach(async () => {
      await fs.rm(folder, { recursive: true, force: true });
    });

    it('daily re-exports: a file whose days newer files all cover is not read, so the folder costs its newest files', async () => {
      const day = (n: number) => `2024-05-0${n}`;
      for (const n of [1, 2, 3]) {
        const text = summaryText(dev(1), { since: day(1), until: day(n), exportedAt: `${day(n)}T20:00:00Z`, inline: [inlineRow(day(1), { aiChars: n })] });
        // The older ones are damaged after their first line: never read, so neither merged nor reported.
        await fs.writeFile(path.join(folder, `until-${n}.ndjson`), n === 3 ? text : `${text.split('\n')[0]}\n{"broken`);
      }
      const merge = await mergeSummaryFolder(folder);
      assert.deepEqual([merge.merged, merge.superseded, merge.skipped.length], [1, 2, 0]);
      assert.deepEqual(aiCharsByDay(merge), { '2024-05-01': 3 });
    });

    it('read in reader threads, one or two, it is the merge of the same files in memory', async () => {
      const files: Array<{ name: string; text: string }> = [];
      for (let n = 1; n <= 7; n++) {
        const days = ['2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04'].filter((_, i) => (n + i) % 4 !== 0);
        const rows = (scale: number) => ({
          inline: days.map((date) => inlineRow(date, { languageId: n % 3 === 0 ? 'python' : 'typescript', aiChars: scale * n })),
          usage: days.map((date) => usageRow(date, { costUSD: 0.1 * scale * n, requests: scale + n })),
        });
        files.push({ name: `d${n}-may.ndjson`, text: summaryText(dev(n), { exportedAt: '2024-06-01T00:00:00Z', ...rows(1) }) });
        // A re-export of the first days, newer: its days replace the older file's.
        files.push({ name: `d${n}-again.ndjson`, text: summaryText(dev(n), { until: '2024-05-02', exportedAt: '2024-06-02T00:00:00Z', ...rows(2) }) });
      }
      files.push({ name: 'bad-row.ndjson', text: `${summaryText(dev(8), { inline: [inlineRow('2024-05-01')] })}{"schema":2,\n` });
      files.push({ name: 'bad-header.ndjson', text: '{"schema":2,"kind":"export"}\n' });
      for (const { name, text } of files) await fs.writeFile(path.join(folder, name), text);
      const report = (merge: ReturnType<typeof mergeSummaryTexts>) => JSON.stringify(buildTeamReport(merge, { ...personal, personal: false }));
      const skipped = (merge: ReturnType<typeof mergeSummaryTexts>) => merge.skipped.map((file) => file.name).sort();
      const inMemory = mergeSummaryTexts(files);
      assert.ok(inMemory.inline.length > 0 && JSON.parse(report(inMemory)).suppressed.reason === null);
      for (const threads of [1, 2]) {
        const threaded = await mergeSummaryFolder(folder, {}, threads);
        assert.equal(report(threaded), report(inMemory), `${threads} thread(s)`);
        assert.deepEqual(skipped(threaded), ['bad-header.ndjson', 'bad-row.ndjson']);
      }
    });

    it('a file that newer files were to cover is read after all when a newer one turns out bad', async () => {
      const older = summaryText(dev(1), { exportedAt: '2024-06-01T00:00:00Z', inline: [inlineRow('2024-05-03', { aiChars: 1 })] });
      const newer = summaryText(dev(1), { exportedAt: '2024-06-02T00:00:00Z', inline: [inlineRow('2024-05-03', { aiChars: 2 })] });
      await fs.writeFile(path.join(folder, 'older.ndjson'), older);
      await fs.writeFile(path.join(folder, 'newer.ndjson'), newer.replace('"aiChars":2', '"aiChars":-2'));
      const merge = await mergeSummaryFolder(folder);
      assert.deepEqual(aiCharsByDay(merge), { '2024-05-03': 1 });
      assert.deepEqual(merge.skipped.map((file) => file.name), ['newer.ndjson']);
      assert.deepEqual([merge.merged, merge.superseded], [1, 0]);
    });

    it('a reader thread that cannot run fails the merge with a message instead of leaving it waiting', async () => {
      await fs.writeFile(path.join(folder, 'a.ndjson'), summaryText(dev(1), { inline: [inlineRow('2024-05-03')] }));
      const readers = new SummaryReaders(1, path.join(folder, 'no-such-worker.js'));
      try {
        await assert.rejects(readers.headers([path.join(folder, 'a.ndjson')]), (error: Error) => error instanceof SafeMessageError && /summary reader thread/.test(error.message));
        await assert.rejects(readers.file(path.join(folder, 'a.ndjson')), SafeMessageError);
      } finally {
        await readers.close();
      }
    });

    it('a file replaced by a FIFO after its first line was read is skipped as unreadable, instead of waiting for a writer for good', async () => {
      const file = path.join(folder, 'a.ndjson');
      await fs.writeFile(file, summaryText(dev(1), { inline: [inlineRow('2024-05-03')] }));
      const readers = new SummaryReaders(1);
      try {
        assert.equal((await readers.headers([file]))[0].kind, 'header');
        await fs.rm(file);
        execFileSync('mkfifo', [file]);
        const outcome = await Promise.race([readers.file(file), delay(3000, 'still waiting')]);
        // A reader thread waiting in open is let go by a writer, so that the test fails instead of hanging.
        if (outcome === 'still waiting') closeSync(openSync(file, constants.O_WRONLY | constants.O_NONBLOCK));
        assert.deepEqual(outcome, { ok: false, reason: 'could not be read' });
      } finally {
        await readers.close();
      }
    });

    it('merges its .ndjson files only, newest first, and skips a file over the size limit without reading it', async () => {
      await fs.writeFile(path.join(folder, 'old.ndjson'), summaryText(dev(1), { exportedAt: '2024-06-01T00:00:00Z', inline: [inlineRow('2024-05-03', { aiChars: 1 })] }));
      await fs.writeFile(path.join(folder, 'new.ndjson'), summaryText(dev(1), { exportedAt: '2024-06-02T00:00:00Z', inline: [inlineRow('2024-05-03', { aiChars: 2 })] }));
      // A write in progress (writeFileAtomic's temporary name) and unrelated files are not summaries.
      await fs.writeFile(path.join(folder, 'x.ndjson.123.abcd.tmp'), summaryText(dev(2), { inline: [inlineRow('2024-05-03', { aiChars: 1000 })] }));
      await fs.writeFile(path.join(folder, 'README.md'), '# team folder\n');
      await fs.mkdir(path.join(folder, 'sub.ndjson'));
      const huge = await fs.open(path.join(folder, 'huge.ndjson'), 'w');
      await huge.truncate(MAX_SUMMARY_FILE_BYTES + 1);
      await huge.close();
      const merge = await mergeSummaryFolder(folder);
      assert.deepEqual(aiCharsByDay(merge), { '2024-05-03': 2 });
      assert.deepEqual(merge.skipped, [{ name: 'huge.ndjson', reason: 'larger than 64 MB' }]);
    });
  });
});
