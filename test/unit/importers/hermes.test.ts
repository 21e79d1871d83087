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
