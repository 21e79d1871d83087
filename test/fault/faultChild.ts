// The processes of the fault suites: editor windows writing the ledger, an import loop, a rollup
// loop, crash victims and a writer scripted over IPC. Usage: node faultChild.js '<json args>'.
// Every line printed is a message to the parent; "committed N" means events [from, N) were
// appended, flushed and nothing is left unwritten, the writer's own acknowledgement.
// The default import is the module object itself, not a namespace copy of it: the fault injections
// replace its functions, and the ledger and importers see the replacements.
import fs from 'node:fs';
import * as path from 'node:path';
import { compactLedger } from '../../src/ledger/compaction';
import type { LedgerEvent, UsageEvent } from '../../src/ledger/events';
import { loadDailyRollup } from '../../src/report/rollupCache';
import { LedgerWriter } from '../../src/ledger/writer';
import { appendClaudeLines, claudeImportOptions, claudeMessages, laneEvent, linesOf, TIME_ZONE } from './faultKit';

interface Args {
  mode: 'window' | 'crash-writer' | 'crash-import' | 'import-loop' | 'rollup-loop' | 'scripted-writer' | 'import-once';
  storageDir: string;
  lane?: number;
  from?: number;
  count?: number;
  batch?: number;
  /** crash-writer: what runs between append batches. */
  phase?: 'append' | 'rollup' | 'compaction';
  projectsDir?: string;
  /** import-once: Claude Code folders to read instead of `projectsDir`. */
  roots?: string[];
  messages?: number;
  rounds?: number;
  /** import-once: the log file whose name contains this is deleted just before it is opened. */
  deleteOnOpen?: string;
  /** import-once: the log file whose name contains this is deleted after its first read. */
  deleteAfterRead?: string;
  /** import-once: folders and files that reading fails on with EACCES (see injectPermissionDenied). */
  denyRead?: string[];
}

const args = JSON.parse(process.argv[2]) as Args;
const COMPACT_CLOCK_AHEAD_MS = 60 * 86_400_000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Crash victims are started ahead of time, loaded and idle, and begin on the parent's word. Called
 * before the first await, so the word is never sent before anyone listens.
 */
function go(): Promise<void> {
  return new Promise((resolve) => process.once('message', () => resolve()));
}

function errnoError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected by the fault suite, ${syscall}`), { code, syscall });
}

/**
 * A full disk, injected: a process cannot mount a size-limited tmpfs without privileges CI does not
 * have, so writes fail the way write(2) does on a full disk: a first write lands part of its bytes,
 * then ENOSPC. Reads and everything else keep working.
 */
let diskFull = false;
function injectDiskFull(): void {
  const open = fs.promises.open;
  fs.promises.open = async (...openArgs: Parameters<typeof open>) => {
    const handle = await open(...openArgs);
    const write = handle.write.bind(handle) as (buffer: Buffer, offset?: number, length?: number) => Promise<{ bytesWritten: number; buffer: Buffer }>;
    (handle as unknown as { write: typeof write }).write = async (buffer: Buffer, offset = 0) => {
      if (!diskFull) return write(buffer, offset);
      const part = Math.floor((buffer.length - offset) / 2);
      if (part > 0) await write(buffer, offset, part);
      throw errnoError('ENOSPC', 'write');
    };
    return handle;
  };
  const writeSync = fs.writeSync;
  (fs as { writeSync: unknown }).writeSync = (fd: number, buffer: Buffer, offset?: number) => {
    if (!diskFull) return writeSync(fd, buffer, offset);
    const start = offset ?? 0;
    const part = Math.floor((buffer.length - start) / 2);
    if (part > 0) writeSync(fd, buffer, start, part);
    throw errnoError('ENOSPC', 'write');
  };
}

/** A log file removed by its tool at the worst moment: just before it is opened, or after its first read. */
function injectDeletions(beforeOpen: string | undefined, afterRead: string | undefined): void {
  const openSync = fs.openSync;
  const readSync = fs.readSync;
  const watched = new Map<number, string>();
  (fs as { openSync: unknown }).openSync = (file: fs.PathLike, ...rest: unknown[]) => {
    const name = String(file);
    if (beforeOpen && name.includes(beforeOpen) && fs.existsSync(name)) fs.unlinkSync(name);
    const fd = (openSync as (...a: unknown[]) => number)(file, ...rest);
    if (afterRead && name.includes(afterRead)) watched.set(fd, name);
    return fd;
  };
  (fs as { readSync: unknown }).readSync = (fd: number, ...rest: unknown[]) => {
    const read = (readSync as (...a: unknown[]) => number)(fd, ...rest);
    const name = watched.get(fd);
    if (name !== undefined) {
      watched.delete(fd);
      fs.rmSync(name, { force: true });
    }
    return read;
  };
}

/** An editor window: `count` events from `from`, a flush every `batch`, interleaved with the other windows. */
async function window(): Promise<void> {
  const lane = args.lane ?? 0;
  const from = args.from ?? 0;
  const writer = new LedgerWriter({ storageDir: args.storageDir });
  for (let i = from; i < from + (args.count ?? 0); i++) {
    writer.append(laneEvent(lane, i));
    if ((i + 1) % (args.batch ?? 100) === 0) {
      await writer.flush();
      if (writer.unwrittenCount === 0) say(`committed ${i + 1}`);
    }
  }
  await writer.dispose();
  if (writer.unwrittenCount !== 0) throw new Error('events left unwritten');
  say(`committed ${from + (args.count ?? 0)}`);
  say('done');
}

/**
 * Says when compaction has renamed a merged segment into place: from then until it has removed the
 * segments it merged, their events are on disk twice, and a kill must not make them count twice.
 */
function announceMergedRenames(): void {
  const rename = fs.promises.rename;
  fs.promises.rename = async (from: fs.PathLike, to: fs.PathLike) => {
    await rename(from, to);
    if (String(to).includes('_merged-')) say('phase compaction-renamed');
  };
}

/** Writes until killed, in random batches, running the phase's work between batches. */
async function crashWriter(): Promise<void> {
  const started = go();
  if (args.phase === 'compaction') announceMergedRenames();
  const lane = args.lane ?? 0;
  let next = args.from ?? 0;
  const writer = new LedgerWriter({ storageDir: args.storageDir, flushIntervalMs: 60_000 });
  await started;
  say('ready');
  for (;;) {
    const size = 1 + Math.floor(Math.random() * 40);
    for (let i = 0; i < size; i++) writer.append(laneEvent(lane, next++));
    say('phase append');
    await writer.flush();
    if (writer.unwrittenCount === 0) say(`committed ${next}`);
    if (args.phase === 'rollup') {
      say('phase rollup');
      const loaded = await loadDailyRollup(args.storageDir, { timeZone: TIME_ZONE });
      await loaded.stats.cacheSaved;
    } else if (args.phase === 'compaction') {
      say('phase compaction');
      // Two months on, every segment so far is settled, and any two are worth merging: each cycle
      // merges the month again. Safe here because this process is the only writer, and it waits.
      const result = await compactLedger(args.storageDir, { now: () => Date.now() + COMPACT_CLOCK_AHEAD_MS, afterSegments: 0 });
      say(`compacted ${result.status} ${result.merged}`);
    }
  }
}

/** Imports whatever is in the log folder, again and again, until killed. */
async function crashImport(): Promise<void> {
  const started = go();
  const { runImport } = await import('../../src/importers/runImport');
  const options = await claudeImportOptions(args.storageDir, args.roots ?? [args.projectsDir as string]);
  await started;
  say('ready');
  for (;;) {
    say('phase import');
    // The run's own kind of writer, wrapped only to say when the run's events are flushed: from then
    // until the run ends, a kill falls between the ledger write and the import state that depends on it.
    const writer = new LedgerWriter({ storageDir: args.storageDir, role: 'import' });
    const sink = {
      append: (event: UsageEvent) => writer.append(event),
      flush: async () => {
        await writer.flush();
        say('phase import-flushed');
      },
      get unwrittenCount() {
        return writer.unwrittenCount;
      },
    };
    const summary = await runImport({ ...options, sink });
    await writer.dispose();
    say(`imported ${summary.status} ${summary.events}`);
  }
}

/**
 * A coding agent writing its log while imports run: each round writes the next messages with all
 * but their final streamed copy, and the final copies of the previous round's messages, then
 * imports, so later runs re-emit (upsert) responses an earlier run wrote.
 */
async function importLoop(): Promise<void> {
  let stop = false;
  process.on('message', () => {
    stop = true;
  });
  const { runImport } = await import('../../src/importers/runImport');
  const projectsDir = args.projectsDir as string;
  const messages = claudeMessages(args.messages ?? 0);
  const rounds = args.rounds ?? 1;
  const options = await claudeImportOptions(args.storageDir, [projectsDir]);
  const finalCopies = (slice: typeof messages) => slice.map((message) => ({ file: message.file, line: message.lines[message.lines.length - 1] }));
  let runs = 0;
  let previous: typeof messages = [];
  for (let round = 0; round < rounds; round++) {
    const slice = messages.slice(Math.floor((messages.length * round) / rounds), Math.floor((messages.length * (round + 1)) / rounds));
    appendClaudeLines(projectsDir, [...linesOf(slice.map((message) => ({ ...message, lines: message.lines.slice(0, -1) }))), ...finalCopies(previous)]);
    previous = slice;
    await runImport(options);
    runs++;
    await sleep(20);
  }
  appendClaudeLines(projectsDir, finalCopies(previous));
  while (!stop) {
    await runImport(options);
    runs++;
    await sleep(50);
  }
  const last = await runImport(options);
  process.disconnect?.();
  say(`runs ${runs + 1} ${last.status}`);
}

/** Another window's dashboard: rollup loads and cache saves until told to stop. */
async function rollupLoop(): Promise<void> {
  let stop = false;
  process.on('message', () => {
    stop = true;
  });
  let loads = 0;
  while (!stop) {
    const loaded = await loadDailyRollup(args.storageDir, { timeZone: TIME_ZONE });
    await loaded.stats.cacheSaved;
    loads++;
    await sleep(10);
  }
  process.disconnect?.();
  say(`loads ${loads}`);
}

type Command = { cmd: 'append'; from: number; count: number } | { cmd: 'flush' } | { cmd: 'flushSync' } | { cmd: 'diskFull'; on: boolean } | { cmd: 'exit' };

/** A writer driven step by step, reporting what its user would see. */
async function scriptedWriter(): Promise<void> {
  injectDiskFull();
  const lane = args.lane ?? 0;
  const unwritable: string[] = [];
  let writableAgain = 0;
  const writer = new LedgerWriter({
    storageDir: args.storageDir,
    flushIntervalMs: 60_000,
    onUnwritable: (error) => unwritable.push((error as NodeJS.ErrnoException).code ?? error.message),
    onWritableAgain: () => writableAgain++,
  });
  const queue: Command[] = [];
  let wake: (() => void) | undefined;
  process.on('message', (message: Command) => {
    queue.push(message);
    wake?.();
  });
  for (;;) {
    while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const command = queue.shift() as Command;
    if (command.cmd === 'append') {
      for (let i = command.from; i < command.from + command.count; i++) writer.append(laneEvent(lane, i) as LedgerEvent);
    } else if (command.cmd === 'flush') {
      await writer.flush();
    } else if (command.cmd === 'flushSync') {
      writer.flushSync();
    } else if (command.cmd === 'diskFull') {
      diskFull = command.on;
    }
    say(`reply ${JSON.stringify({ unwritten: writer.unwrittenCount, unwritable, writableAgain })}`);
    if (command.cmd === 'exit') {
      process.disconnect?.();
      return;
    }
  }
}

/**
 * Permission denied, injected, for when the suite runs as root and cannot drop to another user: a
 * denied folder cannot be listed and nothing below it can be reached; a denied file cannot be opened.
 */
function injectPermissionDenied(denied: readonly string[]): void {
  const below = (name: string) => denied.some((entry) => name.startsWith(`${entry}${path.sep}`));
  const guard = <F extends (file: fs.PathLike, ...rest: never[]) => unknown>(name: 'readdirSync' | 'openSync' | 'statSync' | 'readFileSync', blocks: (file: string) => boolean) => {
    const original = fs[name] as unknown as F;
    (fs as Record<string, unknown>)[name] = (file: fs.PathLike, ...rest: never[]) => {
      if (blocks(String(file))) throw errnoError('EACCES', name);
      return original(file, ...rest);
    };
  };
  guard('readdirSync', (file) => denied.includes(file) || below(file));
  guard('openSync', (file) => denied.includes(file) || below(file));
  guard('readFileSync', (file) => denied.includes(file) || below(file));
  guard('statSync', below);
}

async function importOnce(): Promise<void> {
  const { runImport } = await import('../../src/importers/runImport');
  injectDeletions(args.deleteOnOpen, args.deleteAfterRead);
  injectPermissionDenied(args.denyRead ?? []);
  const summary = await runImport(await claudeImportOptions(args.storageDir, args.roots ?? [args.projectsDir as string]));
  say(`summary ${JSON.stringify(summary)}`);
}

const modes: Record<Args['mode'], () => Promise<void>> = {
  window,
  'crash-writer': crashWriter,
  'crash-import': crashImport,
  'import-loop': importLoop,
  'rollup-loop': rollupLoop,
  'scripted-writer': scriptedWriter,
  'import-once': importOnce,
};

modes[args.mode]().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
