// The `assay` command starts through V8's code cache. A short command is mostly Node starting and then compiling and
// running an 800 KB bundle; V8 can keep the bytecode it compiled in one run and take it in the next, so later runs
// skip most of that compiling. Hand-written because nothing fits Node 20, the oldest Node the command supports:
// `module.enableCompileCache()` arrived in Node 22, and `v8-compile-cache(-lib)` keeps only what V8 compiled before the
// bundle ran (a fraction of what a run compiles) in a folder of the shared temporary directory, where another user of
// the machine could leave bytecode for this one to run. Here the cache is taken when the command exits, so it holds
// every function the run compiled, and lives in the user's own cache folder, owner-only.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { makePrivateDirSync, PRIVATE_FILE_MODE } from '../privacy/privateFiles';

export interface CacheEnvironment {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
}

/**
 * The platform's folder for the user's caches, Assay's part of it: `$XDG_CACHE_HOME/assay` (default `~/.cache/assay`) on
 * Linux and other Unixes, `~/Library/Caches/Assay` on macOS, `%LOCALAPPDATA%\Assay\Cache` on Windows.
 */
export function userCacheDir({ platform, env, homedir }: CacheEnvironment): string {
  if (platform === 'win32') return path.win32.join(env.LOCALAPPDATA || path.win32.join(homedir, 'AppData', 'Local'), 'Assay', 'Cache');
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Caches', 'Assay');
  // The XDG Base Directory spec says a relative XDG_CACHE_HOME is to be ignored.
  const cacheHome = env.XDG_CACHE_HOME && path.posix.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.posix.join(homedir, '.cache');
  return path.posix.join(cacheHome, 'assay');
}

/**
 * The cache of a bundle whose bytes are `source`, for this V8. V8 refuses a cache another V8 version or other flags
 * made, but of the source it checks only the length: a new release of the same length (a version bump) would run the
 * old release's code. The name holds a digest of the bytes, so each release, and each Node version used side by
 * side, keeps its own.
 */
export function codeCacheFile(bundle: string, cacheDir: string, source: Buffer): string {
  const digest = createHash('sha256').update(source).digest('hex').slice(0, 16);
  return path.join(cacheDir, `${cachePrefix(bundle)}${process.versions.v8}-${digest}.bin`);
}

function cachePrefix(bundle: string): string {
  return `${path.basename(bundle, '.js')}-v8-`;
}

/** Caches of the bundle kept at most: the release in use, and the others installed beside it (two editors). */
const MAX_CACHES_PER_BUNDLE = 3;

/** Removes the bundle's oldest caches (earlier releases) past MAX_CACHES_PER_BUNDLE. */
function removeOldCaches(bundle: string, keep: string): void {
  const folder = path.dirname(keep);
  const prefix = cachePrefix(bundle);
  const caches = fs
    .readdirSync(folder)
    .filter((name) => name.startsWith(prefix) && name.endsWith('.bin') && name !== path.basename(keep))
    .map((name) => ({ name, mtimeMs: fs.statSync(path.join(folder, name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { name } of caches.slice(MAX_CACHES_PER_BUNDLE - 1)) fs.rmSync(path.join(folder, name), { force: true });
}

function readCache(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Written whole, then renamed into place: a torn file must never be met, as V8 checks a cache's header and its
 * source, not every byte of what it compiled. It runs as the process exits, so nothing here may throw: a cache that
 * cannot be written (no cache folder, a full disk) only costs the next run its speed.
 */
function saveCache(script: vm.Script, bundle: string, file: string): void {
  const draft = `${file}.${process.pid}.draft`;
  try {
    makePrivateDirSync(path.dirname(file));
  } catch {
    return;
  }
  try {
    fs.writeFileSync(draft, script.createCachedData(), { mode: PRIVATE_FILE_MODE });
    fs.renameSync(draft, file);
    removeOldCaches(bundle, file);
  } catch {
    try {
      fs.rmSync(draft, { force: true });
    } catch {
      // The folder refuses even that: the draft stays, as the cache would have.
    }
  }
}

/**
 * Runs `bundle` (a CommonJS file) as Node would run it as the main module, with the code cache in `cacheDir`: taken when
 * it is there and V8 accepts it, else made when the process exits. The first run's cache stays: one made by
 * `assay --help` holds less than one made by a report, and V8 compiles the rest as it would without a cache. Making a
 * cache costs 9 to 54 ms, too much for every run.
 */
export function runWithCodeCache(bundle: string, cacheDir: string): void {
  const source = fs.readFileSync(bundle);
  const file = codeCacheFile(bundle, cacheDir, source);
  const cachedData = readCache(file);
  const script = new vm.Script(Module.wrap(source.toString('utf8')), { filename: bundle, ...(cachedData ? { cachedData } : {}) });
  if (cachedData === undefined || script.cachedDataRejected === true) process.once('exit', () => saveCache(script, bundle, file));
  const main = new Module(bundle);
  main.filename = bundle;
  const run = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
  run.call(main.exports, main.exports, Module.createRequire(bundle), main, bundle, path.dirname(bundle));
}
