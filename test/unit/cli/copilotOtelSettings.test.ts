// Copilot Chat's OpenTelemetry file as the `assay` command finds it: from the editors' settings.json, as the editor's
// own imports know it from its configuration, so that a run of either counts each request once (importers/editorSettings.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withCopilotOtelFile } from '../../../src/importers/discovery';
import { copilotOtelFileInSettings, copilotOtelFileOfEditors } from '../../../src/importers/editorSettings';
import { loadImportSecret } from '../../../src/importers/importSecret';
import { runImport } from '../../../src/importers/runImport';
import type { UsageEvent } from '../../../src/ledger/events';
import { readLedger } from '../../../src/ledger/reader';
import { appendLines, copilotInferenceLogLine, tempDir, writeLines } from '../importers/fixtures';
import { runAssay } from './cliRunner';


/** A one-call request as newer Copilot Chat builds write it in a session file, its usage on the request. */
const request = (requestId: string, timestamp: number) => ({
  requestId,
  timestamp,
  modelId: 'copilot/gpt-4.1',
  modelState: { value: 1 },
  result: { metadata: { toolCallRounds: [{ id: 'round-0' }] } },
  promptTokens: 31_000,
  completionTokens: 700,
});

describe('Copilot Chat OpenTelemetry file in the editors\' settings', () => {
  it('reads it from settings.json as the editor does: comments and trailing commas, on only when enabled, own members only', () => {
    const on = `{
      // Copilot Chat's file exporter
      "github.copilot.chat.otel.enabled": true,
      "github.copilot.chat.otel.outfile": "~/otel/copilot.jsonl",
    }`;
    assert.equal(copilotOtelFileInSettings(on), '~/otel/copilot.jsonl');
    assert.equal(copilotOtelFileInSettings(on.replace('true', 'false')), null);
    assert.equal(copilotOtelFileInSettings('{"github.copilot.chat.otel.enabled": true}'), null);
    assert.equal(copilotOtelFileInSettings('{"github.copilot.chat.otel.enabled": true, "github.copilot.chat.otel.outfile": "  "}'), null);
    assert.equal(
      copilotOtelFileInSettings('{"__proto__": {"github.copilot.chat.otel.enabled": true, "github.copilot.chat.otel.outfile": "/x"}}'),
      null,
      'a member of the prototype is no setting',
    );
    for (const hostile of ['', 'null', '[]', '"text"', '{"a":', '{'.repeat(100_000), '['.repeat(1_000_000), `{"github.copilot.chat.otel.outfile": "${'a'.repeat(5_000)}", "github.copilot.chat.otel.enabled": true}`]) {
      assert.equal(copilotOtelFileInSettings(hostile), null);
    }
  });

  it('takes the settings of the editor whose ledger it is, else the first editor that turns it on, passing over a settings.json that is no file', () => {
    const home = tempDir('otel-settings-home');
    const config = path.join(home, '.config');
    const environment = { platform: 'linux' as const, env: { XDG_CONFIG_HOME: config }, homedir: home };
    const ownLedger = path.join(home, '.local', 'share', 'assay');
    fs.mkdirSync(path.join(config, 'Code', 'User', 'settings.json'), { recursive: true });
    writeLines(path.join(config, 'Code - Insiders', 'User', 'settings.json'), ['{"github.copilot.chat.otel.enabled": true, "github.copilot.chat.otel.outfile": "/otel/insiders.jsonl"}']);
    assert.equal(copilotOtelFileOfEditors(environment, ownLedger), '/otel/insiders.jsonl');
    assert.equal(copilotOtelFileOfEditors(environment, path.join(config, 'Code - Insiders', 'User', 'globalStorage', 'assay.assay')), '/otel/insiders.jsonl');
    // VS Code's own imports into its ledger take the file for off: so must a terminal's import into that ledger.
    assert.equal(copilotOtelFileOfEditors(environment, path.join(config, 'Code', 'User', 'globalStorage', 'assay.assay')), null);
    assert.equal(copilotOtelFileOfEditors({ platform: 'linux', env: {}, homedir: tempDir('otel-settings-empty') }, ownLedger), null);
  });

  it('counts a request once when `assay` runs in a terminal between two imports in the editor', async function () {
    this.timeout(60_000);
    const home = tempDir('otel-cli-home');
    const storage = tempDir('otel-cli-storage');
    const otelFile = path.join(home, 'otel', 'copilot.jsonl');
    const user = path.join(home, '.config', 'Code', 'User');
    const session = path.join(user, 'workspaceStorage', 'ws1', 'chatSessions', 's1.json');
    const writeSession = (requests: object[]) => writeLines(session, [JSON.stringify({ version: 3, sessionId: 's1', creationDate: 1769000000000, requests })]);
    // On in the editor's user settings, as README says to turn it on; not in the terminal's environment.
    writeLines(path.join(user, 'settings.json'), ['{', '  "github.copilot.chat.otel.enabled": true,', '  "github.copilot.chat.otel.outfile": "~/otel/copilot.jsonl",', '}']);
    // An import in the editor: its glue passes the file its configuration names (importGlue.ts), and the ledger's secret.
    const editorImport = async () =>
      runImport({ storageDir: storage, secret: await loadImportSecret(storage), pricer: { keptModelName: (raw) => raw }, env: withCopilotOtelFile({}, otelFile), homeDir: home, platform: 'linux' });

    writeLines(otelFile, [copilotInferenceLogLine('req-a', 1769000100, 30_000, 500)]);
    writeSession([request('request_a', 1769000095000)]);
    await editorImport();
    // Request B: Copilot Chat logs its model call to the file and rewrites the session file.
    appendLines(otelFile, [copilotInferenceLogLine('req-b', 1769001900, 31_000, 700)]);
    writeSession([request('request_a', 1769000095000), request('request_b', 1769001895000)]);
    const terminal = await runAssay(['import', '--storage', storage], home);
    assert.equal(terminal.status, 0, terminal.stderr);
    await editorImport();

    const { events } = await readLedger(storage);
    const usage = events.filter((event): event is UsageEvent => event.kind === 'usage');
    assert.deepEqual(usage.map((event) => [event.t, event.inputTokens + event.cacheReadTokens + event.outputTokens]).sort(), [
      [1769000100000, 30_500],
      [1769001900000, 31_700],
    ]);
  });
});
