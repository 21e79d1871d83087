// Editor glue for capture: turns VS Code events into plain data for the pure CaptureEngine.
// Kept thin on purpose: every decision about what an edit means lives in ./engine and is
// unit-tested there; this file only observes the editor and forwards what it sees.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AcceptMode } from '../ledger/events';
import { providerFromActiveExtensions, KNOWN_ASSISTANT_EXTENSIONS } from '../privacy/allowlists';
import { loggedEditGroups } from './chatSessionEdits';
import { ChatSessionTail } from './chatSessionTail';
import type { CaptureEngine } from './engine';
import type { DocumentInfo, TextChange } from './types';

/** The built-in command each recorded accept runs after noting that an accept is under way. */
const BUILT_IN_ACCEPT_COMMANDS: Record<AcceptMode, string> = {
  full: 'editor.action.inlineSuggest.commit',
  word: 'editor.action.inlineSuggest.acceptNextWord',
  line: 'editor.action.inlineSuggest.acceptNextLine',
};

/** The editor's own accept, for when Assay's capture is not running. */
export function runBuiltInAccept(mode: AcceptMode): Thenable<unknown> {
  return vscode.commands.executeCommand(BUILT_IN_ACCEPT_COMMANDS[mode]);
}

/**
 * Schemes of documents a person edits. Output channels, diff views and other virtual documents
 * also fire change events and would otherwise be counted as typing or pastes.
 */
const TRACKED_SCHEMES: ReadonlySet<string> = new Set([
  'file',
  'untitled',
  'vscode-notebook-cell',
  'vscode-remote',
  'vscode-vfs',
  'vsls',
]);

const NOTEBOOK_CELL_SCHEME = 'vscode-notebook-cell';
const TICK_INTERVAL_MS = 1_000;
const PROVIDER_REFRESH_MS = 60_000;
const RELOAD_CHECK_DELAY_MS = 500;
/**
 * Chat session logs are read this often, and only while changes wait for them: VS Code writes them at most
 * about once a minute (engine.ts, AGENT_EDIT_WINDOW_MS), so reading more often would find nothing new.
 */
const CHAT_LOG_READ_MS = 5_000;
/** How often a chat session folder that does not exist yet is looked for (Copilot Chat may start later). */
const CHAT_FOLDER_CHECK_MS = 60_000;

/**
 * Newer editors accept the next word on Ctrl+Right only while the cursor is before the ghost text
 * (`cursorBeforeGhostText`); 1.100 has no such context key. package.json's keybinding uses this
 * context to mirror whichever rule the running editor has, so Ctrl+Right still moves the cursor
 * where the built-in binding would. It is set only where the editor lacks the key, so that unset
 * (before activation) it errs towards "has it": an unrecorded word accept, never a word accepted
 * where the user meant to move.
 */
const CURSOR_KEY_CONTEXT = 'assay.editorLacksCursorBeforeGhostTextKey';

function hasCursorBeforeGhostTextKey(version: string): boolean {
  const [major, minor] = version.split('.').map((part) => Number.parseInt(part, 10));
  return major > 1 || (major === 1 && minor > 100);
}
/**
 * Lines kept around the cursor before an accept runs, so a change that replaces text (VS Code
 * 1.100's second next-line accept replaces the first) can be reduced to what it really inserted.
 */
const ACCEPT_CONTEXT_LINES = 50;

interface PendingAccept {
  document: vscode.TextDocument;
  mode: AcceptMode;
  /**
   * Text of the lines around the cursor before the accept, starting at `startOffset`; undefined once another change
   * reached the document before this accept's own, as it then no longer tells what this accept replaced.
   */
  before: { startOffset: number; text: string } | undefined;
}

export interface CaptureGlueOptions {
  engine: CaptureEngine;
  /** `assay.capture.enabled` at activation; later changes arrive through `setEnabled`. */
  enabled: boolean;
  /** Maps a workspace folder URI (or `none`) to its opaque id. */
  workspaceId(folderUri: string): string;
  /** Called after each recorded acceptance, e.g. to refresh the status bar. */
  onDidAccept(): void;
  /**
   * The folder where the editor keeps this window's Copilot Chat sessions, whose logs name the edits agent mode
   * applies (docs/metrics.md, Typed and AI characters); undefined: those edits count as other edits.
   */
  chatSessionsFolder?: string;
}

export class CaptureGlue implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** The editor listeners, registered only while capture is on: when off, edits are not even delivered. */
  private listeners: vscode.Disposable[] = [];
  private readonly documentInfo = new WeakMap<vscode.TextDocument, DocumentInfo>();
  /** How many times each document was saved while capture was on, for the reload check. */
  private readonly saves = new WeakMap<vscode.TextDocument, number>();
  /**
   * Accepts whose document change has not arrived yet, oldest first: a held Ctrl+Right or a quick
   * second Tab starts the next accept before the first one's change is delivered.
   */
  private readonly pendingAccepts: PendingAccept[] = [];
  private provider = providerFromActiveExtensions([]);
  private chatSessionsWatched = false;
  private providerCheckedAt = 0;
  private readonly branchByRepository = new Map<string, string | undefined>();

  constructor(private readonly options: CaptureGlueOptions) {
    // The accept keybindings stay Assay's either way (they must always run the built-in accept).
    void vscode.commands.executeCommand('setContext', CURSOR_KEY_CONTEXT, !hasCursorBeforeGhostTextKey(vscode.version));
    this.setEnabled(options.enabled);
  }

  get enabled(): boolean {
    return this.listeners.length > 0;
  }

  /** Whether a chat session folder is being read, and how many changes wait for it (for tests and diagnostics). */
  get agentEditMatching(): { watching: boolean; held: number; matched: number } {
    const { engine } = this.options;
    return { watching: this.chatSessionsWatched, held: engine.heldAgentEditCandidates, matched: engine.matchedAgentEdits };
  }

  /**
   * Turning capture off removes every editor listener and the passive suggestion provider, and ends
   * what was being tracked (pending checkpoints become unknown, counters are flushed); turning it on
   * registers them again.
   */
  setEnabled(enabled: boolean): void {
    if (enabled === this.enabled) return;
    if (!enabled) {
      for (const listener of this.listeners.splice(0)) listener.dispose();
      this.pendingAccepts.length = 0;
      this.options.engine.shutdown(Date.now());
      return;
    }
    const { engine } = this.options;
    const tick = setInterval(() => engine.tick(Date.now()), TICK_INTERVAL_MS);
    tick.unref?.();
    this.listeners.push(
      vscode.workspace.onDidChangeTextDocument((event) => this.onDidChangeTextDocument(event)),
      vscode.workspace.onDidSaveTextDocument((document) => this.saves.set(document, (this.saves.get(document) ?? 0) + 1)),
      vscode.workspace.onDidCloseTextDocument((document) => {
        this.documentInfo.delete(document);
        engine.documentClosed(document.uri.toString(), Date.now());
      }),
      vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, {
        provideInlineCompletionItems: (document, position) => {
          const info = this.infoFor(document);
          if (info) engine.opportunity(info, document.offsetAt(position), Date.now());
          return undefined;
        },
      }),
      vscode.extensions.onDidChange(() => (this.providerCheckedAt = 0)),
      { dispose: () => clearInterval(tick) },
    );
    if (this.options.chatSessionsFolder !== undefined) this.listeners.push(this.watchChatSessions(this.options.chatSessionsFolder));
  }

  /**
   * Reads what the chat session logs gained, while the engine holds changes for them, and hands the edits
   * they name to the engine: when a log changes (file watcher), and every CHAT_LOG_READ_MS in case an event is
   * missed. Only while capture is on; while the folder does not exist, nothing is held or read.
   */
  private watchChatSessions(folder: string): vscode.Disposable {
    const { engine } = this.options;
    const tail = new ChatSessionTail(folder);
    let folderCheckedAt = -Infinity;
    let idlePassedAt = -Infinity;
    let busy = false;
    let disposed = false;
    const look = async (logChanged: boolean) => {
      if (!tail.started) {
        if (!logChanged && Date.now() - folderCheckedAt < CHAT_FOLDER_CHECK_MS) return;
        // A folder that appears while watching holds only logs written since: they are read whole.
        const appeared = folderCheckedAt > -Infinity;
        folderCheckedAt = Date.now();
        if (!(await tail.start(appeared)) || disposed) return;
        engine.setAgentEditMatching(true, Date.now());
        this.chatSessionsWatched = true;
      }
      if (engine.heldAgentEditCandidates === 0) {
        if (!logChanged && Date.now() - idlePassedAt >= CHAT_FOLDER_CHECK_MS) {
          idlePassedAt = Date.now();
          await tail.passIdle();
        }
        return;
      }
      for (const chunk of await tail.readNew()) {
        if (disposed) return;
        for (const group of loggedEditGroups(chunk)) {
          const docKey = documentKey(group.uri);
          if (docKey !== undefined) engine.agentEditsLogged(docKey, group.texts, Date.now());
        }
      }
    };
    let again = false;
    const run = (logChanged: boolean) => {
      if (busy) {
        again ||= logChanged;
        return;
      }
      busy = true;
      void look(logChanged)
        .catch(() => undefined)
        .finally(() => {
          busy = false;
          if (again && !disposed) {
            again = false;
            run(true);
          }
        });
    };
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(vscode.Uri.file(path.dirname(folder)), `${path.basename(folder)}/*.jsonl`),
    );
    const timer = setInterval(() => run(false), CHAT_LOG_READ_MS);
    timer.unref?.();
    const subscriptions = [watcher, watcher.onDidCreate(() => run(true)), watcher.onDidChange(() => run(true))];
    run(false);
    return {
      dispose: () => {
        disposed = true;
        this.chatSessionsWatched = false;
        clearInterval(timer);
        for (const subscription of subscriptions) subscription.dispose();
        engine.setAgentEditMatching(false, Date.now());
      },
    };
  }

  /** Runs a built-in accept command, marking the document change it causes as an acceptance. */
  async accept(mode: AcceptMode): Promise<void> {
    const editor = this.enabled ? vscode.window.activeTextEditor : undefined;
    const pending = editor ? { document: editor.document, mode, before: textAroundCursor(editor) } : undefined;
    if (pending) this.pendingAccepts.push(pending);
    try {
      await runBuiltInAccept(mode);
    } finally {
      // No change came (nothing was showing): this accept must not claim a later edit.
      const index = pending ? this.pendingAccepts.indexOf(pending) : -1;
      if (index >= 0) this.pendingAccepts.splice(index, 1);
    }
  }

  /** Watches the built-in Git extension so retention checkpoints after a branch switch become unknown. */
  async watchBranches(): Promise<void> {
    const git = vscode.extensions.getExtension<GitExtension>('vscode.git');
    if (!git) return;
    const api = (git.isActive ? git.exports : await git.activate()).getAPI(1);
    const watch = (repository: GitRepository) => {
      const key = repository.rootUri.toString();
      this.branchByRepository.set(key, repository.state.HEAD?.name);
      this.disposables.push(
        repository.state.onDidChange(() => {
          const branch = repository.state.HEAD?.name;
          if (this.branchByRepository.get(key) === branch) return;
          this.branchByRepository.set(key, branch);
          this.options.engine.branchSwitched(Date.now());
        }),
      );
    };
    api.repositories.forEach(watch);
    this.disposables.push(api.onDidOpenRepository(watch));
  }

  /** Hands every counter to the ledger now instead of at the next periodic flush. */
  flushActivity(): void {
    this.options.engine.flushActivity(Date.now());
  }

  /** The window is ending: pending checkpoints become unknown and counters are flushed. */
  shutdown(): void {
    this.options.engine.shutdown(Date.now());
  }

  dispose(): void {
    for (const disposable of [...this.listeners.splice(0), ...this.disposables.splice(0)]) disposable.dispose();
  }

  private onDidChangeTextDocument(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const info = this.infoFor(event.document);
    if (!info) return;
    const now = Date.now();
    const reason =
      event.reason === vscode.TextDocumentChangeReason.Undo
        ? 'undo'
        : event.reason === vscode.TextDocumentChangeReason.Redo
          ? 'redo'
          : undefined;

    let acceptMode: AcceptMode | undefined;
    let changes: readonly TextChange[] = event.contentChanges;
    const index = this.pendingAccepts.findIndex((pending) => pending.document === event.document);
    if (index >= 0) {
      // Only the first change after the command is the accept itself.
      const [pending] = this.pendingAccepts.splice(index, 1);
      acceptMode = pending.mode;
      changes = event.contentChanges.map((change) => withReplacedText(change, pending.before));
    }
    // An accept started before this change arrived took its snapshot without it (a quick second Tab).
    for (const pending of this.pendingAccepts) if (pending.document === event.document) pending.before = undefined;

    // First the change, which measures the checkpoints due before it; then the checkpoints due from now wait for the
    // reload verdict.
    this.options.engine.documentChanged(info, changes, reason, now, acceptMode);
    if (index < 0 && reason === undefined && !info.isNotebookCell && !event.document.isDirty) {
      // A cell's text document is never dirty (its notebook is): this check would take every cell edit for a reload.
      this.checkForReload(event.document, info.key);
    }
    if (acceptMode) this.options.onDidAccept();
  }

  /**
   * A reload from disk is a change that leaves the document clean. The first keystroke in a
   * clean document also arrives with `isDirty` still false (the dirty flag follows in a later
   * message), so the verdict waits until the editor has had time to mark a real edit dirty.
   */
  private checkForReload(document: vscode.TextDocument, key: string): void {
    const version = document.version;
    const savesBefore = this.saves.get(document) ?? 0;
    const { engine } = this.options;
    engine.reloadSuspected(key);
    setTimeout(() => {
      // Capture turned off meanwhile has already ended the document's tracking and written its counts. A save since
      // (auto save after a short delay) also leaves an edited document clean.
      const saved = (this.saves.get(document) ?? 0) !== savesBefore;
      if (this.enabled && !document.isClosed && !document.isDirty && document.version === version && !saved) {
        engine.documentReloaded(key, Date.now());
      } else {
        engine.notReloaded(key, Date.now());
      }
    }, RELOAD_CHECK_DELAY_MS);
  }

  private infoFor(document: vscode.TextDocument): DocumentInfo | undefined {
    if (!TRACKED_SCHEMES.has(document.uri.scheme)) return undefined;
    const provider = this.currentProvider();
    let info = this.documentInfo.get(document);
    if (!info || info.provider !== provider) {
      const folder = vscode.workspace.getWorkspaceFolder(document.uri);
      info = {
        key: document.uri.toString(),
        languageId: document.languageId,
        workspace: this.options.workspaceId(folder ? folder.uri.toString() : 'none'),
        provider,
        isNotebookCell: document.uri.scheme === NOTEBOOK_CELL_SCHEME,
      };
      this.documentInfo.set(document, info);
    }
    return info;
  }

  /** Re-checked at most once a minute: assistants activate lazily, and the typing path must stay cheap. */
  private currentProvider(): string {
    const now = Date.now();
    if (now - this.providerCheckedAt > PROVIDER_REFRESH_MS) {
      const active = [...KNOWN_ASSISTANT_EXTENSIONS.keys()].filter(
        (id) => vscode.extensions.getExtension(id)?.isActive,
      );
      this.provider = providerFromActiveExtensions(active);
      this.providerCheckedAt = now;
    }
    return this.provider;
  }
}

/** The key the editor's document of a logged URI has (`DocumentInfo.key`); undefined for a URI VS Code rejects. */
function documentKey(uri: { scheme: string; authority?: string; path: string }): string | undefined {
  try {
    return vscode.Uri.from({ scheme: uri.scheme, authority: uri.authority ?? '', path: uri.path }).toString();
  } catch {
    return undefined;
  }
}

function textAroundCursor(editor: vscode.TextEditor): PendingAccept['before'] {
  const document = editor.document;
  const line = editor.selection.active.line;
  const lastLine = document.lineAt(Math.min(document.lineCount - 1, line + ACCEPT_CONTEXT_LINES));
  const range = new vscode.Range(Math.max(0, line - ACCEPT_CONTEXT_LINES), 0, lastLine.range.end.line, lastLine.range.end.character);
  return { startOffset: document.offsetAt(range.start), text: document.getText(range) };
}

function withReplacedText(change: vscode.TextDocumentContentChangeEvent, before: PendingAccept['before']): TextChange {
  const { rangeOffset, rangeLength, text } = change;
  if (before === undefined) return { rangeOffset, rangeLength, text, replacedText: undefined };
  const start = rangeOffset - before.startOffset;
  const end = start + rangeLength;
  const known = rangeLength > 0 && start >= 0 && end <= before.text.length;
  return { rangeOffset, rangeLength, text, replacedText: known ? before.text.slice(start, end) : undefined };
}

/** The slice of the built-in Git extension's public API (extensions/git/src/api/git.d.ts) used here. */
interface GitExtension {
  getAPI(version: 1): {
    repositories: GitRepository[];
    onDidOpenRepository: vscode.Event<GitRepository>;
  };
}
interface GitRepository {
  rootUri: vscode.Uri;
  state: { HEAD: { name?: string } | undefined; onDidChange: vscode.Event<void> };
}
