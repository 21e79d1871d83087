// A file the user asked the command to write (`--csv`, `--html`): into a folder that exists, or not at all. A mistyped
// folder would otherwise be created, owner-only, and the command say nothing of where the file went.
import * as path from 'node:path';
import { directoryExists } from '../ledger/storageLocation';
import { describeError, SafeMessageError } from '../privacy/errors';
import { writeFileAtomic } from '../privacy/privateFiles';

export async function writeOutputFile(flag: string, target: string, data: string): Promise<void> {
  const file = path.resolve(target);
  if (!(await directoryExists(path.dirname(file)))) throw new SafeMessageError(`${flag}: no such folder`);
  try {
    await writeFileAtomic(file, data);
  } catch (error) {
    throw new SafeMessageError(`${flag}: could not write the file (${describeError(error)})`);
  }
}
