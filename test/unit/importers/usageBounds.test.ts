// The import boundary (issue #7, items 1, 3 and 10): every parsed record is checked against one set of
// bounds, a rejection is counted by source and reason and never stops the run, and nothing the
// importer writes is readable by other users.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { LimitEvent, LimitReachedEvent, UsageEvent } from '../../../src/ledger/events';
import { latestLimits, type LimitObservation } from '../../../src/money/limits';
import { acquireImportLock, lockPath } from '../../../src/ledger/importLock';
import { loadImportSecret } from '../../../src/importers/importSecret';
import { importerDir } from '../../../src/ledger/storageLocation';
import { runImport, type RunImportOptions, type UsageEventSink } from '../../../src/importers/runImport';
import type { ParsedUsage } from '../../../src/importers/types';
import { MAX_TOKENS_PER_RESPONSE, parsedUsageSchema, UsageBounds } from '../../../src/importers/usageBounds';
import { claudeAssistantLine, codexSessionMeta, codexTokenCount, parsedUsage as parsed, tempDir, writeLines } from './fixtures';

const NOW = Date.UTC(2026, 0, 15);

class CollectingSink implements UsageEventSink {
  readonly events: UsageEvent[] = [];
  constructor(private readonly refuse: (event: UsageEvent) => boolean = () => false) {}
  append(event: UsageEvent): void {
    // As the ledger's writer does with an event its schema refuses.
    if (this.refuse(event)) throw new Error('invalid event');
    this.events.push(event);
  }
  async flush(): Promise<void> {}
}

function options(home: string, storage: string, sink: UsageEventSink): RunImportOptions {
  return {
    storageDir: storage,
    secret: 'test-secret',
    pricer: { keptModelName: () => 'other' },
    env: {},
    homeDir: home,
    platform: 'linux',
    sink,
  };
}

describe('usage bounds', () => {
  const bounds = new UsageBounds(NOW);

  it('accepts a plausible record', () => {
    assert.equal(bounds.rejection(parsed()), undefined);
    assert.equal(bounds.rejection(parsed({ inputTokens: MAX_TOKENS_PER_RESPONSE, reportedCostUSD: 12.5 })), undefined);
  });

  it('names the reason of each rejection', () => {
    const cases: [Partial<ParsedUsage>, string][] = [
      [{ t: 1e16 }, 'timestamp'],
      [{ t: Date.UTC(1999, 11, 31) }, 'timestamp'],
      [{ t: NOW + 2 * 24 * 60 * 60 * 1000 }, 'timestamp'],
      [{ t: Number.NaN }, 'timestamp'],
      [{ inputTokens: 1e308 }, 'tokens'],
      [{ outputTokens: Number.POSITIVE_INFINITY }, 'tokens'],
      [{ cacheReadTokens: -1 }, 'tokens'],
      [{ reasoningTokens: 1.5 }, 'tokens'],
      [{ cacheWrite1hTokens: MAX_TOKENS_PER_RESPONSE + 1 }, 'tokens'],
      [{ reportedCostUSD: 1e300 }, 'cost'],
      [{ reportedCostUSD: -0.01 }, 'cost'],
      [{ reportedCostUSD: Number.NaN }, 'cost'],
      [{ key: '' }, 'fields'],
      [{ model: 'm'.repeat(5000) }, 'fields'],
    ];
    for (const [overrides, reason] of cases) assert.equal(bounds.rejection(parsed(overrides)), reason, JSON.stringify(overrides));
  });

  it('accepts exactly what the schema accepts, through its quick check as well (records built from edge values)', () => {
    const schema = parsedUsageSchema(NOW);
    const DAY = 24 * 60 * 60 * 1000;
    // Mostly plausible fields with now and then one at or past an edge, so that many records are one field from valid.
    const field = <T,>(plausible: fc.Arbitrary<T>, edges: unknown[]) =>
      fc.oneof({ arbitrary: plausible, weight: 19 }, { arbitrary: fc.oneof(fc.constantFrom(...edges), fc.anything()), weight: 1 });
    const notNumbers = ['1', null, undefined, true, {}, []];
    const numberEdges = [0, -0, 0.5, 1.5, -1, 1e6, 1e6 + 1e-6, MAX_TOKENS_PER_RESPONSE, MAX_TOKENS_PER_RESPONSE + 1, 2 ** 53 - 1, 2 ** 53, 1e308, Number.NaN, Infinity, -Infinity, ...notNumbers];
    const timeEdges = [Date.UTC(2000, 0, 1) - 1, Date.UTC(2000, 0, 1), NOW + DAY, NOW + DAY + 1, NOW - 0.5, ...numberEdges];
    const textEdges = ['', 'x'.repeat(4096), 'x'.repeat(4097), 1, null, undefined, ['a'], {}];
    const text = field(fc.string({ maxLength: 40 }), textEdges);
    const tokens = field(fc.oneof(fc.nat(), fc.constant(MAX_TOKENS_PER_RESPONSE)), numberEdges);
    const record = fc.record({
      key: field(fc.string({ minLength: 1, maxLength: 40 }), textEdges),
      t: field(fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(NOW + DAY), noInvalidDate: true }).map((date) => date.getTime()), timeEdges),
      model: text,
      inputTokens: tokens,
      outputTokens: tokens,
      reasoningTokens: tokens,
      cacheReadTokens: tokens,
      cacheWrite5mTokens: tokens,
      cacheWrite1hTokens: tokens,
      tokensKnown: field(fc.boolean(), [0, 'true', null, undefined]),
      reportedCostUSD: field(fc.oneof(fc.constant(null), fc.double({ min: 0, max: 1e6, noNaN: true })), numberEdges),
      sessionKey: text,
      projectKey: text,
      copyOf: field(
        fc.oneof(fc.constant(undefined), fc.record({ responseId: fc.string({ minLength: 1, maxLength: 40 }), replay: fc.boolean() })),
        [null, {}, [], 'r', { responseId: '', replay: false }, { responseId: 'r', replay: 'no' }, { responseId: 'x'.repeat(4097), replay: true }],
      ),
    });
    let accepted = 0;
    fc.assert(
      fc.property(record, (candidate) => {
        const verdict = bounds.rejection(candidate as ParsedUsage);
        assert.equal(verdict === undefined, schema.safeParse(candidate).success);
        if (verdict === undefined) accepted++;
      }),
      { numRuns: 4000 },
    );
    assert.ok(accepted > 1000 && accepted < 3000, `both verdicts were met (${accepted} of 4000 accepted)`);
  });
});

describe('import rejections', function () {
  this.timeout(10_000);

  it('counts rejected lines per source and reason, imports the rest and saves its state', async () => {
    const home = tempDir('bounds-home');
    const storage = tempDir('bounds-storage');
    const claudeFile = path.join(home, '.claude', 'projects', 'p', 's.jsonl');
    const good = (id: string) => claudeAssistantLine({ timestamp: '2026-01-10T10:00:00.000Z', messageId: id, requestId: `r_${id}`, usage: { input: 10, output: 5 } });
    writeLines(claudeFile, [
      good('m1'),
      claudeAssistantLine({ timestamp: '2026-01-10T10:00:00.000Z', messageId: 'm2', requestId: 'r2', usage: { input: 1e308, output: 5 } }),
      good('m3').replace('"2026-01-10T10:00:00.000Z"', '1e16'),
      claudeAssistantLine({ timestamp: 'not a date', messageId: 'm4', requestId: 'r4', usage: { input: 1, output: 1 } }),
      '{"message":{"usage":',
    ]);
    writeLines(path.join(home, '.codex', 'sessions', '2026', '01', '10', 'rollout-a.jsonl'), [
      codexSessionMeta('2026-01-10T10:00:00.000Z', 'session-a'),
      codexTokenCount('3026-01-10T10:00:00.000Z', { input: 10, output: 5 }, { input: 10, output: 5 }),
    ]);
    const sink = new CollectingSink();
    const summary = await runImport({ ...options(home, storage, sink), now: () => NOW });
    assert.equal(summary.status, 'done');
    assert.equal(sink.events.length, 1);
    const bySource = new Map(summary.sources.map((source) => [source.source, source.rejectedLines]));
    assert.deepEqual(bySource.get('claude-code'), { tokens: 1, timestamp: 2, json: 1 });
    assert.deepEqual(bySource.get('codex'), { timestamp: 1 });

    const again = await runImport({ ...options(home, storage, sink), now: () => NOW });
    assert.equal(again.events, 0, 'the run saved its state although lines were rejected');
    assert.deepEqual(new Map(again.sources.map((source) => [source.source, source.rejectedLines])).get('claude-code'), {});
  });

  it('counts a log time that is no date-time a tool writes ("5", "usage 3", a date alone) as a timestamp rejection, never a day of 2001', async () => {
    const home = tempDir('garbage-times-home');
    const storage = tempDir('garbage-times-storage');
    const line = (timestamp: string, id: string) => claudeAssistantLine({ timestamp, messageId: id, requestId: `r_${id}`, usage: { input: 10, output: 5 } });
    const rejected = ['5', '12', 'usage 3', '  7  ', '2026-01-10', '2026-01-10T10:00:00', 'Sat, 10 Jan 2026 10:00:00 GMT'];
    // As Claude Code, Kiro, Factory Droid and Goose write them.
    const accepted = ['2026-01-10T10:00:00.000Z', '2026-01-10T10:00:00.123456789Z', '2026-01-10T12:00:00+02:00', '2026-01-10T12:00:00+0200', '2026-01-10 10:00:00Z'];
    writeLines(path.join(home, '.claude', 'projects', 'p', 's.jsonl'), [...rejected, ...accepted].map((timestamp, i) => line(timestamp, `m${i}`)));
    const sink = new CollectingSink();
    const summary = await runImport({ ...options(home, storage, sink), now: () => NOW });
    assert.deepEqual(summary.sources.find((source) => source.source === 'claude-code')?.rejectedLines, { timestamp: rejected.length });
    assert.deepEqual(new Set(sink.events.map((event) => new Date(event.t).toISOString())), new Set(['2026-01-10T10:00:00.000Z', '2026-01-10T10:00:00.123Z']));
    assert.equal(sink.events.length, accepted.length);
  });

  it("counts a plan limit dated before 2000 or more than a day ahead as a timestamp rejection of its source, so a forged one never shows as the latest", async () => {
    const home = tempDir('limit-times-home');
    const storage = tempDir('limit-times-storage');
    const rateLimits = (timestamp: string, usedPercent: number) =>
      JSON.stringify({ timestamp, type: 'event_msg', payload: { type: 'token_count', info: null, rate_limits: { primary: { used_percent: usedPercent, window_minutes: 300 } } } });
    writeLines(path.join(home, '.codex', 'sessions', '2026', '01', '10', 'rollout-a.jsonl'), [
      rateLimits('2199-12-31T00:00:00Z', 100),
      rateLimits('1970-01-01T00:00:01Z', 99),
      rateLimits(new Date(NOW + 2 * 24 * 60 * 60 * 1000).toISOString(), 98),
      rateLimits(new Date(NOW - 60_000).toISOString(), 12),
    ]);
    const limits: LimitObservation[] = [];
    const sink = Object.assign(new CollectingSink(), { appendLimit: (event: LimitEvent | LimitReachedEvent) => void (event.kind === 'limit' && limits.push(event)) });
    const summary = await runImport({ ...options(home, storage, sink), now: () => NOW });
    assert.deepEqual(summary.sources.find((source) => source.source === 'codex')?.rejectedLines, { timestamp: 3 });
    assert.deepEqual(latestLimits(limits, NOW).map((limit) => [limit.window, limit.usedPercent, limit.observedAt]), [['5h', 12, NOW - 60_000]]);
  });

  it('skips and counts an event the ledger refuses instead of aborting the run', async () => {
    const home = tempDir('refused-home');
    const storage = tempDir('refused-storage');
    writeLines(path.join(home, '.claude', 'projects', 'p', 's.jsonl'), [
      claudeAssistantLine({ timestamp: '2026-01-10T10:00:00.000Z', messageId: 'm1', requestId: 'r1', usage: { input: 10, output: 5 } }),
      claudeAssistantLine({ timestamp: '2026-01-10T10:00:00.000Z', messageId: 'm2', requestId: 'r2', usage: { input: 77, output: 5 } }),
    ]);
    const sink = new CollectingSink((event) => event.inputTokens === 77);
    const summary = await runImport({ ...options(home, storage, sink), now: () => NOW });
    assert.equal(summary.status, 'done');
    assert.deepEqual(sink.events.map((event) => event.inputTokens), [10]);
    assert.deepEqual(summary.sources.find((source) => source.source === 'claude-code')?.rejectedLines, { fields: 1 });
    assert.ok(fs.existsSync(path.join(importerDir(storage), 'state.json')), 'the state was saved');
  });

  it('writes every importer file owner-only (0600) in an owner-only folder (0700)', async function () {
    if (process.platform === 'win32') this.skip();
    const home = tempDir('modes-home');
    const storage = tempDir('modes-storage');
    writeLines(path.join(home, '.claude', 'projects', 'p', 's.jsonl'), [
      claudeAssistantLine({ timestamp: '2026-01-10T10:00:00.000Z', messageId: 'm1', requestId: 'r1', usage: { input: 10, output: 5 } }),
    ]);
    const secret = await loadImportSecret(storage);
    assert.equal(fs.statSync(importerDir(storage)).mode & 0o777, 0o700, 'the id key is created in an owner-only folder');
    const release = await acquireImportLock(storage);
    assert.equal(fs.statSync(lockPath(storage)).mode & 0o777, 0o600, 'the lock');
    await release?.();
    await runImport({ ...options(home, storage, new CollectingSink()), secret, now: () => NOW });
    const folder = importerDir(storage);
    assert.equal(fs.statSync(folder).mode & 0o777, 0o700);
    const files = fs.readdirSync(folder);
    for (const expected of ['id-key', 'state.json', 'emitted-claude-code.json']) assert.ok(files.includes(expected), expected);
    for (const file of files) assert.equal(fs.statSync(path.join(folder, file)).mode & 0o777, 0o600, file);
  });
});
