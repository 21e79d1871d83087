import * as assert from 'node:assert/strict';
import type { ChartSection } from '../../../src/dashboard/protocol';
import { buildViewModel } from '../../../src/dashboard/viewModel';
import { emptyNotes, gettingStartedSteps, ledgerIsEmpty, nothingToShow, sectionInfo, sectionInsertIndex } from '../../../src/webview/sections';
import { input, usageRow } from '../dashboard/fixtures';

describe('dashboard sections', () => {
  it('titles the sections it knows, and makes a heading from the id of one it does not', () => {
    assert.equal(sectionInfo('usage').title, 'Agent and chat usage');
    assert.equal(sectionInfo('agentOutput').title, 'Agent output');
    assert.equal(sectionInfo('teamPulse').title, 'Team pulse');
    assert.equal(sectionInfo('budget-limits').title, 'Budget limits');
    assert.equal(sectionInfo('teamPulse').offersImport, false);
  });

  it('keeps the known sections in their order and puts new ones after them, in arrival order', () => {
    assert.equal(sectionInsertIndex('inline', ['usage', 'economics']), 0);
    assert.equal(sectionInsertIndex('usage', ['inline', 'economics']), 1);
    assert.equal(sectionInsertIndex('findings', ['inline', 'usage', 'economics']), -1);
    // The money sections have their places too, whichever arrives first.
    assert.equal(sectionInsertIndex('limits', ['inline', 'findings']), 1);
    assert.equal(sectionInsertIndex('plans', ['economics', 'budgets', 'limits']), 1);
    // A section the page does not know goes after every known one, and after those that came before it.
    assert.equal(sectionInsertIndex('forecast', ['inline', 'findings']), -1);
    assert.equal(sectionInsertIndex('economics', ['inline', 'forecast']), 1);
    assert.equal(sectionInsertIndex('team', ['inline', 'forecast']), -1);
  });

  it('says each reason for empty charts once, naming the charts it stands for', () => {
    const notes = emptyNotes([
      { title: 'By source', empty: 'No usage.' },
      { title: 'By model', empty: 'No usage.' },
      { title: 'Cost', empty: null },
      { title: 'Cost and value', empty: 'No cost.' },
    ]);
    assert.deepEqual(notes, [
      { message: 'No usage.', titles: ['By source', 'By model'] },
      { message: 'No cost.', titles: ['Cost and value'] },
    ]);
  });

  it('knows an empty view from an empty ledger only when the range is all time and nothing is filtered', () => {
    const emptyWeek = buildViewModel(input({ range: { preset: '7d' } }));
    assert.equal(nothingToShow(emptyWeek), true);
    assert.equal(ledgerIsEmpty(emptyWeek), false);
    const emptyLedger = buildViewModel(input({ range: { preset: 'all' } }));
    assert.equal(ledgerIsEmpty(emptyLedger), true);
    const filtered = buildViewModel(input({ range: { preset: 'all' }, filters: { languageId: 'rust', provider: null, source: null } }));
    assert.equal(nothingToShow(filtered), true);
    assert.equal(ledgerIsEmpty(filtered), false);
    const someUsage = buildViewModel(input({ usage: [usageRow('2024-03-10')], range: { preset: 'all' } }));
    assert.equal(nothingToShow(someUsage), false);
  });

  it('gives the getting-started panel one line per section, none repeating another', () => {
    const model = buildViewModel(input());
    const steps = gettingStartedSteps(model);
    assert.deepEqual(
      steps.map((step) => step.section),
      [...new Set([...model.charts, ...model.tables].map((item) => item.section))],
    );
    assert.equal(new Set(steps.map((step) => step.message)).size, steps.length);
    for (const step of steps) assert.ok([...model.charts, ...model.tables].some((item) => item.empty === step.message));
  });

  it('puts a section it does not know after the known ones in the getting-started panel', () => {
    const model = buildViewModel(input());
    const extra = { ...model.tables[0], id: 'forecast', section: 'forecast' as ChartSection, empty: 'No forecast yet.' };
    const steps = gettingStartedSteps({ charts: model.charts, tables: [extra, ...model.tables] });
    assert.deepEqual(steps.at(-1), { section: 'forecast', title: 'Forecast', message: 'No forecast yet.' });
  });
});
