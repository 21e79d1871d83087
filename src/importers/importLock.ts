// One import at a time across VS Code windows (each is its own extension host process) and the CLI.
// Hand-written rather than `proper-lockfile`: that library is not a dependency here (the extension
// bundle stays small), and it judges staleness only by a lock's age, kept fresh by a timer; an import
// is short, so this lock records its owner's pid and is taken over as soon as that process is gone,
// or after `staleMs` when the owner is alive but stuck (or on another machine sharing the folder).
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { randomId } from '../privacy/opaqueId';
import { importerDir } from './importState';

export const DEFAULT_STALE_LOCK_MS = 10 * 60 * 1000;

export interface LockOptions {
  /** A lock older than this is taken over even if its process seems alive. */
  staleMs?: number;
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

async function tryCreate(file: string, owner: LockOwner): Promise<boolean> {
  try {
    const handle = await fsp.open(file, 'wx');
    try {
      await handle.writeFile(JSON.stringify(owner));
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Removes the lock if it is stale. The stale file is first renamed aside and checked, so two processes
 * that both judged it stale cannot delete each other's fresh lock: whoever renamed a fresh lock by
 * mistake puts it back.
 */
async function removeIfStale(file: string, staleMs: number, now: number): Promise<void> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch {
    return;
  }
  const owner = parseOwner(text);
  // An unparsable lock is one being written right now, or debris: debris ages out like any lock.
  const stat = await fsp.stat(file).catch(() => undefined);
  const age = now - (owner?.at ?? stat?.mtimeMs ?? now);
  const stale = age > staleMs || (owner !== undefined && owner.pid !== process.pid && !processAlive(owner.pid));
  if (!stale) return;
  const aside = `${file}.${process.pid}.${now}.stale`;
  try {
    await fsp.rename(file, aside);
  } catch {
    return;
  }
  const taken = await fsp.readFile(aside, 'utf8').catch(() => '');
  if (taken !== text) await fsp.link(aside, file).catch(() => undefined);
  await fsp.unlink(aside).catch(() => undefined);
}

/** Takes the import lock; returns its release function, or undefined if another import holds it. */
export async function acquireImportLock(
  storageDir: string,
  options: LockOptions = {},
): Promise<(() => Promise<void>) | undefined> {
  const { staleMs = DEFAULT_STALE_LOCK_MS, waitMs = 0, pollMs = 100, now = Date.now } = options;
  const file = lockPath(storageDir);
  await fsp.mkdir(path.dirname(file), { recursive: true });
  const token = randomId();
  const release = async () => {
    const text = await fsp.readFile(file, 'utf8').catch(() => '');
    if (parseOwner(text)?.token === token) await fsp.unlink(file).catch(() => undefined);
  };
  const deadline = now() + waitMs;
  for (;;) {
    if (await tryCreate(file, { pid: process.pid, at: now(), token })) return release;
    await removeIfStale(file, staleMs, now());
    if (await tryCreate(file, { pid: process.pid, at: now(), token })) return release;
    if (now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
