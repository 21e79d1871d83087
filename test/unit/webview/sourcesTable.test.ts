// The "Agent logs found" rows as the page shows them: a tool not found says which setting points Assay at it.
import * as assert from 'node:assert/strict';
import type { ImportSourceStatus } from '../../../src/dashboard/protocol';
import { Formatter } from '../../../src/report/format';
import { sourceRows, sourcesSummary } from '../../../src/webview/sourcesTable';

const status = (overrides: Partial<ImportSourceStatus>): ImportSourceStatus => ({
  source: 'codex', folders: ['~/.codex/sessions'], found: true, files: null, lastReadAt: null, rejectedLines: null, ...overrides,
});

describe('webview: agent logs table', () => {
  const format = new Formatter('en-US');

  it('a found tool shows what the latest import read; before an import, dashes rather than zeros', () => {
    const [read, notYet] = sourceRows([status({ files: 1_204, rejectedLines: 3, lastReadAt: Date.UTC(2024, 0, 2) }), status({})], format);
    assert.deepEqual([read.status, read.files, read.rejected], ['Found', '1,204', '3']);
    assert.notEqual(read.lastRead, '—');
    assert.deepEqual([notYet.files, notYet.lastRead, notYet.rejected], ['—', '—', '—']);
  });

  it('a tool not found names the setting for its folder, with its own key', () => {
    const [missing, nowhere] = sourceRows([status({ source: 'opencode', found: false }), status({ source: 'continue', found: false, folders: [] })], format);
    assert.equal(missing.status, 'Not found. If its logs are elsewhere, set assay.import.folders to { "opencode": ["<its folder>"] }');
    assert.match(nowhere.status, /^Not looked for \(assay\.import\.discover is off\): set assay\.import\.folders to \{ "continue"/);
    assert.deepEqual(nowhere.folders, ['—']);
  });

  it('the closed line names the tools found, of how many', () => {
    assert.equal(sourcesSummary([status({ source: 'claude-code' }), status({ found: false })]), 'Agent logs found: claude-code (1 of 2 tools)');
    assert.equal(sourcesSummary([status({ found: false })]), 'Agent logs found: none (0 of 1 tools)');
  });
});
