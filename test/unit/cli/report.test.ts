import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ReportJson } from '../../../src/report/reportJson';
import type { InlineRow, UsageRow } from '../../../src/report/rows';
import { accept, activity, eventLines, retention, tempStorage, usage, writeSegment } from '../ledger/ledgerFixtures';
import { runAssay, type CliResult } from './cliRunner';

/** An empty home folder, so no test reads the logs of tools installed on the machine running it. */
let emptyHome: string;

function assay(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runAssay(args, emptyHome, env);
}

describe('assay report', function () {
  this.timeout(20_000);
  let storageDir: string;

  before(async () => {
    emptyHome = await tempStorage();
    storageDir = await tempStorage();
    const day = (d: number, h = 12) => Date.UTC(2024, 4, d, h);
    await writeSegment(
      storageDir,
      '2024-05-01_1_aaaaaaaa.jsonl',
      eventLines([
        accept({ t: day(1), chars: 40, lines: 2 }),
        accept({ t: day(1), mode: 'word', chars: 4, lines: 1 }),
        activity({ t: day(1), opportunities: 9, typedChars: 120 }),
        retention({ acceptedAt: day(1), checkpoint: 600, chars: 40, arc: 30, unchanged: false }),
        usage({ t: day(1), source: 'claude-code', model: 'claude-sonnet-4-5', inputTokens: 1_000, outputTokens: 200, cacheReadTokens: 0, cacheWrite5mTokens: 100, cacheWrite1hTokens: 50 }),
        usage({ t: day(1), source: 'codex', model: 'model-nobody-prices', inputTokens: 10, outputTokens: 5 }),
      ]) + `${JSON.stringify({ v: 1, kind: 'accept' })}\n`,
    );
    await writeSegment(
      storageDir,
      '2024-06-02_1_aaaaaaaa.jsonl',
      eventLines([accept({ t: day(33), languageId: 'python', chars: 10, lines: 1 }), usage({ t: day(33), source: 'claude-code', model: 'claude-sonnet-4-5' })]),
    );
  });

  it('prints daily rows and totals as JSON, sorted by date, kind and keys', async () => {
    const result = await assay(['report', 'daily', '--json', '--storage', storageDir, '--tz', 'UTC']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as ReportJson;
    assert.deepEqual(Object.keys(report), ['rows', 'totals']);
    assert.deepEqual(
      report.rows.map((row) => [row.date, row.kind, row.kind === 'inline' ? row.languageId : row.source]),
      [
        ['2024-05-01', 'inline', 'typescript'],
        ['2024-05-01', 'usage', 'claude-code'],
        ['2024-05-01', 'usage', 'codex'],
        ['2024-06-02', 'inline', 'python'],
        ['2024-06-02', 'usage', 'claude-code'],
      ],
    );
    const inline = report.rows[0] as InlineRow;
    assert.deepEqual(inline.acceptances, { full: 1, word: 1, line: 0 });
    assert.equal(inline.aiChars, 44);
    assert.deepEqual(inline.retention['600'], { known: 1, chars: 40, arc: 30, unchanged: 0, mostlyRetained: 1 });

    const claude = report.rows[1] as UsageRow;
    assert.equal(claude.cacheWriteTokens, 150);
    assert.equal(typeof claude.costUSD, 'number');
    assert.ok((claude.costUSD as number) > 0);
    const unpriced = report.rows[2] as UsageRow;
    assert.equal(unpriced.costUSD, null);
    assert.ok(!('tokens' in claude), 'rows are exactly the public row shape');

    assert.equal(report.totals.inline.aiChars, 54);
    assert.equal(report.totals.usage.requests, 3);
    assert.equal(report.totals.usage.unpricedRequests, 1);
    const priced = report.rows.filter((row): row is UsageRow => row.kind === 'usage' && row.costUSD !== null);
    // Printed costs are rounded to 1e-6 each (table.test.ts), so the total is within that of the rows' sum.
    assert.ok(Math.abs(report.totals.usage.costUSD - priced.reduce((sum, row) => sum + (row.costUSD as number), 0)) <= 1e-6 * priced.length);
  });

  it('warns on stderr about ledger lines it skipped', async () => {
    const result = await assay(['report', 'daily', '--json', '--storage', storageDir, '--tz', 'UTC']);
    assert.match(result.stderr, /1 ledger lines are not valid events/);
  });

  it('limits rows to --since and --until', async () => {
    const result = await assay(['report', 'daily', '--json', '--storage', storageDir, '--tz', 'UTC', '--since', '2024-06-01', '--until', '2024-06-30']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as ReportJson;
    assert.deepEqual([...new Set(report.rows.map((row) => row.date))], ['2024-06-02']);
  });

  it('prints monthly rows', async () => {
    const result = await assay(['report', 'monthly', '--json', '--storage', storageDir, '--tz', 'UTC']);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as ReportJson;
    assert.deepEqual(
      report.rows.map((row) => [row.date, row.kind]),
      [
        ['2024-05', 'inline'],
        ['2024-05', 'usage'],
        ['2024-05', 'usage'],
        ['2024-06', 'inline'],
        ['2024-06', 'usage'],
      ],
    );
  });

  it('prints an aligned table without --json', async () => {
    const result = await assay(['report', 'daily', '--storage', storageDir, '--tz', 'UTC']);
    assert.equal(result.status, 0);
    const [table, notes] = result.stdout.split('\n\n');
    const lines = table.split('\n').filter((line) => !/^─+$/.test(line));
    assert.deepEqual(lines.map((line) => line.split(/\s+/)[0]), ['Date', '2024-05-01', '2024-06-02', 'Total']);
    assert.equal(new Set(lines.map((line) => line.length)).size, 1, 'right-aligned figures end in one column');
    assert.equal(notes, '1 agent response is unpriced and not in the costs.\n');
  });

  it('exits 2 with a message for an unknown flag, a bad date or a bad zone', async () => {
    for (const [args, message] of [
      [['report', 'daily', '--colour'], /unknown option --colour/],
      [['report', 'daily', '--since', '2024-13-01'], /--since: expected a calendar date/],
      [['report', 'daily', '--tz', 'Atlantis/Capital'], /--tz: unknown time zone/],
      [['report', 'daily', '--since', '2024-05-02', '--until', '2024-05-01'], /--since is after --until/],
      [['report', 'weekly'], /unknown command/],
      [['/home/alice/acme-payroll'], /^assay: unknown command\n/],
    ] as const) {
      const result = await assay([...args, '--storage', storageDir]);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message);
      assert.doesNotMatch(result.stderr, /alice|payroll/);
      assert.equal(result.stdout, '');
    }
  });

  it('reports UTC days, with a warning naming --tz, when the machine\'s time zone has no name it knows', async () => {
    const utc = await assay(['report', 'daily', '--json', '--no-import', '--storage', storageDir, '--tz', 'UTC']);
    for (const tz of ['', 'UTC+3']) {
      const result = await assay(['report', 'daily', '--json', '--no-import', '--storage', storageDir], { TZ: tz });
      assert.equal(result.status, 0, result.stderr);
      assert.match(result.stderr, /time zone has no name Assay knows .*days are UTC days \(--tz ZONE/);
      assert.equal(result.stdout, utc.stdout);
    }
  });

  it('exits 1 when the --storage folder does not exist', async () => {
    const missing = await assay(['report', 'daily', '--storage', path.join(storageDir, 'nope')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /no such folder/);
  });

  it('finds the default storage folder when there is one', async () => {
    const home = await tempStorage();
    const storage = path.join(home, '.config', 'VSCodium', 'User', 'globalStorage', 'assay.assay');
    await writeSegment(storage, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept({ t: Date.UTC(2024, 4, 1, 12) })]));
    const result = await assay(['report', 'daily', '--json', '--tz', 'UTC'], { HOME: home, XDG_CONFIG_HOME: '', XDG_DATA_HOME: '', VSCODE_PORTABLE: '' });
    assert.equal(result.status, 0, result.stderr);
    assert.equal((JSON.parse(result.stdout) as ReportJson).rows.length, 1);
  });

  it('imports Claude Code and Codex logs from the given folders into a new ledger, and only once', async () => {
    const logs = await tempStorage();
    const ledger = path.join(await tempStorage(), 'fresh-ledger');
    const claudeProject = path.join(logs, 'claude', 'projects', 'some-project');
    await fs.mkdir(claudeProject, { recursive: true });
    const response = {
      type: 'assistant',
      timestamp: '2024-05-03T10:00:00.000Z',
      sessionId: 'session-1',
      requestId: 'req_1',
      isSidechain: false,
      message: { id: 'msg_1', model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 50 } },
    };
    // Streaming writes the same response more than once: it must count once.
    await fs.writeFile(path.join(claudeProject, 'session-1.jsonl'), `${JSON.stringify(response)}\n${JSON.stringify(response)}\n`);
    const args = ['report', 'daily', '--json', '--storage', ledger, '--claude-config-dir', path.join(logs, 'claude'), '--no-discover', '--tz', 'UTC'];

    for (let run = 0; run < 2; run += 1) {
      const result = await assay(args);
      assert.equal(result.status, 0, result.stderr);
      const report = JSON.parse(result.stdout) as ReportJson;
      const usageRows = report.rows.filter((row): row is UsageRow => row.kind === 'usage');
      assert.equal(usageRows.length, 1);
      assert.equal(usageRows[0].date, '2024-05-03');
      assert.equal(usageRows[0].source, 'claude-code');
      assert.equal(usageRows[0].model, 'claude-sonnet-4-5-20250929');
      assert.equal(usageRows[0].inputTokens, 100);
      assert.equal(usageRows[0].outputTokens, 20);
      assert.equal(usageRows[0].cacheReadTokens, 50);
      assert.equal(usageRows[0].requests, 1);
      assert.ok(usageRows[0].costUSD !== null && usageRows[0].costUSD > 0);
    }
  });

  it('reports what it imported as a report of the ledger alone does, a streamed response completed in a later run included', async () => {
    const logs = await tempStorage();
    const ledger = await tempStorage();
    await writeSegment(ledger, '2024-05-01_1_aaaaaaaa.jsonl', eventLines([accept({ t: Date.UTC(2024, 4, 3, 9) }), usage({ t: Date.UTC(2024, 4, 3, 9), source: 'codex', model: 'gpt-5' })]));
    const project = path.join(logs, 'claude', 'projects', 'some-project');
    await fs.mkdir(project, { recursive: true });
    const line = (id: string, outputTokens: number, hour: number) =>
      `${JSON.stringify({
        type: 'assistant',
        timestamp: `2024-05-03T${String(hour).padStart(2, '0')}:00:00.000Z`,
        sessionId: 'session-1',
        requestId: `req_${id}`,
        isSidechain: false,
        message: { id: `msg_${id}`, model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 100, output_tokens: outputTokens } },
      })}\n`;
    const log = path.join(project, 'session-1.jsonl');
    await fs.writeFile(log, line('1', 5, 10) + line('2', 7, 11));
    const importing = ['report', 'daily', '--json', '--storage', ledger, '--claude-config-dir', path.join(logs, 'claude'), '--no-discover', '--tz', 'UTC'];
    const ledgerOnly = ['report', 'daily', '--json', '--storage', ledger, '--no-import', '--tz', 'UTC'];

    const first = await assay(importing);
    assert.equal(first.status, 0, first.stderr);
    // The last copy of msg_2 streams in after the first run: the ledger then holds two events under its id.
    await fs.appendFile(log, line('2', 70, 11) + line('3', 9, 12));
    const second = await assay(importing);
    assert.equal(second.status, 0, second.stderr);
    const outputTokens = (JSON.parse(second.stdout) as ReportJson).rows
      .filter((row): row is UsageRow => row.kind === 'usage' && row.source === 'claude-code')
      .map((row) => [row.requests, row.outputTokens]);
    assert.deepEqual(outputTokens, [[3, 5 + 70 + 9]]);

    const fromCache = await assay(ledgerOnly);
    assert.equal(fromCache.stdout, second.stdout);
    await fs.rm(path.join(ledger, 'ledger', 'cache'), { recursive: true });
    const rebuilt = await assay(ledgerOnly);
    assert.equal(rebuilt.stdout, second.stdout);
  });

  it('prices a model from --price-file that the bundled prices do not know', async () => {
    const logs = await tempStorage();
    const project = path.join(logs, 'projects', 'p');
    await fs.mkdir(project, { recursive: true });
    const response = {
      type: 'assistant',
      timestamp: '2024-05-04T10:00:00.000Z',
      sessionId: 's',
      requestId: 'req_price',
      message: { id: 'msg_price', model: 'acme-coder-9', usage: { input_tokens: 1_000_000, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
    };
    await fs.writeFile(path.join(project, 's.jsonl'), `${JSON.stringify(response)}\n`);
    const priceFile = path.join(logs, 'prices.json');
    await fs.writeFile(priceFile, JSON.stringify({ 'acme-coder-9': { input_cost_per_token: 0.000002, output_cost_per_token: 0.00001, litellm_provider: 'acme', mode: 'chat' } }));
    const ledger = path.join(await tempStorage(), 'ledger');
    const base = ['report', 'daily', '--json', '--tz', 'UTC', '--storage', ledger, '--claude-config-dir', logs, '--no-discover'];

    const priced = await assay([...base, '--price-file', priceFile]);
    assert.equal(priced.status, 0, priced.stderr);
    const row = (JSON.parse(priced.stdout) as ReportJson).rows.find((r): r is UsageRow => r.kind === 'usage');
    assert.equal(row?.model, 'acme-coder-9');
    assert.ok(Math.abs((row?.costUSD ?? 0) - 1_000_000 * 0.000002) < 1e-9);

    const unpriced = await assay([...base, '--no-import']);
    const again = (JSON.parse(unpriced.stdout) as ReportJson).rows.find((r): r is UsageRow => r.kind === 'usage');
    assert.equal(again?.costUSD, null, 'without the price file the model has no price, not $0');
  });

  it('prices usage imported under a model nobody priced yet once a price file names its vendor id', async () => {
    const logs = await tempStorage();
    const project = path.join(logs, 'projects', 'p');
    await fs.mkdir(project, { recursive: true });
    // A gateway (OpenRouter) answers with its own spelling of the model: provider prefix and a dotted version.
    const response = (id: string, model: string) => ({
      type: 'assistant',
      timestamp: '2024-05-04T10:00:00.000Z',
      sessionId: 's',
      requestId: `req_${id}`,
      message: { id, model, usage: { input_tokens: 1_000_000, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } },
    });
    await fs.writeFile(
      path.join(project, 's.jsonl'),
      `${JSON.stringify(response('msg_a', 'anthropic/claude-sonnet-4.7'))}\n${JSON.stringify(response('msg_b', 'claude-sonnet-4-7'))}\n`,
    );
    const ledger = path.join(await tempStorage(), 'ledger');
    const base = ['report', 'daily', '--json', '--tz', 'UTC', '--storage', ledger, '--claude-config-dir', logs, '--no-discover'];

    const imported = await assay(base);
    assert.equal(imported.status, 0, imported.stderr);
    const before = (JSON.parse(imported.stdout) as ReportJson).rows.filter((r): r is UsageRow => r.kind === 'usage');
    assert.deepEqual(before.map((row) => [row.model, row.requests, row.costUSD]), [['claude-sonnet-4-7', 2, null]]);

    const priceFile = path.join(logs, 'prices.json');
    await fs.writeFile(priceFile, JSON.stringify({ 'claude-sonnet-4-7': { input_cost_per_token: 0.000003, output_cost_per_token: 0.000015, litellm_provider: 'anthropic', mode: 'chat' } }));
    const later = await assay([...base, '--no-import', '--price-file', priceFile]);
    assert.equal(later.status, 0, later.stderr);
    const after = (JSON.parse(later.stdout) as ReportJson).rows.filter((r): r is UsageRow => r.kind === 'usage');
    assert.equal(after.length, 1);
    assert.ok(Math.abs((after[0].costUSD ?? 0) - 2 * 1_000_000 * 0.000003) < 1e-9, String(after[0].costUSD));
  });

  it('prints help and exits 0', async () => {
    const result = await assay(['--help']);
    assert.equal(result.status, 0);
    for (const flag of ['--json', '--storage', '--since', '--until', '--tz']) assert.ok(result.stdout.includes(flag), flag);
    assert.ok(result.stdout.includes('Lines +/kept'), 'the agent lines column is explained');
  });
});
