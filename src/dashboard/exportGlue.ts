// "Export figures…" on the dashboard: asks where to save (never a fixed path), then writes the range's figures as
// CSV or JSON, chosen by the file's type. The figures come from financeExport.ts; this is only the editor's part.
import * as os from 'node:os';
import * as vscode from 'vscode';
import { describeError } from '../privacy/errors';
import { financeCsv, financeJson, type FinanceExport } from './financeExport';
import type { WebviewState } from './protocol';

export async function exportFigures(range: WebviewState['range'], load: (range: WebviewState['range']) => Promise<FinanceExport>): Promise<void> {
  const data = await load(range);
  // A bare file name would be a path at the root of the disk: the dialog opens in the first folder of the window.
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
  const target = await vscode.window.showSaveDialog({
    title: 'Export Assay figures',
    saveLabel: 'Export',
    defaultUri: vscode.Uri.joinPath(folder, `assay-figures-${data.from}-to-${data.to}.csv`),
    filters: { CSV: ['csv'], JSON: ['json'] },
  });
  if (!target) return;
  const asJson = target.path.toLowerCase().endsWith('.json');
  try {
    await vscode.workspace.fs.writeFile(target, Buffer.from(asJson ? financeJson(data) : financeCsv(data), 'utf8'));
  } catch (error) {
    void vscode.window.showErrorMessage(`Assay could not write the figures: ${describeError(error)}`);
    return;
  }
  void vscode.window.showInformationMessage(`Assay: ${data.rows.length} rows written.`);
}
