import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { readLedger } from '../../../src/ledger/reader';
import { LedgerWriter } from '../../../src/ledger/writer';
import { acquireImportLock, lockPath } from '../../../src/ledger/importLock';
import { importerDir } from '../../../src/ledger/storageLocation';
import { runImport, type RunImportOptions, type UsageEventSink } from '../../../src/importers/runImport';
import { EmittedIndex, OpaqueIds, RecordIdMaker } from '../../../src/importers/emittedIndex';
import { parseContext } from '../../../src/importers/rawJson';
import { codexParser } from '../../../src/importers/sources/codex';
import {
  addTokens,
  appendLines,
  claudeAssistantLine,
  claudeToolResultLine,
  claudeUserLine,
  codexSessionMeta,
  codexTokenCount,
  codexTurnContext,
  failReadsOnce,
  tempDir,
  writeLines,
} from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers');
const KNOWN_MODELS = new Set(['claude-sonnet-4-20250514', 'claude-opus-4-1-20250805', 'gpt-5.2']);
const pricer = { keptModelName: (raw: string) => (KNOWN_MODELS.has(raw) ? raw : 'other') };
const SECRET = 'test-secret';

class CollectingSink implements UsageEventSink {
  readonly events: UsageEvent[] = [];
  flushes = 0;
  append(event: UsageEvent): void {
    this.events.push(event);
  }
  async flush(): Promise<void> {
    this.flushes++;
  }
}

interface Setup {
  home: string;
  storage: string;
  claudeProjects: string;
  codexSessions: string;
  options(extra?: Partial<RunImportOptions>): RunImportOptions;
}

const writers: LedgerWriter[] = [];
afterEach(async () => {
  for (const writer of writers.splice(0)) await writer.dispose();
});

function setup(): Setup {
  const home = tempDir('home');
  const storage = tempDir('storage');
  // One writer per test, as the extension host has one: see the report on upsert order across segments.
  const writer = new LedgerWriter({ storageDir: storage });
  writers.push(writer);
  const claudeProjects = path.join(home, '.claude', 'projects');
  const codexSessions = path.join(home, '.codex', 'sessions');
  return {
    home,
    storage,
    claudeProjects,
    codexSessions,
    options: (extra = {}) => ({
      storageDir: storage,
      secret: SECRET,
      pricer,
      env: {},
      homeDir: home,
      platform: 'linux',
      sink: writer,
      ...extra,
    }),
  };
}

/** Usage as the ledger's readers see it: latest event per id. */
async function ledgerUsage(storage: string): Promise<UsageEvent[]> {
  const { events } = await readLedger(storage);
  return events.filter((event): event is UsageEvent => event.kind === 'usage');
}

/** Edits each file's saved state in `importers/state.json`, as a hand edit or another build might have left it. */
function editSavedFileStates<FileState>(storage: string, edit: (fileState: FileState) => void): void {
  const statePath = path.join(importerDir(storage), 'state.json');
  const state = JSON.parse(fs.readFileSync(statePath, 'utf8')) as { files: Record<string, FileState> };
  for (const fileState of Object.values(state.files)) edit(fileState);
  fs.writeFileSync(statePath, JSON.stringify(state));
}

function totals(events: UsageEvent[]) {
  return events.reduce(
    (sum, e) => ({
      responses: sum.responses + 1,
      input: sum.input + e.inputTokens,
      output: sum.output + e.outputTokens,
      cacheRead: sum.cacheRead + e.cacheReadTokens,
      cacheWrite: sum.cacheWrite + e.cacheWrite5mTokens + e.cacheWrite1hTokens,
    }),
    { responses: 0, input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
  );
}

const T = '2026-03-02T09:00:00.000Z';
const assistant = (messageId: string, usage: { input: number; output: number; cacheRead?: number }, extra = {}) =>
  claudeAssistantLine({ timestamp: T, messageId, requestId: `req_${messageId}`, usage, ...extra });

/** Two responses a Codex session logs, the running total after them, and a response a fork then makes of its own. */
const CODEX_FIRST = { input: 100, cached: 40, output: 10 };
const CODEX_SECOND = { input: 60, cached: 20, output: 5 };
const CODEX_AFTER_TWO = addTokens(CODEX_FIRST, CODEX_SECOND);
const CODEX_OWN = { input: 50, output: 5 };

/** A session's session_meta lines (its own, then any it copied), its model and its two responses, from `at` on. */
function codexTwoResponses(metas: string[], at: { meta: string; first: string; second: string }): string[] {
  return [
    ...metas,
    codexTurnContext(at.meta, 'gpt-5.2'),
    codexTokenCount(at.first, CODEX_FIRST, CODEX_FIRST),
    codexTokenCount(at.second, CODEX_AFTER_TWO, CODEX_SECOND),
  ];
}

/** A rollout's lines as a fork copies them, each stamped as it is written: within milliseconds (sources/codex.ts header). */
function copiedAt(lines: string[], timestamp: string): string[] {
  return lines.map((line) => line.replace(/"timestamp":"[^"]+"/, `"timestamp":"${timestamp}"`));
}

describe('runImport', () => {
  it('writes one event per streamed response, with its largest copy, into the ledger', async () => {
    const s = setup();
    const session = path.join(s.claudeProjects, '-home-dev-secret-project', 'session-0001.jsonl');
    writeLines(session, [
      claudeUserLine(T, 'do it'),
      assistant('msg_a', { input: 10, output: 1, cacheRead: 100 }),
      assistant('msg_a', { input: 10, output: 57, cacheRead: 100 }),
      claudeToolResultLine(T, 'ok'),
      assistant('msg_b', { input: 3, output: 20 }),
    ]);
    const summary = await runImport(s.options());
    assert.equal(summary.status, 'done');
    const claude = summary.sources.find((x) => x.source === 'claude-code');
    assert.deepEqual({ found: claude?.found, files: claude?.files, newEvents: claude?.newEvents }, { found: true, files: 1, newEvents: 2 });
    assert.ok(claude?.lastReadAt);
    assert.deepEqual(summary.sources.find((x) => x.source === 'codex')?.found, false);
    const usage = await ledgerUsage(s.storage);
    assert.deepEqual(totals(usage), { responses: 2, input: 13, output: 77, cacheRead: 100, cacheWrite: 0 });
  });

  describe('a response the API paused and Claude Code resumed (message.pausedResponses)', () => {
    const PAUSED_TOTALS = { input: 8, output: 32_900, cacheRead: 102_000, cacheWrite: 0 };
    /** The resumed request's line, which carries the paused request's final counts; `requestId` of each as given. */
    const resumedLine = (o: { requestId?: string; pausedRequestId?: string; sidechain?: boolean }) => {
      const line = JSON.parse(claudeAssistantLine({ timestamp: T, messageId: 'msg_p', requestId: o.requestId ?? '', sidechain: o.sidechain, usage: { input: 3, output: 900, cacheRead: 52_000 } })) as {
        requestId?: string;
        message: Record<string, unknown>;
      };
      if (o.requestId === undefined) delete line.requestId;
      const usage = { input_tokens: 5, output_tokens: 32_000, cache_read_input_tokens: 50_000, cache_creation_input_tokens: 0 };
      line.message.pausedResponses = [{ limit: 'max_tokens', usage, ...(o.pausedRequestId ? { requestId: o.pausedRequestId } : {}) }];
      return JSON.stringify(line);
    };
    /** A block that finished before the pause, written with its request's counts so far. */
    const beforePause = (o: { requestId?: string; sidechain?: boolean }) => {
      const line = JSON.parse(claudeAssistantLine({ timestamp: T, messageId: 'msg_p', requestId: o.requestId ?? '', sidechain: o.sidechain, usage: { input: 5, output: 12, cacheRead: 50_000 } })) as { requestId?: string };
      if (o.requestId === undefined) delete line.requestId;
      return JSON.stringify(line);
    };

    it('counts each request once, the paused one at its final counts, not its counts so far', async () => {
      const s = setup();
      const session = path.join(s.claudeProjects, '-home-dev-secret-project', 'session-0001.jsonl');
      const resumed = resumedLine({ requestId: 'req_2', pausedRequestId: 'req_1' });
      writeLines(session, [beforePause({ requestId: 'req_1' }), resumed, resumed]);
      await runImport(s.options());
      assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, ...PAUSED_TOTALS });
      await runImport(s.options());
      assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, ...PAUSED_TOTALS });
    });

    it('counts it whole when its requests cannot be told apart: a subagent\'s own, or logged without request ids', async () => {
      for (const sidechain of [true, false]) {
        const s = setup();
        // Every line of a subagent's transcript is a sidechain line, so its records count as replays.
        const file = sidechain ? path.join(s.claudeProjects, 'proj', 'sess', 'subagents', 'agent-1.jsonl') : path.join(s.claudeProjects, 'proj', 'sess.jsonl');
        const lines = sidechain
          ? [beforePause({ requestId: 'req_1', sidechain }), resumedLine({ requestId: 'req_2', pausedRequestId: 'req_1', sidechain })]
          : [beforePause({}), resumedLine({})];
        writeLines(file, lines);
        await runImport(s.options());
        assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 1, ...PAUSED_TOTALS }, sidechain ? 'a subagent\'s own' : 'no request ids');
      }
    });

    it('keeps the parent\'s requests when a subagent replays the response, whichever is read first', async () => {
      for (const subagentFirst of [true, false]) {
        const s = setup();
        const parent = path.join(s.claudeProjects, 'proj', 'sess.jsonl');
        const sub = path.join(s.claudeProjects, 'proj', 'sess', 'subagents', 'agent-1.jsonl');
        const parentLines = [beforePause({ requestId: 'req_1' }), resumedLine({ requestId: 'req_2', pausedRequestId: 'req_1' })];
        const subLines = [resumedLine({ requestId: 'req_replay', pausedRequestId: 'req_1', sidechain: true })];
        writeLines(subagentFirst ? sub : parent, subagentFirst ? subLines : parentLines);
        await runImport(s.options());
        writeLines(subagentFirst ? parent : sub, subagentFirst ? parentLines : subLines);
        await runImport(s.options());
        assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, ...PAUSED_TOTALS }, subagentFirst ? 'subagent first' : 'parent first');
      }
    });
  });

  it('keeps the parent copy of a response a subagent replays, whichever file or run comes first', async () => {
    for (const order of ['subagent-first-run', 'parent-first-run', 'same-run'] as const) {
      const s = setup();
      const parent = path.join(s.claudeProjects, 'proj', 'sess.jsonl');
      const sub = path.join(s.claudeProjects, 'proj', 'sess', 'subagents', 'agent-1.jsonl');
      const parentLines = [assistant('msg_p', { input: 5, output: 50, cacheRead: 20 })];
      const subLines = [
        claudeAssistantLine({ timestamp: T, messageId: 'msg_p', requestId: 'req_replay', sidechain: true, usage: { input: 5, output: 50, cacheRead: 50_000 } }),
        claudeAssistantLine({ timestamp: T, messageId: 'msg_s', requestId: 'req_s', sidechain: true, usage: { input: 7, output: 30, cacheRead: 700 } }),
      ];
      if (order === 'same-run') {
        writeLines(parent, parentLines);
        writeLines(sub, subLines);
        await runImport(s.options());
      } else {
        const [firstFile, firstLines, secondFile, secondLines] =
          order === 'subagent-first-run' ? [sub, subLines, parent, parentLines] : [parent, parentLines, sub, subLines];
        writeLines(firstFile, firstLines);
        await runImport(s.options());
        writeLines(secondFile, secondLines);
        await runImport(s.options());
      }
      const t = totals(await ledgerUsage(s.storage));
      assert.deepEqual(t, { responses: 2, input: 12, output: 80, cacheRead: 720, cacheWrite: 0 }, order);
    }
  });

  it('counts a response a subagent replays once, also when a run could not read which records were written (a scanner held the file)', async () => {
    const s = setup();
    writeLines(path.join(s.claudeProjects, 'proj', 'sess.jsonl'), [assistant('msg_p', { input: 5, output: 50, cacheRead: 20 })]);
    await runImport(s.options());
    writeLines(path.join(s.claudeProjects, 'proj', 'sess', 'subagents', 'agent-1.jsonl'), [
      claudeAssistantLine({ timestamp: T, messageId: 'msg_p', requestId: 'req_replay', sidechain: true, usage: { input: 5, output: 50, cacheRead: 50_000 } }),
      claudeAssistantLine({ timestamp: T, messageId: 'msg_s', requestId: 'req_s', sidechain: true, usage: { input: 7, output: 30, cacheRead: 700 } }),
    ]);
    const index = EmittedIndex.filePath(s.storage, 'claude-code');
    const busy = failReadsOnce(index, 'EBUSY');
    try {
      await runImport(s.options()).catch(() => undefined);
    } finally {
      busy.restore();
    }
    assert.ok(busy.failed(), 'the index was read');
    await runImport(s.options());
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, input: 12, output: 80, cacheRead: 720, cacheWrite: 0 });
  });

  it('reads only the bytes appended since the last run, and a partial last line once it is complete', async () => {
    const s = setup();
    const file = path.join(s.claudeProjects, 'proj', 'sess.jsonl');
    writeLines(file, [assistant('msg_1', { input: 1, output: 1 }), claudeToolResultLine(T, 'y'.repeat(5000))]);
    const first = await runImport(s.options());
    assert.equal(first.events, 1);
    const sizeAfterFirst = fs.statSync(file).size;

    const nextLine = assistant('msg_2', { input: 2, output: 2 });
    fs.appendFileSync(file, nextLine.slice(0, 40));
    const partial = await runImport(s.options());
    assert.equal(partial.events, 0);
    assert.equal(partial.bytesRead, 40);

    fs.appendFileSync(file, `${nextLine.slice(40)}\n`);
    const completed = await runImport(s.options());
    assert.equal(completed.events, 1);
    assert.equal(completed.bytesRead, fs.statSync(file).size - sizeAfterFirst, 'reads from the end of the last complete line');

    const repeat = await runImport(s.options());
    assert.deepEqual([repeat.events, repeat.bytesRead], [0, 0]);
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, input: 3, output: 3, cacheRead: 0, cacheWrite: 0 });

    // A later streamed copy of a response written before: nothing new, one response updated (the editor refreshes on it).
    appendLines(file, [assistant('msg_2', { input: 2, output: 9 })]);
    const better = await runImport(s.options());
    assert.deepEqual([better.events, better.updatedEvents], [0, 1]);
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, input: 3, output: 10, cacheRead: 0, cacheWrite: 0 });
  });

  it('re-reads a file replaced by a shorter one without counting anything twice', async () => {
    const s = setup();
    const file = path.join(s.claudeProjects, 'proj', 'sess.jsonl');
    writeLines(file, [
      claudeToolResultLine(T, 'z'.repeat(3000)),
      assistant('msg_1', { input: 1, output: 10 }),
      assistant('msg_2', { input: 2, output: 20 }),
    ]);
    await runImport(s.options());
    fs.rmSync(file);
    writeLines(file, [assistant('msg_1', { input: 1, output: 10 }), assistant('msg_3', { input: 4, output: 40 })]);
    const second = await runImport(s.options());
    assert.equal(second.bytesRead, fs.statSync(file).size, 'read again from the start');
    assert.equal(second.events, 1, 'only the response not seen before is written');
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 3, input: 7, output: 70, cacheRead: 0, cacheWrite: 0 });
  });

  it('reads a file rewritten in place from its start, also when the first run found it empty or its first line half written', async () => {
    const rewrittenInPlace = async (firstSeen: 'complete' | 'empty' | 'halfWritten') => {
      const s = setup();
      const file = path.join(s.claudeProjects, 'proj', 'sess.jsonl');
      const firstLine = assistant('msg_1', { input: 1, output: 10 });
      if (firstSeen !== 'complete') {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, firstSeen === 'empty' ? '' : firstLine.slice(0, 40));
        await runImport(s.options());
      }
      writeLines(file, [firstLine]);
      await runImport(s.options());
      const appended = assistant('msg_5', { input: 5, output: 50 });
      appendLines(file, [appended]);
      const growing = await runImport(s.options());
      assert.equal(growing.bytesRead, Buffer.byteLength(`${appended}\n`), 'a file that only grew is read from where the last run stopped');
      const inode = fs.statSync(file).ino;
      // Truncated and written again: the same inode, and more bytes than were read before.
      writeLines(file, [assistant('msg_2', { input: 2, output: 20 }), assistant('msg_3', { input: 3, output: 30 }), assistant('msg_4', { input: 4, output: 40 })]);
      assert.equal(fs.statSync(file).ino, inode);
      const rewritten = await runImport(s.options());
      return { events: rewritten.events, totals: totals(await ledgerUsage(s.storage)) };
    };
    const control = await rewrittenInPlace('complete');
    assert.deepEqual(control, { events: 3, totals: { responses: 5, input: 15, output: 150, cacheRead: 0, cacheWrite: 0 } });
    assert.deepEqual(await rewrittenInPlace('empty'), control);
    assert.deepEqual(await rewrittenInPlace('halfWritten'), control);
  });

  it('counts each of 30,000 requests a Claude Code log makes under one message id, without stalling the import', async () => {
    const s = setup();
    const requests = Array.from({ length: 30_000 }, (_, i) => claudeAssistantLine({ timestamp: T, messageId: 'msg_shared', requestId: `req_${i}`, usage: { input: 1, output: 1 } }));
    writeLines(path.join(s.claudeProjects, 'proj', 'sess.jsonl'), requests);
    const summary = await runImport(s.options({ sink: new CollectingSink() }));
    assert.equal(summary.events, 30_000);
  });

  it('reads a file again from its start when its saved state vouches for the offset read with the head of an empty file', async () => {
    const s = setup();
    const file = path.join(s.claudeProjects, 'proj', 'sess.jsonl');
    writeLines(file, [assistant('msg_1', { input: 1, output: 10 })]);
    await runImport(s.options());
    // As earlier versions saved a file first seen empty: its head stayed the hash of no bytes.
    editSavedFileStates<{ headHash: string }>(s.storage, (fileState) => (fileState.headHash = `0:${createHash('sha1').digest('hex')}`));

    writeLines(file, [assistant('msg_2', { input: 2, output: 20 }), assistant('msg_3', { input: 3, output: 30 })]);
    const rewritten = await runImport(s.options());
    assert.equal(rewritten.events, 2);
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 3, input: 6, output: 60, cacheRead: 0, cacheWrite: 0 });
  });

  it('reads on past a saved state whose head or offset no import writes, instead of failing that file on every run', async () => {
    const tampered: Array<(fileState: { headHash: string; offset: number }) => void> = [
      (fileState) => (fileState.headHash = `1000000000000000:${createHash('sha1').digest('hex')}`),
      (fileState) => (fileState.headHash = `-1:${createHash('sha1').digest('hex')}`),
      (fileState) => (fileState.offset += 0.5),
    ];
    for (const tamper of tampered) {
      const s = setup();
      const file = path.join(s.claudeProjects, 'proj', 'sess.jsonl');
      writeLines(file, [assistant('msg_1', { input: 1, output: 10 })]);
      await runImport(s.options());
      editSavedFileStates(s.storage, tamper);

      appendLines(file, [assistant('msg_2', { input: 2, output: 20 })]);
      const next = await runImport(s.options());
      assert.equal(next.sources.find((x) => x.source === 'claude-code')?.unreadableFiles, 0);
      assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, input: 3, output: 30, cacheRead: 0, cacheWrite: 0 });
    }
  });

  it('reads a file again from its start when its saved parser state is not one the parser writes, counting nothing twice', async () => {
    for (const parserState of [null, 'text', { project: 5, session: [] }, { project: 'p'.repeat(5000), session: '' }]) {
      const s = setup();
      const file = path.join(s.claudeProjects, 'proj', 'sess.jsonl');
      writeLines(file, [assistant('msg_1', { input: 1, output: 10 })]);
      await runImport(s.options());
      editSavedFileStates<{ parserState: unknown }>(s.storage, (fileState) => (fileState.parserState = parserState));

      appendLines(file, [claudeUserLine(T, 'go on'), assistant('msg_2', { input: 2, output: 20 })]);
      const next = await runImport(s.options());
      assert.deepEqual(next.sources.find((x) => x.source === 'claude-code')?.rejectedLines, {});
      const usage = await ledgerUsage(s.storage);
      assert.deepEqual(totals(usage), { responses: 2, input: 3, output: 30, cacheRead: 0, cacheWrite: 0 });
      assert.equal(new Set(usage.map((event) => event.project)).size, 1);
    }
  });

  it('counts a Claude Code response whose token counts are strings as a rejected line, and skips a usage block without counts silently', async () => {
    const s = setup();
    const withUsage = (messageId: string, edit: (usage: Record<string, unknown>) => void) => {
      const line = JSON.parse(assistant(messageId, { input: 100, output: 10 })) as { message: { usage: Record<string, unknown> } };
      edit(line.message.usage);
      return JSON.stringify(line);
    };
    writeLines(path.join(s.claudeProjects, 'proj', 'sess.jsonl'), [
      assistant('msg_1', { input: 1, output: 10 }),
      withUsage('msg_2', (usage) => (usage.input_tokens = '100')),
      withUsage('msg_3', (usage) => Object.assign(usage, { input_tokens: '100', output_tokens: '10' })),
      withUsage('msg_4', (usage) => delete usage.output_tokens),
      withUsage('msg_5', (usage) => (usage.output_tokens = null)),
    ]);
    const summary = await runImport(s.options());
    assert.deepEqual(summary.sources.find((source) => source.source === 'claude-code')?.rejectedLines, { tokens: 2 });
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 1, input: 1, output: 10, cacheRead: 0, cacheWrite: 0 });
  });

  it('reads a 5 MB line, empty files, and maps unknown models to other', async () => {
    const s = setup();
    writeLines(path.join(s.claudeProjects, 'proj', 'empty.jsonl'), []);
    writeLines(path.join(s.claudeProjects, 'proj', 'big.jsonl'), [
      claudeToolResultLine(T, 'q'.repeat(5 * 1024 * 1024)),
      assistant('msg_big', { input: 9, output: 9 }, { text: 'w'.repeat(3 * 1024 * 1024), model: 'claude-future-9' }),
      assistant('msg_after', { input: 1, output: 1 }),
    ]);
    const summary = await runImport(s.options());
    assert.equal(summary.sources.find((x) => x.source === 'claude-code')?.files, 2);
    const usage = await ledgerUsage(s.storage);
    assert.deepEqual(usage.map((e) => e.model).sort(), ['claude-sonnet-4-20250514', 'other']);
  });

  it('reads logs that start with a byte order mark, as some Windows editors and tools write them, whole or line by line', async () => {
    const s = setup();
    const bom = '\uFEFF';
    fs.mkdirSync(path.join(s.claudeProjects, 'proj'), { recursive: true });
    fs.writeFileSync(path.join(s.claudeProjects, 'proj', 'sess.jsonl'), `${bom}${assistant('msg_1', { input: 1, output: 10 })}\r\n${assistant('msg_2', { input: 2, output: 20 })}\r\n`);
    const geminiSession = 'session-2025-09-01T08-00-1e9acy01.json';
    const chats = path.join(s.home, '.gemini', 'tmp', 'proj', 'chats');
    fs.mkdirSync(chats, { recursive: true });
    fs.writeFileSync(path.join(chats, geminiSession), `${bom}${fs.readFileSync(path.join(FIXTURES, 'gemini', geminiSession), 'utf8')}`);
    const summary = await runImport(s.options());
    const claude = summary.sources.find((x) => x.source === 'claude-code');
    const gemini = summary.sources.find((x) => x.source === 'gemini-cli');
    assert.deepEqual([claude?.newEvents, claude?.rejectedLines, gemini?.rejectedLines], [2, {}, {}]);
    assert.ok((gemini?.newEvents ?? 0) > 0);
  });

  it('counts a Gemini session once when a resume rewrites its file whole and keeps the old one aside', async () => {
    // npm @google/gemini-cli-core 0.61.0 (google-gemini/gemini-cli 348fc35f176d02403e37d7891bc554a28a71c595),
    // chatRecordingService.js rewriteConversationFile(): the file is renamed to `<file>.unreadable-<ms>` and a new one
    // with the same session and message ids takes its place (temp file + rename), then appends go on.
    const s = setup();
    const file = path.join(s.home, '.gemini', 'tmp', 'proj', 'chats', 'session-2026-09-26T08-00-4e3a1001.jsonl');
    const gemini = (id: string, input: number) =>
      JSON.stringify({ id, timestamp: '2026-09-26T08:00:04.000Z', type: 'gemini', content: 'ok', model: 'gemini-3-flash-preview', tokens: { input, output: 10, cached: 0, thoughts: 0, tool: 0, total: input + 10 } });
    const head = [JSON.stringify({ sessionId: '4e3a1001-aaaa-4bbb-8ccc-000000000006', projectHash: 'ef'.repeat(32), startTime: '2026-09-26T08:00:00.000Z', lastUpdated: '2026-09-26T08:00:00.000Z' }), gemini('g-1', 100)];
    writeLines(file, head);
    await runImport(s.options());
    fs.renameSync(file, `${file}.unreadable-1790000000000`);
    writeLines(file, [...head, JSON.stringify({ $set: { sessionId: '4e3a1001-aaaa-4bbb-8ccc-000000000006' } }), gemini('g-2', 200)]);
    await runImport(s.options());
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, input: 300, output: 20, cacheRead: 0, cacheWrite: 0 });
  });

  it('imports Codex sessions and archived sessions without counting an archived copy twice', async () => {
    const s = setup();
    const lines = [
      codexSessionMeta('2026-05-01T10:00:00Z', 'sess-1'),
      codexTurnContext('2026-05-01T10:00:00Z', 'gpt-5.2'),
      codexTokenCount('2026-05-01T10:00:05Z', { input: 100, cached: 40, output: 10 }, { input: 100, cached: 40, output: 10 }),
      codexTokenCount('2026-05-01T10:00:06Z', { input: 100, cached: 40, output: 10 }, { input: 100, cached: 40, output: 10 }),
    ];
    writeLines(path.join(s.codexSessions, '2026', '05', '01', 'rollout-a.jsonl'), lines);
    writeLines(path.join(s.home, '.codex', 'archived_sessions', 'rollout-a.jsonl'), lines);
    const summary = await runImport(s.options());
    assert.equal(summary.sources.find((x) => x.source === 'codex')?.files, 2);
    const usage = await ledgerUsage(s.storage);
    assert.deepEqual(totals(usage), { responses: 1, input: 60, output: 10, cacheRead: 40, cacheWrite: 0 });
    assert.equal(usage[0].source, 'codex');
  });

  it('counts two Codex sessions whose first responses logged the same counts, once each', async () => {
    const s = setup();
    for (const session of ['sess-1', 'sess-2']) {
      writeLines(path.join(s.codexSessions, '2026', '05', '01', `rollout-${session}.jsonl`), [
        codexSessionMeta('2026-05-01T10:00:00Z', session),
        codexTurnContext('2026-05-01T10:00:00Z', 'gpt-5.2'),
        codexTokenCount('2026-05-01T10:00:05Z', { input: 100, cached: 40, output: 10 }, { input: 100, cached: 40, output: 10 }),
      ]);
    }
    await runImport(s.options());
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, input: 120, output: 20, cacheRead: 80, cacheWrite: 0 });
  });

  it('counts once the parent response a subagent replays alone before its own first response', async () => {
    const s = setup();
    writeLines(path.join(s.codexSessions, '2026', '05', '01', 'rollout-parent.jsonl'), [
      codexSessionMeta('2026-05-01T10:00:00Z', 'parent'),
      codexTurnContext('2026-05-01T10:00:00Z', 'gpt-5.2'),
      codexTokenCount('2026-05-01T10:00:05Z', { input: 100, cached: 40, output: 10 }, { input: 100, cached: 40, output: 10 }),
    ]);
    // The subagent, spawned after the parent's one response, replays that count (stamped with its creation second),
    // then answers once itself.
    writeLines(path.join(s.codexSessions, '2026', '05', '01', 'rollout-child.jsonl'), [
      codexSessionMeta('2026-05-01T10:01:00Z', 'child', { source: { subagent: { thread_spawn: { parent_thread_id: 'parent' } } } }),
      codexSessionMeta('2026-05-01T10:01:00Z', 'parent'),
      codexTurnContext('2026-05-01T10:01:00Z', 'gpt-5.2'),
      codexTokenCount('2026-05-01T10:01:00.100Z', { input: 100, cached: 40, output: 10 }, { input: 100, cached: 40, output: 10 }),
      codexTokenCount('2026-05-01T10:01:30Z', { input: 150, cached: 40, output: 15 }, { input: 50, output: 5 }),
    ]);
    await runImport(s.options());
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, input: 110, output: 15, cacheRead: 40, cacheWrite: 0 });
  });

  it("counts once a legacy fork's copy of its parent counts that crosses a second's tick", async () => {
    const s = setup();
    const first = { input: 100, cached: 40, output: 10 };
    const second = { input: 60, cached: 20, output: 5 };
    const third = { input: 80, output: 8 };
    const afterTwo = addTokens(first, second);
    const afterThree = addTokens(afterTwo, third);
    writeLines(path.join(s.codexSessions, '2026', '05', '01', 'rollout-parent.jsonl'), [
      codexSessionMeta('2026-05-01T10:00:00Z', 'parent'),
      codexTurnContext('2026-05-01T10:00:00Z', 'gpt-5.2'),
      codexTokenCount('2026-05-01T10:00:05Z', first, first),
      codexTokenCount('2026-05-01T10:00:20Z', afterTwo, second),
      codexTokenCount('2026-05-01T10:00:40Z', afterThree, third),
    ]);
    // The fork copies the parent's counts, each stamped as it is written (codex-rs/rollout/src/recorder.rs at
    // 05eb6e5e8b57cdd7c732baa6782a3ea26a3cfac3), the copy running past a second's tick; then it answers once itself,
    // its running total going on from the parent's.
    writeLines(path.join(s.codexSessions, '2026', '05', '01', 'rollout-fork.jsonl'), [
      codexSessionMeta('2026-05-01T10:01:00.997Z', 'fork', { forked_from_id: 'parent' }),
      codexSessionMeta('2026-05-01T10:01:00.997Z', 'parent'),
      codexTurnContext('2026-05-01T10:01:00.998Z', 'gpt-5.2'),
      codexTokenCount('2026-05-01T10:01:00.998Z', first, first),
      codexTokenCount('2026-05-01T10:01:00.999Z', afterTwo, second),
      codexTokenCount('2026-05-01T10:01:01.001Z', afterThree, third),
      codexTokenCount('2026-05-01T10:01:30Z', addTokens(afterThree, { input: 50, output: 5 }), { input: 50, output: 5 }),
    ]);
    await runImport(s.options());
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 4, input: 230, output: 28, cacheRead: 60, cacheWrite: 0 });
  });

  it("counts once a fork of a legacy fork's first copied count, the grandparent's first response", async () => {
    const s = setup();
    const day = path.join(s.codexSessions, '2026', '05', '01');
    const afterOwn = addTokens(CODEX_AFTER_TWO, CODEX_OWN);
    const last = { input: 30, output: 3 };
    writeLines(path.join(day, 'rollout-parent.jsonl'), codexTwoResponses([codexSessionMeta('2026-05-01T10:00:00Z', 'parent')], {
      meta: '2026-05-01T10:00:00Z', first: '2026-05-01T10:00:05Z', second: '2026-05-01T10:00:20Z',
    }));
    // A fork repeats its parent's session_meta after its own, then copies its history.
    const forkLines = [
      ...codexTwoResponses(
        [codexSessionMeta('2026-05-01T10:01:00.000Z', 'fork', { forked_from_id: 'parent' }), codexSessionMeta('2026-05-01T10:01:00.001Z', 'parent')],
        { meta: '2026-05-01T10:01:00.002Z', first: '2026-05-01T10:01:00.003Z', second: '2026-05-01T10:01:00.004Z' },
      ),
      codexTokenCount('2026-05-01T10:01:30Z', afterOwn, CODEX_OWN),
    ];
    writeLines(path.join(day, 'rollout-fork.jsonl'), forkLines);
    // Its fork copies the fork's whole history, the parent's session_meta and counts included: its first count is the
    // parent's first response, which the parent and the fork both keep under the parent's session.
    writeLines(path.join(day, 'rollout-fork-of-fork.jsonl'), [
      codexSessionMeta('2026-05-01T10:02:00.000Z', 'fork-of-fork', { forked_from_id: 'fork' }),
      ...copiedAt(forkLines, '2026-05-01T10:02:00.005Z'),
      codexTokenCount('2026-05-01T10:02:40Z', addTokens(afterOwn, last), last),
    ]);
    await runImport(s.options());
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 4, input: 180, output: 23, cacheRead: 60, cacheWrite: 0 });
  });

  it('counts once the first response of a session Codex forked before it wrote forked_from_id, copied into a later fork', async () => {
    const s = setup();
    const day = path.join(s.codexSessions, '2026', '05', '01');
    // Forked from a session with no response yet by a Codex that named no parent: it copies the source's session_meta,
    // and its first count is its own.
    const olderForkLines = codexTwoResponses(
      [codexSessionMeta('2026-05-01T10:00:00.000Z', 'older-fork'), codexSessionMeta('2026-05-01T10:00:00.001Z', 'source-without-responses')],
      { meta: '2026-05-01T10:00:00.002Z', first: '2026-05-01T10:00:05Z', second: '2026-05-01T10:00:20Z' },
    );
    writeLines(path.join(day, 'rollout-older-fork.jsonl'), olderForkLines);
    writeLines(path.join(day, 'rollout-fork.jsonl'), [
      codexSessionMeta('2026-05-01T10:01:00.000Z', 'fork', { forked_from_id: 'older-fork' }),
      ...copiedAt(olderForkLines, '2026-05-01T10:01:00.005Z'),
      codexTokenCount('2026-05-01T10:01:30Z', addTokens(CODEX_AFTER_TWO, CODEX_OWN), CODEX_OWN),
    ]);
    await runImport(s.options());
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 3, input: 150, output: 20, cacheRead: 60, cacheWrite: 0 });
  });

  it('counts once the history a fork Codex wrote before it named the parent copied, and every response of its own', async () => {
    const s = setup();
    const day = path.join(s.codexSessions, '2026', '05', '01');
    const afterOwn = addTokens(CODEX_AFTER_TWO, CODEX_OWN);
    const sourceLines = codexTwoResponses([codexSessionMeta('2026-05-01T10:00:00.000Z', 'source')], {
      meta: '2026-05-01T10:00:00.001Z', first: '2026-05-01T10:00:05Z', second: '2026-05-01T10:00:20Z',
    });
    writeLines(path.join(day, 'rollout-source.jsonl'), sourceLines);
    // A fork whose session_meta names no parent (sources/codex.ts header) copies the source's history, session_meta
    // included.
    writeLines(path.join(day, 'rollout-backtrack.jsonl'), [
      codexSessionMeta('2026-05-01T10:01:00.000Z', 'backtrack'),
      ...copiedAt(sourceLines, '2026-05-01T10:01:00.004Z'),
      codexTokenCount('2026-05-01T10:01:30Z', afterOwn, CODEX_OWN),
      codexTokenCount('2026-05-01T10:01:31Z', addTokens(afterOwn, CODEX_OWN), CODEX_OWN),
    ]);
    await runImport(s.options());
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 4, input: 200, output: 25, cacheRead: 60, cacheWrite: 0 });
  });

  it('does not write again a Codex response an earlier Assay wrote under its key without the session', async () => {
    const s = setup();
    const lines = [
      codexSessionMeta('2026-05-01T10:00:00Z', 'sess-1'),
      codexTurnContext('2026-05-01T10:00:00Z', 'gpt-5.2'),
      codexTokenCount('2026-05-01T10:00:05Z', { input: 100, cached: 40, output: 10 }, { input: 100, cached: 40, output: 10 }),
    ];
    // The index as an earlier Assay left it: the response under the id of its key without the session.
    const context = parseContext(SECRET, {});
    const state = codexParser.initialState('rollout-a.jsonl', context);
    const [parsed] = lines.flatMap((line) => codexParser.parseLine(line, state, context));
    assert.ok(parsed.legacyKey !== undefined && parsed.legacyKey !== parsed.key);
    const legacyId = new OpaqueIds(SECRET, 'codex:').of(parsed.legacyKey);
    const { entry } = new RecordIdMaker(SECRET, 'codex').of(parsed);
    fs.mkdirSync(importerDir(s.storage), { recursive: true });
    fs.writeFileSync(EmittedIndex.filePath(s.storage, 'codex'), JSON.stringify({ v: 1, records: { [legacyId]: entry }, responses: {}, aliases: {} }));
    // Codex archived the session since: a path this install never read.
    writeLines(path.join(s.home, '.codex', 'archived_sessions', 'rollout-a.jsonl'), lines);
    const sink = new CollectingSink();
    await runImport({ ...s.options(), sink, now: () => Date.parse('2026-05-02T00:00:00Z') });
    assert.equal(sink.events.length, 0);

    // A new session after the upgrade whose first response logged the same counts is its own response.
    writeLines(path.join(s.codexSessions, '2026', '05', '03', 'rollout-b.jsonl'), [
      codexSessionMeta('2026-05-03T10:00:00Z', 'sess-2'),
      codexTurnContext('2026-05-03T10:00:00Z', 'gpt-5.2'),
      codexTokenCount('2026-05-03T10:00:05Z', { input: 100, cached: 40, output: 10 }, { input: 100, cached: 40, output: 10 }),
    ]);
    await runImport({ ...s.options(), sink, now: () => Date.parse('2026-05-04T00:00:00Z') });
    assert.equal(sink.events.length, 1);
    assert.equal(sink.events[0].t, Date.parse('2026-05-03T10:00:05Z'));
  });

  it('never writes a path, project name or session name to the ledger or its own state', async () => {
    const s = setup();
    writeLines(path.join(s.claudeProjects, '-home-dev-secret-project', 'session-0001.jsonl'), [assistant('msg_1', { input: 1, output: 1 })]);
    writeLines(path.join(s.codexSessions, 'rollout-secret.jsonl'), [
      codexSessionMeta('2026-05-01T10:00:00Z', 'codex-session-id'),
      codexTokenCount('2026-05-01T10:00:05Z', { input: 1, output: 1 }, { input: 1, output: 1 }),
    ]);
    await runImport(s.options());
    const written = fs
      .readdirSync(s.storage, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
      .join('\n');
    assert.ok(written.includes('"usage"'));
    assert.doesNotMatch(written, /secret|session-0001|codex-session-id|msg_1|req_msg_1|\/home/);
    // Nor a plain hash of a name, which anyone could check against a guessed path.
    for (const name of ['-home-dev-secret-project', '-home-dev-secret-project/session-0001', 'rollout-secret.jsonl']) {
      const plain = createHash('sha256').update(name).digest('hex').slice(0, 32);
      assert.equal(written.includes(plain), false, `plain digest of ${name}`);
    }
  });

  it('keeps no unkeyed checksum of a log\'s content, against which a guessed prompt could be checked', async () => {
    const s = setup();
    const claude = path.join(s.claudeProjects, 'proj', 'session-0001.jsonl');
    writeLines(claude, [claudeUserLine(T, 'fix the payroll export for acme'), assistant('msg_1', { input: 1, output: 1 })]);
    const cline = path.join(s.home, '.cline', 'data', 'tasks', '1772355600000', 'ui_messages.json');
    fs.mkdirSync(path.dirname(cline), { recursive: true });
    fs.copyFileSync(path.resolve(__dirname, '../../../../test/fixtures/importers/cline/cline-task/ui_messages.json'), cline);
    await runImport(s.options());
    const state = fs.readFileSync(path.join(importerDir(s.storage), 'state.json'), 'utf8');
    for (const file of [claude, cline]) {
      const bytes = fs.readFileSync(file);
      for (const part of [bytes.subarray(0, 512), bytes]) {
        assert.equal(state.includes(createHash('sha1').update(part).digest('hex')), false, `plain digest of ${path.basename(file)}`);
      }
    }
  });

  it('keeps no unkeyed checksum of a logged model name, against which a guessed private name could be checked', async () => {
    const s = setup();
    const privateModel = 'ft:gpt-4o:acme-corp:secret-project:x1';
    writeLines(path.join(s.home, '.continue', 'dev_data', '0.2.0', 'tokensGenerated.jsonl'), [
      JSON.stringify({ eventName: 'tokensGenerated', timestamp: T, model: privateModel, provider: 'openai', promptTokens: 5230, generatedTokens: 412 }),
    ]);
    await runImport(s.options());
    const [event] = await ledgerUsage(s.storage);
    assert.equal(event.model, 'other');
    const index = JSON.parse(fs.readFileSync(EmittedIndex.filePath(s.storage, 'continue'), 'utf8')) as { records: [string, number, number, number][] };
    const fingerprint = index.records.find(([id]) => id === event.id)?.[3];
    // The ledger holds every other field of the record (Continue logs no session or project): a 32-bit FNV-1a of them
    // and a guessed name, as the index once stored, would confirm the guess.
    const fnv1a = (text: string) => [...text].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
    const fields = (model: string) =>
      [event.t, model, event.inputTokens, event.outputTokens, event.reasoningTokens, event.cacheReadTokens, event.cacheWrite5mTokens, event.cacheWrite1hTokens, event.tokensKnown, '', '', ''];
    assert.equal(typeof fingerprint, 'number');
    assert.notEqual(fingerprint, fnv1a(fields(privateModel).join('|')));
  });

  it('reads only the given folders when discovery is off, and any folders named in CLAUDE_CONFIG_DIR', async () => {
    const s = setup();
    writeLines(path.join(s.claudeProjects, 'p', 'default.jsonl'), [assistant('msg_default', { input: 1, output: 1 })]);
    const other = path.join(s.home, 'elsewhere');
    writeLines(path.join(other, 'projects', 'p', 'x.jsonl'), [assistant('msg_other', { input: 2, output: 2 })]);
    const third = path.join(s.home, 'third');
    writeLines(path.join(third, 'projects', 'p', 'y.jsonl'), [assistant('msg_third', { input: 4, output: 4 })]);

    const explicitOnly = await runImport(s.options({ discover: false, roots: { 'claude-code': [path.join(other, 'projects')] } }));
    assert.equal(explicitOnly.events, 1);
    assert.equal(explicitOnly.sources.find((x) => x.source === 'codex')?.found, false);

    const viaEnv = await runImport(s.options({ env: { CLAUDE_CONFIG_DIR: `${other}, ${path.join(third, 'projects')}` } }));
    assert.equal(viaEnv.events, 1, 'the third folder is new; the default ~/.claude is not read when the variable is set');
    assert.deepEqual(totals(await ledgerUsage(s.storage)).input, 6);
  });

  it('reads a file reached through two roots once', async () => {
    const s = setup();
    writeLines(path.join(s.claudeProjects, 'p', 'a.jsonl'), [assistant('msg_1', { input: 1, output: 1 })]);
    fs.mkdirSync(path.join(s.home, '.config'), { recursive: true });
    fs.symlinkSync(path.join(s.home, '.claude'), path.join(s.home, '.config', 'claude'));
    const summary = await runImport(s.options());
    assert.equal(summary.sources.find((x) => x.source === 'claude-code')?.files, 1);
  });

  it('skips a run while another import holds the lock, and takes over a lock whose process is gone', async () => {
    const s = setup();
    writeLines(path.join(s.claudeProjects, 'p', 'a.jsonl'), [assistant('msg_1', { input: 1, output: 1 })]);
    const release = await acquireImportLock(s.storage);
    assert.ok(release);
    const blocked = await runImport(s.options());
    assert.equal(blocked.status, 'locked');
    assert.equal(blocked.events, 0);
    await release();

    fs.writeFileSync(lockPath(s.storage), JSON.stringify({ pid: 2 ** 22 + 12345, at: Date.now(), token: 'dead' }));
    const afterCrash = await runImport(s.options());
    assert.equal(afterCrash.status, 'done');
    assert.equal(afterCrash.events, 1);
    assert.equal(fs.existsSync(lockPath(s.storage)), false, 'released at the end of the run');
  });

  it('says another import held the lock when cancelled while waiting for it, and tells the caller once that it waits', async () => {
    const s = setup();
    writeLines(path.join(s.claudeProjects, 'p', 'a.jsonl'), [assistant('msg_1', { input: 1, output: 1 })]);
    const release = await acquireImportLock(s.storage);
    assert.ok(release);
    const cancel = new AbortController();
    let waits = 0;
    const waiting = runImport(s.options({ lockWaitMs: 60_000, signal: cancel.signal, onLockWait: () => waits++ }));
    setTimeout(() => cancel.abort(), 300);
    const summary = await waiting;
    await release();
    assert.equal(summary.status, 'locked');
    assert.equal(waits, 1);
  });

  it('runs concurrent imports one at a time when asked to wait', async () => {
    const s = setup();
    writeLines(path.join(s.claudeProjects, 'p', 'a.jsonl'), [assistant('msg_1', { input: 1, output: 1 })]);
    const [a, b] = await Promise.all([runImport(s.options({ lockWaitMs: 5000 })), runImport(s.options({ lockWaitMs: 5000 }))]);
    assert.deepEqual([a.status, b.status], ['done', 'done']);
    assert.equal(a.events + b.events, 1);
  });

  it('does not double count when a run crashes after flushing events and before saving its state', async () => {
    const s = setup();
    const file = path.join(s.claudeProjects, 'p', 'a.jsonl');
    writeLines(file, [assistant('msg_1', { input: 1, output: 10 })]);
    await runImport(s.options());
    const savedState = path.join(s.home, 'saved-importer-state');
    fs.cpSync(importerDir(s.storage), savedState, { recursive: true });

    appendLines(file, [assistant('msg_2', { input: 2, output: 20 }), assistant('msg_3', { input: 3, output: 30 })]);
    await runImport(s.options());
    // The crash: ledger events of the second run are on disk, its index and state files are not.
    fs.rmSync(importerDir(s.storage), { recursive: true });
    fs.cpSync(savedState, importerDir(s.storage), { recursive: true });

    const replay = await runImport(s.options());
    assert.equal(replay.events, 2, 'the lost run is read again');
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 3, input: 6, output: 60, cacheRead: 0, cacheWrite: 0 });
  });

  it('marks nothing as read when the ledger cannot be written, and imports it all once it can', async () => {
    const s = setup();
    writeLines(path.join(s.claudeProjects, 'p', 'a.jsonl'), [assistant('msg_1', { input: 1, output: 10 }), assistant('msg_2', { input: 2, output: 20 })]);
    // A file where the segments folder should be: every ledger write fails.
    const segments = path.join(s.storage, 'ledger', 'segments');
    fs.mkdirSync(path.dirname(segments), { recursive: true });
    fs.writeFileSync(segments, 'not a folder');
    // The import's own writer, as in the extension's worker and the CLI.
    await assert.rejects(runImport(s.options({ sink: undefined })), /could not be written/);

    fs.rmSync(segments);
    const retry = await runImport(s.options({ sink: undefined }));
    assert.equal(retry.events, 2);
    assert.deepEqual(totals(await ledgerUsage(s.storage)), { responses: 2, input: 3, output: 30, cacheRead: 0, cacheWrite: 0 });
  });

  it('goes on past a log file that vanishes during the run, and reads it when it is back', async () => {
    const s = setup();
    const first = path.join(s.claudeProjects, 'p', 'a.jsonl');
    const second = path.join(s.claudeProjects, 'p', 'b.jsonl');
    writeLines(first, [assistant('msg_1', { input: 1, output: 10 })]);
    writeLines(second, [assistant('msg_2', { input: 2, output: 20 })]);
    const parked = (file: string) => path.join(s.home, `parked-${path.basename(file)}`);
    // After the first file is read, both move away: the one not read yet vanishes before its turn.
    const summary = await runImport(
      s.options({
        onProgress: ({ filesDone }) => {
          if (filesDone === 1) for (const file of [first, second]) fs.renameSync(file, parked(file));
        },
      }),
    );
    const claude = summary.sources.find((source) => source.source === 'claude-code');
    assert.equal(claude?.unreadableFiles, 1);
    assert.equal(summary.events, 1);

    for (const file of [first, second]) fs.renameSync(parked(file), file);
    const next = await runImport(s.options());
    assert.equal(next.events, 1);
    assert.equal(totals(await ledgerUsage(s.storage)).responses, 2);
  });

  it('goes on past a FIFO that replaced a log file during the run, without waiting for a writer', async () => {
    const s = setup();
    const first = path.join(s.claudeProjects, 'p', 'a.jsonl');
    const second = path.join(s.claudeProjects, 'p', 'b.jsonl');
    writeLines(first, [assistant('msg_1', { input: 1, output: 10 })]);
    writeLines(second, [assistant('msg_2', { input: 2, output: 20 })]);
    // After the first file is read, both become FIFOs, each with a writer that comes only after the test's time is up:
    // a read that waits for one fails this test instead of stopping the suite.
    const writers: ChildProcess[] = [];
    try {
      const summary = await runImport(
        s.options({
          onProgress: ({ filesDone }) => {
            if (filesDone !== 1) return;
            for (const file of [first, second]) {
              fs.rmSync(file);
              execFileSync('mkfifo', [file]);
              writers.push(spawn(process.execPath, ['-e', `setTimeout(() => require('fs').openSync(${JSON.stringify(file)}, 'w'), 15000)`]));
            }
          },
        }),
      );
      assert.equal(summary.sources.find((source) => source.source === 'claude-code')?.unreadableFiles, 1);
      assert.equal(summary.events, 1);
    } finally {
      for (const writer of writers) writer.kill('SIGKILL');
    }
  });

  it('keeps the state of files read before a cancelled run stopped', async () => {
    const s = setup();
    for (const name of ['a', 'b', 'c']) {
      writeLines(path.join(s.claudeProjects, 'p', `${name}.jsonl`), [assistant(`msg_${name}`, { input: 1, output: 1 })]);
    }
    const controller = new AbortController();
    const sink = new CollectingSink();
    const stopped = await runImport(
      s.options({ sink, signal: controller.signal, onProgress: ({ filesDone }) => filesDone === 1 && controller.abort() }),
    );
    assert.equal(stopped.status, 'aborted');
    assert.equal(stopped.events, 1);
    const rest = await runImport(s.options({ sink }));
    assert.equal(rest.events, 2);
    assert.equal(new Set(sink.events.map((e) => e.id)).size, 3);
  });

  it('finishes a repeat import with no new data without reading any file', async () => {
    const s = setup();
    for (let i = 0; i < 50; i++) {
      writeLines(path.join(s.claudeProjects, 'p', `s${i}.jsonl`), [assistant(`msg_${i}`, { input: 1, output: 1 })]);
    }
    await runImport(s.options());
    const stateFile = path.join(importerDir(s.storage), 'state.json');
    const stateBefore = fs.statSync(stateFile).mtimeMs;
    const repeat = await runImport(s.options());
    assert.deepEqual([repeat.events, repeat.bytesRead], [0, 0]);
    assert.equal(fs.statSync(stateFile).mtimeMs, stateBefore, 'nothing to remember, nothing written');
  });
});
