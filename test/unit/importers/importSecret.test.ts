import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadImportSecret } from '../../../src/importers/importSecret';

describe('import id key', () => {
  it('is created once and shared by every importer of the same ledger, even when they start together', async () => {
    const storage = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-import-key-'));
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadImportSecret(storage)));
    assert.match(keys[0], /^[0-9a-f]{64}$/);
    assert.deepEqual(new Set(keys), new Set([keys[0]]));
    assert.equal(await loadImportSecret(storage), keys[0]);
    assert.deepEqual(await fs.readdir(path.join(storage, 'importers')), ['id-key']);
  });
});
