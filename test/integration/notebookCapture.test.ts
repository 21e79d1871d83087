// Capture in a notebook cell, in the real extension host: VS Code never marks a cell's text document dirty, so
// an ordinary edit in a cell must not be taken for a reload from disk (which moves its characters to `reload`
// and makes the cell's accepted suggestions unknown).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AssayApi } from '../../src/extension';
import type { AcceptEvent, ActivityEvent, LedgerEvent } from '../../src/ledger/events';
import { readLedger } from '../../src/ledger/reader';
import { waitFor } from './waitFor';

const SUGGESTION = 'print(a + 41)';

async function assay(): Promise<AssayApi> {
  const extension = vscode.extensions.getExtension<AssayApi>('assay.assay');
  assert.ok(extension);
  return extension.activate();
}

async function ledgerEvents(api: AssayApi): Promise<LedgerEvent[]> {
  await api.flush();
  return (await readLedger(api.storageDir)).events;
}

/** Typed characters and reloads of one language: the scratch file and the cell are told apart by it. */
async function activityOf(api: AssayApi, languageId: string): Promise<{ typedChars: number; reloads: number }> {
  const activity = (await ledgerEvents(api)).filter(
    (event): event is ActivityEvent => event.kind === 'activity' && event.languageId === languageId,
  );
  return {
    typedChars: activity.reduce((total, event) => total + event.typedChars, 0),
    reloads: activity.reduce((total, event) => total + (event.otherEdits.reload ?? 0), 0),
  };
}

describe('capture in a notebook cell', () => {
  let provider: vscode.Disposable | undefined;

  after(() => provider?.dispose());

  it('counts typing in a cell as typing and keeps watching a suggestion accepted there, after a pause', async () => {
    const api = await assay();
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-notebook-'));
    const notebookFile = path.join(folder, 'analysis.ipynb');
    const cellSource = { cell_type: 'code', source: ['a = 1\n'], metadata: {}, outputs: [], execution_count: null };
    await fs.writeFile(notebookFile, JSON.stringify({ cells: [cellSource], metadata: {}, nbformat: 4, nbformat_minor: 5 }));
    const notebook = await vscode.workspace.openNotebookDocument(vscode.Uri.file(notebookFile));
    await vscode.window.showNotebookDocument(notebook);
    const cell = notebook.cellAt(0).document;
    await vscode.commands.executeCommand('notebook.cell.edit');
    const editor = await waitFor('the cell editor', async () =>
      vscode.window.activeTextEditor?.document === cell ? vscode.window.activeTextEditor : undefined,
    );
    editor.selection = new vscode.Selection(1, 0, 1, 0);

    provider = vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, {
      provideInlineCompletionItems: () => [new vscode.InlineCompletionItem(SUGGESTION)],
    });
    const acceptsBefore = new Set((await ledgerEvents(api)).flatMap((event) => (event.kind === 'accept' ? [event.id] : [])));
    await waitFor('the suggestion to be accepted', async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await vscode.commands.executeCommand('assay.acceptInlineSuggestion');
      return cell.getText().includes(SUGGESTION) ? true : undefined;
    });
    // Other tests write events of their own into the same ledger: the cell's accept is the new Python one.
    const accept = await waitFor('the accept event', async () =>
      (await ledgerEvents(api)).find(
        (event): event is AcceptEvent => event.kind === 'accept' && event.languageId === 'python' && !acceptsBefore.has(event.id),
      ),
    );
    assert.equal(accept.chars, SUGGESTION.length);

    const cellBefore = await activityOf(api, 'python');
    for (const text of ['\n', 'b']) await vscode.commands.executeCommand('type', { text });
    assert.ok(cell.getText().endsWith(`${SUGGESTION}\nb`), 'the keystrokes went to another editor');

    // The reload verdict on the cell's last keystroke, if any, is given a moment after it. A real reload (an
    // edited file reverted) started after the keystroke has its verdict after the cell's: once the file's
    // reload is in the ledger, the cell's verdict has been given.
    const scratchFile = path.join(folder, 'scratch.txt');
    await fs.writeFile(scratchFile, 'scratch\n');
    const scratch = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(scratchFile));
    const scratchBefore = await activityOf(api, scratch.document.languageId);
    await vscode.commands.executeCommand('type', { text: 'x' });
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitFor('the scratch file reload', async () => {
      const { reloads } = await activityOf(api, scratch.document.languageId);
      return reloads > scratchBefore.reloads ? true : undefined;
    });

    const cellAfter = await activityOf(api, 'python');
    assert.deepEqual(cellAfter, { typedChars: cellBefore.typedChars + 2, reloads: cellBefore.reloads });
    const reloaded = (await ledgerEvents(api)).filter(
      (event) => event.kind === 'retention' && event.acceptId === accept.id && event.reason === 'reload',
    );
    assert.deepEqual(reloaded, [], 'the suggestion accepted in the cell was marked unknown as reloaded');
  });
});
