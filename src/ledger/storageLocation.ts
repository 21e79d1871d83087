// Where the extension keeps its ledger when nobody says (`assay report` without --storage): its
// global storage folder, `<user data dir>/User/globalStorage/assay.assay`, for each editor that
// can run it. The first that exists wins; none existing is an error that lists every place looked
// (`assay team export`), or, for `assay report` and `assay import`, a ledger of the command's own in
// the platform's data folder (agent usage only: inline suggestions are seen by the editor).
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { SafeMessageError } from '../privacy/errors';
import { makePrivateDir } from '../privacy/privateFiles';

/** `<publisher>.<name>` from package.json, as VS Code names the extension's global storage folder. */
const EXTENSION_STORAGE_NAME = 'assay.assay';

/** Desktop editors by their user-data folder name, in the order they are tried. */
const EDITOR_FLAVOURS = ['Code', 'Code - Insiders', 'VSCodium', 'Cursor', 'Windsurf'] as const;

export interface StorageLocationEnvironment {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  homedir: string;
}

/** Its message names the folders looked in relative to `~`, so it shows no user name. */
export class StorageNotFoundError extends SafeMessageError {
  constructor(readonly candidates: readonly string[]) {
    super(
      `No Assay ledger found. Looked in:\n${candidates.map((candidate) => `  ${homeRelative(candidate)}`).join('\n')}\n` +
        'Run the extension once in one of these editors, or pass --storage <dir>.',
    );
    this.name = 'StorageNotFoundError';
  }
}

/** A folder as the user may be shown it: under the home folder written with `~`, so no user name. */
export function homeRelative(folder: string): string {
  const home = os.homedir();
  return folder.startsWith(home + path.sep) ? `~${folder.slice(home.length)}` : folder;
}

function currentEnvironment(): StorageLocationEnvironment {
  return { platform: process.platform, env: process.env, homedir: os.homedir() };
}

/**
 * The user-data folders of VS Code and its forks on this OS, most likely first: a portable
 * install, the desktop editors, code-server, and VS Code's remote server. Also where other
 * extensions' logs live (Copilot Chat, Cline), so the importers use the same list.
 */
export function editorUserDataDirs(environment: StorageLocationEnvironment = currentEnvironment()): string[] {
  const { platform, env, homedir } = environment;
  const paths = platform === 'win32' ? path.win32 : path.posix;
  const userDataDirs: string[] = [];
  // A portable install keeps its user data beside the binary and says where in this variable.
  if (env.VSCODE_PORTABLE) userDataDirs.push(paths.join(env.VSCODE_PORTABLE, 'user-data'));
  const appData =
    platform === 'win32'
      ? env.APPDATA || paths.join(homedir, 'AppData', 'Roaming')
      : platform === 'darwin'
        ? paths.join(homedir, 'Library', 'Application Support')
        : env.XDG_CONFIG_HOME || paths.join(homedir, '.config');
  for (const flavour of EDITOR_FLAVOURS) userDataDirs.push(paths.join(appData, flavour));
  if (platform !== 'win32') {
    userDataDirs.push(paths.join(env.XDG_DATA_HOME || paths.join(homedir, '.local', 'share'), 'code-server'));
    // VS Code's remote server keeps user data in the remote machine's home folder.
    userDataDirs.push(paths.join(homedir, '.vscode-server', 'data'));
  }
  return userDataDirs;
}

/** Every folder the extension's global storage can be in, most likely first. */
export function candidateStorageDirs(environment: StorageLocationEnvironment = currentEnvironment()): string[] {
  const paths = environment.platform === 'win32' ? path.win32 : path.posix;
  return editorUserDataDirs(environment).map((userData) => paths.join(userData, 'User', 'globalStorage', EXTENSION_STORAGE_NAME));
}

/** The first candidate folder that exists; throws StorageNotFoundError listing all of them otherwise. */
export async function findDefaultStorageDir(
  environment: StorageLocationEnvironment = currentEnvironment(),
  isDirectory: (candidate: string) => Promise<boolean> = directoryExists,
): Promise<string> {
  const candidates = candidateStorageDirs(environment);
  for (const candidate of candidates) {
    if (await isDirectory(candidate)) return candidate;
  }
  throw new StorageNotFoundError(candidates);
}

/**
 * The command line's own ledger, for machines without an editor ledger: `$XDG_DATA_HOME/assay`
 * (default `~/.local/share/assay`) on Linux and other Unixes, `~/Library/Application Support/Assay`
 * on macOS, `%APPDATA%\Assay` on Windows.
 */
export function ownLedgerDir(environment: StorageLocationEnvironment = currentEnvironment()): string {
  const { platform, env, homedir } = environment;
  if (platform === 'win32') return path.win32.join(env.APPDATA || path.win32.join(homedir, 'AppData', 'Roaming'), 'Assay');
  if (platform === 'darwin') return path.posix.join(homedir, 'Library', 'Application Support', 'Assay');
  // The XDG Base Directory spec says a relative XDG_DATA_HOME is to be ignored.
  const dataHome = env.XDG_DATA_HOME && path.posix.isAbsolute(env.XDG_DATA_HOME) ? env.XDG_DATA_HOME : path.posix.join(homedir, '.local', 'share');
  return path.posix.join(dataHome, 'assay');
}

/**
 * The first editor ledger that exists, else the command line's own ledger, created (owner-only)
 * when it does not exist yet.
 */
export async function findOrCreateStorageDir(
  environment: StorageLocationEnvironment = currentEnvironment(),
  isDirectory: (candidate: string) => Promise<boolean> = directoryExists,
): Promise<{ storageDir: string; created: boolean }> {
  for (const candidate of candidateStorageDirs(environment)) {
    if (await isDirectory(candidate)) return { storageDir: candidate, created: false };
  }
  const storageDir = ownLedgerDir(environment);
  if (await isDirectory(storageDir)) return { storageDir, created: false };
  await makePrivateDir(storageDir);
  return { storageDir, created: true };
}

export async function directoryExists(candidate: string): Promise<boolean> {
  try {
    return (await fs.stat(candidate)).isDirectory();
  } catch {
    return false;
  }
}

/** The importers' own files (state, emitted ids, the import lock) inside the storage folder. */
export function importerDir(storageDir: string): string {
  return path.join(storageDir, 'importers');
}
