import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { createPricer } from '../../../src/pricing/pricer';
import { assertNoFileHolds, CollectingSink, latestEvents, tempDir } from './fixtures';

// Factory Droid's sessions folder in the shape ccusage reads it: see test/fixtures/importers/droid/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/droid/sessions');
const SECRET = 'SECRET-PLANTED-5e19';
// A compacted session beside its parent and a fork, kept apart so the ccusage counts above stay those of `sessions`.
const COMPACTION = path.resolve(__dirname, '../../../../test/fixtures/importers/droid/compaction');
const COMPACTED_PROJECT = `-home-${SECRET}-api`;
const COMPACTED_CHILD = '1c2d3e4f-5a6b-4c7d-9e8f-0a1b2c3d4e5f';
const PROJECT = `-home-${SECRET}-app`;
const UNDATED = `${PROJECT}/c4d5e6f7-0a1b-4c2d-9e3f-6a7b8c9d0e1f.settings.json`;
/** In seconds, as file systems keep it: finer than a millisecond. */
const UNDATED_MTIME = Date.parse('2026-11-21T15:30:00.250Z') / 1000 + 0.0004567;
const pricer = createPricer();

function setup() {
  const home = tempDir('droid-home');
  const storage = tempDir('droid-storage');
  const sessions = path.join(home, '.factory', 'sessions');
  fs.cpSync(FIXTURES, sessions, { recursive: true });
  fs.utimesSync(path.join(sessions, UNDATED), UNDATED_MTIME, UNDATED_MTIME);
  const sink = new CollectingSink();
  const options: RunImportOptions = { storageDir: storage, secret: 'test-secret', pricer, env: {}, homeDir: home, platform: 'linux', sink };
  return { home, sessions, storage, sink, options };
}

/** [UTC time, input, output, reasoning, cache read, cache write] of each event, by time. */
function rows(events: UsageEvent[]): (string | number)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => [new Date(e.t).toISOString(), e.inputTokens, e.outputTokens, e.reasoningTokens, e.cacheReadTokens, e.cacheWrite5mTokens]);
}

describe('Factory Droid session settings', () => {
  it('imports each session once as ccusage counts it, thinking inside output, and counts a cut-off file', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const droid = summary.sources.find((source) => source.source === 'factory-droid');
    assert.equal(droid?.found, true);
    assert.deepEqual(droid?.rejectedLines, { json: 1 }, 'the cut-off file is counted and skipped');
    const events = latestEvents(s.sink.events);
    assert.deepEqual(rows(events), [
      ['2026-11-20T23:58:10.412Z', 1200, 1100, 300, 56000, 4000], // dated by its provider lock, not by its last write
      ['2026-11-21T08:00:00.000Z', 700, 200, 110, 2100, 0], // the total's 100 more tokens count as thinking
      ['2026-11-21T09:15:00.000Z', 500, 370, 120, 7000, 0],
      ['2026-11-21T15:30:00.250Z', 40, 60, 0, 0, 0], // no provider lock: the file's time; the total's rest is output
      ['2026-11-22T08:30:00.000Z', 300, 60, 0, 0, 0],
    ]);
    assert.deepEqual(
      events.sort((a, b) => a.t - b.t).map((event) => event.model),
      ['claude-sonnet-4-5-20250929', 'gpt-5.2', 'claude-opus-4.5-thinking-0', 'gemini-2.5-pro', 'unknown'].map((model) => pricer.keptModelName(model)),
    );
    assert.equal(new Set(events.map((event) => event.session)).size, 5, 'one record per session');
    assert.equal(events.filter((event) => event.project === events[0].project).length, 4, 'sessions of one folder share a project');
  });

  it('replaces a session record when Droid rewrites its totals, and keeps no path, tag or prompt', async () => {
    const s = setup();
    const first = await runImport(s.options);
    assert.equal(first.events, 5);
    const file = path.join(s.sessions, `${PROJECT}/7d3e9b21-0c5f-4a8e-b6d2-1e4f7a9c3b58.settings.json`);
    const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as { tokenUsage: Record<string, number> };
    settings.tokenUsage = { inputTokens: 900, outputTokens: 400, cacheCreationTokens: 0, cacheReadTokens: 15000, thinkingTokens: 200 };
    fs.writeFileSync(file, JSON.stringify(settings, null, 2));
    const second = await runImport(s.options);
    assert.equal(second.events, 0, 'the grown totals are the same session, not a new one');
    const events = latestEvents(s.sink.events);
    assert.equal(events.length, 5);
    assert.deepEqual(rows(events)[2], ['2026-11-21T09:15:00.000Z', 900, 600, 200, 15000, 0]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it('counts a session whose model label opens 150,000 brackets it never closes as rejected, and imports the others', async () => {
    const s = setup();
    const file = path.join(s.sessions, `${PROJECT}/7d3e9b21-0c5f-4a8e-b6d2-1e4f7a9c3b58.settings.json`);
    const settings = JSON.parse(fs.readFileSync(file, 'utf8')) as { model: string };
    settings.model = `custom:Claude Opus 4.5 ${'['.repeat(150_000)}`;
    fs.writeFileSync(file, JSON.stringify(settings, null, 2));
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'factory-droid')?.rejectedLines, { json: 1, fields: 1 });
    assert.equal(latestEvents(s.sink.events).length, 4);
  });

  it('counts a session kept in two of $DROID_SESSIONS_DIR folders once', async () => {
    const s = setup();
    const backup = path.join(s.home, 'backup');
    fs.mkdirSync(backup);
    const name = '2f0c7a9e-4b1d-4e6a-9c3f-8d2e1b5a7c40.settings.json';
    fs.copyFileSync(path.join(s.sessions, PROJECT, name), path.join(backup, name));
    await runImport({ ...s.options, env: { DROID_SESSIONS_DIR: `${s.sessions}, ${backup}` } });
    const events = latestEvents(s.sink.events);
    assert.equal(events.length, 5);
    assert.equal(events.filter((event) => event.inputTokens === 1200).length, 1);
  });

  it('counts a session /compact continued less the totals it copied from its parent, and a fork or a child without its transcript whole', async () => {
    // A parent, the session /compact continued it in (its totals start as the parent's) and a fork of the parent (its
    // totals start at zero), as @factory/cli-linux-x64 0.225.2 writes them: see test/fixtures/importers/droid/README.md.
    const home = tempDir('droid-compact-home');
    const sessions = path.join(home, 'sessions');
    fs.cpSync(COMPACTION, sessions, { recursive: true });
    const options = { ...setup().options, homeDir: home, env: { DROID_SESSIONS_DIR: sessions } };
    const sink = new CollectingSink();
    await runImport({ ...options, sink });
    assert.deepEqual(rows(latestEvents(sink.events)), [
      ['2026-11-23T09:00:00.000Z', 1000, 500, 100, 30000, 2000], // the parent
      ['2026-11-23T10:05:00.000Z', 200, 100, 20, 5000, 0], // the fork: whole
      ['2026-11-23T11:20:00.000Z', 300, 210, 60, 11000, 500], // the compacted child: its own share
    ]);
    const total = latestEvents(sink.events).reduce((sum, event) => sum + event.inputTokens, 0);
    assert.equal(total, 1500, 'the parent\'s tokens count once');
    assert.ok(!JSON.stringify(sink.events).includes(SECRET));

    // Without the child's transcript the parent is not known: the child counts whole, as before.
    fs.rmSync(path.join(sessions, COMPACTED_PROJECT, `${COMPACTED_CHILD}.jsonl`));
    const again = new CollectingSink();
    await runImport({ ...options, storageDir: tempDir('droid-compact-storage'), sink: again });
    assert.deepEqual(rows(latestEvents(again.events))[2], ['2026-11-23T11:20:00.000Z', 1300, 710, 160, 41000, 2500]);
  });

  it('looks in $DROID_SESSIONS_DIR (a comma list), else $FACTORY_HOME_OVERRIDE/.factory/sessions, else ~/.factory/sessions, at settings files of any depth only', () => {
    const home = tempDir('droid-discover');
    for (const file of [
      '.factory/sessions/a.settings.json',
      '.factory/sessions/a.jsonl',
      '.factory/sessions/-home-u-app/b.settings.json',
      '.factory/sessions/-home-u-app/deeper/c.settings.json',
      '.factory/settings.json',
      'one/d.settings.json',
      'two/x/e.settings.json',
      // Droid's own home override (@factory/cli 0.225.2) moves its whole .factory folder.
      'elsewhere/.factory/sessions/-home-u-app/f.settings.json',
    ]) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'factory-droid')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), [
      '.factory/sessions/-home-u-app/b.settings.json',
      '.factory/sessions/-home-u-app/deeper/c.settings.json',
      '.factory/sessions/a.settings.json',
    ]);
    assert.deepEqual(found({ DROID_SESSIONS_DIR: ` ${path.join(home, 'one')} ,~/two,` }), ['one/d.settings.json', 'two/x/e.settings.json']);
    assert.deepEqual(found({ FACTORY_HOME_OVERRIDE: path.join(home, 'elsewhere') }), ['elsewhere/.factory/sessions/-home-u-app/f.settings.json']);
    // Empty, Droid ignores it.
    assert.equal(found({ FACTORY_HOME_OVERRIDE: '' }).length, 3);
  });
});
