import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { ParsedEdit } from '../../../../src/agentOutput/types';
import { runImport } from '../../../../src/importers/runImport';
import { opencodeDbParser } from '../../../../src/importers/sources/opencode';
import { querySqliteCopy } from '../../../../src/importers/sqliteReader';
import type { AgentEditEvent, AgentRetentionEvent } from '../../../../src/ledger/events';
import { readLedger } from '../../../../src/ledger/reader';
import { assertNoFileHolds, tempDir } from '../../importers/fixtures';
import { byKey, collectingContext, LINE_SECRET } from './collect';

// A database written the way OpenCode writes it, tool parts included: see test/fixtures/importers/opencode/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/importers/opencode');
const APP = '/home/SECRET-PLANTED-0c7e/app';

async function parse(): Promise<{ edits: Map<string, ParsedEdit>; models: Map<string, string> }> {
  const query = opencodeDbParser.sqlite;
  assert.ok(query);
  const rows = await querySqliteCopy(fs.readFileSync(path.join(FIXTURES, 'opencode.db')), undefined, query.sql);
  const { context, edits } = collectingContext();
  const usages = query.parseRows(rows, '/home/alice/.local/share/opencode/opencode.db', context);
  return { edits: byKey(edits), models: new Map(usages.map((usage) => [usage.key, usage.model])) };
}

function lines(edit: ParsedEdit | undefined): [string | undefined, number | undefined, number | undefined] {
  return [edit?.filePath.slice(APP.length + 1), edit?.addedLines.length, edit?.removedLines];
}

describe('OpenCode file edits (opencode.db tool parts)', () => {
  it('counts completed edit, write and apply_patch calls, one edit per file, keyed by part; failed and running calls write nothing', async () => {
    const { edits } = await parse();
    assert.deepEqual([...edits.keys()].sort(), ['prt_01edit', 'prt_02all', 'prt_03write', 'prt_08patch#0', 'prt_08patch#1', 'prt_08patch#2']);
  });

  it("takes an edit's lines from its input, with the indentation its displayed patch lost, dated when the call ended", async () => {
    const { edits } = await parse();
    const edit = edits.get('prt_01edit');
    assert.ok(edit);
    assert.deepEqual(edit.addedLines, [`      const port = 3000; // ${LINE_SECRET}`, '      return port;']);
    assert.equal(edit.removedLines, 1);
    assert.equal(edit.filePath, `${APP}/src/server.ts`);
    assert.equal(edit.t, 1772355602300);
    assert.deepEqual([edit.responseKey, edit.sessionKey], ['msg_claude', 'ses_new']);
  });

  it('counts every occurrence a replaceAll edit changed, from its patch', async () => {
    const { edits } = await parse();
    assert.deepEqual(edits.get('prt_02all')?.addedLines, ["trace('a');", "trace('b');"]);
    assert.equal(edits.get('prt_02all')?.removedLines, 2);
  });

  it('counts a created file, not an overwrite (its old content is not kept)', async () => {
    const { edits } = await parse();
    assert.deepEqual(lines(edits.get('prt_03write')), ['src/config.ts', 3, 0]);
    assert.ok(![...edits.values()].some((edit) => edit.filePath.endsWith('README.md')));
  });

  it('splits apply_patch by file: updated (lines from the patch text, indentation kept), added, and deleted (all its lines removed)', async () => {
    const { edits } = await parse();
    assert.deepEqual(
      [lines(edits.get('prt_08patch#0')), lines(edits.get('prt_08patch#1')), lines(edits.get('prt_08patch#2'))],
      [['src/util.ts', 1, 1], ['src/new.ts', 2, 0], ['src/old.ts', 0, 2]],
    );
    assert.deepEqual(edits.get('prt_08patch#0')?.addedLines, [`    return 2; // ${LINE_SECRET}`]);
  });

  it("gives each edit its message's model, and keeps edits out of the usage records", async () => {
    const { edits, models } = await parse();
    for (const edit of edits.values()) assert.equal(edit.model, models.get(edit.responseKey ?? ''), edit.key);
    assert.equal(edits.get('prt_08patch#0')?.model, 'openai/gpt-5.1');
    assert.equal(edits.get('prt_01edit')?.model, 'anthropic/claude-sonnet-4-5');
    assert.equal(models.size, 11, 'one usage record per assistant row with tokens (7 in message, 4 in session_message), parts add none');
  });
});

describe('OpenCode file edits through runImport', () => {
  /** The fixture database, its project moved to `project`, where OpenCode keeps it under `home`. */
  async function placeDatabase(home: string, project: string): Promise<void> {
    const SQL = await initSqlJs();
    const database = new SQL.Database();
    const sql = fs.readFileSync(path.join(FIXTURES, 'opencode.sql'), 'utf8').split(APP).join(project);
    database.exec(sql.replace(/^PRAGMA .*$/gm, ''));
    const file = path.join(home, '.local', 'share', 'opencode', 'opencode.db');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, database.export());
    database.close();
  }

  it('writes the lines of each edit, then how many are still there an hour later, storing no path or line', async () => {
    const home = tempDir('opencode-edits-home');
    const storage = tempDir('opencode-edits-storage');
    const project = path.join(tempDir('opencode-edits-work'), 'SECRET-PLANTED-0c7e', 'app');
    await placeDatabase(home, project);
    const run = (now: number) =>
      runImport({ storageDir: storage, secret: 'oc-secret', pricer: { keptModelName: (raw) => raw }, env: {}, homeDir: home, platform: 'linux', now: () => now });
    const editedAt = 1772355602300;
    await run(editedAt + 60_000);
    // A person keeps one of the two lines the first edit added, and the whole created file.
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    fs.writeFileSync(path.join(project, 'src', 'server.ts'), `class Server {\n  start() {\n      const port = 3000; // ${LINE_SECRET}\n      return 8080;\n  }\n}\n`);
    fs.writeFileSync(path.join(project, 'src', 'config.ts'), `export const config = {\n  port: 3000, // ${LINE_SECRET}\n};\n`);
    await run(editedAt + 3600_000 + 60_000);

    const { events } = await readLedger(storage);
    const edits = events.filter((e): e is AgentEditEvent => e.kind === 'agentEdit' && e.source === 'opencode');
    assert.deepEqual(edits.map((e) => [e.linesAdded, e.linesRemoved]).sort(), [[0, 2], [1, 1], [2, 0], [2, 1], [2, 2], [3, 0]]);
    const hour = events.filter((e): e is AgentRetentionEvent => e.kind === 'agentRetention' && e.source === 'opencode' && e.checkpoint === 3600);
    const kept = hour.filter((e) => e.known).map((e) => [e.linesAdded, e.linesKept]).sort();
    assert.deepEqual(kept, [[1, 0], [2, 0], [2, 0], [2, 1], [3, 3]], 'files never written keep nothing; server.ts keeps 1 of 2, config.ts all 3');
    assertNoFileHolds(storage, ['SECRET-PLANTED-0c7e', LINE_SECRET]);
  });
});
