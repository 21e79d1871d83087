// Wiring only: creates each part once, connects them, and hands every lifetime to the
// extension context. Behaviour lives in the folders named for each concern.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CaptureEngine } from './capture/engine';
import { CaptureGlue, runBuiltInAccept } from './capture/captureGlue';
import { FIRST_IDLE_DELAY_MS, ImportGlue } from './importers/importGlue';
import { pickAndLoadPriceFile } from './settings/loadPriceFileGlue';
import { registerCommands } from './commands';
import { registerDashboard, type Dashboard } from './dashboard/panel';
import { OtlpExportGlue } from './export/otlpGlue';
import { PreviewDocuments } from './export/previewDocument';
import { TeamExportGlue } from './export/teamExportGlue';
import { TeamReportGlue } from './team/teamReportGlue';
import { LedgerWriter } from './ledger/writer';
import { rollupLoaderOffThread } from './report/rollupOffThread';
import { describeError } from './privacy/errors';
import { opaqueId } from './privacy/opaqueId';
import { loadInstallSecret } from './privacy/secretStorage';
import type { Settings } from './settings/schema';
import { SettingsSource } from './settings/settings';
import { AssayStatusBar } from './status/statusBar';
import { localDate, localTimeZone, machineTimeZone } from './calendar/dates';
import { Lifetimes } from './lifetimes';

/** What the extension returns from `activate`: used by its integration tests. */
export interface AssayApi {
  storageDir: string;
  dashboard: Dashboard;
  teamExport: TeamExportGlue;
  otlpExport: OtlpExportGlue;
  /** Where capture reads Copilot Chat's session logs for the edits agent mode applies. */
  chatSessionsFolder: string;
  /** Whether that folder is being read, how many changes wait for it, and how many it has matched. */
  agentEditMatching(): { watching: boolean; held: number; matched: number };
  /** Writes every buffered event and activity counter to the ledger. */
  flush(): Promise<void>;
}

let onDeactivate: (() => Promise<void>) | undefined;

/** The parts the commands call, once activation has built them. */
interface Parts {
  capture: CaptureGlue;
  imports: ImportGlue;
  dashboard: Dashboard;
  team: TeamExportGlue;
  teamReport: TeamReportGlue;
  otlp: OtlpExportGlue;
}

export async function activate(context: vscode.ExtensionContext): Promise<AssayApi> {
  // Commands first: Tab is bound to Assay's accept, so it must work (falling back to the built-in
  // accept) while the rest starts, and even if the rest fails to start.
  let parts: Parts | undefined;
  let startFailure: unknown;
  let starting: Promise<AssayApi> | undefined;
  // A command run while the parts are being built (by another extension, or a test) waits for them; one run after
  // they failed says so rather than doing nothing.
  const withParts = (use: (started: Parts) => unknown) => async () => {
    if (!parts) await starting?.catch(() => undefined);
    if (parts) return use(parts);
    void vscode.window.showErrorMessage(`Assay could not start (${describeError(startFailure)}). Reload the window to try again.`);
    return undefined;
  };
  context.subscriptions.push(
    ...registerCommands({
      openDashboard: withParts((started) => started.dashboard.openDashboard()),
      importNow: withParts((started) => started.imports.runWithProgress()),
      loadPriceFile: pickAndLoadPriceFile,
      showLedgerFolder: () => vscode.commands.executeCommand('revealFileInOS', context.globalStorageUri),
      acceptInlineSuggestion: () => (parts ? parts.capture.accept('full') : runBuiltInAccept('full')),
      acceptNextWord: () => (parts ? parts.capture.accept('word') : runBuiltInAccept('word')),
      acceptNextLine: () => (parts ? parts.capture.accept('line') : runBuiltInAccept('line')),
      previewTeamSummary: withParts((started) => started.team.preview()),
      exportTeamSummary: withParts((started) => started.team.export()),
      openTeamReport: withParts((started) => started.teamReport.open()),
      previewOtlpExport: withParts((started) => started.otlp.preview()),
      setOtlpHeaders: withParts((started) => started.otlp.setHeaders()),
    }),
  );
  // The parts own their timers, watchers and listeners: those made before a failure end at once, not with the window.
  const lifetimes = new Lifetimes((error) => console.error(`Assay: a part failed to stop (${describeError(error)})`));
  context.subscriptions.push(lifetimes);
  starting = start(context, lifetimes, (started) => (parts = started)).catch((error: unknown) => {
    startFailure = error;
    void lifetimes.dispose();
    throw error;
  });
  return starting;
}

/** Builds every part, each owned by `lifetimes` as soon as it is made, and hands them to the commands through `onParts`. */
async function start(context: vscode.ExtensionContext, lifetimes: Lifetimes, onParts: (parts: Parts) => void): Promise<AssayApi> {
  const own = <T extends vscode.Disposable>(part: T) => lifetimes.own(part);
  const settingsSource = new SettingsSource();
  let settings = settingsSource.settings;
  const secret = await loadInstallSecret(context);
  const storageDir = context.globalStorageUri.fsPath;
  const output = own(vscode.window.createOutputChannel('Assay', { log: true }));
  const timeZone = localTimeZone();
  if (machineTimeZone() === undefined) output.warn('This machine names no time zone that Assay knows: days are counted in UTC.');
  const loadRollup = rollupLoaderOffThread(path.join(context.extensionPath, 'dist', 'rollupWorker.js'), (message) => output.warn(message));

  let toldUnwritable = false;
  const ledger = own(
    new LedgerWriter({
      storageDir,
      flushIntervalMs: settings['ledger.flushIntervalMs'],
      onUnwritable: (error) => {
        if (toldUnwritable) return;
        toldUnwritable = true;
        void vscode.window.showWarningMessage(
          `Assay cannot write its ledger (${describeError(error)}). It keeps recording in memory and will write when it can.`,
        );
      },
    }),
  );

  // Read once: the capture engine takes its checkpoints at start, and the setting applies after a reload.
  const checkpointsSeconds = settings['retention.checkpointsSeconds'];
  const statusBar = own(
    new AssayStatusBar({
      firstRefreshDelayMs: FIRST_IDLE_DELAY_MS,
      loadToday: async () => {
        await ledger.flush();
        const rollup = await loadRollup(storageDir, { timeZone });
        return { rows: rollup.inline, today: localDate(Date.now(), timeZone) };
      },
      checkpoints: () => checkpointsSeconds,
      loadMoneyWarning: async () => dashboard.moneyWarning(),
    }),
  );
  statusBar.setVisible(settings['statusBar.enabled']);

  let toldRefusedEvent = false;
  const engine = new CaptureEngine({
    checkpointsSeconds,
    activityFlushMs: settings['capture.activityFlushSeconds'] * 1_000,
    // No check of capture.enabled: while capture is off the glue hands the engine no edit (it has no listener)
    // and nothing is left pending, and turning capture off ends what was recorded with events still to be written.
    sink: (event) => {
      // The engine calls this in the middle of updating its trackers: an event the ledger refuses
      // is logged once and dropped, never thrown into the engine.
      try {
        ledger.append(event);
      } catch (error) {
        if (!toldRefusedEvent) output.warn(`Assay dropped an event the ledger refused (${describeError(error)})`);
        toldRefusedEvent = true;
      }
    },
  });
  const sessionsFolder = chatSessionsFolder(context);
  const capture = own(
    new CaptureGlue({
      engine,
      enabled: settings['capture.enabled'],
      workspaceId: (folderUri) => opaqueId(secret, `workspace:${folderUri}`),
      onDidAccept: () => statusBar.scheduleRefresh(),
      chatSessionsFolder: sessionsFolder,
    }),
  );
  // Imports write from a worker thread through a writer of their own; the dashboard hears of
  // both kinds of new events through one subscription.
  const imported = own(new vscode.EventEmitter<void>());
  const imports = own(
    new ImportGlue({
      extensionPath: context.extensionPath,
      storageDir,
      getSettings: () => settings,
      onDidImport: () => {
        statusBar.scheduleRefresh();
        imported.fire();
      },
      log: (message) => output.info(message),
    }),
  );
  const dashboard = own(
    registerDashboard(context, {
      loadRollup,
      storageDir,
      timeZone,
      getSettings: () => settings,
      ledgerWriter: {
        onDidAppend: (listener) => {
          const subscriptions = [ledger.onDidAppend(listener), imported.event(() => listener([]))];
          return { dispose: () => subscriptions.forEach((subscription) => subscription.dispose()) };
        },
        flush: () => ledger.flush(),
      },
      importSources: () => imports.lastSummary?.sources ?? [],
      log: (message) => output.info(message),
    }),
  );
  const watchBranches = setTimeout(() => void capture.watchBranches().catch(() => undefined), FIRST_IDLE_DELAY_MS);
  own({ dispose: () => clearTimeout(watchBranches) });
  const previews = own(new PreviewDocuments());
  const exportDeps = {
    globalState: context.globalState,
    storageDir,
    timeZone,
    secret,
    getSettings: () => settings,
    flush: () => ledger.flush(),
    previews,
    log: (message: string) => output.info(message),
  };
  const team = own(new TeamExportGlue({ ...exportDeps, firstCheckDelayMs: FIRST_IDLE_DELAY_MS }));
  const otlp = own(
    new OtlpExportGlue({
      ...exportDeps,
      secrets: context.secrets,
      extensionPath: context.extensionPath,
      extensionVersion: String(context.extension.packageJSON.version ?? ''),
      firstSendDelayMs: FIRST_IDLE_DELAY_MS,
    }),
  );
  const teamReport = own(new TeamReportGlue({ extensionPath: context.extensionPath, getSettings: () => settings, log: exportDeps.log }));
  onParts({ capture, imports, dashboard, team, teamReport, otlp });

  own(
    settingsSource.onDidChange((next) => {
      const importChanged = importSettings(next) !== importSettings(settings);
      const importTurnedOn = next['import.enabled'] && !settings['import.enabled'];
      settings = next;
      statusBar.setVisible(settings['statusBar.enabled']);
      capture.setEnabled(settings['capture.enabled']);
      if (importChanged) imports.watchLogFolders();
      if (importTurnedOn) void imports.runInBackground();
      otlp.applySettings();
    }),
  );

  output.info('Assay activated');
  onDeactivate = () => {
    capture.shutdown();
    // Synchronously first, in case the host ends the process before a promise settles; then
    // whatever an asynchronous write had in hand, which the host awaits when it can.
    ledger.flushSync();
    return ledger.flush();
  };

  return {
    storageDir,
    dashboard,
    teamExport: team,
    otlpExport: otlp,
    chatSessionsFolder: sessionsFolder,
    agentEditMatching: () => capture.agentEditMatching,
    flush: () => {
      capture.flushActivity();
      return ledger.flush();
    },
  };
}

/**
 * Where VS Code keeps this window's chat sessions: beside this extension's workspace storage folder
 * (`workspaceStorage/<workspace id>/chatSessions`), or for a window without a folder under the global storage
 * (`emptyWindowChatSessions`, which is the default profile's). microsoft/vscode chatSessionStore.ts at
 * 047238f9fe1b7661362b3f27cfbddd503339cb1b and extHostStoragePaths.ts at b3368f3a92165ef1c0024c911dc83b1c19a79b0f
 * (`storageUri` is `workspaceStorage/<workspace id>/<extension id>`). In a remote window the extension host's
 * folder is on the remote machine and the sessions on the local one: the folder is not found, nothing is matched.
 */
function chatSessionsFolder(context: vscode.ExtensionContext): string {
  return context.storageUri
    ? path.join(path.dirname(context.storageUri.fsPath), 'chatSessions')
    : path.join(path.dirname(context.globalStorageUri.fsPath), 'emptyWindowChatSessions');
}

function importSettings(settings: Settings): string {
  return JSON.stringify([settings['import.enabled'], settings['import.discover'], settings['import.folders']]);
}

export function deactivate(): Promise<void> | undefined {
  const finishing = onDeactivate?.();
  onDeactivate = undefined;
  return finishing;
}
