// Every file Assay writes is readable by its owner only (files 0600, folders 0700): a ledger, an
// import state or a cache says when someone worked and with which tools, and a shared machine's
// other users have no business reading that. The mode is given when a file or folder is created;
// umask can only remove bits, never add them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';

export const PRIVATE_FILE_MODE = 0o600;
/** For files written to be shared (a team summary): readable by whoever may read the folder, as umask allows. */
export const SHARED_FILE_MODE = 0o644;
const PRIVATE_DIR_MODE = 0o700;

/**
 * Creates `directory` and any missing parents as 0700 folders, and makes `directory` itself 0700
 * if an older version created it readable by others. Only for Assay's own folders.
 */
export async function makePrivateDir(directory: string): Promise<void> {
  const created = await fs.promises.mkdir(directory, { recursive: true, mode: PRIVATE_DIR_MODE });
  await fs.promises.chmod(directory, PRIVATE_DIR_MODE).catch(ignoreUnsupportedMode);
  if (created !== undefined) for (const parent of parentsOfCreated(created, directory)) await syncDirectory(parent);
}

export function makePrivateDirSync(directory: string): void {
  const created = fs.mkdirSync(directory, { recursive: true, mode: PRIVATE_DIR_MODE });
  try {
    fs.chmodSync(directory, PRIVATE_DIR_MODE);
  } catch {
    ignoreUnsupportedMode();
  }
  if (created !== undefined) for (const parent of parentsOfCreated(created, directory)) syncDirectorySync(parent);
}

/**
 * The folders whose entries a recursive mkdir of `directory` changed, given the first folder it created: the parent of
 * each new folder. A new folder's name lives in its parent, so until that is synced a power loss can take the folder
 * with every file synced inside it (a day of ledger events, the import state).
 */
function parentsOfCreated(firstCreated: string, directory: string): string[] {
  const parents: string[] = [];
  const first = path.resolve(firstCreated);
  for (let folder = path.resolve(directory); ; folder = path.dirname(folder)) {
    parents.push(path.dirname(folder));
    if (folder === first || path.dirname(folder) === folder) return parents;
  }
}

/**
 * Tightening a mode is best effort: some file systems (FAT, some network shares) have no modes,
 * and a folder someone else owns cannot be changed. Neither is a reason to stop recording.
 */
export function ignoreUnsupportedMode(): void {}

/**
 * Writes `data` to `filePath` so that readers see the old or the new content, never a torn file,
 * and so that the new content survives a power loss once this resolves: the temporary file is
 * synced before the rename, and the folder after it (the rename itself lives in the folder).
 * Missing folders are created 0700; an existing folder keeps its mode, since it may be anyone's
 * (a team's shared folder, the folder of a report the user asked for).
 */
export async function writeFileAtomic(filePath: string, data: string | Buffer, mode = PRIVATE_FILE_MODE): Promise<void> {
  const directory = path.dirname(filePath);
  const created = await fs.promises.mkdir(directory, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created !== undefined) for (const parent of parentsOfCreated(created, directory)) await syncDirectory(parent);
  const temporary = `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await fs.promises.open(temporary, 'w', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(temporary, filePath);
  } catch (error) {
    await fs.promises.rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/**
 * The text of a state file Assay keeps, or undefined when there is none. Any other failure to read it (EBUSY while a
 * virus scanner or backup holds it, EMFILE, EIO) is thrown: taken for a missing file, the state would be saved back
 * empty over everything it held.
 */
export async function readFileIfExists(filePath: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(filePath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Codes with which a file system says it cannot sync a folder at all (some network shares; Windows, where a folder
 * cannot be opened for it): what was renamed or created there is as durable as that file system makes it. Any other
 * failure (EIO: the disk did not take it) is the failure of the write that needed the sync.
 */
const CANNOT_SYNC_FOLDER = new Set(['EISDIR', 'EINVAL', 'EPERM', 'EACCES', 'ENOTSUP', 'EOPNOTSUPP', 'EBADF']);

function cannotSyncFolder(error: unknown): boolean {
  return CANNOT_SYNC_FOLDER.has(String((error as NodeJS.ErrnoException | undefined)?.code));
}

/** Makes a rename or a new file in `directory` durable; throws when the sync fails other than as CANNOT_SYNC_FOLDER. */
export async function syncDirectory(directory: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(directory, 'r');
    await handle.sync();
  } catch (error) {
    if (!cannotSyncFolder(error)) throw error;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** syncDirectory for synchronous writers (a flush at deactivation). */
export function syncDirectorySync(directory: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(directory, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    if (!cannotSyncFolder(error)) throw error;
  } finally {
    try {
      if (fd !== undefined) fs.closeSync(fd);
    } catch {
      // The sync is done or has failed either way.
    }
  }
}
