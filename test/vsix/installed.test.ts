// Smoke tests of the packaged extension as a user installs it: what the .vsix holds, that it
// activates from there, and that its commands, dashboard and command-line tool work.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'assay.assay';

function installed(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not installed`);
  return extension;
}

describe('the installed .vsix', () => {
  it('is the packaged copy in the extensions folder, holding bundles and no sources, maps, tests or node_modules', () => {
    const root = installed().extensionPath;
    assert.ok(!root.startsWith(path.resolve(__dirname, '..', '..', '..')), `loaded from the repository: ${root}`);
    const files = fs.readdirSync(root, { recursive: true }) as string[];
    // vsce names them readme.md, changelog.md and LICENSE.txt.
    for (const file of ['package.json', 'readme.md', 'license', 'changelog.md', 'dist/extension.js', 'dist/webview.js', 'dist/importWorker.js', 'dist/dashboardSource.js', 'dist/readWorker.js', 'dist/cli.js', 'dist/cliMain.js', 'dist/modelPrices.json']) {
      assert.ok(files.some((name) => name.toLowerCase().replace(/\.txt$/, '') === file.toLowerCase()), `${file} is missing`);
    }
    assert.deepEqual(files.filter((file) => /(^|\/)(src|test|node_modules)(\/|$)|\.map$|\.ts$/.test(file)), []);
  });

  it('activates and registers its commands', async () => {
    await installed().activate();
    assert.equal(installed().isActive, true);
    const commands = await vscode.commands.getCommands(true);
    for (const command of ['assay.openDashboard', 'assay.importNow', 'assay.showLedgerFolder']) {
      assert.ok(commands.includes(command), `${command} is not registered`);
    }
  });

  it('opens its dashboard', async () => {
    await vscode.commands.executeCommand('assay.openDashboard');
    const deadline = Date.now() + 10_000;
    const isDashboard = (tab: vscode.Tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('assay.dashboard');
    while (!vscode.window.tabGroups.all.some((group) => group.tabs.some(isDashboard)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.ok(vscode.window.tabGroups.all.some((group) => group.tabs.some(isDashboard)), 'no dashboard tab opened');
  });

  it('ships a command-line tool that runs from the installed folder, and prices with the snapshot it ships', () => {
    const cli = path.join(installed().extensionPath, 'dist', 'cli.js');
    assert.match(execFileSync(process.execPath, [cli, '--help'], { encoding: 'utf8' }), /Usage: assay report/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-vsix-cli-'));
    try {
      const projects = path.join(dir, 'claude', 'projects', 'p');
      fs.mkdirSync(projects, { recursive: true });
      const response = { id: 'msg_vsix', model: 'claude-sonnet-4-5', usage: { input_tokens: 100_000, output_tokens: 10_000 } };
      const line = { type: 'assistant', timestamp: new Date().toISOString(), sessionId: 's', requestId: 'r', message: response };
      fs.writeFileSync(path.join(projects, 'session.jsonl'), `${JSON.stringify(line)}\n`);
      const args = ['report', 'daily', '--json', '--no-discover', '--claude-config-dir', path.join(dir, 'claude'), '--storage', path.join(dir, 'storage')];
      const report = JSON.parse(execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8' })) as { totals: { usage: { costUSD: number | null } } };
      // Claude Sonnet 4.5 at its list prices in the bundled snapshot: $3 per million input tokens, $15 per million output.
      assert.ok(Math.abs((report.totals.usage.costUSD ?? 0) - 0.45) < 1e-9, `cost ${report.totals.usage.costUSD}, not 0.45`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
