import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { createPricer } from '../../../src/pricing/pricer';
import { appendLines, assertNoFileHolds, CollectingSink, tempDir } from './fixtures';

// A Grok Build CLI home folder: see test/fixtures/importers/grok/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/grok');
const SECRET = 'SECRET-PLANTED-6f3b';
const UPDATES = `sessions/%2Fhome%2F${SECRET}%2Fapp/019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b/updates.jsonl`;
const pricer = createPricer();

function setup() {
  const home = tempDir('grok-home');
  const storage = tempDir('grok-storage');
  const grokHome = path.join(home, '.grok');
  fs.cpSync(path.join(FIXTURES, 'sessions'), path.join(grokHome, 'sessions'), { recursive: true });
  const sink = new CollectingSink();
  const options: RunImportOptions = { storageDir: storage, secret: 'test-secret', pricer, env: {}, homeDir: home, platform: 'linux', sink };
  return { home, grokHome, storage, sink, options };
}

describe('Grok Build CLI session updates', () => {
  it('imports each model of each completed turn once, cached input out of input and reasoning inside output', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const grok = summary.sources.find((source) => source.source === 'grok-build');
    assert.equal(grok?.found, true);
    assert.deepEqual(grok?.rejectedLines, { json: 1, timestamp: 1 }, 'the cut-off line and the undated turn are counted and skipped');
    const rows = [...s.sink.events]
      .sort((a, b) => a.t - b.t || a.inputTokens - b.inputTokens)
      .map((e) => [new Date(e.t).toISOString(), e.model, e.inputTokens, e.cacheReadTokens, e.cacheWrite5mTokens, e.outputTokens, e.reasoningTokens, e.reportedCostUSD]);
    assert.deepEqual(rows, [
      ['2026-11-21T10:00:29.250Z', pricer.keptModelName('grok-code-fast-1'), 1000, 0, 0, 100, 0, 0.0012345678],
      ['2026-11-21T10:00:29.250Z', pricer.keptModelName('grok-4.5-build'), 3000, 8000, 0, 800, 300, 0.04],
      ['2026-11-21T10:01:00.000Z', pricer.keptModelName('unknown'), 1500, 1000, 500, 200, 0, null],
      ['2026-11-22T10:00:00.000Z', pricer.keptModelName('grok-4.5-build'), 1000, 4000, 0, 400, 100, null],
    ]);
  });

  it('reads only new lines of a session that goes on, and keeps no path, prompt or reply', async () => {
    const s = setup();
    await runImport(s.options);
    const turn = {
      jsonrpc: '2.0',
      method: 'session/update',
      timestamp: 1795345200,
      params: {
        sessionId: '019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b',
        update: { sessionUpdate: 'turn_completed', usage: { inputTokens: 70, outputTokens: 7, modelUsage: { 'grok-4.5-build': { inputTokens: 70, outputTokens: 7 } } } },
        _meta: { eventId: 'evt-0006' },
      },
    };
    appendLines(path.join(s.grokHome, UPDATES), [JSON.stringify(turn)]);
    const second = await runImport(s.options);
    assert.equal(second.events, 1);
    assert.deepEqual(s.sink.events.slice(-1).map((e) => [e.inputTokens, e.outputTokens]), [[70, 7]]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it('prices a row whose cost is partial from its tokens, and counts a fork\'s copied turns once', async () => {
    // Grok Build 1.0.41 (npm @xai-official/grok): `costIsPartial` marks a row whose ticks miss some calls' cost; a fork
    // (crates/codegen/xai-grok-shell/src/session/storage/jsonl/copy.rs) copies `updates.jsonl` with only the session id
    // rewritten, so each copied turn keeps its `_meta.eventId`.
    const s = setup();
    await runImport(s.options);
    const turn = (sessionId: string) => ({
      jsonrpc: '2.0',
      method: 'session/update',
      timestamp: 1795345200,
      params: {
        sessionId,
        update: {
          sessionUpdate: 'turn_completed',
          usage: {
            inputTokens: 70,
            outputTokens: 7,
            costUsdTicks: 5000,
            costIsPartial: true,
            modelUsage: { 'grok-4.5-build': { inputTokens: 70, outputTokens: 7, costUsdTicks: 5000, costIsPartial: true } },
          },
        },
        _meta: { eventId: 'evt-0007', agentTimestampMs: 1795345200000 },
      },
    });
    appendLines(path.join(s.grokHome, UPDATES), [JSON.stringify(turn('019a2b3c-4d5e-7f60-8a9b-0c1d2e3f4a5b'))]);
    const fork = path.join(s.grokHome, 'sessions/p/019a2b3c-0000-7000-8000-000000000001/updates.jsonl');
    fs.mkdirSync(path.dirname(fork), { recursive: true });
    fs.writeFileSync(fork, `${JSON.stringify(turn('019a2b3c-0000-7000-8000-000000000001'))}\n`);
    const second = await runImport(s.options);
    assert.equal(second.events, 1, 'the fork\'s copy of the turn is the same turn');
    const last = s.sink.events[s.sink.events.length - 1];
    assert.deepEqual([last.inputTokens, last.outputTokens, last.reportedCostUSD], [70, 7, null]);
  });

  it('looks in $GROK_HOME, else ~/.grok, at sessions/**/updates.jsonl only', () => {
    const home = tempDir('grok-discover');
    for (const file of ['.grok/sessions/p/s1/updates.jsonl', '.grok/sessions/p/s1/summary.json', '.grok/logs/unified.jsonl', 'g1/sessions/p/s2/updates.jsonl', 'g2/sessions/p/s3/updates.jsonl']) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'grok-build')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), ['.grok/sessions/p/s1/updates.jsonl']);
    assert.deepEqual(found({ GROK_HOME: ' ~/g1 ' }), ['g1/sessions/p/s2/updates.jsonl']);
    assert.deepEqual(found({ GROK_HOME: path.join(home, 'g2') }), ['g2/sessions/p/s3/updates.jsonl']);
  });
});
