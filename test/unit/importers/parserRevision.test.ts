// A parser fix reaches logs already read (types.ts, ParserRevision): a later revision reads each log an earlier one read
// once more, rewrites the records whose fields changed under their ids, and writes nothing for the others.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { readLedger } from '../../../src/ledger/reader';
import { LedgerWriter } from '../../../src/ledger/writer';
import type { SourceDefinition } from '../../../src/importers/discovery';
import { runImport, type RunImportOptions, type UsageEventSink } from '../../../src/importers/runImport';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { rejectionTotal } from '../../../src/importers/usageBounds';
import { claudeCodeParser, type ClaudeFileState } from '../../../src/importers/sources/claudeCode';
import type { LineParser, ParsedUsage, UsageParser, WholeFileParser } from '../../../src/importers/types';
import { claudeAssistantLine, tempDir, writeLines } from './fixtures';

const T = '2026-03-02T09:00:00.000Z';

/**
 * Claude Code's parser as it was before two fixes: cache writes lost (as Bedrock's zero split once made them), and
 * thinking tokens not kept as reasoning, a fix that leaves a response's token total as it was.
 */
const claudeBeforeFix: LineParser<ClaudeFileState> = {
  ...claudeCodeParser,
  revision: 0,
  parseLine: (line, state, context) =>
    claudeCodeParser.parseLine(line, state, context).map((record) => ({ ...record, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0, reasoningTokens: 0 })),
};

/** An assistant line whose output includes `thinking` thinking tokens (`usage.output_tokens_details.thinking_tokens`). */
function withThinking(line: string, thinking: number): string {
  const entry = JSON.parse(line) as { message: { usage: Record<string, unknown> } };
  entry.message.usage.output_tokens_details = { thinking_tokens: thinking };
  return JSON.stringify(entry);
}
/** The parser as it is, whose revision counts both fixes. */
const claudeFixed = claudeCodeParser;

/** The import's sources with Claude Code read by `parser`. */
function withClaudeParser(parser: UsageParser): SourceDefinition[] {
  return SOURCE_DEFINITIONS.map((definition) => (definition.source === 'claude-code' ? { ...definition, parser } : definition));
}

class CountingSink implements UsageEventSink {
  offered: UsageEvent[] = [];
  constructor(private readonly writer: LedgerWriter) {}
  append(event: UsageEvent): void {
    this.offered.push(event);
    this.writer.append(event);
  }
  flush(): Promise<void> {
    return this.writer.flush();
  }
}

interface Run {
  bytesRead: number;
  newEvents: number;
  updatedEvents: number;
  /** Lines rejected in this run, of every source. */
  rejected: number;
  /** The usage events the run wrote. */
  written: UsageEvent[];
}

function setup() {
  const home = tempDir('revision-home');
  const storage = tempDir('revision-storage');
  const writer = new LedgerWriter({ storageDir: storage });
  const run = async (sources: SourceDefinition[], extra: Partial<RunImportOptions> = {}): Promise<Run> => {
    const sink = new CountingSink(writer);
    const summary = await runImport({ storageDir: storage, secret: 'test-secret', pricer: { keptModelName: (raw) => raw }, env: {}, homeDir: home, platform: 'linux', sources, sink, ...extra });
    await writer.flush();
    const rejected = summary.sources.reduce((total, source) => total + rejectionTotal(source.rejectedLines), 0);
    return { bytesRead: summary.bytesRead, newEvents: summary.events, updatedEvents: summary.updatedEvents, rejected, written: sink.offered };
  };
  const ledger = async () => {
    const { events } = await readLedger(storage);
    return events.filter((event): event is UsageEvent => event.kind === 'usage').sort((a, b) => a.t - b.t || a.inputTokens - b.inputTokens);
  };
  return { home, storage, writer, run, ledger };
}

const tokens = (events: UsageEvent[]) => events.map((event) => [event.inputTokens, event.outputTokens, event.cacheWrite5mTokens, event.reasoningTokens]);

describe('parser revisions', () => {
  it('reads a log again once for a later revision, rewriting only the records the fix changed', async () => {
    const s = setup();
    const session = path.join(s.home, '.claude', 'projects', 'proj', 'session.jsonl');
    writeLines(session, [
      claudeAssistantLine({ timestamp: T, messageId: 'msg_a', requestId: 'req_a', usage: { input: 10, output: 5, cacheCreation: 4_000 } }),
      claudeAssistantLine({ timestamp: T, messageId: 'msg_b', requestId: 'req_b', usage: { input: 20, output: 7 } }),
      // Streamed copies of one response: the larger is the response, before the fix and after.
      claudeAssistantLine({ timestamp: T, messageId: 'msg_c', requestId: 'req_c', usage: { input: 30, output: 1, cacheCreation: 900 } }),
      claudeAssistantLine({ timestamp: T, messageId: 'msg_c', requestId: 'req_c', usage: { input: 30, output: 60, cacheCreation: 900 } }),
      withThinking(claudeAssistantLine({ timestamp: T, messageId: 'msg_d', requestId: 'req_d', usage: { input: 40, output: 80 } }), 30),
      '{"type":"assistant","message":{"usage":{"input_tokens":',
    ]);
    try {
      const first = await s.run(withClaudeParser(claudeBeforeFix));
      assert.deepEqual([first.newEvents, first.updatedEvents, first.rejected], [4, 0, 1], 'streamed copies of a new response are not updates');
      assert.deepEqual(tokens(await s.ledger()), [[10, 5, 0, 0], [20, 7, 0, 0], [30, 60, 0, 0], [40, 80, 0, 0]]);

      // A line the tool wrote since, as invalid as the earlier one.
      fs.appendFileSync(session, '{"type":"assistant","message":{"usage":{"output_tokens":\n');
      const revised = await s.run(withClaudeParser(claudeFixed));
      assert.equal(revised.bytesRead, fs.statSync(session).size, 'the log is read again whole');
      assert.deepEqual([revised.newEvents, revised.updatedEvents], [0, 3], 'no response is new; three changed (what the editor refreshes on)');
      assert.equal(revised.rejected, 1, 'the new invalid line counts; the old one was counted when it was first read');
      // msg_b did not change: nothing is written for it. msg_d's total did not change either, but its reasoning did.
      assert.deepEqual(tokens(revised.written).sort(), [[10, 5, 4_000, 0], [30, 60, 900, 0], [40, 80, 0, 30]]);
      assert.deepEqual(tokens(await s.ledger()), [[10, 5, 4_000, 0], [20, 7, 0, 0], [30, 60, 900, 0], [40, 80, 0, 30]]);
      assert.equal(new Set(revised.written.map((event) => event.id)).size, 3);

      const after = await s.run(withClaudeParser(claudeFixed));
      assert.deepEqual([after.bytesRead, after.written.length], [0, 0], 'read again once only');
      assert.equal((await s.ledger()).length, 4);
    } finally {
      await s.writer.dispose();
    }
  });

  it('keeps a response\'s largest copy when the logs holding its copies are read again in different runs', async () => {
    // The run after an upgrade is cancelled after the first log (or cannot read the second): the second log's copy, cut
    // short, is then read again in a later run, where it must compete with the copy the first run rewrote.
    const s = setup();
    const projects = path.join(s.home, '.claude', 'projects', 'proj');
    const copy = (output: number) => claudeAssistantLine({ timestamp: T, messageId: 'msg_x', requestId: 'req_x', usage: { input: 1, output, cacheCreation: 300 } });
    writeLines(path.join(projects, 'a.jsonl'), [copy(50)]);
    writeLines(path.join(projects, 'b.jsonl'), [copy(5)]);
    try {
      await s.run(withClaudeParser(claudeBeforeFix));
      assert.deepEqual(tokens(await s.ledger()), [[1, 50, 0, 0]]);
      const controller = new AbortController();
      const cancelled = await s.run(withClaudeParser(claudeFixed), { signal: controller.signal, onProgress: (progress) => progress.filesDone >= 1 && controller.abort() });
      assert.equal(cancelled.bytesRead, fs.statSync(path.join(projects, 'a.jsonl')).size, 'the run read the first log only');
      assert.deepEqual(tokens(await s.ledger()), [[1, 50, 300, 0]]);
      await s.run(withClaudeParser(claudeFixed));
      assert.deepEqual(tokens(await s.ledger()), [[1, 50, 300, 0]], 'the copy cut short does not replace it');
    } finally {
      await s.writer.dispose();
    }
  });

  it('keeps the parent copy of a response a subagent replays when both are read again, in either order', async () => {
    for (const parentFirst of [true, false]) {
      const s = setup();
      const projects = path.join(s.home, '.claude', 'projects', 'proj');
      const parent = path.join(projects, 'sess.jsonl');
      const sub = path.join(projects, 'sess', 'subagents', 'agent-1.jsonl');
      const parentLine = claudeAssistantLine({ timestamp: T, messageId: 'msg_p', requestId: 'req_p', usage: { input: 5, output: 50, cacheCreation: 300 } });
      const replayLine = claudeAssistantLine({ timestamp: T, messageId: 'msg_p', requestId: 'req_replay', sidechain: true, usage: { input: 5, output: 50, cacheCreation: 7_000 } });
      try {
        // The first run reads one file, the next the other, so that either copy's record was written first.
        writeLines(parentFirst ? parent : sub, [parentFirst ? parentLine : replayLine]);
        await s.run(withClaudeParser(claudeBeforeFix));
        writeLines(parentFirst ? sub : parent, [parentFirst ? replayLine : parentLine]);
        await s.run(withClaudeParser(claudeBeforeFix));
        assert.deepEqual(tokens(await s.ledger()), [[5, 50, 0, 0]]);

        await s.run(withClaudeParser(claudeFixed));
        assert.deepEqual(tokens(await s.ledger()), [[5, 50, 300, 0]], parentFirst ? 'parent read first' : 'replay read first');
      } finally {
        await s.writer.dispose();
      }
    }
  });

  it('parses an unchanged whole file again for a later revision, rewriting the records that changed', async () => {
    const s = setup();
    const folder = path.join(s.home, 'tool');
    const file = path.join(folder, 'session.json');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(file, JSON.stringify([{ id: 'r1', input: 100, output: 10, reasoning: 4 }, { id: 'r2', input: 200, output: 20, reasoning: 0 }]));
    const wholeParser = (keepReasoning: boolean, revision?: number): WholeFileParser => ({
      kind: 'whole',
      source: 'gemini-cli',
      ...(revision ? { revision } : {}),
      parseFile: (text) =>
        (JSON.parse(text) as { id: string; input: number; output: number; reasoning: number }[]).map(
          (row): ParsedUsage => ({
            key: row.id, t: Date.parse(T), model: 'gemini-2.5-pro', inputTokens: row.input, outputTokens: row.output,
            reasoningTokens: keepReasoning ? row.reasoning : 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0,
            tokensKnown: true, reportedCostUSD: null, sessionKey: 's', projectKey: 'p',
          }),
        ),
    });
    const only = (parser: WholeFileParser): SourceDefinition[] => [
      { source: 'gemini-cli', parserName: 'testWhole', defaultRoots: () => [folder], accepts: (relative) => relative.endsWith('.json'), parser },
    ];
    try {
      await s.run(only(wholeParser(false)));
      assert.deepEqual((await s.ledger()).map((event) => event.reasoningTokens), [0, 0]);
      const unchanged = await s.run(only(wholeParser(false)));
      assert.equal(unchanged.bytesRead, 0, 'an unchanged file is not read without a new revision');

      const revised = await s.run(only(wholeParser(true, 1)));
      assert.deepEqual(revised.written.map((event) => event.reasoningTokens), [4]);
      assert.deepEqual((await s.ledger()).map((event) => event.reasoningTokens), [4, 0]);
      assert.equal((await s.run(only(wholeParser(true, 1)))).bytesRead, 0);
    } finally {
      await s.writer.dispose();
    }
  });
});
