import * as assert from 'node:assert/strict';
import { candidateStorageDirs, findDefaultStorageDir, StorageNotFoundError } from '../../../src/ledger/storageLocation';

describe('default storage location', () => {
  it('lists each editor flavour on Linux, honouring XDG folders, then code-server and the remote server', () => {
    assert.deepEqual(candidateStorageDirs({ platform: 'linux', env: {}, homedir: '/home/ada' }), [
      '/home/ada/.config/Code/User/globalStorage/assay.assay',
      '/home/ada/.config/Code - Insiders/User/globalStorage/assay.assay',
      '/home/ada/.config/VSCodium/User/globalStorage/assay.assay',
      '/home/ada/.config/Cursor/User/globalStorage/assay.assay',
      '/home/ada/.config/Windsurf/User/globalStorage/assay.assay',
      '/home/ada/.local/share/code-server/User/globalStorage/assay.assay',
      '/home/ada/.vscode-server/data/User/globalStorage/assay.assay',
    ]);
    const xdg = candidateStorageDirs({
      platform: 'linux',
      env: { XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/data' },
      homedir: '/home/ada',
    });
    assert.equal(xdg[0], '/cfg/Code/User/globalStorage/assay.assay');
    assert.equal(xdg[xdg.length - 2], '/data/code-server/User/globalStorage/assay.assay');
  });

  it('uses Application Support on macOS and %APPDATA% on Windows', () => {
    assert.equal(
      candidateStorageDirs({ platform: 'darwin', env: {}, homedir: '/Users/ada' })[0],
      '/Users/ada/Library/Application Support/Code/User/globalStorage/assay.assay',
    );
    const windows = candidateStorageDirs({ platform: 'win32', env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, homedir: 'C:\\Users\\ada' });
    assert.equal(windows[0], 'C:\\Users\\ada\\AppData\\Roaming\\Code\\User\\globalStorage\\assay.assay');
    assert.equal(windows[3], 'C:\\Users\\ada\\AppData\\Roaming\\Cursor\\User\\globalStorage\\assay.assay');
    assert.equal(windows[4], 'C:\\Users\\ada\\AppData\\Roaming\\Windsurf\\User\\globalStorage\\assay.assay');
    assert.equal(windows.length, 5);
  });

  it('tries a portable install first', () => {
    assert.equal(
      candidateStorageDirs({ platform: 'linux', env: { VSCODE_PORTABLE: '/opt/vscode/data' }, homedir: '/home/ada' })[0],
      '/opt/vscode/data/user-data/User/globalStorage/assay.assay',
    );
  });

  it('picks the first folder that exists', async () => {
    const environment = { platform: 'linux' as const, env: {}, homedir: '/home/ada' };
    const existing = new Set([
      '/home/ada/.config/Cursor/User/globalStorage/assay.assay',
      '/home/ada/.config/Windsurf/User/globalStorage/assay.assay',
      '/home/ada/.local/share/code-server/User/globalStorage/assay.assay',
      '/home/ada/.vscode-server/data/User/globalStorage/assay.assay',
    ]);
    assert.equal(
      await findDefaultStorageDir(environment, async (candidate) => existing.has(candidate)),
      '/home/ada/.config/Cursor/User/globalStorage/assay.assay',
    );
  });

  it('fails with every place it looked when none exists', async () => {
    const environment = { platform: 'linux' as const, env: {}, homedir: '/home/ada' };
    await assert.rejects(findDefaultStorageDir(environment, async () => false), (error: unknown) => {
      assert.ok(error instanceof StorageNotFoundError);
      assert.deepEqual(error.candidates, candidateStorageDirs(environment));
      assert.equal(error.candidates.length, 7);
      for (const candidate of error.candidates) assert.ok(error.message.includes(candidate));
      return true;
    });
  });
});
