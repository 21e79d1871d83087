// Editor glue for the status bar glance. Figures come from the ledger's daily rollup so they
// include today's earlier sessions and other windows, not only this window's memory.
import * as vscode from 'vscode';
import { OPEN_DASHBOARD_COMMAND } from '../commands';
import type { InlineRow } from '../report/rows';
import { formatStatusText, formatStatusTooltip, todayGlance } from './glance';

const REFRESH_DEBOUNCE_MS = 1_500;

export interface StatusBarOptions {
  /** Today's inline rows and today's date in the user's time zone. */
  loadToday(): Promise<{ rows: readonly InlineRow[]; today: string }>;
  checkpoints(): readonly number[];
}

export class AssayStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('assay.status', vscode.StatusBarAlignment.Right, 100);
  private refreshTimer: NodeJS.Timeout | undefined;
  private refreshing = false;

  constructor(private readonly options: StatusBarOptions) {
    this.item.name = 'Assay';
    this.item.command = OPEN_DASHBOARD_COMMAND;
    this.item.text = '$(sparkle) Assay';
    this.item.tooltip = 'Assay — open the dashboard';
  }

  setVisible(visible: boolean): void {
    if (visible) {
      this.item.show();
      this.scheduleRefresh();
    } else {
      this.item.hide();
    }
  }

  /** Coalesces bursts of accepts into one ledger read. */
  scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.refresh();
    }, REFRESH_DEBOUNCE_MS);
  }

  private async refresh(): Promise<void> {
    if (this.refreshing) return this.scheduleRefresh();
    this.refreshing = true;
    try {
      const { rows, today } = await this.options.loadToday();
      const glance = todayGlance(rows, today, this.options.checkpoints());
      this.item.text = formatStatusText(glance);
      this.item.tooltip = formatStatusTooltip(glance);
    } catch {
      // The glance is best effort: a ledger that cannot be read is reported by the dashboard.
    } finally {
      this.refreshing = false;
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.item.dispose();
  }
}
