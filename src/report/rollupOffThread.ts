// The editor's way to load the daily rollup: incremental loads (what is new since the last load,
// milliseconds) run here; a full rebuild (first load after an upgrade, a compaction, a changed
// time zone: seconds on a year of heavy use) runs in a worker thread that saves the state file,
// which is then loaded here. The extension host's thread never does the rebuild itself unless the
// worker could not save (a read-only ledger), where there is no other way to get the rows.
import { Worker } from 'node:worker_threads';
import { loadDailyRollup, RebuildNeededError, type DailyRollupResult, type LoadDailyRollupOptions } from './rollupCache';
import type { RollupWorkerReply } from './rollupWorker';

export type RollupLoader = (storageDir: string, options: LoadDailyRollupOptions) => Promise<DailyRollupResult>;

/** A loader whose rebuilds run in `workerScript` (dist/rollupWorker.js). */
export function rollupLoaderOffThread(workerScript: string): RollupLoader {
  /** One rebuild at a time per folder and zone, shared by every load that needs it. */
  const rebuilding = new Map<string, Promise<RollupWorkerReply>>();
  const rebuildInWorker = (storageDir: string, timeZone: string): Promise<RollupWorkerReply> => {
    const key = `${storageDir}\n${timeZone}`;
    let pending = rebuilding.get(key);
    if (!pending) {
      pending = runWorker(workerScript, { storageDir, timeZone }).finally(() => rebuilding.delete(key));
      rebuilding.set(key, pending);
    }
    return pending;
  };

  return async (storageDir, options) => {
    try {
      return await loadDailyRollup(storageDir, { ...options, rebuild: false });
    } catch (error) {
      if (!(error instanceof RebuildNeededError)) throw error;
    }
    const reply = await rebuildInWorker(storageDir, options.timeZone);
    if (reply.saved) {
      try {
        return await loadDailyRollup(storageDir, { ...options, rebuild: false });
      } catch (error) {
        if (!(error instanceof RebuildNeededError)) throw error;
        // Changed again while the worker ran (a compaction): fall through rather than loop.
      }
    }
    return loadDailyRollup(storageDir, options);
  };
}

function runWorker(script: string, request: { storageDir: string; timeZone: string }): Promise<RollupWorkerReply> {
  return new Promise((resolve) => {
    const worker = new Worker(script, { workerData: request });
    let replied = false;
    worker.once('message', (reply: RollupWorkerReply) => {
      replied = true;
      resolve(reply);
    });
    worker.once('error', () => resolve({ saved: false }));
    worker.once('exit', () => {
      if (!replied) resolve({ saved: false });
    });
  });
}
