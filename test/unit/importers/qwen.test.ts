import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { createPricer } from '../../../src/pricing/pricer';
import { appendLines, assertNoFileHolds, CollectingSink, tempDir } from './fixtures';

// Qwen Code's runtime folder as Qwen Code writes it: see test/fixtures/importers/qwen/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/qwen');
const SECRET = 'SECRET-PLANTED-5b2d';
const SESSION_FILE = 'projects/-home-SECRET-PLANTED-5b2d-app/chats/3f0c2a9e-6d1b-4c5e-9a7f-1b2c3d4e5f60.jsonl';
const pricer = createPricer();

function setup() {
  const home = tempDir('qwen-home');
  const storage = tempDir('qwen-storage');
  const qwenDir = path.join(home, '.qwen');
  fs.cpSync(FIXTURES, qwenDir, { recursive: true });
  fs.rmSync(path.join(qwenDir, 'README.md'));
  const sink = new CollectingSink();
  const options: RunImportOptions = { storageDir: storage, secret: 'test-secret', pricer, env: {}, homeDir: home, platform: 'linux', sink };
  return { home, qwenDir, storage, sink, options };
}

/** [input, cache read, output, reasoning] of each event, by time. */
function tokens(events: UsageEvent[]): number[][] {
  return [...events].sort((a, b) => a.t - b.t).map((event) => [event.inputTokens, event.cacheReadTokens, event.outputTokens, event.reasoningTokens]);
}

describe('Qwen Code chat recordings', () => {
  it('imports assistant turns of every layout, counting thoughts once whichever backend answered', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const qwen = summary.sources.find((source) => source.source === 'qwen-code');
    assert.equal(qwen?.found, true);
    assert.deepEqual(qwen?.rejectedLines, { json: 1, timestamp: 1 }, 'the cut-off line and the record without a date are counted and skipped');
    assert.deepEqual(tokens(s.sink.events), [
      [5000, 4000, 500, 0], // 0.1.3 session file
      [3000, 0, 100, 0], // archived session
      [2000, 10000, 800, 300], // OpenAI-compatible: thoughts inside candidates
      [3000, 1000, 150, 40], // a subagent's call, in its own transcript
      [5050, 0, 1000, 600], // Gemini: thoughts beside candidates, tool-use prompt as input
    ]);
    assert.deepEqual(
      s.sink.events.map((event) => event.model).sort(),
      ['gemini-2.5-pro', 'qwen3-coder-plus', 'qwen3-coder-plus', 'qwen3-coder-plus', 'unknown'].map((model) => pricer.keptModelName(model)).sort(),
      'a subagent record names no model',
    );
    assert.equal(s.sink.events.find((event) => event.model === pricer.keptModelName('gemini-2.5-pro'))?.t, Date.parse('2026-11-20T10:00:12.000Z'));
    const projectAt = (iso: string) => s.sink.events.find((event) => event.t === Date.parse(iso))?.project;
    assert.ok(projectAt('2026-11-20T10:00:05.000Z'));
    assert.equal(projectAt('2026-11-20T10:00:08.000Z'), projectAt('2026-11-20T10:00:05.000Z'), "a subagent's calls belong to its session's project");
  });

  it('reads only new lines of a session that goes on, and keeps no path, prompt or tool output', async () => {
    const s = setup();
    await runImport(s.options);
    const record = {
      uuid: 'a-6',
      parentUuid: 'a-3',
      sessionId: '3f0c2a9e-6d1b-4c5e-9a7f-1b2c3d4e5f60',
      timestamp: '2026-11-20T10:05:00.000Z',
      type: 'assistant',
      provenance: 'assistant_output',
      cwd: `/home/${SECRET}/app`,
      version: '0.24.4',
      model: 'qwen3-coder-plus',
      message: { role: 'model', parts: [{ text: SECRET }] },
      usageMetadata: { promptTokenCount: 700, candidatesTokenCount: 20, totalTokenCount: 720, cachedContentTokenCount: 600 },
    };
    appendLines(path.join(s.qwenDir, SESSION_FILE), [JSON.stringify(record)]);
    const second = await runImport(s.options);
    assert.equal(second.events, 1);
    assert.deepEqual(tokens(s.sink.events.slice(-1)), [[100, 600, 20, 0]]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it("counts a forked session's copied turns once, and the fork's own turns", async () => {
    // Qwen Code 0.24.4 SessionService.forkSession (`--fork-session`, /branch; npm @qwen-code/qwen-code 0.24.4,
    // packages/core/src/services/sessionService.ts) copies the source's records into `chats/<new id>.jsonl` keeping
    // each `uuid`, with a new `sessionId`, relinked `parentUuid` and `forkedFrom: {sessionId, messageUuid}`.
    const s = setup();
    await runImport(s.options);
    const source = '3f0c2a9e-6d1b-4c5e-9a7f-1b2c3d4e5f60';
    const fork = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';
    const copied: string[] = [];
    let parentUuid: string | null = null;
    for (const line of fs.readFileSync(path.join(s.qwenDir, SESSION_FILE), 'utf8').split('\n')) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // forkSession's reader skips the cut-off line too
      }
      copied.push(JSON.stringify({ ...record, sessionId: fork, parentUuid, forkedFrom: { sessionId: source, messageUuid: record.uuid } }));
      parentUuid = record.uuid as string;
    }
    const own = {
      uuid: 'f-1',
      parentUuid,
      sessionId: fork,
      timestamp: '2026-11-21T09:00:00.000Z',
      type: 'assistant',
      model: 'qwen3-coder-plus',
      usageMetadata: { promptTokenCount: 900, candidatesTokenCount: 30, totalTokenCount: 930, cachedContentTokenCount: 800 },
    };
    appendLines(path.join(path.dirname(path.join(s.qwenDir, SESSION_FILE)), `${fork}.jsonl`), [...copied, JSON.stringify(own)]);
    const second = await runImport(s.options);
    assert.equal(second.events, 1, 'only the turn made after the fork is new');
    assert.deepEqual(tokens(s.sink.events.slice(-1)), [[100, 800, 30, 0]]);
  });

  it('looks in $QWEN_RUNTIME_DIR, else $QWEN_HOME, as well as ~/.qwen, and only at session and subagent transcripts', () => {
    const home = tempDir('qwen-discover');
    const session = '3f0c2a9e-6d1b-4c5e-9a7f-1b2c3d4e5f60';
    for (const file of [
      `.qwen/projects/p/chats/${session}.jsonl`,
      `.qwen/projects/p/chats/${session}.ledger.jsonl`,
      `.qwen/projects/p/subagents/${session}/agent-general-purpose-call_1.jsonl`,
      `.qwen/projects/p/subagents/${session}/agent-general-purpose-call_1.jsonl.stream`,
      `runtime/projects/p/chats/${session}.jsonl`,
      `qhome/projects/p/chats/archive/${session}.jsonl`,
    ]) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'qwen-code')
        .map((file) => path.relative(home, file.path))
        .sort();
    const own = [`.qwen/projects/p/chats/${session}.jsonl`, `.qwen/projects/p/subagents/${session}/agent-general-purpose-call_1.jsonl`];
    assert.deepEqual(found({}), own.sort());
    assert.deepEqual(found({ QWEN_RUNTIME_DIR: path.join(home, 'runtime'), QWEN_HOME: path.join(home, 'qhome') }), [...own, `runtime/projects/p/chats/${session}.jsonl`].sort());
    assert.deepEqual(found({ QWEN_HOME: '~/qhome' }), [...own, `qhome/projects/p/chats/archive/${session}.jsonl`].sort());
  });
});
