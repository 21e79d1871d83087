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
/** Edits already written, remembered so a resumed session's copy or a re-parsed file writes nothing again. */
const MAX_SEEN_EDITS = 200_000;
/** An edit this much older than the run is no longer remembered as written (the import state forgets files as late). */
const FORGET_SEEN_AFTER_MS = 60 * 24 * 60 * 60 * 1000;

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

/** Forgets written edits older than the window, keeping the newest when there are too many. */
export function forgetOldSeen(pending: PendingEdits, now: number): void {
  let entries = Object.entries(pending.seen).filter(([, t]) => now - t < FORGET_SEEN_AFTER_MS);
  if (entries.length > MAX_SEEN_EDITS) entries = entries.sort((a, b) => b[1] - a[1]).slice(0, MAX_SEEN_EDITS);
  pending.seen = Object.fromEntries(entries);
}

export async function savePendingEdits(storageDir: string, pending: PendingEdits): Promise<void> {
  await writeFileAtomic(pendingEditsPath(storageDir), JSON.stringify(pending));
}
