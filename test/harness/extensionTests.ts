// Runs extension tests inside the real extension host of code-server's web workbench.
// code-server rejects --extensionDevelopmentPath/--extensionTestsPath on its command line, but
// the workbench reads them from the URL payload; when the test module's run() settles, the
// workbench calls window.codeAutomationExit(code), and routes the host's log lines through
// window.codeAutomationLog(type, args).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as util from 'node:util';
import { launchBrowser } from './browser';
import { CodeServerInstall } from './codeServerInstall';
import { startCodeServer, workbenchUrl } from './codeServer';
import { REPO_ROOT } from './extensions';

export interface ExtensionTestRun {
  install: CodeServerInstall;
  /** Folder whose package.json is the extension under test; the repository by default. */
  extensionDevelopmentPath?: string;
  /** Module exporting run(); `out/test/integration/index` by default. */
  extensionTestsPath?: string;
  /** Folder opened as the workspace; an empty temporary folder by default. */
  workspaceFolder?: string;
  /** Extra user settings for this run. */
  settings?: Record<string, unknown>;
  /** Packaged extensions to install before the editor starts (the .vsix smoke stage). */
  vsixFiles?: readonly string[];
  /** Environment for the extension host (e.g. ASSAY_TEST_GREP). */
  env?: Record<string, string>;
  timeoutMs?: number;
  /** Receives every log line of the extension host; stdout by default. */
  log?: (line: string) => void;
}

/** The host forwards console calls as (format, ...values), e.g. mocha's `%d passing (%s)`. */
function formatLogArgs(args: unknown): string {
  return util.format(...(Array.isArray(args) ? args : [args]));
}

/** Resolves with the exit code the tests reported (0 = all passed). */
export async function runExtensionTests(run: ExtensionTestRun): Promise<number> {
  const log = run.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), `assay-ext-tests-${run.install.version}-`));
  const workspaceFolder = run.workspaceFolder ?? path.join(rootDir, 'workspace');
  fs.mkdirSync(workspaceFolder, { recursive: true });
  const developmentPath = run.extensionDevelopmentPath ?? REPO_ROOT;
  const testsPath = run.extensionTestsPath ?? path.join(REPO_ROOT, 'out', 'test', 'integration', 'index');

  const server = await startCodeServer({ install: run.install, rootDir, settings: run.settings, env: run.env, vsixFiles: run.vsixFiles });
  const browser = await launchBrowser(rootDir).catch(async (error: unknown) => {
    await server.stop();
    throw error;
  });
  try {
    let reportExit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (reportExit = resolve));
    await browser.page.exposeFunction('codeAutomationLog', (_type: string, args: unknown) => log(formatLogArgs(args)));
    await browser.page.exposeFunction('codeAutomationExit', (code: number) => reportExit(code));
    browser.page.on('pageerror', (error) => log(`[workbench page error] ${error.message}`));
    // A crashed or closed page never calls codeAutomationExit: report it instead of exiting silently.
    browser.page.on('crash', () => {
      log('[harness] the workbench page crashed');
      reportExit(1);
    });
    browser.page.on('close', () => reportExit(1));

    await browser.page.goto(
      workbenchUrl(server, workspaceFolder, [
        ['extensionDevelopmentPath', server.remoteUri(developmentPath)],
        ['extensionTestsPath', server.remoteUri(testsPath)],
        ['skipWelcome', 'true'],
      ]),
    );
    const timeoutMs = run.timeoutMs ?? 180_000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        log(`[harness] extension tests did not finish within ${timeoutMs} ms (server log: ${server.logFile})`);
        resolve(1);
      }, timeoutMs);
    });
    return await Promise.race([exited, timedOut]).finally(() => clearTimeout(timer));
  } finally {
    await browser.close();
    await server.stop();
    if (!process.env.ASSAY_KEEP_TEST_DIRS) fs.rmSync(rootDir, { recursive: true, force: true });
  }
}
