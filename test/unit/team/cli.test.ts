import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReportJson } from '../../../src/report/reportJson';
import { runCli } from '../../../src/cli/run';
import type { LedgerEvent } from '../../../src/ledger/events';
import type { TeamReportJson } from '../../../src/team/teamReport';
import { createPricer } from '../../../src/pricing/pricer';
import { resolveSeats } from '../../../src/pricing/seats';
import { prepareTeamSummary, writeTeamSummaryFile } from '../../../src/team/summaryFiles';
import type { ExportLine } from '../../../src/team/summarySchema';
import { accept, activity, eventLines, retention, usage, writeSegment } from '../ledger/ledgerFixtures';
import { DIST_CLI, OUT_CLI, runCommand } from './teamFixtures';
import type { CliResult } from './teamFixtures';

const CANARY = 'zqcanary';
const SINCE = '2024-05-01';
const UNTIL = '2024-05-31';
const at = (day: number, hour = 12) => Date.UTC(2024, 4, day, hour);

/**
 * One developer's ledger. Every free-text field a ledger can hold carries the canary, and so do the
 * folder names and the keys: none of it may reach a summary or a report.
 */
function developerEvents(n: number): LedgerEvent[] {
  const tag = `${CANARY}${n}`;
  const events: LedgerEvent[] = [];
  for (const day of [1, 2, 3, 9]) {
    events.push(
      accept({ t: at(day), chars: 30 + n, lines: 1 + (n % 3), workspace: `${tag}ws` }),
      accept({ t: at(day, 13), mode: 'word', chars: 5, lines: 1, workspace: `${tag}ws` }),
      activity({ t: at(day), opportunities: 10 + n, typedChars: 100 * n, workspace: `${tag}ws` }),
      retention({ acceptedAt: at(day), checkpoint: 600, chars: 30 + n, arc: 20 + n, unchanged: n % 2 === 0, workspace: `${tag}ws` }),
      usage({ t: at(day), id: `${tag}-usage-${day}`, inputTokens: 1000 * n, outputTokens: 77 * n, session: `${tag}sess`, project: `${tag}proj` }),
    );
  }
  // Groups only one or two developers have: they fold into `other`, and their figures still count in the totals.
  if (n === 1) events.push(accept({ t: at(2), languageId: `${tag}-lang`, provider: `${tag}-assistant`, workspace: `${tag}ws` }));
  if (n === 2) events.push(usage({ t: at(3), id: `${tag}-usage-x`, source: 'codex', model: `${tag}-model-7b`, session: `${tag}sess`, project: `${tag}proj` }));
  if (n <= 2) events.push(usage({ t: at(20), id: `${tag}-usage-y`, source: 'gemini-cli', model: 'gemini-2.5-pro', inputTokens: 12_345, outputTokens: 678, session: `${tag}sess`, project: `${tag}proj` }));
  return events;
}

function assertNoPrivateText(label: string, text: string): void {
  assert.doesNotMatch(text, new RegExp(CANARY, 'i'), `${label} holds a canary`);
  for (const name of [os.userInfo().username, os.hostname()].filter((name) => name.length >= 5)) {
    assert.ok(!text.includes(name), `${label} holds the user or host name`);
  }
}

describe('assay team (built command)', function () {
  this.timeout(120_000);
  let root: string;
  let home: string;
  let outDir: string;
  let keyFile: string;
  const ledgers: string[] = [];
  const exportRuns: CliResult[] = [];

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), `assay-${CANARY}-root-`));
    home = path.join(root, `${CANARY}-home`);
    outDir = path.join(root, `${CANARY}-shared-folder`);
    await fs.mkdir(home);
    await fs.mkdir(outDir);
    keyFile = path.join(root, 'team.key');
    await fs.writeFile(keyFile, `${CANARY}-team-key\n`);
    for (let n = 1; n <= 6; n++) {
      const storage = path.join(root, `${CANARY}-ledger-${n}`);
      await writeSegment(storage, '2024-05-01_1_aaaaaaaa.jsonl', eventLines(developerEvents(n)));
      await fs.mkdir(path.join(storage, 'importers'), { recursive: true });
      await fs.writeFile(path.join(storage, 'importers', 'id-key'), `${CANARY}${n}-import-id-key`);
      ledgers.push(storage);
    }
    // Each developer exports with the built command; later tests read this folder too.
    for (const storage of ledgers) {
      exportRuns.push(await runCommand(DIST_CLI, ['team', 'export', '--storage', storage, '--out', outDir, '--team-key-file', keyFile, '--since', SINCE, '--until', UNTIL, '--tz', 'UTC'], home));
    }
  });

  after(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('six developers export; the report totals equal the sum of their own daily reports, every group has k developers, and nothing private leaks', async () => {
    assert.equal(exportRuns.length, 6);
    for (const exported of exportRuns) {
      assert.equal(exported.status, 0, exported.stderr);
      assertNoPrivateText('export output', exported.stdout + exported.stderr);
    }
    const files = (await fs.readdir(outDir)).sort();
    assert.equal(files.length, 6);
    for (const file of files) {
      assert.match(file, /^assay-team-[0-9a-f]{16}-2024-05-01_2024-05-31\.ndjson$/);
      assertNoPrivateText(file, await fs.readFile(path.join(outDir, file), 'utf8'));
    }

    const html = path.join(root, 'report.html');
    const csv = path.join(root, 'report.csv');
    const merged = await runCommand(DIST_CLI, ['team', 'report', outDir, '--json', '--html', html, '--csv', csv], home);
    assert.equal(merged.status, 0, merged.stderr);
    assert.equal(merged.stderr, '');
    const team = JSON.parse(merged.stdout) as TeamReportJson;
    assert.deepEqual(Object.keys(team).slice(0, 5), ['developers', 'minGroup', 'rows', 'totals', 'suppressed']);
    assert.equal(team.developers, 6);
    assert.equal(team.minGroup, 5);

    const own: ReportJson[] = [];
    for (const storage of ledgers) {
      const daily = await runCommand(DIST_CLI, ['report', 'daily', '--json', '--no-import', '--storage', storage, '--since', SINCE, '--until', UNTIL, '--tz', 'UTC'], home);
      assert.equal(daily.status, 0, daily.stderr);
      own.push(JSON.parse(daily.stdout) as ReportJson);
    }
    const inline = team.totals.inline;
    const usageTotals = team.totals.usage;
    assert.ok(inline && usageTotals);
    const sum = (pick: (report: ReportJson) => number) => own.reduce((total, report) => total + pick(report), 0);
    assert.deepEqual(inline.acceptances, {
      full: sum((r) => r.totals.inline.acceptances.full),
      word: sum((r) => r.totals.inline.acceptances.word),
      line: sum((r) => r.totals.inline.acceptances.line),
    });
    for (const field of ['acceptedChars', 'acceptedLines', 'opportunities', 'typedChars', 'aiChars'] as const) {
      assert.equal(inline[field], sum((r) => r.totals.inline[field]), field);
    }
    for (const field of ['known', 'chars', 'arc', 'unchanged', 'mostlyRetained'] as const) {
      assert.equal(inline.retention['600'][field], sum((r) => r.totals.inline.retention['600'][field]), `retention ${field}`);
    }
    for (const field of ['inputTokens', 'outputTokens', 'reasoningTokens', 'cacheReadTokens', 'cacheWriteTokens', 'requests', 'requestsWithoutTokens'] as const) {
      assert.equal(usageTotals[field], sum((r) => r.totals.usage[field]), field);
    }
    // The same per-row costs added in another order; each daily report prints its total rounded to 1e-6 USD.
    assert.ok(Math.abs(usageTotals.costUSD - sum((r) => r.totals.usage.costUSD)) <= 1e-6 * own.length, 'costUSD');
    // Developer 2's unpriced model folds into a row of six priced developers: its requests are counted there, and its
    // being unpriced is not told (the row's unpriced requests would be that one developer's).
    assert.equal(sum((r) => r.totals.usage.unpricedRequests), 1);
    assert.equal(usageTotals.unpricedRequests, 0);

    // Every group at or above k, everywhere in the JSON.
    const counts: number[] = [];
    JSON.stringify(team, (key, value: unknown) => {
      if (key === 'developers' && typeof value === 'number') counts.push(value);
      return value;
    });
    assert.ok(counts.length > 20 && counts.every((count) => count >= 5), JSON.stringify(counts));
    assert.ok(team.suppressed.groups > 0, 'the small groups were folded, not dropped');

    const htmlText = await fs.readFile(html, 'utf8');
    const csvText = await fs.readFile(csv, 'utf8');
    assertNoPrivateText('JSON', merged.stdout);
    assertNoPrivateText('CSV', csvText);
    assertNoPrivateText('HTML', htmlText);
    assert.ok(htmlText.includes(`${usageTotals.requests.toLocaleString('en-US')} requests`));
    assert.ok(htmlText.includes(`$${usageTotals.costUSD.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`));
    assert.match(htmlText, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
    assert.doesNotMatch(htmlText, /<script[^>]+src=|<link\b|<img\b|<iframe\b/i, 'nothing is fetched');
    assert.ok(htmlText.includes('Chart.js v4'), 'Chart.js is inlined');
    const csvLines = csvText.trim().split('\r\n');
    assert.equal(csvLines.length, 1 + team.rows.length + 2);
    const developersColumn = csvLines[0].split(',').indexOf('developers');
    assert.ok(csvLines.slice(1).every((line) => Number(line.split(',')[developersColumn]) >= 5));

    const text = await runCommand(DIST_CLI, ['team', 'report', outDir], home);
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /6 developers, groups of at least 5/);
    assertNoPrivateText('text report', text.stdout);
  });

  it('exporting again replaces the developer\'s own file and touches no other file of the folder', async () => {
    const folder = await fs.mkdtemp(path.join(root, 'again-'));
    await fs.writeFile(path.join(folder, 'someone-else.ndjson'), 'not mine\n');
    const args = ['team', 'export', '--storage', ledgers[0], '--out', folder, '--since', SINCE, '--until', UNTIL, '--tz', 'UTC'];
    assert.equal((await runCommand(OUT_CLI, args, home)).status, 0);
    assert.equal((await runCommand(OUT_CLI, args, home)).status, 0);
    const names = (await fs.readdir(folder)).sort();
    assert.equal(names.length, 2, names.join(' '));
    assert.equal(await fs.readFile(path.join(folder, 'someone-else.ndjson'), 'utf8'), 'not mine\n');
  });

  it('an --until after today exports up to today, so that the merge takes the file', async () => {
    const folder = await fs.mkdtemp(path.join(root, 'until-'));
    const args = ['team', 'export', '--storage', ledgers[0], '--out', folder, '--since', SINCE, '--until', '2999-12-31', '--tz', 'UTC'];
    assert.equal((await runCommand(OUT_CLI, args, home)).status, 0);
    const [name] = await fs.readdir(folder);
    const header = JSON.parse((await fs.readFile(path.join(folder, name), 'utf8')).split('\n')[0]) as { until: string };
    assert.equal(header.until, new Date().toISOString().slice(0, 10));
    const report = await runCommand(OUT_CLI, ['team', 'report', folder, '--personal', '--json'], home);
    assert.equal(report.status, 0, report.stderr);
    assert.equal((JSON.parse(report.stdout) as TeamReportJson).files.skipped, 0);
  });

  it('a range with no day from 2000 to today exports nothing and says why', async () => {
    const folder = await fs.mkdtemp(path.join(root, 'no-day-'));
    for (const range of [['--since', '2999-01-01'], ['--until', '1999-06-01']]) {
      const result = await runCommand(OUT_CLI, ['team', 'export', '--storage', ledgers[0], '--out', folder, ...range, '--tz', 'UTC'], home);
      assert.notEqual(result.status, 0);
      assert.match(result.stderr, /no day of the range is from 2000-01-01 to today: nothing to export/);
    }
    assert.deepEqual(await fs.readdir(folder), []);
  });

  it('the same ledger gets the same developer id with the same key, and another id under another team key', async () => {
    const idOf = async (extra: string[]) => {
      const folder = await fs.mkdtemp(path.join(root, 'id-'));
      const result = await runCommand(OUT_CLI, ['team', 'export', '--storage', ledgers[0], '--out', folder, '--since', SINCE, '--until', UNTIL, '--tz', 'UTC', ...extra], home);
      assert.equal(result.status, 0, result.stderr);
      // Without a key the id is the same in every folder: the export says so, and says how to give the team's key.
      assert.equal(result.stderr.includes('No team key is set (--team-key-file)'), extra.length === 0, result.stderr);
      return (await fs.readdir(folder))[0].slice('assay-team-'.length, 'assay-team-'.length + 16);
    };
    const otherKey = path.join(root, 'other.key');
    await fs.writeFile(otherKey, 'another team\n');
    const first = await idOf(['--team-key-file', keyFile]);
    assert.equal(await idOf(['--team-key-file', keyFile]), first);
    assert.notEqual(await idOf(['--team-key-file', otherKey]), first);
    assert.notEqual(await idOf([]), first);
    assert.equal(await idOf([]), await idOf([]), 'without a key, one id in every folder');
  });

  it('--personal: one person\'s machines, each exported without a team key, merge without the k rule', async () => {
    const folder = await fs.mkdtemp(path.join(root, 'personal-'));
    const io = { stdout: '', stderr: '' };
    const run = (args: string[]) => runCli(args, { stdout: (text) => (io.stdout += text), stderr: (text) => (io.stderr += text) });
    for (const storage of ledgers.slice(0, 2)) {
      assert.equal(await run(['team', 'export', '--storage', storage, '--out', folder, '--since', SINCE, '--until', UNTIL, '--tz', 'UTC']), 0, io.stderr);
    }
    assert.equal(await run(['team', 'report', folder, '--json']), 0, io.stderr);
    const team = JSON.parse(io.stdout.slice(io.stdout.indexOf('{'))) as TeamReportJson;
    assert.deepEqual([team.developers, team.totals.inline], [2, null], 'two machines are two ids: a team report shows nothing');
    io.stdout = '';
    assert.equal(await run(['team', 'report', folder, '--json', '--personal']), 0, io.stderr);
    const personal = JSON.parse(io.stdout) as TeamReportJson;
    assert.deepEqual([personal.personal, personal.minGroup, personal.developers], [true, 1, 2]);
    assert.ok(personal.breakdowns.inline.language.some((row) => row.key === 'other' && row.developers === 1));
    assert.equal(personal.totals.usage?.requests, 4 + 4 + 1 + 1 + 1);
  });

  it("an export without --seats lists your last export's seats, so that it does not take back the seats the editor exported for its days", async () => {
    const folder = await fs.mkdtemp(path.join(root, 'seats-'));
    // The editor's export, an hour earlier, of a range the command's export then covers too.
    const fromEditor = await prepareTeamSummary({
      storageDir: ledgers[0],
      teamKey: null,
      pricer: createPricer(),
      seats: resolveSeats([{ plan: 'claude-max-20x' }, { plan: `${CANARY} Plan`, monthlyUSD: 30 }]).seats,
      timeZone: 'UTC',
      since: '2024-04-01',
      until: UNTIL,
      now: new Date(Date.now() - 3_600_000),
    });
    await writeTeamSummaryFile(folder, fromEditor.fileName, fromEditor.bytes);
    const editorSeats = (fromEditor.lines[0] as ExportLine).seats;
    assert.deepEqual(editorSeats.map((seat) => seat.plan), ['claude-max-20x', 'other']);

    const exportSeats = async (out: string, seatArgs: string[]) => {
      const io = { stdout: '', stderr: '' };
      const args = ['team', 'export', '--storage', ledgers[0], '--out', out, '--since', SINCE, '--until', UNTIL, '--tz', 'UTC', ...seatArgs];
      assert.equal(await runCli(args, { stdout: (text) => (io.stdout += text), stderr: (text) => (io.stderr += text) }), 0, io.stderr);
      const text = await fs.readFile(path.join(out, (await fs.readdir(out)).find((name) => name.includes(`${SINCE}_${UNTIL}`)) ?? ''), 'utf8');
      return { seats: (JSON.parse(text.split('\n')[0]) as ExportLine).seats, stderr: io.stderr };
    };
    const carried = await exportSeats(folder, []);
    assert.deepEqual(carried.seats, editorSeats);
    assert.doesNotMatch(carried.stderr, /seats/);
    // Given, they replace what the folder had, with the setting's plan names and the allowlist's `other`.
    const given = await exportSeats(folder, ['--seats', 'copilot-business=2', '--seats', `${CANARY}-plan=1@20`]);
    assert.deepEqual(given.seats, [{ plan: 'copilot-business', monthlyUSD: resolveSeats([{ plan: 'copilot-business' }]).seats[0].monthlyUSD, count: 2 }, { plan: 'other', monthlyUSD: 20, count: 1 }]);
    assert.deepEqual((await exportSeats(folder, ['--seats', 'none'])).seats, []);
    // No earlier export: none, and the command says so.
    const first = await exportSeats(await fs.mkdtemp(path.join(root, 'seats-first-')), []);
    assert.deepEqual(first.seats, []);
    assert.match(first.stderr, /^assay: warning: the summary lists no seats: give the plans you hold with --seats PLAN=COUNT \(as in assay\.seats\), or --seats none\.$/m);
    assertNoPrivateText('export output', carried.stderr + given.stderr + first.stderr);
  });

  describe('exit statuses', () => {
    const cases: Array<[string, () => string[], number, RegExp]> = [
      ['team report without a folder', () => ['team', 'report'], 2, /needs the folder/],
      ['--min-group below 3', () => ['team', 'report', outDir, '--min-group', '2'], 2, /--min-group: below 3 is refused/],
      ['--min-group not a number', () => ['team', 'report', outDir, '--min-group', 'five'], 2, /--min-group/],
      ['an export flag on report', () => ['team', 'report', outDir, '--out', outDir], 2, /--out is not an option of team report/],
      ['a report flag on export', () => ['team', 'export', '--out', outDir, '--html', 'x.html'], 2, /--html is not an option of team export/],
      ['export without --out', () => ['team', 'export', '--storage', ledgers[0]], 2, /needs --out/],
      ['a malformed --seats', () => ['team', 'report', outDir, '--seats', 'copilot-business'], 2, /--seats: expected PLAN=COUNT/],
      ['an unknown plan without a price', () => ['team', 'report', outDir, '--seats', 'acme-ai=10'], 2, /unknown plan/],
      ['an unknown team command', () => ['team', 'merge', outDir], 2, /unknown command: team merge/],
      ['a report folder that does not exist', () => ['team', 'report', path.join(root, `${CANARY}-missing`)], 1, /no such folder/],
      ['an --out folder that does not exist', () => ['team', 'export', '--storage', ledgers[0], '--out', path.join(root, `${CANARY}-missing`)], 1, /--out: no such folder/],
      ['an empty team key file', () => ['team', 'export', '--storage', ledgers[0], '--out', outDir, '--team-key-file', path.join(root, 'empty.key')], 1, /team key file is empty/],
    ];
    before(async () => {
      await fs.writeFile(path.join(root, 'empty.key'), '\n');
    });
    for (const [title, args, status, message] of cases) {
      it(`${title}: ${status}`, async () => {
        const result = { status: 0, stdout: '', stderr: '' };
        result.status = await runCli(args(), { stdout: (text) => (result.stdout += text), stderr: (text) => (result.stderr += text) });
        assert.equal(result.status, status, result.stderr);
        assert.match(result.stderr, message);
        assertNoPrivateText('the error', result.stderr);
      });
    }

    it('fewer developers than --min-group: 0, with the reason and no figures', async () => {
      const result = await runCommand(OUT_CLI, ['team', 'report', outDir, '--min-group', '7', '--json'], home);
      assert.equal(result.status, 0, result.stderr);
      const report = JSON.parse(result.stdout) as TeamReportJson;
      assert.deepEqual([report.rows, report.totals], [[], { inline: null, usage: null }]);
      assert.match(report.suppressed.reason ?? '', /6 developers/);
    });

    it('a bad file: named on stderr with its reason, the rest reported, 0', async () => {
      const folder = await fs.mkdtemp(path.join(root, 'bad-'));
      for (const name of await fs.readdir(outDir)) await fs.copyFile(path.join(outDir, name), path.join(folder, name));
      await fs.writeFile(path.join(folder, 'broken.ndjson'), '{"schema":2,"kind":"export"');
      // A name that would turn the terminal red and reverse the rest of the line is shown escaped.
      await fs.writeFile(path.join(folder, 'x\u001b[31m\u202eevil.ndjson'), '');
      const result = await runCommand(OUT_CLI, ['team', 'report', folder, '--json'], home);
      assert.equal(result.status, 0, result.stderr);
      assert.equal(
        result.stderr,
        'assay: skipped broken.ndjson: truncated (the last line is not complete)\n' + 'assay: skipped x\\u001b[31m\\u202eevil.ndjson: truncated (the last line is not complete)\n',
      );
      assert.equal((JSON.parse(result.stdout) as TeamReportJson).developers, 6);
    });
  });
});
