// Runs one import in a worker thread and reports progress; the caller never blocks on parsing.
import { Worker } from 'node:worker_threads';
import { SafeMessageError } from '../privacy/errors';
import type { ImportProgress, ImportSummary } from './runImport';
import { ABORT_MESSAGE, ImportWorkerMessage, type ImportWorkerRequest } from './workerProtocol';

export interface ImportInWorkerOptions {
  /** Path of the bundled worker script (dist/importWorker.js). */
  workerScript: string;
  request: ImportWorkerRequest;
  onProgress?: (progress: ImportProgress) => void;
  /** Called when the import waits for another one to finish. */
  onWaiting?: () => void;
  signal?: AbortSignal;
}

export function importInWorker(options: ImportInWorkerOptions): Promise<ImportSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(options.workerScript, { workerData: options.request });
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', abort);
      action();
      void worker.terminate();
    };
    const abort = () => worker.postMessage(ABORT_MESSAGE);
    options.signal?.addEventListener('abort', abort);
    worker.on('message', (raw) => {
      const parsed = ImportWorkerMessage.safeParse(raw);
      if (!parsed.success) return settle(() => reject(new SafeMessageError('the import worker sent a malformed message')));
      const message = parsed.data;
      if (message.type === 'progress') options.onProgress?.(message);
      else if (message.type === 'waiting') options.onWaiting?.();
      else if (message.type === 'done') settle(() => resolve(message.summary));
      else settle(() => reject(new SafeMessageError(message.message)));
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) => settle(() => reject(new SafeMessageError(`the import worker stopped early (exit code ${code})`))));
  });
}
