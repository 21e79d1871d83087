// The status bar's part of the money warnings (docs/money.md, Warnings): colour and tooltip from the levels the
// money core gives for budgets and limits at 80 % and 100 %.
import * as assert from 'node:assert/strict';
import type { BudgetStatus } from '../../../src/money/budgets';
import type { LimitStatus } from '../../../src/money/limits';
import { statusBarWarning } from '../../../src/money/warnings';
import { moneyStatusView } from '../../../src/status/moneyStatus';
import { Formatter } from '../../../src/report/format';

const format = new Formatter('en-US');
const view = (limits: LimitStatus[], budgets: BudgetStatus[] = []) =>
  moneyStatusView(statusBarWarning(limits, budgets, () => 'Mon 3:00 PM'), (text) => format.text(text));

function codex5h(usedPercent: number): LimitStatus {
  return { source: 'codex', limit: 'plan', window: '5h', windowMinutes: 300, usedPercent, resetsAt: 1, observedAt: 0 };
}

describe('status bar money warning', () => {
  it('leaves the status bar as it is below 80 %', () => {
    assert.deepEqual(view([codex5h(79.9)]), { background: undefined, icon: '', tooltip: [] });
  });

  it('turns the item to the warning colour at 80 % and says which limit, how full and when it resets', () => {
    const shown = view([codex5h(80)]);
    assert.equal(shown.background, 'statusBarItem.warningBackground');
    assert.equal(shown.icon, '$(warning) ');
    assert.deepEqual(shown.tooltip, ['Near a limit or budget:', '• Codex 5-hour limit: 80% used, resets Mon 3:00 PM']);
  });

  it('turns it to the error colour at 100 %, the worst line first', () => {
    const budget = { scope: 'overall', spentUSD: 310, budgetUSD: 300, progress: 310 / 300, level: 'over' } as BudgetStatus;
    const shown = view([codex5h(85)], [budget]);
    assert.equal(shown.background, 'statusBarItem.errorBackground');
    assert.equal(shown.icon, '$(error) ');
    assert.equal(shown.tooltip[1], '• Monthly budget: $310.00 of $300.00 (103.3%)');
    assert.equal(shown.tooltip[2], '• Codex 5-hour limit: 85% used, resets Mon 3:00 PM');
  });
});
