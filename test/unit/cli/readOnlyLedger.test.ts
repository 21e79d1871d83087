// A ledger the user may read but not write (another user's copy, a read-only mount) is still reported: the import
// that runs first cannot take its lock, and says so, instead of ending the command with a bare error code.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import type { ReportJson } from '../../../src/report/reportJson';
import { accept, eventLines, writeSegment } from '../ledger/ledgerFixtures';
import { DIST_CLI } from '../team/teamFixtures';

const NOBODY = 65534;

describe('assay report on a ledger it cannot write', function () {
  this.timeout(60_000);

  it('reports what the ledger holds, with a warning that names --no-import, and exits 0', async () => {
    // World-readable, so that the user the command runs as can read the command and the ledger, not write them.
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-read-only-'));
    await fs.chmod(root, 0o755);
    const dist = path.join(root, 'dist');
    await fs.cp(path.dirname(DIST_CLI), dist, { recursive: true });
    const storage = path.join(root, 'ledger');
    await writeSegment(storage, '2024-05-01_00000001_1_aaaaaaaa.jsonl', eventLines([accept({ t: Date.UTC(2024, 4, 1, 12) })]));
    const home = path.join(root, 'home');
    await fs.mkdir(home);
    for (const entry of await fs.readdir(root, { recursive: true })) await fs.chmod(path.join(root, entry), 0o755);
    const asRoot = process.getuid?.() === 0;
    // Root writes anywhere: the command then runs as nobody. Anyone else: the ledger is made read-only.
    if (asRoot) await fs.chown(home, NOBODY, NOBODY);
    else for (const entry of ['', ...(await fs.readdir(storage, { recursive: true }))]) await fs.chmod(path.join(storage, entry), 0o555);
    const command = [path.join(dist, 'cli.js'), 'report', 'daily', '--json', '--no-discover', '--storage', storage, '--tz', 'UTC'];
    const [file, args] = asRoot ? ['setpriv', ['--reuid', String(NOBODY), '--regid', String(NOBODY), '--clear-groups', process.execPath, ...command]] : [process.execPath, command];
    try {
      const { stdout, stderr } = await promisify(execFile)(file, args, { env: { PATH: process.env.PATH ?? '', HOME: home } });
      assert.match(stderr, /could not import into this ledger \((EACCES|EPERM|EROFS)\); reporting what it holds \(--no-import skips the import\)/);
      const report = JSON.parse(stdout) as ReportJson;
      assert.equal(report.totals.inline?.acceptances.full, 1);
    } finally {
      if (!asRoot) for (const entry of ['', ...(await fs.readdir(storage, { recursive: true }))]) await fs.chmod(path.join(storage, entry), 0o755);
      await fs.rm(root, { recursive: true, force: true });
    }
  });
});
