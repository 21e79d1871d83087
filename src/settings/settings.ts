// The one place that reads and writes `assay.*` settings in the editor; values are validated by
// ./schema, and the user hears once per window about each value that was not used as given.
import * as vscode from 'vscode';
import {
  changedSettings,
  checkSettings,
  ReplacementNotices,
  SETTING_KEYS,
  SETTINGS_APPLIED_ON_RELOAD,
  type SettingKey,
  type Settings,
} from './schema';

const SETTINGS_SECTION = 'assay';

function readRawSettings(): Record<string, unknown> {
  const configuration = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_KEYS) {
    const value = configuration.get(key);
    if (value !== undefined) raw[key] = value;
  }
  return raw;
}

/** Writes one setting for the user (all windows). */
export async function updateSetting<Key extends SettingKey>(key: Key, value: Settings[Key]): Promise<void> {
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update(key, value, vscode.ConfigurationTarget.Global);
}

/**
 * The window's settings: read and checked at start and on every change; a replaced value is
 * shown once per setting, and a change to a setting that only applies at start offers a reload.
 */
export class SettingsSource {
  private readonly notices = new ReplacementNotices();
  /** What the capture engine and the ledger writer were built with. */
  private readonly atStart: Settings;
  private current: Settings;

  constructor() {
    this.atStart = this.read();
    this.current = this.atStart;
  }

  get settings(): Settings {
    return this.current;
  }

  /** Calls `listener` with fresh settings whenever an `assay.*` setting changes. */
  onDidChange(listener: (settings: Settings) => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((event) => {
      if (!event.affectsConfiguration(SETTINGS_SECTION)) return;
      const next = this.read();
      // Offered when such a setting changes, unless it went back to what this window runs with.
      const needReload = changedSettings(this.current, next, changedSettings(this.atStart, next, SETTINGS_APPLIED_ON_RELOAD));
      this.current = next;
      if (needReload.length > 0) void offerReload(needReload);
      listener(next);
    });
  }

  private read(): Settings {
    const { settings, replacements } = checkSettings(readRawSettings());
    for (const replacement of this.notices.untold(replacements)) {
      void vscode.window.showWarningMessage(`Assay: ${replacement.message}`);
    }
    return settings;
  }
}

const RELOAD = 'Reload Window';

async function offerReload(keys: readonly SettingKey[]): Promise<void> {
  const names = keys.map((key) => `assay.${key}`).join(', ');
  const choice = await vscode.window.showInformationMessage(`Assay applies ${names} after a window reload.`, RELOAD);
  if (choice === RELOAD) await vscode.commands.executeCommand('workbench.action.reloadWindow');
}
