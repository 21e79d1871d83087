// When an edit's checkpoint is measured (docs/metrics.md, Agent output): by the first import that runs between c and
// 2c after the edit; an import that first sees it later records it as unknown, so a measurement is never taken
// at a time far from c. Pure: times in, decisions out.
import { AGENT_CHECKPOINTS } from './types';

export type CheckpointState = 'notYet' | 'due' | 'missed';

export function checkpointState(editedAt: number, checkpointSeconds: number, now: number): CheckpointState {
  const dueAt = editedAt + checkpointSeconds * 1000;
  if (now < dueAt) return 'notYet';
  return now < dueAt + checkpointSeconds * 1000 ? 'due' : 'missed';
}


/** Checkpoints an edit made at `editedAt` still has ahead of it or due at `now`. */
export function openCheckpoints(editedAt: number, now: number): number[] {
  return AGENT_CHECKPOINTS.filter((checkpoint) => checkpointState(editedAt, checkpoint, now) !== 'missed');
}

/** Epoch ms when the earliest of these checkpoints falls due, or null when none is ahead of `now`. */
export function nextDueAt(edits: readonly { t: number; left: readonly number[] }[], now: number): number | null {
  let next: number | null = null;
  for (const edit of edits) {
    for (const checkpoint of edit.left) {
      const dueAt = edit.t + checkpoint * 1000;
      if (dueAt > now && (next === null || dueAt < next)) next = dueAt;
    }
  }
  return next;
}
