import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openCodePartEdits } from '../../../../src/agentOutput/sources/opencode';
import type { ParsedEdit } from '../../../../src/agentOutput/types';
import { kiloDbParser } from '../../../../src/importers/sources/kilo';
import { querySqliteCopy } from '../../../../src/importers/sqliteReader';
import { byKey, collectingContext, LINE_SECRET } from './collect';

// A database written the way Kilo writes it, tool parts included: see test/fixtures/importers/kilo/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../../test/fixtures/importers/kilo');
const APP = '/home/SECRET-PLANTED-7f3a/app';
/** The model of each message, as the importer names it (`<providerID>/<modelID>`). */
const MODELS: Record<string, string> = { msg_a1: 'anthropic/claude-sonnet-4-5', msg_a2: 'openai/gpt-5.2' };

async function parse(withWal: boolean): Promise<{ edits: Map<string, ParsedEdit> }> {
  const db = fs.readFileSync(path.join(FIXTURES, 'kilo.db'));
  const wal = withWal ? fs.readFileSync(path.join(FIXTURES, 'kilo.db-wal')) : undefined;
  const rows = await querySqliteCopy(db, wal, 'SELECT id, message_id, session_id, data FROM part');
  const edits: ParsedEdit[] = [];
  for (const [id, messageId, sessionId, data] of rows as string[][]) {
    edits.push(...openCodePartEdits(id, JSON.parse(data), { responseKey: messageId, sessionKey: sessionId, model: MODELS[messageId] ?? 'unknown' }));
  }
  return { edits: byKey(edits) };
}

describe('Kilo Code ≥ 7 file edits (kilo.db tool parts)', () => {
  it('counts completed edit, write and apply_patch calls, one edit per file, keyed by part', async () => {
    const { edits } = await parse(true);
    assert.deepEqual([...edits.keys()].sort(), ['prt_01e', 'prt_02w', 'prt_06p#0', 'prt_06p#1', 'prt_06p#2']);
  });

  it('compares the whole file before and after an edit, dated when the call ended', async () => {
    const { edits } = await parse(true);
    const edit = edits.get('prt_01e');
    assert.ok(edit);
    assert.deepEqual(edit.addedLines, [`import { config } from './config'; // ${LINE_SECRET}`, 'serve(config.port);']);
    assert.equal(edit.removedLines, 1);
    assert.equal(edit.filePath, `${APP}/src/main.ts`);
    assert.equal(edit.t, 1772355603400, 'when the call ended');
    assert.deepEqual([edit.model, edit.responseKey, edit.sessionKey], ['anthropic/claude-sonnet-4-5', 'msg_a1', 'ses_01']);
  });

  it('counts a created file, not an overwrite (its old content is not kept), a failed call or a text part', async () => {
    const { edits } = await parse(true);
    assert.deepEqual([edits.get('prt_02w')?.addedLines.length, edits.get('prt_02w')?.removedLines], [3, 0]);
    assert.ok(![...edits.values()].some((e) => e.filePath.endsWith('README.md')));
  });

  it("splits apply_patch by file: updated, added, and deleted (all its lines removed)", async () => {
    const { edits } = await parse(true);
    const lines = (key: string) => [edits.get(key)?.filePath.slice(APP.length + 1), edits.get(key)?.addedLines.length, edits.get(key)?.removedLines];
    assert.deepEqual([lines('prt_06p#0'), lines('prt_06p#1'), lines('prt_06p#2')], [['src/a.ts', 1, 1], ['src/b.ts', 2, 0], ['src/c.ts', 0, 2]]);
    assert.equal(edits.get('prt_06p#0')?.model, 'openai/gpt-5.2');
  });

  it('sees only committed parts: the WAL adds its own, an uncommitted transaction none', async () => {
    assert.deepEqual([...(await parse(false)).edits.keys()].sort(), ['prt_01e', 'prt_02w']);
    assert.ok(![...(await parse(true)).edits.values()].some((e) => e.filePath.endsWith('/u.ts')));
  });

  it("reaches the machinery through kilo.db's query, each edit with its message's model and usage key", async () => {
    const query = kiloDbParser.sqlite;
    assert.ok(query);
    const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name));
    const rows = await querySqliteCopy(read('kilo.db'), read('kilo.db-wal'), query.sql);
    const { context, edits } = collectingContext();
    const usages = query.parseRows(rows, '/home/alice/.local/share/kilo/kilo.db', context);
    const direct = (await parse(true)).edits;
    assert.deepEqual(byKey(edits), direct);
    for (const edit of edits) assert.equal(usages.find((u) => u.key === edit.responseKey)?.model, edit.model);
    assert.ok(!JSON.stringify(usages).includes(LINE_SECRET));
  });
});
