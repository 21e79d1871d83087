import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { createPricer } from '../../../src/pricing/pricer';
import { appendLines, assertNoFileHolds, CollectingSink, latestEvents, tempDir } from './fixtures';

// Pi's agent folder as pi writes it: see test/fixtures/importers/pi/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/pi');
const SECRET = 'SECRET-PLANTED-7c41';
const SESSION_FILE = `sessions/--home-${SECRET}-app--/2026-11-20T10-00-00-000Z_0b7e2c4d-1f3a-4e5b-9c6d-7e8f9a0b1c2d.jsonl`;
const pricer = createPricer();

function setup() {
  const home = tempDir('pi-home');
  const storage = tempDir('pi-storage');
  const agentDir = path.join(home, '.pi', 'agent');
  fs.cpSync(FIXTURES, agentDir, { recursive: true });
  fs.rmSync(path.join(agentDir, 'README.md'));
  const sink = new CollectingSink();
  const options: RunImportOptions = { storageDir: storage, secret: 'test-secret', pricer, env: {}, homeDir: home, platform: 'linux', sink };
  return { home, agentDir, storage, sink, options };
}

/** [input, cache read, cache write, output] of each event, by time. */
function tokens(events: UsageEvent[]): number[][] {
  return [...events].sort((a, b) => a.t - b.t).map((event) => [event.inputTokens, event.cacheReadTokens, event.cacheWrite5mTokens, event.outputTokens]);
}

describe('Pi session files', () => {
  it('imports every model call once, branches included, with cache reads out of input whichever pi-ai wrote them', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const pi = summary.sources.find((source) => source.source === 'pi-agent');
    assert.equal(pi?.found, true);
    assert.deepEqual(pi?.rejectedLines, { json: 1, timestamp: 1 }, 'the cut-off line and the entry without a date are counted and skipped');
    const events = latestEvents(s.sink.events);
    assert.deepEqual(tokens(events), [
      [900, 0, 1500, 200], // a version 1 session, whose entries have no ids
      [1200, 8000, 500, 300], // Anthropic
      [700, 3000, 0, 450], // OpenAI completions
      [1000, 4000, 0, 250], // Google, cached tokens inside input
      [400, 2000, 0, 90], // the branch's own call; its copies of the first two count once
      [2000, 12000, 0, 600], // the next day
    ]);
    assert.deepEqual(
      events.map((event) => event.model).sort(),
      ['claude-sonnet-4-5', 'claude-sonnet-4-5', 'gpt-5.1-codex', 'gemini-2.5-pro', 'gpt-5.2', 'claude-opus-4-6'].map((model) => pricer.keptModelName(model)).sort(),
    );
    const anthropic = events.find((event) => event.inputTokens === 1200);
    assert.equal(anthropic?.t, Date.parse('2026-11-20T10:00:05.000Z'), 'dated when the entry was appended, as ccusage dates it');
    assert.equal(anthropic?.reportedCostUSD, 0.0123);
    assert.ok(anthropic?.project);
    assert.equal(events.find((event) => event.inputTokens === 400)?.project, anthropic?.project, 'a branch in the same folder is the same project');
  });

  it('counts a version 1 session once after pi migrates it and rewrites the file with entry ids', async () => {
    const s = setup();
    await runImport(s.options);
    const before = latestEvents(s.sink.events);
    const file = path.join(s.agentDir, `sessions/--home-${SECRET}-app--/2025-11-03T08-00-00-000Z_9c8b7a60-5f4e-4d3c-8b2a-1f0e9d8c7b6a.jsonl`);
    // What migrateV1ToV2 and migrateV2ToV3 leave behind: the header's version set, every entry given an id and parent.
    let parentId: string | null = null;
    const migrated = fs.readFileSync(file, 'utf8').trim().split('\n').map((line, index) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      if (entry.type === 'session') return JSON.stringify({ ...entry, version: 3 });
      const id = `c000000${index}`;
      const withId = { type: entry.type, id, parentId, ...entry };
      parentId = id;
      return JSON.stringify(withId);
    });
    fs.writeFileSync(file, `${migrated.join('\n')}\n`);
    await runImport(s.options);
    const after = latestEvents(s.sink.events);
    assert.equal(after.length, before.length, 'the migrated copy of a response is not a new response');
    assert.deepEqual(tokens(after), tokens(before));
  });

  it('counts the calls pi 1.x records beside its responses: cache warming, summaries, tools, and 1-hour cache writes', async () => {
    // Entries as @earendil-works/pi-coding-agent 1.6.0 appends them (session-manager.js appendUsage, appendCompaction;
    // pi-ai 1.6.0 Usage.cacheWrite1h and AssistantMessage.responseModel).
    const s = setup();
    const usage = (input: number, output: number, cacheRead: number, cacheWrite: number, cacheWrite1h = 0) => ({
      input, output, cacheRead, cacheWrite, ...(cacheWrite1h ? { cacheWrite1h } : {}), totalTokens: input + output + cacheRead + cacheWrite,
      cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0.05 },
    });
    const entries = [
      { type: 'session', version: 3, id: 'a1b2c3d4-0000-4000-8000-000000000001', timestamp: '2026-11-25T09:00:00.000Z', cwd: '/w' },
      { type: 'message', id: 'e0000001', parentId: null, timestamp: '2026-11-25T09:00:05.000Z', message: { role: 'assistant', provider: 'anthropic', model: 'claude-sonnet-4-5', responseModel: 'claude-sonnet-4-5-20250929', timestamp: 1795597205000, usage: usage(10, 50, 0, 100000, 60000) } },
      { type: 'usage', id: 'e0000002', parentId: 'e0000001', timestamp: '2026-11-25T09:04:00.000Z', kind: 'cache_warm', provider: 'anthropic', model: 'claude-sonnet-4-5', usage: usage(1, 1, 100000, 0) },
      { type: 'compaction', id: 'e0000003', parentId: 'e0000002', timestamp: '2026-11-25T09:10:00.000Z', summary: 'x', firstKeptEntryId: 'e0000001', tokensBefore: 90000, usage: usage(90000, 2000, 0, 0) },
      { type: 'message', id: 'e0000004', parentId: 'e0000003', timestamp: '2026-11-25T09:11:00.000Z', message: { role: 'toolResult', toolCallId: 't', timestamp: 1795597860000, usage: usage(3000, 400, 0, 0) } },
    ];
    const folder = path.join(s.agentDir, 'sessions', '--w--');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, '2026-11-25T09-00-00-000Z_a1b2c3d4-0000-4000-8000-000000000001.jsonl'), entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
    // A branch copies the entries, ids and times included.
    const branch = [{ ...entries[0], id: 'a1b2c3d4-0000-4000-8000-000000000002' }, ...entries.slice(1)];
    fs.writeFileSync(path.join(folder, '2026-11-25T09-20-00-000Z_a1b2c3d4-0000-4000-8000-000000000002.jsonl'), branch.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
    await runImport(s.options);
    const events = latestEvents(s.sink.events).filter((event) => event.t >= Date.parse('2026-11-25T00:00:00Z'));
    assert.deepEqual(
      [...events].sort((a, b) => a.t - b.t).map((event) => [event.inputTokens, event.outputTokens, event.cacheReadTokens, event.cacheWrite5mTokens, event.cacheWrite1hTokens]),
      [
        [10, 50, 0, 40000, 60000],
        [1, 1, 100000, 0, 0],
        [90000, 2000, 0, 0, 0],
        [3000, 400, 0, 0, 0],
      ],
      'each call once, the branch copies included',
    );
    assert.equal(events.find((event) => event.inputTokens === 10)?.model, pricer.keptModelName('claude-sonnet-4-5-20250929'));
  });

  it('keeps the reasoning part of output that pi-ai 1.x reports (usage.reasoning), never more than the output', async () => {
    // pi-ai 1.6.0 types.d.ts Usage.reasoning, "a subset of output", set by api/anthropic-messages.js (thinking_tokens),
    // api/openai-completions.js and api/openai-responses-shared.js (reasoning_tokens); older releases leave it out.
    const s = setup();
    const usage = (input: number, output: number, reasoning?: number) => ({
      input, output, cacheRead: 0, cacheWrite: 0, ...(reasoning === undefined ? {} : { reasoning }), totalTokens: input + output,
      cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0.01 },
    });
    const message = (id: string, second: number, value: ReturnType<typeof usage>) => ({
      type: 'message', id, parentId: null, timestamp: `2026-11-26T09:00:0${second}.000Z`,
      message: { role: 'assistant', provider: 'openai', model: 'gpt-5.2', timestamp: Date.parse(`2026-11-26T09:00:0${second}.000Z`), usage: value },
    });
    const entries = [
      { type: 'session', version: 3, id: 'b1b2c3d4-0000-4000-8000-000000000001', timestamp: '2026-11-26T09:00:00.000Z', cwd: '/r' },
      message('f0000001', 1, usage(100, 500, 320)),
      message('f0000002', 2, usage(100, 40, 90)), // a reasoning count above the output it is part of
      message('f0000003', 3, usage(100, 60)), // a provider that reports no breakdown
    ];
    const folder = path.join(s.agentDir, 'sessions', '--r--');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, '2026-11-26T09-00-00-000Z_b1b2c3d4-0000-4000-8000-000000000001.jsonl'), entries.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
    await runImport(s.options);
    const events = latestEvents(s.sink.events).filter((event) => event.t >= Date.parse('2026-11-26T00:00:00Z'));
    assert.deepEqual([...events].sort((a, b) => a.t - b.t).map((event) => [event.outputTokens, event.reasoningTokens]), [[500, 320], [40, 40], [60, 0]]);
  });

  it('reads only new lines of a session that goes on, and keeps no path, prompt or tool output', async () => {
    const s = setup();
    await runImport(s.options);
    const entry = {
      type: 'message',
      id: 'a000000b',
      parentId: 'a000000a',
      timestamp: '2026-11-21T09:05:00.000Z',
      message: {
        role: 'assistant',
        content: [{ type: 'text', text: SECRET }],
        api: 'anthropic-messages',
        provider: 'anthropic',
        model: 'claude-opus-4-6',
        usage: { input: 30, output: 40, cacheRead: 14000, cacheWrite: 0, totalTokens: 14070, cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0.01 } },
        stopReason: 'stop',
        timestamp: Date.parse('2026-11-21T09:04:58.000Z'),
      },
    };
    appendLines(path.join(s.agentDir, SESSION_FILE), [JSON.stringify(entry)]);
    const second = await runImport(s.options);
    assert.equal(second.events, 1);
    assert.deepEqual(tokens(s.sink.events.slice(-1)), [[30, 14000, 0, 40]]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it('looks in ${PI_CODING_AGENT_DIR:-~/.pi/agent}/sessions and $PI_CODING_AGENT_SESSION_DIR, only at session files', () => {
    const home = tempDir('pi-discover');
    const name = '2026-11-20T10-00-00-000Z_0b7e2c4d-1f3a-4e5b-9c6d-7e8f9a0b1c2d.jsonl';
    for (const file of [
      `.pi/agent/sessions/--home-u-app--/${name}`,
      `.pi/agent/sessions/--home-u-app--/notes.txt`,
      `.pi/agent/sessions/--home-u-app--/deeper/${name}`,
      `.pi/agent/settings.json`,
      `agent2/sessions/--home-u-lib--/${name}`,
      `flat/${name}`,
    ]) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'pi-agent')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), [`.pi/agent/sessions/--home-u-app--/${name}`]);
    assert.deepEqual(found({ PI_CODING_AGENT_DIR: '~/agent2', PI_CODING_AGENT_SESSION_DIR: path.join(home, 'flat') }), [
      `agent2/sessions/--home-u-lib--/${name}`,
      `flat/${name}`,
    ]);
  });
});
