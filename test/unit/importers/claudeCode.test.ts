import * as assert from 'node:assert/strict';
import { claudeCodeParser, claudePathContext, parseClaudeLine } from '../../../src/importers/sources/claudeCode';
import { claudeAssistantLine, claudeToolResultLine, claudeUserLine, TEST_CONTEXT } from './fixtures';

const state = claudeCodeParser.initialState('/home/dev/.claude/projects/-home-dev-app/abc.jsonl', TEST_CONTEXT);

describe('Claude Code parser', () => {
  it('maps a usage line to the common token convention', () => {
    const [parsed] = parseClaudeLine(
      claudeAssistantLine({
        timestamp: '2026-03-01T10:00:00.000Z',
        messageId: 'msg_1',
        requestId: 'req_1',
        sessionId: 'sess-a',
        usage: { input: 12, output: 340, cacheRead: 5000, cache5m: 700, cache1h: 300 },
        costUSD: 0.25,
      }),
      state, TEST_CONTEXT,
    );
    assert.equal(parsed.key, 'msg_1:req_1');
    assert.equal(parsed.t, Date.parse('2026-03-01T10:00:00.000Z'));
    assert.equal(parsed.model, 'claude-sonnet-4-20250514');
    assert.deepEqual(
      [parsed.inputTokens, parsed.outputTokens, parsed.cacheReadTokens, parsed.cacheWrite5mTokens, parsed.cacheWrite1hTokens],
      [12, 340, 5000, 700, 300],
    );
    assert.equal(parsed.reportedCostUSD, 0.25);
    assert.equal(parsed.sessionKey, 'sess-a');
    assert.equal(parsed.projectKey, state.project);
    assert.deepEqual(parsed.copyOf, { responseId: 'msg_1', replay: false });
  });

  it("counts each advisor call of a response as a response of the advisor's model, beside the response's own counts", () => {
    // Shaped as the line in ccusage issue #1115 (Claude Code 2.1.98+, `/advisor opus`): the top-level counts are the
    // executor's; the advisor's inference is an `advisor_message` iteration the top level leaves out.
    const line = JSON.stringify({
      type: 'assistant',
      timestamp: '2026-06-01T10:00:00.000Z',
      sessionId: 'sess-a',
      requestId: 'req_9',
      advisorModel: 'claude-opus-4-7',
      message: {
        id: 'msg_9',
        model: 'claude-sonnet-4-6',
        usage: {
          input_tokens: 2,
          output_tokens: 491,
          cache_read_input_tokens: 226584,
          cache_creation_input_tokens: 7853,
          iterations: [
            { type: 'message', input_tokens: 1, output_tokens: 45, cache_read_input_tokens: 109696, cache_creation_input_tokens: 7192 },
            { type: 'advisor_message', model: 'claude-opus-4-7', input_tokens: 159419, output_tokens: 7805, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 },
            { type: 'message', input_tokens: 1, output_tokens: 446, cache_read_input_tokens: 116888, cache_creation_input_tokens: 661 },
          ],
        },
      },
    });
    const records = parseClaudeLine(line, state, TEST_CONTEXT);
    assert.deepEqual(
      records.map((r) => [r.key, r.model, r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWrite5mTokens, r.copyOf?.responseId]),
      [
        ['msg_9:req_9', 'claude-sonnet-4-6', 2, 491, 226584, 7853, 'msg_9'],
        ['msg_9:req_9:advisor:0', 'claude-opus-4-7', 159419, 7805, 0, 0, 'msg_9:advisor:0'],
      ],
    );
    assert.deepEqual(records.map((r) => r.reportedCostUSD), [null, null]);
  });

  it('counts cache_creation_input_tokens as 5-minute writes when the split is not logged', () => {
    const [parsed] = parseClaudeLine(
      claudeAssistantLine({ timestamp: '2026-03-01T10:00:00Z', messageId: 'm', requestId: 'r', usage: { input: 1, output: 2, cacheCreation: 900 } }),
      state, TEST_CONTEXT,
    );
    assert.equal(parsed.cacheWrite5mTokens, 900);
    assert.equal(parsed.cacheWrite1hTokens, 0);
  });

  /**
   * `message.usage` as Claude Code 2.1.332 logs it (npm @anthropic-ai/claude-code-linux-x64 2.1.332, bundle in the
   * `claude` binary): `Pse(Jg, apiUsage)` merges the API's usage onto a default with every field, so an unreported
   * split is logged as zeros and the thinking part of the output as `output_tokens_details.thinking_tokens`.
   */
  function usageLine2_1_332(usage: Record<string, unknown>): string {
    return JSON.stringify({
      parentUuid: 'b7f1a3c2-0000-4000-8000-000000000001',
      isSidechain: false,
      type: 'assistant',
      timestamp: '2026-12-01T10:00:00.000Z',
      sessionId: 'sess-c',
      version: '2.1.332',
      requestId: 'req_c',
      uuid: 'c0ffee00-0000-4000-8000-000000000003',
      message: {
        id: 'msg_c',
        type: 'message',
        role: 'assistant',
        model: 'claude-opus-4-7',
        content: [{ type: 'text', text: 'Done.' }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: {
          input_tokens: 6,
          cache_creation_input_tokens: 0,
          cache_read_input_tokens: 41000,
          output_tokens: 340,
          output_tokens_details: { thinking_tokens: 0 },
          server_tool_use: { web_search_requests: 0, web_fetch_requests: 0 },
          service_tier: 'standard',
          cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
          inference_geo: '',
          iterations: [],
          speed: 'standard',
          fallback_credit: null,
          ...usage,
        },
      },
    });
  }

  it('counts the logged cache write total when its split is zeros or short of it, the rest as 5-minute writes', () => {
    const writes = (usage: Record<string, unknown>) => {
      const [parsed] = parseClaudeLine(usageLine2_1_332(usage), state, TEST_CONTEXT);
      return [parsed.cacheWrite5mTokens, parsed.cacheWrite1hTokens];
    };
    // The API reported no split (Bedrock, Vertex): Claude Code logs zeros beside the total.
    assert.deepEqual(writes({ cache_creation_input_tokens: 9000 }), [9000, 0]);
    assert.deepEqual(writes({ cache_creation_input_tokens: 1000, cache_creation: { ephemeral_1h_input_tokens: 300, ephemeral_5m_input_tokens: 0 } }), [700, 300]);
    assert.deepEqual(writes({ cache_creation_input_tokens: 1000, cache_creation: { ephemeral_1h_input_tokens: 600, ephemeral_5m_input_tokens: 400 } }), [400, 600]);
    // The hour-long part never exceeds the total, as Claude Code's own pricing caps it.
    assert.deepEqual(writes({ cache_creation_input_tokens: 500, cache_creation: { ephemeral_1h_input_tokens: 800, ephemeral_5m_input_tokens: 0 } }), [0, 500]);
    // No total logged: the split stands for it.
    assert.deepEqual(writes({ cache_creation_input_tokens: null, cache_creation: { ephemeral_1h_input_tokens: 30, ephemeral_5m_input_tokens: 70 } }), [70, 30]);
  });

  it('keeps the thinking part of the output as reasoning, capped at the output', () => {
    const reasoning = (usage: Record<string, unknown>) => parseClaudeLine(usageLine2_1_332(usage), state, TEST_CONTEXT)[0].reasoningTokens;
    assert.equal(reasoning({ output_tokens_details: { thinking_tokens: 120 } }), 120);
    assert.equal(reasoning({ output_tokens_details: { thinking_tokens: 999 } }), 340);
    assert.equal(reasoning({ output_tokens_details: null }), 0);
    assert.equal(reasoning({ output_tokens_details: { thinking_tokens: '120' } }), 0);
    const [older] = parseClaudeLine(
      claudeAssistantLine({ timestamp: '2026-03-01T10:00:00Z', messageId: 'm', requestId: 'r', usage: { input: 1, output: 50 } }),
      state, TEST_CONTEXT,
    );
    assert.equal(older.reasoningTokens, 0);
  });

  it('marks sidechain copies as replays and reads Task progress lines that nest a response', () => {
    const [side] = parseClaudeLine(
      claudeAssistantLine({ timestamp: '2026-03-01T10:00:00Z', messageId: 'm', requestId: 'r2', sidechain: true, usage: { input: 1, output: 2 } }),
      state, TEST_CONTEXT,
    );
    assert.equal(side.copyOf?.replay, true);
    const progress = JSON.stringify({
      type: 'progress',
      sessionId: 'sess-b',
      timestamp: '2026-03-01T10:00:09Z',
      data: {
        type: 'agent_progress',
        message: {
          timestamp: '2026-03-01T10:00:05Z',
          requestId: 'req-sub',
          isSidechain: true,
          message: { id: 'msg-sub', model: 'claude-haiku-4-5-20251001', usage: { input_tokens: 4, output_tokens: 6 } },
        },
      },
    });
    const [nested] = parseClaudeLine(progress, state, TEST_CONTEXT);
    assert.equal(nested.key, 'msg-sub:req-sub');
    assert.equal(nested.t, Date.parse('2026-03-01T10:00:05Z'));
    assert.equal(nested.model, 'claude-haiku-4-5-20251001');
    assert.equal(nested.sessionKey, 'sess-b');
  });

  it('skips lines without usage, synthetic messages, and malformed or truncated JSON', () => {
    const usageLine = claudeAssistantLine({ timestamp: '2026-03-01T10:00:00Z', messageId: 'm', requestId: 'r', usage: { input: 1, output: 2 } });
    assert.deepEqual(parseClaudeLine(claudeUserLine('2026-03-01T10:00:00Z', 'please fix "usage" docs'), state, TEST_CONTEXT), []);
    assert.deepEqual(parseClaudeLine(claudeToolResultLine('2026-03-01T10:00:00Z', 'x'.repeat(1000)), state, TEST_CONTEXT), []);
    assert.deepEqual(
      parseClaudeLine(claudeAssistantLine({ timestamp: '2026-03-01T10:00:00Z', messageId: 'm', model: '<synthetic>', usage: {} }), state, TEST_CONTEXT),
      [],
    );
    assert.deepEqual(parseClaudeLine(usageLine.slice(0, usageLine.length - 20), state, TEST_CONTEXT), []);
    assert.deepEqual(parseClaudeLine('{"message":{"usage":{"input_tokens":1,"output_tokens":1}}}', state, TEST_CONTEXT), [], 'no timestamp');
    assert.deepEqual(parseClaudeLine('null', state, TEST_CONTEXT), []);
    assert.deepEqual(parseClaudeLine('[1,"usage"]', state, TEST_CONTEXT), []);
  });

  it('treats missing or null optional counts as zero and requires the input and output counts', () => {
    const line = JSON.stringify({
      timestamp: '2026-03-01T10:00:00Z',
      costUSD: null,
      message: { id: 'm', model: 'claude-opus-4-1', usage: { input_tokens: 3, output_tokens: 4, cache_read_input_tokens: null, cache_creation: null } },
    });
    const [parsed] = parseClaudeLine(line, state, TEST_CONTEXT);
    assert.equal(parsed.cacheReadTokens, 0);
    assert.equal(parsed.cacheWrite5mTokens, 0);
    assert.equal(parsed.reportedCostUSD, null);
    assert.equal(parsed.key, 'm:');
    const noOutput = JSON.stringify({ timestamp: '2026-03-01T10:00:00Z', message: { id: 'm', usage: { input_tokens: 3 } } });
    assert.deepEqual(parseClaudeLine(noOutput, state, TEST_CONTEXT), []);
  });

  it('keys a response without message id by its line and names an unlogged model unknown', () => {
    const line = JSON.stringify({ timestamp: '2026-03-01T10:00:00Z', message: { usage: { input_tokens: 3, output_tokens: 4 } } });
    const [parsed] = parseClaudeLine(line, state, TEST_CONTEXT);
    assert.match(parsed.key, /^line:[0-9a-f]{32}$/);
    assert.equal(parsed.model, 'unknown');
    assert.equal(parsed.copyOf, undefined);
  });

  it('counts each request of a response the API paused and Claude Code resumed, under the key its own lines carry', () => {
    // Shaped as Claude Code 2.1.332 writes a resumed response (sources/claudeCode.ts header): `message.usage` is the last
    // request's, and `message.pausedResponses[]` holds each paused request's final counts and id.
    const usage = (input: number, output: number, cacheRead: number, cacheWrite: number, speed = 'standard') => ({
      input_tokens: input, cache_creation_input_tokens: cacheWrite, cache_read_input_tokens: cacheRead, output_tokens: output,
      cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: cacheWrite }, iterations: [], speed,
    });
    const line = JSON.stringify({
      type: 'assistant', timestamp: '2026-12-04T10:00:00.000Z', sessionId: 'sess-p', requestId: 'req_2',
      message: {
        id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-opus-4-7', content: [{ type: 'text', text: 'Done.' }],
        usage: usage(3, 900, 52_000, 0),
        pausedResponses: [
          { limit: 'max_tokens', usage: usage(5, 32_000, 50_000, 2_000, 'fast'), finishedBlocks: 1, requestId: 'req_1', resumedRequestId: 'req_2' },
          { limit: 'max_tokens', usage: { input_tokens: '5' }, requestId: 'req_0' },
        ],
      },
    });
    const records = parseClaudeLine(line, state, TEST_CONTEXT);
    assert.deepEqual(
      records.map((r) => [r.key, r.model, r.inputTokens, r.outputTokens, r.cacheReadTokens, r.cacheWrite5mTokens, r.copyOf?.responseId]),
      [
        ['msg_1:req_2', 'claude-opus-4-7', 3, 900, 52_000, 0, 'msg_1'],
        ['msg_1:req_1', 'claude-opus-4-7-fast', 5, 32_000, 50_000, 2_000, 'msg_1'],
      ],
    );
  });

  it('gives fast-mode responses their own model name, as they are billed differently', () => {
    const [parsed] = parseClaudeLine(
      claudeAssistantLine({ timestamp: '2026-03-01T10:00:00Z', messageId: 'm', requestId: 'r', model: 'claude-opus-4-6', usage: { input: 1, output: 1, speed: 'fast' } }),
      state, TEST_CONTEXT,
    );
    assert.equal(parsed.model, 'claude-opus-4-6-fast');
  });

  it('derives project and session from flat, nested and subagent paths', () => {
    assert.deepEqual(claudePathContext('/h/.claude/projects/-h-app/0b1c.jsonl'), { project: '-h-app', session: '0b1c' });
    assert.deepEqual(claudePathContext('/h/.claude/projects/-h-app/0b1c/chat.jsonl'), { project: '-h-app', session: '0b1c' });
    assert.deepEqual(claudePathContext('/h/.claude/projects/-h-app/0b1c/subagents/agent-1.jsonl'), { project: '-h-app', session: '0b1c' });
    assert.deepEqual(claudePathContext('/h/.claude/projects/-h-app/0b1c/subagents/wf-7/agent-1.jsonl'), { project: '-h-app', session: '0b1c' });
    assert.deepEqual(claudePathContext('C:\\Users\\d\\.claude\\projects\\C--app\\0b1c.jsonl'), { project: 'C--app', session: '0b1c' });
  });

  it('keeps no raw path-derived name in its persisted state', () => {
    const fileState = claudeCodeParser.initialState('/home/dev/.claude/projects/-home-dev-secret/s1.jsonl', TEST_CONTEXT);
    assert.doesNotMatch(JSON.stringify(fileState), /secret|s1|home/);
  });
});
