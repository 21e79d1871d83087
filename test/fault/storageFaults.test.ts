// Storage faults at process level (issue #7): the ledger folder cannot be written or the disk is
// full, an agent's log folder cannot be read, is a symlink loop, or a log file vanishes while it
// is read. The writer keeps its events in memory, says so once, and writes them when the fault
// clears; an import skips what it cannot read, counts it, and finishes.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ImportSummary } from '../../src/importers/runImport';
import { readLedger } from '../../src/ledger/reader';
import { rollupCacheDir } from '../../src/report/rollupCache';
import { ledgerDir, segmentsDir } from '../../src/ledger/segments';
import {
  appendClaudeLines,
  Child,
  CHILD_SCRIPT,
  claudeMessages,
  dailyReport,
  duplicatedKeys,
  eventKey,
  laneEvent,
  ledgerKeyCounts,
  linesOf,
  stopChildren,
  tempDir,
  type ClaudeMessage,
} from './faultKit';

interface WriterView {
  unwritten: number;
  /** Error codes passed to onUnwritable, one per time the user is told. */
  unwritable: string[];
  writableAgain: number;
}

const LANE = 7;
/** Far above the seconds an import of these few files takes, even on a busy machine. */
const IMPORT_BOUND_MS = 60_000;

async function assertExactlyOnce(storageDir: string, from: number, to: number): Promise<void> {
  const { counts } = await ledgerKeyCounts(storageDir);
  assert.deepEqual(duplicatedKeys(counts).slice(0, 10), [], 'events written twice');
  const missing: string[] = [];
  for (let i = from; i < to; i++) if (!counts.has(eventKey(laneEvent(LANE, i)))) missing.push(eventKey(laneEvent(LANE, i)));
  assert.deepEqual(missing.slice(0, 10), [], `${missing.length} events lost`);
  assert.equal(counts.size, to - from);
}

/** Runs the importer once in its own process (as `uid` when given) and returns its summary. */
async function importOnce(args: object, options: { uid?: number; gid?: number } = {}): Promise<ImportSummary> {
  const child = new Child({ mode: 'import-once', ...args }, options);
  // A hang is a failure too, and says so, rather than the suite's timeout.
  const timer = setTimeout(() => child.process.kill('SIGKILL'), IMPORT_BOUND_MS);
  try {
    await child.finished();
  } catch (error) {
    throw child.process.signalCode === 'SIGKILL' ? new Error(`the import did not finish within ${IMPORT_BOUND_MS / 1000} s`) : error;
  } finally {
    clearTimeout(timer);
  }
  const line = child.lines.find((l) => l.startsWith('summary ')) as string;
  return JSON.parse(line.slice('summary '.length)) as ImportSummary;
}

/**
 * `nobody`, when this root process can run the suite's child as that user from where the checkout is
 * and read `logs` and write `storage` (/tmp itself may have been made 0700 by something else on the machine).
 */
function unprivilegedUser(logs: string, storage: string): { uid: number; gid: number } | undefined {
  const user = { uid: 65534, gid: 65534 };
  const { R_OK, W_OK, X_OK } = fs.constants;
  const checks = JSON.stringify([[logs, R_OK | X_OK], [storage, R_OK | W_OK | X_OK]]);
  const script = `require(${JSON.stringify(path.join(path.dirname(CHILD_SCRIPT), 'faultKit.js'))}); for (const [folder, mode] of ${checks}) require('node:fs').accessSync(folder, mode)`;
  const probe = spawnSync(process.execPath, ['-e', script], { ...user, stdio: 'ignore' });
  return probe.status === 0 ? user : undefined;
}

function claudeSummary(summary: ImportSummary) {
  const source = summary.sources.find((s) => s.source === 'claude-code');
  assert.ok(source, 'no claude-code summary');
  return source;
}

/** Imported Claude Code responses in the ledger: how many and their output tokens. */
async function importedUsage(storageDir: string): Promise<{ count: number; outputTokens: number }> {
  const usage = (await readLedger(storageDir)).events.filter((event) => event.kind === 'usage' && event.source === 'claude-code');
  return { count: usage.length, outputTokens: usage.reduce((sum, event) => sum + (event.kind === 'usage' ? event.outputTokens : 0), 0) };
}

function expected(messages: readonly ClaudeMessage[]): { count: number; outputTokens: number } {
  return { count: messages.length, outputTokens: messages.reduce((sum, message) => sum + message.finalOutput, 0) };
}

describe('fault: storage', () => {
  afterEach(stopChildren);
  describe('ledger folder', () => {
    let child: Child;

    // Read-only storage. Tests run as root, where chmod 0500 stops nothing, so the fault is made
    // the way that works for every user: `ledger/segments` is a regular file, so mkdir fails with
    // EEXIST and opening a segment inside it with ENOTDIR, real errors from the kernel.
    it('keeps events in memory when the ledger folder cannot be written, tells the user once, and writes them when it can', async () => {
      const storageDir = tempDir('fault-readonly');
      fs.mkdirSync(ledgerDir(storageDir), { recursive: true });
      fs.writeFileSync(segmentsDir(storageDir), '');
      child = new Child({ mode: 'scripted-writer', storageDir, lane: LANE });

      await child.request<WriterView>({ cmd: 'append', from: 0, count: 400 });
      let view = await child.request<WriterView>({ cmd: 'flush' });
      assert.equal(view.unwritten, 400);
      assert.equal(view.unwritable.length, 1);
      await child.request<WriterView>({ cmd: 'append', from: 400, count: 200 });
      await child.request<WriterView>({ cmd: 'flush' });
      view = await child.request<WriterView>({ cmd: 'flushSync' });
      assert.deepEqual({ unwritten: view.unwritten, messages: view.unwritable.length }, { unwritten: 600, messages: 1 });

      fs.rmSync(segmentsDir(storageDir));
      view = await child.request<WriterView>({ cmd: 'flush' });
      assert.deepEqual(view, { unwritten: 0, unwritable: view.unwritable, writableAgain: 1 });
      await assertExactlyOnce(storageDir, 0, 600);

      // The same fault in the middle of a session: the folder is replaced by a file, then restored.
      fs.renameSync(segmentsDir(storageDir), `${segmentsDir(storageDir)}.aside`);
      fs.writeFileSync(segmentsDir(storageDir), '');
      await child.request<WriterView>({ cmd: 'append', from: 600, count: 300 });
      view = await child.request<WriterView>({ cmd: 'flush' });
      assert.deepEqual({ unwritten: view.unwritten, messages: view.unwritable.length }, { unwritten: 300, messages: 2 });
      fs.rmSync(segmentsDir(storageDir));
      fs.renameSync(`${segmentsDir(storageDir)}.aside`, segmentsDir(storageDir));
      view = await child.request<WriterView>({ cmd: 'flushSync' });
      assert.deepEqual({ unwritten: view.unwritten, writableAgain: view.writableAgain }, { unwritten: 0, writableAgain: 2 });
      await assertExactlyOnce(storageDir, 0, 900);
      await child.request<WriterView>({ cmd: 'exit' });
      await child.finished();
    });

    it('reports from a ledger whose cache folder cannot be written, quietly, with the same figures', async () => {
      const storageDir = tempDir('fault-readonly-cache');
      child = new Child({ mode: 'scripted-writer', storageDir, lane: LANE });
      await child.request<WriterView>({ cmd: 'append', from: 0, count: 500 });
      await child.request<WriterView>({ cmd: 'exit' });
      await child.finished();
      fs.mkdirSync(ledgerDir(storageDir), { recursive: true });
      fs.writeFileSync(rollupCacheDir(storageDir), '');

      const blocked = await dailyReport(storageDir);
      assert.deepEqual({ status: blocked.status, stderr: blocked.stderr }, { status: 0, stderr: '' });
      fs.rmSync(rollupCacheDir(storageDir));
      const clear = await dailyReport(storageDir);
      assert.equal(clear.status, 0, clear.stderr);
      assert.deepEqual(JSON.parse(blocked.stdout), JSON.parse(clear.stdout));
      assert.ok(fs.statSync(rollupCacheDir(storageDir)).isDirectory(), 'the cache is saved once it can be');
    });

    // A full disk. Making a size-limited folder needs mount rights the tests do not have, so the
    // writer's child process injects ENOSPC into its own writes (faultChild.ts, injectDiskFull):
    // half of a batch reaches the file, then the write fails, as write(2) does on a full disk.
    it('keeps events in memory on a full disk, leaves no half-written batch behind, and writes everything once space is back', async () => {
      const storageDir = tempDir('fault-enospc');
      child = new Child({ mode: 'scripted-writer', storageDir, lane: LANE });
      await child.request<WriterView>({ cmd: 'append', from: 0, count: 300 });
      let view = await child.request<WriterView>({ cmd: 'flush' });
      assert.deepEqual(view, { unwritten: 0, unwritable: [], writableAgain: 0 });

      await child.request<WriterView>({ cmd: 'diskFull', on: true });
      await child.request<WriterView>({ cmd: 'append', from: 300, count: 300 });
      view = await child.request<WriterView>({ cmd: 'flush' });
      assert.deepEqual({ unwritten: view.unwritten, unwritable: view.unwritable }, { unwritten: 300, unwritable: ['ENOSPC'] });
      await child.request<WriterView>({ cmd: 'append', from: 600, count: 100 });
      await child.request<WriterView>({ cmd: 'flush' });
      view = await child.request<WriterView>({ cmd: 'flushSync' });
      assert.deepEqual({ unwritten: view.unwritten, unwritable: view.unwritable }, { unwritten: 400, unwritable: ['ENOSPC'] });
      await assertExactlyOnce(storageDir, 0, 300);

      await child.request<WriterView>({ cmd: 'diskFull', on: false });
      view = await child.request<WriterView>({ cmd: 'flush' });
      assert.deepEqual(view, { unwritten: 0, unwritable: ['ENOSPC'], writableAgain: 1 });
      await assertExactlyOnce(storageDir, 0, 700);
      const { tornLines, invalidLines } = await readLedger(storageDir);
      assert.deepEqual({ tornLines, invalidLines }, { tornLines: 0, invalidLines: 0 });
      await child.request<WriterView>({ cmd: 'exit' });
      await child.finished();
    });
  });

  describe('agent log folders', () => {
    let logsDir: string;
    let projectsDir: string;
    let storageDir: string;
    beforeEach(() => {
      logsDir = tempDir('fault-logs');
      projectsDir = path.join(logsDir, 'projects');
      storageDir = tempDir('fault-logs-storage');
    });

    function writeProject(project: string, messages: ClaudeMessage[]): ClaudeMessage[] {
      const placed = messages.map((message) => ({ ...message, file: path.join(project, path.basename(message.file)) }));
      appendClaudeLines(projectsDir, linesOf(placed));
      return placed;
    }

    // Tests run as root, who reads any folder whatever its mode. The importer then runs as `nobody`
    // (uid 65534), so chmod 000 is a real EACCES from the kernel; where nobody cannot reach the
    // checkout (say, under /root), the importer's process injects EACCES for those paths instead.
    it('imports what it can read past a folder and a file it may not read, counts the file, and imports them once allowed', async () => {
      const asRoot = process.getuid?.() === 0;
      const readable = writeProject('-home-dev-open', claudeMessages(40, 0, 2));
      const lockedFolder = writeProject('-home-dev-closed', claudeMessages(30, 1000, 2));
      const lockedFile = writeProject('-home-dev-mixed', claudeMessages(20, 2000, 1));
      const denied = [path.join(projectsDir, '-home-dev-closed'), path.join(projectsDir, lockedFile[0].file)];
      if (asRoot) {
        for (const dir of [logsDir, storageDir]) fs.chmodSync(dir, 0o755);
        fs.chownSync(storageDir, 65534, 65534);
      }
      const user = asRoot ? unprivilegedUser(projectsDir, storageDir) : undefined;
      fs.chmodSync(denied[0], 0o000);
      fs.chmodSync(denied[1], 0o000);
      const injected = asRoot && !user ? { denyRead: denied } : {};

      const first = await importOnce({ storageDir, projectsDir, ...injected }, user);
      assert.equal(first.status, 'done');
      assert.equal(claudeSummary(first).unreadableFiles, 1);
      assert.deepEqual(await importedUsage(storageDir), expected(readable));

      fs.chmodSync(denied[0], 0o755);
      fs.chmodSync(denied[1], 0o644);
      const second = await importOnce({ storageDir, projectsDir }, user);
      assert.deepEqual({ status: second.status, unreadable: claudeSummary(second).unreadableFiles }, { status: 'done', unreadable: 0 });
      assert.deepEqual(await importedUsage(storageDir), expected([...readable, ...lockedFolder, ...lockedFile]));
    });

    it('finishes past a log folder that is a symlink loop, importing the rest once', async () => {
      const good = writeProject('-home-dev-good', claudeMessages(25, 0, 3));
      fs.symlinkSync(path.join(projectsDir, 'loop-b'), path.join(projectsDir, 'loop-a'));
      fs.symlinkSync(path.join(projectsDir, 'loop-a'), path.join(projectsDir, 'loop-b'));
      fs.symlinkSync('..', path.join(projectsDir, '-home-dev-good', 'parent'));
      fs.symlinkSync(projectsDir, path.join(projectsDir, '-home-dev-good', 'again'));
      const loopRoot = path.join(logsDir, 'self');
      fs.symlinkSync(loopRoot, loopRoot);

      const summary = await importOnce({ storageDir, roots: [loopRoot, projectsDir, path.join(projectsDir, 'loop-a')] });
      assert.equal(summary.status, 'done');
      assert.deepEqual(await importedUsage(storageDir), expected(good));
      const again = await importOnce({ storageDir, roots: [loopRoot, projectsDir] });
      assert.deepEqual({ status: again.status, events: again.events }, { status: 'done', events: 0 });
      assert.deepEqual(await importedUsage(storageDir), expected(good));
    });

    it('finishes when a log file is deleted as it is opened, counts it, and imports it when the tool writes it again', async () => {
      const kept = writeProject('-home-dev-kept', claudeMessages(30, 0, 2));
      const vanishing = writeProject('-home-dev-vanishing', claudeMessages(15, 5000, 1));
      const content = fs.readFileSync(path.join(projectsDir, vanishing[0].file));

      const first = await importOnce({ storageDir, projectsDir, deleteOnOpen: '-home-dev-vanishing' });
      assert.equal(first.status, 'done');
      assert.equal(claudeSummary(first).unreadableFiles, 1);
      assert.ok(!fs.existsSync(path.join(projectsDir, vanishing[0].file)));
      assert.deepEqual(await importedUsage(storageDir), expected(kept));

      fs.writeFileSync(path.join(projectsDir, vanishing[0].file), content);
      const second = await importOnce({ storageDir, projectsDir });
      assert.equal(second.status, 'done');
      assert.deepEqual(await importedUsage(storageDir), expected([...kept, ...vanishing]));
    });

    it('finishes when a log file is deleted while it is read, and counts each response once', async () => {
      const kept = writeProject('-home-dev-kept', claudeMessages(30, 0, 2));
      const vanishing = writeProject('-home-dev-vanishing', claudeMessages(15, 5000, 1));

      const first = await importOnce({ storageDir, projectsDir, deleteAfterRead: '-home-dev-vanishing' });
      assert.equal(first.status, 'done');
      assert.ok(!fs.existsSync(path.join(projectsDir, vanishing[0].file)));
      // The open file is still readable on POSIX systems; what was read may count, but only once.
      const usage = await importedUsage(storageDir);
      assert.ok(
        [expected(kept), expected([...kept, ...vanishing])].some((candidate) => candidate.count === usage.count && candidate.outputTokens === usage.outputTokens),
        `unexpected ledger totals ${JSON.stringify(usage)}`,
      );
      const again = await importOnce({ storageDir, projectsDir });
      assert.equal(again.status, 'done');
      assert.deepEqual(await importedUsage(storageDir), usage);
    });
  });
});
