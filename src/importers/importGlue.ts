// Editor glue for imports: when to run one (first idle moment, log files changing, the command),
// with progress for the command, and the last summary for the dashboard. Parsing itself runs in
// a worker thread (./importInWorker), never on the extension host's event loop.
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeError } from '../privacy/errors';
import { USAGE_SOURCE_NAMES, usageSourceName } from '../ledger/events';
import type { Settings } from '../settings/schema';
import { searchRoots, LOG_LOCATIONS, withCopilotOtelFile } from './discovery';
import { importInWorker } from './importInWorker';
import type { ImportSummary } from './runImport';
import { importWarnings } from './importWarnings';
import { rejectionTotal } from './usageBounds';
import { copilotOtelFileSetting, customStoragePathSettings } from '../settings/otherTools';

/** Activation does no file scanning (docs/architecture.md): the first import, and other first reads, wait for the editor to settle. */
export const FIRST_IDLE_DELAY_MS = 15_000;
/** Agents append to their logs continuously while they work; one import per burst is enough. */
const WATCH_DEBOUNCE_MS = 30_000;
/** An import started by the command waits this long for one running in another window. */
const COMMAND_LOCK_WAIT_MS = 60_000;
/**
 * An agent edit's checkpoint is measured by the first import in its window (docs/metrics.md, Agent output), so one is
 * started just after the next checkpoint falls due; a long wait is cut short and simply planned again.
 */
const CHECKPOINT_DELAY_MS = 5_000;
const MAX_CHECKPOINT_WAIT_MS = 6 * 60 * 60 * 1000;

export interface ImportGlueOptions {
  extensionPath: string;
  storageDir: string;
  getSettings(): Settings;
  /** Called after an import that wrote new events, or wrote earlier ones again with other figures. */
  onDidImport(summary: ImportSummary): void;
  log(message: string): void;
}

/** Who hears of a run's progress: the files read so far, and that it waits for another import. */
interface RunFollower {
  onFiles?: (filesDone: number, filesTotal: number) => void;
  onWaiting?: () => void;
}

export class ImportGlue implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private running: Promise<ImportSummary | undefined> | undefined;
  /**
   * The running import's stop and who hears of its progress: a command that joins a background run hears it too, and
   * is told if it fails (`commandFollows`).
   */
  private current: { controller: AbortController; followers: Set<RunFollower>; waiting: boolean; commandFollows: boolean } | undefined;
  /** Stops the running import's worker, also when the extension is disabled or updated. */
  private readonly stopping = new AbortController();
  private debounce: NodeJS.Timeout | undefined;
  private readonly firstRun: NodeJS.Timeout;
  private checkpointRun: NodeJS.Timeout | undefined;
  private lastSummaryValue: ImportSummary | undefined;
  /** A background import that fails says so once per window, not on every log change; one a command follows always does. */
  private failureShown = false;

  constructor(private readonly options: ImportGlueOptions) {
    this.firstRun = setTimeout(() => {
      void this.runInBackground();
      this.watchLogFolders();
    }, FIRST_IDLE_DELAY_MS);
  }

  /** The latest import's summary: which sources were found and when each was last read. */
  get lastSummary(): ImportSummary | undefined {
    return this.lastSummaryValue;
  }

  /** "Assay: Import Agent Usage Now": waits for another window's import, shows progress, reports the result. */
  async runWithProgress(): Promise<ImportSummary | undefined> {
    const summary = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Assay: importing agent usage', cancellable: true },
      (progress, token) => {
        let reported = 0;
        return this.run(COMMAND_LOCK_WAIT_MS, token, {
          onFiles: (filesDone, filesTotal) => {
            const percent = filesTotal > 0 ? (filesDone / filesTotal) * 100 : 0;
            progress.report({ message: `${filesDone} of ${filesTotal} log files`, increment: percent - reported });
            reported = percent;
          },
          onWaiting: () => progress.report({ message: 'waiting for the import running in another window, or in the assay command' }),
        });
      },
    );
    if (summary) void vscode.window.showInformationMessage(describeSummary(summary));
    return summary;
  }

  async runInBackground(): Promise<ImportSummary | undefined> {
    return this.run(0);
  }

  private run(lockWaitMs: number, token?: vscode.CancellationToken, follower: RunFollower = {}): Promise<ImportSummary | undefined> {
    if (this.running) return this.current ? this.join(this.running, this.current, follower, token) : this.running;
    const settings = this.options.getSettings();
    if (!settings['import.enabled']) return Promise.resolve(undefined);
    const controller = new AbortController();
    const current = { controller, followers: new Set([follower]), waiting: false, commandFollows: token !== undefined };
    this.current = current;
    this.options.log(token ? 'import started by the command' : 'import started in the background');
    const cancellation = token?.onCancellationRequested(() => controller.abort());
    const stop = () => controller.abort();
    this.stopping.signal.addEventListener('abort', stop);
    this.running = importInWorker({
      workerScript: path.join(this.options.extensionPath, 'dist', 'importWorker.js'),
      request: {
        storageDir: this.options.storageDir,
        roots: settings['import.folders'],
        discover: settings['import.discover'],
        copilotOtelFile: copilotOtelFileSetting(),
        customStoragePaths: customStoragePathSettings(),
        pricing: { overrides: settings['pricing.overrides'], priceFile: settings['pricing.priceFile'] },
        lockWaitMs,
      },
      onProgress: (progress) => {
        current.waiting = false;
        for (const each of current.followers) each.onFiles?.(progress.filesDone, progress.filesTotal);
      },
      onWaiting: () => {
        current.waiting = true;
        for (const each of current.followers) each.onWaiting?.();
      },
      signal: controller.signal,
    })
      .then((summary) => {
        this.lastSummaryValue = summary;
        if (summary.status !== 'locked') this.planCheckpointRun(summary.nextCheckpointAt);
        this.options.log(`import ${summary.status}: ${summary.events} new events, ${summary.updatedEvents} updated, in ${summary.durationMs} ms`);
        for (const warning of importWarnings(summary.sources)) this.options.log(`import: ${warning}`);
        if (summary.events + summary.updatedEvents > 0) this.options.onDidImport(summary);
        return summary;
      })
      .catch((error: unknown) => {
        this.options.log(`import failed: ${describeError(error)}`);
        if (current.commandFollows || !this.failureShown) {
          this.failureShown = true;
          void vscode.window.showErrorMessage(`Assay could not import agent usage: ${describeError(error)}.`);
        }
        return undefined;
      })
      .finally(() => {
        cancellation?.dispose();
        this.stopping.signal.removeEventListener('abort', stop);
        this.running = undefined;
        this.current = undefined;
      });
    return this.running;
  }

  /**
   * A command chosen while another run (a background one) is under way: it shows that run's progress, from where it
   * is, and its Cancel stops it, as it would stop a run of its own.
   */
  private join(
    running: Promise<ImportSummary | undefined>,
    current: NonNullable<ImportGlue['current']>,
    follower: RunFollower,
    token: vscode.CancellationToken | undefined,
  ): Promise<ImportSummary | undefined> {
    current.followers.add(follower);
    if (token) current.commandFollows = true;
    if (current.waiting) follower.onWaiting?.();
    const cancellation = token?.onCancellationRequested(() => current.controller.abort());
    return running.finally(() => {
      cancellation?.dispose();
      current.followers.delete(follower);
    });
  }

  /** Re-creates the log folder watchers, e.g. after `assay.import.*` settings change. */
  watchLogFolders(): void {
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
    const settings = this.options.getSettings();
    if (!settings['import.enabled']) return;
    const roots = searchRoots({
      definitions: LOG_LOCATIONS,
      context: {
        env: withCopilotOtelFile(process.env, copilotOtelFileSetting()),
        homeDir: os.homedir(),
        platform: process.platform,
        customStoragePaths: customStoragePathSettings(),
      },
      roots: settings['import.folders'],
      discover: settings['import.discover'],
    });
    for (const root of roots) {
      const watcher = vscode.workspace.createFileSystemWatcher(
        new vscode.RelativePattern(vscode.Uri.file(root), '**/*.{json,jsonl,zst,db,db-wal}'),
      );
      watcher.onDidChange(() => this.scheduleFromWatcher());
      watcher.onDidCreate(() => this.scheduleFromWatcher());
      this.watchers.push(watcher);
    }
  }

  private planCheckpointRun(dueAt: number | null): void {
    clearTimeout(this.checkpointRun);
    if (dueAt === null) return;
    const wait = Math.min(Math.max(dueAt - Date.now(), 0) + CHECKPOINT_DELAY_MS, MAX_CHECKPOINT_WAIT_MS);
    this.checkpointRun = setTimeout(() => void this.runInBackground(), wait);
  }

  private scheduleFromWatcher(): void {
    if (this.debounce) return;
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      void this.runInBackground();
    }, WATCH_DEBOUNCE_MS);
  }

  dispose(): void {
    this.stopping.abort();
    clearTimeout(this.firstRun);
    clearTimeout(this.checkpointRun);
    if (this.debounce) clearTimeout(this.debounce);
    for (const watcher of this.watchers.splice(0)) watcher.dispose();
  }
}

function describeSummary(summary: ImportSummary): string {
  if (summary.status === 'locked') return 'Assay: another window is importing agent usage right now; try again in a moment.';
  const found = summary.sources.filter((source) => source.found).map((source) => source.source);
  if (found.length === 0) {
    return `Assay found no agent logs (${Object.values(USAGE_SOURCE_NAMES).join(', ')}) in their default folders. Set assay.import.folders if yours live elsewhere.`;
  }
  const stopped = summary.status === 'aborted' ? ' (stopped early; the rest is read next time)' : '';
  const unreadable = summary.sources.reduce((total, source) => total + source.unreadableFiles, 0);
  const skipped = unreadable > 0 ? ` ${unreadable} log files could not be read and will be tried again.` : '';
  const tooLarge = summary.sources.reduce((total, source) => total + (source.rejectedLines.fileTooLarge ?? 0), 0);
  const rejected = summary.sources.reduce((total, source) => total + rejectionTotal(source.rejectedLines), 0) - tooLarge;
  const invalid = rejected > 0 ? ` ${rejected} invalid log lines were skipped (see the Assay output).` : '';
  const large = tooLarge > 0 ? ` ${tooLarge} log files are too large to read (see the Assay output).` : '';
  const cutShort = summary.sources.reduce((total, source) => total + source.foldersCutShort, 0);
  const searched = cutShort > 0 ? ` ${cutShort} log ${cutShort === 1 ? 'folder is' : 'folders are'} too large to search whole (see the Assay output).` : '';
  const updated = summary.updatedEvents > 0 ? ` ${summary.updatedEvents} responses imported before were updated.` : '';
  return `Assay imported ${summary.events} new responses from ${found.map(usageSourceName).join(', ')}${stopped}.${updated}${skipped}${invalid}${large}${searched}`;
}
