// The money sections in a real browser (issue #12): over the preview's seeded ledger (several languages; Claude Code,
// Codex and Copilot Chat over several models; a Copilot Business seat and a Claude Max plan; budgets; Codex limits
// and a Claude Code limit reached) the page shows the budgets, the limits, the findings and the plans, with their
// figures; a finding's button takes the reader to its chart; the page stays axe-core clean. Screenshots of each
// section go to .test-artifacts/money/.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser, type RunningBrowser } from '../harness/browser';
import { assertNoAxeViolations } from './dashboardAxe';
import { PreviewHost, type PreviewServer, sampleSource, servePreview } from './dashboardPreview';
import { ARTIFACTS_DIR } from './workbench';

/** 2025-11-29 12:00 UTC, as the accessibility test: the sample's figures are the same on every run. */
const NOW = Date.UTC(2025, 10, 29, 12);
const SHOTS = path.join(ARTIFACTS_DIR, 'money');

describe('dashboard money sections (Chromium, seeded ledger)', function () {
  let rootDir: string;
  let browser: RunningBrowser;
  let server: PreviewServer;
  let page: Page;
  let host: PreviewHost;
  const problems: string[] = [];

  before(async function () {
    this.timeout(180_000);
    rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-money-'));
    const source = await sampleSource(path.join(rootDir, 'sample'), NOW);
    server = await servePreview();
    browser = await launchBrowser(rootDir);
    page = browser.page;
    await page.setViewportSize({ width: 1280, height: 900 });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    host = await PreviewHost.attach(page, (state) => source.load(state));
    await page.goto(server.url('dark'));
    await page.waitForSelector('#app[aria-busy="false"] .content:not([hidden])', { timeout: 30_000 });
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    if (rootDir) fs.rmSync(rootDir, { recursive: true, force: true });
  });

  /** The section titled `title`, screenshotted into .test-artifacts/money/. */
  async function section(title: string, file: string) {
    const root = page.locator('section.section', { has: page.getByRole('heading', { level: 2, name: title, exact: true }) });
    await root.waitFor({ state: 'visible' });
    await root.screenshot({ path: path.join(SHOTS, file) });
    return root;
  }

  /** The rows of a table panel, as their cells' text. */
  async function rows(panelId: string): Promise<string[][]> {
    return page.locator(`#panel-${panelId} tbody tr`).evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (cell) => cell.textContent ?? '')));
  }

  it('shows the budgets against this month, pro-rated, with the projection', async () => {
    await section('Budgets', 'budgets.png');
    const budgets = await rows('budgets');
    assert.deepEqual(budgets.map((row) => row[0]), ['Spend', 'Claude Code at API prices', 'Codex at API prices']);
    for (const row of budgets) {
      assert.match(row[2], /^\$\d/, `budget of ${row[0]}`);
      assert.match(row[3], /%$/, `progress of ${row[0]}`);
      assert.match(row[6], /^\$\d/, `projection of ${row[0]}`);
    }
  });

  it('shows the latest Codex limits with their reset, the Claude Code limit reached and the active block', async () => {
    await section('Limits', 'limits.png');
    const limits = await rows('limits');
    assert.deepEqual(limits[0], ['Codex 5-hour limit', '84%', '100 min', '25 min']);
    assert.equal(limits[1][0], 'Codex weekly limit');
    assert.equal(limits[1][1], '46%');
    assert.deepEqual(limits[2].slice(0, 2), ['Claude Code: 5-hour limit reached', '—']);
    const block = await rows('claude-block');
    assert.equal(block.length, 1);
    assert.equal(block[0][0], 'Current block');
    assert.ok(block[0].slice(1).every((cell) => cell !== '—' && cell !== ''), `block figures: ${block[0].join(' | ')}`);
  });

  it('lists findings with their numbers or says what data they need, and a finding’s button reaches its chart', async () => {
    const findings = await section('Findings', 'findings.png');
    const items = findings.locator('ol.findings > li');
    const notes = findings.locator('ul.muted > li');
    assert.ok((await items.count()) + (await notes.count()) > 0, 'no findings and no note of what they need');
    const shown = findings.getByRole('button', { name: /^Show / });
    if ((await shown.count()) > 0) {
      await shown.first().click();
      const focused = await page.evaluate(() => document.activeElement?.id ?? '');
      assert.match(focused, /^panel-/);
    }
    for (let i = 0; i < (await items.count()); i++) assert.ok((await items.nth(i).locator('dd').count()) > 0, 'a finding without its numbers');
  });

  it('compares the Copilot Business seat and the Claude Max plan with API prices, and shows value as a range', async () => {
    await section('Plans', 'plans.png');
    await page.locator('#panel-subscription-vs-api .toggle').click();
    const plans = await page.locator('#panel-subscription-vs-api thead th').allTextContents();
    assert.ok(plans.includes('Claude Max (5x): usage at API prices'), plans.join(' | '));
    assert.ok(plans.includes('GitHub Copilot Business: AI Credits included'), plans.join(' | '));
    const value = await page.locator('.card.estimate .detail').textContent();
    // The range, and how much of the expected estimate is measured and how much assumed (README, docs/metrics.md).
    assert.match(
      value ?? '',
      /^Low \$[\d,.]+ – high \$[\d,.]+; \d+% from kept inline characters \(measured\), \d+% from [\d,]+ agent responses × [\d.]+ min each \(assumed\); ROI [\d.]+× – [\d.]+× \(expected [\d.]+×\)$/,
    );
    await page.locator('.overview').screenshot({ path: path.join(SHOTS, 'value-range.png') });
  });

  it('stays axe-core clean with the money sections and raises no page error', async () => {
    await assertNoAxeViolations(page, 'money sections');
    assert.deepEqual(problems, []);
    assert.ok(host.posted.length > 0);
  });
});
