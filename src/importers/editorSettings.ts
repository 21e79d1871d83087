// Settings of other extensions that say where their logs are, as the `assay` command finds them: the editor reads them
// through its configuration (settings/otherTools.ts); the command, which has no editor, reads each editor's user
// settings.json. Both must agree, or a run of one counts what a run of the other counts from another file: with Copilot
// Chat's OpenTelemetry file on in the editor only, a terminal's `assay report` took it for off and counted the same
// requests again from the session files. A workspace's own settings are the editor's alone: the command cannot know
// which workspace is meant.
import * as path from 'node:path';
import { parse } from 'jsonc-parser';
import { readRegularFile } from '../files/boundedRead';
import { editorUserDataDirs, type StorageLocationEnvironment } from '../ledger/storageLocation';
import { ToolFolderSetting } from '../settings/schema';

/** Far above any settings.json a person writes: a larger one is not read (it is another program's file, or hostile). */
const MAX_SETTINGS_BYTES = 1024 * 1024;

const OTEL_ENABLED = 'github.copilot.chat.otel.enabled';
const OTEL_FILE = 'github.copilot.chat.otel.outfile';

/**
 * Copilot Chat's OpenTelemetry file as a settings.json text (JSON with comments) turns it on, else null. Only the
 * file's own members count, as the editor reads them: a `__proto__` member is no setting.
 */
export function copilotOtelFileInSettings(text: string): string | null {
  let settings: unknown;
  try {
    settings = parse(text, [], { allowTrailingComma: true });
  } catch {
    // Nested deeper than the parser's recursion goes: no settings file of a person's, and no reason to stop a report.
    return null;
  }
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) return null;
  const own = (key: string): unknown => (Object.hasOwn(settings, key) ? (settings as Record<string, unknown>)[key] : undefined);
  const file = ToolFolderSetting.safeParse(own(OTEL_FILE));
  return own(OTEL_ENABLED) === true && file.success ? file.data : null;
}

/**
 * Copilot Chat's OpenTelemetry file for an import into the ledger in `storageDir`: as the user settings of the editor
 * whose ledger it is name it (that editor's own imports read the same settings, so the two count alike), else, for a
 * ledger of no editor, as the first editor whose user settings turn it on names it; null when off.
 */
export function copilotOtelFileOfEditors(environment: StorageLocationEnvironment, storageDir: string): string | null {
  const editors = editorUserDataDirs(environment);
  const owner = editors.find((dir) => isInside(storageDir, path.join(dir, 'User')));
  for (const dir of owner === undefined ? editors : [owner]) {
    let text: string | undefined;
    try {
      text = readRegularFile(path.join(dir, 'User', 'settings.json'), MAX_SETTINGS_BYTES)?.toString('utf8');
    } catch {
      continue;
    }
    const file = text === undefined ? null : copilotOtelFileInSettings(text);
    if (file) return file;
  }
  return null;
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}
