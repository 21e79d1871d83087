// One import at a time across VS Code windows (each is its own extension host process) and the CLI.
// Hand-written rather than `proper-lockfile`: that library is not a dependency here (the extension
// bundle stays small). The lock records its owner's pid and is taken over as soon as no process of that pid runs on
// this machine; while one does, the owner touches the lock every `heartbeatMs`, so a lock counts as stale only when
// that heartbeat stopped for `staleMs` (the owner is stuck). The pid is looked up here only: a ledger folder shared with
// another machine or a container (another pid namespace) is not supported, as a live import there would have its lock
// taken over. An import may last longer than any fixed age: a first import of years of logs does, and taking its lock
// over would run two imports at once.
//
// The heartbeat's age is read on the wall clock (a file's mtime is all another process can see), which also moves
// while the machine sleeps and when the clock is set: after a laptop resumes, a live owner's last beat is hours old
// until its next one. So a lock whose owner's process is alive is taken over only after this process has itself
// watched it stay untouched for two of the owner's beats, timed on the monotonic clock; a beat seen meanwhile ends the
// watch. That clock stands still in sleep on Linux but not on macOS (libuv reads mach_continuous_time), so a watch
// also starts again when one of its polls comes far later than asked: the machine slept, or this process was stopped.
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as z from 'zod';
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
  /** The monotonic clock a watch is timed on (performance.now). */
  monotonicNow?: () => number;
  /** Ends a wait or a watch (the import was cancelled): the lock is then not taken. */
  signal?: AbortSignal;
  /** Called once, when the lock is held and this call goes on to wait for it (or to watch it). */
  onWait?: () => void;
}

/**
 * Longest beat interval a lock's word is taken for: a lock file is another process's words, bounded as any input, and
 * a watch lasts two beats, which a caller that asked not to wait sits through.
 */
const MAX_HEARTBEAT_MS = DEFAULT_HEARTBEAT_MS;

const lockOwnerSchema = z.object({
  pid: z.number(),
  at: z.number(),
  /** Random per acquisition: a release never removes a lock another acquisition (same pid) now holds. */
  token: z.string(),
  /**
   * The owner's beat interval; absent in a lock an earlier Assay wrote, which beat every DEFAULT_HEARTBEAT_MS. A value
   * that is no interval is read as absent, not as a lock with no owner (which is taken over at once).
   */
  heartbeatMs: z.number().positive().optional().catch(undefined),
});

type LockOwner = z.infer<typeof lockOwnerSchema>;

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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = lockOwnerSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
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

/**
 * Time between the owner's last sign of life and now, either way: its heartbeat (the mtime) or the `at` it wrote when
 * it took the lock, whichever is nearer. After the clock is set back, its beats date the mtime anew while `at` stays
 * ahead, and the lock is as live as any.
 */
function heartbeatAge(owner: LockOwner | undefined, mtimeMs: number, now: number): number {
  return Math.min(Math.abs(now - mtimeMs), owner === undefined ? Infinity : Math.abs(now - owner.at));
}

/** How long a takeover guard may live: taking a stale lock over is a few file operations. */
const TAKEOVER_GUARD_STALE_MS = 10 * 1000;

/**
 * What a look at a lock found. `abandoned`: its owner's process is gone, or it is unreadable debris past the stale
 * age. `silent`: its heartbeat is past the stale age on the wall clock, but its owner's process is alive (a sleep, a
 * clock step, a stuck owner, or a pid now another process's), so it is watched before it is taken over.
 */
type LockHealth = 'live' | 'silent' | 'abandoned';

interface LockSighting {
  health: LockHealth;
  token: string | undefined;
  mtimeMs: number;
  /** How long the owner may take between beats. */
  heartbeatMs: number;
}

function healthOf(owner: LockOwner | undefined, mtimeMs: number, staleMs: number, now: number): LockHealth {
  if (owner !== undefined && !processAlive(owner.pid)) return 'abandoned';
  // Either way: a lock whose every sign of life is dated ahead was written before the clock was set back (or written
  // wrong), and waiting for that time to come would stop every import until then.
  if (heartbeatAge(owner, mtimeMs, now) <= staleMs) return 'live';
  return owner === undefined ? 'abandoned' : 'silent';
}

/** The lock at `file` as it is now; undefined when it is gone or cannot be read. */
async function sightLock(file: string, staleMs: number, now: number): Promise<LockSighting | undefined> {
  let handle: fsp.FileHandle;
  try {
    handle = await fsp.open(file, 'r');
  } catch {
    return undefined;
  }
  try {
    // Read and stat through one handle: the text and the heartbeat are of the same lock.
    const [text, stat] = [await handle.readFile('utf8'), await handle.stat()];
    // An unparsable lock is one being written right now, or debris: debris ages out like any lock.
    const owner = parseOwner(text);
    const heartbeatMs = Math.min(owner?.heartbeatMs ?? DEFAULT_HEARTBEAT_MS, MAX_HEARTBEAT_MS);
    return { health: healthOf(owner, stat.mtimeMs, staleMs, now), token: owner?.token, mtimeMs: stat.mtimeMs, heartbeatMs };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

const sameLock = (a: LockSighting, b: LockSighting) => a.token === b.token && a.mtimeMs === b.mtimeMs;

/**
 * Removes the lock if `mayRemove` still holds for it. Only the holder of the takeover guard (`<lock>.takeover`, made as
 * the lock is) removes a lock that is not its own, after looking at it under the guard, so two processes that both
 * judged one lock stale never remove the lock one of them has just taken. (Moving a lock aside to check it, and back
 * when it was fresh, left a moment without a lock: a third process took it beside its owner, or its owner released it
 * meanwhile and it was put back with no one to release it, stopping every import until it went stale.)
 */
async function removeUnderGuard(file: string, staleMs: number, now: number, mayRemove: (seen: LockSighting) => boolean): Promise<void> {
  const guard = `${file}.takeover`;
  const guardOwner: LockOwner = { pid: process.pid, at: now, token: randomId() };
  if (!(await tryCreate(guard, guardOwner))) {
    // A guard whose holder died between taking and removing it would stop every takeover. (Two processes removing
    // one stale guard at once may both take over, as before there was a guard: rarer than a crash in those milliseconds.)
    // A guard lives for milliseconds, so one past its age is not watched as a lock is.
    const seenGuard = await sightLock(guard, TAKEOVER_GUARD_STALE_MS, now);
    if (seenGuard === undefined || seenGuard.health === 'live') return;
    await fsp.unlink(guard).catch(() => undefined);
    if (!(await tryCreate(guard, guardOwner))) return;
  }
  try {
    const seen = await sightLock(file, staleMs, now);
    if (seen !== undefined && mayRemove(seen)) await fsp.unlink(file).catch(() => undefined);
  } finally {
    await fsp.unlink(guard).catch(() => undefined);
  }
}

/**
 * A silent lock this process is watching: the sighting that began the watch, when, and when it was last looked at, on
 * the monotonic clock.
 */
interface SilentWatch {
  first: LockSighting;
  since: number;
  lastLook: number;
}

/** Beats a silent owner is given to show it is alive before its lock is taken over, and slack for a busy machine. */
const WATCHED_BEATS = 2;
const WATCH_SLACK_MS = 1000;
/** A look this much later than the poll asked for means the watch missed time its owner could not beat in. */
const MISSED_TIME_MS = 5 * 1000;
/**
 * Watches begun again after late looks, at most, in one call: a process the system keeps throttled (App Nap) would
 * otherwise look late every time and never end its watch.
 */
const MAX_WATCH_RESTARTS = 3;

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

/**
 * Takes the import lock; returns its release function, or undefined if another import holds it. A silent lock (see
 * LockHealth) is watched to its end even past `waitMs`: about a minute at the default beat, and only when its owner's
 * process is alive and its heartbeat already minutes old.
 */
export async function acquireImportLock(
  storageDir: string,
  options: LockOptions = {},
): Promise<(() => Promise<void>) | undefined> {
  const { staleMs = DEFAULT_STALE_LOCK_MS, heartbeatMs = DEFAULT_HEARTBEAT_MS, waitMs = 0, pollMs = 100, now = Date.now, signal, onWait } = options;
  const monotonicNow = options.monotonicNow ?? (() => performance.now());
  const file = lockPath(storageDir);
  await makePrivateDir(path.dirname(file));
  const token = randomId();
  const owner = (): LockOwner => ({ pid: process.pid, at: now(), token, heartbeatMs });
  const acquired = () => {
    const stopHeartbeat = startHeartbeat(file, heartbeatMs);
    return async () => {
      stopHeartbeat();
      const text = await fsp.readFile(file, 'utf8').catch(() => '');
      if (parseOwner(text)?.token === token) await fsp.unlink(file).catch(() => undefined);
    };
  };
  const deadline = now() + waitMs;
  let watch: SilentWatch | undefined;
  let watchRestarts = 0;
  let waiting = false;
  for (;;) {
    if (await tryCreate(file, owner())) return acquired();
    const seen = await sightLock(file, staleMs, now());
    const lookedAt = monotonicNow();
    if (seen?.health === 'abandoned') {
      await removeUnderGuard(file, staleMs, now(), (current) => current.health === 'abandoned');
      watch = undefined;
    } else if (seen?.health === 'silent') {
      if (watch === undefined || !sameLock(watch.first, seen)) {
        // A first sighting begins the watch; a changed one is a beat (or a new owner): alive, and watched afresh only if
        // it is still silent next time.
        const beat = watch !== undefined;
        watch = beat ? undefined : { first: seen, since: lookedAt, lastLook: lookedAt };
      } else if (lookedAt - watch.lastLook > pollMs + MISSED_TIME_MS && watchRestarts < MAX_WATCH_RESTARTS) {
        watchRestarts++;
        watch = { first: seen, since: lookedAt, lastLook: lookedAt };
      } else if (lookedAt - watch.since >= WATCHED_BEATS * seen.heartbeatMs + WATCH_SLACK_MS) {
        const confirmed = watch.first;
        await removeUnderGuard(file, staleMs, now(), (current) => current.health !== 'live' && sameLock(current, confirmed));
        watch = undefined;
      } else {
        watch.lastLook = lookedAt;
      }
    } else {
      watch = undefined;
    }
    if (await tryCreate(file, owner())) return acquired();
    if (signal?.aborted === true || (now() >= deadline && watch === undefined)) return undefined;
    if (!waiting) {
      waiting = true;
      onWait?.();
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
