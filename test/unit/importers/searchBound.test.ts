// A log folder set too wide (the home folder, `/`) is searched only up to MAX_WALK_ENTRIES entries (discovery.ts), and
// the run says so, instead of every import walking the whole disk.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverFiles, MAX_WALK_ENTRIES, searchWarnings } from '../../../src/importers/discovery';
import { importWarnings } from '../../../src/importers/importWarnings';
import { runImport } from '../../../src/importers/runImport';
import type { UsageEvent } from '../../../src/ledger/events';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { claudeAssistantLine, tempDir, writeLines } from './fixtures';

/** A Claude Code projects folder with one session, and `noise` other files in a folder below the session's. */
function projectsWithNoise(noise: number): { root: string; session: string } {
  const root = tempDir('search-bound');
  const session = path.join(root, 'project', 'session.jsonl');
  writeLines(session, [
    claudeAssistantLine({ timestamp: '2026-11-30T10:00:00.000Z', messageId: 'msg_1', requestId: 'req_1', usage: { input: 100, output: 20 } }),
  ]);
  const crowd = path.join(root, 'project', 'attachments');
  fs.mkdirSync(crowd);
  for (let i = 0; i < noise; i++) fs.writeFileSync(path.join(crowd, `note-${i}.txt`), '');
  return { root, session };
}

const CONTEXT = { env: {}, homeDir: '/nonexistent-home', platform: 'linux' as const };
const CLAUDE = SOURCE_DEFINITIONS.filter((definition) => definition.source === 'claude-code');

describe('search bound of a log folder', () => {
  it('searches a folder within the bound whole, and reports no folder cut short', () => {
    const { root, session } = projectsWithNoise(20);
    const result = discoverFiles({ definitions: CLAUDE, context: CONTEXT, roots: { 'claude-code': [root] }, discover: false, maxWalkEntries: 100 });
    assert.deepEqual(result.files.map((file) => file.path), [session]);
    assert.deepEqual(result.foldersCutShort, {});
  });

  it('stops a folder with more entries than the bound, keeps what it found, and counts the folder', () => {
    const { root, session } = projectsWithNoise(300);
    const result = discoverFiles({ definitions: CLAUDE, context: CONTEXT, roots: { 'claude-code': [root] }, discover: false, maxWalkEntries: 100 });
    assert.deepEqual(result.foldersCutShort, { 'claude-code': 1 });
    assert.ok(result.foundSources.has('claude-code'));
    assert.deepEqual(result.files.map((file) => file.path), [session]);
  });

  it('counts a folder once for a source that looks for two kinds of log in it', () => {
    const { root } = projectsWithNoise(300);
    const openClaw = SOURCE_DEFINITIONS.filter((definition) => definition.source === 'openclaw');
    assert.ok(openClaw.length > 1, 'OpenClaw has session files and a database');
    const result = discoverFiles({ definitions: openClaw, context: CONTEXT, roots: { openclaw: [root] }, discover: false, maxWalkEntries: 100 });
    assert.deepEqual(result.foldersCutShort, { openclaw: 1 });
  });

  it('an import over such a folder still reads what it found, and warns once per source, naming no path', async () => {
    const { root } = projectsWithNoise(300);
    const events: UsageEvent[] = [];
    const summary = await runImport({
      storageDir: tempDir('search-bound-storage'),
      secret: 'test-secret',
      pricer: { keptModelName: (raw) => raw },
      env: {},
      homeDir: tempDir('search-bound-home'),
      platform: 'linux',
      roots: { 'claude-code': [root] },
      discover: false,
      maxWalkEntries: 100,
      sink: { append: (event) => events.push(event as UsageEvent), flush: async () => undefined },
    });
    const claude = summary.sources.find((source) => source.source === 'claude-code');
    assert.equal(claude?.foldersCutShort, 1);
    // The session's folder is listed before the crowd below it stops the search.
    assert.deepEqual(events.map((event) => [event.kind, event.inputTokens]), [['usage', 100]]);
    const warnings = importWarnings(summary.sources);
    assert.deepEqual(warnings, [
      `claude-code: 1 log folder holds more than ${MAX_WALK_ENTRIES.toLocaleString('en-US')} entries, so only its first ones were searched: ` +
        "name the tool's own log folder instead (assay.import.folders, or the command's folder options).",
    ]);
    assert.ok(!warnings[0].includes(root));
  });

  it('words two folders of one source in the plural and leaves sources searched whole unmentioned', () => {
    const warnings = searchWarnings([
      { source: 'codex', foldersCutShort: 2 },
      { source: 'claude-code', foldersCutShort: 0 },
    ]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /^codex: 2 log folders hold more than [\d,]+ entries, so only their first ones were searched/);
  });
});
