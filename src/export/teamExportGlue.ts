// Editor glue for team summaries (docs/privacy.md): Preview shows the exact bytes, Export writes
// them, and the optional daily export writes only to a folder and key whose preview the user has
// seen. The summary itself is src/team/summaryFiles.ts, shared with `assay team export`.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadConfiguredPricer } from '../pricing/configuredPricer';
import { resolveSeats } from '../pricing/seats';
import { describeError } from '../privacy/errors';
import { isCalendarDate } from '../calendar/dates';
import type { Settings } from '../settings/schema';
import { updateSetting } from '../settings/settings';
import { summaryFileName } from '../team/summary';
import { SUMMARY_SCHEMA_VERSION } from '../team/summarySchema';
import { personalKeyNote, prepareTeamSummary, readTeamKeyFile, writeTeamSummaryFile, type PreparedTeamSummary } from '../team/summaryFiles';
import type { PreviewDocuments } from './previewDocument';
import { dailyExportRange } from './exportDays';
import { ASKED, SeenPreviews } from './seenPreviews';

/** Export writes what Preview showed when the preview is this recent; otherwise it shows the new bytes first. */
const PREVIEW_REUSE_MS = 10 * 60_000;
/** How often the daily export checks whether today's file is written. */
const AUTO_EXPORT_CHECK_MS = 60 * 60_000;
const LAST_AUTO_EXPORT_KEY = 'assay.team.lastAutoExport';

export interface TeamExportDeps {
  globalState: vscode.Memento;
  storageDir: string;
  timeZone: string;
  /** The install secret: keys the remembered previews. */
  secret: string;
  getSettings(): Settings;
  /** Writes this window's buffered events, so the summary has them. */
  flush(): Promise<void>;
  previews: PreviewDocuments;
  log(message: string): void;
  /** Delay before the first daily-export check, so activation reads no ledger. */
  firstCheckDelayMs: number;
}

/** Where a summary goes and under which key: what a preview is remembered for. */
interface Target {
  folder: string;
  /** Null: the personal key (one's own machines, no team). */
  teamKey: string | null;
}

export type AutoExportOutcome = 'off' | 'not-configured' | 'needs-preview' | 'already-today' | 'written' | 'failed';

interface LastAutoExport {
  /** SeenPreviews.idOf the target: the state holds no folder path and no key. */
  seen: string;
  day: string;
  since: string;
  until: string;
}

export class TeamExportGlue implements vscode.Disposable {
  private readonly seen: SeenPreviews;
  private lastPreview: { target: Target; summary: PreparedTeamSummary; at: number } | undefined;
  private readonly timers: NodeJS.Timeout[] = [];
  private running: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: TeamExportDeps) {
    this.seen = new SeenPreviews(deps.globalState, deps.secret, 'assay.team.previewed');
    this.timers.push(
      setTimeout(() => void this.autoExport(), deps.firstCheckDelayMs),
      setInterval(() => void this.autoExport(), AUTO_EXPORT_CHECK_MS),
    );
  }

  /** Assay: Preview Team Summary. Returns the bytes shown (for tests), or undefined when nothing could be shown. */
  preview(): Promise<string | undefined> {
    return this.serialized(async () => {
      const target = await this.target(true);
      if (!target) return undefined;
      const summary = await this.prepare(target);
      if (!summary) return undefined;
      await this.showPreview(target, summary, ASKED);
      return summary.bytes;
    });
  }

  /** Assay: Export Team Summary. Returns the written file's path, or undefined. */
  export(): Promise<string | undefined> {
    return this.serialized(async () => {
      const target = await this.target(true);
      if (!target) return undefined;
      let summary: PreparedTeamSummary | undefined;
      const recent = this.lastPreview;
      if (recent && sameTarget(recent.target, target) && Date.now() - recent.at < PREVIEW_REUSE_MS) {
        summary = recent.summary;
      } else {
        summary = await this.prepare(target);
        if (!summary) return undefined;
        await this.showPreview(target, summary, ASKED);
        const choice = await vscode.window.showInformationMessage(
          'Write this team summary (shown in the editor) to the team folder?',
          { modal: true, ...(target.teamKey === null ? { detail: personalKeyNote('assay.team.keyFile') } : {}) },
          'Export',
        );
        if (choice !== 'Export') return undefined;
      }
      const written = await this.write(target, summary);
      if (written) {
        void vscode.window
          .showInformationMessage(`Assay wrote ${summary.fileName} to ${target.folder}.`, 'Reveal in File Explorer')
          .then((choice) => choice && vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(written)));
      }
      return written;
    });
  }

  /**
   * The daily export: the days of dailyExportRange, once a day, replacing the file it wrote earlier for the same
   * first day. Never writes to a target whose preview the user has not seen: it shows the preview instead, and writes
   * from the next check on.
   */
  autoExport(): Promise<AutoExportOutcome> {
    return this.serialized(async (): Promise<AutoExportOutcome> => {
      if (!this.deps.getSettings()['team.autoExport']) return 'off';
      // When this check was due: what it may take before the preview (a rollup to load) must not count against the wait.
      const checkedAt = Date.now();
      const target = await this.target(false);
      if (!target) return 'not-configured';
      // An unasked preview promised "from the next check on", in every window: this one's next check comes an hour
      // after its start, its first one (the preview) a little after that start.
      const readiness = this.seen.readiness(targetParts(target), checkedAt, AUTO_EXPORT_CHECK_MS - this.deps.firstCheckDelayMs);
      if (readiness === 'waiting') return 'needs-preview';
      if (readiness === 'unseen') {
        const summary = await this.prepare(target);
        if (!summary) return 'failed';
        await this.showPreview(target, summary, checkedAt);
        void vscode.window
          .showInformationMessage(
            `Assay: this is the team summary the daily export will write to the team folder, from the next check on (within the hour).${target.teamKey === null ? ` ${personalKeyNote('assay.team.keyFile')}` : ''}`,
            'Turn Off Daily Export',
          )
          .then((choice) => choice && updateSetting('team.autoExport', false))
          .then(undefined, (error: unknown) => this.deps.log(`Team export: ${describeError(error)}`));
        return 'needs-preview';
      }
      const seenId = this.seen.idOf(targetParts(target));
      const last = this.lastAutoExport();
      const { since, until: today } = dailyExportRange(Date.now(), this.deps.timeZone, last?.seen === seenId ? last.day : undefined);
      if (last?.seen === seenId && last.day === today) return 'already-today';
      const summary = await this.prepare(target, since, today);
      if (!summary) return 'failed';
      const written = await this.write(target, summary, false);
      if (!written) return 'failed';
      if (last?.seen === seenId && last.since === since && last.until < summary.until) {
        // The new file covers every day of this developer's file it replaces (not when today went back: a clock set back).
        const replaced = summaryFileName(summary.developerId, last.since, last.until);
        await fs.rm(path.join(target.folder, replaced), { force: true }).catch(() => undefined);
      }
      const done: LastAutoExport = { seen: seenId, day: today, since, until: summary.until };
      await this.deps.globalState.update(LAST_AUTO_EXPORT_KEY, done);
      this.deps.log(`Team summary exported (${summary.since} to ${summary.until}).`);
      return 'written';
    });
  }

  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
  }

  private async showPreview(target: Target, summary: PreparedTeamSummary, shownAt: number): Promise<void> {
    await this.deps.previews.show(`Assay Team Summary Preview (${summary.fileName})`, summary.bytes, 'jsonl');
    await this.seen.add(targetParts(target), shownAt);
    this.lastPreview = { target, summary, at: Date.now() };
  }

  /** The configured folder and key, or undefined (and, when `interactive`, the user told why). */
  private async target(interactive: boolean): Promise<Target | undefined> {
    const settings = this.deps.getSettings();
    const folder = settings['team.exportFolder'];
    const tell = (message: string, ...actions: string[]) => {
      if (interactive) return vscode.window.showWarningMessage(message, ...actions);
      this.deps.log(message);
      return Promise.resolve(undefined);
    };
    if (!folder) {
      const choice = await tell('Set assay.team.exportFolder to the team folder first.', 'Open Settings');
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'assay.team');
      return undefined;
    }
    const isFolder = await fs.stat(folder).then((stat) => stat.isDirectory(), () => false);
    if (!path.isAbsolute(folder) || !isFolder) {
      await tell('assay.team.exportFolder is not an existing folder (give its full path).');
      return undefined;
    }
    const keyFile = settings['team.keyFile'];
    if (!keyFile) return { folder, teamKey: null };
    try {
      return { folder, teamKey: await readTeamKeyFile(keyFile) };
    } catch (error) {
      await tell(`The team key file in assay.team.keyFile could not be read (${describeError(error)}).`);
      return undefined;
    }
  }

  private async prepare(target: Target, since?: string, until?: string): Promise<PreparedTeamSummary | undefined> {
    const settings = this.deps.getSettings();
    try {
      await this.deps.flush();
      const { pricer } = await loadConfiguredPricer({ overrides: settings['pricing.overrides'], priceFile: settings['pricing.priceFile'] });
      return await prepareTeamSummary({
        storageDir: this.deps.storageDir,
        teamKey: target.teamKey,
        pricer,
        seats: resolveSeats(settings.seats).seats,
        timeZone: this.deps.timeZone,
        since,
        until,
      });
    } catch (error) {
      const message = `Assay could not build the team summary (${describeError(error)}).`;
      this.deps.log(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  private async write(target: Target, summary: PreparedTeamSummary, interactive = true): Promise<string | undefined> {
    try {
      return await writeTeamSummaryFile(target.folder, summary.fileName, summary.bytes);
    } catch (error) {
      const message = `Assay could not write the team summary to the team folder (${describeError(error)}).`;
      this.deps.log(message);
      if (interactive) void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  private lastAutoExport(): LastAutoExport | undefined {
    const stored = this.deps.globalState.get<Partial<LastAutoExport>>(LAST_AUTO_EXPORT_KEY);
    const dates = [stored?.day, stored?.since, stored?.until];
    const valid = typeof stored?.seen === 'string' && dates.every((date) => typeof date === 'string' && isCalendarDate(date));
    return valid ? (stored as LastAutoExport) : undefined;
  }

  /** One command or check at a time: a daily export and a click on Export never write at once. */
  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const next = this.running.then(work, work);
    this.running = next.catch(() => undefined);
    return next;
  }
}

/** The folder, the key and the summary's format version: a release that writes another format shows its preview first. */
function targetParts(target: Target): string[] {
  return [path.resolve(target.folder), target.teamKey ?? '', `schema ${SUMMARY_SCHEMA_VERSION}`];
}

function sameTarget(a: Target, b: Target): boolean {
  return targetParts(a).join('\u0000') === targetParts(b).join('\u0000');
}
