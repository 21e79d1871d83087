import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
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
].map(([day, model, ...counts]) => [day, pricer.keptModelName(model as string), ...counts]);

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
    const resumed = events.filter((event) => event.model === pricer.keptModelName('gpt-5.2'));
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

  it('reads a session resumed 40,000 times, a recorded call before each shutdown, as its 40,000 calls', async () => {
    const s = setup();
    const usage = { inputTokens: 1000, outputTokens: 100, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 };
    const start = Date.parse('2026-11-23T00:00:00.000Z');
    const events = Array.from({ length: 40_000 }, (_, i) => [
      { type: 'session.usage_record', data: { usage: { model: 'gpt-5.2', ...usage, apiCallId: `call-${i}` } }, id: `u${i}`, timestamp: new Date(start + i * 1000).toISOString() },
      {
        type: 'session.shutdown',
        data: { modelMetrics: { 'gpt-5.2': { usage: { ...usage, inputTokens: 1000 * (i + 1), outputTokens: 100 * (i + 1) } } } },
        id: `s${i}`,
        timestamp: new Date(start + i * 1000 + 500).toISOString(),
      },
    ]).flat();
    const file = path.join(s.sessions, '0f0e0d0c-0b0a-4909-8807-060504030201', 'events.jsonl');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, events.map((event) => `${JSON.stringify(event)}\n`).join(''));
    const summary = await runImport(s.options);
    // Beside the six records of the fixture's sessions.
    assert.equal(summary.sources.find((source) => source.source === 'copilot-cli')?.newEvents, 40_000 + 6);
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

// A session of CLI 1.0.102 with its OpenTelemetry file on: see test/fixtures/importers/copilot-cli/README.md.
const WITH_OTEL = path.resolve(__dirname, '../../../../test/fixtures/importers/copilot-cli/with-otel');
const OTEL_SESSION = '9a4d5e6f-7b8c-4d9e-8f01-c2d3e4f5a6b7';

/** [UTC time, source, model, input, output, cache read, cache write, reasoning] of each event, in time order. */
function rows(events: UsageEvent[]): (string | number)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => [new Date(e.t).toISOString(), e.source, e.model, e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheWrite5mTokens, e.reasoningTokens]);
}

// Each recorded call once, at its own time, under copilot-cli; what the shutdown adds beyond the two calls before it
// (a call the log does not record one by one) at the shutdown; Copilot Chat's call in the same file under copilot-chat.
const SONNET = pricer.keptModelName('claude-sonnet-4.5');
const WITH_OTEL_ROWS = [
  ['2026-11-24T09:00:05.120Z', 'copilot-cli', SONNET, 2000, 600, 8000, 2000, 100],
  ['2026-11-24T09:01:10.480Z', 'copilot-cli', SONNET, 2000, 900, 12000, 1000, 0],
  ['2026-11-24T09:02:00.000Z', 'copilot-cli', SONNET, 3000, 300, 1000, 0, 0],
  ['2026-11-24T10:00:30.000Z', 'copilot-cli', SONNET, 2000, 400, 7000, 0, 0],
  ['2026-11-24T11:00:00.000Z', 'copilot-chat', pricer.keptModelName('gpt-4.1'), 5000, 200, 0, 0, 0],
];

function setupWithOtel() {
  const home = tempDir('copilot-cli-otel-home');
  const storage = tempDir('copilot-cli-otel-storage');
  const sink = new CollectingSink();
  const otelFile = path.join(home, 'otel', 'copilot.jsonl');
  const sessions = path.join(home, '.copilot', 'session-state');
  const options: RunImportOptions = {
    storageDir: storage,
    secret: 'test-secret',
    pricer,
    env: { COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: otelFile },
    homeDir: home,
    platform: 'linux',
    sink,
  };
  return {
    storage,
    sink,
    options,
    sessionFile: path.join(sessions, OTEL_SESSION, 'events.jsonl'),
    writeOtel: () => {
      fs.mkdirSync(path.dirname(otelFile), { recursive: true });
      fs.copyFileSync(path.join(WITH_OTEL, 'otel.jsonl'), otelFile);
    },
    writeSessions: () => fs.cpSync(path.join(WITH_OTEL, 'session-state'), sessions, { recursive: true }),
  };
}

describe('GitHub Copilot CLI with its OpenTelemetry file on', () => {
  it('counts each call once, under copilot-cli, at its own time, whichever file is imported first', async () => {
    for (const otelFirst of [true, false]) {
      const s = setupWithOtel();
      (otelFirst ? s.writeOtel : s.writeSessions)();
      await runImport(s.options);
      const first = latestEvents(s.sink.events);
      assert.deepEqual(
        rows(first),
        otelFirst ? WITH_OTEL_ROWS.filter((row) => row[1] === 'copilot-chat') : WITH_OTEL_ROWS.filter((row) => row[1] === 'copilot-cli'),
        otelFirst ? 'the CLI calls of the file wait for the session log' : 'the session log alone counts each call',
      );
      (otelFirst ? s.writeSessions : s.writeOtel)();
      await runImport(s.options);
      assert.deepEqual(rows(latestEvents(s.sink.events)), WITH_OTEL_ROWS, otelFirst ? 'OpenTelemetry file first' : 'session log first');
      assert.equal((await runImport(s.options)).events, 0, 'read again, nothing is added');
    }
  });

  it('counts the calls of a session still open, and after its shutdown only what they do not cover', async () => {
    const s = setupWithOtel();
    s.writeOtel();
    s.writeSessions();
    const full = fs.readFileSync(s.sessionFile, 'utf8');
    const shutdownAt = full.indexOf('{"type":"session.shutdown"');
    fs.writeFileSync(s.sessionFile, full.slice(0, shutdownAt));
    await runImport(s.options);
    assert.deepEqual(rows(latestEvents(s.sink.events).filter((e) => e.source === 'copilot-cli')), WITH_OTEL_ROWS.slice(0, 2));
    fs.writeFileSync(s.sessionFile, full);
    await runImport(s.options);
    assert.deepEqual(rows(latestEvents(s.sink.events)), WITH_OTEL_ROWS);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, OTEL_SESSION]);
  });

  it('counts a call a fork copied from its source session once', async () => {
    const s = setupWithOtel();
    s.writeSessions();
    const recorded = fs
      .readFileSync(s.sessionFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"session.usage_record"'));
    const fork = path.join(path.dirname(path.dirname(s.sessionFile)), '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e', 'events.jsonl');
    fs.mkdirSync(path.dirname(fork), { recursive: true });
    fs.writeFileSync(fork, `${recorded.join('\n')}\n`);
    await runImport(s.options);
    assert.deepEqual(rows(latestEvents(s.sink.events)), WITH_OTEL_ROWS.filter((row) => row[1] === 'copilot-cli'));
  });
});
