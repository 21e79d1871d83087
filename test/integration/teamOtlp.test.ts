// The OpenTelemetry export in the real extension host: nothing is sent to an endpoint before its
// preview has been shown, then the request a loopback collector receives decodes with
// OpenTelemetry's own reader and carries no workspace name; a dead collector leaves the extension
// host free while the send gives up.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AssayApi } from '../../src/extension';
import { PREVIEW_SCHEME } from '../../src/export/previewDocument';
import { decodeMetricsRequest } from '../unit/export/otlpProto';
import { closedPortUrl, startReceiver, type Receiver } from '../unit/export/otlpReceiver';

const CANARY = 'CANARYotlph4';
const OTLP_SETTINGS = ['otlp.enabled', 'otlp.endpoint', 'otlp.teamId', 'otlp.intervalMinutes'];

async function assay(): Promise<AssayApi> {
  const extension = vscode.extensions.getExtension<AssayApi>('assay.assay');
  assert.ok(extension);
  return extension.activate();
}

async function setOtlpSettings(values: Record<string, unknown>): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('assay');
  for (const key of OTLP_SETTINGS) await configuration.update(key, values[key], vscode.ConfigurationTarget.Global);
}

describe('team metrics over OpenTelemetry in the editor', () => {
  let api: AssayApi;
  let receiver: Receiver | undefined;

  before(async () => {
    api = await assay();
    // Typing in a file whose folder, name and code must not reach the collector.
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), `${CANARY}-folder-`));
    const file = path.join(folder, `${CANARY}-file.py`);
    await fs.writeFile(file, `# ${CANARY}_code\n`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.commands.executeCommand('type', { text: `${CANARY}_typed = 1` });
    await api.flush();
  });

  afterEach(async () => {
    await receiver?.close();
    receiver = undefined;
  });

  after(async () => {
    await setOtlpSettings({});
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('sends nothing before the preview, then the day\'s metrics without any workspace name', async () => {
    receiver = await startReceiver();
    await setOtlpSettings({ 'otlp.enabled': true, 'otlp.endpoint': receiver.url, 'otlp.teamId': 'it-team', 'otlp.intervalMinutes': 5 });

    assert.equal(await api.otlpExport.send(), 'needs-preview');
    assert.equal(receiver.requests.length, 0, 'nothing sent before the preview');
    const preview = vscode.workspace.textDocuments.find((document) => document.uri.scheme === PREVIEW_SCHEME && document.uri.path.includes('OpenTelemetry'));
    assert.ok(preview, 'the preview was shown');
    assert.ok(!preview.getText().includes(CANARY));
    // Shown unasked, it promised sending from the next interval on: not at the next check, nor in another window.
    assert.equal(await api.otlpExport.send(), 'needs-preview');
    assert.equal(receiver.requests.length, 0, 'nothing sent before the interval the preview promised');

    // A preview the user asks for lets the export send at once.
    assert.ok(await vscode.commands.executeCommand<string | undefined>('assay.previewOtlpExport'));
    assert.equal(await api.otlpExport.send(), 'sent');
    assert.equal(receiver.requests.length, 1);
    const body = receiver.requests[0].body;
    assert.ok(!body.toString('latin1').includes(CANARY), 'no file or folder name or code in the request');
    const decoded = decodeMetricsRequest(body);
    assert.equal(decoded.resources[0].attributes['assay.team.id'], 'it-team');
    const typed = decoded.resources[0].scopes[0].metrics.find((metric) => metric.name === 'assay.inline.typed_chars');
    assert.ok(typed?.sum?.points.some((point) => point.attributes['assay.language'] === 'python' && point.value > 0), 'typing was sent');
  });

  it("a folder's own .vscode/settings.json can neither turn the exports on, point them elsewhere, change what they hold nor choose what is imported", async function () {
    this.timeout(30_000);
    await setOtlpSettings({});
    receiver = await startReceiver();
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(folder, 'the tests run in a folder');
    const settingsFile = path.join(folder, '.vscode', 'settings.json');
    await fs.mkdir(path.dirname(settingsFile), { recursive: true });
    // A cloned repository's settings: both exports on, to a collector and a folder of its choosing; what the exports
    // hold changed (prices, seats); the whole disk read as Claude Code logs, and a price file that never ends. The
    // what-if models, a setting a folder may change, show when the editor has read the file.
    const cloned = {
      'assay.otlp.enabled': true,
      'assay.otlp.endpoint': receiver.url,
      'assay.otlp.intervalMinutes': 5,
      'assay.team.exportFolder': path.join(folder, 'collected'),
      'assay.team.autoExport': true,
      'assay.pricing.overrides': { 'claude-sonnet-4-5': { inputPerMTok: 1000, outputPerMTok: 1000 } },
      'assay.pricing.priceFile': '/dev/zero',
      'assay.seats': [{ plan: 'copilot-enterprise', count: 50 }],
      'assay.import.enabled': true,
      'assay.import.discover': false,
      'assay.import.folders': { 'claude-code': ['/'] },
      'assay.pricing.whatIfModels': ['gpt-5-mini'],
    };
    await fs.writeFile(settingsFile, JSON.stringify(cloned));
    try {
      const configuration = () => vscode.workspace.getConfiguration('assay');
      for (const started = Date.now(); configuration().get<string[]>('pricing.whatIfModels')?.[0] !== 'gpt-5-mini'; ) {
        assert.ok(Date.now() - started < 20_000, 'the folder settings were read');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Each of these settings has the user's value (none here for OpenTelemetry), never the folder's.
      for (const key of Object.keys(cloned).filter((name) => name !== 'assay.pricing.whatIfModels')) {
        const setting = configuration().inspect(key.slice('assay.'.length));
        assert.equal(setting?.workspaceValue, undefined, key);
        assert.deepEqual(configuration().get(key.slice('assay.'.length)), setting?.globalValue ?? setting?.defaultValue, key);
      }
      assert.equal(await api.otlpExport.send(), 'off');
      assert.equal(receiver.requests.length, 0);
    } finally {
      await fs.rm(path.dirname(settingsFile), { recursive: true, force: true });
    }
  });

  it('a dead collector leaves the extension host free, and the send gives up without throwing', async function () {
    this.timeout(60_000);
    const url = await closedPortUrl();
    await setOtlpSettings({ 'otlp.enabled': true, 'otlp.endpoint': url, 'otlp.teamId': 'it-team', 'otlp.intervalMinutes': 5 });
    assert.ok(await vscode.commands.executeCommand<string | undefined>('assay.previewOtlpExport'), 'preview shown');

    let settled = false;
    const sending = api.otlpExport.send().finally(() => (settled = true));
    // The extension host keeps answering while the send waits for the collector.
    assert.ok(await vscode.commands.executeCommand<string | undefined>('assay.previewOtlpExport'));
    assert.equal(settled, false, 'the send was still waiting when the command above finished');
    assert.equal(await sending, 'failed');
  });
});
