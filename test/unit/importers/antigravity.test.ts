import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { antigravityModelName } from '../../../src/importers/sources/antigravity';
import { type AgyTime, writeConversation } from './antigravityFixtures';
import { assertNoFileHolds, CollectingSink, latestEvents, tempDir } from './fixtures';

// The conversations of test/fixtures/importers/antigravity/README.md, which gives ccusage 20.0.24's figures for them.
const SECRET = 'SECRET-PLANTED-5e2b';
const at = (iso: string): AgyTime => [Math.floor(Date.parse(iso) / 1000), (Date.parse(iso) % 1000) * 1_000_000];

/** A main conversation and a subagent's, as in the README. */
async function writeFixture(conversations: string): Promise<void> {
  const first = { input: 1200, totalOutput: 300, reasoning: 100, visibleOutput: 200, cacheRead: 5000, cacheWrite: 400, responseId: 'resp-1', providerMessageId: 'prov-1' };
  const third = { input: 800, totalOutput: 90, visibleOutput: 90, cacheRead: 2000, responseId: 'resp-3' };
  await writeConversation(path.join(conversations, 'conv-main.db'), {
    trajectory: at('2026-11-20T20:00:00Z'),
    stepText: `/home/${SECRET}/project`,
    generations: [
      // The step below holds the same call two seconds earlier; the retry is a call of its own.
      { model: 'Gemini 3.8 Flash (High)', usage: first, time: at('2026-11-20T23:58:02Z'), retries: [{ input: 50, totalOutput: 10, responseId: 'resp-1-retry' }], extra: `Fix ${SECRET}` },
      // No model (the last one named counts) and no time (the step holding it has one).
      { usage: { input: 300, totalOutput: 60, reasoning: 20, responseId: 'resp-2' } },
      { model: 'MODEL_PLACEHOLDER_M26', usage: third, time: at('2026-11-21T00:01:00.250Z') },
      // Neither an id nor a time: dated by the conversation, named by the last model named before it.
      { usage: { input: 70, totalOutput: 7 } },
      // Not a call.
      { model: 'Gemini 3.8 Flash (High)', usage: {}, time: at('2026-11-21T00:02:00Z') },
    ],
    steps: [
      { usage: first, time: at('2026-11-20T23:58:00Z'), extra: SECRET },
      { usage: { input: 300, totalOutput: 60, reasoning: 20, responseId: 'resp-2' }, time: at('2026-11-21T00:00:30Z') },
      { extra: `user prompt ${SECRET}` },
    ],
  });
  await writeConversation(path.join(conversations, 'subagent', `${SECRET}.db`), {
    generations: [
      // A call naming no model anywhere (a later row's model is not carried back); a copy of the main conversation's third call.
      { usage: { input: 40, totalOutput: 12, responseId: 'resp-sub' }, time: at('2026-11-21T09:00:00Z') },
      { model: 'MODEL_PLACEHOLDER_M26', usage: third, time: at('2026-11-21T00:01:00.250Z') },
    ],
  });
}

function setup() {
  const home = tempDir('agy-home');
  const storage = tempDir('agy-storage');
  const conversations = path.join(home, '.gemini', 'antigravity-cli', 'conversations');
  const sink = new CollectingSink();
  const options: RunImportOptions = { storageDir: storage, secret: 'test-secret', pricer: { keptModelName: (raw) => raw }, env: {}, homeDir: home, platform: 'linux', sink };
  return { home, storage, conversations, sink, options };
}

/** [UTC time, model, input, output, reasoning, cache read, cache write] of each event, by time. */
function rows(events: UsageEvent[]): (string | number)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => [new Date(e.t).toISOString(), e.model, e.inputTokens, e.outputTokens, e.reasoningTokens, e.cacheReadTokens, e.cacheWrite5mTokens]);
}

const EXPECTED = [
  ['2026-11-20T20:00:00.000Z', 'claude-opus-4-6', 70, 7, 0, 0, 0], // dated by the conversation
  ['2026-11-20T23:58:00.000Z', 'gemini-3.8-flash-high', 1200, 300, 100, 5000, 400], // step and generation: one call
  ['2026-11-20T23:58:02.000Z', 'gemini-3.8-flash-high', 50, 10, 0, 0, 0], // the retry
  ['2026-11-21T00:00:30.000Z', 'gemini-3.8-flash-high', 300, 60, 20, 0, 0],
  ['2026-11-21T00:01:00.250Z', 'claude-opus-4-6', 800, 90, 0, 2000, 0], // in both conversations: once
  ['2026-11-21T09:00:00.000Z', 'unknown', 40, 12, 0, 0, 0],
];

describe('Antigravity CLI conversations', () => {
  it('imports each call once, with ccusage\'s field meanings and model names, and stores nothing of the conversation', async () => {
    const s = setup();
    await writeFixture(s.conversations);
    const summary = await runImport(s.options);
    const source = summary.sources.find((entry) => entry.source === 'antigravity');
    assert.equal(source?.found, true);
    assert.deepEqual(source?.rejectedLines ?? {}, {});
    assert.deepEqual(rows(latestEvents(s.sink.events)), EXPECTED);
    assert.equal(new Set(latestEvents(s.sink.events).map((e) => e.session)).size, 2, 'one session per conversation');
    assertNoFileHolds(s.storage, [SECRET, 'resp-1', 'prov-1', 'conv-main']);
  });

  it('counts a row it cannot decode and a call without any time, and reads the rest (ccusage stops at the first)', async () => {
    const s = setup();
    await writeFixture(s.conversations);
    const file = path.join(s.conversations, 'conv-main.db');
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    const db = new SQL.Database(fs.readFileSync(file));
    // A length running past the row's end; a wire type protobuf does not have; then a call with no time anywhere.
    db.run('INSERT INTO gen_metadata VALUES (10, ?)', [Uint8Array.from([0x0a, 0x05, 0x22, 0x01])]);
    db.run('INSERT INTO steps VALUES (10, 15, 3, ?, NULL)', [Uint8Array.from([0x4b, 0x01])]);
    db.run('DELETE FROM trajectory_metadata_blob');
    fs.writeFileSync(file, db.export());
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((entry) => entry.source === 'antigravity')?.rejectedLines, { fields: 2, timestamp: 1 });
    assert.deepEqual(rows(latestEvents(s.sink.events)), EXPECTED.slice(1));
  });

  it('joins 20,000 generations that all share one id into the one call they are, without stalling the import', async () => {
    const s = setup();
    const generations = Array.from({ length: 20_000 }, (_, i) => ({
      model: 'Claude Opus 4.6',
      time: at('2026-11-21T09:00:00.000Z'),
      usage: { input: 1 + (i % 7), totalOutput: 5, providerMessageId: 'prov-shared', responseId: `resp-${i}`, messageId: `msg-${i}` },
    }));
    await writeConversation(path.join(s.conversations, 'conv-many.db'), { generations, trajectory: at('2026-11-21T08:00:00.000Z') });
    await runImport(s.options);
    assert.deepEqual(rows(latestEvents(s.sink.events)), [['2026-11-21T09:00:00.000Z', 'claude-opus-4.6', 7, 5, 0, 0, 0]]);
  });

  it('counts a database without the tables a conversation has, and reads none of it', async () => {
    const s = setup();
    await writeFixture(s.conversations);
    const file = path.join(s.conversations, 'conv-main.db');
    const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
    const db = new SQL.Database(fs.readFileSync(file));
    db.run('DROP TABLE trajectory_metadata_blob');
    fs.writeFileSync(file, db.export());
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((entry) => entry.source === 'antigravity')?.rejectedLines, { fields: 1 });
    assert.deepEqual(rows(latestEvents(s.sink.events)), [EXPECTED[4], EXPECTED[5]], 'only the subagent\'s conversation');
  });

  it('finds conversations in ccusage\'s folders: $ANTIGRAVITY_DATA_DIR alone when set, a folder or its conversations/', async () => {
    const s = setup();
    const ide = path.join(s.home, '.gemini', 'antigravity', 'conversations', 'a.db');
    const config = path.join(s.home, '.config', 'antigravity', 'b.db');
    const direct = path.join(s.home, 'archive', 'c.db');
    const nested = path.join(s.home, 'profile', 'conversations', 'd.db');
    const beside = path.join(s.home, 'profile', 'e.db');
    for (const file of [ide, config, direct, nested, beside]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: s.home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'antigravity')
        .map((file) => path.relative(s.home, file.path))
        .sort();
    assert.deepEqual(found({}), ['.config/antigravity/b.db', '.gemini/antigravity/conversations/a.db']);
    assert.deepEqual(found({ ANTIGRAVITY_DATA_DIR: `${path.join(s.home, 'archive')}, ~/profile` }), ['archive/c.db', 'profile/conversations/d.db']);
    assert.deepEqual(found({ ANTIGRAVITY_DATA_DIR: ' ' }), []);
  });

  it('names models as ccusage does', () => {
    assert.equal(antigravityModelName('Gemini 3.7 Flash (Medium)'), 'gemini-3.7-flash-medium');
    assert.equal(antigravityModelName('Gemini 3 Pro (High)'), 'gemini-3-pro');
    assert.equal(antigravityModelName('MODEL_PLACEHOLDER_M35'), 'claude-sonnet-4-6');
    assert.equal(antigravityModelName('Claude Sonnet 4.5'), 'claude-sonnet-4.5');
    assert.equal(antigravityModelName('  Some Future Model '), 'Some Future Model');
    assert.equal(antigravityModelName('   '), undefined);
  });

  it('keeps every call of a conversation whose log names a model `constructor` or `__proto__`, under that name', async () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      const s = setup();
      await writeConversation(path.join(s.conversations, 'conv.db'), {
        generations: [
          { model: 'Gemini 3.8 Flash (High)', usage: { input: 100, totalOutput: 10, responseId: 'resp-1' }, time: at('2026-11-21T10:00:00Z') },
          { model: name, usage: { input: 5, totalOutput: 5, responseId: 'resp-2' }, time: at('2026-11-21T10:01:00Z') },
        ],
      });
      const summary = await runImport(s.options);
      assert.deepEqual(summary.sources.find((entry) => entry.source === 'antigravity')?.rejectedLines, {}, name);
      assert.deepEqual(rows(latestEvents(s.sink.events)).map((row) => row[1]), ['gemini-3.8-flash-high', name]);
    }
  });
});
