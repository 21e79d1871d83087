// The dashboard's webview panel (docs/architecture.md, Readers): creates or restores the panel, serves a strict-CSP
// page with no data in it, answers the webview's validated messages with view models, and
// pushes fresh figures when the ledger grows. The figures themselves come from `loadModel`.
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { withCopilotOtelFile } from '../importers/discovery';
import { copilotOtelFileSetting, customStoragePathSettings } from '../settings/otherTools';
import type { StatusBarWarning } from '../money/warnings';
import { Formatter } from '../report/format';
import { exportFigures } from './exportGlue';
import { describeError } from '../privacy/errors';
import type { RollupLoader } from '../report/rollupOffThread';
import type { LedgerWriter } from '../ledger/writer';
import type { Settings } from '../settings/schema';
import type { ImportSourceSummary } from './importSources';
import {
  DEFAULT_RANGE,
  type HostMessage,
  NO_FILTERS,
  parseWebviewMessage,
  parseWebviewState,
  type ViewModel,
  type WebviewAction,
  type WebviewMessage,
  WEBVIEW_STATE_VERSION,
  type WebviewState,
} from './protocol';
import type * as SourceModule from './source';

const DASHBOARD_VIEW_TYPE = 'assay.dashboard';
const TITLE = 'Assay Dashboard';

/** After a ledger append, wait this long for more before re-reading (accepts come in bursts). */
const LIVE_UPDATE_DEBOUNCE_MS = 1_000;
/** Other windows write their own segments without telling this one: look again this often while visible. */
const PERIODIC_REFRESH_MS = 30_000;

interface DashboardPanelDeps {
  extensionUri: vscode.Uri;
  /** `onFirstData` may get a partial model of recent days first, while a cold ledger is rebuilt. */
  loadModel(state: WebviewState, onFirstData?: (model: ViewModel) => void): Promise<ViewModel>;
  /** Fires when this window appended to the ledger. */
  onDidAppend(listener: () => void): vscode.Disposable;
  log(message: string): void;
  /** "Export figures…": the range's figures saved where the user says. */
  exportFigures(range: WebviewState['range']): Promise<void>;
}

/** The actions a webview may ask for, each mapped to one fixed command (the export is the panel's own). */
const ACTION_COMMANDS: Record<Exclude<WebviewAction, 'exportFigures'>, [string, ...unknown[]]> = {
  importUsage: ['assay.importNow'],
  openSettings: ['workbench.action.openSettings', '@ext:assay.assay'],
  loadPriceFile: ['assay.loadPriceFile'],
};

function defaultState(): WebviewState {
  return { version: WEBVIEW_STATE_VERSION, range: DEFAULT_RANGE, filters: NO_FILTERS, tables: [] };
}

function dashboardHtml(webview: vscode.Webview, extensionUri: vscode.Uri, nonce: string): string {
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dashboard.css'));
  const csp = [
    "default-src 'none'",
    `img-src ${webview.cspSource} data:`,
    `style-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${webview.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>${TITLE}</title>
</head>
<body>
<main id="app" aria-busy="true"><p class="status">Loading…</p></main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
}

class DashboardPanel implements vscode.Disposable {
  private state: WebviewState;
  private readonly disposables: vscode.Disposable[] = [];
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private periodic: ReturnType<typeof setInterval> | undefined;
  private rendering = false;
  private renderAgain = false;
  private ready = false;
  private disposed = false;
  private lastModel: ViewModel | undefined;
  /** The figures the webview shows now: an unchanged refresh is not posted, so no chart redraws. */
  private postedFigures: string | undefined;
  private readonly dataListeners = new Set<(model: ViewModel) => void>();

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly deps: DashboardPanelDeps,
    restoredState: WebviewState | null,
    private readonly onDispose: () => void,
  ) {
    this.state = restoredState ?? defaultState();
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(deps.extensionUri, 'dist'), vscode.Uri.joinPath(deps.extensionUri, 'media')],
    };
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidChangeViewState(() => this.onVisibility()),
      panel.onDidDispose(() => this.dispose()),
      deps.onDidAppend(() => this.scheduleRender()),
      // A price override or price file changed in Settings re-prices everything shown, old usage too.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('assay.pricing')) this.scheduleRender();
      }),
    );
    // A fresh nonce for every panel, restored ones too. VS Code serves this same page again when a hidden panel is
    // shown; its nonce is readable only by script the page already runs, so serving it again admits nothing new.
    panel.webview.html = dashboardHtml(panel.webview, deps.extensionUri, randomBytes(16).toString('base64'));
    this.onVisibility();
  }

  /** The last view model posted to the webview (integration tests read it). */
  get model(): ViewModel | undefined {
    return this.lastModel;
  }

  /** Resolves with the next view model posted. */
  nextModel(): Promise<ViewModel> {
    return new Promise((resolve) => {
      const listener = (model: ViewModel) => {
        this.dataListeners.delete(listener);
        resolve(model);
      };
      this.dataListeners.add(listener);
    });
  }

  reveal(): void {
    this.panel.reveal();
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.deps.log(`Dashboard: ignored a malformed message from the webview (${parsed.error})`);
      return;
    }
    this.handle(parsed.message).catch((error: unknown) =>
      this.deps.log(`Dashboard: ${describeError(error)}`),
    );
  }

  private async handle(message: WebviewMessage): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        // A new page (first load, or rebuilt after being hidden) has no figures yet.
        this.postedFigures = undefined;
        // The webview's own saved state wins: it is newer than what the serializer restored.
        if (message.state) this.state = message.state;
        else await this.post({ type: 'restoreState', state: this.state });
        await this.post({ type: 'loading' });
        return this.render();
      case 'setRange':
        this.state = { ...this.state, range: message.range };
        return this.render();
      case 'setFilter':
        this.state = { ...this.state, filters: message.filters };
        return this.render();
      case 'refresh':
        return this.render();
      case 'runAction': {
        if (message.action === 'exportFigures') return this.deps.exportFigures(this.state.range);
        const [command, ...args] = ACTION_COMMANDS[message.action];
        await vscode.commands.executeCommand(command, ...args);
        // Prices apply when figures are made: a price file just loaded prices the usage already on the page.
        if (message.action === 'loadPriceFile') this.scheduleRender();
        return;
      }
      case 'openFormulaSettings':
        await vscode.commands.executeCommand('workbench.action.openSettings', 'assay.value');
        return;
    }
  }

  private onVisibility(): void {
    if (this.panel.visible && this.periodic === undefined) {
      this.periodic = setInterval(() => this.scheduleRender(), PERIODIC_REFRESH_MS);
    } else if (!this.panel.visible && this.periodic !== undefined) {
      clearInterval(this.periodic);
      this.periodic = undefined;
    }
  }

  private scheduleRender(): void {
    if (this.disposed || !this.ready || !this.panel.visible) return;
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.render();
    }, LIVE_UPDATE_DEBOUNCE_MS);
  }

  /** One load at a time; a request during a load runs once after it, with the latest state. */
  private async render(): Promise<void> {
    if (this.rendering) {
      this.renderAgain = true;
      return;
    }
    this.rendering = true;
    try {
      do {
        this.renderAgain = false;
        try {
          let settled = false;
          const model = await this.deps.loadModel(this.state, (first) => {
            if (settled || this.disposed) return;
            // The full figures that follow must be posted even if they equal the last full ones.
            this.postedFigures = undefined;
            void this.post({ type: 'data', model: first });
          });
          settled = true;
          if (this.disposed) return;
          this.lastModel = model;
          const figures = JSON.stringify({ ...model, generatedAt: 0 });
          if (figures !== this.postedFigures) {
            await this.post({ type: 'data', model });
            this.postedFigures = figures;
          } else if (!this.renderAgain) {
            await this.post({ type: 'unchanged' });
          }
          for (const listener of [...this.dataListeners]) listener(model);
        } catch (error) {
          const message = describeError(error);
          this.postedFigures = undefined;
          this.deps.log(`Dashboard: could not load figures (${message})`);
          await this.post({ type: 'error', message: `Assay could not load its figures: ${message}` });
        }
      } while (this.renderAgain && !this.disposed);
    } finally {
      this.rendering = false;
    }
  }

  private async post(message: HostMessage): Promise<void> {
    if (!this.disposed) await this.panel.webview.postMessage(message);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.debounce !== undefined) clearTimeout(this.debounce);
    if (this.periodic !== undefined) clearInterval(this.periodic);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.onDispose();
  }
}

/** Creates the one dashboard panel, or reveals it; restores it after a reload. */
class DashboardPanels implements vscode.Disposable {
  private current: DashboardPanel | undefined;
  private readonly serializer: vscode.Disposable;

  constructor(private readonly deps: DashboardPanelDeps) {
    this.serializer = vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel, saved: unknown) => {
        this.current?.dispose();
        this.current = this.attach(panel, parseWebviewState(saved));
      },
    });
  }

  get panel(): DashboardPanel | undefined {
    return this.current;
  }

  open(): DashboardPanel {
    if (this.current) {
      this.current.reveal();
      return this.current;
    }
    const panel = vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      TITLE,
      vscode.ViewColumn.Active,
      // Hidden panels are rebuilt from saved state when shown again, rather than kept in memory.
      { enableScripts: true, retainContextWhenHidden: false },
    );
    this.current = this.attach(panel, null);
    return this.current;
  }

  private attach(panel: vscode.WebviewPanel, state: WebviewState | null): DashboardPanel {
    panel.iconPath = vscode.Uri.joinPath(this.deps.extensionUri, 'media', 'assay.svg');
    const dashboard = new DashboardPanel(panel, this.deps, state, () => {
      if (this.current === dashboard) this.current = undefined;
    });
    return dashboard;
  }

  dispose(): void {
    this.current?.dispose();
    this.serializer.dispose();
  }
}

export interface DashboardDeps {
  storageDir: string;
  /** The user's time zone (rows are dated in it). */
  timeZone: string;
  getSettings(): Settings;
  ledgerWriter: Pick<LedgerWriter, 'onDidAppend' | 'flush'>;
  /** What the latest import read from each agent tool, and when each was last read. */
  importSources?(): readonly ImportSourceSummary[];
  loadRollup: RollupLoader;
  log(message: string): void;
}

export interface Dashboard extends vscode.Disposable {
  /** The handler of `assay.openDashboard`. */
  openDashboard(): DashboardPanel;
  /** The open panel, if any (integration tests read its last view model). */
  readonly panel: DashboardPanel | undefined;
  /** Budgets and plan limits at 80 % or more, for the status bar. */
  moneyWarning(): Promise<StatusBarWarning>;
}

/** Registers the panel serializer; call once from `activate`. */
export function registerDashboard(context: vscode.ExtensionContext, deps: DashboardDeps): Dashboard {
  let source: SourceModule.DashboardSource | undefined;
  const figures = (): SourceModule.DashboardSource =>
    (source ??= new (loadSourceModule(context.extensionPath).DashboardSource)({
      storageDir: deps.storageDir,
      timeZone: deps.timeZone,
      locale: vscode.env.language,
      getSettings: deps.getSettings,
      importSources: deps.importSources,
      // The same places the import looks (importers/importGlue.ts), other tools' settings included.
      discoveryContext: () => ({
        env: withCopilotOtelFile(process.env, copilotOtelFileSetting()),
        homeDir: os.homedir(),
        platform: process.platform,
        customStoragePaths: customStoragePathSettings(),
      }),
      beforeLoad: () => deps.ledgerWriter.flush(),
      // The extension's own loader: the rollup's state in memory stays in the extension bundle's one copy of
      // report/rollupCache.ts, not in the copy dashboardSource.js also holds.
      loadRollup: deps.loadRollup,
    }));
  const panels = new DashboardPanels({
    extensionUri: context.extensionUri,
    loadModel: (state, onFirstData) => figures().load(state, onFirstData),
    onDidAppend: (listener) => deps.ledgerWriter.onDidAppend(() => listener()),
    log: deps.log,
    exportFigures: (range) => exportFigures(range, (chosen) => figures().financeExport(chosen)),
  });
  return {
    openDashboard: () => panels.open(),
    get panel() {
      return panels.panel;
    },
    dispose: () => panels.dispose(),
    moneyWarning: () => {
      const time = new Intl.DateTimeFormat(new Formatter(vscode.env.language).locale, { weekday: 'short', hour: 'numeric', minute: '2-digit' });
      return figures().moneyWarning((t) => time.format(t));
    },
  };
}

function loadSourceModule(extensionPath: string): typeof SourceModule {
  // A separate bundle required on first use: pricing, the view model and its charts stay out of what activation loads
  // (docs/architecture.md, Performance budgets).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path.join(extensionPath, 'dist', 'dashboardSource.js')) as typeof SourceModule;
}
