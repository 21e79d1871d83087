// Smoke tests of the packaged extension as a user installs it: what the .vsix holds, that it
// activates from there, and that its commands, dashboard and command-line tool work.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
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
    for (const file of ['package.json', 'readme.md', 'license', 'changelog.md', 'dist/extension.js', 'dist/webview.js', 'dist/importWorker.js', 'dist/dashboardSource.js', 'dist/readWorker.js', 'dist/cli.js', 'dist/cliMain.js']) {
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

  it('ships a command-line tool that runs from the installed folder', () => {
    const help = execFileSync(process.execPath, [path.join(installed().extensionPath, 'dist', 'cli.js'), '--help'], { encoding: 'utf8' });
    assert.match(help, /Usage: assay report/);
  });
});
