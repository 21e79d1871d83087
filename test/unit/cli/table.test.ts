// The `assay report` table as a user reads it in a terminal: one row per day, a rule, the totals,
// under 100 columns, run through the compiled command on realistic sample ledgers.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { sampleEvents, seedSampleLedger } from '../../harness/sampleLedger';
import { version } from '../../../package.json';
import type { AgentEditEvent, AgentRetentionEvent } from '../../../src/ledger/events';
import type { ReportJson } from '../../../src/report/reportJson';
import type { InlineRow, UsageRow } from '../../../src/report/rows';
import { accept, activity, eventLines, retention, tempStorage, usage, writeSegment } from '../ledger/ledgerFixtures';
import { runAssay, type CliResult } from './cliRunner';
import { parseCsv } from './csvParse';

const DAY = /^\d{4}-\d{2}-\d{2}\s/;
const MONTH = /^\d{4}-\d{2}\s/;
const RULE = /^─+$/;
/** An ANSI escape sequence (colour, bold). */
const ESCAPE = '\u001b[';

function lines(stdout: string): string[] {
  return stdout.replace(/\n$/, '').split('\n');
}

function widest(stdout: string): number {
  return Math.max(...lines(stdout).map((line) => [...line].length));
}

function json(result: CliResult): ReportJson {
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as ReportJson;
}

describe('assay report table', function () {
  this.timeout(60_000);
  let home: string;
  /** The 45-day sample the dashboard tests use (80 events a day). */
  let sample: string;
  /** Two months of heavier use (400 events a day), whose totals run to hundreds of millions of tokens. */
  let heavy: string;
  const now = Date.UTC(2026, 2, 15, 18);

  const assay = (args: string[], env: Record<string, string> = {}) => runAssay(args, home, env);
  const reportIn = (env: Record<string, string>, storage: string, ...args: string[]) =>
    assay(['report', 'daily', '--storage', storage, '--no-import', '--tz', 'UTC', ...args], env);
  const report = (storage: string, ...args: string[]) => reportIn({}, storage, ...args);

  before(async () => {
    home = await tempStorage();
    sample = await tempStorage();
    heavy = await tempStorage();
    await seedSampleLedger(sample, sampleEvents({ days: 45, seed: 20_251_129, now }));
    await seedSampleLedger(heavy, sampleEvents({ days: 60, eventsPerDay: 400, seed: 7, now }));
  });

  it('prints one row per day, a rule and the totals, in under 100 columns, on the 45-day sample', async () => {
    const result = await report(sample);
    assert.equal(result.status, 0, result.stderr);
    const data = json(await report(sample, '--json'));
    const dates = [...new Set(data.rows.map((row) => row.date))];
    assert.equal(dates.length, 45);

    const table = lines(result.stdout);
    assert.deepEqual(table[0].split(/\s{2,}/), ['Date', 'Input', 'Output', 'Cache', 'Total', 'Cost', 'Accepts', 'AI share', 'Kept 10 min']);
    assert.match(table[1], RULE);
    assert.deepEqual(table.slice(2, 47).map((line) => line.slice(0, 10)), dates);
    assert.match(table[47], RULE, 'a rule above the totals');
    assert.match(table[48], /^Total\s/);
    assert.equal(table.filter((line) => DAY.test(line)).length, 45);
    assert.ok(widest(result.stdout) < 100, `widest line: ${widest(result.stdout)}`);

    const totals = table[48].split(/\s+/);
    const inline = data.totals.inline;
    assert.equal(totals[5], `$${data.totals.usage.costUSD.toFixed(2)}`);
    assert.equal(totals[6], String(inline.acceptances.full + inline.acceptances.word + inline.acceptances.line));
    assert.equal(totals[7], `${((inline.aiChars / (inline.aiChars + inline.typedChars)) * 100).toFixed(1)}%`);
    assert.equal(totals[8], `${((inline.retention['600'].arc / inline.retention['600'].chars) * 100).toFixed(1)}%`);
    const tokens = data.totals.usage;
    assert.equal(Number(totals[4].replace(/,/g, '')), tokens.inputTokens + tokens.outputTokens + tokens.cacheReadTokens + tokens.cacheWriteTokens);
  });

  it('stays under 100 columns on two months of heavy use, by day and by month', async () => {
    const data = json(await report(heavy, '--json'));
    assert.ok(data.totals.usage.cacheReadTokens > 100_000_000, 'the history is heavy enough to need the room');

    const daily = await report(heavy);
    assert.equal(daily.status, 0, daily.stderr);
    assert.equal(lines(daily.stdout).filter((line) => DAY.test(line)).length, 60);
    assert.ok(widest(daily.stdout) < 100, `widest daily line: ${widest(daily.stdout)}`);

    const monthly = await assay(['report', 'monthly', '--storage', heavy, '--no-import', '--tz', 'UTC']);
    assert.equal(monthly.status, 0, monthly.stderr);
    const table = lines(monthly.stdout);
    assert.match(table[0], /^Month\s/);
    assert.deepEqual(table.filter((line) => MONTH.test(line)).map((line) => line.slice(0, 7)), ['2026-01', '2026-02', '2026-03']);
    assert.ok(widest(monthly.stdout) < 100, `widest monthly line: ${widest(monthly.stdout)}`);
  });

  it('--breakdown adds each day’s rows per source/model and language/provider under it', async () => {
    const day = ['--since', '2026-03-14', '--until', '2026-03-14'];
    const rows = json(await report(sample, '--json', ...day)).rows;
    const result = await report(sample, '--breakdown', ...day);
    assert.equal(result.status, 0, result.stderr);
    const table = lines(result.stdout);
    assert.match(table[2], /^2026-03-14\s/);
    const end = table.findIndex((line, index) => index > 2 && RULE.test(line));
    const parts = table.slice(3, end).map((line) => line.trim().split(/\s+/)[0]);
    assert.deepEqual(parts, [
      ...rows.filter((row): row is UsageRow => row.kind === 'usage').map((row) => `${row.source}/${row.model}`),
      ...rows.filter((row): row is InlineRow => row.kind === 'inline').map((row) => `${row.languageId}/${row.provider}`),
    ]);
    assert.ok(widest(result.stdout) < 100, `widest line: ${widest(result.stdout)}`);

    const whole = await report(sample, '--breakdown');
    const allRows = json(await report(sample, '--json')).rows;
    assert.equal(lines(whole.stdout).filter((line) => /^\s+\S+\/\S+/.test(line)).length, allRows.length);
    assert.ok(widest(whole.stdout) < 100, `widest line: ${widest(whole.stdout)}`);
  });

  it('--breakdown prints the control and bidi characters of a ledger’s model, language and provider escaped, cut or not', async () => {
    const hostile = await tempStorage();
    const t = Date.UTC(2024, 4, 1, 12);
    await writeSegment(
      hostile,
      '2024-05-01_1_aaaaaaaa.jsonl',
      eventLines([
        usage({ t, model: '\u001b[2J\u001b[31mEVIL' }),
        // Cut with "…" after 19 characters of its model (the label column is as wide as these figures leave), across its escape sequence.
        usage({ t, source: 'codex', model: `${'m'.repeat(17)}\u001b[2J${'m'.repeat(100)}` }),
        accept({ t, languageId: 'txt\u202eexe', provider: 'c\u009b2Jx\u2066' }),
      ]),
    );
    const result = await report(hostile, '--breakdown');
    assert.equal(result.status, 0, result.stderr);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    const table = lines(result.stdout);
    assert.ok(table.some((line) => line.startsWith('  claude-code/\\u001b[2J\\u00')));
    assert.ok(table.some((line) => line.startsWith(`  codex/${'m'.repeat(17)}\\u…`)), 'the long label is cut within the escaped sequence');
    assert.ok(table.some((line) => line.startsWith('  txt\\u202eexe/c\\u009b2Jx\\u2066')));
    assert.ok(widest(result.stdout) < 100, `widest line: ${widest(result.stdout)}`);
  });

  it('says "no tokens", not "unpriced", for responses logged without tokens (Kiro, Crush), and counts each response in one note', async () => {
    const storage = await tempStorage();
    const day = (d: number) => Date.UTC(2024, 4, d, 12);
    const noTokens = { tokensKnown: false, inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 };
    await writeSegment(
      storage,
      '2024-05-01_1_aaaaaaaa.jsonl',
      eventLines([
        usage({ t: day(1), source: 'kiro', model: 'claude-sonnet-4-5', ...noTokens }),
        usage({ t: day(1), source: 'crush', model: 'claude-sonnet-4-5', ...noTokens }),
        usage({ t: day(2), source: 'claude-code', model: 'claude-sonnet-4-5' }),
        usage({ t: day(2), source: 'codex', model: 'model-nobody-prices' }),
      ]),
    );
    const result = await report(storage, '--breakdown');
    assert.equal(result.status, 0, result.stderr);
    const [table, notes] = result.stdout.split('\n\n');
    const costOf = (label: string) => {
      const line = table.split('\n').find((row) => row.trimStart().startsWith(label));
      return line?.match(/(\$[\d,.]+|unpriced|no tokens)$/)?.[1];
    };
    assert.equal(costOf('2024-05-01'), 'no tokens');
    assert.equal(costOf('kiro/claude-sonnet-4-5'), 'no tokens');
    assert.equal(costOf('crush/claude-sonnet-4-5'), 'no tokens');
    assert.equal(costOf('codex/model-nobody-prices'), 'unpriced');
    assert.match(costOf('2024-05-02') ?? '', /^\$/);
    assert.deepEqual(notes.split('\n').filter(Boolean), [
      '1 agent response is unpriced and not in the costs.',
      '2 agent responses were logged without token counts (counted as 0 tokens).',
    ]);
    // The JSON keeps its documented meaning: the requests of every row without a cost (docs/report-json.md).
    assert.equal(json(await report(storage, '--json')).totals.usage.unpricedRequests, 3);
  });

  it('leaves out the columns of a kind with no rows, and says so when nothing is in range', async () => {
    const usageOnly = await tempStorage();
    await writeSegment(usageOnly, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([usage({ t: Date.UTC(2024, 4, 1, 12) })]));
    const usageTable = lines((await report(usageOnly)).stdout);
    assert.deepEqual(usageTable[0].split(/\s{2,}/), ['Date', 'Input', 'Output', 'Cache', 'Total', 'Cost']);

    const inlineOnly = await tempStorage();
    await writeSegment(
      inlineOnly,
      '2024-05-01_1_aaaaaaaa.jsonl',
      eventLines([accept({ t: Date.UTC(2024, 4, 1, 12) }), activity({ t: Date.UTC(2024, 4, 1, 12) }), retention({ acceptedAt: Date.UTC(2024, 4, 1, 12) })]),
    );
    const inlineTable = lines((await report(inlineOnly)).stdout);
    assert.deepEqual(inlineTable[0].split(/\s{2,}/), ['Date', 'Accepts', 'AI share', 'Kept 10 min']);

    const nothing = await report(sample, '--since', '2030-01-01');
    assert.equal(nothing.status, 0, nothing.stderr);
    assert.equal(nothing.stdout, 'No Assay data in this range.\n');
  });

  it('adds agent lines written and their share kept a day later when agents edited files, still under 100 columns', async () => {
    const at = (day: number) => Date.UTC(2026, 2, day, 12);
    const edit = (id: string, t: number, linesAdded: number, model = 'claude-sonnet-4-5'): AgentEditEvent =>
      ({ v: 1, t, kind: 'agentEdit', id, source: 'claude-code', model, session: 's1', linesAdded, linesRemoved: 1 });
    const kept = (editId: string, editedAt: number, linesAdded: number, linesKept: number, known = true): AgentRetentionEvent => ({
      v: 1, t: editedAt + 86_400_000, kind: 'agentRetention', editId, editedAt, source: 'claude-code', model: 'claude-sonnet-4-5',
      checkpoint: 86400, known, linesAdded, linesKept,
    });
    const agentLines = eventLines([
      edit('edit0001', at(13), 12),
      edit('edit0002', at(13), 8),
      edit('edit0003', at(14), 5),
      kept('edit0001', at(13), 12, 9),
      kept('edit0002', at(13), 8, 0, false),
      // Lines by the hundred thousand, as a long agent session can write: the table must still fit.
      edit('edit0004', at(12), 123_456, 'gpt-5.5'),
    ]);
    for (const storage of [sample, heavy]) {
      const withAgents = await tempStorage();
      await fs.cp(storage, withAgents, { recursive: true });
      await writeSegment(withAgents, '2099-01-01_00000001_1_abcdef01.jsonl', agentLines);

      const result = await report(withAgents);
      assert.equal(result.status, 0, result.stderr);
      const table = lines(result.stdout);
      assert.deepEqual(table[0].split(/\s{2,}/).slice(5, 7), ['Cost', 'Lines +/kept']);
      const cell = (date: string) => table.find((line) => line.startsWith(date))?.split(/\s+/)[6];
      assert.equal(cell('2026-03-13'), '20/75.0%', 'of the edits measured a day later, the share of their lines kept');
      assert.equal(cell('2026-03-14'), '5/–', 'no edit measured yet');
      assert.equal(cell('2026-03-11'), '–', 'no edit that day');
      assert.ok(widest(result.stdout) < 100, `widest line: ${widest(result.stdout)}`);

      const breakdown = lines((await report(withAgents, '--breakdown', '--since', '2026-03-13', '--until', '2026-03-13')).stdout);
      // The model's own row holds its lines; a part label may be cut to leave room for the figures.
      const parts = breakdown.filter((line) => /^\s+claude-code\//.test(line));
      const cells = parts.map((line) => line.trim().split(/\s+/)[6]);
      assert.deepEqual(cells.filter((text) => text !== '–'), ['20/75.0%'], 'only the model that edited has lines');
      assert.ok(widest(breakdown.join('\n')) < 100);
    }
  });

  it('runs the daily report for `assay` alone, and the monthly one for `assay monthly`', async () => {
    const editorHome = await tempStorage();
    const storage = path.join(editorHome, '.config', 'Code', 'User', 'globalStorage', 'assay.assay');
    await seedSampleLedger(storage, sampleEvents({ days: 10, seed: 3, now }));
    const inHome = (args: string[]) => runAssay([...args, '--no-import', '--tz', 'UTC'], editorHome);

    const alone = await inHome([]);
    assert.equal(alone.status, 0, alone.stderr);
    assert.equal(lines(alone.stdout).filter((line) => DAY.test(line)).length, 10);
    assert.equal(alone.stdout, (await inHome(['report', 'daily'])).stdout);
    assert.equal((await inHome(['monthly'])).stdout, (await inHome(['report', 'monthly'])).stdout);
    assert.match((await inHome(['monthly'])).stdout, /^Month\s/);
  });

  it('prints the version, and takes -j for --json', async () => {
    const printed = await assay(['--version']);
    assert.equal(printed.status, 0);
    assert.equal(printed.stdout, `${version}\n`);
    assert.equal((await report(sample, '-j')).stdout, (await report(sample, '--json')).stdout);
  });

  it('takes YYYYMMDD dates as ccusage does', async () => {
    const compact = await report(sample, '--json', '--since', '20260301', '--until', '20260305');
    const dashed = await report(sample, '--json', '--since', '2026-03-01', '--until', '2026-03-05');
    assert.equal(compact.stdout, dashed.stdout);
    assert.deepEqual([...new Set(json(compact).rows.map((row) => row.date))], ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05']);

    const impossible = await report(sample, '--since', '20260230');
    assert.equal(impossible.status, 2);
    assert.match(impossible.stderr, /--since: expected a calendar date/);
  });

  it('colours the table only on request or on a terminal, and never with --no-color, NO_COLOR or FORCE_COLOR=0', async () => {
    const coloured = (result: CliResult) => result.stdout.includes(ESCAPE);
    assert.ok(!coloured(await report(sample)), 'stdout is a pipe here, not a terminal');
    assert.ok(coloured(await report(sample, '--color')));
    assert.ok(coloured(await reportIn({ FORCE_COLOR: '1' }, sample)));
    assert.ok(!coloured(await reportIn({ FORCE_COLOR: '1' }, sample, '--no-color')));
    assert.ok(!coloured(await reportIn({ FORCE_COLOR: '0' }, sample)));
    assert.ok(!coloured(await reportIn({ NO_COLOR: '1' }, sample)));
  });

  it('refuses a CSV in a folder that does not exist, rather than make that folder', async () => {
    const folder = await tempStorage();
    const missing = path.join(folder, 'no-such-folder', 'deeper');
    const result = await report(sample, '--csv', path.join(missing, 'assay.csv'));
    assert.equal(result.status, 1);
    assert.match(result.stderr, /--csv: no such folder/);
    assert.ok(!result.stderr.includes(folder), 'the path is not echoed');
    await assert.rejects(fs.stat(path.join(folder, 'no-such-folder')));
  });

  it('writes the rows as CSV that parses back to the report’s rows', async () => {
    const folder = await tempStorage();
    const file = path.join(folder, 'assay.csv');
    const range = ['--since', '20260310', '--until', '20260315'];
    const result = await report(sample, '--csv', file, ...range);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^Date\s/, 'the table is still printed');

    const text = await fs.readFile(file, 'utf8');
    assert.ok(text.endsWith('\r\n'));
    const [header, ...records] = parseCsv(text);
    assert.deepEqual(header, [
      'date', 'kind', 'languageId', 'provider', 'source', 'model',
      'acceptancesFull', 'acceptancesWord', 'acceptancesLine', 'acceptedChars', 'acceptedLines', 'opportunities', 'typedChars', 'aiChars',
      'retention600Known', 'retention600Chars', 'retention600Arc',
      'inputTokens', 'outputTokens', 'reasoningTokens', 'cacheReadTokens', 'cacheWriteTokens', 'costUSD', 'requests', 'requestsWithoutTokens',
      'agentEditsInEditor', 'agentCharsInEditor',
    ]);
    const rows = json(await report(sample, '--json', ...range)).rows;
    assert.equal(records.length, rows.length);
    records.forEach((record, index) => {
      const cells = Object.fromEntries(header.map((name, column) => [name, record[column]]));
      const row = rows[index];
      assert.equal(cells.date, row.date);
      assert.equal(cells.kind, row.kind);
      if (row.kind === 'usage') {
        assert.deepEqual(
          [cells.source, cells.model, cells.languageId, cells.acceptancesFull],
          [row.source, row.model, '', ''],
        );
        for (const field of ['inputTokens', 'outputTokens', 'reasoningTokens', 'cacheReadTokens', 'cacheWriteTokens', 'requests', 'requestsWithoutTokens'] as const) {
          assert.equal(Number(cells[field]), row[field], field);
        }
        assert.equal(cells.costUSD, row.costUSD === null ? '' : String(row.costUSD));
      } else {
        assert.deepEqual([cells.languageId, cells.provider, cells.source, cells.inputTokens], [row.languageId, row.provider, '', '']);
        assert.deepEqual(
          [cells.acceptancesFull, cells.acceptancesWord, cells.acceptancesLine].map(Number),
          [row.acceptances.full, row.acceptances.word, row.acceptances.line],
        );
        for (const field of ['acceptedChars', 'acceptedLines', 'opportunities', 'typedChars', 'aiChars', 'agentEditsInEditor', 'agentCharsInEditor'] as const) {
          assert.equal(Number(cells[field]), row[field], field);
        }
        assert.equal(Number(cells.retention600Arc), row.retention['600']?.arc ?? 0);
      }
    });

    const monthlyFile = path.join(folder, 'monthly.csv');
    assert.equal((await assay(['report', 'monthly', '--storage', sample, '--no-import', '--tz', 'UTC', '--csv', monthlyFile])).status, 0);
    const months = new Set(parseCsv(await fs.readFile(monthlyFile, 'utf8')).slice(1).map((record) => record[0]));
    assert.deepEqual([...months], ['2026-01', '2026-02', '2026-03']);
  });

  it('rounds printed costs to a millionth of a dollar, and totals the exact costs', async () => {
    const folder = await tempStorage();
    const priceFile = path.join(folder, 'prices.json');
    // $0.0000014 a token: one input token costs 1.4 millionths of a dollar.
    await fs.writeFile(priceFile, JSON.stringify({ 'acme-tiny': { input_cost_per_token: 0.0000014, output_cost_per_token: 0, litellm_provider: 'acme', mode: 'chat' } }));
    const storage = await tempStorage();
    const tiny = { source: 'claude-code' as const, model: 'acme-tiny', inputTokens: 1, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 };
    await writeSegment(
      storage,
      '2024-05-01_1_aaaaaaaa.jsonl',
      eventLines([usage({ ...tiny, t: Date.UTC(2024, 4, 1, 12) }), usage({ ...tiny, t: Date.UTC(2024, 4, 2, 12) })]),
    );
    const csv = path.join(folder, 'costs.csv');
    const data = json(await report(storage, '--json', '--price-file', priceFile, '--csv', csv));
    assert.deepEqual(data.rows.map((row) => (row as UsageRow).costUSD), [0.000001, 0.000001]);
    // 2 × 0.0000014 = 0.0000028: the total of the exact costs, rounded once, not the sum of rounded rows.
    assert.equal(data.totals.usage.costUSD, 0.000003);
    const costColumn = parseCsv(await fs.readFile(csv, 'utf8'))[0].indexOf('costUSD');
    assert.deepEqual(parseCsv(await fs.readFile(csv, 'utf8')).slice(1).map((record) => record[costColumn]), ['0.000001', '0.000001']);
  });
});
