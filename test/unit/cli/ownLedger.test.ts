// Without an editor, `assay` keeps a ledger of its own in the platform's data folder.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ownLedgerDir } from '../../../src/ledger/storageLocation';
import type { ReportJson } from '../../../src/report/reportJson';
import type { UsageRow } from '../../../src/report/rows';
import { tempStorage } from '../ledger/ledgerFixtures';
import { runAssay } from './cliRunner';

describe("assay's own ledger", function () {
  this.timeout(30_000);

  it('lives in the platform data folder: XDG_DATA_HOME or ~/.local/share, Application Support, %APPDATA%', () => {
    assert.equal(ownLedgerDir({ platform: 'linux', env: {}, homedir: '/home/ada' }), '/home/ada/.local/share/assay');
    assert.equal(ownLedgerDir({ platform: 'linux', env: { XDG_DATA_HOME: '/data' }, homedir: '/home/ada' }), '/data/assay');
    assert.equal(ownLedgerDir({ platform: 'freebsd', env: { XDG_DATA_HOME: 'relative' }, homedir: '/home/ada' }), '/home/ada/.local/share/assay');
    assert.equal(ownLedgerDir({ platform: 'darwin', env: {}, homedir: '/Users/ada' }), '/Users/ada/Library/Application Support/Assay');
    assert.equal(
      ownLedgerDir({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, homedir: 'C:\\Users\\ada' }),
      'C:\\Users\\ada\\AppData\\Roaming\\Assay',
    );
  });

  it('is created when no editor ledger exists, said once on stderr, and `assay import` fills it', async () => {
    const home = await tempStorage();
    const env = { XDG_DATA_HOME: path.join(home, 'data'), XDG_CONFIG_HOME: '', VSCODE_PORTABLE: '' };
    const own = path.join(home, 'data', 'assay');

    const first = await runAssay(['--no-import'], home, env);
    assert.equal(first.status, 0, first.stderr);
    assert.equal(first.stdout, 'No Assay data in this range.\n');
    // Home written as ~, so no user name is printed.
    const announcement = `created assay's own ledger for agent usage in ${path.join('~', 'data', 'assay')}\n`;
    assert.ok(first.stderr.includes(announcement), first.stderr);
    assert.ok(!first.stderr.includes(home));
    assert.ok((await fs.stat(own)).isDirectory());
    if (process.platform !== 'win32') assert.equal((await fs.stat(own)).mode & 0o777, 0o700);

    const second = await runAssay(['--no-import'], home, env);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stderr, '', 'said once, when it was created');

    const project = path.join(home, '.claude', 'projects', 'some-project');
    await fs.mkdir(project, { recursive: true });
    const response = {
      type: 'assistant',
      timestamp: '2024-05-03T10:00:00.000Z',
      sessionId: 'session-1',
      requestId: 'req_1',
      message: { id: 'msg_1', model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 50 } },
    };
    await fs.writeFile(path.join(project, 'session-1.jsonl'), `${JSON.stringify(response)}\n`);
    const imported = await runAssay(['import'], home, env);
    assert.equal(imported.status, 0, imported.stderr);
    assert.equal(imported.stdout, 'Imported 1 new agent response (claude-code 1).\n');

    const reported = await runAssay(['-j', '--no-import', '--tz', 'UTC'], home, env);
    const rows = (JSON.parse(reported.stdout) as ReportJson).rows.filter((row): row is UsageRow => row.kind === 'usage');
    assert.deepEqual(rows.map((row) => [row.date, row.source, row.model, row.inputTokens]), [['2024-05-03', 'claude-code', 'claude-sonnet-4-5-20250929', 100]]);
    await assert.rejects(fs.stat(path.join(home, '.config')), 'no editor folder was made');
  });

  it('`assay import` takes only the options that say where to read and write', async () => {
    const home = await tempStorage();
    const result = await runAssay(['import', '--json'], home);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown option --json/);
  });
});
