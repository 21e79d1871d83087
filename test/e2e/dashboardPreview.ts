// The dashboard webview outside VS Code: serves dist/webview.js and media/ under the panel's CSP,
// themed with a copy of VS Code's Dark/Light Modern colour variables, with a stand-in
// `acquireVsCodeApi` whose messages go to a PreviewHost in Node that answers them as the panel
// does (dashboard/panel.ts), from a DashboardSource over a real ledger folder. Tests use it for
// what needs no code-server (dashboardA11y.e2e.test.ts); run alone it screenshots the page:
//   node out/test/e2e/dashboardPreview.js [outDir]
// The real check is dashboard.e2e.test.ts inside code-server.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { DashboardSource, type DashboardSourceOptions } from '../../src/dashboard/source';
import {
  DEFAULT_RANGE,
  type HostMessage,
  NO_FILTERS,
  parseWebviewMessage,
  type ViewModel,
  type WebviewMessage,
  WEBVIEW_STATE_VERSION,
  type WebviewState,
} from '../../src/dashboard/protocol';
import { LEDGER_SCHEMA_VERSION, type LedgerEvent } from '../../src/ledger/events';
import { parseSettings } from '../../src/settings/schema';
import { launchBrowser } from '../harness/browser';
import { REPO_ROOT } from '../harness/extensions';
import { sampleEvents, seedSampleLedger } from '../harness/sampleLedger';

/** A subset of VS Code's Default Dark Modern / Light Modern colours, as the workbench injects them. */
export const THEMES = {
  dark: {
    bodyClass: 'vscode-dark',
    vars: {
      '--vscode-font-family': 'system-ui, -apple-system, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
      '--vscode-foreground': '#cccccc',
      '--vscode-descriptionForeground': '#9d9d9d',
      '--vscode-editor-background': '#1f1f1f',
      '--vscode-editorWidget-background': '#202020',
      '--vscode-editorWidget-border': '#313131',
      '--vscode-widget-border': '#313131',
      '--vscode-focusBorder': '#0078d4',
      '--vscode-button-background': '#0078d4',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#026ec1',
      '--vscode-button-secondaryBackground': '#313131',
      '--vscode-button-secondaryForeground': '#cccccc',
      '--vscode-button-secondaryHoverBackground': '#3c3c3c',
      '--vscode-dropdown-background': '#313131',
      '--vscode-dropdown-foreground': '#cccccc',
      '--vscode-dropdown-border': '#3c3c3c',
      '--vscode-input-background': '#313131',
      '--vscode-input-foreground': '#cccccc',
      '--vscode-input-border': '#3c3c3c',
      '--vscode-badge-background': '#616161',
      '--vscode-badge-foreground': '#f8f8f8',
      '--vscode-textBlockQuote-background': '#2b2b2b',
      '--vscode-editorInfo-foreground': '#3794ff',
      '--vscode-textPreformat-foreground': '#d0d0d0',
      '--vscode-charts-foreground': '#cccccc',
      '--vscode-charts-blue': '#3794ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#89d185',
      '--vscode-charts-purple': '#b180d7',
      '--vscode-charts-yellow': '#cca700',
      '--vscode-charts-red': '#f14c4c',
    },
  },
  light: {
    bodyClass: 'vscode-light',
    vars: {
      '--vscode-font-family': 'system-ui, -apple-system, "Segoe UI", "Ubuntu", "Droid Sans", sans-serif',
      '--vscode-font-size': '13px',
      '--vscode-editor-font-family': '"Droid Sans Mono", monospace',
      '--vscode-foreground': '#3b3b3b',
      '--vscode-descriptionForeground': '#3b3b3b',
      '--vscode-editor-background': '#ffffff',
      '--vscode-editorWidget-background': '#f8f8f8',
      '--vscode-editorWidget-border': '#e5e5e5',
      '--vscode-widget-border': '#e5e5e5',
      '--vscode-focusBorder': '#005fb8',
      '--vscode-button-background': '#005fb8',
      '--vscode-button-foreground': '#ffffff',
      '--vscode-button-hoverBackground': '#0258a8',
      '--vscode-button-secondaryBackground': '#e5e5e5',
      '--vscode-button-secondaryForeground': '#3b3b3b',
      '--vscode-button-secondaryHoverBackground': '#cccccc',
      '--vscode-dropdown-background': '#ffffff',
      '--vscode-dropdown-foreground': '#3b3b3b',
      '--vscode-dropdown-border': '#cecece',
      '--vscode-input-background': '#ffffff',
      '--vscode-input-foreground': '#3b3b3b',
      '--vscode-input-border': '#cecece',
      '--vscode-badge-background': '#cccccc',
      '--vscode-badge-foreground': '#3b3b3b',
      '--vscode-textBlockQuote-background': '#f8f8f8',
      '--vscode-editorInfo-foreground': '#1a85ff',
      '--vscode-textPreformat-foreground': '#3b3b3b',
      '--vscode-charts-foreground': '#3b3b3b',
      '--vscode-charts-blue': '#1a85ff',
      '--vscode-charts-orange': '#d18616',
      '--vscode-charts-green': '#388a34',
      '--vscode-charts-purple': '#652d90',
      '--vscode-charts-yellow': '#bf8803',
      '--vscode-charts-red': '#e51400',
    },
  },
} as const;

export type PreviewTheme = keyof typeof THEMES;

const NONCE = 'cHJldmlldy1ub25jZQ==';

/** The page as panel.ts serves it (title, language, CSP, the loading placeholder), with a theme's variables. */
function page(origin: string, theme: PreviewTheme): string {
  const csp = `default-src 'none'; img-src ${origin} data:; style-src ${origin}; script-src 'nonce-${NONCE}'; font-src ${origin}`;
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${origin}/theme-${theme}.css"><link rel="stylesheet" href="${origin}/media/dashboard.css">
<title>Assay Dashboard</title>
</head><body class="${THEMES[theme].bodyClass}"><main id="app" aria-busy="true"><p class="status">Loading…</p></main>
<script nonce="${NONCE}" src="${origin}/stub.js"></script><script nonce="${NONCE}" src="${origin}/dist/webview.js"></script></body></html>`;
}

/** The name of the function PreviewHost exposes to the page; the stub's postMessage calls it. */
const HOST_BINDING = '__assayHost';

const STUB = `window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
window.acquireVsCodeApi = () => ({
  postMessage(message) { void window.${HOST_BINDING}(message); },
  getState() { return window.__state; },
  setState(state) { window.__state = state; },
});`;

export interface PreviewServer {
  origin: string;
  url(theme: PreviewTheme): string;
  close(): Promise<void>;
}

export async function servePreview(): Promise<PreviewServer> {
  const files: Record<string, () => [string, string | Buffer]> = {
    '/stub.js': () => ['text/javascript', STUB],
    // Chromium asks for one; a 404 would show up as a console error the tests count as a problem.
    '/favicon.ico': () => ['image/x-icon', Buffer.alloc(0)],
    '/dist/webview.js': () => ['text/javascript', fs.readFileSync(path.join(REPO_ROOT, 'dist', 'webview.js'))],
    '/media/dashboard.css': () => ['text/css', fs.readFileSync(path.join(REPO_ROOT, 'media', 'dashboard.css'))],
  };
  for (const theme of Object.keys(THEMES) as PreviewTheme[]) {
    const vars = Object.entries(THEMES[theme].vars).map(([k, v]) => `${k}: ${v};`).join('\n');
    files[`/theme-${theme}.css`] = () => ['text/css', `html { ${vars} }`];
  }
  let origin = '';
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const theme = url.searchParams.get('theme') === 'light' ? 'light' : 'dark';
    const [type, body] = url.pathname === '/' ? ['text/html', page(origin, theme)] : (files[url.pathname]?.() ?? ['text/plain', '']);
    response.writeHead(body === '' ? 404 : 200, { 'content-type': type });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return {
    origin,
    url: (theme) => `${origin}/?theme=${theme}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Stands in for the panel: answers the page's messages the way dashboard/panel.ts does (loading,
 * then data; unchanged figures are not posted again, `unchanged` is), records what the page
 * posted, and can hold its answers to show the page's loading and busy states.
 */
export class PreviewHost {
  /** Every valid message the page posted, in order. */
  readonly posted: WebviewMessage[] = [];
  private state: WebviewState = { version: WEBVIEW_STATE_VERSION, range: DEFAULT_RANGE, filters: NO_FILTERS, tables: [] };
  private postedFigures: string | undefined;
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  private held: Promise<void> = Promise.resolve();
  private release: (() => void) | undefined;

  private constructor(
    private readonly page: Page,
    private readonly load: (state: WebviewState) => Promise<ViewModel>,
  ) {}

  /** Call before the page is opened: the stub finds the host's function from its first script on. */
  static async attach(page: Page, load: (state: WebviewState) => Promise<ViewModel>): Promise<PreviewHost> {
    const host = new PreviewHost(page, load);
    await page.exposeFunction(HOST_BINDING, (raw: unknown) => host.receive(raw));
    return host;
  }

  /** Answers wait until `resume`. */
  hold(): void {
    if (this.release) return;
    this.held = new Promise((resolve) => (this.release = resolve));
  }

  resume(): void {
    this.release?.();
    this.release = undefined;
  }

  /**
   * Posts the view model of `state` (the page's latest, by default) as a live update would, changed by `change`:
   * figures that moved, or, for an older state, an answer arriving late.
   */
  async deliver(change: (model: ViewModel) => ViewModel = (model) => model, state: WebviewState = this.state): Promise<void> {
    await this.post({ type: 'data', model: change(await this.load(state)) });
  }

  /** Resolves once every answer to what the page asked so far has been posted. */
  async settled(): Promise<void> {
    await this.queue;
  }

  /** The page's state as the host last heard it. */
  get latestState(): WebviewState {
    return this.state;
  }

  /** The messages of one type the page posted. */
  sent<T extends WebviewMessage['type']>(type: T): Extract<WebviewMessage, { type: T }>[] {
    return this.posted.filter((message): message is Extract<WebviewMessage, { type: T }> => message.type === type);
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) throw new Error(`the page posted a malformed message: ${parsed.error}`);
    const message = parsed.message;
    this.posted.push(message);
    switch (message.type) {
      case 'ready':
        this.postedFigures = undefined;
        if (message.state) this.state = message.state;
        else void this.post({ type: 'restoreState', state: this.state });
        void this.post({ type: 'loading' });
        return this.render();
      case 'setRange':
        this.state = { ...this.state, range: message.range };
        return this.render();
      case 'setFilter':
        this.state = { ...this.state, filters: message.filters };
        return this.render();
      case 'refresh':
        return this.render();
      default:
        return;
    }
  }

  /** One load at a time, in order, each with the state of its time. */
  private render(): void {
    const state = this.state;
    this.queued++;
    this.queue = this.queue.then(async () => {
      await this.held;
      const model = await this.load(state);
      this.queued--;
      const figures = JSON.stringify({ ...model, generatedAt: 0 });
      if (figures !== this.postedFigures) {
        this.postedFigures = figures;
        await this.post({ type: 'data', model });
      } else if (this.queued === 0) {
        await this.post({ type: 'unchanged' });
      }
    });
  }

  private async post(message: HostMessage): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message).catch(() => undefined);
  }
}

/**
 * What the money sections show beyond the sample's usage (docs/money.md): Codex's plan limits as the import writes
 * them (a 5-hour window near its limit, the weekly one half used), a Claude Code limit reached this morning, and a
 * Claude Code session in the last hours, so a 5-hour block is active.
 */
function moneyEvents(now: number): LedgerEvent[] {
  const minute = 60_000;
  const v = LEDGER_SCHEMA_VERSION;
  const limit = (id: string, t: number, window: '5h' | 'weekly', usedPercent: number, resetsAt: number): LedgerEvent => ({
    v, kind: 'limit', id, t, source: 'codex', limit: 'plan', window, windowMinutes: window === '5h' ? 300 : 10_080, usedPercent, resetsAt,
  });
  const claudeResponse = (i: number): LedgerEvent => ({
    v, kind: 'usage', id: `preview-block-${i}`, t: now - (150 - i * 12) * minute, source: 'claude-code', model: 'claude-sonnet-4-5',
    inputTokens: 1_200 + i * 40, outputTokens: 900 + i * 25, reasoningTokens: 0, cacheReadTokens: 60_000 + i * 2_000,
    cacheWrite5mTokens: 4_000, cacheWrite1hTokens: 0, tokensKnown: true, reportedCostUSD: null, session: 'previewsession', project: 'previewproject',
  });
  return [
    limit('preview-codex-5h-1', now - 200 * minute, '5h', 52, now + 100 * minute),
    limit('preview-codex-5h-2', now - 25 * minute, '5h', 84, now + 100 * minute),
    limit('preview-codex-week', now - 25 * minute, 'weekly', 46, now + 3 * 24 * 60 * minute),
    { v, kind: 'limitReached', id: 'preview-claude-limit', t: now - 7 * 60 * minute, source: 'claude-code', window: '5h', resetsAt: null },
    ...Array.from({ length: 12 }, (_, i) => claudeResponse(i)),
  ];
}

/** Usage on models no price data knows, for the dashboard's "Unpriced models" (made-up names, so no snapshot prices them). */
function unpricedEvents(now: number): LedgerEvent[] {
  const hour = 3_600_000;
  return Array.from({ length: 6 }, (_, i): LedgerEvent => ({
    v: LEDGER_SCHEMA_VERSION, kind: 'usage', id: `preview-unpriced-${i}`, t: now - (i * 30 + 5) * hour,
    source: i % 3 === 0 ? 'qwen-code' : 'opencode', model: i % 3 === 0 ? 'acme-coder-9-mini' : 'acme-coder-9',
    inputTokens: 20_000 + i * 1_000, outputTokens: 3_000, reasoningTokens: 0, cacheReadTokens: 80_000, cacheWrite5mTokens: 2_000,
    cacheWrite1hTokens: 0, tokensKnown: true, reportedCostUSD: null, session: 'previewsession', project: 'previewproject',
  }));
}

/**
 * Where the preview's import "looks": a made-up home folder beside the ledger, in which Claude Code, Codex and
 * Copilot Chat are installed, and what its latest import read, so "Agent logs found" lists found and missing tools
 * the same way on every machine (and never shows the real home folder).
 */
function previewImports(storageDir: string, installed: boolean): Pick<DashboardSourceOptions, 'discoveryContext' | 'importSources'> {
  const home = `${storageDir}-home`;
  const folders = installed ? ['.claude/projects', '.codex/sessions', '.config/Code/User/workspaceStorage'] : [];
  for (const folder of ['', ...folders]) fs.mkdirSync(path.join(home, folder), { recursive: true });
  const readAt = Date.UTC(2025, 10, 29, 11, 40);
  return {
    discoveryContext: () => ({ env: {}, homeDir: home, platform: 'linux' }),
    importSources: () =>
      installed
        ? [
            { source: 'claude-code', files: 212, lastReadAt: readAt, rejectedLines: {} },
            { source: 'codex', files: 38, lastReadAt: readAt, rejectedLines: { json: 2 } },
            { source: 'copilot-chat', files: 9, lastReadAt: null, rejectedLines: {} },
            { source: 'opencode', files: 0, lastReadAt: null, rejectedLines: {} },
          ]
        : [],
  };
}

/**
 * A DashboardSource over a ledger of 45 days of sample events (several languages; Claude Code, Codex and Copilot
 * Chat over several models, OpenCode and Qwen Code on unpriced models) with a Copilot Business seat, a Claude Max
 * plan, budgets, plan limits, and agent logs found for some tools and not for others.
 */
export async function sampleSource(storageDir: string, now: number): Promise<DashboardSource> {
  await seedSampleLedger(storageDir, [...sampleEvents({ days: 45, seed: 20_251_129, now }), ...moneyEvents(now), ...unpricedEvents(now)]);
  const settings = parseSettings({
    seats: [{ plan: 'copilot-business' }, { plan: 'claude-max-5x' }],
    'budget.monthlyUSD': 400,
    'budget.perSourceUSD': { 'claude-code': 250, codex: 60 },
  });
  return new DashboardSource({ storageDir, timeZone: 'UTC', locale: 'en-US', getSettings: () => settings, now: () => now, ...previewImports(storageDir, true) });
}

/** A DashboardSource over a ledger folder that holds nothing: a first start. */
export function emptySource(storageDir: string, now: number): DashboardSource {
  fs.mkdirSync(storageDir, { recursive: true });
  return new DashboardSource({ storageDir, timeZone: 'UTC', locale: 'en-US', getSettings: () => parseSettings({}), now: () => now, ...previewImports(storageDir, false) });
}

async function main(): Promise<void> {
  const outDir = path.resolve(process.argv[2] ?? path.join(REPO_ROOT, '.test-artifacts', 'dashboard-preview'));
  fs.mkdirSync(outDir, { recursive: true });
  const rootDir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-dashboard-preview-'));
  const source = await sampleSource(path.join(rootDir, 'storage'), Date.now());
  const server = await servePreview();
  const browser = await launchBrowser(rootDir);
  const problems: string[] = [];
  browser.page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  browser.page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  try {
    await PreviewHost.attach(browser.page, (state) => source.load(state));
    for (const theme of Object.keys(THEMES) as PreviewTheme[]) {
      await browser.page.goto(server.url(theme));
      await browser.page.waitForSelector('canvas', { timeout: 10_000 });
      await browser.page.waitForTimeout(300);
      const violations = await browser.page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
      problems.push(...violations.map((v) => `CSP violation (${theme}): ${v}`));
      const file = path.join(outDir, `dashboard-${theme}.png`);
      await browser.page.screenshot({ path: file, fullPage: true });
      console.log(file);
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(rootDir, { recursive: true, force: true });
  }
  for (const problem of problems) console.error(problem);
  process.exitCode = problems.length > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exitCode = 1;
  });
}
