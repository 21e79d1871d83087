// "Export figures…" on the dashboard: asks where to save (never a fixed path), then writes the range's figures as
// CSV or JSON, chosen by the file's type. The figures come from financeExport.ts; this is only the editor's part.
import * as vscode from 'vscode';
import { financeCsv, financeJson, type FinanceExport } from './financeExport';
import type { WebviewState } from './protocol';

export async function exportFigures(range: WebviewState['range'], load: (range: WebviewState['range']) => Promise<FinanceExport>): Promise<void> {
  const data = await load(range);
  const target = await vscode.window.showSaveDialog({
    title: 'Export Assay figures',
    saveLabel: 'Export',
    defaultUri: vscode.Uri.file(`assay-figures-${data.from}-to-${data.to}.csv`),
    filters: { CSV: ['csv'], JSON: ['json'] },
  });
  if (!target) return;
  const asJson = target.path.toLowerCase().endsWith('.json');
  await vscode.workspace.fs.writeFile(target, Buffer.from(asJson ? financeJson(data) : financeCsv(data), 'utf8'));
  void vscode.window.showInformationMessage(`Assay: ${data.rows.length} rows written.`);
}
