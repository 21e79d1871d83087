import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadImportSecret } from '../../../src/importers/importSecret';
import { recordDurability } from '../privacy/durabilitySpy';

describe('import id key', () => {
  it('is created once and shared by every importer of the same ledger, even when they start together', async () => {
    const storage = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-import-key-'));
    const keys = await Promise.all(Array.from({ length: 8 }, () => loadImportSecret(storage)));
    assert.match(keys[0], /^[0-9a-f]{64}$/);
    assert.deepEqual(new Set(keys), new Set([keys[0]]));
    assert.equal(await loadImportSecret(storage), keys[0]);
    assert.deepEqual(await fs.readdir(path.join(storage, 'importers')), ['id-key']);
  });

  it('survives a power loss once created: its bytes are synced before it is linked into place, and its folder after', async () => {
    const storage = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-import-key-'));
    const recorder = recordDurability();
    try {
      await loadImportSecret(storage);
    } finally {
      recorder.restore();
    }
    const folder = path.join(storage, 'importers');
    const linked = recorder.steps.findIndex((step) => step.startsWith('link '));
    assert.ok(linked > 0, recorder.steps.join('; '));
    const draft = recorder.steps[linked].slice('link '.length);
    assert.ok(recorder.steps.slice(0, linked).includes(`sync ${draft}`), `the key's bytes are on disk before its name: ${recorder.steps.join('; ')}`);
    assert.ok(recorder.steps.slice(linked).includes(`sync ${folder}`), `its name is on disk: ${recorder.steps.join('; ')}`);
  });
});
