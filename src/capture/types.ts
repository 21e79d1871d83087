// Plain data the editor glue hands to the capture engine: no `vscode` types, so the core runs
// under mocha and in benchmarks.

/**
 * One content change of an `onDidChangeTextDocument` event. Offsets are in the document BEFORE
 * the event, as VS Code reports them (every change of one event is relative to that same document).
 */
export interface TextChange {
  rangeOffset: number;
  rangeLength: number;
  text: string;
  /**
   * The text this change replaced, when the glue knows it (it can snapshot the document before
   * running an accept command). Only read for accepts, to compute the net inserted text; never
   * stored beyond the current suggestion chain, never emitted.
   */
  replacedText?: string;
}

export type EditReason = 'undo' | 'redo' | undefined;

export interface DocumentInfo {
  /** Identity of the document within this window (e.g. its URI string); never emitted. */
  key: string;
  languageId: string;
  /** Opaque workspace id (privacy/opaqueId); anything else is recorded as `other`. */
  workspace: string;
  provider: string;
  isNotebookCell: boolean;
}
