import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport } from '../../../src/importers/runImport';
import { createPricer } from '../../../src/pricing/pricer';
import { appendLines, assertNoFileHolds, importOptions, latestEvents, tempDir } from './fixtures';

// A Kimi CLI share folder as MoonshotAI/kimi-cli writes it: see test/fixtures/importers/kimi-cli/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/kimi-cli');
const SECRET = 'SECRET-PLANTED-4d7e';
const WORK_DIR = 'a368233998d1ace64f5b07ec07a8d661';
const SESSION_ONE = `sessions/${WORK_DIR}/3b9d2f61-7c4e-4a58-9f0d-1e2c3b4a5d6f`;
const SESSION_TWO = 'sessions/31a9c39b6460ffc6c6face8df17c3b8c/c81f0a27-5e3d-4b69-8a1c-2d3e4f5a6b7c';
const pricer = createPricer();
/** What the ledger names a step: no file names the model. */
const UNKNOWN = pricer.keptModelName('unknown');

function setup(shareDir = '.kimi') {
  const home = tempDir('kimi-cli-home');
  const storage = tempDir('kimi-cli-storage');
  const share = path.join(home, shareDir);
  fs.cpSync(path.join(FIXTURES, 'sessions'), path.join(share, 'sessions'), { recursive: true });
  const options = importOptions(home, storage, pricer);
  return { home, share, storage, sink: options.sink, options };
}

/** [UTC time, model, input, cache read, cache write, output] of each event, by time. */
function rows(events: UsageEvent[]): (string | number)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((e) => [new Date(e.t).toISOString(), e.model, e.inputTokens, e.cacheReadTokens, e.cacheWrite5mTokens, e.outputTokens]);
}

const FIXTURE_ROWS = [
  ['2026-02-13T09:31:00.000Z', UNKNOWN, 1500, 0, 0, 90],
  ['2026-02-13T09:31:40.250Z', UNKNOWN, 120, 800, 0, 30], // an older build's subagent step, only in its parent's log
  ['2026-02-14T14:00:00.500Z', UNKNOWN, 700, 2000, 0, 60],
  ['2026-11-20T23:59:30.000Z', UNKNOWN, 3200, 18000, 0, 410],
  ['2026-11-20T23:59:58.499Z', UNKNOWN, 40, 0, 9000, 350], // the subagent's own log; its parent's copy is skipped
  ['2026-11-21T00:00:10.000Z', UNKNOWN, 500, 21000, 0, 260],
];

function stepLine(seconds: number, messageId: string | null, usage: { input_other: number; output: number; input_cache_read?: number; input_cache_creation?: number }): string {
  const payload = { context_usage: null, context_tokens: null, max_context_tokens: null, token_usage: { input_cache_read: 0, input_cache_creation: 0, ...usage }, message_id: messageId, plan_mode: false, mcp_status: null };
  return JSON.stringify({ timestamp: seconds, message: { type: 'StatusUpdate', payload } });
}

describe('Kimi CLI agent logs', () => {
  it('imports each step of every session and subagent once, under an unknown model, and counts a cut and a misdated line', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const kimi = summary.sources.find((source) => source.source === 'kimi-cli');
    assert.equal(kimi?.found, true);
    assert.deepEqual(kimi?.rejectedLines, { json: 1, timestamp: 1 }, 'the cut-off line and the step dated by a string are counted and skipped');
    assert.deepEqual(rows(latestEvents(s.sink.events)), FIXTURE_ROWS);
    assert.ok(s.sink.events.every((e) => e.source === 'kimi-cli' && e.reportedCostUSD === null && e.tokensKnown));
    assert.equal(pricer.pricesFor(UNKNOWN), null, 'the unknown model is unpriced');
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, WORK_DIR, '3b9d2f61-7c4e', 'a7c3e9f1', 'chatcmpl-']);
  });

  it('reads only the new steps of a resumed session', async () => {
    const s = setup();
    await runImport(s.options);
    appendLines(path.join(s.share, SESSION_TWO, 'wire.jsonl'), [stepLine(1795356060.25, 'chatcmpl-main-0102', { input_other: 80, output: 8 })]);
    const second = await runImport(s.options);
    assert.equal(second.events, 1);
    assert.deepEqual(rows(s.sink.events.slice(-1)), [['2026-11-22T14:01:00.250Z', UNKNOWN, 80, 0, 0, 8]]);
  });

  it('counts a forked session\'s copy of its parent\'s steps once, and the fork\'s own steps', async () => {
    const s = setup();
    const fork = path.join(s.share, SESSION_ONE.replace('3b9d2f61', '4c0e3a72'));
    fs.mkdirSync(fork, { recursive: true });
    // kimi-cli's session_fork.py copies the parent's wire.jsonl (not its subagents) into the new session.
    fs.copyFileSync(path.join(s.share, SESSION_ONE, 'wire.jsonl'), path.join(fork, 'wire.jsonl'));
    const session2Fork = path.join(s.share, SESSION_TWO.replace('c81f0a27', 'd92a1b38'));
    fs.mkdirSync(session2Fork, { recursive: true });
    fs.copyFileSync(path.join(s.share, SESSION_TWO, 'wire.jsonl'), path.join(session2Fork, 'wire.jsonl'));
    appendLines(path.join(fork, 'wire.jsonl'), [stepLine(1795219400, 'chatcmpl-fork-0001', { input_other: 11, output: 1 })]);
    await runImport(s.options);
    const events = latestEvents(s.sink.events);
    assert.deepEqual(rows(events), [...FIXTURE_ROWS, ['2026-11-21T00:03:20.000Z', UNKNOWN, 11, 0, 0, 1]]);
  });

  it('looks in sessions/<hash>/<session>/wire.jsonl and its subagents\' logs of $KIMI_SHARE_DIR, else ~/.kimi', () => {
    const home = tempDir('kimi-cli-discover');
    const files = [
      '.kimi/sessions/0123abcd/s1/wire.jsonl',
      '.kimi/sessions/0123abcd/s1/context.jsonl',
      '.kimi/sessions/0123abcd/s1/subagents/a1/wire.jsonl',
      '.kimi/sessions/0123abcd/s1/subagents/a1/context.jsonl',
      '.kimi/sessions/0123abcd/s1/tasks/t1/wire.jsonl',
      '.kimi/sessions/wd_a_1/s2/agents/main/wire.jsonl',
      '.kimi/sessions/s3/wire.jsonl',
      'share/sessions/4567ef01/s4/wire.jsonl',
    ];
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'kimi-cli')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), ['.kimi/sessions/0123abcd/s1/subagents/a1/wire.jsonl', '.kimi/sessions/0123abcd/s1/wire.jsonl']);
    assert.deepEqual(found({ KIMI_SHARE_DIR: path.join(home, 'share') }), ['share/sessions/4567ef01/s4/wire.jsonl']);
    assert.deepEqual(found({ KIMI_SHARE_DIR: '' }), found({}), 'an empty variable is unset, as Kimi CLI reads it');
  });
});
