// A ledger folder that cannot be written (read-only storage, a full disk, a folder replaced by a
// file) in the real extension host: the editor keeps working, capture keeps counting in memory,
// the user is told once, in words without a path, and everything is written once it can be again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AssayApi } from '../../src/extension';
import { readLedger } from '../../src/ledger/reader';

async function assay(): Promise<AssayApi> {
  const extension = vscode.extensions.getExtension<AssayApi>('assay.assay');
  assert.ok(extension);
  return extension.activate();
}

async function typedChars(api: AssayApi): Promise<number> {
  const { events } = await readLedger(api.storageDir);
  return events.reduce((total, event) => total + (event.kind === 'activity' ? event.typedChars : 0), 0);
}

describe('storage faults in a real editor', () => {
  it('keeps counting while the ledger cannot be written, says so once without a path, and writes it all when it can', async () => {
    const api = await assay();
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-fault-'));
    const file = path.join(folder, 'a.js');
    await fs.writeFile(file, '');
    const document = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(document);
    await api.flush();
    const before = await typedChars(api);

    const segments = path.join(api.storageDir, 'ledger', 'segments');
    const aside = `${segments}.aside`;
    await fs.mkdir(segments, { recursive: true });
    const warnings: string[] = [];
    const window = vscode.window as { showWarningMessage: (message: string, ...rest: unknown[]) => Thenable<unknown> };
    const showWarning = window.showWarningMessage;
    window.showWarningMessage = (message: string, ...rest: unknown[]) => {
      warnings.push(message);
      return showWarning.call(vscode.window, message, ...rest);
    };
    try {
      // A file where the segments folder should be fails every write, even for root (who ignores modes).
      await fs.rename(segments, aside);
      await fs.writeFile(segments, 'not a folder');
      for (const text of ['a', 'b', 'c']) await vscode.commands.executeCommand('type', { text });
      await api.flush();
      await vscode.commands.executeCommand('type', { text: 'd' });
      await api.flush();
      assert.equal(editor.document.getText(), 'abcd', 'the editor stopped taking input');
      const told = warnings.filter((message) => message.includes('cannot write its ledger'));
      assert.equal(told.length, 1, `told ${told.length} times: ${warnings.join(' | ')}`);
      assert.equal(told[0].includes(api.storageDir) || told[0].includes(os.homedir()), false, told[0]);
    } finally {
      window.showWarningMessage = showWarning;
      await fs.rm(segments, { force: true });
      await fs.rename(aside, segments);
    }
    await api.flush();
    assert.equal(await typedChars(api), before + 4);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
