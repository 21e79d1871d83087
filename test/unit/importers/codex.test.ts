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
    assert.equal(events.length, 1);
    assert.equal(events[0].inputTokens, 50);
    assert.equal(events[0].sessionKey, TEST_CONTEXT.nameDigest('child'), 'the parent session_meta copied into the child does not rename it');
  });

  it('counts every response of a forked session whose first counts are not a replay burst', () => {
    const state = codexParser.initialState('/c/sessions/child.jsonl', TEST_CONTEXT);
    const first = parseAll(
      [
        codexSessionMeta('2026-05-12T08:02:00Z', 'child', { source: { subagent: { thread_spawn: { parent_thread_id: 'p' } } } }),
        codexTokenCount('2026-05-12T08:02:10Z', { input: 10, output: 1 }, { input: 10, output: 1 }),
      ],
      state,
    );
    assert.equal(first.length, 0, 'the first count waits for the second to tell whether it is a replay');
    const persisted = JSON.parse(JSON.stringify(state)) as CodexFileState;
    const rest = parseAll([codexTokenCount('2026-05-12T08:03:10Z', { input: 30, output: 3 }, { input: 20, output: 2 })], persisted);
    assert.deepEqual(rest.map((e) => e.inputTokens), [10, 20]);
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
