// What the end-to-end tests do in code-server's web workbench as a person would: run a command from
// the Command Palette, find a webview's document, watch it for CSP violations, and screenshot it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/extensions';

export const ARTIFACTS_DIR = path.join(REPO_ROOT, '.test-artifacts');

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Records what a page (any of its frames) reports as broken: page errors, CSP refusals in the
 * console, dialogs (an injected `alert` would be one).
 */
export function collectProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return problems;
}

/** Runs a command from the Command Palette; retries while the workbench is still registering commands. */
export async function runCommand(page: Page, title: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    await page.keyboard.press('F1');
    await page.waitForSelector('.quick-input-widget input', { state: 'visible', timeout: 10_000 });
    await page.keyboard.type(title, { delay: 20 });
    // Click the row itself: Enter would take whichever row the fuzzy match put first.
    const row = await page
      .waitForSelector(`.quick-input-list .monaco-list-row[aria-label^="${title}"]`, { timeout: 5_000 })
      .catch(() => null);
    if (row) {
      await row.click();
      return;
    }
    await page.keyboard.press('Escape');
    if (Date.now() > deadline) throw new Error(`no command "${title}" in the Command Palette`);
    await sleep(2_000);
  }
}

/** Every file under `dir` (none when it does not exist). */
export function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((name) => path.join(dir, name)).filter((file) => fs.statSync(file).isFile());
}

/**
 * Waits until Assay's activate() has finished in the profile at `userDataDir`: its status bar item is
 * shown and its output log says `Assay activated` (the last thing activate() does). Until then the
 * workbench is still restoring (the Command Palette can lose the click that runs a command), and a
 * command Assay registered may run before the parts it calls exist.
 */
export async function waitForAssayActivated(page: Page, userDataDir: string, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  await page.waitForSelector('.statusbar-item[id^="assay.assay"]', { timeout: timeoutMs });
  for (;;) {
    const logs = filesUnder(path.join(userDataDir, 'logs')).filter((file) => file.endsWith(`${path.sep}Assay.log`));
    if (logs.some((file) => /\bAssay activated\b/.test(fs.readFileSync(file, 'utf8')))) return;
    if (Date.now() > deadline) throw new Error(`Assay did not finish activating within ${timeoutMs} ms (no "Assay activated" in ${logs.join(', ') || 'any Assay.log'})`);
    await sleep(200);
  }
}

/** Waits for an editor tab whose label starts with `title`; false when none appears in time. */
export async function editorTabAppears(page: Page, title: string, timeoutMs: number): Promise<boolean> {
  return page
    .waitForSelector(`.tabs-container .tab[aria-label^="${title}"]`, { state: 'attached', timeout: timeoutMs })
    .then(() => true, () => false);
}

/**
 * A webview's document, the one holding `selector`: webviews are an iframe (index.html) holding
 * another (fake.html) into which the extension's HTML is written.
 */
export async function webviewFrame(page: Page, selector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (!frame.url().includes('fake.html')) continue;
      const found = await frame.$(selector).then((handle) => handle !== null, () => false);
      if (found) return frame;
    }
    if (Date.now() > deadline) throw new Error(`no webview frame with ${selector} among ${page.frames().map((f) => f.url()).join(', ')}`);
    await sleep(250);
  }
}

/**
 * Collects CSP violations inside the frame from now on. The HTML is written into the frame with
 * document.open, which drops earlier listeners, so this runs once the content is there; the
 * console (collectProblems) catches any refusal before.
 */
export async function watchViolations(frame: Frame): Promise<void> {
  await frame.evaluate(() => {
    const w = window as unknown as { __assayViolations?: string[] };
    w.__assayViolations = [];
    document.addEventListener('securitypolicyviolation', (event) =>
      w.__assayViolations?.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
}

export async function violations(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => (window as unknown as { __assayViolations?: string[] }).__assayViolations ?? []);
}

export interface CanvasInk {
  /** The id of the canvas's closest ancestor (or itself) matching the label selector. */
  id: string;
  width: number;
  height: number;
  /** Pixels that are not fully transparent: a chart drew something. */
  inked: number;
}

/** How much each canvas matching `selector` has drawn, labelled by its closest `labelSelector`. */
export async function canvasInk(frame: Frame, selector: string, labelSelector: string): Promise<CanvasInk[]> {
  return frame.evaluate(
    ([canvasSelector, label]) =>
      Array.from(document.querySelectorAll<HTMLCanvasElement>(canvasSelector)).map((canvas) => {
        const context = canvas.getContext('2d');
        const { width, height } = canvas;
        let inked = 0;
        if (context && width > 0 && height > 0) {
          const data = context.getImageData(0, 0, width, height).data;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) inked++;
        }
        return { id: canvas.closest(label)?.id ?? '?', width, height, inked };
      }),
    [selector, labelSelector] as const,
  );
}

/** The webview's area when there is one, else the whole page. */
export async function screenshotWebview(page: Page, file: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const webview = await page.$('.webview.ready, iframe.webview');
  if (webview) await webview.screenshot({ path: file });
  else await page.screenshot({ path: file });
}
