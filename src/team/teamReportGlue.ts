// **Assay: Open Team Report**: merges the summaries in the team folder (the export folder setting,
// else one the user picks) and shows the same self-contained report a manager gets from
// `assay team report --html`, in a webview with scripts and nothing else: no local resources, no
// messages, the report's own CSP (scripts and styles allowed by hash only). That policy needs no
// nonce here: VS Code prepends its default styles and API script to the head, ahead of the CSP meta
// tag, so the policy never applies to them (test/e2e/teamReport.e2e.test.ts sees no violation).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../privacy/errors';
import type { Settings } from '../settings/schema';
import type * as ReportModule from './reportForEditor';

const TEAM_REPORT_VIEW_TYPE = 'assay.teamReport';

export interface TeamReportGlueDeps {
  extensionPath: string;
  getSettings(): Settings;
  log(message: string): void;
}

export class TeamReportGlue implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;

  constructor(private readonly deps: TeamReportGlueDeps) {}

  async open(): Promise<void> {
    const folder = await this.folder();
    if (!folder) return;
    try {
      const report = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Assay: merging team summaries…' },
        () => this.module().teamReportForFolder(folder),
      );
      this.show(report.html);
      if (report.skipped.length > 0) {
        this.deps.log(`Team report: skipped ${report.skipped.map((file) => `${file.name} (${file.reason})`).join(', ')}`);
        void vscode.window.showWarningMessage(`Assay skipped ${report.skipped.length} summary file(s) that are not valid; the Assay output channel lists them.`);
      }
    } catch (error) {
      void vscode.window.showErrorMessage(`Assay could not make the team report (${describeError(error)}).`);
    }
  }

  dispose(): void {
    this.panel?.dispose();
  }

  private async folder(): Promise<string | undefined> {
    const configured = this.deps.getSettings()['team.exportFolder'];
    if (configured) return configured;
    const picked = await vscode.window.showOpenDialog({
      canSelectFolders: true,
      canSelectFiles: false,
      canSelectMany: false,
      openLabel: 'Merge summaries in this folder',
      title: 'Assay: folder of team summaries',
    });
    return picked?.[0]?.fsPath;
  }

  private show(html: string): void {
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(TEAM_REPORT_VIEW_TYPE, 'Assay Team Report', vscode.ViewColumn.Active, {
        enableScripts: true,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => (this.panel = undefined));
    }
    this.panel.webview.html = html;
    this.panel.reveal();
  }

  private module(): typeof ReportModule {
    // A separate bundle required on first use: Chart.js and the merge stay out of the extension bundle.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(this.deps.extensionPath, 'dist', 'teamReport.js')) as typeof ReportModule;
  }
}
