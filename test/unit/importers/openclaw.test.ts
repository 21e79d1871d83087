import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport } from '../../../src/importers/runImport';
import { createPricer } from '../../../src/pricing/pricer';
import { appendLines, assertNoFileHolds, importOptions, latestEvents, sqliteBytes, tempDir } from './fixtures';

// An OpenClaw state folder as OpenClaw writes it: see test/fixtures/importers/openclaw/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/openclaw');
const SECRET = 'SECRET-PLANTED-0c1a';
const MAIN_DB = 'agents/main/agent/openclaw-agent.sqlite';
const SESSION_B = 'agents/main/sessions/7e1d2c3b-4a59-4687-8f90-a1b2c3d4e5f6.jsonl';
const pricer = createPricer();

function setup() {
  const home = tempDir('openclaw-home');
  const storage = tempDir('openclaw-storage');
  const stateDir = path.join(home, '.openclaw');
  fs.cpSync(path.join(FIXTURES, 'agents'), path.join(stateDir, 'agents'), { recursive: true });
  const options = importOptions(home, storage, pricer);
  const { sink } = options;
  return { home, stateDir, storage, sink, options };
}

/** [input, cache read, cache write, output] of each event, by time. */
function tokens(events: UsageEvent[]): number[][] {
  return [...events].sort((a, b) => a.t - b.t).map((event) => [event.inputTokens, event.cacheReadTokens, event.cacheWrite5mTokens, event.outputTokens]);
}

/** Runs `sql` on the database file in place, as OpenClaw's own writes would change it. */
async function changeDatabase(file: string, sql: string, params: (string | number | null)[] = []): Promise<void> {
  fs.writeFileSync(file, await sqliteBytes(sql, fs.readFileSync(file), params));
}

describe('OpenClaw agent databases and session transcripts', () => {
  it('imports every response once: plain and compressed rows, both schemas, a session in both its database and its files', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const openclaw = summary.sources.find((source) => source.source === 'openclaw');
    assert.equal(openclaw?.found, true);
    assert.deepEqual(openclaw?.rejectedLines, { json: 3 }, 'the cut frame, the cut row and the cut-off transcript line are counted and skipped');
    const events = latestEvents(s.sink.events);
    assert.deepEqual(tokens(events), [
      [1200, 8000, 500, 300], // no model of its own: the model change's
      [800, 9000, 0, 2000], // stored compressed
      [400, 0, 0, 100], // no time: the row's
      [600, 2000, 0, 150], // in the database, the transcript, its reset archive and its checkpoint copy
      [900, 3000, 0, 250], // in the transcript and its checkpoint copy; not the trajectory file's line
      [50, 0, 0, 200], // the first schema; only a total, the rest of which is output
    ]);
    assert.deepEqual(
      [...events].sort((a, b) => a.t - b.t).map((event) => event.model),
      ['claude-sonnet-4-5', 'claude-sonnet-4-5', 'gpt-5.2', 'gemini-2.5-pro', 'gemini-2.5-pro', 'gpt-5.2'].map((model) => pricer.keptModelName(model)),
    );
    const undated = events.find((event) => event.inputTokens === 400);
    assert.equal(undated?.t, Date.parse('2026-11-20T09:04:00.500Z'), 'an entry without a time is dated by its row');
    assert.equal(events.find((event) => event.inputTokens === 1200)?.reportedCostUSD, 0.0123);
    assert.equal(events.find((event) => event.inputTokens === 600)?.session, events.find((event) => event.inputTokens === 900)?.session);
  });

  it('counts nothing again when a session is rewritten under new row numbers, and reads a new row and a new transcript line', async () => {
    const s = setup();
    await runImport(s.options);
    const before = latestEvents(s.sink.events).length;
    const db = path.join(s.stateDir, MAIN_DB);
    await changeDatabase(db, "UPDATE transcript_events SET seq = seq + 100 WHERE session_id = '5b0c8f2e-3d41-4a6b-9e7f-1c2d3e4f5a6b'");
    const rewritten = await runImport(s.options);
    assert.equal(rewritten.events, 0, 'the same entries under new row numbers are not new responses');
    const entry = (id: string, input: number) =>
      JSON.stringify({
        type: 'message',
        id,
        parentId: 'a0000008',
        timestamp: '2026-11-20T09:10:00.000Z',
        message: { role: 'assistant', content: [{ type: 'text', text: SECRET }], model: 'claude-opus-4-6', usage: { input, output: 7, cacheRead: 0, cacheWrite: 0, totalTokens: input + 7 }, timestamp: Date.parse('2026-11-20T09:10:00.000Z') },
      });
    await changeDatabase(db, "INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES ('5b0c8f2e-3d41-4a6b-9e7f-1c2d3e4f5a6b', 200, ?, 0)", [entry('a0000009', 33)]);
    appendLines(path.join(s.stateDir, SESSION_B), [entry('b0000005', 44)]);
    const next = await runImport(s.options);
    assert.equal(next.events, 2);
    assert.deepEqual(tokens(s.sink.events.slice(-2)), [[33, 0, 0, 7], [44, 0, 0, 7]]);
    assert.equal(latestEvents(s.sink.events).length, before + 2);
  });

  it("keeps pi-ai's reasoning part of the output and its hour-long cache writes apart", async () => {
    const s = setup();
    await runImport(s.options);
    // An assistant entry as OpenClaw 2026.9.6 writes one, its usage as @earendil-works/pi-ai 0.85.1 (dist/types.d.ts
    // `Usage`) reports it for an Anthropic model: reasoning within output, cacheWrite1h within cacheWrite.
    const usage = { input: 120, output: 500, reasoning: 320, cacheRead: 0, cacheWrite: 900, cacheWrite1h: 600, totalTokens: 1520 };
    appendLines(path.join(s.stateDir, SESSION_B), [
      JSON.stringify({
        type: 'message',
        id: 'b0000006',
        parentId: 'b0000004',
        timestamp: '2026-11-21T10:07:00.000Z',
        message: { role: 'assistant', content: [{ type: 'text', text: 'Done.' }], model: 'claude-opus-4-6', usage, timestamp: Date.parse('2026-11-21T10:07:00.000Z') },
      }),
    ]);
    await runImport(s.options);
    const event = s.sink.events.at(-1) as UsageEvent;
    assert.deepEqual(
      [event.inputTokens, event.outputTokens, event.reasoningTokens, event.cacheWrite5mTokens, event.cacheWrite1hTokens],
      [120, 500, 320, 300, 600],
    );
  });

  it('keeps no path, session key, agent name, prompt or reply', async () => {
    const s = setup();
    await runImport(s.options);
    assert.ok(s.sink.events.length > 0);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it('looks in $OPENCLAW_DIR, else $OPENCLAW_STATE_DIR and ~/.openclaw, ~/.clawdbot, ~/.moltbot, ~/.moldbot (~ being $OPENCLAW_HOME when set), only at databases and transcripts', () => {
    const home = tempDir('openclaw-discover');
    for (const file of [
      '.openclaw/agents/main/agent/openclaw-agent.sqlite',
      '.openclaw/agents/main/agent/openclaw-agent.sqlite-wal',
      '.openclaw/agents/main/sessions/s1.jsonl',
      '.openclaw/agents/main/sessions/s1.jsonl.reset.2026-11-21T10-04-00.000Z',
      '.openclaw/agents/main/sessions/s1.jsonl.deleted.2026-11-21T10-04-00.000Z',
      '.openclaw/agents/main/sessions/s1.jsonl.bak.2026-11-21T10-04-00.000Z',
      '.openclaw/agents/main/sessions/s1.checkpoint.0f1e2d3c-4b5a-4697-8877-665544332211.jsonl',
      '.openclaw/agents/main/sessions/s1.trajectory.jsonl',
      '.openclaw/agents/main/sessions/sessions.json',
      '.openclaw/workspace/notes.jsonl',
      '.clawdbot/agents/old/sessions/s2.jsonl',
      '.moldbot/agents/old/sessions/s3.jsonl',
      'state/agents/ops/agent/openclaw-agent.sqlite',
      'a/agents/x/sessions/s4.jsonl',
      'b/agents/y/sessions/s5.jsonl',
      'oc-home/.openclaw/agents/main/sessions/s6.jsonl',
      'oc-home/state2/agents/ops/agent/openclaw-agent.sqlite',
    ]) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'openclaw')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), [
      '.clawdbot/agents/old/sessions/s2.jsonl',
      '.moldbot/agents/old/sessions/s3.jsonl',
      '.openclaw/agents/main/agent/openclaw-agent.sqlite',
      '.openclaw/agents/main/sessions/s1.checkpoint.0f1e2d3c-4b5a-4697-8877-665544332211.jsonl',
      '.openclaw/agents/main/sessions/s1.jsonl',
      '.openclaw/agents/main/sessions/s1.jsonl.deleted.2026-11-21T10-04-00.000Z',
      '.openclaw/agents/main/sessions/s1.jsonl.reset.2026-11-21T10-04-00.000Z',
    ]);
    assert.deepEqual(
      found({ OPENCLAW_STATE_DIR: '~/state' }),
      [...found({}), 'state/agents/ops/agent/openclaw-agent.sqlite'].sort(),
      'the state folder OpenClaw is told to use, besides the usual ones',
    );
    assert.deepEqual(found({ OPENCLAW_DIR: ` ${path.join(home, 'a')} ,~/b`, OPENCLAW_STATE_DIR: '~/state' }), ['a/agents/x/sessions/s4.jsonl', 'b/agents/y/sessions/s5.jsonl']);
    assert.deepEqual(
      found({ OPENCLAW_HOME: '~/oc-home', OPENCLAW_STATE_DIR: '~/state2' }),
      ['oc-home/.openclaw/agents/main/sessions/s6.jsonl', 'oc-home/state2/agents/ops/agent/openclaw-agent.sqlite'],
      '$OPENCLAW_HOME is the home of every OpenClaw folder, its state folder included',
    );
  });
});
