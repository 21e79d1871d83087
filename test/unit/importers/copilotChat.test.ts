import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copilotChatSessionParser, replayOperationLog } from '../../../src/importers/sources/copilotChat';
import { copilotChatOtelParser } from '../../../src/importers/sources/copilotChatOtel';
import type { ParsedUsage } from '../../../src/importers/types';
import { TEST_CONTEXT } from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/copilot-chat');
const SECRET = 'SECRET-PLANTED-7f3a';
const USER_DIR = `/home/${SECRET}/.config/Code/User`;
const JSON_SESSION = 'workspaceStorage/ab12cd34ef/chatSessions/0f1e2d3c-json-4bbb-8ccc-000000000003.json';
const LOG_SESSION = 'workspaceStorage/ab12cd34ef/chatSessions/9a8b7c6d-log0-4bbb-8ccc-000000000004.jsonl';

function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function parseSession(name: string, userDir = USER_DIR): ParsedUsage[] {
  return copilotChatSessionParser.parseFile(readFixture(name), `${userDir}/${name}`, TEST_CONTEXT);
}

function assertNoSecret(usages: ParsedUsage[]): void {
  for (const usage of usages) assert.ok(!JSON.stringify(usage).includes(SECRET), usage.key);
}

describe('Copilot Chat session parser (.json, before VS Code 1.109)', () => {
  const usages = parseSession(JSON_SESSION);

  it('reads one record per answered request, keyed by request id', () => {
    assert.deepEqual(usages.map((u) => u.key), ['request_x', 'request_y']);
    for (const usage of usages) {
      assert.equal(usage.sessionKey, '0f1e2d3c-json-4bbb-8ccc-000000000003');
      assert.equal(usage.projectKey, 'ab12cd34ef');
    }
  });

  it('uses result.metadata token counts when present and marks them known', () => {
    const [x] = usages;
    assert.equal(x.tokensKnown, true);
    assert.deepEqual([x.inputTokens, x.outputTokens], [8000, 240]);
    assert.equal(x.model, 'claude-sonnet-4', "Copilot's vendor prefix is dropped");
    assert.equal(x.t, 1760000001000);
  });

  it('reads the usage newer builds write on the request itself, for any model, when the request made one model call', () => {
    // ChatModel.toExport spreads ChatResponseModel.toJSON into each request: promptTokens is the last call's prompt,
    // completionTokens the output of every call of the turn.
    const request = (requestId: string, rounds: number) => ({
      requestId,
      timestamp: 1760000001000,
      modelId: 'copilot/gpt-4.1',
      modelState: { value: 1 },
      result: { metadata: { toolCallRounds: Array.from({ length: rounds }, (_, i) => ({ id: `round-${i}` })) } },
      promptTokens: 12000,
      completionTokens: 300,
    });
    const session = { version: 3, sessionId: 'flat-session', creationDate: 1760000000000, requests: [request('request_one', 1), request('request_three', 3)] };
    const [one, three] = copilotChatSessionParser.parseFile(JSON.stringify(session), `${USER_DIR}/workspaceStorage/ab12cd34ef/chatSessions/flat-session.json`, TEST_CONTEXT);
    assert.deepEqual([one.tokensKnown, one.inputTokens, one.outputTokens, one.model], [true, 12000, 300, 'gpt-4.1']);
    assert.deepEqual([three.tokensKnown, three.inputTokens, three.outputTokens], [false, 0, 0], 'the prompt is only the last of three calls');
  });

  it("counts the request's own usage as unknown when its result does not say it made one model call", () => {
    // A turn ended by a throw returns CanceledResult `{errorDetails}` (vscode-copilot-chat 31acd00a,
    // defaultIntentRequestHandler.ts) after any number of rounds, each of which reported its usage: promptTokens is the
    // last call's prompt and completionTokens every call's output (VS Code 1.138.0 ChatResponseModel._setUsage, toJSON).
    const request = (requestId: string, result: unknown) => ({
      requestId,
      timestamp: 1760000001000,
      modelId: 'copilot/gpt-4.1',
      modelState: { value: 2, completedAt: 1760000009000 },
      result,
      promptTokens: 41000,
      completionTokens: 900,
      copilotCredits: 1,
    });
    const session = {
      version: 3,
      sessionId: 'stopped-session',
      creationDate: 1760000000000,
      requests: [
        request('request_stopped', { errorDetails: { message: 'Cancelled' } }),
        request('request_no_rounds', { metadata: { toolCallRounds: [] } }),
      ],
    };
    const usages = copilotChatSessionParser.parseFile(JSON.stringify(session), `${USER_DIR}/workspaceStorage/ab12cd34ef/chatSessions/stopped-session.json`, TEST_CONTEXT);
    assert.deepEqual(
      usages.map((u) => [u.key, u.tokensKnown, u.inputTokens, u.outputTokens, u.model]),
      [
        ['request_stopped', false, 0, 0, 'gpt-4.1'],
        ['request_no_rounds', false, 0, 0, 'gpt-4.1'],
      ],
    );
  });

  it('counts a request without token counts with tokens unknown and zero tokens', () => {
    const y = usages[1];
    assert.equal(y.tokensKnown, false);
    assert.equal(y.inputTokens + y.outputTokens + y.cacheReadTokens + y.cacheWrite5mTokens, 0);
    assert.equal(y.model, 'gpt-4o');
  });

  it('lets no prompt, response, variable, tool result or user name reach any field', () => {
    assertNoSecret(usages);
  });
});

describe('Copilot Chat session parser (.jsonl operation log, VS Code 1.109 and later)', () => {
  const usages = parseSession(LOG_SESSION);

  it('replays set, push, splice and delete entries into the session object', () => {
    const state = replayOperationLog(readFixture(LOG_SESSION), TEST_CONTEXT) as Record<string, unknown>;
    const requests = state.requests as Array<Record<string, unknown>>;
    assert.deepEqual(requests.map((r) => r.requestId), ['request_a', 'request_c', 'request_d'], 'the splice at 1 replaced request_b');
    assert.deepEqual(requests[0].modelState, { value: 1, completedAt: 1769000005000 });
    assert.equal(state.customTitle, undefined, 'kind 3 deleted the title');
  });

  it('ignores entries whose path reaches the prototype or does not resolve', () => {
    replayOperationLog(readFixture(LOG_SESSION), TEST_CONTEXT);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });

  it("ignores entries that set an array's length or an index past its end, and still reads the session's requests", () => {
    const hostile = [
      { kind: 1, k: ['requests', 'length'], v: -1 },
      { kind: 1, k: ['requests', 'length'], v: 4294967295 },
      { kind: 1, k: ['requests', 4294967294], v: {} },
      { kind: 2, k: ['requests', 'length'], v: [] },
    ];
    const text = `${readFixture(LOG_SESSION)}${hostile.map((entry) => `${JSON.stringify(entry)}\n`).join('')}`;
    assert.deepEqual(copilotChatSessionParser.parseFile(text, `${USER_DIR}/${LOG_SESSION}`, TEST_CONTEXT), usages);
  });

  it('reads finished requests only; a one-round request has known tokens, a multi-round one unknown', () => {
    assert.deepEqual(usages.map((u) => u.key), ['request_a', 'request_c']);
    const [a, c] = usages;
    assert.equal(a.tokensKnown, true);
    assert.deepEqual([a.inputTokens, a.outputTokens], [20000, 350]);
    assert.equal(a.model, 'claude-sonnet-4.5', 'resolvedModel');
    assert.equal(c.tokensKnown, false, 'metadata counts cover only the last of three rounds');
    assert.equal(c.inputTokens, 0);
    assert.equal(c.model, 'claude-opus-4.5', 'cancelled requests still count');
    assert.equal(c.sessionKey, '9a8b7c6d-log0-4bbb-8ccc-000000000004');
  });

  it('gives the same keys to a copy of the session in another workspace folder', () => {
    const copy = copilotChatSessionParser.parseFile(readFixture(LOG_SESSION), `${USER_DIR}/workspaceStorage/ffff0000/chatSessions/9a8b7c6d-log0-4bbb-8ccc-000000000004.jsonl`, TEST_CONTEXT);
    assert.deepEqual(copy.map((u) => u.key), usages.map((u) => u.key));
    assert.equal(copy[0].projectKey, 'ffff0000');
  });

  it('reads a compacted log (one initial entry) as the same requests', () => {
    const state = replayOperationLog(readFixture(LOG_SESSION), TEST_CONTEXT);
    const compacted = `${JSON.stringify({ kind: 0, v: state })}\n`;
    const fromCompacted = copilotChatSessionParser.parseFile(compacted, `${USER_DIR}/${LOG_SESSION}`, TEST_CONTEXT);
    assert.deepEqual(fromCompacted, usages);
  });

  it('never throws on empty, headless, truncated or hostile logs', () => {
    const filePath = `${USER_DIR}/${LOG_SESSION}`;
    for (const text of ['', '\n\n', '{"kind":1,"k":["requests"],"v":[]}', '{"kind":0,"v":null}', '{"kind":0,"v":{"requests":{"0":1}}}',
      '{"kind":0,"v":{"requests":[]}}\n{"kind":2,"k":["requests"],"i":-5,"v":"x"}\n{"kind":1,"k":"requests","v":1}',
      readFixture(LOG_SESSION).slice(0, 300)]) {
      assert.deepEqual(copilotChatSessionParser.parseFile(text, filePath, TEST_CONTEXT), []);
    }
    assert.deepEqual(copilotChatSessionParser.parseFile('{"requests":[{"requestId":"r"', `${USER_DIR}/x/chatSessions/s.json`, TEST_CONTEXT), []);
  });

  it('lets no prompt, response, title, draft or tool argument reach any field', () => {
    assertNoSecret(usages);
  });
});

describe('Copilot Chat OpenTelemetry file parser', () => {
  const usages = readFixture('otel/copilot-otel.jsonl').split('\n').filter((line) => line.trim() !== '')
    .flatMap((line) => copilotChatOtelParser.parseLine(line, copilotChatOtelParser.initialState('/x/otel.jsonl', TEST_CONTEXT), TEST_CONTEXT));

  it('reads chat spans and inference log records only: not agent totals, other events, metrics, tool spans or spans without usage', () => {
    assert.deepEqual(usages.map((u) => u.key), ['resp-1', 'log:resp-1', 'eee19b7ec3c1b174']);
    assert.deepEqual(usages.map((u) => u.copyOf), [
      { responseId: 'resp-1', replay: false },
      { responseId: 'resp-1', replay: true },
      undefined,
    ]);
  });

  it('splits cached input out of gen_ai.usage.input_tokens (SDK span JSON)', () => {
    const [first] = usages;
    assert.deepEqual([first.inputTokens, first.cacheReadTokens, first.outputTokens], [30000 - 25000, 25000, 500]);
    assert.equal(first.model, 'claude-sonnet-4.5');
    assert.equal(first.t, 1769000004250);
    assert.equal(first.sessionKey, 'chat-sess-1');
    assert.equal(first.tokensKnown, true);
  });

  it('reads OTLP JSON spans with cache writes and reasoning (part of output)', () => {
    const otlp = usages[2];
    assert.deepEqual(
      [otlp.inputTokens, otlp.cacheReadTokens, otlp.cacheWrite5mTokens, otlp.outputTokens, otlp.reasoningTokens],
      [12000 - 8000 - 1000, 8000, 1000, 900, 600],
    );
    assert.equal(otlp.model, 'gpt-5', 'request model when no response model');
    assert.equal(otlp.t, 1769000026500);
    assert.equal(otlp.sessionKey, 'conv-2');
  });

  it("leaves out the GitHub Copilot CLI's records, by its resource or scope, in either shape", () => {
    const parse = (line: string) => copilotChatOtelParser.parseLine(line, {}, TEST_CONTEXT);
    const cliLines = readFixture('../copilot-cli/with-otel/otel.jsonl').split('\n').filter((line) => line.includes('"github-copilot"'));
    assert.equal(cliLines.length, 5, 'the CLI 1.0.102 lines of the fixture');
    for (const line of cliLines) assert.deepEqual(parse(line), [], line.slice(0, 80));
    const chatSpan = JSON.parse(cliLines[0]) as Record<string, unknown>;
    const { type: _type, ...withoutType } = chatSpan;
    assert.deepEqual(parse(JSON.stringify(withoutType)), [], 'by its resource and scope alone');
    const { resource: _resource, instrumentationScope: _scope, ...typeOnly } = chatSpan;
    assert.deepEqual(parse(JSON.stringify(typeOnly)), [], 'by its line type alone');
    assert.equal(parse(JSON.stringify({ ...withoutType, resource: { attributes: { 'service.name': 'copilot-chat' } }, instrumentationScope: { name: 'copilot-chat' } })).length, 1, 'the same span written by Copilot Chat counts');
    const otlp = JSON.parse(readFixture('otel/copilot-otel.jsonl').split('\n')[6]) as {
      resourceSpans: { resource: { attributes: { key: string; value: { stringValue: string } }[] }; scopeSpans: { scope: { name: string } }[] }[];
    };
    assert.equal(parse(JSON.stringify(otlp)).length, 1, "Copilot Chat's OTLP line counts");
    const [resourceSpans] = otlp.resourceSpans;
    resourceSpans.resource.attributes[0].value.stringValue = 'github-copilot';
    assert.deepEqual(parse(JSON.stringify(otlp)), [], 'the CLI service name');
    resourceSpans.resource.attributes[0].value.stringValue = 'my-service';
    resourceSpans.scopeSpans[0].scope.name = 'github.copilot';
    assert.deepEqual(parse(JSON.stringify(otlp)), [], 'the CLI scope under a service name of its own (OTEL_SERVICE_NAME)');
  });

  it('never throws on malformed lines and leaks no captured content or tool arguments', () => {
    for (const line of ['', '{', 'null', '{"resourceSpans":[null,{"scopeSpans":[{"spans":[null,{"attributes":5}]}]}]}',
      '{"name":"chat x","attributes":{"gen_ai.operation.name":"chat","gen_ai.usage.input_tokens":5},"endTime":["a",1]}']) {
      assert.deepEqual(copilotChatOtelParser.parseLine(line, {}, TEST_CONTEXT), []);
    }
    assertNoSecret(usages);
  });
});
