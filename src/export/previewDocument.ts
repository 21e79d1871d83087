// Editor glue: read-only documents showing exactly what an export would write or send. Virtual
// documents rather than untitled ones, so the text shown cannot be edited into something that is
// not what leaves the machine.
import * as vscode from 'vscode';

export const PREVIEW_SCHEME = 'assay-preview';
/** Previews kept for the provider to answer from: older ones show empty if reopened. */
const MAX_KEPT = 10;

export class PreviewDocuments implements vscode.Disposable {
  private readonly contents = new Map<string, string>();
  private readonly registration: vscode.Disposable;
  private shown = 0;

  constructor() {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, {
      provideTextDocumentContent: (uri) => this.contents.get(uri.toString()) ?? '',
    });
  }

  /** Opens `text` in a new read-only editor tab titled `name`. */
  async show(name: string, text: string, languageId: string): Promise<vscode.TextDocument> {
    // A fresh query per preview: a document already open would otherwise keep its old text.
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${name}`, query: String(++this.shown) });
    this.contents.set(uri.toString(), text);
    while (this.contents.size > MAX_KEPT) this.contents.delete(this.contents.keys().next().value as string);
    let document = await vscode.workspace.openTextDocument(uri);
    if (document.languageId !== languageId) document = await vscode.languages.setTextDocumentLanguage(document, languageId);
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  }

  dispose(): void {
    this.registration.dispose();
    this.contents.clear();
  }
}

