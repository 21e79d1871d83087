// The agent edits still waiting for a checkpoint, and which edits were already written (docs/ledger.md, Import state):
// `<storageDir>/importers/agent-edits.json`, owner-only, replaced atomically, bounded. It holds no path and no line:
// an edit is found again through its log (the log's file identity and the byte offset of its line) and matched on
// its opaque id, which is the ledger's id for it.
import * as path from 'node:path';
import * as z from 'zod';
import { UsageSource } from '../ledger/events';
import { importerDir } from '../ledger/storageLocation';
import { readFileIfExists, writeFileAtomic } from '../privacy/privateFiles';
import { AGENT_CHECKPOINTS } from './types';

const PENDING_EDITS_VERSION = 1;
/** Far above a heavy week of agent edits (a week and its 7-day window); beyond it the oldest are judged unknown. */
export const MAX_PENDING_EDITS = 50_000;
/**
 * Edits already written, remembered so a resumed session's copy or a re-parsed file writes nothing again. Remembered
 * whatever their age: a whole-file log (an OpenCode database, a resumed Cline task) is read whole again months later.
 */
export const MAX_SEEN_EDITS = 200_000;

const opaque = z.string().min(8).max(64);

const PendingEdit = z.object({
  /** The ledger id of the edit (keyed hash of its tool call id). */
  id: opaque,
  source: UsageSource,
  /** The model as the ledger keeps it. */
  model: z.string().max(128),
  /** Epoch ms of the edit. */
  t: z.number().int().nonnegative(),
  /** Identity of the log that holds it (importers/incremental.ts fileIdentity: device and inode, or a keyed hash). */
  log: z.string().min(1).max(200),
  /** Byte offset of the log line the edit was read from; -1 for a log parsed whole. */
  at: z.number().int().min(-1),
  added: z.number().int().nonnegative(),
  /** Ledger id of the usage record of the response that made the edit, when known (for waste). */
  response: opaque.optional(),
  /** Checkpoints (seconds) not measured yet. */
  left: z.array(z.number().int().positive()).max(AGENT_CHECKPOINTS.length),
});
export type PendingEdit = z.infer<typeof PendingEdit>;

/** A response whose edits are being judged at 1 day: wasted when none kept a line and none was unknown. */
const ResponseJudgement = z.object({
  /** Its edits whose 1-day outcome is not decided yet. */
  open: z.number().int().nonnegative(),
  kept: z.boolean(),
  unknown: z.boolean(),
});

const PendingEditsFile = z.object({
  v: z.literal(PENDING_EDITS_VERSION),
  edits: z.array(PendingEdit).max(MAX_PENDING_EDITS),
  responses: z.record(opaque, ResponseJudgement),
  /** Ledger id of each edit written → its time. */
  seen: z.record(opaque, z.number().int().nonnegative()),
  /**
   * Epoch ms: the newest edit forgotten from `seen` to keep it under MAX_SEEN_EDITS. An edit from then or before is
   * taken as written. Absent until the first edit is forgotten.
   */
  seenThrough: z.number().int().nonnegative().optional(),
});
export type PendingEdits = z.infer<typeof PendingEditsFile>;

function pendingEditsPath(storageDir: string): string {
  return path.join(importerDir(storageDir), 'agent-edits.json');
}

function emptyPendingEdits(): PendingEdits {
  return { v: PENDING_EDITS_VERSION, edits: [], responses: {}, seen: {} };
}

/**
 * Missing or invalid: nothing is pending. Edits already in the ledger are then written again when their logs are
 * read again (the ledger counts each id once), and checkpoints that were pending are lost, never invented. A file
 * that exists but cannot be read now is an error (readFileIfExists): the run would save nothing pending over it.
 */
export async function loadPendingEdits(storageDir: string): Promise<PendingEdits> {
  const text = await readFileIfExists(pendingEditsPath(storageDir));
  try {
    const parsed = PendingEditsFile.safeParse(JSON.parse(text ?? 'null'));
    return parsed.success ? parsed.data : emptyPendingEdits();
  } catch {
    return emptyPendingEdits();
  }
}

/** Whether the edit with this ledger id and time was written by an earlier run. */
export function wasWritten(pending: PendingEdits, id: string, t: number): boolean {
  return pending.seen[id] !== undefined || (pending.seenThrough !== undefined && t <= pending.seenThrough);
}

/**
 * Keeps the newest MAX_SEEN_EDITS written edits; the time of the newest one forgotten becomes `seenThrough`, so that a
 * forgotten edit read again is not written again (an edit from before it in a log read for the first time is not
 * written either: the price of the bound, paid only past 200,000 edits).
 */
export function forgetOldestSeen(pending: PendingEdits): void {
  const entries = Object.entries(pending.seen);
  if (entries.length <= MAX_SEEN_EDITS) return;
  entries.sort((a, b) => b[1] - a[1]);
  const newestForgotten = entries[MAX_SEEN_EDITS][1];
  pending.seenThrough = Math.max(pending.seenThrough ?? 0, newestForgotten);
  pending.seen = Object.fromEntries(entries.slice(0, MAX_SEEN_EDITS).filter(([, t]) => t > newestForgotten));
}

export async function savePendingEdits(storageDir: string, pending: PendingEdits): Promise<void> {
  await writeFileAtomic(pendingEditsPath(storageDir), JSON.stringify(pending));
}
