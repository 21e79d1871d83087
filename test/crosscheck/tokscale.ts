// tokscale 4.17.0 (junhoyeo/tokscale), the reference Crush is cross-checked against (ccusage does not read Crush),
// installed once into a cache folder outside the project, beside ccusage (it is a test tool, not a dependency).
// Only the native binary's package `@tokscale/cli-linux-x64-gnu` is installed: it holds the binary and nothing to run
// at install (no scripts, no dependencies), and the registry has no launcher package of the 4.x line (`tokscale` and
// `@tokscale/cli` stop at the JavaScript 1.x). The tarball's integrity is pinned too. Elsewhere than Linux x64 with
// glibc there is no binary to install, and the cross-check fails rather than pass unchecked.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const TOKSCALE_VERSION = '4.17.0';
const PACKAGE = '@tokscale/cli-linux-x64-gnu';
const INTEGRITY = 'sha512-wJfvqoU0dXOHVmgEdPtappcu05py0vc7jCVeWTWYS4UoJi0LuIGhTxRhLjfSb5oOUV9RE+7X+wZ3Xx7lIZ+6XA==';

/**
 * tokscale prices tokens with price lists it downloads at every run (crates/tokscale-core/src/pricing/mod.rs
 * `fetch_inner`: LiteLLM's from raw.githubusercontent.com, models.dev's, OpenRouter's), and goes on without them when
 * they fail. Its HTTP client honours the usual proxy variables, so a proxy on a local port nothing listens on (the
 * discard port) keeps every request on this machine and fails it at once; Crush's figures need no prices.
 */
const NO_NETWORK = 'http://127.0.0.1:9';

function tokscaleCacheDir(): string {
  const base = process.env.ASSAY_TEST_CACHE || path.join(os.homedir(), '.cache', 'assay-test');
  return path.join(base, `tokscale-${TOKSCALE_VERSION}`);
}

function installedIntegrity(dir: string): string | undefined {
  try {
    const lock = JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', '.package-lock.json'), 'utf8')) as { packages?: Record<string, { integrity?: string }> };
    return lock.packages?.[`node_modules/${PACKAGE}`]?.integrity;
  } catch {
    return undefined;
  }
}

/** Path of the tokscale binary, installing it on first use; undefined when it cannot be had. */
export function ensureTokscale(): string | undefined {
  if (process.platform !== 'linux' || process.arch !== 'x64') return undefined;
  const dir = tokscaleCacheDir();
  const binary = path.join(dir, 'node_modules', ...PACKAGE.split('/'), 'bin', 'tokscale');
  if (!fs.existsSync(binary)) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'assay-tokscale-cache', private: true }));
    try {
      execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error', `${PACKAGE}@${TOKSCALE_VERSION}`], {
        cwd: dir,
        stdio: 'pipe',
        timeout: 180_000,
      });
    } catch {
      return undefined;
    }
  }
  if (!fs.existsSync(binary) || installedIntegrity(dir) !== INTEGRITY) return undefined;
  fs.chmodSync(binary, 0o755);
  return binary;
}

/**
 * Runs tokscale on the data below `home` alone (`--home`, and HOME for its own settings), with no network. Days are
 * UTC twice over: tokscale files a day under the zone pinned in its settings (`tokscale config set timezone`; its
 * scanner's `bucketTimezone`), else the process's local zone, which its Crush reader uses as well.
 */
export function runTokscale(binary: string, args: string[], home: string): string {
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: home,
    TZ: 'UTC',
    NO_COLOR: '1',
    ...Object.fromEntries(['HTTPS_PROXY', 'HTTP_PROXY', 'ALL_PROXY', 'https_proxy', 'http_proxy', 'all_proxy'].map((name) => [name, NO_NETWORK])),
  };
  const run = (argv: string[]) => execFileSync(binary, argv, { env, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  run(['config', 'set', 'timezone', 'UTC']);
  return run([...args, '--home', home]);
}
