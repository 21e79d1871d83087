// The dashboard's first look at a cold ledger: recent days from the worker, then the full figures.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { DashboardSource } from '../../../src/dashboard/source';
import { NO_FILTERS, type ViewModel, type WebviewState } from '../../../src/dashboard/protocol';
import { forgetRollupStates } from '../../../src/report/rollupCache';
import { rollupLoaderOffThread } from '../../../src/report/rollupOffThread';
import { parseSettings } from '../../../src/settings/schema';
import { Formatter } from '../../../src/report/format';
import { accept, eventLines, tempStorage, usage, writeSegment } from '../ledger/ledgerFixtures';

const WORKER = path.join(__dirname, '..', '..', '..', 'src', 'report', 'rollupWorker.js');
const NOW = Date.UTC(2024, 5, 30, 12);
const plain = (model: ViewModel) => model.notices.map((notice) => new Formatter('en-US').text(notice));

describe('dashboard source on a cold ledger', function () {
  this.timeout(30_000);

  it('shows the last 7 days first, saying so, then the whole range from the rebuilt rollup', async () => {
    forgetRollupStates();
    const storageDir = await tempStorage();
    await writeSegment(storageDir, '2024-06-01_00000001_1_aaaaaaaa.jsonl', eventLines([usage({ t: Date.UTC(2024, 5, 1, 9), model: 'claude-sonnet-4-5' })]));
    await writeSegment(storageDir, '2024-06-29_00000001_1_aaaaaaaa.jsonl', eventLines([accept({ t: Date.UTC(2024, 5, 29, 9), chars: 40 })]));
    const source = new DashboardSource({
      storageDir,
      timeZone: 'UTC',
      locale: 'en-US',
      getSettings: () => parseSettings({}),
      loadRollup: rollupLoaderOffThread(WORKER),
      now: () => NOW,
    });
    const firsts: ViewModel[] = [];
    const state: WebviewState = { version: 1, range: { preset: '30d' }, filters: NO_FILTERS, tables: [] };
    const full = await source.load(state, (model) => firsts.push(model));

    assert.equal(firsts.length, 1);
    const [first] = firsts;
    assert.equal(first.cards.find((card) => card.id === 'accepted')?.value, 1, 'the recent accept is there at once');
    assert.equal(first.cards.find((card) => card.id === 'token-spend')?.value, 0, 'June 1 is not read yet');
    assert.ok(plain(first).some((notice) => notice.startsWith('Showing 2024-06-24 onwards while Assay reads the rest')));
    assert.equal(full.cards.find((card) => card.id === 'accepted')?.value, 1);
    assert.ok((full.cards.find((card) => card.id === 'token-spend')?.value ?? 0) > 0, 'the full figures hold the older usage');
    assert.equal(plain(full).some((notice) => notice.startsWith('Showing')), false);

    const again: ViewModel[] = [];
    await source.load(state, (model) => again.push(model));
    assert.equal(again.length, 0, 'a warm load has no first look');
  });
});
