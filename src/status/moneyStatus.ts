// How the status bar shows a plan limit or a budget at 80 % or more (docs/money.md, Warnings): a warning or error
// background and one tooltip line each, never a dialog. The levels and lines come from the money core
// (src/money/warnings.ts); this turns them into what the status bar item takes. No `vscode` import.
import type { RichText } from '../report/richText';
import type { StatusBarWarning } from '../money/warnings';

/** The theme colours VS Code allows as a status bar item's background. */
const BACKGROUNDS = { ok: undefined, warning: 'statusBarItem.warningBackground', over: 'statusBarItem.errorBackground' } as const;

export interface MoneyStatusView {
  /** A theme colour id for the item's background, or undefined for the default. */
  background: (typeof BACKGROUNDS)[keyof typeof BACKGROUNDS];
  /** Codicon before the glance: nothing when all is well. */
  icon: '' | '$(warning) ' | '$(error) ';
  /** Tooltip lines, worst first, with a heading; empty when nothing is near a limit or budget. */
  tooltip: string[];
}

export function moneyStatusView(warning: StatusBarWarning, formatText: (text: RichText) => string): MoneyStatusView {
  if (warning.level === 'ok') return { background: undefined, icon: '', tooltip: [] };
  return {
    background: BACKGROUNDS[warning.level],
    icon: warning.level === 'over' ? '$(error) ' : '$(warning) ',
    tooltip: [warning.level === 'over' ? 'Over a limit or budget:' : 'Near a limit or budget:', ...warning.lines.map((line) => `• ${formatText(line)}`)],
  };
}
