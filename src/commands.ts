// Every command Assay contributes, in one table. package.json `contributes.commands` must list
// the same ids; an integration test checks that each one is registered.
import * as vscode from 'vscode';

export interface CommandHandlers {
  openDashboard(): unknown;
  importNow(): unknown;
  loadPriceFile(): unknown;
  showLedgerFolder(): unknown;
  acceptInlineSuggestion(): unknown;
  acceptNextWord(): unknown;
  acceptNextLine(): unknown;
  previewTeamSummary(): unknown;
  exportTeamSummary(): unknown;
  openTeamReport(): unknown;
  previewOtlpExport(): unknown;
  setOtlpHeaders(): unknown;
}

const COMMAND_IDS: Record<keyof CommandHandlers, string> = {
  openDashboard: 'assay.openDashboard',
  importNow: 'assay.importNow',
  loadPriceFile: 'assay.loadPriceFile',
  showLedgerFolder: 'assay.showLedgerFolder',
  acceptInlineSuggestion: 'assay.acceptInlineSuggestion',
  acceptNextWord: 'assay.acceptNextWord',
  acceptNextLine: 'assay.acceptNextLine',
  previewTeamSummary: 'assay.previewTeamSummary',
  exportTeamSummary: 'assay.exportTeamSummary',
  openTeamReport: 'assay.openTeamReport',
  previewOtlpExport: 'assay.previewOtlpExport',
  setOtlpHeaders: 'assay.setOtlpHeaders',
};

export const OPEN_DASHBOARD_COMMAND = COMMAND_IDS.openDashboard;

export function registerCommands(handlers: CommandHandlers): vscode.Disposable[] {
  return (Object.keys(COMMAND_IDS) as (keyof CommandHandlers)[]).map((name) =>
    vscode.commands.registerCommand(COMMAND_IDS[name], () => handlers[name]()),
  );
}
