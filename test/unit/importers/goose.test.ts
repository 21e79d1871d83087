import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport } from '../../../src/importers/runImport';
import { assertNoFileHolds, importOptions, latestEvents, sqliteBytes, tempDir } from './fixtures';

// Goose's sessions.db as block/goose writes it: see test/fixtures/importers/goose/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/goose');
const SECRET = 'SECRET-PLANTED-4d2e';

async function writeDatabase(file: string, sql: string): Promise<void> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, await sqliteBytes(sql));
}

async function setup() {
  const home = tempDir('goose-home');
  const storage = tempDir('goose-storage');
  const sessionsDb = path.join(home, '.local', 'share', 'goose', 'sessions', 'sessions.db');
  await writeDatabase(sessionsDb, fs.readFileSync(path.join(FIXTURES, 'sessions.sql'), 'utf8'));
  const options = importOptions(home, storage);
  const { sink } = options;
  return { home, sessionsDb, storage, sink, options };
}

/** [UTC time, model, input, output, reasoning, cache read, cache write] of each event, by time. */
function rows(events: UsageEvent[]): (string | number)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => [new Date(e.t).toISOString(), e.model, e.inputTokens, e.outputTokens, e.reasoningTokens, e.cacheReadTokens, e.cacheWrite5mTokens]);
}

describe('Goose sessions.db', () => {
  it('imports each session as one record on the day it was created, as ccusage counts it, one without a model under an unknown model, and counts a damaged start', async () => {
    const s = await setup();
    const summary = await runImport(s.options);
    const goose = summary.sources.find((source) => source.source === 'goose');
    assert.equal(goose?.found, true);
    assert.deepEqual(goose?.rejectedLines, { timestamp: 1 }, 'the session whose start is text is counted and skipped');
    assert.deepEqual(rows(latestEvents(s.sink.events)), [
      ['2026-11-20T23:58:00.000Z', 'claude-sonnet-4-5-20250929', 152000, 4100, 0, 0, 0], // accumulated, not the last call
      ['2026-11-21T09:00:00.000Z', 'gemini-2.5-pro', 20000, 3500, 2000, 0, 0], // total beyond input + output: reasoning
      ['2026-11-21T10:00:00.000Z', 'gpt-5.2', 900, 120, 0, 0, 0], // no accumulated counters: the last call's
      ['2026-11-21T11:00:00.000Z', 'unknown', 400, 100, 0, 0, 0], // before v6: no model config (ccusage leaves it out)
      ['2026-11-21T12:00:00.000Z', 'unknown', 400, 100, 0, 0, 0], // a blank model name (ccusage leaves it out)
      ['2026-11-22T06:00:00.000Z', 'gpt-5.2', 5000, 400, 0, 0, 0], // an RFC 3339 start with an offset
    ]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, '20261120_1']);
  });

  it("reads SQLite's zone-less CURRENT_TIMESTAMP as UTC whatever the machine's time zone", async () => {
    const s = await setup();
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      await runImport(s.options);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    assert.equal(new Date(Math.min(...s.sink.events.map((e) => e.t))).toISOString(), '2026-11-20T23:58:00.000Z');
  });

  it('replaces a session whose totals grew, and reads an unchanged database as nothing new', async () => {
    const s = await setup();
    await runImport(s.options);
    const again = await runImport(s.options);
    assert.equal(again.events, 0, 'an unchanged database adds nothing');
    const grown = fs
      .readFileSync(path.join(FIXTURES, 'sessions.sql'), 'utf8')
      .concat("UPDATE sessions SET accumulated_input_tokens = 160000, accumulated_output_tokens = 4500, accumulated_total_tokens = 164500 WHERE id = '20261120_1';");
    await writeDatabase(s.sessionsDb, grown);
    await runImport(s.options);
    const latest = latestEvents(s.sink.events);
    assert.equal(latest.length, 6, 'the grown session is the same record, not a second one');
    assert.deepEqual(rows(latest)[0], ['2026-11-20T23:58:00.000Z', 'claude-sonnet-4-5-20250929', 160000, 4500, 0, 0, 0]);
  });

  it('counts two databases holding the same session id apart, as ccusage does (Goose numbers sessions per database)', async () => {
    const s = await setup();
    const other = path.join(s.home, '.local', 'share', 'Block', 'goose', 'sessions', 'sessions.db');
    await writeDatabase(other, fs.readFileSync(path.join(FIXTURES, 'sessions.sql'), 'utf8'));
    await runImport(s.options);
    assert.equal(latestEvents(s.sink.events).length, 12);
  });

  it('splits the cache reads and writes out of the prompt where the database keeps them (schema v14 and on), each session its own, a subagent too', async () => {
    const s = await setup();
    await writeDatabase(s.sessionsDb, fs.readFileSync(path.join(FIXTURES, 'sessions-v17.sql'), 'utf8'));
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'goose')?.rejectedLines ?? {}, {});
    assert.deepEqual(rows(latestEvents(s.sink.events)), [
      ['2026-12-01T10:00:00.000Z', 'claude-sonnet-4-5-20250929', 2000, 800, 0, 15000, 5000], // 22000 prompt: 15000 read, 5000 written
      ['2026-12-01T10:05:00.000Z', 'claude-sonnet-4-5-20250929', 1000, 100, 0, 3000, 0], // the subagent's own calls
      ['2026-12-01T11:00:00.000Z', 'gpt-5.2', 600, 100, 0, 400, 0], // no accumulated counters: the last call's, cache too
    ]);
  });

  it('counts a file that is not a database as rejected and imports nothing from it', async () => {
    const s = await setup();
    fs.writeFileSync(s.sessionsDb, `SQLite format 3\0${SECRET}`);
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'goose')?.rejectedLines, { fields: 1 });
    assert.equal(summary.events, 0);
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it('looks for sessions/sessions.db in $GOOSE_PATH_ROOT/data, else in Goose\'s data folder and the folders ccusage reads', () => {
    const home = tempDir('goose-discover');
    const files = [
      '.local/share/goose/sessions/sessions.db',
      '.local/share/goose/sessions/sessions.db-wal',
      '.local/share/goose/sessions/20250101_120000.jsonl',
      'xdg/goose/sessions/sessions.db',
      'Library/Application Support/goose/sessions/sessions.db',
      '.local/share/Block/goose/sessions/sessions.db',
      'AppData/Roaming/Block/goose/data/sessions/sessions.db',
      'root/data/sessions/sessions.db',
    ];
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>, platform: NodeJS.Platform = 'linux') =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform }, discover: true })
        .files.filter((file) => file.source === 'goose')
        .map((file) => path.relative(home, file.path).split(path.sep).join('/'))
        .sort();
    const everywhere = ['.local/share/Block/goose/sessions/sessions.db', '.local/share/goose/sessions/sessions.db', 'Library/Application Support/goose/sessions/sessions.db'];
    assert.deepEqual(found({}), everywhere);
    assert.deepEqual(found({ XDG_DATA_HOME: path.join(home, 'xdg') }), [...everywhere, 'xdg/goose/sessions/sessions.db'].sort());
    assert.deepEqual(found({}, 'win32'), ['AppData/Roaming/Block/goose/data/sessions/sessions.db', ...everywhere].sort());
    assert.deepEqual(found({ GOOSE_PATH_ROOT: path.join(home, 'root') }), ['root/data/sessions/sessions.db']);
  });
});
