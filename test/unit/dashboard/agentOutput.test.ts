import * as assert from 'node:assert/strict';
import { buildViewModel } from '../../../src/dashboard/viewModel';
import type { ViewModel } from '../../../src/dashboard/protocol';
import { economics, inlineRow, input, plain, usageRow } from './fixtures';

const card = (model: ViewModel, id: string) => {
  const found = model.cards.find((c) => c.id === id);
  assert.ok(found, id);
  return found;
};
const series = (model: ViewModel, chartId: string, label: string) => model.charts.find((c) => c.id === chartId)?.series.find((s) => s.label === label)?.values;

describe('dashboard: agent output', () => {
  const measured = usageRow('2024-03-09', {
    costUSD: 6,
    agentEdits: 3,
    linesAdded: 40,
    linesRemoved: 5,
    agentRetention: { '3600': { known: 3, linesAdded: 40, linesKept: 36 }, '86400': { known: 2, linesAdded: 30, linesKept: 24 } },
    wasteTokens: 1_500,
  });
  const notYetMeasured = usageRow('2024-03-10', { costUSD: 9, agentEdits: 1, linesAdded: 10, linesRemoved: 0 });

  it('shows agent lines in lines beside inline characters, never added together', () => {
    const model = buildViewModel(input({ usage: [measured, notYetMeasured], inline: [inlineRow('2024-03-10', { aiChars: 500, acceptedChars: 500 })] }));
    const lines = card(model, 'agent-lines');
    assert.equal(lines.value, 50);
    assert.equal(plain(lines.detail), 'Lines, not characters: 5 removed. 80% kept a day later, of 2 edits measured');
    assert.equal(card(model, 'accepted').value, 0, 'inline accepts are their own card');
  });

  it('divides the token cost of measured days by the lines kept a day later, and names the waste', () => {
    const model = buildViewModel(input({ usage: [measured, notYetMeasured] }));
    const cost = card(model, 'agent-cost-per-line');
    assert.equal(cost.value, 6 / 24, 'the day still waiting for its checkpoint adds neither cost nor lines');
    assert.match(plain(cost.detail), /÷ 24 lines kept a day later; 1\.5K tokens went to responses whose edits kept nothing$/);
  });

  it('draws kept share at 1 h, 1 day and 7 days from measured edits only', () => {
    const model = buildViewModel(input({ usage: [measured, notYetMeasured] }));
    assert.deepEqual(series(model, 'agent-retention', 'Kept share'), [36 / 40, 24 / 30, null]);
    assert.deepEqual(series(model, 'agent-lines', 'Lines added')?.slice(-2), [40, 10]);
    assert.deepEqual(series(model, 'agent-by-model', 'Cost per kept line'), [6 / 24]);
  });

  it('explains an empty section and has no cost per kept line without measured edits', () => {
    const model = buildViewModel(input({ economics, usage: [usageRow('2024-03-10')] }));
    assert.equal(card(model, 'agent-cost-per-line').value, null);
    assert.match(model.charts.find((c) => c.id === 'agent-lines')?.empty ?? '', /No file edits by agents in this range/);
  });
});
