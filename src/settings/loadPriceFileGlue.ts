// Editor glue for "Assay: Load Price File…": the user picks a LiteLLM-format price file, it is
// checked before anything changes, and only a valid file becomes `assay.pricing.priceFile`.
import * as vscode from 'vscode';
import { updateSetting } from './settings';
import { readPriceFile } from '../pricing/configuredPricer';
import { unappliedTiersNotice } from '../pricing/priceData';

export async function pickAndLoadPriceFile(): Promise<void> {
  const picked = await vscode.window.showOpenDialog({
    title: 'Assay: choose a price file (LiteLLM model_prices_and_context_window.json format)',
    canSelectMany: false,
    filters: { 'Price data': ['json'] },
  });
  const file = picked?.[0];
  if (!file) return;
  const loaded = await readPriceFile(file.fsPath);
  if (!loaded.ok) {
    void vscode.window.showErrorMessage(`Assay did not use that price file: ${loaded.error}`);
    return;
  }
  await updateSetting('pricing.priceFile', file.fsPath);
  const tiers = unappliedTiersNotice(loaded.unappliedTiers);
  void vscode.window.showInformationMessage(
    `Assay now prices with ${loaded.data.size} models from that file, on top of the bundled prices.${tiers ? ` ${tiers}` : ''}`,
  );
}
