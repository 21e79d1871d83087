// Editor glue for the status bar glance. Figures come from the ledger's daily rollup so they
// include today's earlier sessions and other windows, not only this window's memory.
import * as vscode from 'vscode';
import { OPEN_DASHBOARD_COMMAND } from '../commands';
import type { InlineRow } from '../report/rows';
import type { StatusBarWarning } from '../money/warnings';
import { Formatter } from '../report/format';
import { formatStatusText, formatStatusTooltip, todayGlance } from './glance';
import { moneyStatusView } from './moneyStatus';

/**
 * A refresh reads the ledger's rollup on the extension host's thread: at most one per interval,
 * however fast accepts come, and the first only once the editor has settled (docs/architecture.md, Performance budgets).
 */
const MIN_REFRESH_INTERVAL_MS = 10_000;
/** Typing alone, other windows and midnight change the figures too: a slow refresh catches those. */
const PERIODIC_REFRESH_MS = 60_000;

export interface StatusBarOptions {
  /** Delay before the first read of the ledger. */
  firstRefreshDelayMs: number;
  /** Today's inline rows and today's date in the user's time zone. */
  loadToday(): Promise<{ rows: readonly InlineRow[]; today: string }>;
  checkpoints(): readonly number[];
  /** Plan limits and budgets at 80 % or more (src/money/warnings.ts); none until the dashboard's source exists. */
  loadMoneyWarning?(): Promise<StatusBarWarning | undefined>;
}

export class AssayStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('assay.status', vscode.StatusBarAlignment.Right, 100);
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing = false;
  private visible = false;
  private nextRefreshAt: number;
  private readonly periodic: NodeJS.Timeout;
  /**
   * Budgets and limits move slowly, and checking them reads the last two days of segments: they are
   * checked at most once per periodic interval, not on every refresh an accept asks for.
   */
  private warning: StatusBarWarning | undefined;
  private warningCheckedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: StatusBarOptions) {
    this.item.name = 'Assay';
    this.item.command = OPEN_DASHBOARD_COMMAND;
    this.item.text = '$(sparkle) Assay';
    this.item.tooltip = 'Assay — open the dashboard';
    this.nextRefreshAt = Date.now() + options.firstRefreshDelayMs;
    this.periodic = setInterval(() => this.scheduleRefresh(), PERIODIC_REFRESH_MS);
  }

  setVisible(visible: boolean): void {
    this.visible = visible;
    if (visible) {
      this.item.show();
      this.scheduleRefresh();
    } else {
      this.item.hide();
    }
  }

  /** Coalesces bursts of accepts into one ledger read; nothing is read while the item is hidden. */
  scheduleRefresh(): void {
    if (this.refreshTimer || !this.visible) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.nextRefreshAt = Date.now() + MIN_REFRESH_INTERVAL_MS;
      void this.refresh();
    }, Math.max(0, this.nextRefreshAt - Date.now()));
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) return this.scheduleRefresh();
    this.refreshing = true;
    try {
      const { rows, today } = await this.options.loadToday();
      const glance = todayGlance(rows, today, this.options.checkpoints());
      if (Date.now() - this.warningCheckedAt >= PERIODIC_REFRESH_MS) {
        this.warningCheckedAt = Date.now();
        this.warning = await this.options.loadMoneyWarning?.().catch(() => undefined);
      }
      const { warning } = this;
      const format = new Formatter(vscode.env.language);
      const money = moneyStatusView(warning ?? { level: 'ok', lines: [] }, (text) => format.text(text));
      this.item.text = `${money.icon}${formatStatusText(glance)}`;
      this.item.tooltip = [formatStatusTooltip(glance), ...(money.tooltip.length > 0 ? ['', ...money.tooltip] : [])].join('\n');
      this.item.backgroundColor = money.background === undefined ? undefined : new vscode.ThemeColor(money.background);
    } catch {
      // The glance is best effort: a ledger that cannot be read is reported by the dashboard.
    } finally {
      this.refreshing = false;
    }
  }

  dispose(): void {
    clearInterval(this.periodic);
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.item.dispose();
  }
}
