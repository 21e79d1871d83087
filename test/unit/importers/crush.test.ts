import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverFiles, searchRoots, type DiscoveryContext } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport } from '../../../src/importers/runImport';
import { assertNoFileHolds, importOptions, latestEvents, responseRows, sqliteBytes, tempDir } from './fixtures';

// Crush's crush.db as its migrations lay it out: see test/fixtures/importers/crush/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/crush');
const SECRET = 'SECRET-PLANTED-7c1f';
const SESSION_A = '5b0c1d2e-0a11-4c3e-9d5f-6a7b8c9d0e1f';

/** Crush's `projects.json` (internal/projects/projects.go `ProjectList`), as `Register` writes it. */
function writeProjects(globalData: string, projects: unknown[]): void {
  fs.mkdirSync(globalData, { recursive: true });
  fs.writeFileSync(path.join(globalData, 'projects.json'), JSON.stringify({ projects }, null, 2));
}

function setup() {
  const home = tempDir('crush-home');
  const storage = tempDir('crush-storage');
  const project = path.join(home, 'work', SECRET);
  const dataDir = path.join(project, '.crush');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'crush.db'), path.join(dataDir, 'crush.db'));
  writeProjects(path.join(home, '.local', 'share', 'crush'), [{ path: project, data_dir: dataDir, last_accessed: '2026-11-21T09:05:00Z' }]);
  const options = importOptions(home, storage);
  const { sink } = options;
  return { home, dataDir, storage, sink, options };
}

/** The fixture database with `statements` run on it, written over the project's copy. */
async function rewriteDatabase(dataDir: string, statements: string): Promise<void> {
  fs.writeFileSync(path.join(dataDir, 'crush.db'), await sqliteBytes(statements, fs.readFileSync(path.join(FIXTURES, 'crush.db'))));
}

describe('Crush crush.db', () => {
  it('imports each assistant message below a top-level session as one response without tokens or cost', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const crush = summary.sources.find((source) => source.source === 'crush');
    assert.equal(crush?.found, true);
    assert.deepEqual(crush?.rejectedLines, { timestamp: 1 }, 'the message with a created_at of 0 is counted and skipped');
    const events = latestEvents(s.sink.events);
    assert.deepEqual(responseRows(events), [
      ['2026-11-20T23:59:30.000Z', 'claude-sonnet-4-5-20250929', false, 0, null], // the step that called a tool
      ['2026-11-21T00:00:05.000Z', 'claude-sonnet-4-5-20250929', false, 0, null],
      ['2026-11-21T00:00:12.000Z', 'claude-haiku-4-5-20251001', false, 0, null], // the sub-agent's step
      ['2026-11-21T08:15:20.000Z', 'openai/gpt-5.2', false, 0, null],
      ['2026-11-21T08:16:00.000Z', 'openai/gpt-5.2', false, 0, null], // a canceled turn, as Crush and tokscale count it
      ['2026-11-21T08:17:00.000Z', 'unknown', false, 0, null],
      ['2026-11-21T09:00:00.000Z', 'claude-sonnet-4-5-20250929', false, 0, null], // the summary
    ]);
    const sessionOf = (t: string) => events.find((e) => new Date(e.t).toISOString() === t)?.session;
    assert.equal(sessionOf('2026-11-21T00:00:12.000Z'), sessionOf('2026-11-20T23:59:30.000Z'), "a sub-agent's responses are its top-level session's");
    assert.notEqual(sessionOf('2026-11-21T08:15:20.000Z'), sessionOf('2026-11-20T23:59:30.000Z'));
    assert.equal(new Set(events.map((e) => e.project)).size, 1, 'one database, one project');
  });

  it('counts a session that answered again once per message, and keeps no prompt, title, path or user', async () => {
    const s = setup();
    const first = await runImport(s.options);
    assert.equal(first.events, 7);
    // The next step of session A, as Crush writes it: a new assistant message, and the session's usage overwritten.
    await rewriteDatabase(
      s.dataDir,
      `INSERT INTO messages (id, session_id, role, parts, model, created_at, updated_at, finished_at, provider, is_summary_message)
       VALUES ('b1000000-0000-4000-8000-000000000010', '${SESSION_A}', 'assistant',
         '[{"type":"text","data":{"text":"Also ${SECRET}"}},{"type":"finish","data":{"reason":"end_turn","time":1795252210}}]',
         'claude-sonnet-4-5-20250929', 1795252200, 1795252210, 1795252210, 'anthropic', 0);
       UPDATE sessions SET prompt_tokens = 51000, completion_tokens = 90, cost = 0.4498 WHERE id = '${SESSION_A}';`,
    );
    const second = await runImport(s.options);
    assert.equal(second.events, 1, 'only the new response is written: the session and its earlier responses are not counted again');
    const events = latestEvents(s.sink.events);
    assert.equal(events.length, 8);
    assert.deepEqual(responseRows(events).at(-1), ['2026-11-21T09:10:00.000Z', 'claude-sonnet-4-5-20250929', false, 0, null]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, 'login']);
  });

  it('reads a damaged database whose sessions name each other as parents, each message once', async () => {
    const s = setup();
    await rewriteDatabase(
      s.dataDir,
      `DROP TABLE sessions; CREATE TABLE sessions (id TEXT, parent_session_id TEXT);
       INSERT INTO sessions VALUES ('${SESSION_A}', NULL), ('${SESSION_A}', '${SESSION_A}');`,
    );
    await runImport(s.options);
    assert.deepEqual(responseRows(latestEvents(s.sink.events)).map((row) => row[0]), [
      '2026-11-20T23:59:30.000Z',
      '2026-11-21T00:00:05.000Z',
      '2026-11-21T09:00:00.000Z',
    ]);
  });

  it("finds each project's database through projects.json in Crush's global data folder, and a project folder named in assay.import.folders", () => {
    const home = tempDir('crush-discover');
    const make = (file: string) => {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    };
    for (const file of ['app/.crush/crush.db', 'app/.crush/crush.db-wal', 'elsewhere/data/crush.db', 'other/.crush/crush.db', 'loose/crush.db']) make(file);
    const projects = [
      { path: path.join(home, 'app'), data_dir: path.join(home, 'app', '.crush'), last_accessed: '2026-11-21T09:05:00Z' },
      { path: path.join(home, 'api'), data_dir: path.join(home, 'elsewhere', 'data'), last_accessed: '2026-11-20T09:05:00Z' }, // data_directory
      { path: path.join(home, 'gone'), data_dir: path.join(home, 'gone', '.crush'), last_accessed: '2026-11-19T09:05:00Z' },
      { path: 'loose', data_dir: path.relative(process.cwd(), path.join(home, 'loose')) }, // not an absolute path: not Crush's
      { path: path.join(home, 'x') },
      'not a project',
    ];
    const found = (env: Record<string, string>, roots?: string[]) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true, ...(roots ? { roots: { crush: roots } } : {}) })
        .files.filter((file) => file.source === 'crush')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), [], 'no projects.json yet');
    writeProjects(path.join(home, '.local', 'share', 'crush'), projects);
    assert.deepEqual(found({}), ['app/.crush/crush.db', 'elsewhere/data/crush.db']);
    writeProjects(path.join(home, 'xdg', 'crush'), projects.slice(1, 2));
    assert.deepEqual(found({ XDG_DATA_HOME: path.join(home, 'xdg') }), ['elsewhere/data/crush.db']);
    writeProjects(path.join(home, 'global'), projects.slice(0, 1));
    assert.deepEqual(found({ CRUSH_GLOBAL_DATA: path.join(home, 'global'), XDG_DATA_HOME: path.join(home, 'xdg') }), ['app/.crush/crush.db']);
    fs.writeFileSync(path.join(home, 'global', 'projects.json'), '{"projects": [');
    assert.deepEqual(found({ CRUSH_GLOBAL_DATA: path.join(home, 'global') }), [], 'a broken projects.json names no project');
    assert.deepEqual(found({}, [path.join(home, 'other'), path.join(home, 'elsewhere', 'data')]), ['elsewhere/data/crush.db', 'other/.crush/crush.db']);
  });

  it("looks for projects.json in %LOCALAPPDATA%/crush on Windows, as Crush keeps it there", () => {
    const crushOnly = SOURCE_DEFINITIONS.filter((definition) => definition.source === 'crush');
    const roots = (context: DiscoveryContext) => searchRoots({ definitions: crushOnly, context, discover: true });
    assert.deepEqual(roots({ env: { LOCALAPPDATA: '/c/Users/me/AppData/Local' }, homeDir: '/c/Users/me', platform: 'win32' }), [
      path.join('/c/Users/me/AppData/Local', 'crush'),
    ]);
    assert.deepEqual(roots({ env: {}, homeDir: '/home/me', platform: 'linux' }), [path.join('/home/me', '.local', 'share', 'crush')]);
  });
});
