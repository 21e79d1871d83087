// The dashboard's "Unpriced models": every model of the range whose tokens have no price, with its tokens, and the
// spend never silently low; a price file or an override loaded later prices the same ledger rows (prices apply at
// report time), so the model leaves the list.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { DashboardSource } from '../../../src/dashboard/source';
import { NO_FILTERS, type TableSpec, type ViewModel, type WebviewState } from '../../../src/dashboard/protocol';
import { buildViewModel } from '../../../src/dashboard/viewModel';
import { forgetRollupStates } from '../../../src/report/rollupCache';
import { parseSettings } from '../../../src/settings/schema';
import { Formatter } from '../../../src/report/format';
import { eventLines, tempStorage, usage, writeSegment } from '../ledger/ledgerFixtures';
import { economics, input, usageRow } from './fixtures';

const table = (model: ViewModel): TableSpec => {
  const found = model.tables.find((t) => t.id === 'unpriced-models');
  assert.ok(found, 'no unpriced-models table');
  return found;
};
const detail = (model: ViewModel, id: string) => new Formatter('en-US').text(model.cards.find((c) => c.id === id)?.detail ?? []);

describe('dashboard: unpriced models', () => {
  it('lists each unpriced model and source with its tokens and responses, most tokens first, and no priced model', () => {
    const model = buildViewModel(
      input({
        usage: [
          usageRow('2024-03-09', { model: 'small-new', costUSD: null, inputTokens: 10, outputTokens: 5, cacheReadTokens: 0, requests: 1 }),
          usageRow('2024-03-10', { model: 'big-new', costUSD: null, inputTokens: 1_000, outputTokens: 200, cacheReadTokens: 5_000, cacheWriteTokens: 300, requests: 2 }),
          usageRow('2024-03-09', { model: 'big-new', costUSD: null, inputTokens: 500, outputTokens: 100, requests: 1 }),
          usageRow('2024-03-10', { model: 'big-new', source: 'codex', costUSD: null, inputTokens: 50, outputTokens: 50, requests: 1 }),
          usageRow('2024-03-10', { model: 'claude-sonnet-4', costUSD: 3, inputTokens: 1e6, outputTokens: 1e6 }),
        ],
      }),
    );
    const spec = table(model);
    assert.equal(spec.section, 'usage');
    assert.equal(spec.empty, null);
    assert.deepEqual(spec.columns.map((c) => c.label), ['Model', 'Source', 'Input', 'Output', 'Cache read', 'Cache write', 'Agent responses']);
    assert.deepEqual(spec.rows, [
      ['big-new', 'claude-code', 1_500, 300, 5_000, 300, 3],
      ['big-new', 'codex', 50, 50, 0, 0, 1],
      ['small-new', 'claude-code', 10, 5, 0, 0, 1],
    ]);
    assert.deepEqual(spec.action, { label: 'Load price file…', action: 'loadPriceFile' });
  });

  it('leaves out rows whose requests logged no tokens (no tokens to price) and says so when everything is priced', () => {
    const model = buildViewModel(
      input({
        usage: [
          usageRow('2024-03-10', { model: 'gpt-4.1', costUSD: null, requests: 3, requestsWithoutTokens: 3, inputTokens: 0, outputTokens: 0 }),
          usageRow('2024-03-10', { costUSD: 2 }),
        ],
      }),
    );
    const spec = table(model);
    assert.deepEqual(spec.rows, []);
    assert.equal(spec.empty, 'Every model in this range has a price.');
    assert.equal(spec.action, undefined, 'no price file to load for nothing');
  });

  it('with no usage at all, says what the other usage charts say', () => {
    const model = buildViewModel(input());
    const byModel = model.charts.find((c) => c.id === 'by-model');
    assert.ok(byModel?.empty);
    assert.equal(table(model).empty, byModel.empty);
  });

  it('says that "other" cannot be priced by a price file', () => {
    const model = buildViewModel(input({ usage: [usageRow('2024-03-10', { model: 'other', costUSD: null })] }));
    assert.match(table(model).description, /"other" holds model names Assay does not keep/);
    const priced = buildViewModel(input({ usage: [usageRow('2024-03-10', { model: 'mystery', costUSD: null })] }));
    assert.doesNotMatch(table(priced).description, /"other"/);
  });

  it('the spend card names the unpriced tokens it leaves out, but not those a flat plan covers', () => {
    const rows = [
      usageRow('2024-03-10', { model: 'mystery', source: 'codex', costUSD: null, inputTokens: 40_000, outputTokens: 2_000 }),
      usageRow('2024-03-10', { model: 'mystery', source: 'claude-code', costUSD: null, inputTokens: 1_000, outputTokens: 0 }),
      usageRow('2024-03-10', { costUSD: 2 }),
    ];
    const model = buildViewModel(input({ usage: rows, economics: { ...economics, planCoveredSources: new Set(['claude-code']) } }));
    assert.equal(detail(model, 'total-cost'), 'Seats $0.00 + tokens billed by use $0.00; not counted: 42K tokens on unpriced models');
    assert.match(detail(model, 'token-spend'), /; 43K tokens in 2 responses have no price and are not in it$/);

    const allPriced = buildViewModel(input({ usage: [usageRow('2024-03-10', { costUSD: 2 })] }));
    assert.doesNotMatch(detail(allPriced, 'total-cost'), /not counted/);
  });
});

describe('dashboard: a price arriving later prices old usage', function () {
  this.timeout(30_000);
  const NOW = Date.UTC(2024, 5, 30, 12);
  const state: WebviewState = { version: 1, range: { preset: '30d' }, filters: NO_FILTERS, tables: [] };

  async function ledgerWithUnknownModel(): Promise<string> {
    forgetRollupStates();
    const storageDir = await tempStorage();
    await writeSegment(
      storageDir,
      '2024-06-20_00000001_1_aaaaaaaa.jsonl',
      eventLines([
        usage({ t: Date.UTC(2024, 5, 20, 9), model: 'acme-coder-9', inputTokens: 1_000_000, outputTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0 }),
        usage({ t: Date.UTC(2024, 5, 20, 10), model: 'claude-sonnet-4-5' }),
      ]),
    );
    return storageDir;
  }

  function source(storageDir: string, settings: () => ReturnType<typeof parseSettings>): DashboardSource {
    return new DashboardSource({ storageDir, timeZone: 'UTC', locale: 'en-US', getSettings: settings, now: () => NOW });
  }

  it('an override in settings takes the model off the list and adds its cost to the spend', async () => {
    const storageDir = await ledgerWithUnknownModel();
    let settings = parseSettings({});
    const dashboard = source(storageDir, () => settings);
    const before = await dashboard.load(state);
    assert.deepEqual(table(before).rows.map((row) => row[0]), ['acme-coder-9']);
    const spendBefore = before.cards.find((c) => c.id === 'token-spend')?.value ?? NaN;

    settings = parseSettings({ 'pricing.overrides': { 'acme-coder-9': { inputPerMTok: 5, outputPerMTok: 10 } } });
    const after = await dashboard.load(state);
    assert.deepEqual(table(after).rows, []);
    assert.equal(table(after).empty, 'Every model in this range has a price.');
    assert.ok(Math.abs((after.cards.find((c) => c.id === 'token-spend')?.value ?? NaN) - (spendBefore + 5)) < 1e-9);
  });

  it('a price file set after the import prices the same rows', async () => {
    const storageDir = await ledgerWithUnknownModel();
    const priceFile = path.join(storageDir, 'prices.json');
    await fs.writeFile(priceFile, JSON.stringify({ 'acme-coder-9': { input_cost_per_token: 2e-6, output_cost_per_token: 4e-6 } }));
    let settings = parseSettings({});
    const dashboard = source(storageDir, () => settings);
    assert.equal(table(await dashboard.load(state)).rows.length, 1);
    settings = parseSettings({ 'pricing.priceFile': priceFile });
    assert.deepEqual(table(await dashboard.load(state)).rows, []);
  });
});
