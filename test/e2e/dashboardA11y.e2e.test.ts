// The dashboard for keyboard and screen-reader users, in Chromium: axe-core finds no violation in
// the dark and light themes, in a 480 px wide panel, with every table shown, while loading and
// on an empty ledger; and the things axe cannot judge are checked as a person would use them
// (issue #13): the range list by keyboard, Enter in a custom range, the polite announcement of a
// new range, the busy state, table toggles and legends, chart colours against their panel, the
// unpriced models with their "Load price file…" button, and the agent logs list of every tool.
// Runs on the preview page (dashboardPreview.ts), which needs no code-server; the same axe check
// runs once inside code-server's real webview in dashboard.e2e.test.ts.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { EMPTY } from '../../src/dashboard/emptyStates';
import type { DashboardSource } from '../../src/dashboard/source';
import { contrastRatio, NON_TEXT_CONTRAST, parseColor, type Rgb } from '../../src/webview/color';
import { launchBrowser, type RunningBrowser } from '../harness/browser';
import { assertNoAxeViolations } from './dashboardAxe';
import { emptySource, PreviewHost, type PreviewServer, type PreviewTheme, sampleSource, servePreview } from './dashboardPreview';
import { canvasInk, sleep } from './workbench';
import { LOG_LOCATIONS } from '../../src/importers/discovery';

/** Every tool Assay reads, in the order of the import's table. */
const SOURCES = [...new Set(LOG_LOCATIONS.map((location) => location.source as string))];

/** 2025-11-29 12:00 UTC: the sample ledger's dates, and so the figures, are the same on every run. */
const NOW = Date.UTC(2025, 10, 29, 12);

/** Waits for something the page tells the host through an exposed function (an asynchronous call). */
async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Opened {
  page: Page;
  host: PreviewHost;
  problems: string[];
}

describe('dashboard accessibility (axe-core and keyboard, in Chromium)', function () {
  let rootDir: string;
  let browser: RunningBrowser;
  let server: PreviewServer;
  let sample: DashboardSource;
  let empty: DashboardSource;
  const pages: Page[] = [];

  before(async function () {
    this.timeout(120_000);
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-a11y-'));
    sample = await sampleSource(path.join(rootDir, 'sample'), NOW);
    empty = emptySource(path.join(rootDir, 'empty'), NOW);
    server = await servePreview();
    browser = await launchBrowser(rootDir);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (rootDir) fs.rmSync(rootDir, { recursive: true, force: true });
  });

  /** A new tab on the preview page, its host answering from `source`; `hold` keeps the first answer back. */
  async function open(source: Pick<DashboardSource, 'load'>, theme: PreviewTheme, options: { width?: number; hold?: boolean } = {}): Promise<Opened> {
    const page = await browser.context.newPage();
    pages.push(page);
    await page.setViewportSize({ width: options.width ?? 1280, height: 900 });
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    const host = await PreviewHost.attach(page, (state) => source.load(state));
    if (options.hold) host.hold();
    await page.goto(server.url(theme));
    if (!options.hold) await waitForFigures(page);
    return { page, host, problems };
  }

  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
  });

  async function waitForFigures(page: Page): Promise<void> {
    await page.waitForSelector('#app[aria-busy="false"] .content:not([hidden])', { timeout: 15_000 });
  }

  /** Every chart as its table, and the agent logs list opened, so axe-core sees every table on the page. */
  async function showEveryTable(page: Page): Promise<void> {
    const toggles = page.locator('.panel:not([hidden]) .toggle:not([hidden])');
    const count = await toggles.count();
    assert.ok(count >= 8, `only ${count} table toggles`);
    for (let i = 0; i < count; i++) await toggles.nth(i).click();
    await page.waitForSelector('.panel:not([hidden]) .table-box:not([hidden]) table');
    await page.locator('details.sources > summary').click();
    await page.getByRole('region', { name: 'Agent logs, table' }).waitFor({ state: 'visible' });
  }

  /** Visible text of the page's paragraphs and list items, for finding a sentence said twice. */
  function visibleSentences(page: Page): Promise<string[]> {
    return page.$$eval('#app p, #app li, #app .card .detail', (nodes) =>
      nodes.filter((node) => (node as HTMLElement).offsetParent !== null).map((node) => (node as HTMLElement).innerText.trim()),
    );
  }

  describe('axe-core finds no violation', () => {
    it('in the dark theme, with charts and then with every table shown', async () => {
      const { page, problems } = await open(sample, 'dark');
      await assertNoAxeViolations(page, 'in the dark theme');
      await showEveryTable(page);
      await assertNoAxeViolations(page, 'in the dark theme with every table shown');
      assert.deepEqual(problems, []);
    });

    it('in the light theme, with charts and then with every table shown', async () => {
      const { page, problems } = await open(sample, 'light');
      await assertNoAxeViolations(page, 'in the light theme');
      await showEveryTable(page);
      await assertNoAxeViolations(page, 'in the light theme with every table shown');
      assert.deepEqual(problems, []);
    });

    it('in a 480 px wide panel, which does not scroll sideways', async () => {
      const { page } = await open(sample, 'dark', { width: 480 });
      await assertNoAxeViolations(page, 'at 480 px');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, `the page is ${overflow} px wider than a 480 px panel`);
      await showEveryTable(page);
      await assertNoAxeViolations(page, 'at 480 px with every table shown');
    });

    it('while loading: it says so, with no empty filters, notes or disclosures on show', async () => {
      const { page, host } = await open(sample, 'light', { hold: true });
      const loading = page.locator('.loading');
      await loading.waitFor({ state: 'visible' });
      assert.equal(await loading.innerText(), 'Loading figures…');
      assert.equal(await page.getAttribute('#app', 'aria-busy'), 'true');
      assert.equal(await page.locator('#filter-language').isVisible(), false);
      assert.equal(await page.locator('details').filter({ visible: true }).count(), 0);
      assert.equal(await page.locator('.notices').isVisible(), false);
      await assertNoAxeViolations(page, 'while loading');
      host.resume();
      await waitForFigures(page);
      assert.equal(await loading.isVisible(), false);
    });

    it('on an empty ledger: one getting-started panel, one import button, no sentence twice', async () => {
      const { page, host } = await open(empty, 'light');
      const panel = page.locator('.getting-started');
      assert.ok(await panel.isVisible());
      assert.equal(await panel.locator('h2').innerText(), 'Nothing recorded in this range');
      assert.equal(await page.locator('.section').filter({ visible: true }).count(), 0, 'no section of empty charts');
      assert.equal(await page.locator('.card').filter({ visible: true }).count(), 0, 'no cards of zeros');
      await assertNoAxeViolations(page, 'on an empty ledger (last 30 days)');

      await page.getByRole('button', { name: 'Show all time' }).click();
      await page.waitForFunction(() => document.querySelector('.getting-started h2')?.textContent === 'Nothing recorded yet');
      assert.deepEqual(host.sent('setRange').at(-1)?.range, { preset: 'all' });
      assert.equal(await page.locator('#range').inputValue(), 'all');
      const imports = page.getByRole('button', { name: 'Import agent usage now' });
      assert.equal(await imports.count(), 1);
      await imports.click();
      await until(() => host.sent('runAction').length > 0, 'the import request');
      assert.deepEqual(host.sent('runAction').map((m) => m.action), ['importUsage']);
      const sentences = (await visibleSentences(page)).filter((text) => text.length > 0);
      const repeated = sentences.filter((text, i) => sentences.indexOf(text) !== i);
      assert.deepEqual(repeated, [], 'a sentence shown more than once');
      await assertNoAxeViolations(page, 'on an empty ledger (all time)');
    });
  });

  describe('by keyboard and screen reader', () => {
    it('arrowing through the range list loads nothing; Enter loads the choice once and it is announced politely', async () => {
      const { page, host } = await open(sample, 'dark');
      const announcer = page.locator('#app [role="status"]');
      assert.match(await announcer.innerText(), /^Showing Last 30 days: /);
      await page.focus('#range');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await sleep(300);
      assert.equal(await page.locator('#range').inputValue(), 'all');
      assert.deepEqual(host.sent('setRange'), [], 'a range was loaded while arrowing');
      await page.keyboard.press('Enter');
      await until(() => host.sent('setRange').length > 0, 'the range request');
      await page.waitForFunction(() => /^Showing All time: /.test(document.querySelector('#app [role="status"]')?.textContent ?? ''));
      assert.deepEqual(host.sent('setRange').map((m) => m.range), [{ preset: 'all' }]);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'range');
    });

    it('a range chosen by typing its first letter is loaded when focus leaves the list', async () => {
      const { page, host } = await open(sample, 'dark');
      await page.focus('#range');
      await page.keyboard.press('t');
      assert.equal(await page.locator('#range').inputValue(), 'today');
      await sleep(300);
      assert.deepEqual(host.sent('setRange'), []);
      await page.keyboard.press('Shift+Tab');
      await page.waitForFunction(() => /^Showing Today: /.test(document.querySelector('#app [role="status"]')?.textContent ?? ''));
      assert.deepEqual(host.sent('setRange').map((m) => m.range), [{ preset: 'today' }]);
    });

    it('"Custom…" keeps focus on the list; Enter in a date applies the custom range', async () => {
      const { page, host } = await open(sample, 'dark');
      await page.focus('#range');
      await page.selectOption('#range', 'all');
      await page.waitForFunction(() => /^Showing All time/.test(document.querySelector('#app [role="status"]')?.textContent ?? ''));
      await page.focus('#range');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.locator('#range').inputValue(), 'custom');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'range');
      assert.ok(await page.locator('#range-from').isVisible());
      // Showing a table on the way saves the page's state: the half-chosen custom range stays.
      await page.getByRole('button', { name: 'Show table: Retention after acceptance', exact: true }).click();
      assert.equal(await page.locator('#range').inputValue(), 'custom');
      assert.ok(await page.locator('#range-from').isVisible());
      await page.focus('#range');
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'range-from');
      assert.deepEqual(host.sent('setRange').map((m) => m.range.preset), ['all'], 'choosing Custom… loaded something');
      await page.fill('#range-from', '2025-11-10');
      await page.fill('#range-to', '2025-11-16');
      await page.focus('#range-to');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => /^Showing Nov 10, 2025 – Nov 16, 2025, 7 days\./.test(document.querySelector('#app [role="status"]')?.textContent ?? ''));
      assert.deepEqual(host.sent('setRange').at(-1)?.range, { preset: 'custom', from: '2025-11-10', to: '2025-11-16' });
    });

    it('refuses a custom date the host would not take (before 2000) in the page, before sending it', async () => {
      const { page, host, problems } = await open(sample, 'dark');
      await page.selectOption('#range', 'custom');
      await page.fill('#range-from', '1925-11-10');
      await page.fill('#range-to', '2025-11-16');
      await page.focus('#range-to');
      await page.keyboard.press('Enter');
      assert.equal(await page.locator('#range-from').evaluate((input: HTMLInputElement) => input.validity.rangeUnderflow), true);
      await page.fill('#range-from', '2025-11-10');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => /^Showing Nov 10, 2025 – Nov 16, 2025, 7 days\./.test(document.querySelector('#app [role="status"]')?.textContent ?? ''));
      assert.deepEqual(host.sent('setRange').map((m) => m.range), [{ preset: 'custom', from: '2025-11-10', to: '2025-11-16' }]);
      // The preview host throws on a message the protocol refuses; the page would report it here.
      assert.deepEqual(problems, []);
    });

    it('shows that it is updating while a new range loads, and stops when figures arrive or are unchanged', async () => {
      const { page, host } = await open(sample, 'dark');
      const busy = page.locator('.busy-note');
      assert.equal(await busy.isVisible(), false);
      host.hold();
      await page.selectOption('#range', '7d');
      await busy.waitFor({ state: 'visible' });
      assert.equal(await page.getAttribute('#app', 'aria-busy'), 'true');
      assert.ok(await page.locator('.card').first().isVisible(), 'the figures stay while updating');
      host.resume();
      await busy.waitFor({ state: 'hidden' });
      assert.equal(await page.getAttribute('#app', 'aria-busy'), 'false');

      // Refresh with nothing new: the host posts no figures, only that they are unchanged.
      host.hold();
      await page.getByRole('button', { name: 'Refresh' }).click();
      await busy.waitFor({ state: 'visible' });
      host.resume();
      await busy.waitFor({ state: 'hidden' });
    });

    it('live updates leave alone the custom dates being typed, the filters just chosen, and the focus', async () => {
      const { page, host, problems } = await open(sample, 'dark');
      // Dates half typed into "Custom…": a live update of the range shown does not overwrite them.
      await page.selectOption('#range', 'custom');
      await page.fill('#range-from', '2025-01-15');
      await host.deliver((model) => ({ ...model, generatedAt: model.generatedAt + 30_000, cards: model.cards.map((card) => ({ ...card, value: typeof card.value === 'number' ? card.value + 1 : card.value })) }));
      await page.waitForFunction(() => document.querySelector('#app')?.getAttribute('aria-busy') === 'false');
      assert.equal(await page.locator('#range-from').inputValue(), '2025-01-15');
      await page.selectOption('#range', '30d');

      // A filter just chosen stays chosen when an answer to the request before it arrives late.
      const older = host.latestState;
      await page.selectOption('#filter-source', 'codex');
      await until(() => host.sent('setFilter').length > 0, 'the filter request');
      await page.waitForFunction(() => document.querySelector('#app')?.getAttribute('aria-busy') === 'false');
      await host.deliver(undefined, older);
      await sleep(200);
      assert.equal(await page.locator('#filter-source').inputValue(), 'codex');
      await page.selectOption('#filter-language', { index: 1 });
      await until(() => host.sent('setFilter').length > 1, 'the second filter request');
      assert.equal(host.sent('setFilter').at(-1)?.filters.source, 'codex', 'the late answer dropped the source filter');

      // A live update that changes only a countdown leaves focus where the reader put it.
      await page.getByText('How the estimated value is computed').click();
      const settings = page.getByRole('button', { name: 'Change the formula’s inputs in Settings' });
      await settings.focus();
      await host.deliver((model) => ({
        ...model,
        tables: model.tables.map((table) => (table.id === 'limits' ? { ...table, rows: table.rows.map((row) => row.map((cell) => (typeof cell === 'number' ? cell + 1 : cell))) } : table)),
      }));
      await sleep(200);
      assert.equal(await page.evaluate(() => `${document.activeElement?.tagName}: ${document.activeElement?.textContent?.slice(0, 60)}`), 'BUTTON: Change the formula’s inputs in Settings');
      assert.deepEqual(problems, []);
    });

    it('when the filters hide the range’s usage, says so and offers to clear them, not to import', async () => {
      const { page, host } = await open(sample, 'dark');
      await page.selectOption('#filter-source', 'codex');
      await until(() => host.sent('setFilter').length > 0, 'the filter request');
      // Its own answer first: arriving after the one below, it would draw the page again for the source chosen.
      await host.settled();
      // An answer for a source with no usage in the range (as after changing the range with the filter kept).
      await host.deliver(undefined, { ...host.latestState, filters: { languageId: null, provider: null, source: 'kiro' } });
      const note = page.locator('section.section > div.empty').filter({ hasText: 'No usage from the source chosen in this range' }).first();
      await note.waitFor({ state: 'visible' });
      assert.equal(await note.getByRole('button', { name: 'Clear filters' }).count(), 1);
      assert.equal(await page.getByRole('button', { name: 'Import agent usage now' }).count(), 0);
      // A live update with the same figures leaves the button, and a keyboard user's focus on it, alone.
      const kiro = { ...host.latestState, filters: { languageId: null, provider: null, source: 'kiro' } };
      await note.getByRole('button', { name: 'Clear filters' }).focus();
      await host.deliver(undefined, kiro);
      await sleep(200);
      assert.equal(await page.evaluate(() => `${document.activeElement?.tagName}: ${document.activeElement?.textContent?.slice(0, 60)}`), 'BUTTON: Clear filters');
      await note.getByRole('button', { name: 'Clear filters' }).click();
      await until(() => host.sent('setFilter').at(-1)?.filters.source === null, 'the filters cleared');
      await note.waitFor({ state: 'hidden' });

      // With a filter set, usage that is missing for another reason (none imported) still offers the import.
      await host.deliver(
        (model) => {
          const unimported = <T extends { empty: string | null }>(item: T): T => (item.empty === EMPTY.usageFiltered ? { ...item, empty: EMPTY.usage } : item);
          return { ...model, charts: model.charts.map(unimported), tables: model.tables.map(unimported) };
        },
        kiro,
      );
      const unimported = page.locator('section.section > div.empty').filter({ hasText: 'No agent or chat usage in this range' }).first();
      await unimported.waitFor({ state: 'visible' });
      assert.equal(await page.locator('section.section > div.empty').getByRole('button', { name: 'Import agent usage now' }).count(), 1);
      assert.equal(await page.getByRole('button', { name: 'Clear filters' }).count(), 0);
    });

    it('reads its sections in one order however their charts arrive, and offers Clear filters in the first one on the page', async () => {
      const headings = (page: Page) => page.locator('section.section:not([hidden]) > h2').allTextContents();
      const inOrder = await open(sample, 'dark');
      const expected = await headings(inOrder.page);
      assert.ok(expected.length >= 3, JSON.stringify(expected));
      // The same figures with every chart and table in reverse: the sections arrive last first.
      const reversed = await open({ load: async (state) => {
        const model = await sample.load(state);
        return { ...model, charts: [...model.charts].reverse(), tables: [...model.tables].reverse() };
      } }, 'dark');
      assert.deepEqual(await headings(reversed.page), expected);
      await reversed.host.deliver(undefined, { ...reversed.host.latestState, filters: { languageId: null, provider: null, source: 'kiro' } });
      const firstWithNote = reversed.page.locator('section.section', { has: reversed.page.locator('div.empty:not([hidden])') }).first();
      await firstWithNote.getByRole('button', { name: 'Clear filters' }).waitFor({ state: 'visible' });
      assert.equal(await reversed.page.getByRole('button', { name: 'Clear filters' }).count(), 1);
    });

    it('table toggles have one name per chart, keep their label and say their state with aria-pressed', async () => {
      const { page } = await open(sample, 'dark');
      const toggles = page.locator('.panel:not([hidden]) .toggle:not([hidden])');
      const names = await toggles.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? node.textContent ?? ''));
      assert.ok(names.length >= 8, JSON.stringify(names));
      assert.equal(new Set(names).size, names.length, `toggle names repeat: ${JSON.stringify(names)}`);
      const retention = page.getByRole('button', { name: 'Show table: Retention after acceptance', exact: true });
      assert.equal(await retention.getAttribute('aria-pressed'), 'false');
      await retention.focus();
      await page.keyboard.press('Space');
      assert.equal(await retention.getAttribute('aria-pressed'), 'true');
      assert.equal(await retention.innerText(), 'Show table');
      const region = page.getByRole('region', { name: 'Retention after acceptance, table' });
      assert.ok(await region.isVisible());
      assert.equal(await region.getAttribute('tabindex'), '0');
      assert.equal(await page.locator('#panel-retention canvas[role="img"]').isVisible(), false);
    });

    it('"Load price file…" beside the unpriced models posts the load-price-file action, from the keyboard', async () => {
      const { page, host } = await open(sample, 'dark');
      assert.ok(await page.getByRole('heading', { name: 'Unpriced models', level: 3 }).isVisible());
      const table = page.getByRole('region', { name: 'Unpriced models, table' });
      assert.deepEqual(await table.locator('tbody th').allInnerTexts(), ['acme-coder-9', 'acme-coder-9-mini']);
      assert.deepEqual(await table.locator('thead th').allInnerTexts(), ['Model', 'Source', 'Input', 'Output', 'Cache read', 'Cache write', 'Agent responses']);
      await page.getByRole('button', { name: 'Load price file…', exact: true }).focus();
      await page.keyboard.press('Enter');
      await until(() => host.sent('runAction').length > 0, 'the load-price-file request');
      assert.deepEqual(host.sent('runAction').map((m) => m.action), ['loadPriceFile']);
      assert.match(await page.locator('.card', { has: page.getByRole('heading', { name: 'Spend', exact: true }) }).locator('.detail').innerText(), /not counted: [\d.]+K tokens on unpriced models/);
    });

    it('"Agent logs found" lists every tool, found or not, with its folders and the setting for a missing one', async () => {
      const { page } = await open(sample, 'light');
      const summary = page.locator('details.sources > summary');
      assert.equal(await summary.innerText(), `Agent logs found: claude-code, codex, copilot-chat (3 of ${SOURCES.length} tools)`);
      assert.ok(await page.getByRole('heading', { name: 'Agent logs', level: 2 }).count());
      await summary.focus();
      await page.keyboard.press('Enter');
      const table = page.getByRole('region', { name: 'Agent logs, table' });
      await table.waitFor({ state: 'visible' });
      assert.equal(await table.getAttribute('tabindex'), '0');
      assert.deepEqual(await table.locator('tbody th').allInnerTexts(), SOURCES);
      const row = (source: string) => table.locator('tbody tr', { has: page.locator('th', { hasText: new RegExp(`^${source}$`) }) }).locator('td');
      assert.deepEqual(await row('codex').allInnerTexts(), ['~/.codex/sessions', 'Found', '38', await row('codex').nth(3).innerText(), '2']);
      const gemini = await row('gemini-cli').allInnerTexts();
      assert.equal(gemini[0], '~/.gemini/tmp\n~/.cache/.gemini/tmp');
      assert.equal(gemini[1], 'Not found. If its logs are elsewhere, set assay.import.folders to { "gemini-cli": ["<its folder>"] }');
      assert.deepEqual(gemini.slice(2), ['—', '—', '—'], 'no import read it: no zeros');
    });

    it('a legend hides and shows a series from the keyboard', async () => {
      const { page } = await open(sample, 'dark');
      const panel = page.locator('.panel', { has: page.locator('.legend:not([hidden])') }).first();
      const panelId = await panel.getAttribute('id');
      assert.ok(panelId);
      const ink = async () => (await canvasInk(page.mainFrame(), `#${panelId} canvas[role="img"]`, '.panel'))[0].inked;
      const before = await ink();
      const item = panel.locator('.legend-item').first();
      assert.equal(await item.getAttribute('aria-pressed'), 'true');
      await item.focus();
      await page.keyboard.press('Enter');
      assert.equal(await item.getAttribute('aria-pressed'), 'false');
      await sleep(100);
      const hidden = await ink();
      assert.ok(hidden < before, `hiding ${await item.innerText()} left the chart as it was (${hidden} vs ${before} inked pixels)`);
      await page.keyboard.press('Space');
      assert.equal(await item.getAttribute('aria-pressed'), 'true');
      await sleep(100);
      assert.equal(await ink(), before);
    });
  });

  describe('non-text contrast in the light theme', () => {
    /** The colours a canvas drew with at full opacity. */
    function canvasColours(page: Page, selector: string): Promise<Rgb[][]> {
      return page.$$eval(selector, (canvases) =>
        (canvases as HTMLCanvasElement[]).map((canvas) => {
          const data = canvas.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data ?? new Uint8ClampedArray();
          const colours: { r: number; g: number; b: number }[] = [];
          for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255) colours.push({ r: data[i], g: data[i + 1], b: data[i + 2] });
          return colours;
        }),
      );
    }

    it('every series colour reaches 3:1 against its panel, as its legend swatch shows it', async () => {
      const { page } = await open(sample, 'light');
      const panelBackground = parseColor(await page.$eval('.panel', (node) => getComputedStyle(node).backgroundColor));
      assert.ok(panelBackground);
      const swatches = await canvasColours(page, '.legend:not([hidden]) .swatch');
      assert.ok(swatches.length >= 4, `${swatches.length} legend swatches`);
      const best = swatches.map((colours) => Math.max(...colours.map((colour) => contrastRatio(colour, panelBackground))));
      for (const ratio of best) assert.ok(ratio >= NON_TEXT_CONTRAST, `a series colour reaches only ${ratio.toFixed(2)}:1 (${best.map((r) => r.toFixed(2)).join(', ')})`);
    });

    it('the edges of the range list, filters and dates reach 3:1 against the page', async () => {
      const { page } = await open(sample, 'light');
      await page.selectOption('#range', 'custom');
      // Painted on a canvas and read back: computed colours may come as color(srgb …), which parseColor does not read.
      const [background, ...borders] = await page.$$eval('body, select, input[type="date"]', (nodes) =>
        nodes.map((node) => {
          const style = getComputedStyle(node);
          const ctx = document.createElement('canvas').getContext('2d');
          if (!ctx) throw new Error('no 2d canvas');
          ctx.fillStyle = node === document.body ? style.backgroundColor : style.borderTopColor;
          ctx.fillRect(0, 0, 1, 1);
          const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
          return { id: node.id, colour: { r, g, b } };
        }),
      );
      assert.ok(borders.length >= 6, `${borders.length} controls`);
      for (const { id, colour } of borders) {
        const ratio = contrastRatio(colour, background.colour);
        assert.ok(ratio >= NON_TEXT_CONTRAST, `${id}'s border ${JSON.stringify(colour)} reaches only ${ratio.toFixed(2)}:1`);
      }
    });
  });
});
