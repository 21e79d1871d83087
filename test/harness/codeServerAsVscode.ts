// A stand-in for the `code` executable that @vscode/test-electron's runTests launches: it takes
// the command-line arguments runTests gives VS Code and runs the same extension tests in
// code-server's real extension host instead (VS Code's desktop build cannot be downloaded here).
// runTests passes `--extensionDevelopmentPath=`, `--extensionTestsPath=`, `--user-data-dir=` and
// flags for the desktop app; the user-data folder's User/settings.json holds the run's settings.
// The code-server version comes from ASSAY_CODE_SERVER_VERSION.
//   test/harness/code-server-as-vscode.sh --extensionDevelopmentPath=DIR --extensionTestsPath=MODULE [--user-data-dir=DIR] [FOLDER]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isCodeServerVersion, loadCodeServerInstall } from './codeServerInstall';
import { runExtensionTests } from './extensionTests';

function option(args: readonly string[], name: string): string | undefined {
  const prefix = `--${name}=`;
  return args.find((arg) => arg.startsWith(prefix))?.slice(prefix.length);
}

function userSettings(userDataDir: string | undefined): Record<string, unknown> {
  if (!userDataDir) return {};
  const file = path.join(userDataDir, 'User', 'settings.json');
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const version = process.env.ASSAY_CODE_SERVER_VERSION ?? '';
  if (!isCodeServerVersion(version)) throw new Error('ASSAY_CODE_SERVER_VERSION must name an installed code-server (4.100.3 or 4.139.1)');
  const extensionDevelopmentPath = option(args, 'extensionDevelopmentPath');
  const extensionTestsPath = option(args, 'extensionTestsPath');
  if (!extensionDevelopmentPath || !extensionTestsPath) throw new Error('--extensionDevelopmentPath= and --extensionTestsPath= are required');
  const env: Record<string, string> = {};
  if (process.env.ASSAY_TEST_GREP) env.ASSAY_TEST_GREP = process.env.ASSAY_TEST_GREP;
  process.exitCode = await runExtensionTests({
    install: loadCodeServerInstall(version),
    extensionDevelopmentPath,
    extensionTestsPath,
    workspaceFolder: args.find((arg) => !arg.startsWith('-')),
    settings: userSettings(option(args, 'user-data-dir')),
    env,
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
