// Entry point of the rollup worker thread (bundled to dist/rollupWorker.js): rebuilds the daily
// rollup from every segment and saves its state file, so the extension host then loads that file
// in a fraction of the time instead of rebuilding on its own thread.
import { parentPort, workerData } from 'node:worker_threads';
import * as z from 'zod';
import { describeError } from '../privacy/errors';
import { loadDailyRollup } from './rollupCache';

export const RollupWorkerRequest = z.object({ storageDir: z.string(), timeZone: z.string() });
export type RollupWorkerReply = { saved: true } | { saved: false; error?: string };

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('rollupWorker must run in a worker thread');
  let reply: RollupWorkerReply;
  try {
    const { storageDir, timeZone } = RollupWorkerRequest.parse(workerData);
    const loaded = await loadDailyRollup(storageDir, { timeZone });
    reply = (await loaded.stats.cacheSaved) ? { saved: true } : { saved: false };
  } catch (error) {
    reply = { saved: false, error: describeError(error) };
  }
  port.postMessage(reply);
}

if (parentPort) void main();
