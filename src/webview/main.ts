// The dashboard webview's entry point (bundled to dist/webview.js). It holds no figures of its
// own: it validates each message from the host, draws the view model, and reports the reader's
// choices back. Range, filters and table toggles persist with vscode.setState.
import './zodConfig';
import {
  DEFAULT_RANGE,
  NO_FILTERS,
  parseHostMessage,
  parseWebviewState,
  WEBVIEW_STATE_VERSION,
  type WebviewMessage,
  type WebviewState,
} from '../dashboard/protocol';
import { readTheme, onThemeChange } from './theme';
import { DashboardView } from './view';

interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): unknown;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const savedState = parseWebviewState(vscode.getState());
let state: WebviewState = savedState ?? { version: WEBVIEW_STATE_VERSION, range: DEFAULT_RANGE, filters: NO_FILTERS, tables: [] };

function saveState(next: WebviewState): void {
  state = next;
  vscode.setState(state);
  view.setState(state);
}

const root = document.getElementById('app');
if (!root) throw new Error('The dashboard page has no #app element');

const view = new DashboardView(root, state, readTheme(), {
  setRange(range) {
    saveState({ ...state, range });
    view.showLoading();
    vscode.postMessage({ type: 'setRange', range });
  },
  setFilters(filters) {
    saveState({ ...state, filters });
    view.showLoading();
    vscode.postMessage({ type: 'setFilter', filters });
  },
  toggleTable(chartId, showTable) {
    const tables = state.tables.filter((id) => id !== chartId);
    saveState({ ...state, tables: showTable ? [...tables, chartId] : tables });
  },
  refresh() {
    view.showLoading();
    vscode.postMessage({ type: 'refresh' });
  },
  importUsage() {
    vscode.postMessage({ type: 'runAction', action: 'importUsage' });
  },
  openSettings() {
    vscode.postMessage({ type: 'runAction', action: 'openSettings' });
  },
  openFormulaSettings() {
    vscode.postMessage({ type: 'openFormulaSettings' });
  },
  exportFigures() {
    vscode.postMessage({ type: 'runAction', action: 'exportFigures' });
  },
  runAction(action) {
    vscode.postMessage({ type: 'runAction', action });
  },
});

onThemeChange((theme) => view.setTheme(theme));

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = parseHostMessage(event.data);
  if (!parsed.ok) {
    console.error(`Assay dashboard: ignored a malformed message (${parsed.error})`);
    return;
  }
  const message = parsed.message;
  switch (message.type) {
    case 'loading':
      view.showLoading();
      return;
    case 'restoreState':
      saveState(message.state);
      return;
    case 'data':
      view.render(message.model);
      return;
    case 'unchanged':
      view.showCurrent();
      return;
    case 'error':
      view.showError(message.message);
      return;
  }
});

vscode.postMessage({ type: 'ready', state: savedState });
