// The editor's way to load the daily rollup: incremental loads (what is new since the last load,
// milliseconds) run here; a full rebuild (first load after an upgrade, a compaction, a changed
// time zone: seconds on a year of heavy use) runs in a worker thread that saves the state file,
// which is then loaded here. The extension host's thread never does the rebuild itself unless the
// worker could not save (a read-only ledger), where there is no other way to get the rows.
import { Worker } from 'node:worker_threads';
import type { RecentRollup } from './recentRollup';
import { loadDailyRollup, RebuildNeededError, type DailyRollupResult, type LoadDailyRollupOptions } from './rollupCache';
import type { RollupWorkerReply, RollupWorkerRequest } from './rollupWorker';

interface RollupLoadOptions extends LoadDailyRollupOptions {
  /**
   * When the whole ledger must be rebuilt, first hands over the rows of local days `since` and later,
   * read from the few segments that can hold them (recentRollup.ts), so a caller can show them at once.
   */
  recentFirst?: { since: string; onRows(rows: RecentRollup): void };
}

export type RollupLoader = (storageDir: string, options: RollupLoadOptions) => Promise<DailyRollupResult>;

/** A loader whose rebuilds run in `workerScript` (dist/rollupWorker.js); `log` hears why a saved state was unusable. */
export function rollupLoaderOffThread(workerScript: string, log?: (message: string) => void): RollupLoader {
  /** One rebuild at a time per folder and zone, shared by every load that needs it. */
  const rebuilding = new Map<string, Promise<boolean>>();
  const rebuildInWorker = (request: RollupWorkerRequest, onRecent?: (rows: RecentRollup) => void): Promise<boolean> => {
    const key = `${request.storageDir}\n${request.timeZone}`;
    let pending = rebuilding.get(key);
    if (!pending) {
      pending = runWorker(workerScript, request, onRecent).finally(() => rebuilding.delete(key));
      rebuilding.set(key, pending);
    }
    return pending;
  };

  return async (storageDir, options) => {
    const { recentFirst, ...loadOptions } = options;
    try {
      return await loadDailyRollup(storageDir, { ...loadOptions, rebuild: false });
    } catch (error) {
      if (!(error instanceof RebuildNeededError)) throw error;
      if (error.unusableState) log?.(`Assay's saved daily rollup could not be used (${error.unusableState}); rebuilding it from the ledger.`);
    }
    const saved = await rebuildInWorker(
      { storageDir, timeZone: options.timeZone, ...(recentFirst ? { recentSince: recentFirst.since } : {}) },
      recentFirst?.onRows,
    );
    if (saved) {
      try {
        return await loadDailyRollup(storageDir, { ...loadOptions, rebuild: false });
      } catch (error) {
        if (!(error instanceof RebuildNeededError)) throw error;
        // Changed again while the worker ran (a compaction): fall through rather than loop.
      }
    }
    return loadDailyRollup(storageDir, loadOptions);
  };
}

/** Resolves with whether the worker saved the state file. */
function runWorker(script: string, request: RollupWorkerRequest, onRecent?: (rows: RecentRollup) => void): Promise<boolean> {
  return new Promise((resolve) => {
    const worker = new Worker(script, { workerData: request });
    worker.on('message', (reply: RollupWorkerReply) => {
      if (reply.type === 'recent') onRecent?.(reply.rows);
      else resolve(reply.saved);
    });
    worker.once('error', () => resolve(false));
    worker.once('exit', () => resolve(false));
  });
}
