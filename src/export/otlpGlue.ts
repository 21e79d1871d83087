// Editor glue for the OpenTelemetry export (docs/privacy.md): off until `assay.otlp.enabled`, sends the
// daily rollup every `assay.otlp.intervalMinutes`, only to an endpoint and team whose preview the
// user has seen, with auth headers from SecretStorage. The SDK is in dist/otlp.js, required on the
// first preview or send, never at activation.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { loadDailyRollup } from '../report/rollupCache';
import { loadConfiguredPricer } from '../pricing/configuredPricer';
import { bundledPriceData } from '../pricing/priceData';
import { describeError } from '../privacy/errors';
import { opaqueId } from '../privacy/opaqueId';
import { localDate } from '../calendar/dates';
import { filterRollup, priceUsageRows } from '../report/rollup';
import type { Settings } from '../settings/schema';
import { updateSetting } from '../settings/settings';
import type * as OtlpModule from './otlp/index';
import { otlpLastSentRecord, readOtlpLastSent } from './otlp/sentSeries';
import { DEFAULT_OTLP_TIMEOUT_MS, otlpMetricsUrl, OtlpHeaders, parseOtlpHeaders, type OtlpTarget } from './otlp/target';
import type { PreviewDocuments } from './previewDocument';
import { otlpSendSince } from './exportDays';
import { ASKED, SeenPreviews } from './seenPreviews';

const HEADERS_SECRET_KEY = 'assay.otlp.headers';
/** The last successful send: its target's digest, its day and the series it sent other than 0 (otlp/sentSeries.ts). */
const LAST_SENT_KEY = 'assay.otlp.lastSent';

export interface OtlpExportDeps {
  globalState: vscode.Memento;
  secrets: vscode.SecretStorage;
  extensionPath: string;
  extensionVersion: string;
  storageDir: string;
  timeZone: string;
  /** The install secret: keys the instance id and the remembered previews. */
  secret: string;
  getSettings(): Settings;
  flush(): Promise<void>;
  previews: PreviewDocuments;
  log(message: string): void;
  /** Delay before the first send, so activation reads no ledger and loads no SDK. */
  firstSendDelayMs: number;
}

/** `needs-preview`: the preview was shown now, or was shown unasked and the interval it promised has not passed. */
export type OtlpSendOutcome = 'off' | 'not-configured' | 'needs-preview' | 'sent' | 'failed';

interface Prepared {
  target: OtlpTarget;
  /** The endpoint, the team and the metrics sent: what a preview is remembered for. */
  seenParts: string[];
  built: ReturnType<typeof OtlpModule.buildOtlpExport>;
  today: string;
}

export class OtlpExportGlue implements vscode.Disposable {
  private readonly seen: SeenPreviews;
  private timers: NodeJS.Timeout[] = [];
  private schedule = '';
  private warnedThisSession = false;
  private sending: Promise<OtlpSendOutcome> | undefined;

  constructor(private readonly deps: OtlpExportDeps) {
    this.seen = new SeenPreviews(deps.globalState, deps.secret, 'assay.otlp.previewed');
    this.applySettings();
  }

  /** Starts, restarts or stops the periodic send after a settings change. */
  applySettings(): void {
    const settings = this.deps.getSettings();
    const schedule = settings['otlp.enabled'] ? String(settings['otlp.intervalMinutes']) : '';
    if (schedule === this.schedule) return;
    this.schedule = schedule;
    this.stopTimers();
    if (!schedule) return;
    this.timers = [
      setTimeout(() => void this.send(), this.deps.firstSendDelayMs),
      setInterval(() => void this.send(), settings['otlp.intervalMinutes'] * 60_000),
    ];
  }

  /** Assay: Preview OpenTelemetry Export. Returns the text shown, or undefined. Asked for, so sending may follow at once. */
  async preview(): Promise<string | undefined> {
    const prepared = await this.prepare(true);
    if (!prepared) return undefined;
    return this.showPreview(prepared, ASKED);
  }

  /** Assay: Set OpenTelemetry Headers…: kept in SecretStorage, never in settings. */
  async setHeaders(): Promise<void> {
    const text = await vscode.window.showInputBox({
      title: 'OpenTelemetry headers',
      prompt: 'Headers sent with every export, as name=value pairs separated by commas (e.g. Authorization=Bearer …). Empty removes them.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => {
        try {
          parseOtlpHeaders(value);
          return undefined;
        } catch (error) {
          return describeError(error);
        }
      },
    });
    if (text === undefined) return;
    const headers = parseOtlpHeaders(text);
    try {
      await this.deps.secrets.store(HEADERS_SECRET_KEY, JSON.stringify(headers));
    } catch (error) {
      // Headers hold credentials: where there is no keychain they are not kept anywhere else.
      void vscode.window.showErrorMessage(`Assay could not keep the headers in the editor's secret storage (${describeError(error)}); nothing was stored.`);
      return;
    }
    const count = Object.keys(headers).length;
    void vscode.window.showInformationMessage(count === 0 ? 'Assay sends no OpenTelemetry headers now.' : `Assay stored ${count} OpenTelemetry header(s).`);
  }

  /** One send at a time; a send still running when the next is due is not doubled. */
  send(): Promise<OtlpSendOutcome> {
    this.sending ??= this.sendOnce().finally(() => (this.sending = undefined));
    return this.sending;
  }

  dispose(): void {
    this.stopTimers();
  }

  private async sendOnce(): Promise<OtlpSendOutcome> {
    if (!this.deps.getSettings()['otlp.enabled']) return 'off';
    // When this send was due: preparing the first one (loading the export code, a rollup) takes longer than the next.
    const checkedAt = Date.now();
    const prepared = await this.prepare(false);
    if (!prepared) return 'not-configured';
    // An unasked preview promised "from the next interval on", in every window: this one's next tick comes an interval
    // after its start, its first check (the preview) a little after that start.
    const waitMs = this.deps.getSettings()['otlp.intervalMinutes'] * 60_000 - this.deps.firstSendDelayMs;
    const readiness = this.seen.readiness(prepared.seenParts, checkedAt, waitMs);
    if (readiness === 'waiting') return 'needs-preview';
    if (readiness === 'unseen') {
      await this.showPreview(prepared, checkedAt);
      void vscode.window
        .showInformationMessage(
          `Assay: these are the metrics the OpenTelemetry export will send every ${this.deps.getSettings()['otlp.intervalMinutes']} minutes, from the next interval on.`,
          'Send Now',
          'Turn Off',
        )
        .then(async (choice) => {
          if (choice === 'Send Now') {
            await this.seen.add(prepared.seenParts, ASKED);
            void this.send();
          }
          if (choice === 'Turn Off') await updateSetting('otlp.enabled', false);
        })
        .then(undefined, (error: unknown) => this.deps.log(`OpenTelemetry: ${describeError(error)}`));
      return 'needs-preview';
    }
    const result = await this.module().sendOtlpMetrics(prepared.built.resourceMetrics, prepared.target);
    if (result.ok) {
      const { built } = prepared;
      await this.deps.globalState.update(LAST_SENT_KEY, otlpLastSentRecord(this.seen.idOf(prepared.seenParts), prepared.today, built.sentSeries, this.deps.secret));
      const zeroed = built.zeroed > 0 ? `, ${built.zeroed} of them 0 for series that fell to 0 since the last send` : '';
      this.deps.log(`OpenTelemetry export sent ${built.points} points${zeroed}.`);
      return 'sent';
    }
    const message = `OpenTelemetry export failed (${result.reason}); Assay tries again in ${this.deps.getSettings()['otlp.intervalMinutes']} minutes.`;
    this.deps.log(message);
    if (!this.warnedThisSession) {
      this.warnedThisSession = true;
      void vscode.window.showWarningMessage(`Assay: ${message}`);
    }
    return 'failed';
  }

  private async showPreview(prepared: Prepared, shownAt: number): Promise<string> {
    const text = this.module().otlpPreviewText(prepared.built.resourceMetrics, prepared.target);
    await this.deps.previews.show('Assay OpenTelemetry Preview.json', text, 'json');
    await this.seen.add(prepared.seenParts, shownAt);
    return text;
  }

  /** The request as it would be sent now, or undefined (the user told why when `interactive`, else the log). */
  private async prepare(interactive: boolean): Promise<Prepared | undefined> {
    const settings = this.deps.getSettings();
    const tell = (message: string) => {
      this.deps.log(message);
      if (interactive) void vscode.window.showWarningMessage(message);
    };
    if (!settings['otlp.endpoint']) {
      tell('Set assay.otlp.endpoint to the OpenTelemetry collector (e.g. https://collector.example.com:4318) first.');
      return undefined;
    }
    try {
      const url = otlpMetricsUrl(settings['otlp.endpoint']);
      const teamId = settings['otlp.teamId'];
      const seenParts = [url, teamId, ...this.module().otlpMetricsFormat()];
      const now = Date.now();
      const today = localDate(now, this.deps.timeZone);
      await this.deps.flush();
      const [loaded, { pricer }, headers] = await Promise.all([
        loadDailyRollup(this.deps.storageDir, { timeZone: this.deps.timeZone }),
        loadConfiguredPricer({ overrides: settings['pricing.overrides'], priceFile: settings['pricing.priceFile'] }),
        this.headers(),
      ]);
      const lastSent = readOtlpLastSent(this.deps.globalState.get<unknown>(LAST_SENT_KEY), this.seen.idOf(seenParts), this.deps.secret);
      // Read back from the editor's state: a day that is none (edited by hand, an older build) starts afresh.
      const since = otlpSendSince(lastSent.day, now, this.deps.timeZone);
      const days = filterRollup(loaded, { since, until: today });
      const built = this.module().buildOtlpExport({
        inline: days.inline,
        usage: priceUsageRows(days.usage, pricer),
        timeZone: this.deps.timeZone,
        now,
        resource: {
          serviceVersion: this.deps.extensionVersion,
          instanceId: opaqueId(this.deps.secret, `otlp instance\u0000${teamId}`),
          ...(teamId ? { teamId } : {}),
        },
        priceData: bundledPriceData(),
        sentBefore: { series: lastSent.series, since, until: today, authentic: lastSent.authentic },
      });
      if (built.skipped > 0) this.deps.log(`OpenTelemetry export left out ${built.skipped} values that were not valid counts.`);
      return { target: { url, headers, timeoutMs: DEFAULT_OTLP_TIMEOUT_MS }, seenParts, built, today };
    } catch (error) {
      tell(`Assay cannot prepare the OpenTelemetry export: ${describeError(error)}`);
      return undefined;
    }
  }

  private async headers(): Promise<OtlpHeaders> {
    const stored = await this.deps.secrets.get(HEADERS_SECRET_KEY);
    if (!stored) return {};
    let raw: unknown;
    try {
      raw = JSON.parse(stored);
    } catch {
      raw = undefined;
    }
    const parsed = OtlpHeaders.safeParse(raw);
    if (parsed.success) return parsed.data;
    this.deps.log('The stored OpenTelemetry headers are not valid and are not sent: set them again.');
    return {};
  }

  private module(): typeof OtlpModule {
    // A separate bundle required on first use, so the OpenTelemetry SDK costs nothing at activation.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(path.join(this.deps.extensionPath, 'dist', 'otlp.js')) as typeof OtlpModule;
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers = [];
  }
}
