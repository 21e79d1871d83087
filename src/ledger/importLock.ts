// One import at a time across VS Code windows (each is its own extension host process) and the CLI.
// Hand-written rather than `proper-lockfile`: that library is not a dependency here (the extension
// bundle stays small). The lock records its owner's pid and is taken over as soon as that process is
// gone; while it lives, the owner touches the lock every `heartbeatMs`, so a lock counts as stale only
// when that heartbeat stopped for `staleMs` (the owner is stuck, or ran on another machine sharing the
// folder and died there). An import may last longer than any fixed age: a first import of years of
// logs does, and taking its lock over would run two imports at once.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomId } from '../privacy/opaqueId';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../privacy/privateFiles';
import { importerDir } from './storageLocation';

/** The owner's heartbeat refreshes the lock's mtime this often while an import runs. */
const DEFAULT_HEARTBEAT_MS = 30 * 1000;
/** Six missed heartbeats: a live owner's event loop is never blocked this long (files are read in chunks). */
export const DEFAULT_STALE_LOCK_MS = 3 * 60 * 1000;

export interface LockOptions {
  /** A lock whose heartbeat is older than this is taken over even if its process seems alive. */
  staleMs?: number;
  /** How often this owner refreshes the lock while it holds it. */
  heartbeatMs?: number;
  /** How long to wait for another import to finish before giving up (0: do not wait). */
  waitMs?: number;
  pollMs?: number;
  now?: () => number;
}

interface LockOwner {
  pid: number;
  at: number;
  /** Random per acquisition: a release never removes a lock another acquisition (same pid) now holds. */
  token: string;
}

export function lockPath(storageDir: string): string {
  return path.join(importerDir(storageDir), 'import.lock');
}

function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    return typeof value.pid === 'number' && typeof value.at === 'number' && typeof value.token === 'string'
      ? { pid: value.pid, at: value.at, token: value.token }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The owner is written to a file of its own, then linked into place (link fails if the lock exists):
 * a process killed between creating the lock and writing its owner would otherwise leave an empty
 * lock, with no pid to show it dead, blocking every import until it went stale.
 */
async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
  const draft = `${file}.${owner.token}.draft`;
  try {
    await fsp.writeFile(draft, JSON.stringify(owner), { mode: PRIVATE_FILE_MODE, flag: 'wx' });
    await fsp.link(draft, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await fsp.rm(draft, { force: true });
  }
}

/** Time since the owner's last sign of life: its heartbeat (the mtime) or, for an old lock, its `at`. */
function heartbeatAge(owner: LockOwner | undefined, mtimeMs: number, now: number): number {
  return now - Math.max(owner?.at ?? -Infinity, mtimeMs);
}

/** How long a takeover guard may live: taking a stale lock over is a few file operations. */
const TAKEOVER_GUARD_STALE_MS = 10 * 1000;

/** Whether a lock (or guard) is stale: its owner's process is gone, or its heartbeat stopped `staleMs` ago. */
function isStale(owner: LockOwner | undefined, mtimeMs: number, staleMs: number, now: number): boolean {
  // A last beat dated after now is as stale as an old one: the clock was set back since it was written (or the lock was
  // written wrong), and a lock that waited for that time to come would stop every import until then.
  return (
    Math.abs(heartbeatAge(owner, mtimeMs, now)) > staleMs || (owner !== undefined && owner.pid !== process.pid && !processAlive(owner.pid))
  );
}

/**
 * Removes the lock if it is stale. Only the holder of the takeover guard (`<lock>.takeover`, made as the lock is)
 * removes a lock that is not its own, after reading it under the guard, so two processes that both judged one lock
 * stale never remove the lock one of them has just taken. (Moving a lock aside to check it, and back when it was fresh,
 * left a moment without a lock: a third process took it beside its owner, or its owner released it meanwhile and it
 * was put back with no one to release it, stopping every import until it went stale.)
 */
async function removeIfStale(file: string, staleMs: number, now: number): Promise<void> {
  const guard = `${file}.takeover`;
  const guardOwner: LockOwner = { pid: process.pid, at: now, token: randomId() };
  if (!(await tryCreate(guard, guardOwner))) {
    // A guard whose holder died between taking and removing it would stop every takeover. (Two processes removing
    // one stale guard at once may both take over, as before there was a guard: rarer than a crash in those milliseconds.)
    if (!(await isStaleFile(guard, TAKEOVER_GUARD_STALE_MS, now))) return;
    await fsp.unlink(guard).catch(() => undefined);
    if (!(await tryCreate(guard, guardOwner))) return;
  }
  try {
    if (await isStaleFile(file, staleMs, now)) await fsp.unlink(file).catch(() => undefined);
  } finally {
    await fsp.unlink(guard).catch(() => undefined);
  }
}

/** Whether the lock file at `file` is stale; false when it is gone or cannot be read. */
async function isStaleFile(file: string, staleMs: number, now: number): Promise<boolean> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch {
    return false;
  }
  try {
    // Read and stat through one handle: the text and the heartbeat are of the same lock.
    const [text, stat] = [await handle.readFile('utf8'), await handle.stat()];
    // An unparsable lock is one being written right now, or debris: debris ages out like any lock.
    return isStale(parseOwner(text), stat.mtimeMs, staleMs, now);
  } catch {
    return false;
  } finally {
    await handle.close();
  }
}

/**
 * Touches the lock every `heartbeatMs` until stopped. Only the mtime changes: a late heartbeat of an
 * owner whose lock was taken over touches the new owner's lock, which is alive anyway.
 */
function startHeartbeat(file: string, heartbeatMs: number): () => void {
  const timer = setInterval(() => {
    const at = new Date();
    void fsp.utimes(file, at, at).catch(() => undefined);
  }, heartbeatMs);
  // A heartbeat alone must not keep a finished CLI run alive.
  timer.unref();
  return () => clearInterval(timer);
}

/** Takes the import lock; returns its release function, or undefined if another import holds it. */
export async function acquireImportLock(
  storageDir: string,
  options: LockOptions = {},
): Promise<(() => Promise<void>) | undefined> {
  const { staleMs = DEFAULT_STALE_LOCK_MS, heartbeatMs = DEFAULT_HEARTBEAT_MS, waitMs = 0, pollMs = 100, now = Date.now } = options;
  const file = lockPath(storageDir);
  await makePrivateDir(path.dirname(file));
  const token = randomId();
  const acquired = () => {
    const stopHeartbeat = startHeartbeat(file, heartbeatMs);
    return async () => {
      stopHeartbeat();
      const text = await fsp.readFile(file, 'utf8').catch(() => '');
      if (parseOwner(text)?.token === token) await fsp.unlink(file).catch(() => undefined);
    };
  };
  const deadline = now() + waitMs;
  for (;;) {
    if (await tryCreate(file, { pid: process.pid, at: now(), token })) return acquired();
    await removeIfStale(file, staleMs, now());
    if (await tryCreate(file, { pid: process.pid, at: now(), token })) return acquired();
    if (now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
