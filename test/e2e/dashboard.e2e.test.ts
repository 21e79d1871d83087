// End to end: the dashboard in a real VS Code (code-server 4.100.3, Chromium) over a seeded
// ledger. Opens it from the Command Palette, draws every chart in the dark and light themes
// (screenshots in .test-artifacts/), runs axe-core in the webview's frame in both, and checks
// that the page breaks no CSP rule and throws nothing; "Export figures…" saves through the editor's save dialog. A second profile holds a hostile ledger whose model, language and provider names are
// HTML and script fragments: they must render as text, and nothing may execute; its model has no price, so
// "Load price file…" is there, and pressing it opens the Load Price File command's dialog.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { LEDGER_SCHEMA_VERSION, type LedgerEvent } from '../../src/ledger/events';
import { segmentFileName, segmentsDir } from '../../src/ledger/segments';
import { launchBrowser, type RunningBrowser } from '../harness/browser';
import { loadCodeServerInstall } from '../harness/codeServerInstall';
import { globalStorageDir, profilePaths, type RunningCodeServer, startCodeServer, workbenchUrl } from '../harness/codeServer';
import { stageAssayExtension } from '../harness/extensions';
import { sampleEvents, seedSampleLedger } from '../harness/sampleLedger';
import { assertNoAxeViolations } from './dashboardAxe';
import { ARTIFACTS_DIR, type CanvasInk, canvasInk, collectProblems, runCommand, screenshotWebview, sleep, violations, waitForAssayActivated, watchViolations, webviewFrame } from './workbench';

const DARK_THEME = 'Default Dark Modern';
const LIGHT_THEME = 'Default Light Modern';

/** Marks left by any hostile fragment that ran (an inline handler, an injected script). */
const HOSTILE = {
  model: '<img src=x onerror="top.__assayPwned=1">',
  languageId: '<script>top.__assayPwned=2</script>',
  provider: '"><svg onload="top.__assayPwned=3">',
};

interface Session {
  rootDir: string;
  server: RunningCodeServer;
  browser: RunningBrowser;
  /** Problems seen by the page: page errors, CSP reports in the console, dialogs. */
  problems: string[];
}

async function startSession(name: string, seed: (storageDir: string) => Promise<void>): Promise<Session> {
  const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), `assay-e2e-${name}-`));
  const workspace = path.join(rootDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  await seed(globalStorageDir(profilePaths(rootDir).userDataDir, 'assay.assay'));
  const server = await startCodeServer({
    install: loadCodeServerInstall('4.100.3'),
    rootDir,
    extensions: [stageAssayExtension(rootDir)],
    settings: { 'workbench.colorTheme': DARK_THEME, 'git.enabled': false, 'workbench.activityBar.location': 'hidden' },
  });
  const browser = await launchBrowser(rootDir);
  const problems = collectProblems(browser.page);
  await browser.page.goto(workbenchUrl(server, workspace, [['skipWelcome', 'true']]));
  await browser.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  // A command chosen while the workbench is still restoring can be lost.
  await waitForAssayActivated(browser.page, server.userDataDir);
  return { rootDir, server, browser, problems };
}

async function stopSession(session: Session | undefined): Promise<void> {
  if (!session) return;
  await session.browser.close();
  await session.server.stop();
  if (!process.env.ASSAY_KEEP_TEST_DIRS) fs.rmSync(session.rootDir, { recursive: true, force: true });
}

/** The dashboard's document. */
function dashboardFrame(page: Page, timeoutMs = 30_000): Promise<Frame> {
  return webviewFrame(page, '#app', timeoutMs);
}

/** Waits until the webview drew a view model (cards present, no longer busy). */
async function waitForData(frame: Frame): Promise<void> {
  await frame.waitForSelector('#app[aria-busy="false"] .cards .card', { timeout: 30_000 });
}

/** Ink on each visible chart canvas, by panel id. */
function chartInk(frame: Frame): Promise<CanvasInk[]> {
  return canvasInk(frame, '.panel:not([hidden]) .chart-view:not([hidden]) canvas[role="img"]', '.panel');
}

/** Picks a colour theme the way a person does, and waits for the webview to see it. */
async function setColorTheme(session: Session, frame: Frame, theme: string, bodyClass: string): Promise<void> {
  const { page } = session.browser;
  // The picker lists "Light Modern" for the setting value "Default Light Modern".
  const label = theme.replace(/^Default /, '');
  await runCommand(page, 'Preferences: Color Theme');
  await page.waitForSelector('.quick-input-list .monaco-list-row[aria-label*="Modern"]', { timeout: 10_000 });
  await page.keyboard.type(label, { delay: 20 });
  const row = await page.waitForSelector(`.quick-input-list .monaco-list-row[aria-label^="${label}"]`, { timeout: 10_000 });
  await row.click();
  await frame.waitForFunction((cls) => document.body.classList.contains(cls), bodyClass, { timeout: 20_000 });
  // Charts are redrawn on the theme's class change; give them a frame to paint.
  await sleep(500);
}

describe('dashboard in a real editor (code-server 4.100.3)', function () {
  describe('with a sample ledger', () => {
    let session: Session | undefined;
    let frame: Frame;

    before(async function () {
      this.timeout(240_000);
      session = await startSession('dashboard', async (storageDir) => {
        await seedSampleLedger(storageDir, sampleEvents({ days: 45, seed: 20_251_129, now: Date.now() }));
      });
      // Room for the cards and the first rows of charts in one screenshot.
      await session.browser.page.setViewportSize({ width: 1440, height: 1100 });
      await runCommand(session.browser.page, 'Assay: Open Dashboard');
      frame = await dashboardFrame(session.browser.page);
      await watchViolations(frame);
      await waitForData(frame);
    });

    after(async () => stopSession(session));

    it('shows the overview cards with figures from the ledger', async () => {
      const cards = await frame.$$eval('.card', (nodes) =>
        nodes.map((node) => [node.querySelector('h3')?.textContent ?? '', node.querySelector('.figure')?.textContent ?? '']),
      );
      const accepted = cards.find(([label]) => label === 'Accepted suggestions');
      assert.ok(accepted, JSON.stringify(cards));
      assert.match(accepted[1], /^[1-9][\d,.\s]*$/, `accepted suggestions: ${accepted[1]}`);
      const spend = cards.find(([label]) => label === 'Tokens at API prices');
      assert.match(spend?.[1] ?? '', /\$[1-9]/, `token spend: ${spend?.[1]}`);
    });

    it('draws every chart in the dark theme, with ink on each canvas', async () => {
      assert.ok(session);
      await frame.waitForFunction(() => document.body.classList.contains('vscode-dark'));
      const ink = await chartInk(frame);
      assert.ok(ink.length >= 8, `only ${ink.length} charts drawn: ${JSON.stringify(ink)}`);
      for (const canvas of ink) assert.ok(canvas.inked > canvas.width * canvas.height * 0.005, `${canvas.id} is blank: ${JSON.stringify(canvas)}`);
      await screenshotWebview(session.browser.page, path.join(ARTIFACTS_DIR, 'dashboard-dark.png'));
    });

    it('has no axe-core violation in the webview, in the dark theme', async () => {
      await assertNoAxeViolations(frame, 'in code-server\'s webview (Default Dark Modern)');
    });

    it('follows a switch to the light theme, redraws, and has no axe-core violation there', async () => {
      assert.ok(session);
      const darkText = await frame.evaluate(() => getComputedStyle(document.body).color);
      await setColorTheme(session, frame, LIGHT_THEME, 'vscode-light');
      const lightText = await frame.evaluate(() => getComputedStyle(document.body).color);
      assert.notEqual(lightText, darkText);
      const ink = await chartInk(frame);
      for (const canvas of ink) assert.ok(canvas.inked > canvas.width * canvas.height * 0.005, `${canvas.id} is blank after the switch`);
      await screenshotWebview(session.browser.page, path.join(ARTIFACTS_DIR, 'dashboard-light.png'));
      await assertNoAxeViolations(frame, 'in code-server\'s webview (Default Light Modern)');
      await setColorTheme(session, frame, DARK_THEME, 'vscode-dark');
    });

    it('switches a chart to a table with a caption, by keyboard', async () => {
      const toggle = await frame.waitForSelector('#panel-retention .toggle');
      await toggle.focus();
      await toggle.press('Enter');
      const table = await frame.waitForSelector('#panel-retention table', { state: 'visible' });
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      const caption = await table.$eval('caption', (node) => node.textContent ?? '');
      assert.match(caption, /at each checkpoint/);
      const header = await table.$$eval('thead th', (nodes) => nodes.map((node) => node.textContent));
      assert.deepEqual(header.slice(0, 2), ['Checkpoint', 'Characters retained (ARC)']);
    });

    it('changes the range and gets new figures from the extension', async () => {
      const summaryBefore = await frame.$eval('.range-summary', (node) => node.textContent ?? '');
      await frame.selectOption('#range', '7d');
      await frame.waitForFunction((before) => document.querySelector('.range-summary')?.textContent !== before, summaryBefore, {
        timeout: 15_000,
      });
      assert.match(await frame.$eval('.range-summary', (node) => node.textContent ?? ''), /· 7 days ·/);
    });

    it('"Export figures…" saves the range\'s figures where the save dialog says, as CSV or as JSON by the file\'s type', async () => {
      assert.ok(session);
      const { page } = session.browser;
      const workspace = path.join(session.rootDir, 'workspace');
      /** Presses Enter in the dialog and waits until it has closed: a closed dialog's widget stays, hidden, with its title and input. */
      const saveAndClose = async (): Promise<void> => {
        await page.keyboard.press('Enter');
        await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 10_000 });
      };
      /** Presses the button, waits for the editor's save dialog (a quick input in a web editor) and returns the path it offers. */
      const openSaveDialog = async (): Promise<string> => {
        await frame.getByRole('button', { name: 'Export figures…' }).click();
        await page.waitForSelector('.quick-input-widget', { state: 'visible', timeout: 15_000 });
        await page.waitForFunction(
          () => Array.from(document.querySelectorAll('.quick-input-widget .quick-input-title')).some((node) => node.textContent === 'Export Assay figures'),
          undefined,
          { timeout: 15_000 },
        );
        // The dialog fills its input once it has listed the folder.
        const input = await page.waitForFunction(
          () => {
            const value = document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value ?? '';
            return /\.(csv|json)$/.test(value) ? value : false;
          },
          undefined,
          { timeout: 15_000 },
        );
        return (await input.jsonValue()) as string;
      };
      const rowsWritten = async (): Promise<number> => {
        const message = await page.waitForSelector('.notification-list-item-message:has-text("rows written")', { timeout: 15_000 });
        const text = (await message.textContent()) ?? '';
        const count = /Assay: (\d+) rows written\./.exec(text);
        assert.ok(count, text);
        return Number(count[1]);
      };

      const offered = await openSaveDialog();
      const [, from, to] = /assay-figures-(\d{4}-\d{2}-\d{2})-to-(\d{4}-\d{2}-\d{2})\.csv$/.exec(offered) ?? [];
      assert.ok(from && to, `offered path: ${offered}`);
      // In the window's folder, not at the root of the disk.
      assert.equal(path.dirname(offered), workspace);
      await saveAndClose();
      const csvRows = await rowsWritten();
      const csv = fs.readFileSync(path.join(workspace, path.basename(offered)), 'utf8').split('\r\n');
      assert.equal(csv[0], 'period,date,kind,source,model,plan,seats,inputTokens,outputTokens,reasoningTokens,cacheReadTokens,cacheWriteTokens,requests,requestsWithoutTokens,costUSD');
      assert.equal(csv.at(-1), '', 'the file ends with a line break');
      const lines = csv.slice(1, -1);
      assert.equal(lines.length, csvRows);
      assert.ok(lines.some((line) => line.startsWith('day,') && line.includes(',usage,')), 'no daily usage row');
      for (const line of lines.filter((row) => row.startsWith('day,'))) {
        const date = line.split(',')[1];
        assert.ok(date >= from && date <= to, `${date} is outside ${from} to ${to}`);
      }

      await openSaveDialog();
      const jsonPath = path.join(workspace, `assay-figures-${from}-to-${to}.json`);
      await page.fill('.quick-input-widget input', jsonPath);
      await page.waitForFunction((wanted) => document.querySelector<HTMLInputElement>('.quick-input-widget input')?.value === wanted, jsonPath, { timeout: 5_000 });
      await saveAndClose();
      // Its notification reads as the first one did: the file itself is the evidence, once it is whole.
      const readJson = (): { from: string; to: string; rows: unknown[] } | undefined => {
        try {
          return JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as { from: string; to: string; rows: unknown[] };
        } catch {
          return undefined;
        }
      };
      const deadline = Date.now() + 15_000;
      let json = readJson();
      while (!json && Date.now() < deadline) {
        await sleep(100);
        json = readJson();
      }
      assert.ok(json, `no JSON file at ${jsonPath}`);
      assert.deepEqual([json.from, json.to, json.rows.length], [from, to, csvRows]);
    });

    it('broke no CSP rule and threw nothing', async () => {
      assert.ok(session);
      assert.deepEqual(await violations(frame), []);
      assert.deepEqual(session.problems, []);
    });

    it('comes back after a reload with its range and table choices (panel serializer)', async () => {
      assert.ok(session);
      const { page } = session.browser;
      // Reload the way a person does: the workbench saves editor and webview state as it shuts down.
      const reloaded = page.waitForNavigation({ timeout: 60_000 });
      await runCommand(page, 'Developer: Reload Window');
      await reloaded;
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      frame = await dashboardFrame(page, 60_000);
      await waitForData(frame);
      assert.match(await frame.$eval('.range-summary', (node) => node.textContent ?? ''), /· 7 days ·/);
      assert.equal(await frame.$eval('#panel-retention .toggle', (node) => node.getAttribute('aria-pressed')), 'true');
    });
  });

  describe('with hostile names in the ledger', () => {
    let session: Session | undefined;
    let frame: Frame;

    before(async function () {
      this.timeout(240_000);
      session = await startSession('dashboard-hostile', async (storageDir) => {
        // Written straight to a segment, as a corrupted or tampered ledger would be: capture and
        // import would have turned these names into `other` through the allowlists.
        const now = Date.now();
        const events: LedgerEvent[] = [
          {
            v: LEDGER_SCHEMA_VERSION, t: now - 60_000, kind: 'accept', id: 'abcdef0123456789', mode: 'full', chars: 400, lines: 9,
            languageId: HOSTILE.languageId, provider: HOSTILE.provider, workspace: 'w',
          },
          {
            v: LEDGER_SCHEMA_VERSION, t: now - 30_000, kind: 'usage', id: 'hostile-usage-1', source: 'claude-code', model: HOSTILE.model,
            inputTokens: 5_000, outputTokens: 2_000, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0,
            tokensKnown: true, reportedCostUSD: null, session: 's', project: 'p',
          },
        ];
        fs.mkdirSync(segmentsDir(storageDir), { recursive: true });
        fs.writeFileSync(
          path.join(segmentsDir(storageDir), segmentFileName(now, 1, 'e2e0host')),
          events.map((event) => JSON.stringify(event)).join('\n') + '\n',
        );
      });
      await runCommand(session.browser.page, 'Assay: Open Dashboard');
      frame = await dashboardFrame(session.browser.page);
      await watchViolations(frame);
      await waitForData(frame);
    });

    after(async () => stopSession(session));

    it('shows each hostile name as text in the filters and tables', async () => {
      const options = await frame.$$eval('select option', (nodes) => nodes.map((node) => node.textContent));
      assert.ok(options.includes(HOSTILE.languageId), JSON.stringify(options));
      assert.ok(options.includes(HOSTILE.provider), JSON.stringify(options));
      const rowHeaders = await frame.$$eval('table tbody th', (nodes) => nodes.map((node) => node.textContent));
      assert.ok(rowHeaders.includes(HOSTILE.model), JSON.stringify(rowHeaders));
      assert.ok(rowHeaders.includes(HOSTILE.languageId));
    });

    it('"Load price file…" beside the unpriced model runs the editor\'s Load Price File command, whose dialog opens', async () => {
      assert.ok(session);
      const { page } = session.browser;
      const button = await frame.waitForSelector('#panel-unpriced-models .table-action:not([hidden])', { timeout: 10_000 });
      assert.equal(await button.textContent(), 'Load price file…');
      await button.click();
      // The open dialog of a web editor is a quick input, titled by the command (settings/loadPriceFileGlue.ts).
      await page.waitForFunction(
        () => Array.from(document.querySelectorAll('.quick-input-widget .quick-input-title')).some((node) => /choose a price file/.test(node.textContent ?? '')),
        undefined,
        { timeout: 15_000 },
      );
      await page.keyboard.press('Escape');
      await page.waitForSelector('.quick-input-widget', { state: 'hidden', timeout: 10_000 });
    });

    it('created no element from them and ran none of them', async () => {
      assert.ok(session);
      const injected = await frame.evaluate(() => document.querySelectorAll('#app img, #app svg, #app script').length);
      assert.equal(injected, 0);
      const pwned = await session.browser.page.evaluate(() => (window as unknown as { __assayPwned?: number }).__assayPwned);
      assert.equal(pwned, undefined);
      assert.deepEqual(await violations(frame), []);
      assert.deepEqual(session.problems, []);
    });
  });
});
