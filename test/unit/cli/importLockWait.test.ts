// `assay import` while an editor window's import holds the lock: the command says that it waits, then
// imports once the other finishes, instead of sitting silent for up to a minute.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { tempStorage } from '../ledger/ledgerFixtures';
import { runAssay } from './cliRunner';

const LOCK_MODULE = path.join(__dirname, '..', '..', '..', 'src', 'ledger', 'importLock.js');

/** Another process holding the import lock of `storageDir` for `holdMs`, then releasing it; resolves once it holds it. */
async function holdLock(storageDir: string, holdMs: number): Promise<void> {
  const script = `
    const { acquireImportLock } = require(${JSON.stringify(LOCK_MODULE)});
    acquireImportLock(${JSON.stringify(storageDir)}).then((release) => {
      process.stdout.write(release ? 'held\\n' : 'busy\\n');
      setTimeout(() => void release?.(), ${holdMs});
    });`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', () => reject(new Error('the holder exited')));
  });
  assert.equal(first, 'held');
}

describe('assay import while another import runs', function () {
  this.timeout(30_000);

  it('says it waits for the other import, then imports when it has finished', async () => {
    const home = await tempStorage();
    const storage = path.join(home, 'storage');
    await holdLock(storage, 1_500);
    const result = await runAssay(['import', '--no-discover', '--storage', storage], home);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /another import is running .*waiting up to a minute/);
    assert.doesNotMatch(result.stderr, /nothing was read/);
  });

  it('says nothing of waiting when no other import runs', async () => {
    const home = await tempStorage();
    const result = await runAssay(['import', '--no-discover', '--storage', path.join(home, 'storage')], home);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /waiting/);
  });
});
