// When the status bar warns (docs/money.md, Limits and Budgets): a plan limit or a budget at 80 % or more is a
// warning, at 100 % or more it is over. The status bar shows it with a colour and a tooltip line, never a modal.
import type { BudgetStatus } from './budgets';
import { usageSourceName } from '../ledger/events';
import { fig, text, type RichText } from '../report/richText';
import type { LimitStatus } from './limits';

export type WarningLevel = 'ok' | 'warning' | 'over';

const WARN_AT = 0.8;
const OVER_AT = 1;

export function warningLevel(fraction: number): WarningLevel {
  if (fraction >= OVER_AT) return 'over';
  if (fraction >= WARN_AT) return 'warning';
  return 'ok';
}

export interface StatusBarWarning {
  /** The worst level of all limits and budgets. */
  level: WarningLevel;
  /** One tooltip line per limit or budget at `warning` or worse, worst first. */
  lines: RichText[];
}

const WINDOW_NAMES = { '5h': '5-hour', weekly: 'weekly', other: 'usage' } as const;
const RANK: Record<WarningLevel, number> = { ok: 0, warning: 1, over: 2 };

/** What the status bar should say about limits and budgets; reset times are written by `formatTime` (the editor's locale). */
export function statusBarWarning(
  limits: readonly LimitStatus[],
  budgets: readonly BudgetStatus[],
  formatTime: (epochMs: number) => string,
): StatusBarWarning {
  const entries: Array<{ level: WarningLevel; fraction: number; line: RichText }> = [];
  for (const limit of limits) {
    if (limit.usedPercent === null) continue;
    const fraction = limit.usedPercent / 100;
    const level = warningLevel(fraction);
    if (level === 'ok') continue;
    const resets = limit.resetsAt === null ? '' : `, resets ${formatTime(limit.resetsAt)}`;
    const which = limit.limit === 'plan' ? '' : ' (separate limit)';
    const name = `${usageSourceName(limit.source)} ${WINDOW_NAMES[limit.window]} limit${which}`;
    entries.push({ level, fraction, line: text`${name}: ${fig(fraction, 'percent')} used${resets}` });
  }
  for (const budget of budgets) {
    if (budget.level === 'ok') continue;
    const scope = budget.scope === 'overall' ? 'Monthly budget' : `${usageSourceName(budget.scope)} budget`;
    entries.push({
      level: budget.level,
      fraction: budget.progress,
      line: text`${scope}: ${fig(budget.spentUSD, 'usd')} of ${fig(budget.budgetUSD, 'usd')} (${fig(budget.progress, 'percent')})`,
    });
  }
  entries.sort((a, b) => RANK[b.level] - RANK[a.level] || b.fraction - a.fraction);
  return { level: entries[0]?.level ?? 'ok', lines: entries.map((entry) => entry.line) };
}
