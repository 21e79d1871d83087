// Another process (another window's import, or the CLI's) holding the import lock of a storage folder, for the lock's
// own tests, the CLI's and the editor's.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';

const LOCK_MODULE = path.join(__dirname, '..', '..', '..', 'src', 'ledger', 'importLock.js');

export interface LockHolderOptions {
  /** Its heartbeat interval (the lock's default when absent). */
  heartbeatMs?: number;
  /** Releases the lock this long after taking it; holds it until killed when absent. */
  releaseAfterMs?: number;
}

/** Starts the holder; resolves once it holds the lock. The caller kills it when done. */
export async function startLockHolder(storageDir: string, options: LockHolderOptions = {}): Promise<ChildProcess> {
  const lockOptions = options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs };
  const script = `
    const { acquireImportLock } = require(${JSON.stringify(LOCK_MODULE)});
    acquireImportLock(${JSON.stringify(storageDir)}, ${JSON.stringify(lockOptions)}).then((release) => {
      process.stdout.write(release ? 'held\\n' : 'busy\\n');
      ${options.releaseAfterMs === undefined ? 'setInterval(() => undefined, 1000);' : `setTimeout(() => void release?.(), ${options.releaseAfterMs});`}
    });`;
  // Also from an editor's extension host, whose executable may be Electron's.
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const first = await new Promise<string>((resolve, reject) => {
    child.stdout?.once('data', (data: Buffer) => resolve(data.toString().trim()));
    child.once('exit', () => reject(new Error('the lock holder exited')));
  });
  assert.equal(first, 'held');
  return child;
}
