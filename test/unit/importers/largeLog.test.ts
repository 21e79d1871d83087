import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { READING_ITEMS } from '../../../src/importers/incremental';
import type { SourceDefinition } from '../../../src/importers/discovery';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { claudeCodeParser } from '../../../src/importers/sources/claudeCode';
import { claudeAssistantLine, CollectingSink, importOptions, latestEvents, tempDir, writeLines } from './fixtures';

const T = '2026-03-02T09:00:00.000Z';
/** Three readings' worth of responses: a log no import may hold in memory at once. */
const RESPONSES = 3 * READING_ITEMS;

function line(messageId: string, input: number, output: number, sidechain = false, requestId = `req_${messageId}`): string {
  return claudeAssistantLine({ timestamp: T, messageId, requestId, sidechain, usage: { input, output } });
}

/**
 * A Claude Code log of RESPONSES responses whose copies lie readings apart: after every response's line come the final
 * copies of every 8th (whose first line logged one output token), a smaller copy of others, sidechain replays with more
 * tokens than their parent's copy, and the parent copies of responses a sidechain replayed first. Returns what one
 * event per response, with its parent's final copy, adds up to.
 */
function writeLargeLog(file: string): { responses: number; input: number; output: number } {
  const lines: string[] = [];
  const later: string[] = [];
  let input = 0;
  let output = 0;
  for (let i = 0; i < RESPONSES; i++) {
    const id = `msg_${i}`;
    const [tokensIn, tokensOut] = [1 + (i % 100), 2 + (i % 50)];
    input += tokensIn;
    output += tokensOut;
    if (i % 64 === 40) {
      lines.push(line(id, tokensIn, tokensOut + 1000, true, `req_side_${i}`));
      later.push(line(id, tokensIn, tokensOut));
      continue;
    }
    lines.push(line(id, tokensIn, i % 8 === 0 ? 1 : tokensOut));
    if (i % 8 === 0) later.push(line(id, tokensIn, tokensOut));
    if (i % 16 === 4) later.push(line(id, tokensIn, 1));
    if (i % 64 === 8) later.push(line(id, tokensIn, tokensOut + 1000, true, `req_side_${i}`));
  }
  writeLines(file, [...lines, ...later]);
  return { responses: RESPONSES, input, output };
}

function totals(events: readonly UsageEvent[]): { responses: number; input: number; output: number } {
  const latest = latestEvents(events);
  return {
    responses: latest.length,
    input: latest.reduce((sum, event) => sum + event.inputTokens, 0),
    output: latest.reduce((sum, event) => sum + event.outputTokens, 0),
  };
}

/** A sink that also tells how many events the run handed it between two flushes, at most. */
class BatchSink extends CollectingSink {
  largestBatch = 0;
  private flushedAt = 0;
  constructor(private readonly onFlush: () => void = () => undefined) {
    super();
  }
  override async flush(): Promise<void> {
    this.largestBatch = Math.max(this.largestBatch, this.events.length - this.flushedAt);
    this.flushedAt = this.events.length;
    this.onFlush();
  }
}

/**
 * A home whose Claude Code logs are a small one, then the large log (two folders, in this order in CLAUDE_CONFIG_DIR,
 * so that the run meets them in this order).
 */
function largeLogHome(): { home: string; env: RunImportOptions['env']; bytes: number; expected: ReturnType<typeof writeLargeLog> } {
  const home = tempDir('large-home');
  const folders = [path.join(home, 'small'), path.join(home, 'large')];
  const [small, large] = folders.map((folder) => path.join(folder, 'projects', 'p', 'session.jsonl'));
  writeLines(small, [line('msg_small', 7, 7)]);
  const expected = writeLargeLog(large);
  expected.responses++;
  expected.input += 7;
  expected.output += 7;
  return { home, env: { CLAUDE_CONFIG_DIR: folders.join(',') }, bytes: fs.statSync(small).size + fs.statSync(large).size, expected };
}

/**
 * Runs `run` with import options for a home of largeLogHome without read threads, or with one that takes the large
 * log: the run's thread reads the small log, then waits until the thread has loaded (seconds on a loaded machine) and
 * a while longer, so that the thread, which takes files as soon as it can, takes the large one.
 */
async function withReadThreads(threads: number, run: (options: Pick<RunImportOptions, 'readThreads' | 'onProgress'>) => Promise<void>): Promise<void> {
  if (threads === 0) return run({ readThreads: { count: 0 } });
  const started = path.join(tempDir('large-started'), 'started');
  process.env.ASSAY_TEST_READ_THREAD_STARTED = started;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  try {
    await run({
      readThreads: { count: threads, fromBytes: 0, script: path.join(__dirname, 'signallingReadWorker.js') },
      onProgress: ({ filesDone }) => {
        if (filesDone !== 1) return;
        const deadline = Date.now() + 30_000;
        while (!fs.existsSync(started) && Date.now() < deadline) Atomics.wait(pause, 0, 0, 5);
        Atomics.wait(pause, 0, 0, 500);
      },
    });
  } finally {
    delete process.env.ASSAY_TEST_READ_THREAD_STARTED;
  }
}

describe('import of a log larger than one reading', () => {
  it('writes one event per response, its parent\'s largest copy, handing the ledger at most two readings\' worth at once', async function () {
    this.timeout(60_000);
    const { home, env, bytes, expected } = largeLogHome();
    for (const threads of [0, 1]) {
      await withReadThreads(threads, async (readThreads) => {
        const sink = new BatchSink();
        const options = { ...importOptions(home, tempDir('large-storage')), env, ...readThreads, sink };
        const summary = await runImport(options);
        assert.equal(summary.filesReadByThreads, threads, 'the large log was read by a thread, when there was one');
        assert.deepEqual([summary.events, summary.updatedEvents, summary.bytesRead], [expected.responses, 0, bytes], 'a better copy in a later reading of the run is no update');
        assert.deepEqual(totals(sink.events), expected);
        // Records wait in memory from their reading until a flush hands them on: one reading, and fewer than a flush's worth.
        assert.ok(sink.largestBatch <= 2 * READING_ITEMS, `${sink.largestBatch} events in one flush`);
        const again = await runImport(options);
        assert.deepEqual([again.events, again.bytesRead], [0, 0], 'the state saved is the end of the log');
      });
    }
  });

  // An abort (a window closing) in the middle of a large log keeps what was admitted; the rest is read next time.
  it('stops in the middle of a large log when aborted, and the next run reads on, writing what one uninterrupted run writes', async function () {
    this.timeout(60_000);
    const { home, env, expected } = largeLogHome();
    for (const threads of [0, 1]) {
      await withReadThreads(threads, async (readThreads) => {
        const options = { ...importOptions(home, tempDir('large-storage')), env, ...readThreads };
        const controller = new AbortController();
        // The first flush comes after the large log's first reading: the abort comes while the rest is read.
        const sink = new BatchSink(() => controller.abort());
        const stopped = await runImport({ ...options, sink, signal: controller.signal });
        assert.ok(stopped.events > READING_ITEMS && stopped.events < expected.responses, `${stopped.events} of ${expected.responses}`);
        assert.equal(stopped.status, 'aborted');
        const rest = await runImport({ ...options, sink });
        assert.equal(rest.status, 'done');
        assert.equal(stopped.events + rest.events, expected.responses);
        assert.deepEqual(totals(sink.events), expected);
      });
    }
  });

  it('marks none of a large log as read when its first readings reached the ledger but the rest could not, and counts each response once', async function () {
    this.timeout(60_000);
    const { home, env, expected } = largeLogHome();
    const storage = tempDir('large-storage');
    // A ledger that takes the run's first flush and no more: what a run that crashed part-way leaves.
    const written: UsageEvent[] = [];
    const failing = new (class extends CollectingSink {
      override async flush(): Promise<void> {
        if (written.length === 0) written.push(...this.events.splice(0));
      }
      get unwrittenCount(): number {
        return this.events.length;
      }
    })();
    await assert.rejects(runImport({ ...importOptions(home, storage), env, sink: failing }), /could not be written/);
    assert.ok(written.length > 0 && written.length < expected.responses, `${written.length} written`);

    const sink = new CollectingSink();
    const next = await runImport({ ...importOptions(home, storage), env, sink });
    assert.equal(next.events, expected.responses, 'every line is read again');
    assert.deepEqual(totals([...written, ...sink.events]), expected);
  });

  // types.ts, ParserRevision: a log is marked as read by a later revision only once that revision read all of it.
  it('reads a large log again from its start when a later parser revision\'s reading of it was stopped part-way', async function () {
    this.timeout(60_000);
    const { home, env, expected } = largeLogHome();
    const large = path.join(home, 'large', 'projects', 'p', 'session.jsonl');
    let abortOnFlush: AbortController | undefined;
    const sink = new BatchSink(() => abortOnFlush?.abort());
    const options = { ...importOptions(home, tempDir('large-storage')), env, readThreads: { count: 0 }, sink };
    // Revision 0 logged a reasoning token in every response; the fix, revision 1, logs none.
    const claudeAt = (revision: number): SourceDefinition[] =>
      SOURCE_DEFINITIONS.map((definition) => {
        if (definition.source !== 'claude-code') return definition;
        const parseLine: typeof claudeCodeParser.parseLine = (line, state, context) =>
          claudeCodeParser.parseLine(line, state, context).map((record) => ({ ...record, reasoningTokens: revision === 0 ? 1 : 0 }));
        return { ...definition, parser: { ...claudeCodeParser, revision, parseLine } };
      });
    await runImport({ ...options, sources: claudeAt(0) });

    abortOnFlush = new AbortController();
    const stopped = await runImport({ ...options, sources: claudeAt(1), signal: abortOnFlush.signal });
    abortOnFlush = undefined;
    assert.equal(stopped.status, 'aborted');
    assert.ok(stopped.bytesRead < fs.statSync(large).size, 'stopped part-way');

    const again = await runImport({ ...options, sources: claudeAt(1) });
    assert.equal(again.bytesRead, fs.statSync(large).size, 'read again from its start, the small log not');
    assert.equal(again.events, 0, 'no response is new');
    assert.deepEqual(totals(sink.events), expected);
    assert.ok(latestEvents(sink.events).every((event) => event.reasoningTokens === 0), 'every response has the fixed figures');
    const done = await runImport({ ...options, sources: claudeAt(1) });
    assert.deepEqual([done.bytesRead, done.events], [0, 0]);
  });
});
