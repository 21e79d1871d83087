// Messages between the extension host and the import worker thread. Imports parse hundreds of
// megabytes; a worker keeps that off the extension host's event loop, where every extension's
// typing handlers run.
import * as z from 'zod';
import { UsageSource } from '../ledger/events';
import { PriceOverridesSchema } from '../pricing/overrides';
import { RejectReason } from './usageBounds';

export const ImportWorkerRequest = z.object({
  storageDir: z.string().min(1),
  roots: z.partialRecord(UsageSource, z.array(z.string())),
  discover: z.boolean(),
  /** Copilot Chat's OpenTelemetry output file, when the user turned it on in Copilot's settings. */
  copilotOtelFile: z.string().nullable(),
  /** Roo Code's and Kilo Code's `customStoragePath` settings (their tasks' folder), when set. */
  customStoragePaths: z.partialRecord(z.enum(['roo-code', 'kilo-code']), z.string().max(4096)),
  pricing: z.object({ overrides: PriceOverridesSchema, priceFile: z.string() }),
  lockWaitMs: z.number().int().nonnegative(),
});
export type ImportWorkerRequest = z.infer<typeof ImportWorkerRequest>;

const SourceSummary = z.object({
  source: UsageSource,
  found: z.boolean(),
  files: z.number(),
  newEvents: z.number(),
  unreadableFiles: z.number(),
  rejectedLines: z.partialRecord(RejectReason, z.number()),
  foldersCutShort: z.number(),
  lastReadAt: z.number().nullable(),
});

const ImportSummarySchema = z.object({
  status: z.enum(['done', 'locked', 'aborted']),
  sources: z.array(SourceSummary),
  events: z.number(),
  updatedEvents: z.number(),
  bytesRead: z.number(),
  durationMs: z.number(),
  filesReadByThreads: z.number(),
  nextCheckpointAt: z.number().nullable(),
});

export const ImportWorkerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), filesDone: z.number(), filesTotal: z.number(), bytesRead: z.number() }),
  /** Another import holds the lock, and this one waits for it. */
  z.object({ type: z.literal('waiting') }),
  z.object({ type: z.literal('done'), summary: ImportSummarySchema }),
  z.object({ type: z.literal('error'), message: z.string() }),
]);
export type ImportWorkerMessage = z.infer<typeof ImportWorkerMessage>;

/** Sent by the host to stop an import early; what was read so far is kept. */
export const ABORT_MESSAGE = 'abort';
