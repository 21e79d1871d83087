// The import lock's heartbeat (issue #7, item 11): a live import is never taken over however long it
// runs, a stuck one (alive but silent) is, and a released lock is no longer touched.
import * as assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { acquireImportLock, lockPath } from '../../../src/ledger/importLock';
import { tempDir } from '../importers/fixtures';
import { startLockHolder } from './lockHolder';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A lock of `owner` whose last beat and `at` are ten minutes old: silent while its pid lives. */
async function oldLock(storageDir: string, owner: { pid: number; token: string; heartbeatMs: unknown }): Promise<string> {
  const file = lockPath(storageDir);
  await fs.mkdir(path.dirname(file), { recursive: true });
  const old = Date.now() - 10 * 60 * 1000;
  await fs.writeFile(file, JSON.stringify({ ...owner, at: old }));
  await fs.utimes(file, old / 1000, old / 1000);
  return file;
}

/** Runs `take` with `meanwhile` run once, right after a taker makes the takeover guard of `file`. */
async function underGuard(file: string, meanwhile: () => Promise<void>, take: () => Promise<void>): Promise<void> {
  const { link } = fs;
  let done = false;
  fs.link = async (from, to) => {
    await link(from, to);
    if (String(to) === `${file}.takeover` && !done) {
      done = true;
      await meanwhile();
    }
  };
  try {
    await take();
  } finally {
    fs.link = link;
  }
  assert.ok(done, 'no takeover was tried');
}

describe('import lock heartbeat', function () {
  this.timeout(30_000);
  const children: ChildProcess[] = [];

  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('is never taken over while its holder heartbeats, even long past the stale age', async () => {
    const storage = tempDir('lock-live');
    children.push(await startLockHolder(storage, { heartbeatMs: 50 }));
    // Polls for three stale ages (a busy machine may delay a beat, not 40 of them): a lock judged by its
    // age alone would be taken over after the first.
    const release = await acquireImportLock(storage, { staleMs: 2_000, waitMs: 6_000, pollMs: 100 });
    assert.equal(release, undefined, 'a live import was taken over');
  });

  it('is taken over once its holder stops heartbeating, though its process is still alive', async () => {
    const storage = tempDir('lock-stuck');
    const holder = await startLockHolder(storage, { heartbeatMs: 50 });
    children.push(holder);
    // A stuck import: the process exists, its event loop does not run.
    holder.kill('SIGSTOP');
    const release = await acquireImportLock(storage, { staleMs: 2_000, waitMs: 15_000, pollMs: 100 });
    assert.ok(release, 'a lock whose heartbeat stopped was never taken over');
    await release();
  });

  it('is taken over when its last heartbeat is dated ahead of the clock, though its process is alive', async () => {
    const storage = tempDir('lock-future');
    // As a lock an import left before the clock was set back a day reads, held by a process alive now (a reused pid).
    const file = lockPath(storage);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const ahead = Date.now() + 24 * 60 * 60 * 1000;
    // Its owner beat every 100 ms: the watch before a takeover lasts two beats and a second.
    await fs.writeFile(file, JSON.stringify({ pid: process.ppid, at: ahead, token: 'before-the-clock-was-set-back', heartbeatMs: 100 }));
    await fs.utimes(file, ahead / 1000, ahead / 1000);
    // No wait asked for: watching a silent lock is not waiting for a busy one.
    const release = await acquireImportLock(storage);
    assert.ok(release, 'a lock dated a day ahead blocked imports until then');
    await release();
  });

  it('is kept by its holder when the machine slept: its heartbeat is minutes old on the wall clock until its next beat', async () => {
    const storage = tempDir('lock-slept');
    const holder = await startLockHolder(storage, { heartbeatMs: 1_000 });
    children.push(holder);
    const held = await fs.readFile(lockPath(storage), 'utf8');
    // The sleep: the holder runs no code, and the wall clock has moved on ten minutes when this window looks.
    holder.kill('SIGSTOP');
    const tenMinutesOn = () => Date.now() + 10 * 60 * 1000;
    const taking = acquireImportLock(storage, { now: tenMinutesOn, pollMs: 20 });
    // It wakes 1.5 s into the watch, which lasts two of its beats and a second (3 s): one beat and a second would be
    // over before it beat again.
    await sleep(1_500);
    holder.kill('SIGCONT');
    const release = await taking;
    assert.equal(release, undefined, 'a window took over the lock of an import that was only asleep');
    assert.equal(await fs.readFile(lockPath(storage), 'utf8'), held, 'the holder lost its lock');
  });

  it('is kept by its holder after the clock was set back, though the time it took the lock is then ahead', async () => {
    const storage = tempDir('lock-set-back');
    const holder = await startLockHolder(storage, { heartbeatMs: 300 });
    children.push(holder);
    const file = lockPath(storage);
    const owner = JSON.parse(await fs.readFile(file, 'utf8')) as { at: number };
    await fs.writeFile(file, JSON.stringify({ ...owner, at: Date.now() + 24 * 60 * 60 * 1000 }));
    // Its beats date the lock anew; then a stall of a few seconds, far less than the stale age.
    await sleep(700);
    const taking = acquireImportLock(storage, { pollMs: 20 });
    holder.kill('SIGSTOP');
    await sleep(2_500);
    holder.kill('SIGCONT');
    assert.equal(await taking, undefined, 'a live, beating holder lost its lock');
  });

  for (const heartbeatMs of ['30000', -1]) {
    it(`watches a lock whose beat interval is no interval (${JSON.stringify(heartbeatMs)}), as one of an earlier Assay, instead of taking it at once`, async () => {
      const storage = tempDir('lock-bad-interval');
      const file = await oldLock(storage, { pid: process.ppid, token: 'no-interval', heartbeatMs });
      const taking = acquireImportLock(storage, { pollMs: 20 });
      await sleep(300);
      // A beat during the watch: the owner is alive.
      const beat = (Date.now() - 5 * 60 * 1000) / 1000;
      await fs.utimes(file, beat, beat);
      assert.equal(await taking, undefined, 'a live owner lost its lock to an unreadable field');
    });
  }

  it('watches a lock that claims a beat of ten minutes for two beats of thirty seconds and a second, at most', async () => {
    const storage = tempDir('lock-long-interval');
    await oldLock(storage, { pid: process.ppid, token: 'long-beat', heartbeatMs: 10 * 60 * 1000 });
    // Each look a second later on the watch's clock: 61 looks end the watch, 1,201 would run past the test's timeout.
    let monotonic = 0;
    const release = await acquireImportLock(storage, { pollMs: 20, monotonicNow: () => (monotonic += 1_000) });
    assert.ok(release, 'the lock of a silent owner was never taken');
    assert.ok(monotonic <= 64_000, `watched for ${monotonic / 1000} s`);
    await release();
  });

  it('stops watching a silent lock, without taking it, when the import is cancelled', async () => {
    const storage = tempDir('lock-cancelled');
    const file = await oldLock(storage, { pid: process.ppid, token: 'silent', heartbeatMs: 30_000 });
    const held = await fs.readFile(file, 'utf8');
    const cancel = new AbortController();
    const taking = acquireImportLock(storage, { pollMs: 20, signal: cancel.signal });
    await sleep(200);
    cancel.abort();
    // The watch would last a minute: the test's timeout ends it first unless the cancel does.
    assert.equal(await taking, undefined);
    assert.equal(await fs.readFile(file, 'utf8'), held);
  });

  it('leaves a silent lock that beat while this window held the takeover guard', async () => {
    const storage = tempDir('lock-beat-under-guard');
    const file = await oldLock(storage, { pid: process.ppid, token: 'beats-late', heartbeatMs: 50 });
    let expected = '';
    await underGuard(file, async () => {
      // Still minutes old (a clock that moved), but a beat all the same: not the lock the watch saw silent.
      const later = (Date.now() - 10 * 60 * 1000 + 5_000) / 1000;
      await fs.utimes(file, later, later);
      expected = await fs.readFile(file, 'utf8');
    }, async () => {
      assert.equal(await acquireImportLock(storage, { pollMs: 20 }), undefined);
    });
    assert.equal(await fs.readFile(file, 'utf8'), expected, 'the lock was removed after its owner beat');
  });

  it('leaves the lock a new owner took while this window held the takeover guard to remove a dead one', async () => {
    const storage = tempDir('lock-new-owner-under-guard');
    const file = lockPath(storage);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, JSON.stringify({ pid: 2 ** 22 + 1, at: Date.now(), token: 'dead' }));
    const newOwner = JSON.stringify({ pid: process.ppid, at: Date.now(), token: 'new-owner', heartbeatMs: 30_000 });
    await underGuard(file, () => fs.writeFile(file, newOwner), async () => {
      assert.equal(await acquireImportLock(storage), undefined);
    });
    assert.equal(await fs.readFile(file, 'utf8'), newOwner, 'a live lock was removed');
  });

  it('stops heartbeating when released', async () => {
    const storage = tempDir('lock-release');
    const release = await acquireImportLock(storage, { heartbeatMs: 20 });
    assert.ok(release);
    await release();
    // A lock file that is not ours, left with an old mtime: a heartbeat still running would touch it.
    const file = lockPath(storage);
    await fs.writeFile(file, 'debris');
    const old = new Date(Date.now() - 60_000);
    await fs.utimes(file, old, old);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok((await fs.stat(file)).mtimeMs < Date.now() - 30_000, 'a released lock was touched');
  });

  it('is free again once released, when two windows took over a dead window\'s lock at the same moment', async () => {
    const storage = tempDir('lock-two-takers');
    const file = lockPath(storage);
    await fs.mkdir(path.dirname(file), { recursive: true });
    // The lock of a window that crashed.
    await fs.writeFile(file, JSON.stringify({ pid: 2 ** 22 + 1, at: Date.now(), token: 'dead' }));
    // The worst interleaving, forced: both windows find the dead lock before either acts, and the second makes its
    // takeover guard only once the first has taken the lock. Under the guard, the second must find the lock it judged
    // dead gone, and leave the first's alone.
    const { open, link } = fs;
    let bothLooked!: () => void;
    const lookBarrier = new Promise<void>((resolve) => (bothLooked = resolve));
    let looks = 0;
    let guards = 0;
    let takers: Promise<(() => Promise<void>) | undefined>[] = [];
    fs.open = (async (target: Parameters<typeof open>[0], ...rest: unknown[]) => {
      const handle = await (open as (...args: unknown[]) => Promise<fs.FileHandle>)(target, ...rest);
      if (String(target) === file && ++looks <= 2) {
        if (looks === 2) bothLooked();
        await lookBarrier;
      }
      return handle;
    }) as typeof open;
    fs.link = async (from, to) => {
      if (String(to) === `${file}.takeover` && ++guards === 2) await Promise.race(takers);
      await link(from, to);
    };
    try {
      takers = [acquireImportLock(storage), acquireImportLock(storage)];
      const releases = (await Promise.all(takers)).filter((release) => release !== undefined);
      assert.ok(looks >= 2 && guards >= 2, 'both windows tried to take the dead lock over');
      assert.equal(releases.length, 1, 'one window took the lock');
      await releases[0]();
    } finally {
      Object.assign(fs, { open, link });
    }
    const next = await acquireImportLock(storage);
    assert.ok(next, 'a released lock was put back, blocking every import until it goes stale');
    await next();
  });

  it('is taken over at once when the window that died held it while taking over another dead window\'s lock', async () => {
    const storage = tempDir('lock-dead-taker');
    const file = lockPath(storage);
    await fs.mkdir(path.dirname(file), { recursive: true });
    const dead = (token: string) => JSON.stringify({ pid: 2 ** 22 + 1, at: Date.now(), token });
    await fs.writeFile(file, dead('crashed-owner'));
    await fs.writeFile(`${file}.takeover`, dead('crashed-taker'));
    const release = await acquireImportLock(storage);
    assert.ok(release);
    await release();
    assert.deepEqual(await fs.readdir(path.dirname(file)), []);
  });
});
