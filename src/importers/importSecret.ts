// The key for imported usage ids. It lives with the ledger, not in the editor's SecretStorage,
// because the extension's worker and the `assay` CLI both import into the same ledger and must
// derive the same id for the same response, or a response read by both would count twice. It
// keys ids of responses and sessions whose originals exist only in the tools' own logs.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { newInstallSecret } from '../privacy/opaqueId';
import { makePrivateDir, PRIVATE_FILE_MODE, syncDirectory } from '../privacy/privateFiles';

export async function loadImportSecret(storageDir: string): Promise<string> {
  const file = path.join(storageDir, 'importers', 'id-key');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await makePrivateDir(path.dirname(file));
  // Written whole under a temporary name, then linked into place: a process racing this one
  // either finds no key yet or the complete key, never an empty file. Synced before the link and
  // the folder after it: after a power loss the ledger and import state (synced) would otherwise
  // outlive an empty or missing key, and ids under a new key count their responses a second time.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    const handle = await fs.open(draft, 'w', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(newInstallSecret());
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.link(draft, file);
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(draft, { force: true });
  }
  await syncDirectory(path.dirname(file));
  return (await fs.readFile(file, 'utf8')).trim();
}
