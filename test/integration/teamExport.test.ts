// Team summaries in the real extension host: Preview shows the exact bytes in a read-only
// document, with nothing of the workspace (file and folder names, code) in them; Export writes
// exactly those bytes into the team folder; the daily export writes nothing before its folder's
// preview has been shown.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AssayApi } from '../../src/extension';
import { PREVIEW_SCHEME } from '../../src/export/previewDocument';
import { LEDGER_SCHEMA_VERSION, type LedgerEvent } from '../../src/ledger/events';
import { LedgerWriter } from '../../src/ledger/writer';

const CANARY = 'CANARYteamh4';
const SECRET_FOLDER = `${CANARY}-folder`;
const SECRET_FILE = `${CANARY}-file.ts`;
const SECRET_CODE = `${CANARY}_code`;
const TEAM_SETTINGS = ['team.exportFolder', 'team.keyFile', 'team.autoExport'];

async function assay(): Promise<AssayApi> {
  const extension = vscode.extensions.getExtension<AssayApi>('assay.assay');
  assert.ok(extension);
  return extension.activate();
}

async function setTeamSettings(values: Record<string, unknown>): Promise<void> {
  const configuration = vscode.workspace.getConfiguration('assay');
  for (const key of TEAM_SETTINGS) await configuration.update(key, values[key], vscode.ConfigurationTarget.Global);
}

/** Usage and inline events whose private-looking fields carry the canary, as another window or an importer could write them. */
function canaryEvents(): LedgerEvent[] {
  const t = Date.now() - 60_000;
  return [
    {
      v: LEDGER_SCHEMA_VERSION,
      t,
      kind: 'usage',
      id: `${CANARY}-usage-1`,
      source: 'claude-code',
      model: 'claude-sonnet-4-5',
      inputTokens: 1_200,
      outputTokens: 300,
      reasoningTokens: 0,
      cacheReadTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      tokensKnown: true,
      reportedCostUSD: null,
      session: `${CANARY}-session`,
      project: `${CANARY}-project`,
    },
    {
      v: LEDGER_SCHEMA_VERSION,
      t,
      kind: 'usage',
      id: `${CANARY}-usage-2`,
      source: 'codex',
      model: `${CANARY}-model`,
      inputTokens: 10,
      outputTokens: 5,
      reasoningTokens: 0,
      cacheReadTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      tokensKnown: true,
      reportedCostUSD: null,
      session: 'session',
      project: 'project',
    },
  ] as LedgerEvent[];
}

async function writeEvents(storageDir: string, events: LedgerEvent[]): Promise<void> {
  const writer = new LedgerWriter({ storageDir, flushIntervalMs: 60_000 });
  for (const event of events) writer.append(event);
  await writer.dispose();
}

function previewDocuments(): vscode.TextDocument[] {
  return vscode.workspace.textDocuments.filter((document) => document.uri.scheme === PREVIEW_SCHEME && document.uri.path.includes('Team Summary'));
}

describe('team summaries in the editor', () => {
  let api: AssayApi;
  let scratch: string;

  before(async () => {
    api = await assay();
    scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-team-it-'));
    // A workspace file whose folder, name and code must not reach a summary.
    const secretFolder = path.join(scratch, SECRET_FOLDER);
    await fs.mkdir(secretFolder);
    const file = path.join(secretFolder, SECRET_FILE);
    await fs.writeFile(file, `// ${SECRET_CODE}\n`);
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    editor.selection = new vscode.Selection(1, 0, 1, 0);
    await vscode.commands.executeCommand('type', { text: `const ${SECRET_CODE}_2 = 1;` });
    await writeEvents(api.storageDir, canaryEvents());
    await api.flush();
  });

  after(async () => {
    await setTeamSettings({});
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('the daily export writes nothing to a folder whose preview was not shown, shows the preview instead, and writes only once the user saw it or the hour it promised passed', async () => {
    const folder = await fs.mkdtemp(path.join(scratch, 'auto-'));
    const keyFile = path.join(scratch, 'auto.key');
    await fs.writeFile(keyFile, 'team key for the daily export test\n');
    const previewsBefore = previewDocuments().length;
    await setTeamSettings({ 'team.exportFolder': folder, 'team.keyFile': keyFile, 'team.autoExport': true });

    assert.equal(await api.teamExport.autoExport(), 'needs-preview');
    assert.deepEqual(await fs.readdir(folder), [], 'nothing written before the preview');
    assert.equal(previewDocuments().length, previewsBefore + 1, 'the preview was shown');

    // Shown unasked, it promised writing from the next check on (within the hour): not at once, nor in another window.
    assert.equal(await api.teamExport.autoExport(), 'needs-preview');
    assert.deepEqual(await fs.readdir(folder), [], 'nothing written before the check the preview promised');

    // A preview the user asks for lets the next check write: this call, or the hourly check if it came first.
    assert.ok(await vscode.commands.executeCommand<string | undefined>('assay.previewTeamSummary'));
    assert.ok(['written', 'already-today'].includes(await api.teamExport.autoExport()));
    const files = await fs.readdir(folder);
    assert.equal(files.length, 1);
    assert.match(files[0], /^assay-team-[0-9a-f]{16}-\d{4}-\d{2}-\d{2}_\d{4}-\d{2}-\d{2}\.ndjson$/);
    assert.equal(await api.teamExport.autoExport(), 'already-today');
  });

  it('the daily export stays off while its setting is off', async () => {
    const folder = await fs.mkdtemp(path.join(scratch, 'off-'));
    await setTeamSettings({ 'team.exportFolder': folder, 'team.autoExport': false });
    assert.equal(await api.teamExport.autoExport(), 'off');
    assert.deepEqual(await fs.readdir(folder), []);
  });

  it('Preview shows the exact bytes with nothing of the workspace, and Export writes exactly those bytes', async () => {
    const folder = await fs.mkdtemp(path.join(scratch, 'team-'));
    const keyFile = path.join(scratch, 'team.key');
    await fs.writeFile(keyFile, 'our team key\n');
    await setTeamSettings({ 'team.exportFolder': folder, 'team.keyFile': keyFile });

    const bytes = await vscode.commands.executeCommand<string | undefined>('assay.previewTeamSummary');
    assert.ok(bytes, 'the preview command produced a summary');
    const shown = vscode.window.activeTextEditor?.document;
    assert.equal(shown?.uri.scheme, PREVIEW_SCHEME, 'the preview is a read-only virtual document');
    assert.equal(shown?.getText(), bytes, 'the preview shows the exact bytes');
    assert.ok(!bytes.includes(CANARY), 'no file or folder name, code, session, project or raw model in the summary');
    assert.ok(!bytes.includes(scratch), 'no path in the summary');
    const lines = bytes.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.equal(lines[0].kind, 'export');
    assert.ok(lines.some((line) => line.kind === 'usage' && line.model === 'claude-sonnet-4-5'), 'the ledger usage is in it');
    assert.ok(lines.some((line) => line.kind === 'usage' && line.model === 'other'), 'an unknown model is counted as other');

    // Usage that arrives after the preview waits for the next export: Export writes what was shown.
    await writeEvents(api.storageDir, [{ ...canaryEvents()[0], id: `${CANARY}-usage-late`, model: 'gpt-5', source: 'codex' } as LedgerEvent]);
    const written = await vscode.commands.executeCommand<string | undefined>('assay.exportTeamSummary');
    assert.ok(written, 'the export command wrote a file');
    assert.equal(path.dirname(written), folder);
    assert.equal(await fs.readFile(written, 'utf8'), bytes, 'the file holds exactly the previewed bytes');
    assert.deepEqual(await fs.readdir(folder), [path.basename(written)], 'one file, no temporary left behind');
  });
});
