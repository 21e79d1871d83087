import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles, SOURCE_DEFINITIONS } from '../../../src/importers/discovery';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { createPricer } from '../../../src/pricing/pricer';
import { assertNoFileHolds, CollectingSink, latestEvents, tempDir } from './fixtures';

// GitHub Copilot CLI's session-state folder in the shape its SDK's event types describe: see
// test/fixtures/importers/copilot-cli/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/copilot-cli/session-state');
const SECRET = 'SECRET-PLANTED-c0p1';
const RESUMED = '6c1f2d3e-4a5b-4c6d-9e7f-8091a2b3c4d5';
const pricer = createPricer();

function setup() {
  const home = tempDir('copilot-cli-home');
  const storage = tempDir('copilot-cli-storage');
  const sessions = path.join(home, '.copilot', 'session-state');
  fs.cpSync(FIXTURES, sessions, { recursive: true });
  const sink = new CollectingSink();
  const options: RunImportOptions = { storageDir: storage, secret: 'test-secret', pricer, env: {}, homeDir: home, platform: 'linux', sink };
  return { home, sessions, storage, sink, options };
}

/** [UTC day, model, input, output, cache read, cache write] per day and model, as ccusage's daily breakdown lists them. */
function daily(events: UsageEvent[]): (string | number)[][] {
  const days = new Map<string, number[]>();
  for (const e of events) {
    const key = `${new Date(e.t).toISOString().slice(0, 10)} ${e.model}`;
    const sums = days.get(key) ?? [0, 0, 0, 0];
    days.set(key, [sums[0] + e.inputTokens, sums[1] + e.outputTokens, sums[2] + e.cacheReadTokens, sums[3] + e.cacheWrite5mTokens]);
  }
  return [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, sums]) => [...key.split(' '), ...sums]);
}

// Figures of `ccusage copilot daily --json --offline --breakdown` (20.0.24, TZ=UTC) on the fixture folder.
const CCUSAGE_DAILY = [
  ['2026-11-21', 'claude-opus-4.5', 4000, 700, 5000, 0],
  ['2026-11-21', 'claude-sonnet-4.5', 6000, 3100, 40000, 6000],
  ['2026-11-21', 'gpt-5.2', 8000, 1500, 12000, 0],
  ['2026-11-22', 'claude-haiku-4.5', 2500, 300, 1000, 500],
  ['2026-11-22', 'gpt-5-mini', 3000, 200, 0, 0],
  ['2026-11-22', 'gpt-5.2', 3000, 600, 3000, 0],
].map(([day, model, ...counts]) => [day, pricer.normalizeModel(model as string), ...counts]);

describe('GitHub Copilot CLI session state', () => {
  it('imports what each shutdown adds per model, as ccusage counts it, and counts a cut shutdown line', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const copilot = summary.sources.find((source) => source.source === 'copilot-cli');
    assert.equal(copilot?.found, true);
    assert.deepEqual(copilot?.rejectedLines, { json: 1 }, 'the line cut mid-file is counted; the one still being written is not');
    const events = latestEvents(s.sink.events);
    assert.deepEqual(daily(events), CCUSAGE_DAILY);
    assert.equal(events.length, 6, 'the repeated shutdown line counts once, the open session not at all');
    assert.equal(new Set(events.map((event) => event.session)).size, 3);
    const resumed = events.filter((event) => event.model === pricer.normalizeModel('gpt-5.2'));
    assert.deepEqual(
      resumed.map((event) => [new Date(event.t).toISOString(), event.reasoningTokens]),
      [
        ['2026-11-21T23:50:00.000Z', 400],
        ['2026-11-22T11:30:00.000Z', 100],
      ],
      'each shutdown dated at its own time, reasoning counted inside output',
    );
  });

  it('adds only what a resumed session used since its last shutdown, and keeps no path, prompt or name', async () => {
    const s = setup();
    assert.equal((await runImport(s.options)).events, 6);
    assert.equal((await runImport(s.options)).events, 0, 'a file read again adds nothing');
    const file = path.join(s.sessions, RESUMED, 'events.jsonl');
    const shutdown = {
      type: 'session.shutdown',
      id: 'b9',
      parentId: 'b8',
      timestamp: '2026-11-23T09:00:00.000Z',
      data: {
        shutdownType: 'routine',
        sessionStartTime: 1763766000000,
        totalApiDurationMs: 9000,
        codeChanges: { linesAdded: 1, linesRemoved: 0, filesModified: [`/home/${SECRET}/b.ts`] },
        modelMetrics: {
          'gpt-5.2': { requests: { count: 2, cost: 1 }, usage: { inputTokens: 30000, outputTokens: 2300, cacheReadTokens: 16000, cacheWriteTokens: 0, reasoningTokens: 500 } },
        },
      },
    };
    fs.appendFileSync(file, `${JSON.stringify(shutdown)}\n`);
    const third = await runImport(s.options);
    assert.equal(third.events, 1);
    const added = s.sink.events[s.sink.events.length - 1];
    assert.deepEqual(
      [new Date(added.t).toISOString(), added.inputTokens, added.outputTokens, added.cacheReadTokens, added.reasoningTokens],
      ['2026-11-23T09:00:00.000Z', 3000, 200, 1000, 0],
    );
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, RESUMED]);
  });

  it('looks in $COPILOT_HOME, else ~/.copilot, at session-state/<session>/events.jsonl only', () => {
    const home = tempDir('copilot-cli-discover');
    for (const file of [
      '.copilot/session-state/a/events.jsonl',
      '.copilot/session-state/a/workspace.yaml',
      '.copilot/session-state/b/checkpoints/events.jsonl',
      '.copilot/session-state/events.jsonl',
      '.copilot/otel/events.jsonl',
      'relocated/session-state/c/events.jsonl',
    ]) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'copilot-cli')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), ['.copilot/session-state/a/events.jsonl']);
    assert.deepEqual(found({ COPILOT_HOME: '~/relocated' }), ['relocated/session-state/c/events.jsonl']);
  });
});
