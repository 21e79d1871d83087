// End to end: "Assay: Import Agent Usage Now" in a real VS Code (code-server 4.100.3) while another process's import
// holds the lock and has stopped answering: its process is alive, its heartbeat minutes old, so Assay watches the lock
// for a minute before taking it over. The command's notification says it waits, and its Cancel ends the wait without
// taking the lock, both when the command joins the background import that is already watching and when it runs its own.
// A background import that fails while the command follows it says so, even after an earlier failure was shown.
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
const FAILED = 'Assay could not import agent usage';
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

/** Chooses Import Now and waits for its notification to say it waits; returns that notification. */
async function importNowWaiting(page: Page) {
  await runCommand(page, 'Assay: Import Agent Usage Now');
  const notification = page.locator('.notifications-toasts .notification-list-item', { hasText: WAITING });
  await notification.waitFor({ state: 'visible', timeout: 20_000 });
  return notification;
}

/** Chooses Import Now, waits for its notification to say it waits, presses its Cancel and waits for it to close. */
async function importNowThenCancel(page: Page): Promise<void> {
  const notification = await importNowWaiting(page);
  await notification.locator('.monaco-button', { hasText: 'Cancel' }).click();
  await notification.waitFor({ state: 'detached', timeout: 10_000 });
}

/** A process that lives and never beats, holding the lock it last touched ten minutes ago; returns the lock's text. */
function silentLock(lockFile: string, owner: ChildProcess): string {
  const old = Date.now() - 10 * 60 * 1000;
  const text = JSON.stringify({ pid: owner.pid, at: old, token: `silent-owner-${owner.pid}`, heartbeatMs: 30_000 });
  fs.writeFileSync(lockFile, text, { mode: 0o600 });
  fs.utimesSync(lockFile, old / 1000, old / 1000);
  return text;
}

function killAndWait(owner: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (owner.exitCode !== null || owner.signalCode !== null) return resolve();
    owner.once('exit', () => resolve());
    owner.kill();
  });
}

async function notificationTexts(page: Page): Promise<string[]> {
  return page.$$eval('.notifications-toasts .notification-list-item-message', (items) => items.map((item) => item.textContent ?? ''));
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
    silentOwner = spawn('sleep', ['600'], { stdio: 'ignore' });
    lockFile = lockPath(globalStorageDir(profilePaths(rootDir).userDataDir, 'assay.assay'));
    fs.mkdirSync(path.dirname(lockFile), { recursive: true, mode: 0o700 });
    lockText = silentLock(lockFile, silentOwner);
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
    // Claude Code's logs hold a response, so that an import that gets the lock has something to write.
    fs.writeFileSync(
      path.join(claudeProjects, 'session.jsonl'),
      `${JSON.stringify({ type: 'assistant', timestamp: new Date().toISOString(), sessionId: 's', requestId: 'r', message: { id: 'msg_e2e', model: 'claude-sonnet-4-5', usage: { input_tokens: 10, output_tokens: 5 } } })}\n`,
    );
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
    const notices = await notificationTexts(page);
    assert.deepEqual(notices.filter((notice) => /no agent logs/i.test(notice)), [], 'a cancelled wait was reported as an import that found nothing');
  });

  it('says so when the background import it joined fails, also after an earlier failure in the window', async () => {
    const { page } = browser as RunningBrowser;
    const userDataDir = (server as RunningCodeServer).userDataDir;
    // Every import now fails where it reads its state (a folder stands where the file goes).
    const stateFile = path.join(path.dirname(lockFile), 'state.json');
    fs.rmSync(stateFile, { recursive: true, force: true });
    fs.mkdirSync(stateFile);
    // The lock's owner is gone, and a new window starts: its first background import is 15 s away.
    await killAndWait(silentOwner as ChildProcess);
    await runCommand(page, 'Developer: Reload Window');
    await waitForLogLines(userDataDir, /Assay activated/, 2, 90_000);
    await page.waitForSelector('.statusbar-item[id^="assay.assay"]', { timeout: 60_000 });
    const linesOf = (pattern: RegExp) => assayLog(userDataDir).filter((line) => pattern.test(line)).length;
    const backgroundRuns = linesOf(/import started in the background/);
    const commandRuns = linesOf(/import started by the command/);

    // Import Now takes the abandoned lock at once, and fails. That failure is shown.
    const failed = page.locator('.notifications-toasts .notification-list-item', { hasText: FAILED });
    await runCommand(page, 'Assay: Import Agent Usage Now');
    await failed.waitFor({ state: 'visible', timeout: 10_000 });
    await waitForLogLines(userDataDir, /import failed/, 1, 10_000);
    await runCommand(page, 'Notifications: Clear All Notifications');
    await failed.waitFor({ state: 'detached', timeout: 10_000 });

    // The window's first background import watches a new silent lock, and Import Now joins it.
    silentOwner = spawn('sleep', ['600'], { stdio: 'ignore' });
    silentLock(lockFile, silentOwner);
    await waitForLogLines(userDataDir, /import started in the background/, backgroundRuns + 1, FIRST_BACKGROUND_IMPORT_MS + 10_000);
    const joined = await importNowWaiting(page);
    assert.equal(linesOf(/import failed/), 1, 'the background import ended before it was joined');

    // Its owner goes: the background import takes the lock and fails, and the command that follows it says so.
    await killAndWait(silentOwner);
    await waitForLogLines(userDataDir, /import failed/, 2, 20_000);
    await failed.waitFor({ state: 'visible', timeout: 10_000 });
    await joined.waitFor({ state: 'detached', timeout: 10_000 });
    assert.equal(linesOf(/import started by the command/), commandRuns + 1, 'the second Import Now ran an import of its own instead of joining');
  });
});
