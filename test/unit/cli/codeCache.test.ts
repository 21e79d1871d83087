// The installed command (dist/cli.js) starts through V8's code cache, kept owner-only in the user's cache folder. A
// cache must only ever make the command faster: a missing, foreign or damaged one changes nothing it prints.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { codeCacheFile, userCacheDir } from '../../../src/cli/codeCache';
import { tempStorage } from '../ledger/ledgerFixtures';
import { DIST_CLI } from '../team/teamFixtures';

/** The cache file and its inode and mtime, which a run that takes the cache leaves as they were. */
async function cacheState(file: string): Promise<{ ino: number; mtimeMs: number; mode: number; bytes: Buffer }> {
  const stat = await fs.stat(file);
  return { ino: stat.ino, mtimeMs: stat.mtimeMs, mode: stat.mode & 0o777, bytes: await fs.readFile(file) };
}

describe('assay: the code cache', function () {
  this.timeout(60_000);

  it('lives in the platform cache folder: XDG_CACHE_HOME or ~/.cache, Library/Caches, %LOCALAPPDATA%', () => {
    assert.equal(userCacheDir({ platform: 'linux', env: {}, homedir: '/home/ada' }), '/home/ada/.cache/assay');
    assert.equal(userCacheDir({ platform: 'linux', env: { XDG_CACHE_HOME: '/cache' }, homedir: '/home/ada' }), '/cache/assay');
    assert.equal(userCacheDir({ platform: 'freebsd', env: { XDG_CACHE_HOME: 'relative' }, homedir: '/home/ada' }), '/home/ada/.cache/assay');
    assert.equal(userCacheDir({ platform: 'darwin', env: {}, homedir: '/Users/ada' }), '/Users/ada/Library/Caches/Assay');
    assert.equal(
      userCacheDir({ platform: 'win32', env: { LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local' }, homedir: 'C:\\Users\\ada' }),
      'C:\\Users\\ada\\AppData\\Local\\Assay\\Cache',
    );
  });

  it('is made owner-only by the first run, taken as it is by the next, and a damaged one is replaced without a trace in the output', async () => {
    const home = await tempStorage();
    const cacheDir = path.join(home, 'cache', 'assay');
    const bundle = path.join(path.dirname(DIST_CLI), 'cliMain.js');
    const file = codeCacheFile(bundle, cacheDir, await fs.readFile(bundle));
    const run = async () => {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [DIST_CLI, '--help'], {
        env: { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, 'cache') },
      });
      return { stdout, stderr };
    };

    const first = await run();
    assert.match(first.stdout, /^Usage: assay report/);
    assert.equal(first.stderr, '');
    const made = await cacheState(file);
    assert.ok(made.bytes.length > 10_000, 'the cache holds the compiled bundle');
    if (process.platform !== 'win32') {
      assert.equal(made.mode, 0o600);
      assert.equal((await fs.stat(cacheDir)).mode & 0o777, 0o700);
    }
    assert.deepEqual(await fs.readdir(cacheDir), [path.basename(file)], 'no draft is left beside it');

    // V8 took the cache: the run had nothing to write.
    assert.deepEqual(await run(), first);
    assert.deepEqual(await cacheState(file), made);

    await fs.writeFile(file, 'not a code cache');
    assert.deepEqual(await run(), first);
    const remade = await cacheState(file);
    assert.ok(remade.bytes.length > 10_000, 'the damaged cache was replaced');
    assert.deepEqual(await run(), first);
    assert.deepEqual(await cacheState(file), remade, 'and V8 takes the new one');
  });

  it('runs a new release of the same length as itself, not as the release whose cache is there', async () => {
    const home = await tempStorage();
    const release = async (name: string, version: string) => {
      const folder = path.join(home, name);
      await fs.mkdir(folder);
      await fs.copyFile(DIST_CLI, path.join(folder, 'cli.js'));
      const main = await fs.readFile(path.join(path.dirname(DIST_CLI), 'cliMain.js'), 'utf8');
      const current = /var version = "(\d+\.\d+\.\d+)"/.exec(main)?.[1];
      assert.ok(current && current.length === version.length, 'a version string of the same length');
      await fs.writeFile(path.join(folder, 'cliMain.js'), main.replace(`var version = "${current}"`, `var version = "${version}"`));
      return path.join(folder, 'cli.js');
    };
    const [older, newer] = [await release('older', '7.7.7'), await release('newer', '8.8.8')];
    const version = async (cli: string) =>
      (await promisify(execFile)(process.execPath, [cli, '--version'], { env: { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, 'cache') } })).stdout;
    assert.equal(await version(older), '7.7.7\n');
    assert.equal(await version(older), '7.7.7\n', 'through its cache');
    assert.equal(await version(newer), '8.8.8\n');
    assert.equal(await version(older), '7.7.7\n');
  });

  it('a cache folder that cannot be made costs nothing but the speed', async () => {
    const home = await tempStorage();
    // A file where the cache folder would be.
    await fs.writeFile(path.join(home, 'cache'), '');
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [DIST_CLI, '--version'], {
      env: { ...process.env, HOME: home, XDG_CACHE_HOME: path.join(home, 'cache') },
    });
    assert.match(stdout, /^\d+\.\d+\.\d+\n$/);
    assert.equal(stderr, '');
  });
});
