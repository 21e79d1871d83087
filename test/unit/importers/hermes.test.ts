import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport } from '../../../src/importers/runImport';
import { assertNoFileHolds, importOptions, latestEvents, sqliteBytes, tempDir } from './fixtures';

// Hermes Agent's state.db as its schema lays it out: see test/fixtures/importers/hermes/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/hermes');
const SECRET = 'SECRET-PLANTED-3d8e';

function setup() {
  const home = tempDir('hermes-home');
  const storage = tempDir('hermes-storage');
  const hermesHome = path.join(home, '.hermes');
  fs.mkdirSync(hermesHome);
  fs.copyFileSync(path.join(FIXTURES, 'state.db'), path.join(hermesHome, 'state.db'));
  const options = importOptions(home, storage);
  const { sink } = options;
  return { home, hermesHome, storage, sink, options };
}

/** [UTC time, model, input, output, reasoning, cache read, cache write, reported cost] of each event, by time. */
function rows(events: UsageEvent[]): (string | number | null)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => [new Date(e.t).toISOString(), e.model, e.inputTokens, e.outputTokens, e.reasoningTokens, e.cacheReadTokens, e.cacheWrite5mTokens, e.reportedCostUSD]);
}

describe('Hermes Agent state.db', () => {
  it('imports each session with a model once at its start, reasoning inside output, and counts a damaged start time', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const hermes = summary.sources.find((source) => source.source === 'hermes');
    assert.equal(hermes?.found, true);
    assert.deepEqual(hermes?.rejectedLines, { timestamp: 1 }, 'the row with a start time of 0 is counted and skipped');
    assert.deepEqual(rows(latestEvents(s.sink.events)), [
      ['2026-11-20T23:58:00.250Z', 'claude-sonnet-4-5-20250929', 1200, 900, 0, 56000, 4000, 0.0512], // Hermes's estimate
      ['2026-11-21T08:15:00.000Z', 'openai/gpt-5.2', 700, 300, 120, 2100, 0, 0.0098], // the provider's cost first
      ['2026-11-21T09:15:00.000Z', 'gpt-5.2', 500, 250, 80, 7000, 0, 0.004], // a subagent run is its own session
    ]);
  });

  it('replaces a session record as its totals grow, and keeps no prompt, title, path or user', async () => {
    const s = setup();
    const first = await runImport(s.options);
    assert.equal(first.events, 3);
    const grown = tempDir('hermes-grown');
    const db = path.join(grown, 'state.db');
    const sql = fs.readFileSync(path.join(FIXTURES, 'state.sql'), 'utf8').replace(
      "'openai/gpt-5.2', NULL, NULL, NULL,\n  1795248900.0, NULL, NULL, 5, 2, 700, 300, 2100",
      "'openai/gpt-5.2', NULL, NULL, NULL,\n  1795248900.0, NULL, NULL, 9, 4, 1500, 640, 5000",
    );
    assert.ok(sql.includes('1500, 640, 5000'), 'the fixture changed');
    fs.writeFileSync(db, await sqliteBytes(sql));
    fs.copyFileSync(db, path.join(s.hermesHome, 'state.db'));
    const second = await runImport(s.options);
    assert.equal(second.events, 0, 'grown totals are the same session, not a new one');
    const events = latestEvents(s.sink.events);
    assert.equal(events.length, 3);
    assert.deepEqual(rows(events)[1].slice(2, 6), [1500, 640, 120, 5000]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, 'telegram']);
  });

  it('adds the auxiliary calls Hermes keeps only in session_model_usage, once each, and not the main loop a second time', async () => {
    const s = setup();
    // The table as hermes_state_common.py SCHEMA_SQL lays it out (00704d08…); rows as _record_model_usage writes them.
    const usageTable = `
      CREATE TABLE session_model_usage (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE, model TEXT NOT NULL,
        billing_provider TEXT NOT NULL DEFAULT '', billing_base_url TEXT NOT NULL DEFAULT '', billing_mode TEXT NOT NULL DEFAULT '',
        task TEXT NOT NULL DEFAULT '', api_call_count INTEGER NOT NULL DEFAULT 0, input_tokens INTEGER NOT NULL DEFAULT 0,
        output_tokens INTEGER NOT NULL DEFAULT 0, cache_read_tokens INTEGER NOT NULL DEFAULT 0, cache_write_tokens INTEGER NOT NULL DEFAULT 0,
        reasoning_tokens INTEGER NOT NULL DEFAULT 0, estimated_cost_usd REAL NOT NULL DEFAULT 0, actual_cost_usd REAL NOT NULL DEFAULT 0,
        cost_status TEXT, cost_source TEXT, first_seen REAL, last_seen REAL,
        PRIMARY KEY (session_id, model, billing_provider, billing_base_url, billing_mode, task));
      INSERT INTO session_model_usage VALUES
        ('20261120_235800_a1b2c3', 'claude-sonnet-4-5-20250929', 'anthropic', 'https://api.anthropic.com', 'official_docs_snapshot', '',
          6, 1200, 900, 56000, 4000, 0, 0.0512, 0, 'estimated', NULL, 1795219090.0, 1795219790.0),
        ('20261120_235800_a1b2c3', 'gemini-2.5-flash', 'google', '', '', 'vision', 2, 3000, 120, 0, 0, 0, 0.0013, 0, NULL, NULL, 1795219200.0, 1795219400.0),
        ('20261120_235800_a1b2c3', 'unknown', '', '', '', 'title_generation', 1, 400, 12, 0, 0, 0, 0, 0, NULL, NULL, 1795219095.0, 1795219095.0);`;
    const base = fs.readFileSync(path.join(FIXTURES, 'state.sql'), 'utf8');
    const db = path.join(s.hermesHome, 'state.db');
    fs.writeFileSync(db, await sqliteBytes(base + usageTable));
    const first = await runImport(s.options);
    assert.equal(first.events, 5);
    const auxiliary = rows(latestEvents(s.sink.events)).filter((row) => row[1] === 'gemini-2.5-flash' || row[1] === 'unknown');
    // Dated when first seen; a call without a model stays unnamed (priced as no model).
    assert.deepEqual(auxiliary, [
      ['2026-11-20T23:58:15.000Z', 'unknown', 400, 12, 0, 0, 0, null],
      ['2026-11-21T00:00:00.000Z', 'gemini-2.5-flash', 3000, 120, 0, 0, 0, 0.0013],
    ]);
    assert.equal(rows(latestEvents(s.sink.events)).filter((row) => row[1] === 'claude-sonnet-4-5-20250929').length, 1, 'the main loop counted once');

    // A vision call more: the row grows, and its record is replaced.
    fs.writeFileSync(db, await sqliteBytes(`${base}${usageTable} UPDATE session_model_usage SET input_tokens = 5000, api_call_count = 3 WHERE task = 'vision';`));
    const second = await runImport(s.options);
    assert.equal(second.events, 0, 'grown totals are the same call, not a new one');
    const events = latestEvents(s.sink.events);
    assert.equal(events.length, 5);
    assert.equal(events.find((event) => event.model === 'gemini-2.5-flash')?.inputTokens, 5000);
  });

  it('counts a database kept in two of $HERMES_HOME folders once', async () => {
    const s = setup();
    const backup = path.join(s.home, 'backup');
    fs.mkdirSync(backup);
    fs.copyFileSync(path.join(s.hermesHome, 'state.db'), path.join(backup, 'state.db'));
    await runImport({ ...s.options, env: { HERMES_HOME: `${s.hermesHome}, ${backup}` } });
    assert.equal(latestEvents(s.sink.events).length, 3);
  });

  it('looks for state.db in each $HERMES_HOME folder (a comma list), else ~/.hermes, not in profile folders', () => {
    const home = tempDir('hermes-discover');
    for (const file of ['.hermes/state.db', '.hermes/state.db-wal', '.hermes/profiles/work/state.db', '.hermes/sessions.db', 'one/state.db', 'two/state.db']) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'hermes')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), ['.hermes/state.db']);
    assert.deepEqual(found({ HERMES_HOME: ` ${path.join(home, 'one')} ,~/two,` }), ['one/state.db', 'two/state.db']);
  });
});
