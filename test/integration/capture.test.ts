// Capture in the real extension host: the passive provider counts the editor's requests, typing is
// counted, an accept through Assay's command is recorded with its size, and the ledger lands under
// the extension's global storage with none of the document's text, name or folder in it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AssayApi } from '../../src/extension';
import type { AcceptEvent, ActivityEvent, LedgerEvent, RetentionEvent } from '../../src/ledger/events';
import { readLedger } from '../../src/ledger/reader';
import { waitFor } from './waitFor';

const SECRET_FOLDER = 'confidential-folder-r7u2';
const SECRET_FILE = 'private-module-k3p9.js';
const SECRET_CODE = 'TOPSECRET_payload_55';
const SUGGESTION = 'const answer = 42;\nconsole.log(answer);';
const LATE_SUGGESTION = 'const late = 7;';

async function assay(): Promise<AssayApi> {
  const extension = vscode.extensions.getExtension<AssayApi>('assay.assay');
  assert.ok(extension);
  return extension.activate();
}

async function eventsOf<K extends LedgerEvent['kind']>(api: AssayApi, kind: K): Promise<Extract<LedgerEvent, { kind: K }>[]> {
  await api.flush();
  const { events } = await readLedger(api.storageDir);
  return events.filter((event): event is Extract<LedgerEvent, { kind: K }> => event.kind === kind);
}

describe('capture in a real editor', () => {
  let editor: vscode.TextEditor;
  let fixture: vscode.Disposable | undefined;

  before(async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), `${SECRET_FOLDER}-`));
    const file = path.join(folder, SECRET_FILE);
    await fs.writeFile(file, `// ${SECRET_CODE}\n`);
    const document = await vscode.workspace.openTextDocument(file);
    editor = await vscode.window.showTextDocument(document);
    editor.selection = new vscode.Selection(document.lineCount - 1, 0, document.lineCount - 1, 0);
  });

  after(() => fixture?.dispose());

  it('keeps its ledger under the extension global storage folder', async () => {
    const api = await assay();
    assert.equal(path.basename(api.storageDir), 'assay.assay');
    assert.equal(path.basename(path.dirname(api.storageDir)), 'globalStorage');
  });

  it('counts an opportunity each time the editor asks for inline suggestions', async () => {
    const api = await assay();
    const before = sum(await eventsOf(api, 'activity'), (event) => event.opportunities);
    await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
    const after = await waitFor('an opportunity', async () => {
      const total = sum(await eventsOf(api, 'activity'), (event) => event.opportunities);
      return total > before ? total : undefined;
    });
    assert.ok(after > before);
  });

  it('counts typed characters', async () => {
    const api = await assay();
    const before = sum(await eventsOf(api, 'activity'), (event) => event.typedChars);
    await vscode.commands.executeCommand('type', { text: 'x' });
    await vscode.commands.executeCommand('type', { text: 'y' });
    const after = await waitFor('typed characters', async () => {
      const total = sum(await eventsOf(api, 'activity'), (event: ActivityEvent) => event.typedChars);
      return total >= before + 2 ? total : undefined;
    });
    assert.equal(after, before + 2);
  });

  it('counts the spaces a Tab key press indents with as typed', async () => {
    const api = await assay();
    editor.options = { insertSpaces: true, tabSize: 4 };
    await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount, 0), '\n'));
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    await api.flush();
    const before = sum(await eventsOf(api, 'activity'), (event) => event.typedChars);
    const lengthBefore = editor.document.getText().length;
    await vscode.commands.executeCommand('tab');
    const inserted = editor.document.getText().length - lengthBefore;
    assert.ok(inserted >= 1 && inserted <= 4, `Tab inserted ${inserted} characters`);
    const after = await waitFor('typed spaces', async () => {
      const total = sum(await eventsOf(api, 'activity'), (event: ActivityEvent) => event.typedChars);
      return total >= before + inserted ? total : undefined;
    });
    assert.equal(after, before + inserted);
  });

  it('counts a second Enter on a line of auto-indentation as typed, though the editor trims that line in the same change', async () => {
    const api = await assay();
    editor.options = { insertSpaces: true, tabSize: 4 };
    await editor.edit((edit) => edit.insert(new vscode.Position(editor.document.lineCount, 0), '\n    indented'));
    const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(end, end);
    await api.flush();
    const before = sum(await eventsOf(api, 'activity'), (event) => event.typedChars);
    await vscode.commands.executeCommand('type', { text: '\n' });
    await vscode.commands.executeCommand('type', { text: '\n' });
    const lines = editor.document.getText().split('\n').slice(-3);
    assert.deepEqual(lines, ['    indented', '', '    '], 'the first new line was trimmed as the second Enter left it');
    const after = await waitFor('both Enters typed', async () => {
      const total = sum(await eventsOf(api, 'activity'), (event: ActivityEvent) => event.typedChars);
      return total >= before + 10 ? total : undefined;
    });
    assert.equal(after, before + 10, 'each Enter typed a newline and 4 spaces of indentation');
  });

  it('records an accept made through its command, with the suggestion size and language', async () => {
    const api = await assay();
    fixture = vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, {
      provideInlineCompletionItems: () => [new vscode.InlineCompletionItem(SUGGESTION)],
    });
    await vscode.commands.executeCommand('type', { text: '\n' });
    const textBefore = editor.document.getText();
    const acceptsBefore = (await eventsOf(api, 'accept')).length;

    // Ghost text appears asynchronously; retry the accept until the editor has shown it.
    await waitFor('the suggestion to be accepted', async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await vscode.commands.executeCommand('assay.acceptInlineSuggestion');
      return editor.document.getText().includes(SUGGESTION) ? true : undefined;
    });
    assert.equal(editor.document.getText().length, textBefore.length + SUGGESTION.length);

    const accepts = await waitFor('the accept event', async () => {
      const events = await eventsOf(api, 'accept');
      return events.length > acceptsBefore ? events.slice(acceptsBefore) : undefined;
    });
    assert.equal(accepts.length, 1);
    const accept: AcceptEvent = accepts[0];
    assert.equal(accept.mode, 'full');
    assert.equal(accept.chars, SUGGESTION.length);
    assert.equal(accept.lines, 2);
    assert.equal(accept.languageId, 'javascript');
    assert.match(accept.workspace, /^[0-9a-f]{16}$|^other$/);
  });

  it('counts two next-line accepts run back to back once each, though the second starts before the first one\'s change arrives', async () => {
    const api = await assay();
    assert.ok(fixture, 'the fixture assistant of the test before');
    await vscode.commands.executeCommand('type', { text: '\n' });
    // Lines after the cursor: what the second accept's early snapshot holds where the first accept's line now is.
    const cursor = editor.selection.active;
    await editor.edit((edit) => edit.insert(cursor, '\n// one line after\n// and another'));
    editor.selection = new vscode.Selection(cursor, cursor);
    const textBefore = editor.document.getText();
    const acceptsBefore = (await eventsOf(api, 'accept')).length;
    await waitFor('both lines to be accepted', async () => {
      await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
      await new Promise((resolve) => setTimeout(resolve, 300));
      await Promise.all([vscode.commands.executeCommand('assay.acceptNextLine'), vscode.commands.executeCommand('assay.acceptNextLine')]);
      return editor.document.getText().includes(SUGGESTION) ? true : undefined;
    });
    assert.equal(editor.document.getText().length, textBefore.length + SUGGESTION.length);
    const accepts = await waitFor('the accept events', async () => {
      const events = (await eventsOf(api, 'accept')).slice(acceptsBefore);
      return sum(events, (event) => event.chars) >= SUGGESTION.length ? events : undefined;
    });
    assert.deepEqual(accepts.map((accept) => accept.mode), accepts.map(() => 'line'));
    assert.equal(sum(accepts, (accept) => accept.chars), SUGGESTION.length, 'each character counted once');
    assert.equal(sum(accepts, (accept) => accept.lines), 2);
  });

  it('writes what it recorded when capture is turned off: typing not yet flushed, and accepts still watched as windowEnded', async () => {
    const api = await assay();
    const config = vscode.workspace.getConfiguration('assay');
    const suggestion = new vscode.InlineCompletionItem(LATE_SUGGESTION);
    const provider = vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, { provideInlineCompletionItems: () => [suggestion] });
    try {
      await vscode.commands.executeCommand('type', { text: '\n' });
      const acceptsBefore = new Set((await eventsOf(api, 'accept')).map((event) => event.id));
      // Other tests write accepts of their own into the same ledger: this one is the new JavaScript accept.
      const accept = await waitFor('an accept', async () => {
        await vscode.commands.executeCommand('editor.action.inlineSuggest.trigger');
        await new Promise((resolve) => setTimeout(resolve, 300));
        await vscode.commands.executeCommand('assay.acceptInlineSuggestion');
        return (await eventsOf(api, 'accept')).find((event) => event.languageId === 'javascript' && !acceptsBefore.has(event.id));
      });
      // Read after the accept (eventsOf flushes the counters): the next two keystrokes are only counted in memory.
      const typedBefore = typedIn(await eventsOf(api, 'activity'));
      for (const text of ['o', 'n']) await vscode.commands.executeCommand('type', { text });
      await config.update('capture.enabled', false, vscode.ConfigurationTarget.Global);

      // Read without api.flush, which would write the counters itself: only turning capture off may write them.
      const { events } = await waitFor('the accept to be written off as windowEnded', async () => {
        const ledger = await readLedger(api.storageDir);
        return ledger.events.some((event) => event.kind === 'retention' && event.acceptId === accept.id) ? ledger : undefined;
      });
      const ended = events.filter((event): event is RetentionEvent => event.kind === 'retention' && event.acceptId === accept.id);
      assert.deepEqual(
        ended.map((event) => [event.checkpoint, event.outcome, event.reason]),
        config.get<number[]>('retention.checkpointsSeconds', []).map((checkpoint) => [checkpoint, 'unknown', 'windowEnded']),
      );
      assert.equal(typedIn(events.filter((event) => event.kind === 'activity')), typedBefore + 2);
    } finally {
      provider.dispose();
      await config.update('capture.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
  });

  it('looks at no edit while capture is off, and counts again once it is turned back on', async () => {
    const api = await assay();
    const config = vscode.workspace.getConfiguration('assay');
    const typed = async () => sum(await eventsOf(api, 'activity'), (event: ActivityEvent) => event.typedChars);
    await config.update('capture.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      const before = await typed();
      for (const text of ['o', 'f', 'f']) await vscode.commands.executeCommand('type', { text });
      // The setting reaches the extension through a configuration event: give the keystrokes time to be missed.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      assert.equal(await typed(), before, 'characters typed while capture is off were counted');
    } finally {
      await config.update('capture.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    const before = await typed();
    await vscode.commands.executeCommand('type', { text: 'z' });
    await waitFor('typing counted again', async () => ((await typed()) > before ? true : undefined));
  });

  it('writes no document text, file name or folder name to its storage', async () => {
    const api = await assay();
    await api.flush();
    const contents = await readTree(api.storageDir);
    assert.ok(contents.length > 0, 'the ledger is empty');
    for (const secret of [SECRET_FOLDER, SECRET_FILE, 'private-module', SECRET_CODE, 'answer = 42']) {
      assert.equal(contents.includes(secret), false, `"${secret}" reached the storage folder`);
    }
  });
});

/** This file's document is JavaScript; the editor may change others meanwhile (its settings file). */
function typedIn(activity: readonly ActivityEvent[]): number {
  return sum(activity.filter((event) => event.languageId === 'javascript'), (event) => event.typedChars);
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}

async function readTree(dir: string): Promise<string> {
  let text = '';
  for (const entry of await fs.readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) text += await fs.readFile(path.join(entry.parentPath, entry.name), 'utf8');
  }
  return text;
}
