// CLI: install the packaged extension (assay-<version>.vsix at the repository root, written by
// `npm run vsix`) into code-server of one version and run the smoke suite (test/vsix) against it.
//   node out/test/harness/runVsixSmoke.js 4.100.3
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCodeServerVersion, loadCodeServerInstall } from './codeServerInstall';
import { runExtensionTests } from './extensionTests';
import { REPO_ROOT } from './extensions';

async function main(): Promise<void> {
  const [version] = process.argv.slice(2);
  if (!isCodeServerVersion(version)) throw new Error('usage: runVsixSmoke <4.100.3|4.139.1>');
  const { version: extensionVersion } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  const vsix = path.join(REPO_ROOT, `assay-${extensionVersion}.vsix`);
  if (!fs.existsSync(vsix)) throw new Error(`${path.basename(vsix)} is missing: run \`npm run vsix\` first`);
  process.exitCode = await runExtensionTests({
    install: loadCodeServerInstall(version),
    vsixFiles: [vsix],
    extensionDevelopmentPath: path.join(REPO_ROOT, 'test', 'vsix', 'runner'),
    extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'vsix', 'index'),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
