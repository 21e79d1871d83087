// The key for imported usage ids. It lives with the ledger, not in the editor's SecretStorage,
// because the extension's worker and the `assay` CLI both import into the same ledger and must
// derive the same id for the same response, or a response read by both would count twice. It
// keys ids of responses and sessions whose originals exist only in the tools' own logs.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { newInstallSecret } from '../privacy/opaqueId';

export async function loadImportSecret(storageDir: string): Promise<string> {
  const file = path.join(storageDir, 'importers', 'id-key');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    await fs.writeFile(file, newInstallSecret(), { flag: 'wx', mode: 0o600 });
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return (await fs.readFile(file, 'utf8')).trim();
}
