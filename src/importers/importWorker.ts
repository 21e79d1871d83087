// Entry point of the import worker thread (bundled to dist/importWorker.js).
import { parentPort, workerData } from 'node:worker_threads';
import { compactLedger } from '../ledger/compaction';
import { loadConfiguredPricer } from '../pricing/configuredPricer';
import { describeError } from '../privacy/errors';
import { withCopilotOtelFile } from './discovery';
import { loadImportSecret } from './importSecret';
import { runImport } from './runImport';
import { ABORT_MESSAGE, ImportWorkerRequest, type ImportWorkerMessage } from './workerProtocol';

const PROGRESS_INTERVAL_MS = 250;

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('importWorker must run in a worker thread');
  const post = (message: ImportWorkerMessage) => port.postMessage(message);
  const controller = new AbortController();
  port.on('message', (message) => {
    if (message === ABORT_MESSAGE) controller.abort();
  });
  try {
    const request = ImportWorkerRequest.parse(workerData);
    const { pricer } = await loadConfiguredPricer(request.pricing);
    let lastProgressAt = 0;
    const summary = await runImport({
      storageDir: request.storageDir,
      secret: await loadImportSecret(request.storageDir),
      pricer,
      roots: request.roots,
      discover: request.discover,
      env: withCopilotOtelFile(process.env, request.copilotOtelFile),
      customStoragePaths: request.customStoragePaths,
      lockWaitMs: request.lockWaitMs,
      onLockWait: () => post({ type: 'waiting' }),
      signal: controller.signal,
      onProgress: (progress) => {
        const now = Date.now();
        if (now - lastProgressAt < PROGRESS_INTERVAL_MS && progress.filesDone < progress.filesTotal) return;
        lastProgressAt = now;
        post({ type: 'progress', ...progress });
      },
    });
    // Merging settled segments is upkeep: when it cannot run (locked, unwritable) the ledger is
    // as it was and the next import tries again.
    if (summary.status === 'done') await compactLedger(request.storageDir).catch(() => undefined);
    post({ type: 'done', summary });
  } catch (error) {
    post({ type: 'error', message: describeError(error) });
  }
}

void main();
