// The key for imported usage ids. It lives with the ledger, not in the editor's SecretStorage,
// because the extension's worker and the `assay` CLI both import into the same ledger and must
// derive the same id for the same response, or a response read by both would count twice. It
// keys ids of responses and sessions whose originals exist only in the tools' own logs.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { newInstallSecret } from '../privacy/opaqueId';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../privacy/privateFiles';

export async function loadImportSecret(storageDir: string): Promise<string> {
  const file = path.join(storageDir, 'importers', 'id-key');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await makePrivateDir(path.dirname(file));
  // Written whole under a temporary name, then linked into place: a process racing this one
  // either finds no key yet or the complete key, never an empty file.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(draft, newInstallSecret(), { mode: PRIVATE_FILE_MODE });
  try {
    await fs.link(draft, file);
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(draft, { force: true });
  }
  return (await fs.readFile(file, 'utf8')).trim();
}
