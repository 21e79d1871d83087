// "Agent logs found": every source of the import's table, found or not, with the folders it looks in.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { existingFolders, foldersBySource, importSourceStatuses, withHomeAsTilde } from '../../../src/dashboard/importSources';
import { DashboardSource } from '../../../src/dashboard/source';
import { NO_FILTERS, type WebviewState } from '../../../src/dashboard/protocol';
import { LOG_LOCATIONS, type DiscoveryContext } from '../../../src/importers/discovery';
import { UsageSource } from '../../../src/ledger/events';
import { loadDailyRollup } from '../../../src/report/rollupCache';
import type { RollupLoader } from '../../../src/report/rollupOffThread';
import { parseSettings } from '../../../src/settings/schema';

const state: WebviewState = { version: 1, range: { preset: '7d' }, filters: NO_FILTERS, tables: [] };
// The rollup saves its state after returning the rows; the test's folder is removed only once that save is over.
const loadRollupAndItsSave: RollupLoader = async (storageDir, options) => {
  const rollup = await loadDailyRollup(storageDir, options);
  await rollup.stats.cacheSaved;
  return rollup;
};

describe('dashboard: agent logs found', () => {
  let home: string;
  let context: DiscoveryContext;

  beforeEach(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-sources-'));
    context = { env: {}, homeDir: home, platform: 'linux' };
  });
  afterEach(() => fs.rm(home, { recursive: true, force: true }));

  it('lists every source of the import table once, found or not: where it reads when found, else where it looked, under ~', async () => {
    await fs.mkdir(path.join(home, '.claude', 'projects'), { recursive: true });
    await fs.mkdir(path.join(home, '.codex', 'archived_sessions'), { recursive: true });
    const dashboard = new DashboardSource({
      storageDir: path.join(home, 'storage'),
      timeZone: 'UTC',
      locale: 'en-US',
      getSettings: () => parseSettings({}),
      discoveryContext: () => context,
      loadRollup: loadRollupAndItsSave,
      importSources: () => [{ source: 'codex', files: 4, lastReadAt: 1_700_000_000_000, rejectedLines: { json: 2, tokens: 1 } }],
      now: () => Date.UTC(2024, 5, 30, 12),
    });
    const { importSources } = await dashboard.load(state);

    const everySource = [...new Set(LOG_LOCATIONS.map((location) => location.source))];
    assert.deepEqual(importSources.map((s) => s.source), everySource);
    for (const source of UsageSource.options) assert.ok(everySource.includes(source), `${source} is missing`);

    const bySource = new Map(importSources.map((s) => [s.source, s]));
    assert.deepEqual(bySource.get('claude-code'), {
      source: 'claude-code',
      folders: ['~/.claude/projects'],
      found: true,
      files: null,
      lastReadAt: null,
      rejectedLines: null,
    });
    assert.deepEqual(bySource.get('codex'), {
      source: 'codex',
      folders: ['~/.codex/archived_sessions'],
      found: true,
      files: 4,
      lastReadAt: 1_700_000_000_000,
      rejectedLines: 3,
    });
    assert.equal(bySource.get('gemini-cli')?.found, false);
    assert.deepEqual(bySource.get('gemini-cli')?.folders, ['~/.gemini/tmp', '~/.cache/.gemini/tmp']);
    assert.ok((bySource.get('copilot-chat')?.folders.length ?? 0) > 2, 'every editor folder Copilot Chat was looked for in');
    for (const status of importSources) {
      assert.ok(status.folders.length > 0, `${status.source} looks nowhere`);
      for (const folder of status.folders) assert.ok(!folder.includes(home), `${folder} names the home folder`);
    }
  });

  it('explicit folders replace a source’s defaults, and with discovery off the others look nowhere', async () => {
    const mine = path.join(home, 'elsewhere', 'claude');
    await fs.mkdir(mine, { recursive: true });
    const folders = foldersBySource({ definitions: LOG_LOCATIONS, context, roots: { 'claude-code': [mine] }, discover: false });
    const statuses = importSourceStatuses(folders, await existingFolders([...folders.values()].flat()), [], home);
    assert.deepEqual(statuses.find((s) => s.source === 'claude-code'), {
      source: 'claude-code', folders: ['~/elsewhere/claude'], found: true, files: null, lastReadAt: null, rejectedLines: null,
    });
    assert.deepEqual(statuses.find((s) => s.source === 'codex')?.folders, []);
    assert.equal(statuses.find((s) => s.source === 'codex')?.found, false);
  });

  it('writes the home folder as ~ only for the folder itself and what is under it', () => {
    assert.equal(withHomeAsTilde('/home/ann', '/home/ann'), '~');
    assert.equal(withHomeAsTilde('/home/ann/.codex/sessions', '/home/ann/'), '~/.codex/sessions');
    assert.equal(withHomeAsTilde('/home/anna/.codex', '/home/ann'), '/home/anna/.codex');
    assert.equal(withHomeAsTilde('C:\\Users\\ann\\.claude', 'C:\\Users\\ann'), '~\\.claude');
    assert.equal(withHomeAsTilde('/srv/logs', '/home/ann'), '/srv/logs');
  });
});
