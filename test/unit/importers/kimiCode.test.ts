import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport } from '../../../src/importers/runImport';
import { appendLines, assertNoFileHolds, importOptions, latestEvents, tempDir } from './fixtures';

// A Kimi Code data folder as MoonshotAI/kimi-code writes it: see test/fixtures/importers/kimi-code/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/kimi-code');
const SECRET = 'SECRET-PLANTED-9a1c';
const SESSION_ONE = `sessions/wd_${SECRET}_3f2a9c4e1b7d/5d0c2f4e-8a1b-4c3d-9e2f-0a1b2c3d4e5f`;
const SESSION_TWO = 'sessions/wd_app_8e71c0d2a4f6/a7e3b1c9-2d4f-4a6b-8c0e-1f2a3b4c5d6e';

function setup() {
  const home = tempDir('kimi-code-home');
  const storage = tempDir('kimi-code-storage');
  const dataDir = path.join(home, '.kimi-code');
  fs.cpSync(path.join(FIXTURES, 'sessions'), path.join(dataDir, 'sessions'), { recursive: true });
  const options = importOptions(home, storage);
  const { sink } = options;
  return { home, dataDir, storage, sink, options };
}

/** [UTC time, model, input, cache read, cache write, output] of each event, by time. */
function rows(events: UsageEvent[]): (string | number)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => [new Date(e.t).toISOString(), e.model, e.inputTokens, e.cacheReadTokens, e.cacheWrite5mTokens, e.outputTokens]);
}

const FIXTURE_ROWS = [
  ['2026-11-20T23:59:30.000Z', 'kimi-for-coding', 3200, 18000, 0, 410],
  ['2026-11-20T23:59:59.000Z', 'anthropic/claude-sonnet-4-5-20250929', 40, 0, 9000, 350], // a subagent's own log
  ['2026-11-21T00:00:10.000Z', 'kimi-for-coding', 500, 21000, 0, 260],
  ['2026-11-21T00:02:00.000Z', 'kimi-for-coding', 24000, 0, 0, 1200], // compaction: a call outside a turn
  ['2026-11-21T09:31:00.000Z', 'kimi-k2.6', 1500, 0, 0, 90], // the environment's model, named by its request
  ['2026-11-22T14:00:00.000Z', 'kimi-for-coding', 700, 2000, 0, 60],
];

describe('Kimi Code agent logs', () => {
  it('imports every model call of every agent once, the plan prefix dropped, and counts a cut line', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const kimi = summary.sources.find((source) => source.source === 'kimi-code');
    assert.equal(kimi?.found, true);
    assert.deepEqual(kimi?.rejectedLines, { json: 1 }, 'the cut-off line is counted and skipped');
    assert.deepEqual(rows(latestEvents(s.sink.events)), FIXTURE_ROWS);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, 'wd_app_8e71c0d2a4f6', '5d0c2f4e-8a1b']);
  });

  it('reads only new lines, naming a call of the environment\'s model after the request a former run read', async () => {
    const s = setup();
    await runImport(s.options);
    const usage = { type: 'usage.record', model: '__kimi_env_model__', usage: { inputOther: 80, output: 8, inputCacheRead: 0, inputCacheCreation: 0 }, usageScope: 'turn', time: 1795356060000 };
    appendLines(path.join(s.dataDir, SESSION_TWO, 'agents', 'main', 'wire.jsonl'), [JSON.stringify(usage)]);
    const second = await runImport(s.options);
    assert.equal(second.events, 1);
    assert.deepEqual(rows(s.sink.events.slice(-1)), [['2026-11-22T14:01:00.000Z', 'kimi-k2.6', 80, 0, 0, 8]]);
  });

  it('counts a forked session\'s copy of its parent\'s calls once, and the fork\'s own calls', async () => {
    const s = setup();
    const fork = path.join(s.dataDir, SESSION_ONE.replace('5d0c2f4e', '6e1d3a5f'));
    fs.cpSync(path.join(s.dataDir, SESSION_ONE), fork, { recursive: true });
    const own = { type: 'usage.record', model: 'kimi-code/kimi-for-coding', usage: { inputOther: 11, output: 1, inputCacheRead: 0, inputCacheCreation: 0 }, usageScope: 'turn', time: 1795219400000 };
    appendLines(path.join(fork, 'agents', 'main', 'wire.jsonl'), [JSON.stringify(own)]);
    await runImport(s.options);
    const events = latestEvents(s.sink.events);
    assert.equal(events.length, FIXTURE_ROWS.length + 1);
    assert.deepEqual(rows(events).find((row) => row[2] === 11), ['2026-11-21T00:03:20.000Z', 'kimi-for-coding', 11, 0, 0, 1]);
  });

  it('reads 2.1.0\'s usage.record, which names its agent and may keep the provider\'s raw usage', async () => {
    const s = setup();
    await runImport(s.options);
    // @moonshot-ai/kimi-code 2.1.0 dist/main.mjs: agent-core-v2 agent/usage/usageOps.ts `UsageRecord` serialized by
    // `Event2.serialize` (type, payload, then time); kosong's `TokenUsage` may carry `raw`.
    const usage = {
      type: 'usage.record',
      agentId: 'main',
      model: 'kimi-code/kimi-for-coding',
      usage: { inputOther: 90, output: 9, inputCacheRead: 300, inputCacheCreation: 0, raw: { prompt_tokens: 390, completion_tokens: 9 } },
      usageScope: 'session',
      time: 1795356120000,
    };
    appendLines(path.join(s.dataDir, SESSION_TWO, 'agents', 'main', 'wire.jsonl'), [JSON.stringify(usage)]);
    const second = await runImport(s.options);
    assert.equal(second.events, 1);
    assert.deepEqual(rows(s.sink.events.slice(-1)), [['2026-11-22T14:02:00.000Z', 'kimi-for-coding', 90, 300, 0, 9]]);
  });

  it('looks in sessions/*/*/agents/*/wire.jsonl of each $KIMI_DATA_DIR folder, else $KIMI_CODE_HOME, else ~/.kimi-code', () => {
    const home = tempDir('kimi-code-discover');
    const files = [
      '.kimi-code/sessions/wd_a_1/s1/agents/main/wire.jsonl',
      '.kimi-code/sessions/wd_a_1/s1/agents/main/context.jsonl',
      // 2.1.0 keeps a corrupt log's original here when it cuts the log to its valid prefix (wire/repair.ts).
      '.kimi-code/sessions/wd_a_1/s1/agents/main/wire.jsonl.bak',
      '.kimi-code/sessions/wd_a_1/s1/state.json',
      '.kimi/sessions/0123abcd/s2/wire.jsonl',
      'k1/sessions/wd_b_2/s3/agents/agent-7/wire.jsonl',
      'k2/sessions/wd_c_3/s4/agents/main/wire.jsonl',
      'k3/sessions/wd_d_4/s5/agents/main/wire.jsonl',
    ];
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'kimi-code')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), ['.kimi-code/sessions/wd_a_1/s1/agents/main/wire.jsonl']);
    assert.deepEqual(found({ KIMI_CODE_HOME: path.join(home, 'k3') }), ['k3/sessions/wd_d_4/s5/agents/main/wire.jsonl']);
    assert.deepEqual(found({ KIMI_DATA_DIR: ` ~/k1, ${path.join(home, 'k2')},~/.kimi`, KIMI_CODE_HOME: path.join(home, 'k3') }), [
      'k1/sessions/wd_b_2/s3/agents/agent-7/wire.jsonl',
      'k2/sessions/wd_c_3/s4/agents/main/wire.jsonl',
    ]);
  });
});
