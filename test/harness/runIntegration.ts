// CLI: run the integration suite (test/integration) through @vscode/test-electron's runTests.
//   node out/test/harness/runIntegration.js 4.100.3 [--settings file.json]
//     in code-server 4.100.3 (or 4.139.1), through test/harness/code-server-as-vscode.sh;
//   ASSAY_VSCODE_DESKTOP=stable node out/test/harness/runIntegration.js
//     in desktop VS Code that runTests downloads (any version it accepts), where that is possible.
// Exits with the suite's exit code. ASSAY_TEST_GREP filters tests by title.
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASE_USER_SETTINGS } from './codeServer';
import { isCodeServerVersion } from './codeServerInstall';
import { REPO_ROOT } from './extensions';

const CODE_SERVER_AS_VSCODE = path.join(REPO_ROOT, 'test', 'harness', 'code-server-as-vscode.sh');

function parseArguments(argv: string[]): { version: string | undefined; settings: Record<string, unknown> } {
  const version = argv[0]?.startsWith('-') ? undefined : argv[0];
  const rest = version === undefined ? argv : argv.slice(1);
  let settings: Record<string, unknown> = {};
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--settings') settings = JSON.parse(fs.readFileSync(rest[++i], 'utf8')) as Record<string, unknown>;
    else throw new Error(`unknown argument ${rest[i]}`);
  }
  return { version, settings };
}

async function main(): Promise<void> {
  const { version, settings } = parseArguments(process.argv.slice(2));
  const desktop = process.env.ASSAY_VSCODE_DESKTOP;
  if (!desktop && !(version && isCodeServerVersion(version))) {
    throw new Error('usage: runIntegration <4.100.3|4.139.1> [--settings file.json], or ASSAY_VSCODE_DESKTOP=<version> runIntegration');
  }
  // The run's settings go where VS Code reads them: the profile runTests starts it with.
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-integration-profile-'));
  fs.mkdirSync(path.join(userDataDir, 'User'));
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...BASE_USER_SETTINGS, ...settings }, null, 2));
  const extensionTestsEnv: Record<string, string> = {};
  if (process.env.ASSAY_TEST_GREP) extensionTestsEnv.ASSAY_TEST_GREP = process.env.ASSAY_TEST_GREP;
  if (!desktop) extensionTestsEnv.ASSAY_CODE_SERVER_VERSION = version as string;
  try {
    await runTests({
      ...(desktop ? { version: desktop } : { vscodeExecutablePath: CODE_SERVER_AS_VSCODE }),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'integration', 'index'),
      launchArgs: [`--user-data-dir=${userDataDir}`],
      extensionTestsEnv,
    });
  } finally {
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  // runTests rejects with the exit code when a test failed: mocha has already said which.
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
