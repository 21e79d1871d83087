// ccusage 20.0.24, the reference the importers are cross-checked and benchmarked against, installed
// once into a cache folder outside the project (it is a test tool, not a dependency). The npm package
// is a launcher; the Rust binary comes in the platform package `@ccusage/ccusage-<os>-<arch>`.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CCUSAGE_VERSION = '20.0.24';

export function ccusageCacheDir(): string {
  const base = process.env.ASSAY_TEST_CACHE || path.join(os.homedir(), '.cache', 'assay-test');
  return path.join(base, `ccusage-${CCUSAGE_VERSION}`);
}

function binaryPath(dir: string): string {
  const name = process.platform === 'win32' ? 'ccusage.exe' : 'ccusage';
  return path.join(dir, 'node_modules', '@ccusage', `ccusage-${process.platform}-${process.arch}`, 'bin', name);
}

/** Path of the native ccusage binary, installing it on first use; undefined when it cannot be had. */
export function ensureCcusage(): string | undefined {
  const dir = ccusageCacheDir();
  const binary = binaryPath(dir);
  if (!fs.existsSync(binary)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'assay-ccusage-cache', private: true }));
    try {
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', `ccusage@${CCUSAGE_VERSION}`], {
        cwd: dir,
        stdio: 'pipe',
        timeout: 180_000,
      });
    } catch {
      return undefined;
    }
  }
  if (!fs.existsSync(binary)) return undefined;
  fs.chmodSync(binary, 0o755);
  return binary;
}

/** Runs ccusage with only the given data folders visible (HOME points at an empty folder). */
export function runCcusage(binary: string, args: string[], env: Record<string, string>, emptyHome: string): string {
  return execFileSync(binary, args, {
    env: { PATH: process.env.PATH ?? '', HOME: emptyHome, NO_COLOR: '1', ...env },
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  });
}
