// Where the cached code-server installs live. lib.sh installs each version into its own folder
// and writes `assay-install.json` last; this module only reads that descriptor, so the shell
// script stays the single place that knows how to install.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { z } from 'zod';

/** VS Code 1.100.3 (the engine floor) and a recent 1.139.1. */
export const CODE_SERVER_VERSIONS = ['4.100.3', '4.139.1'] as const;
export type CodeServerVersion = (typeof CODE_SERVER_VERSIONS)[number];

const InstallDescriptor = z.object({
  version: z.string(),
  /** The Node binary this code-server needs (Node 24 for 4.139.1). */
  node: z.string(),
  /** code-server's `out/node/entry.js`. */
  entry: z.string(),
});
export type CodeServerInstall = z.infer<typeof InstallDescriptor>;

export function testCacheDir(): string {
  return process.env.ASSAY_TEST_CACHE ?? path.join(os.homedir(), '.cache', 'assay-test');
}

export function isCodeServerVersion(value: string): value is CodeServerVersion {
  return (CODE_SERVER_VERSIONS as readonly string[]).includes(value);
}

export function loadCodeServerInstall(version: CodeServerVersion): CodeServerInstall {
  const descriptorPath = path.join(testCacheDir(), `code-server-${version}`, 'assay-install.json');
  if (!fs.existsSync(descriptorPath)) {
    throw new Error(`code-server ${version} is not installed (${descriptorPath} missing): run npm test or npm start once`);
  }
  return InstallDescriptor.parse(JSON.parse(fs.readFileSync(descriptorPath, 'utf8')));
}

/**
 * VS Code 1.139 ignores the extension-test URL payload unless the smoke-test driver is on;
 * 1.100's code-server has no such flag and refuses unknown ones.
 */
export function needsSmokeTestDriver(install: CodeServerInstall): boolean {
  const [major, minor] = install.version.split('.').map(Number);
  return major > 4 || (major === 4 && minor >= 139);
}
