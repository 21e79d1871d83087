// Agent usage in the real extension host: "Assay: Import Agent Usage Now" reads a Claude Code log
// folder into the ledger and the open dashboard shows it; another process importing the same
// folder into the same ledger (a second window, or the CLI) adds nothing; new lines are read once.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { Dashboard } from '../../src/dashboard/panel';
import type { ViewModel } from '../../src/dashboard/protocol';
import type { ImportSummary } from '../../src/importers/runImport';
import { readLedger } from '../../src/ledger/reader';
import { Formatter } from '../../src/report/format';
import { startLockHolder } from '../unit/ledger/lockHolder';

interface ImportTestApi {
  storageDir: string;
  dashboard: Dashboard;
}

const DAY = '2026-11-20';

function claudeResponse(n: number): string {
  return JSON.stringify({
    type: 'assistant',
    timestamp: `${DAY}T10:0${n}:00.000Z`,
    sessionId: 'integration-session',
    requestId: `req_${n}`,
    isSidechain: false,
    cwd: '/home/someone/secret-project-x8',
    message: {
      id: `msg_${n}`,
      model: 'claude-sonnet-4-5-20250929',
      content: [{ type: 'text', text: 'PROMPT_SECRET_h4' }],
      usage: { input_tokens: 1_000, output_tokens: 100, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  });
}

async function usageRequests(storageDir: string): Promise<number> {
  const { events } = await readLedger(storageDir);
  return events.filter((event) => event.kind === 'usage' && event.source === 'claude-code').length;
}

function tokenSpendDetail(model: ViewModel | undefined): string {
  const detail = model?.cards.find((card) => card.id === 'token-spend')?.detail;
  return detail ? new Formatter('en-US').text(detail) : '';
}

describe('agent usage import', function () {
  this.timeout(120_000);
  let api: ImportTestApi;
  let configDir: string;
  let logFile: string;

  before(async () => {
    const extension = vscode.extensions.getExtension<ImportTestApi>('assay.assay');
    assert.ok(extension);
    api = await extension.activate();
    configDir = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-claude-config-'));
    const project = path.join(configDir, 'projects', '-home-someone-secret-project-x8');
    await fs.mkdir(project, { recursive: true });
    logFile = path.join(project, 'integration-session.jsonl');
    // Streaming writes a response twice; the second copy must not count.
    await fs.writeFile(logFile, [claudeResponse(1), claudeResponse(1), claudeResponse(2)].join('\n') + '\n');
    const assay = vscode.workspace.getConfiguration('assay');
    await assay.update('import.discover', false, vscode.ConfigurationTarget.Global);
    await assay.update('import.folders', { 'claude-code': [path.join(configDir, 'projects')] }, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    api?.dashboard.panel?.dispose();
    const assay = vscode.workspace.getConfiguration('assay');
    await assay.update('import.folders', undefined, vscode.ConfigurationTarget.Global);
  });

  it('imports a log folder on command and shows it in the dashboard', async () => {
    await vscode.commands.executeCommand('assay.openDashboard');
    const summary = await vscode.commands.executeCommand<ImportSummary | undefined>('assay.importNow');
    assert.equal(summary?.status, 'done');
    assert.equal(await usageRequests(api.storageDir), 2);
    const claude = summary?.sources.find((source) => source.source === 'claude-code');
    assert.equal(claude?.found, true);

    const panel = api.dashboard.panel;
    assert.ok(panel);
    const deadline = Date.now() + 30_000;
    while (!/2 agent responses/.test(tokenSpendDetail(panel.model)) && Date.now() < deadline) {
      await Promise.race([panel.nextModel(), new Promise((resolve) => setTimeout(resolve, 1_000))]);
    }
    assert.match(tokenSpendDetail(panel.model), /2 agent responses/);
    assert.ok(panel.model?.filterOptions.sources.includes('claude-code'));
    assert.ok(panel.model?.importSources.some((source) => source.source === 'claude-code' && source.found));
  });

  it('adds nothing when another process imports the same folder into the same ledger', async () => {
    const cli = path.join(vscode.extensions.getExtension('assay.assay')!.extensionPath, 'dist', 'cli.js');
    const args = [cli, 'report', 'daily', '--json', '--tz', 'UTC', '--storage', api.storageDir, '--claude-config-dir', configDir, '--no-discover'];
    const { stdout } = await promisify(execFile)(process.execPath, args, { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    const rows = (JSON.parse(stdout) as { rows: Array<{ kind: string; date: string; source?: string; requests?: number }> }).rows;
    const claudeRows = rows.filter((row) => row.kind === 'usage' && row.source === 'claude-code' && row.date === DAY);
    assert.equal(claudeRows.reduce((total, row) => total + (row.requests ?? 0), 0), 2);
    assert.equal(await usageRequests(api.storageDir), 2);
  });

  it('reads only what was appended since, once', async () => {
    await fs.appendFile(logFile, `${claudeResponse(3)}\n`);
    const first = await vscode.commands.executeCommand<ImportSummary | undefined>('assay.importNow');
    assert.equal(first?.events, 1);
    const second = await vscode.commands.executeCommand<ImportSummary | undefined>('assay.importNow');
    assert.equal(second?.events, 0);
    assert.equal(await usageRequests(api.storageDir), 3);
  });

  it('waits for an import another process is running, then imports what is new', async () => {
    await fs.appendFile(logFile, `${claudeResponse(4)}\n`);
    // Another window's import (or the CLI's), holding the lock for two seconds.
    await startLockHolder(api.storageDir, { releaseAfterMs: 2_000 });
    const started = Date.now();
    const summary = await vscode.commands.executeCommand<ImportSummary | undefined>('assay.importNow');
    assert.equal(summary?.status, 'done');
    assert.equal(summary?.events, 1);
    assert.ok(Date.now() - started >= 1_000, 'the import ran beside the one holding the lock');
    assert.equal(await usageRequests(api.storageDir), 4);
  });

  it('keeps the log folder, prompts and project names out of the ledger', async () => {
    const { events } = await readLedger(api.storageDir);
    const text = JSON.stringify(events);
    for (const secret of ['secret-project-x8', 'PROMPT_SECRET_h4', 'integration-session', 'msg_1', 'req_1', configDir]) {
      assert.equal(text.includes(secret), false, `"${secret}" reached the ledger`);
    }
  });
});
