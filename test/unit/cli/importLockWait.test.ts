// `assay import` while an editor window's import holds the lock: the command says that it waits, then
// imports once the other finishes, instead of sitting silent for up to a minute.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { tempStorage } from '../ledger/ledgerFixtures';
import { startLockHolder } from '../ledger/lockHolder';
import { runAssay } from './cliRunner';

describe('assay import while another import runs', function () {
  this.timeout(30_000);

  it('says it waits for the other import, then imports when it has finished', async () => {
    const home = await tempStorage();
    const storage = path.join(home, 'storage');
    await startLockHolder(storage, { releaseAfterMs: 1_500 });
    const result = await runAssay(['import', '--no-discover', '--storage', storage], home);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /another import is running .*waiting for it to finish/);
    assert.doesNotMatch(result.stderr, /nothing was read/);
  });

  it('says nothing of waiting when no other import runs', async () => {
    const home = await tempStorage();
    const result = await runAssay(['import', '--no-discover', '--storage', path.join(home, 'storage')], home);
    assert.equal(result.status, 0, result.stderr);
    assert.doesNotMatch(result.stderr, /waiting/);
  });
});
