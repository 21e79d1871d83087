// Settings of other extensions that say where their logs are: read (never changed) here, next to
// Assay's own, and validated like them, since another extension's setting is input too.
import * as vscode from 'vscode';
import { ToolFolderSetting } from './schema';

/**
 * Copilot Chat's OpenTelemetry file, when its file exporter is on (`github.copilot.chat.otel.{enabled,outfile}`). The
 * `assay` command reads the same settings from the editors' settings.json (importers/editorSettings.ts).
 */
export function copilotOtelFileSetting(): string | null {
  const otel = vscode.workspace.getConfiguration('github.copilot.chat.otel');
  const file = ToolFolderSetting.safeParse(otel.get<unknown>('outfile'));
  return otel.get<unknown>('enabled') === true && file.success ? file.data : null;
}

/** Roo Code's and Kilo Code's `customStoragePath` settings. */
export function customStoragePathSettings(): Partial<Record<'roo-code' | 'kilo-code', string>> {
  const paths: Partial<Record<'roo-code' | 'kilo-code', string>> = {};
  for (const [source, section] of [['roo-code', 'roo-cline'], ['kilo-code', 'kilo-code']] as const) {
    const folder = ToolFolderSetting.safeParse(vscode.workspace.getConfiguration(section).get<unknown>('customStoragePath'));
    if (folder.success) paths[source] = folder.data;
  }
  return paths;
}
