// The dashboard in the real extension host: `assay.openDashboard` opens one panel, the panel's
// host side answers the webview with a view model of the ledger, and new ledger events reach an
// open panel without reopening it. (Drawing, CSP and restore after reload are checked in a real
// browser by test/e2e/dashboard.e2e.test.ts.)
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Dashboard } from '../../src/dashboard/panel';
import type { ViewModel } from '../../src/dashboard/protocol';
import { LEDGER_SCHEMA_VERSION, type AcceptEvent } from '../../src/ledger/events';
import { LedgerWriter } from '../../src/ledger/writer';

const EXTENSION_ID = 'assay.assay';

/** What the dashboard tests need from the extension's exported API. */
interface DashboardTestApi {
  storageDir: string;
  dashboard: Dashboard;
}

let acceptIds = 0;

function accept(languageId: string): AcceptEvent {
  return {
    v: LEDGER_SCHEMA_VERSION,
    t: Date.now() - 1_000,
    kind: 'accept',
    id: (++acceptIds).toString(16).padStart(16, '0'),
    mode: 'full',
    chars: 40,
    lines: 2,
    languageId,
    provider: 'copilot',
    workspace: 'integration',
  };
}

/** Writes events as another window would: its own writer, its own segment. */
async function writeEvents(storageDir: string, events: AcceptEvent[]): Promise<void> {
  const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
  for (const event of events) writer.append(event);
  await writer.dispose();
}

function acceptedCard(model: ViewModel): number | null {
  return model.cards.find((card) => card.id === 'accepted')?.value ?? null;
}

async function modelWhere(dashboard: Dashboard, test: (model: ViewModel) => boolean, timeoutMs: number): Promise<ViewModel> {
  const panel = dashboard.panel;
  assert.ok(panel, 'no dashboard panel');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const current = panel.model;
    if (current && test(current)) return current;
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new Error(`no matching view model within ${timeoutMs} ms; last: ${JSON.stringify(current?.cards)}`);
    await Promise.race([panel.nextModel(), new Promise((resolve) => setTimeout(resolve, Math.min(remaining, 1_000)))]);
  }
}

describe('dashboard', () => {
  let api: DashboardTestApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<DashboardTestApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is not installed`);
    api = await extension.activate();
    assert.ok(api.dashboard, 'the extension API exposes no dashboard');
    await writeEvents(api.storageDir, [accept('python'), accept('python'), accept('rust')]);
  });

  after(() => api?.dashboard.panel?.dispose());

  it('opens from its command and receives figures of the ledger', async () => {
    await vscode.commands.executeCommand('assay.openDashboard');
    const model = await modelWhere(api.dashboard, (m) => (acceptedCard(m) ?? 0) >= 3, 20_000);
    assert.ok(model.filterOptions.languages.includes('python'));
    assert.ok(model.filterOptions.languages.includes('rust'));
    assert.equal(api.dashboard.panel?.panel.viewType, 'assay.dashboard');
  });

  it('reveals the same panel when opened again', async () => {
    const first = api.dashboard.panel;
    await vscode.commands.executeCommand('assay.openDashboard');
    assert.equal(api.dashboard.panel, first);
  });

  it('brings new events to the open panel on its own', async function () {
    // Another window's events arrive by the periodic refresh (30 s) at the latest.
    this.timeout(60_000);
    const before = acceptedCard(api.dashboard.panel?.model ?? ({ cards: [] } as unknown as ViewModel)) ?? 0;
    await writeEvents(api.storageDir, [accept('go')]);
    const model = await modelWhere(api.dashboard, (m) => (acceptedCard(m) ?? 0) > before, 45_000);
    assert.ok(model.filterOptions.languages.includes('go'));
  });
});
