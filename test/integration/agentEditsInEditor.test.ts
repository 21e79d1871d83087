// Edits Copilot Chat's agent mode applies in the editor, in the real extension host: a change the chat session log
// names counts as the agent's, one it does not name stays an unexplained edit, and no text or name of either file
// reaches the ledger.
//
// The session log is written as VS Code writes one (microsoft/vscode chatSessionOperationLog.ts at
// 03d43368c3ce601d54d8eceb01b11cf9758b9e4a, objectMutationLog.ts at 047238f9fe1b7661362b3f27cfbddd503339cb1b): a
// `kind: 0` line with the session, a `kind: 2` push of the request to `requests`, and a `kind: 2` push of its
// response parts, the `textEditGroup` among them (chatModel.ts IChatTextEditGroup; the URI as URI.toJSON writes
// it). The shapes are those of test/fixtures/agent-output/copilot-chat, whose README cites each source.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AssayApi } from '../../src/extension';
import type { ActivityEvent } from '../../src/ledger/events';
import { readLedger } from '../../src/ledger/reader';
import { waitFor } from './waitFor';

const SESSION_ID = '4e8f0c2a-agent-4ccc-8ddd-000000000042';
const AGENT_TEXT = 'export function clampAgentSecret7f3(x: number): number {\n  return Math.min(1, Math.max(0, x));\n}\n';
const PERSON_TEXT = 'const personPastedSecret9q1 = [1, 2, 3];\nconsole.log(personPastedSecret9q1);\n';
const SECRET_FILE = 'agent-edited-secret-k2m8.ts';

async function assay(): Promise<AssayApi> {
  const extension = vscode.extensions.getExtension<AssayApi>('assay.assay');
  assert.ok(extension);
  return extension.activate();
}

/**
 * Counts of TypeScript documents only: the editor may change other documents meanwhile (VS Code editing the
 * settings file through a text model is a multi-line change like any other), and they are not this test's.
 */
async function activityTotals(api: AssayApi) {
  await api.flush();
  const { events } = await readLedger(api.storageDir);
  const activity = events.filter((event): event is ActivityEvent => event.kind === 'activity' && event.languageId === 'typescript');
  return {
    agentEdits: activity.reduce((n, a) => n + (a.agentEdits ?? 0), 0),
    agentChars: activity.reduce((n, a) => n + (a.agentChars ?? 0), 0),
    paste: activity.reduce((n, a) => n + (a.otherEdits.paste ?? 0), 0),
    otherChars: activity.reduce((n, a) => n + a.otherChars, 0),
  };
}

function uriJson(uri: vscode.Uri) {
  return { $mid: 1, fsPath: uri.fsPath, external: uri.toString(), path: uri.path, scheme: uri.scheme };
}

function sessionStart(): string {
  const session = {
    version: 3,
    requesterUsername: 'user',
    responderUsername: 'GitHub Copilot',
    initialLocation: 'panel',
    sessionId: SESSION_ID,
    creationDate: Date.now(),
    customTitle: 'Add a clamp helper',
    requests: [],
  };
  return `${JSON.stringify({ kind: 0, v: session })}\n`;
}

function requestWithEdit(target: vscode.Uri, text: string): string {
  const request = {
    requestId: 'request_4e8f0c2a-0000-4000-8000-000000000001',
    message: { text: 'add a clamp helper', parts: [] },
    variableData: { variables: [] },
    responseId: 'response_4e8f0c2a-0000-4000-8000-000000000001',
    followups: [],
    agent: { id: 'github.copilot.editsAgent', name: 'agent', extensionId: { value: 'GitHub.copilot-chat', _lower: 'github.copilot-chat' } },
    contentReferences: [],
    codeCitations: [],
    timestamp: Date.now(),
    modelId: 'copilot/claude-sonnet-4',
    response: [],
    modelState: { value: 0 },
  };
  const parts = [
    { value: "I'll add the helper.", supportThemeIcons: false, supportHtml: false },
    { kind: 'codeblockUri', uri: uriJson(target), isEdit: true },
    {
      kind: 'textEditGroup',
      uri: uriJson(target),
      edits: [[{ text, range: { startLineNumber: 1, startColumn: 1, endLineNumber: 1, endColumn: 1 } }], []],
      done: true,
    },
  ];
  return [
    JSON.stringify({ kind: 2, k: ['requests'], v: [request] }),
    JSON.stringify({ kind: 2, k: ['requests', 0, 'response'], v: parts }),
    '',
  ].join('\n');
}

/** What the log holds now, for a time-out message: its size and each line's kind, in case something rewrote it. */
function logShape(log: string): string {
  try {
    const text = readFileSync(log, 'utf8');
    const kinds = text.split('\n').filter(Boolean).map((line) => {
      try {
        return String((JSON.parse(line) as { kind?: unknown }).kind);
      } catch {
        return 'not JSON';
      }
    });
    return `${text.length} bytes, kinds ${kinds.join(',')}`;
  } catch (error) {
    return String(error);
  }
}

describe('agent edits applied in the editor', () => {
  it('counts a change a Copilot Chat session log names as the agent\'s, and one it does not name as a paste', async function () {
    this.timeout(120_000);
    const api = await assay();
    const workspace = vscode.workspace.workspaceFolders?.[0];
    assert.ok(workspace, 'the tests run in a workspace folder');
    const agentFile = vscode.Uri.joinPath(workspace.uri, SECRET_FILE);
    const personFile = vscode.Uri.joinPath(workspace.uri, `person-${SECRET_FILE}`);
    await fs.writeFile(agentFile.fsPath, '');
    await fs.writeFile(personFile.fsPath, '');
    const agentDocument = await vscode.workspace.openTextDocument(agentFile);
    const personDocument = await vscode.workspace.openTextDocument(personFile);

    // The chat session folder appears, as when Copilot Chat stores its first session in this workspace.
    const log = path.join(api.chatSessionsFolder, `${SESSION_ID}.jsonl`);
    await fs.mkdir(api.chatSessionsFolder, { recursive: true });
    await fs.writeFile(log, sessionStart());
    await waitFor('the session folder to be watched', () => (api.agentEditMatching().watching ? true : undefined), 90_000);
    const before = await activityTotals(api);
    const others: string[] = [];
    const watchOthers = vscode.workspace.onDidChangeTextDocument((event) => {
      const uri = event.document.uri;
      if (uri.toString() !== agentFile.toString() && uri.toString() !== personFile.toString() && event.contentChanges.length > 0) {
        others.push(`${uri.scheme}:${path.basename(uri.path)}`);
      }
    });
    const heldBefore = api.agentEditMatching().held;
    const matchedBefore = api.agentEditMatching().matched;

    const edit = new vscode.WorkspaceEdit();
    edit.insert(agentFile, new vscode.Position(0, 0), AGENT_TEXT);
    edit.insert(personFile, new vscode.Position(0, 0), PERSON_TEXT);
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal(agentDocument.getText(), AGENT_TEXT);
    assert.equal(personDocument.getText(), PERSON_TEXT);
    await waitFor('both changes to wait for the log', () => (api.agentEditMatching().held >= heldBefore + 2 ? true : undefined), 10_000);

    await fs.appendFile(log, requestWithEdit(agentFile, AGENT_TEXT));
    // The state at a time-out says what was held, what the log holds, and which other documents changed meanwhile.
    await waitFor('the logged change to be matched', () => (api.agentEditMatching().matched === matchedBefore + 1 ? true : undefined), 30_000, () =>
      JSON.stringify({ ...api.agentEditMatching(), heldBefore, matchedBefore, log: logShape(log), others }),
    );
    watchOthers.dispose();

    const after = await activityTotals(api);
    assert.deepEqual(
      { agentEdits: after.agentEdits - before.agentEdits, agentChars: after.agentChars - before.agentChars },
      { agentEdits: 1, agentChars: AGENT_TEXT.length },
    );
    assert.deepEqual(
      { paste: after.paste - before.paste, otherChars: after.otherChars - before.otherChars },
      { paste: 1, otherChars: PERSON_TEXT.length },
    );

    const ledger = JSON.stringify((await readLedger(api.storageDir)).events);
    for (const secret of ['clampAgentSecret7f3', 'personPastedSecret9q1', 'agent-edited-secret', SESSION_ID]) {
      assert.equal(ledger.includes(secret), false, `"${secret}" reached the ledger`);
    }
  });
});
