import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { runImport } from '../../../src/importers/runImport';
import { CollectingSink, importCopilotOtel, tempDir, writeLines } from './fixtures';

// Lines as microsoft/vscode-copilot-chat 31acd00a86424e2ee6e980e54919cf31fbf88030 writes them to its
// OpenTelemetry file (src/platform/otel/node/fileExporters.ts): a chat span is JSON.stringify(span), or
// `{}` when that throws; the inference log record is JSON.stringify of the SDK's log record with the
// attributes of src/platform/otel/common/genAiEvents.ts emitInferenceDetailsEvent (values from
// src/extension/prompt/node/chatMLFetcher.ts: response id = result.requestId, prompt/completion tokens).
const logRecord = (responseId: string, second: number, input: number, output: number) =>
  JSON.stringify({
    hrTime: [second, 0],
    hrTimeObserved: [second, 0],
    spanContext: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 },
    attributes: {
      'event.name': 'gen_ai.client.inference.operation.details',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.response.model': 'gpt-4.1-2025-04-14',
      'gen_ai.response.id': responseId,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
    },
    _body: 'GenAI inference: gpt-4.1',
  });
const chatSpan = (responseId: string, second: number, input: number, cacheRead: number, output: number) =>
  JSON.stringify({
    name: 'chat gpt-4.1',
    kind: 2,
    _spanContext: { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: `span-${responseId}` },
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.response.model': 'gpt-4.1-2025-04-14',
      'gen_ai.response.id': responseId,
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.cache_read.input_tokens': cacheRead,
      'gen_ai.usage.output_tokens': output,
      'copilot_chat.chat_session_id': 'chat-sess-1',
    },
    startTime: [second - 1, 0],
    endTime: [second, 0],
  });

const importOtel = async (lines: string[]) => (await importCopilotOtel(lines)).events;

describe('Copilot Chat OpenTelemetry file: inference log records', () => {
  it('counts every model call from its log record when the exporter wrote its span as {}', async () => {
    const events = await importOtel(['{}', logRecord('req-1', 1769000004, 30000, 500), '{}', logRecord('req-2', 1769000010, 31000, 700)]);
    assert.deepEqual(
      events.map((e) => [e.t, e.model, e.inputTokens, e.cacheReadTokens, e.outputTokens]),
      [
        [1769000004000, 'gpt-4.1-2025-04-14', 30000, 0, 500],
        [1769000010000, 'gpt-4.1-2025-04-14', 31000, 0, 700],
      ],
    );
  });

  it('counts a call once, with its span\'s cache split, whichever of span and log record comes first', async () => {
    for (const lines of [
      [chatSpan('req-1', 1769000004, 30000, 25000, 500), logRecord('req-1', 1769000004, 30000, 500)],
      [logRecord('req-1', 1769000004, 30000, 500), chatSpan('req-1', 1769000004, 30000, 25000, 500)],
    ]) {
      const events = await importOtel(lines);
      assert.deepEqual(events.map((e) => [e.inputTokens, e.cacheReadTokens, e.outputTokens]), [[5000, 25000, 500]]);
    }
  });
});

describe('Copilot Chat session files beside the OpenTelemetry file', () => {
  // A session file as VS Code writes it (see src/importers/sources/copilotChat.ts, verified against
  // microsoft/vscode chatSessionStore.ts): one request from before the OpenTelemetry file was turned
  // on, one after, which the OpenTelemetry file also holds (as a log record of its model call).
  it('counts session requests from before the OpenTelemetry file began, and not those it holds', async () => {
    const home = tempDir('otel-sessions-home');
    const otelFile = path.join(home, 'otel', 'copilot.jsonl');
    writeLines(otelFile, ['{}', logRecord('req-9', 1769000100, 30000, 500)]);
    writeLines(path.join(home, '.config', 'Code', 'User', 'workspaceStorage', 'ws1', 'chatSessions', 's1.json'), [
      JSON.stringify({
        version: 3,
        sessionId: 's1',
        creationDate: 1768990000000,
        requests: [
          { requestId: 'request_old', timestamp: 1768990000000, modelId: 'copilot/gpt-4.1', modelState: { value: 1 }, result: { metadata: {} } },
          { requestId: 'request_new', timestamp: 1769000099000, modelId: 'copilot/gpt-4.1', modelState: { value: 1 }, result: { metadata: {} } },
        ],
      }),
    ]);
    const sink = new CollectingSink();
    await runImport({
      storageDir: tempDir('otel-sessions-storage'),
      secret: 'test-secret',
      pricer: { normalizeModel: (raw) => raw },
      env: { COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: otelFile },
      homeDir: home,
      platform: 'linux',
      sink,
    });
    assert.deepEqual(
      sink.events.map((e) => [e.t, e.tokensKnown]).sort(),
      [[1768990000000, false], [1769000100000, true]],
    );
  });
});
