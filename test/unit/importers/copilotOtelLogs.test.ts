import { execFileSync } from 'node:child_process';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadImportState } from '../../../src/importers/importState';
import { runImport } from '../../../src/importers/runImport';
import { importerDir } from '../../../src/ledger/storageLocation';
import { CollectingSink, copilotInferenceLogLine, failReadsOnce, importCopilotOtel, latestEvents, tempDir, writeLines } from './fixtures';

// Lines as microsoft/vscode-copilot-chat 31acd00a86424e2ee6e980e54919cf31fbf88030 writes them to its
// OpenTelemetry file (src/platform/otel/node/fileExporters.ts): a chat span is JSON.stringify(span), or
// `{}` when that throws; the inference log record is copilotInferenceLogLine (fixtures.ts).
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
    const events = await importOtel(['{}', copilotInferenceLogLine('req-1', 1769000004, 30000, 500), '{}', copilotInferenceLogLine('req-2', 1769000010, 31000, 700)]);
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
      [chatSpan('req-1', 1769000004, 30000, 25000, 500), copilotInferenceLogLine('req-1', 1769000004, 30000, 500)],
      [copilotInferenceLogLine('req-1', 1769000004, 30000, 500), chatSpan('req-1', 1769000004, 30000, 25000, 500)],
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
    writeLines(otelFile, ['{}', copilotInferenceLogLine('req-9', 1769000100, 30000, 500)]);
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
      pricer: { keptModelName: (raw) => raw },
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

  // Copilot Chat rewrites the whole session file when a request is added or the title changes
  // (chatSessionStore.ts writes the serialized session again); `customTitle` is the title it keeps.
  const sessionPath = (home: string) => path.join(home, '.config', 'Code', 'User', 'workspaceStorage', 'ws1', 'chatSessions', 's1.json');
  const request = (requestId: string, timestamp: number) => ({
    requestId,
    timestamp,
    modelId: 'copilot/gpt-4.1',
    modelState: { value: 1 },
    result: { metadata: {} },
  });
  const writeSession = (home: string, requests: object[], customTitle?: string) =>
    writeLines(sessionPath(home), [
      JSON.stringify({ version: 3, sessionId: 's1', creationDate: 1769000000000, ...(customTitle ? { customTitle } : {}), requests }),
    ]);
  /** Runs imports into one storage folder; `events` is what the ledger counts after all of them (latest copy per id). */
  const importRuns = (home: string) => {
    const storageDir = tempDir('otel-covered-storage');
    const sink = new CollectingSink();
    return {
      storageDir,
      run: (env: Record<string, string | undefined>) =>
        runImport({ storageDir, secret: 'test-secret', pricer: { keptModelName: (raw) => raw }, env, homeDir: home, platform: 'linux', sink }),
      events: () => latestEvents(sink.events).map((e) => [e.t, e.tokensKnown]).sort(),
    };
  };

  it('keeps skipping the session requests the OpenTelemetry file held after that file is rotated', async () => {
    const home = tempDir('otel-rotated-home');
    const otelFile = path.join(home, 'otel', 'copilot.jsonl');
    const otelOn = { COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: otelFile };
    const imports = importRuns(home);
    // Request A, sent 5 s before its model call ended, is in both files.
    writeLines(otelFile, [copilotInferenceLogLine('req-a', 1769000100, 30000, 500)]);
    writeSession(home, [request('request_a', 1769000095000)]);
    await imports.run(otelOn);
    assert.deepEqual(imports.events(), [[1769000100000, true]]);
    // The file is rotated: the new one begins with request B's call, half an hour later.
    fs.renameSync(otelFile, `${otelFile}.1`);
    writeLines(otelFile, [copilotInferenceLogLine('req-b', 1769001900, 31000, 700)]);
    writeSession(home, [request('request_a', 1769000095000), request('request_b', 1769001895000)]);
    await imports.run(otelOn);
    assert.deepEqual(imports.events(), [[1769000100000, true], [1769001900000, true]]);
  });

  it('keeps skipping the session requests the OpenTelemetry file held once it is turned off, and counts those after its last record', async () => {
    const home = tempDir('otel-off-home');
    const otelFile = path.join(home, 'otel', 'copilot.jsonl');
    const imports = importRuns(home);
    writeLines(otelFile, [copilotInferenceLogLine('req-a', 1769000100, 30000, 500)]);
    writeSession(home, [request('request_a', 1769000095000)]);
    await imports.run({ COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: otelFile });
    assert.deepEqual(imports.events(), [[1769000100000, true]]);
    // Turned off: the session gets a title (the file is rewritten), then request C, which no OpenTelemetry file holds.
    writeSession(home, [request('request_a', 1769000095000)], 'Fix the build');
    await imports.run({});
    assert.deepEqual(imports.events(), [[1769000100000, true]], 'request A is counted once, from its model call');
    writeSession(home, [request('request_a', 1769000095000), request('request_c', 1769001895000)], 'Fix the build');
    await imports.run({});
    assert.deepEqual(imports.events(), [[1769000100000, true], [1769001895000, false]]);
  });

  it('keeps skipping the session requests the OpenTelemetry file held when a run could not read the import state (a scanner held it)', async () => {
    const home = tempDir('otel-busy-home');
    const otelFile = path.join(home, 'otel', 'copilot.jsonl');
    const imports = importRuns(home);
    writeLines(otelFile, [copilotInferenceLogLine('req-a', 1769000100, 30000, 500)]);
    writeSession(home, [request('request_a', 1769000095000)]);
    await imports.run({ COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: otelFile });
    // Turned off, and the session rewritten (a title), while the next run meets the import state held by another process.
    writeSession(home, [request('request_a', 1769000095000)], 'Fix the build');
    const busy = failReadsOnce(path.join(importerDir(imports.storageDir), 'state.json'), 'EBUSY');
    try {
      await imports.run({}).catch(() => undefined);
    } finally {
      busy.restore();
    }
    assert.ok(busy.failed(), 'the state was read');
    await imports.run({});
    assert.deepEqual(imports.events(), [[1769000100000, true]], 'request A is counted once, from its model call');
  });

  it('a FIFO where the OpenTelemetry file should be stops nothing: the session files still count', async () => {
    const home = tempDir('otel-fifo-home');
    const otelFile = path.join(home, 'otel', 'copilot.jsonl');
    fs.mkdirSync(path.dirname(otelFile), { recursive: true });
    // Opened for reading the plain way, a FIFO blocks until something writes to it: the import would never end.
    execFileSync('mkfifo', [otelFile]);
    const imports = importRuns(home);
    writeSession(home, [request('request_a', 1769000095000)]);
    await imports.run({ COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: otelFile });
    assert.deepEqual(imports.events(), [[1769000095000, false]]);
  });

  it('keeps the times the OpenTelemetry file covered in the import state, which still loads from a file saved without them', async () => {
    const home = tempDir('otel-state-home');
    const otelFile = path.join(home, 'otel', 'copilot.jsonl');
    writeLines(otelFile, [copilotInferenceLogLine('req-a', 1769000100, 30000, 500), copilotInferenceLogLine('req-b', 1769001900, 31000, 700)]);
    writeSession(home, [request('request_a', 1769000095000)]);
    const storageDir = tempDir('otel-state-storage');
    await runImport({
      storageDir,
      secret: 'test-secret',
      pricer: { keptModelName: (raw) => raw },
      env: { COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: otelFile },
      homeDir: home,
      platform: 'linux',
      sink: new CollectingSink(),
    });
    const state = await loadImportState(storageDir);
    assert.deepEqual(state.covered, { copilotChatOtel: { first: 1769000100000, last: 1769001900000 } });
    // As Assay wrote it before: same version, no `covered`. Its files stay read (nothing is read again).
    const { covered: _covered, ...before } = state;
    fs.writeFileSync(path.join(importerDir(storageDir), 'state.json'), JSON.stringify(before));
    const loaded = await loadImportState(storageDir);
    assert.equal(loaded.covered, undefined);
    assert.deepEqual(loaded.files, state.files);
    assert.equal(Object.keys(loaded.files).length, 2);
  });
});
