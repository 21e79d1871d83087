// Entry point of the rollup worker thread (bundled to dist/rollupWorker.js): rebuilds the daily
// rollup from every segment and saves its state file, so the extension host then loads that file
// in a fraction of the time instead of rebuilding on its own thread. Asked for recent days first,
// it sends their rows before it starts the rebuild, so the dashboard has figures within a second.
import { parentPort, workerData } from 'node:worker_threads';
import * as z from 'zod';
import { describeError } from '../privacy/errors';
import { loadDailyRollup } from './rollupCache';
import { loadRecentRollup, type RecentRollup } from './recentRollup';

export const RollupWorkerRequest = z.object({
  storageDir: z.string(),
  timeZone: z.string(),
  recentSince: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
});
export type RollupWorkerRequest = z.infer<typeof RollupWorkerRequest>;
export type RollupWorkerReply =
  | { type: 'recent'; rows: RecentRollup }
  | { type: 'done'; saved: true }
  | { type: 'done'; saved: false; error?: string };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('rollupWorker must run in a worker thread');
  const reply = (message: RollupWorkerReply) => port.postMessage(message);
  try {
    const { storageDir, timeZone, recentSince } = RollupWorkerRequest.parse(workerData);
    if (recentSince !== undefined) reply({ type: 'recent', rows: await loadRecentRollup(storageDir, timeZone, recentSince) });
    const loaded = await loadDailyRollup(storageDir, { timeZone });
    reply((await loaded.stats.cacheSaved) ? { type: 'done', saved: true } : { type: 'done', saved: false });
  } catch (error) {
    reply({ type: 'done', saved: false, error: describeError(error) });
  }
}

if (parentPort) void main();
