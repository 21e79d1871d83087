import * as assert from 'node:assert/strict';
import { codexParser, type CodexFileState } from '../../../src/importers/sources/codex';
import type { ParsedUsage } from '../../../src/importers/types';
import { codexAgentMessage, codexSessionMeta, codexTokenCount, codexTurnContext, TEST_CONTEXT } from './fixtures';

function parseAll(lines: string[], state: CodexFileState = codexParser.initialState('/c/sessions/rollout-1.jsonl', TEST_CONTEXT)): ParsedUsage[] {
  return lines.flatMap((line) => codexParser.parseLine(line, state, TEST_CONTEXT));
}

describe('Codex parser', () => {
  it('takes the model from the latest turn_context and subtracts cached input from input', () => {
    const [usage] = parseAll([
      codexSessionMeta('2026-05-01T10:00:00Z', 'sess-1'),
      codexTurnContext('2026-05-01T10:00:00.100Z', 'gpt-5.2-codex'),
      codexTokenCount('2026-05-01T10:00:01Z', null, null),
      codexTokenCount('2026-05-01T10:00:05Z', { input: 1000, cached: 200, output: 100, reasoning: 40 }, { input: 1000, cached: 200, output: 100, reasoning: 40 }),
    ]);
    assert.equal(usage.model, 'gpt-5.2-codex');
    assert.equal(usage.inputTokens, 800);
    assert.equal(usage.cacheReadTokens, 200);
    assert.equal(usage.outputTokens, 100, 'reasoning is inside output');
    assert.equal(usage.reasoningTokens, 40);
    assert.equal(usage.sessionKey, TEST_CONTEXT.nameDigest('sess-1'));
    assert.equal(usage.t, Date.parse('2026-05-01T10:00:05Z'));
  });

  it('does not count a re-emitted token_count whose running total did not move', () => {
    const first = { input: 1000, cached: 200, output: 100, reasoning: 40 };
    const second = { input: 2000, cached: 1000, output: 200 };
    const events = parseAll([
      codexTurnContext('2026-05-01T10:00:00Z', 'gpt-5.2'),
      codexTokenCount('2026-05-01T10:00:05Z', first, first),
      codexTokenCount('2026-05-01T10:00:06Z', first, first),
      codexTokenCount('2026-05-01T10:00:30Z', first, first),
      codexTokenCount('2026-05-01T10:01:05Z', { input: 3000, cached: 1200, output: 300, reasoning: 40 }, second),
    ]);
    assert.equal(events.length, 2);
    assert.equal(events.reduce((sum, e) => sum + e.inputTokens + e.cacheReadTokens + e.outputTokens, 0), 3300);
  });

  it('uses the difference of running totals when last_token_usage is absent', () => {
    const events = parseAll([
      codexTurnContext('2026-05-01T10:00:00Z', 'gpt-5'),
      codexTokenCount('2026-05-01T10:00:05Z', { input: 1000, cached: 100, output: 200, reasoning: 20 }, null),
      codexTokenCount('2026-05-01T10:00:09Z', { input: 1000, cached: 100, output: 200, reasoning: 20 }, null),
      codexTokenCount('2026-05-01T10:02:00Z', { input: 1600, cached: 300, output: 450, reasoning: 40 }, null),
    ]);
    assert.deepEqual(
      events.map((e) => [e.inputTokens, e.cacheReadTokens, e.outputTokens, e.reasoningTokens]),
      [[900, 100, 200, 20], [400, 200, 250, 20]],
    );
  });

  it('follows model switches and keeps the model in the file state for the next run', () => {
    const state = codexParser.initialState('/c/sessions/r.jsonl', TEST_CONTEXT);
    parseAll([codexTurnContext('2026-05-01T10:00:00Z', 'gpt-5.1-codex-mini')], state);
    const persisted = JSON.parse(JSON.stringify(state)) as CodexFileState;
    const [a] = parseAll([codexTokenCount('2026-05-01T10:00:05Z', { input: 10, output: 1 }, { input: 10, output: 1 })], persisted);
    parseAll([codexTurnContext('2026-05-01T11:00:00Z', 'gpt-5.2')], persisted);
    const [b] = parseAll([codexTokenCount('2026-05-01T11:00:05Z', { input: 30, output: 3 }, { input: 20, output: 2 })], persisted);
    assert.equal(a.model, 'gpt-5.1-codex-mini');
    assert.equal(b.model, 'gpt-5.2');
    assert.equal(b.inputTokens, 20);
  });

  it('skips lines that are not usage, malformed and truncated lines, and counts without a model as unknown', () => {
    const line = codexTokenCount('2026-05-01T10:00:05Z', { input: 10, output: 1 }, { input: 10, output: 1 });
    const events = parseAll([
      codexAgentMessage('2026-05-01T10:00:01Z', 'the "token_count" is fine'),
      line.slice(0, -10),
      '{"type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":"many"}},"timestamp":"2026-05-01T10:00:02Z"}',
      '{"type":"event_msg","payload":{"type":"token_count","info":{"last_token_usage":{"input_tokens":-5,"output_tokens":null}}},"timestamp":"2026-05-01T10:00:03Z"}',
      line,
    ]);
    assert.equal(events.length, 1);
    assert.equal(events[0].model, 'unknown');
  });

  it('moves logged cache writes out of input', () => {
    const line = JSON.stringify({
      timestamp: '2026-05-01T10:00:05Z',
      type: 'event_msg',
      payload: {
        type: 'token_count',
        info: {
          total_token_usage: { input_tokens: 100, cached_input_tokens: 40, cache_write_input_tokens: 60, output_tokens: 10, total_tokens: 110 },
          last_token_usage: { input_tokens: 100, cached_input_tokens: 40, cache_write_input_tokens: 60, output_tokens: 10, total_tokens: 110 },
        },
      },
    });
    const [usage] = parseAll([line]);
    assert.deepEqual([usage.inputTokens, usage.cacheReadTokens, usage.cacheWrite5mTokens], [0, 40, 60]);
  });

  it('skips the replayed parent history at the start of a forked session, and only that', () => {
    const events = parseAll([
      codexSessionMeta('2026-05-12T08:02:00Z', 'child', { forked_from_id: 'parent' }),
      codexSessionMeta('2026-05-12T08:02:00Z', 'parent'),
      codexTurnContext('2026-05-12T08:02:00Z', 'gpt-5.2'),
      codexTokenCount('2026-05-12T08:02:00.100Z', { input: 700, cached: 70, output: 140 }, { input: 700, cached: 70, output: 140 }),
      codexTokenCount('2026-05-12T08:02:00.200Z', { input: 1000, cached: 100, output: 200 }, { input: 300, cached: 30, output: 60 }),
      codexTokenCount('2026-05-12T08:04:00Z', { input: 1050, cached: 100, output: 210 }, { input: 50, output: 10 }),
    ]);
    assert.deepEqual(events.map((e) => e.inputTokens), [630, 50]);
    assert.ok(events[0].key.startsWith(`${TEST_CONTEXT.nameDigest('parent')}:`), "the copy's first count is keyed as the parent's record");
    assert.equal(events[1].sessionKey, TEST_CONTEXT.nameDigest('child'), 'the parent session_meta copied into the child does not rename it');
  });

  it('counts every response of a forked session whose first counts are not a copied run, the first at once', () => {
    const state = codexParser.initialState('/c/sessions/child.jsonl', TEST_CONTEXT);
    const first = parseAll(
      [
        codexSessionMeta('2026-05-12T08:02:00Z', 'child', { source: { subagent: { thread_spawn: { parent_thread_id: 'p' } } } }),
        codexTokenCount('2026-05-12T08:02:10Z', { input: 10, output: 1 }, { input: 10, output: 1 }),
      ],
      state,
    );
    assert.deepEqual(first.map((e) => e.inputTokens), [10], 'a subagent that answers once is counted');
    const persisted = JSON.parse(JSON.stringify(state)) as CodexFileState;
    const rest = parseAll([codexTokenCount('2026-05-12T08:03:10Z', { input: 30, output: 3 }, { input: 20, output: 2 })], persisted);
    assert.deepEqual(rest.map((e) => e.inputTokens), [20]);
  });

  // Paginated rollouts as Codex CLI 0.171.0 (`codex exec`, `history_mode: "paginated"`) writes them for sub-agents and forks,
  // run against a local stand-in for the Responses API: a sub-agent spawned with `fork_context` copies its parent's
  // session_meta and messages but none of its token counts (spawn_forked_thread drops EventMsg::TokenCount when the new
  // rollout is paginated; openai/codex codex-rs/core/src/agent/control/spawn.rs at 37a985e98fcef7f8c6166bdef6766d59d490ce39
  // still kept every event, as legacy rollouts do), and its own counts start from zero.
  it('counts every response of a paginated forked subagent, which copies none of its parent counts', () => {
    const paginated = { cli_version: '0.171.0', history_mode: 'paginated' };
    const events = parseAll([
      codexSessionMeta('2026-12-04T22:33:24.090Z', 'child', {
        ...paginated,
        forked_from_id: 'parent',
        parent_thread_id: 'parent',
        source: { subagent: { thread_spawn: { parent_thread_id: 'parent', depth: 1, agent_nickname: 'Nash' } } },
        thread_source: 'subagent',
      }),
      codexSessionMeta('2026-12-04T22:33:24.090Z', 'parent', paginated),
      codexTurnContext('2026-12-04T22:33:24.091Z', 'gpt-5.2'),
      codexTurnContext('2026-12-04T22:33:24.125Z', 'gpt-5.2'),
      // Two quick calls: their counts fall in the same second, as a copied burst's would.
      codexTokenCount('2026-12-04T22:33:24.345Z', { input: 4011, cached: 400, output: 41, reasoning: 4 }, { input: 4011, cached: 400, output: 41, reasoning: 4 }),
      codexTokenCount('2026-12-04T22:33:24.367Z', { input: 9022, cached: 900, output: 92, reasoning: 9 }, { input: 5011, cached: 500, output: 51, reasoning: 5 }),
    ]);
    assert.deepEqual(events.map((e) => e.inputTokens + e.cacheReadTokens), [4011, 5011]);
  });

  it("counts a paginated fork's only response", () => {
    // `codex exec fork` (0.171.0) of a paginated session copies nothing: `history_base` names the parent's rollout, and
    // the running total goes on from the parent's (20077 before it, then this call's 1011).
    const fork = parseAll([
      codexSessionMeta('2026-12-04T22:33:53.256Z', 'fork', {
        cli_version: '0.171.0',
        history_mode: 'paginated',
        forked_from_id: 'parent',
        history_base: { thread_id: 'parent', end_ordinal_exclusive: 54, end_byte_offset: 59241 },
      }),
      codexTurnContext('2026-12-04T22:33:53.305Z', 'gpt-5.2'),
      codexTokenCount('2026-12-04T22:33:53.347Z', { input: 21088, cached: 2100, output: 218, reasoning: 21 }, { input: 1011, cached: 100, output: 11, reasoning: 1 }),
    ]);
    assert.deepEqual(fork.map((e) => [e.inputTokens, e.cacheReadTokens, e.outputTokens]), [[911, 100, 11]]);
  });

  it("skips a legacy fork's copy of its parent counts when the copy crosses a second", () => {
    // Codex stamps each copied line as it writes it (codex-rs/rollout/src/recorder.rs at
    // 05eb6e5e8b57cdd7c732baa6782a3ea26a3cfac3, JsonlWriter::write_rollout_item): a long copy takes milliseconds and
    // may run past a second's tick, and past a second in all.
    const events = parseAll([
      codexSessionMeta('2026-05-12T08:02:00.990Z', 'child', { forked_from_id: 'parent', history_mode: 'legacy' }),
      codexSessionMeta('2026-05-12T08:02:00.990Z', 'parent', { history_mode: 'legacy' }),
      codexTurnContext('2026-05-12T08:02:00.991Z', 'gpt-5.2'),
      codexTokenCount('2026-05-12T08:02:00.998Z', { input: 700, cached: 70, output: 140 }, { input: 700, cached: 70, output: 140 }),
      codexTokenCount('2026-05-12T08:02:01.600Z', { input: 1000, cached: 100, output: 200 }, { input: 300, cached: 30, output: 60 }),
      codexTokenCount('2026-05-12T08:02:02.200Z', { input: 1400, cached: 100, output: 240 }, { input: 400, output: 40 }),
      codexTokenCount('2026-05-12T08:02:40Z', { input: 1450, cached: 100, output: 250 }, { input: 50, output: 10 }),
    ]);
    assert.deepEqual(events.map((e) => e.inputTokens), [630, 50]);
    assert.ok(events[0].key.startsWith(`${TEST_CONTEXT.nameDigest('parent')}:`), "the copy's first count is keyed as the parent's record");
    assert.equal(events[1].sessionKey, TEST_CONTEXT.nameDigest('child'));
  });

  it("keys the first response of a fork Codex wrote before it named the parent, when it copied none, as it keyed it before", () => {
    // The source had no response yet: the fork's first count comes a model call after the copied session_meta.
    const [firstOwn, secondOwn] = parseAll([
      codexSessionMeta('2026-05-01T10:01:00.000Z', 'backtrack'),
      codexSessionMeta('2026-05-01T10:01:00.001Z', 'source-without-responses'),
      codexTurnContext('2026-05-01T10:01:00.002Z', 'gpt-5.2'),
      codexTokenCount('2026-05-01T10:01:30Z', { input: 10, output: 1 }, { input: 10, output: 1 }),
      codexTokenCount('2026-05-01T10:01:30.500Z', { input: 30, output: 3 }, { input: 20, output: 2 }),
    ]);
    assert.ok(firstOwn.key.startsWith(`${TEST_CONTEXT.nameDigest('backtrack')}:`), firstOwn.key);
    assert.ok(secondOwn, 'a second call within a second is counted: no copied run is skipped');
  });

  it("keys a fork's own first response under its parent's session, whatever the session_meta lines it copied name", () => {
    // A fork of a fork, taken before any response: it copied its parent's and grandparent's session_meta and no count.
    // Its first count, a model call later, is its own: keyed as before forks' copied lines were read, so a rollout an
    // earlier Assay read and Codex later compressed (and the import reads again whole) writes it under the same id.
    const [own] = parseAll([
      codexSessionMeta('2026-05-01T10:02:00.000Z', 'fork-of-fork', { forked_from_id: 'fork' }),
      codexSessionMeta('2026-05-01T10:02:00.001Z', 'fork', { forked_from_id: 'root' }),
      codexSessionMeta('2026-05-01T10:02:00.002Z', 'root'),
      codexTurnContext('2026-05-01T10:02:00.003Z', 'gpt-5.2'),
      codexTokenCount('2026-05-01T10:02:30Z', { input: 10, output: 1 }, { input: 10, output: 1 }),
    ]);
    assert.ok(own.key.startsWith(`${TEST_CONTEXT.nameDigest('fork')}:`), own.key);
  });

  it('keeps a local model named by its file path out of the state saved between runs', () => {
    const state = codexParser.initialState('/c/sessions/rollout-1.jsonl', TEST_CONTEXT);
    const [usage] = parseAll(
      [
        codexTurnContext('2026-05-01T10:00:00Z', '/home/alice/models/private-finetune.gguf'),
        codexTokenCount('2026-05-01T10:00:05Z', { input: 10, output: 5 }, { input: 10, output: 5 }),
      ],
      state,
    );
    assert.equal(usage.model, 'unknown');
    assert.doesNotMatch(JSON.stringify(state), /alice|private-finetune/);
  });
});
