// End to end: "Assay: Import Agent Usage Now" in a real VS Code (code-server 4.100.3) while another process's import
// holds the lock and has stopped answering: its process is alive, its heartbeat minutes old, so Assay watches the lock
// for a minute before taking it over. The command's notification says it waits, and its Cancel ends the wait without
// taking the lock, both when the command joins the background import that is already watching and when it runs its own.
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { lockPath } from '../../src/ledger/importLock';
import { launchBrowser, type RunningBrowser } from '../harness/browser';
import { loadCodeServerInstall } from '../harness/codeServerInstall';
import { globalStorageDir, profilePaths, type RunningCodeServer, startCodeServer, workbenchUrl } from '../harness/codeServer';
import { stageAssayExtension } from '../harness/extensions';
import { filesUnder, runCommand, sleep, waitForAssayActivated } from './workbench';

const WAITING = 'waiting for the import running in another window';
/** src/importers/importGlue.ts FIRST_IDLE_DELAY_MS: when the first background import starts after activation. */
const FIRST_BACKGROUND_IMPORT_MS = 15_000;

/** The lines Assay's output log holds so far. */
function assayLog(userDataDir: string): string[] {
  return filesUnder(path.join(userDataDir, 'logs'))
    .filter((file) => file.endsWith(`${path.sep}Assay.log`))
    .flatMap((file) => fs.readFileSync(file, 'utf8').split('\n'));
}

async function waitForLogLines(userDataDir: string, pattern: RegExp, count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (assayLog(userDataDir).filter((line) => pattern.test(line)).length < count) {
    if (Date.now() > deadline) throw new Error(`fewer than ${count} lines matching ${pattern} in Assay's log after ${timeoutMs} ms`);
    await sleep(200);
  }
}

/** Chooses Import Now, waits for its notification to say it waits, presses its Cancel and waits for it to close. */
async function importNowThenCancel(page: Page): Promise<void> {
  await runCommand(page, 'Assay: Import Agent Usage Now');
  const notification = page.locator('.notifications-toasts .notification-list-item', { hasText: WAITING });
  await notification.waitFor({ state: 'visible', timeout: 20_000 });
  await notification.locator('.monaco-button', { hasText: 'Cancel' }).click();
  await notification.waitFor({ state: 'detached', timeout: 10_000 });
}

describe('Import Now while another import has stopped answering (code-server 4.100.3)', function () {
  this.timeout(240_000);
  let rootDir: string;
  let server: RunningCodeServer | undefined;
  let browser: RunningBrowser | undefined;
  let silentOwner: ChildProcess | undefined;
  let lockFile: string;
  let lockText: string;

  before(async () => {
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-e2e-import-wait-'));
    const workspace = path.join(rootDir, 'workspace');
    const claudeProjects = path.join(rootDir, 'claude', 'projects');
    fs.mkdirSync(workspace, { recursive: true });
    fs.mkdirSync(claudeProjects, { recursive: true });
    // The owner: a process that lives and never beats. Its lock was last touched ten minutes ago.
    silentOwner = spawn('sleep', ['600'], { stdio: 'ignore' });
    lockFile = lockPath(globalStorageDir(profilePaths(rootDir).userDataDir, 'assay.assay'));
    fs.mkdirSync(path.dirname(lockFile), { recursive: true, mode: 0o700 });
    const old = Date.now() - 10 * 60 * 1000;
    lockText = JSON.stringify({ pid: silentOwner.pid, at: old, token: 'silent-owner', heartbeatMs: 30_000 });
    fs.writeFileSync(lockFile, lockText, { mode: 0o600 });
    fs.utimesSync(lockFile, old / 1000, old / 1000);
    server = await startCodeServer({
      install: loadCodeServerInstall('4.100.3'),
      rootDir,
      extensions: [stageAssayExtension(rootDir)],
      settings: { 'git.enabled': false, 'assay.import.discover': false, 'assay.import.folders': { 'claude-code': [claudeProjects] } },
    });
    browser = await launchBrowser(rootDir);
    await browser.page.goto(workbenchUrl(server, workspace, [['skipWelcome', 'true']]));
    await browser.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await waitForAssayActivated(browser.page, server.userDataDir);
  });

  after(async () => {
    silentOwner?.kill();
    await browser?.close();
    await server?.stop();
    if (rootDir && !process.env.ASSAY_KEEP_TEST_DIRS) fs.rmSync(rootDir, { recursive: true, force: true });
  });

  it('joins the background import that watches the lock, says that it waits, and its Cancel stops that import', async () => {
    const { page } = browser as RunningBrowser;
    const userDataDir = (server as RunningCodeServer).userDataDir;
    // The first background import starts and begins its minute of watching.
    await sleep(FIRST_BACKGROUND_IMPORT_MS + 3_000);
    assert.equal(assayLog(userDataDir).filter((line) => /import locked/.test(line)).length, 0, 'the background import ended before it was joined');
    await importNowThenCancel(page);
    // The background import ends now, not when its watch would have.
    await waitForLogLines(userDataDir, /import locked/, 1, 10_000);
    assert.equal(fs.readFileSync(lockFile, 'utf8'), lockText, 'the lock was taken over');
  });

  it('says that it waits when it runs its own import, and its Cancel ends the wait without taking the lock', async () => {
    const { page } = browser as RunningBrowser;
    const userDataDir = (server as RunningCodeServer).userDataDir;
    await importNowThenCancel(page);
    await waitForLogLines(userDataDir, /import locked/, 2, 10_000);
    assert.equal(fs.readFileSync(lockFile, 'utf8'), lockText, 'the lock was taken over');
    const notices = await page.$$eval('.notifications-toasts .notification-list-item-message', (items) => items.map((item) => item.textContent ?? ''));
    assert.deepEqual(notices.filter((notice) => /no agent logs/i.test(notice)), [], 'a cancelled wait was reported as an import that found nothing');
  });
});
