// Assay's own files are owner-only, but a folder it writes into that is not its own (a team's
// shared folder, the folder of a report) keeps its mode, and a team summary stays readable there.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makePrivateDir, syncDirectorySync, writeFileAtomic } from '../../../src/privacy/privateFiles';
import { writeTeamSummaryFile } from '../../../src/team/summaryFiles';
import { failFolderSyncs, recordDurability } from './durabilitySpy';

async function mode(file: string): Promise<number> {
  return (await fs.stat(file)).mode & 0o777;
}

describe('file modes', () => {
  let folder: string;
  let umask: number;

  beforeEach(async () => {
    umask = process.umask(0o022);
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-modes-'));
    await fs.chmod(folder, 0o755);
  });

  afterEach(() => {
    process.umask(umask);
  });

  it('writes a file owner-only without changing the mode of the folder it is in', async () => {
    await writeFileAtomic(path.join(folder, 'report.html'), '<p>report</p>');
    assert.equal(await mode(path.join(folder, 'report.html')), 0o600);
    assert.equal(await mode(folder), 0o755);
  });

  it('creates missing folders owner-only', async () => {
    await writeFileAtomic(path.join(folder, 'new', 'state.json'), '{}');
    assert.equal(await mode(path.join(folder, 'new')), 0o700);
  });

  it('leaves a team summary readable by whoever may read the shared folder, and the folder as it was', async () => {
    const written = await writeTeamSummaryFile(folder, 'assay-team-0000000000000001-2024-05-01_2024-05-31.ndjson', '{}\n');
    assert.equal(await mode(written), 0o644);
    assert.equal(await mode(folder), 0o755);
  });

  it('makes the folders it creates survive a power loss: each new folder is synced in its parent', async () => {
    const syncs = recordDurability();
    try {
      await writeFileAtomic(path.join(folder, 'new', 'deeper', 'state.json'), '{}');
      await makePrivateDir(path.join(folder, 'private', 'inner'));
    } finally {
      syncs.restore();
    }
    for (const parent of [folder, path.join(folder, 'new'), path.join(folder, 'new', 'deeper'), path.join(folder, 'private')]) {
      assert.ok(syncs.syncsOf(parent) > 0, `${parent} is synced: ${syncs.steps.join('; ')}`);
    }
  });
});

describe('folder syncs', () => {
  it('takes a file system that cannot sync a folder as it is, and fails a write whose folder sync the disk refused', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-folder-sync-'));
    for (const code of ['EINVAL', 'EISDIR', 'EPERM', 'ENOTSUP']) {
      const fault = failFolderSyncs(folder, code);
      try {
        await writeFileAtomic(path.join(folder, 'state.json'), code);
        syncDirectorySync(folder);
      } finally {
        fault.restore();
      }
      assert.equal(await fs.readFile(path.join(folder, 'state.json'), 'utf8'), code);
    }
    const fault = failFolderSyncs(folder, 'EIO');
    try {
      await assert.rejects(writeFileAtomic(path.join(folder, 'state.json'), 'lost?'), { code: 'EIO' });
      assert.throws(() => syncDirectorySync(folder), { code: 'EIO' });
    } finally {
      fault.restore();
    }
  });
});
