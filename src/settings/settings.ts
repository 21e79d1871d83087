// The one place that reads `assay.*` settings from the editor; values are validated by ./schema.
import * as vscode from 'vscode';
import { parseSettings, SETTING_KEYS, type Settings } from './schema';

export const SETTINGS_SECTION = 'assay';

export function readSettings(): Settings {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = configuration.get(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseSettings(raw);
}

/** Calls `listener` with fresh settings whenever an `assay.*` setting changes. */
export function onDidChangeSettings(listener: (settings: Settings) => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((event) => {
    if (event.affectsConfiguration(SETTINGS_SECTION)) listener(readSettings());
  });
}
