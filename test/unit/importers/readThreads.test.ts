import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readLedger } from '../../../src/ledger/reader';
import { importerDir } from '../../../src/ledger/storageLocation';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { ReadAhead, type ReadRequest } from '../../../src/importers/readWorkers';
import { writeClaudeCorpus, writeCodexCorpus } from '../../crosscheck/corpus';
import { claudeEditResult, claudeToolUse, type ClaudeSession } from './agentEditFixtures';
import { appendLines, tempDir } from './fixtures';

const NOW = Date.parse('2026-03-20T12:00:00Z');
const pricer = { keptModelName: (raw: string) => raw };

/** A home with Claude Code (streamed copies, sidechain replays, an agent edit) and Codex (forks, archives) logs. */
function home(): string {
  const dir = tempDir('threads-home');
  writeClaudeCorpus(path.join(dir, '.claude'), { targetBytes: 1_500_000, days: 20, seed: 3 });
  writeCodexCorpus(path.join(dir, '.codex'), { targetBytes: 600_000, days: 20, seed: 4 });
  const project = tempDir('threads-work');
  const session: ClaudeSession = { sessionId: 'session-edit', cwd: project, model: 'claude-sonnet-4-5-20250929' };
  const log = path.join(dir, '.claude', 'projects', 'edit-project', 'session-edit.jsonl');
  fs.mkdirSync(path.dirname(log), { recursive: true });
  appendLines(log, [
    claudeToolUse(session, { timestamp: '2026-03-19T10:00:00Z', messageId: 'msg_e', requestId: 'req_e', toolUseId: 'toolu_e', tool: 'Edit', input: {} }),
    claudeEditResult(session, {
      timestamp: '2026-03-19T10:00:01Z',
      toolUseId: 'toolu_e',
      filePath: path.join(project, 'a.ts'),
      oldString: 'a',
      newString: 'b\nc',
      originalFile: 'a\n',
      hunks: [{ oldStart: 1, oldLines: 1, newStart: 1, newLines: 2, lines: ['-a', '+b', '+c'] }],
    }),
  ]);
  fs.writeFileSync(path.join(project, 'a.ts'), 'b\nc\n');
  return dir;
}

/** Everything a run leaves behind that a later run or a report reads: ledger events, import state, emitted indexes. */
async function written(storage: string): Promise<{ events: string[]; importer: Record<string, string> }> {
  const { events } = await readLedger(storage);
  const importer: Record<string, string> = {};
  for (const name of fs.readdirSync(importerDir(storage)).sort()) {
    if (name.endsWith('.json')) importer[name] = fs.readFileSync(path.join(importerDir(storage), name), 'utf8');
  }
  return { events: events.map((event) => JSON.stringify(event)).sort(), importer };
}

function options(homeDir: string, readThreads: RunImportOptions['readThreads']): RunImportOptions {
  return { storageDir: tempDir('threads-storage'), secret: 'threads-secret', pricer, env: {}, homeDir, platform: 'linux', now: () => NOW, readThreads };
}

describe('import read threads', () => {
  it('writes exactly what a run in one thread writes, whichever file a thread finishes first', async function () {
    this.timeout(60_000);
    const dir = home();
    const alone = options(dir, { count: 0 });
    const threaded = options(dir, { count: 2, fromBytes: 0 });
    const one = await runImport(alone);
    // A run's thread that waits after its first file until a thread has loaded (seconds on a loaded machine: CI installs
    // code-server meanwhile), then admits slowly, so that the threads, which take files as soon as they can, take some.
    const started = path.join(tempDir('threads-started'), 'started');
    process.env.ASSAY_TEST_READ_THREAD_STARTED = started;
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const two = await runImport({
      ...threaded,
      readThreads: { ...threaded.readThreads, script: path.join(__dirname, 'signallingReadWorker.js') },
      onProgress: ({ filesDone }) => {
        const deadline = Date.now() + 30_000;
        while (filesDone === 1 && !fs.existsSync(started) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 5);
        Atomics.wait(pause, 0, 0, 20);
      },
    }).finally(() => delete process.env.ASSAY_TEST_READ_THREAD_STARTED);
    assert.equal(one.filesReadByThreads, 0);
    // The run's own thread reads the files no thread has taken yet: the first ones at least, before any thread has started.
    const files = one.sources.reduce((sum, source) => sum + source.files, 0);
    assert.ok(two.filesReadByThreads >= 1 && two.filesReadByThreads < files, `${two.filesReadByThreads} of ${files}`);
    assert.ok(one.events > 200);
    assert.equal(two.events, one.events);
    assert.deepEqual(two.sources, one.sources);
    const [expected, actual] = [await written(alone.storageDir), await written(threaded.storageDir)];
    assert.ok(expected.events.some((event) => event.includes('"agentEdit"')));
    assert.deepEqual(actual, expected);

    // The next run, with a few new lines, reads them in its own thread (below the threshold) and adds nothing twice.
    const again = await runImport(threaded);
    assert.deepEqual([again.events, again.filesReadByThreads], [0, 0]);
  });

  it('reads changed files among unchanged ones in threads, writing what a run in one thread writes', async () => {
    const dir = home();
    const alone = options(dir, { count: 0 });
    const threaded = options(dir, { count: 2, fromBytes: 0 });
    await runImport(alone);
    await runImport(threaded);
    // A new response in every third Claude Code log: the files between them are unchanged, read by no thread.
    const logs = fs
      .readdirSync(path.join(dir, '.claude', 'projects'), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.jsonl'))
      .sort();
    const changed = logs.filter((_, i) => i % 3 === 1);
    changed.forEach((name, i) => {
      const response = {
        type: 'assistant',
        timestamp: '2026-03-20T08:00:00.000Z',
        sessionId: `later-${i}`,
        requestId: `req_later_${i}`,
        message: { id: `msg_later_${i}`, model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 10 + i, output_tokens: 3 } },
      };
      appendLines(path.join(dir, '.claude', 'projects', name), [JSON.stringify(response)]);
    });
    const one = await runImport(alone);
    const pause = new Int32Array(new SharedArrayBuffer(4));
    const two = await runImport({ ...threaded, onProgress: () => Atomics.wait(pause, 0, 0, 20) });
    assert.ok(changed.length >= 2 && one.events === changed.length, `${one.events} new of ${changed.length}`);
    assert.equal(two.events, one.events);
    assert.deepEqual(await written(threaded.storageDir), await written(alone.storageDir));
  });

  // An abort (a window closing) mid-run keeps what it read, agent edits included: their lines are marked as read.
  it('stops, with or without threads, when aborted part-way, and the next run writes what one uninterrupted run writes', async () => {
    const dir = home();
    const alone = options(dir, { count: 0 });
    const whole = await runImport(alone);
    // Plan limit observations are left out: a figure seen again in a later run is written again with that run's first
    // time for it, interrupted or not (limitImport.ts); the window's latest figure is the same.
    const responsesAndEdits = async (storage: string) => (await written(storage)).events.filter((event) => !event.includes('"kind":"limit'));
    for (const readThreads of [{ count: 0 }, { count: 2, fromBytes: 0 }]) {
      const interrupted = options(dir, readThreads);
      const controller = new AbortController();
      const pause = new Int32Array(new SharedArrayBuffer(4));
      const stopped = await runImport({
        ...interrupted,
        signal: controller.signal,
        onProgress: ({ filesDone }) => {
          // Long enough for threads to have started and taken files when the run stops.
          Atomics.wait(pause, 0, 0, 20);
          if (filesDone === 8) controller.abort();
        },
      });
      assert.equal(stopped.status, 'aborted');
      assert.ok(stopped.events > 0 && stopped.events < whole.events, `${stopped.events} of ${whole.events}`);
      const editsBeforeRest = (await written(interrupted.storageDir)).events.filter((event) => event.includes('"agentEdit"'));
      assert.equal(editsBeforeRest.length, 1, 'the stopped run read the log with the edit, and wrote the edit');
      const rest = await runImport(interrupted);
      assert.equal(rest.status, 'done');
      assert.equal(stopped.events + rest.events, whole.events);
      const [expected, actual] = [await responsesAndEdits(alone.storageDir), await responsesAndEdits(interrupted.storageDir)];
      assert.ok(expected.some((event) => event.includes('"agentEdit"')));
      assert.deepEqual(actual, expected, `read threads: ${readThreads.count}`);
    }
  });

  it('reads in the run\'s own thread the files of threads that failed, losing nothing', async () => {
    const dir = home();
    const broken = path.join(tempDir('threads-script'), 'readWorker.js');
    fs.writeFileSync(broken, "throw new Error('this thread cannot start');\n");
    const alone = options(dir, { count: 0 });
    const failing = options(dir, { count: 2, fromBytes: 0, script: broken });
    await runImport(alone);
    const summary = await runImport(failing);
    assert.equal(summary.filesReadByThreads, 0);
    assert.deepEqual(await written(failing.storageDir), await written(alone.storageDir));
  });
});

describe('read-ahead', () => {
  const MB = 1024 * 1024;
  const requests = (sizes: (number | null)[]) => sizes.map((bytes) => (bytes === null ? null : ({ bytes } as ReadRequest)));

  it('lets threads read up to 64 files past the one being admitted', () => {
    const ahead = new ReadAhead(requests(new Array<number>(200).fill(1000)));
    assert.equal(ahead.allows(63, 0), true);
    assert.equal(ahead.allows(64, 0), false);
    assert.equal(ahead.allows(164, 100), false);
    assert.equal(ahead.allows(163, 100), true);
  });

  // Readings waiting to be admitted hold their records in memory: large files stop the read-ahead sooner.
  it('and no further than 64 MB of reading past it, but always the file being admitted', () => {
    const ahead = new ReadAhead(requests([100 * MB, 30 * MB, null, 30 * MB, 10 * MB, 1 * MB]));
    assert.equal(ahead.allows(0, 0), true);
    assert.equal(ahead.allows(1, 0), false);
    assert.equal(ahead.allows(1, 1), true);
    assert.equal(ahead.allows(3, 1), true);
    assert.equal(ahead.allows(4, 1), true);
    assert.equal(ahead.allows(5, 1), false);
  });
});
