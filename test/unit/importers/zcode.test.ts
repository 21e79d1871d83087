import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport } from '../../../src/importers/runImport';
import { assertNoFileHolds, importOptions, latestEvents, sqliteBytes, tempDir } from './fixtures';

// ZCode's db.sqlite in the layout ccusage reads: see test/fixtures/importers/zcode/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/zcode');
const SECRET = 'SECRET-PLANTED-7c1f';

function setup() {
  const home = tempDir('zcode-home');
  const storage = tempDir('zcode-storage');
  const zcodeHome = path.join(home, '.zcode');
  fs.mkdirSync(path.join(zcodeHome, 'cli', 'db'), { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'db.sqlite'), path.join(zcodeHome, 'cli', 'db', 'db.sqlite'));
  const options = importOptions(home, storage);
  const { sink } = options;
  return { home, zcodeHome, storage, sink, options };
}

/** [UTC time, model, input, output, cache read, cache write] of each event, by time. */
function rows(events: UsageEvent[]): (string | number)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => [new Date(e.t).toISOString(), e.model, e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheWrite5mTokens]);
}

describe('ZCode db.sqlite', () => {
  it('imports each completed request with a model, cache taken out of the prompt as ccusage does, and counts a damaged start time', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const zcode = summary.sources.find((source) => source.source === 'zcode');
    assert.equal(zcode?.found, true);
    assert.deepEqual(zcode?.rejectedLines, { timestamp: 1 }, 'the row whose start time is text is counted and skipped');
    assert.deepEqual(rows(latestEvents(s.sink.events)), [
      ['2026-11-20T23:58:00.250Z', 'glm-4.6', 3000, 900, 8000, 1000],
      ['2026-11-21T08:15:05.000Z', 'glm-4.5-air', 500, 250, 0, 0], // the retry; the failed attempt is not usage
      ['2026-11-21T09:15:00.000Z', 'glm-4.6', 0, 40, 250, 50], // cache beyond the prompt: reads first, then writes
    ]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, 'ses_a', 'mu_1']);
  });

  it('counts a database kept in two $ZCODE_HOME folders once, and reads it again only as new', async () => {
    const s = setup();
    const backup = path.join(s.home, 'backup');
    fs.mkdirSync(path.join(backup, 'cli', 'db'), { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, 'db.sqlite'), path.join(backup, 'cli', 'db', 'db.sqlite'));
    const first = await runImport({ ...s.options, env: { ZCODE_HOME: `${s.zcodeHome}, ${backup}` } });
    assert.equal(first.events, 3);
    assert.equal(latestEvents(s.sink.events).length, 3);
    const second = await runImport({ ...s.options, env: { ZCODE_HOME: `${s.zcodeHome}, ${backup}` } });
    assert.equal(second.events, 0, 'an unchanged database adds nothing');
  });

  it('reads a database from before model_usage had cache columns, its whole prompt as input, as ccusage does', async () => {
    const s = setup();
    // ccusage 20.0.24 on this database (ZCODE_HOME=<home>, `zcode daily --json --offline -z UTC`): glm-4.6, input 1000, output 200, no cache.
    const database = await sqliteBytes(
      'CREATE TABLE session (id TEXT PRIMARY KEY, directory TEXT);' +
        'CREATE TABLE model_usage (id TEXT PRIMARY KEY, session_id TEXT, started_at INTEGER, model_id TEXT, status TEXT, input_tokens INTEGER, output_tokens INTEGER);' +
        `INSERT INTO session VALUES ('s1', '/home/${SECRET}');` +
        "INSERT INTO model_usage VALUES ('m1', 's1', 1764633600000, 'glm-4.6', 'completed', 1000, 200);" +
        "INSERT INTO model_usage VALUES ('m2', 's1', 1764633700000, 'glm-4.6', 'failed', 50, 0);",
    );
    fs.writeFileSync(path.join(s.zcodeHome, 'cli', 'db', 'db.sqlite'), database);
    await runImport(s.options);
    assert.deepEqual(rows(latestEvents(s.sink.events)), [['2025-12-02T00:00:00.000Z', 'glm-4.6', 1000, 200, 0, 0]]);
  });

  it('counts a file that is not a database as rejected and imports nothing from it', async () => {
    const s = setup();
    fs.writeFileSync(path.join(s.zcodeHome, 'cli', 'db', 'db.sqlite'), `SQLite format 3\0${SECRET}`);
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'zcode')?.rejectedLines, { fields: 1 });
    assert.equal(summary.events, 0);
    assert.equal(s.sink.events.length, 0);
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it('looks for cli/db/db.sqlite in each $ZCODE_HOME folder (a comma list), else ~/.zcode', () => {
    const home = tempDir('zcode-discover');
    for (const file of ['.zcode/cli/db/db.sqlite', '.zcode/cli/db/db.sqlite-wal', '.zcode/v2/tasks-index.sqlite', 'one/cli/db/db.sqlite', 'two/cli/db/db.sqlite']) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'zcode')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), ['.zcode/cli/db/db.sqlite']);
    assert.deepEqual(found({ ZCODE_HOME: ` ${path.join(home, 'one')} ,~/two,` }), ['one/cli/db/db.sqlite', 'two/cli/db/db.sqlite']);
    assert.deepEqual(found({ ZCODE_HOME: ' , ' }), ['.zcode/cli/db/db.sqlite'], 'a blank list falls back to ~/.zcode');
  });
});
