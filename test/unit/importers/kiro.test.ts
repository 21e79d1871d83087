import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport } from '../../../src/importers/runImport';
import { MAX_WHOLE_FILE_BYTES } from '../../../src/importers/usageBounds';
import { assertNoFileHolds, importOptions, latestEvents, responseRows, sqliteBytes, tempDir } from './fixtures';

// Kiro CLI's data.sqlite3, conversations serialized as Kiro writes them: see test/fixtures/importers/kiro/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/kiro');
const SECRET = 'SECRET-PLANTED-7c1f';
const CONVERSATION_A = '0f3c2b1a-5d4e-4f60-8a71-92b3c4d5e6f7';

function setup() {
  const home = tempDir('kiro-home');
  const storage = tempDir('kiro-storage');
  const dataDir = path.join(home, '.local', 'share', 'kiro-cli');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'data.sqlite3'), path.join(dataDir, 'data.sqlite3'));
  const options = importOptions(home, storage);
  return { home, dataDir, storage, sink: options.sink, options };
}

/** Conversation A's value as the copy in `dataDir` holds it, changed by `change` and written back. */
async function rewriteConversationA(dataDir: string, change: (state: { history: unknown[] }) => void): Promise<void> {
  const file = path.join(dataDir, 'data.sqlite3');
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database(fs.readFileSync(file));
  const state = JSON.parse(String(db.exec(`SELECT value FROM conversations_v2 WHERE conversation_id = '${CONVERSATION_A}'`)[0].values[0][0])) as { history: unknown[] };
  db.close();
  change(state);
  fs.writeFileSync(file, await sqliteBytes('UPDATE conversations_v2 SET value = ? WHERE conversation_id = ?', fs.readFileSync(file), [JSON.stringify(state), CONVERSATION_A]));
}

/** A history entry as Kiro appends one after a request (only what the importer reads, and a prompt). */
function historyEntry(messageId: string, startMs: number, model: string | null) {
  return {
    user: { additional_context: '', env_context: null, content: { Prompt: { prompt: `again ${SECRET}` } }, timestamp: null, images: null },
    assistant: { Response: { message_id: messageId, content: `done ${SECRET}` } },
    request_metadata: { request_id: 'req-new', message_id: messageId, request_start_timestamp_ms: startMs, stream_end_timestamp_ms: startMs + 4_000, response_size: 40, model_id: model, context_usage_percentage: 4.2 },
  };
}

describe('Kiro CLI data.sqlite3', () => {
  it('imports each request of every conversation as one response without tokens or cost, under its own model, else the conversation\'s', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const kiro = summary.sources.find((source) => source.source === 'kiro');
    assert.equal(kiro?.found, true);
    assert.deepEqual(kiro?.rejectedLines, { json: 1, timestamp: 1 }, 'the cut row and the request whose times are 0 are counted and skipped');
    const events = latestEvents(s.sink.events);
    assert.deepEqual(responseRows(events), [
      ['2026-11-20T23:59:30.000Z', 'claude-sonnet-4.5', false, 0, null], // the request that called a tool
      ['2026-11-21T00:00:05.000Z', 'claude-sonnet-4.5', false, 0, null], // no model of its own: the conversation's
      ['2026-11-21T00:01:00.000Z', 'claude-haiku-4.5', false, 0, null],
      ['2026-11-21T08:15:20.000Z', 'unknown', false, 0, null], // neither the request nor the conversation names one
    ]);
    assert.equal(new Set(events.slice(0, 3).map((e) => e.session)).size, 1, "a conversation's requests share its session");
    assert.notEqual(events[3].session, events[0].session);
    assert.notEqual(events[3].project, events[0].project, 'each working directory is its own project');
  });

  it('counts a conversation rewritten with a new request once per request, even after Kiro drops its oldest entries, and keeps no prompt, path or user', async () => {
    const s = setup();
    assert.equal((await runImport(s.options)).events, 4);
    // Kiro saves the whole conversation again after each request; /compact and long conversations drop old entries.
    await rewriteConversationA(s.dataDir, (state) => {
      state.history.splice(0, 2);
      state.history.push(historyEntry('a1000000-0000-4000-8000-000000000004', Date.parse('2026-11-21T09:10:00Z'), null));
    });
    const second = await runImport(s.options);
    assert.equal(second.events, 1, 'only the new request is written: the others are not counted again');
    const events = latestEvents(s.sink.events);
    assert.deepEqual(responseRows(events), [
      ['2026-11-20T23:59:30.000Z', 'claude-sonnet-4.5', false, 0, null],
      ['2026-11-21T00:00:05.000Z', 'claude-sonnet-4.5', false, 0, null],
      ['2026-11-21T00:01:00.000Z', 'claude-haiku-4.5', false, 0, null],
      ['2026-11-21T08:15:20.000Z', 'unknown', false, 0, null],
      ['2026-11-21T09:10:00.000Z', 'claude-sonnet-4.5', false, 0, null],
    ], 'the dropped entries stay counted, each request once');
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, 'dev/work', 'login']);
  });

  it('counts a request without a message id as a damaged entry, and a database without conversations_v2 once as unreadable', async () => {
    const s = setup();
    await rewriteConversationA(s.dataDir, (state) => {
      state.history.push({ user: {}, assistant: {}, request_metadata: { request_start_timestamp_ms: Date.parse('2026-11-22T10:00:00Z') } });
    });
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'kiro')?.rejectedLines, { json: 1, timestamp: 1, fields: 1 });
    assert.equal(latestEvents(s.sink.events).length, 4);

    const other = setup();
    fs.writeFileSync(path.join(other.dataDir, 'data.sqlite3'), await sqliteBytes('CREATE TABLE state (key TEXT, value TEXT)'));
    const unreadable = await runImport(other.options);
    assert.deepEqual(unreadable.sources.find((source) => source.source === 'kiro')?.rejectedLines, { fields: 1 });
    assert.equal(other.sink.events.length, 0);
  });

  it("finds data.sqlite3 in Kiro CLI's data folder on each OS, and in a folder named in assay.import.folders", () => {
    const home = tempDir('kiro-discover');
    const make = (file: string) => {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    };
    for (const file of [
      '.local/share/kiro-cli/data.sqlite3',
      '.local/share/kiro-cli/data.sqlite3-wal',
      '.local/share/kiro-cli/other/data.sqlite3',
      'xdg/kiro-cli/data.sqlite3',
      'Library/Application Support/kiro-cli/data.sqlite3',
      'AppData/Local/kiro-cli/data.sqlite3',
      'local/kiro-cli/data.sqlite3',
      'backup/data.sqlite3',
      '.local/share/amazon-q/data.sqlite3',
    ]) make(file);
    const found = (env: Record<string, string>, platform: NodeJS.Platform, roots?: string[]) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform }, discover: true, ...(roots ? { roots: { kiro: roots } } : {}) })
        .files.filter((file) => file.source === 'kiro')
        .map((file) => path.relative(home, file.path).split(path.sep).join('/'))
        .sort();
    assert.deepEqual(found({}, 'linux'), ['.local/share/kiro-cli/data.sqlite3', 'Library/Application Support/kiro-cli/data.sqlite3']);
    assert.deepEqual(found({ XDG_DATA_HOME: path.join(home, 'xdg') }, 'linux'), [
      '.local/share/kiro-cli/data.sqlite3',
      'Library/Application Support/kiro-cli/data.sqlite3',
      'xdg/kiro-cli/data.sqlite3',
    ]);
    assert.deepEqual(found({}, 'win32'), ['.local/share/kiro-cli/data.sqlite3', 'AppData/Local/kiro-cli/data.sqlite3', 'Library/Application Support/kiro-cli/data.sqlite3']);
    assert.deepEqual(found({ LOCALAPPDATA: path.join(home, 'local') }, 'win32'), [
      '.local/share/kiro-cli/data.sqlite3',
      'Library/Application Support/kiro-cli/data.sqlite3',
      'local/kiro-cli/data.sqlite3',
    ]);
    assert.deepEqual(found({}, 'linux', [path.join(home, 'backup')]), ['backup/data.sqlite3']);
  });
});

const SESSION_1 = '3c4d5e6f-7081-4293-a4b5-c6d7e8f90a1b';

function setupSessions() {
  const home = tempDir('kiro-sessions-home');
  const storage = tempDir('kiro-sessions-storage');
  const folder = path.join(home, '.kiro', 'sessions', 'cli');
  fs.mkdirSync(folder, { recursive: true });
  for (const file of fs.readdirSync(path.join(FIXTURES, 'sessions-cli'))) fs.copyFileSync(path.join(FIXTURES, 'sessions-cli', file), path.join(folder, file));
  const options = importOptions(home, storage);
  return { folder, storage, sink: options.sink, options };
}

describe('Kiro CLI sessions/cli', () => {
  it("imports each of a turn's requests as one response without tokens or cost, at the time of the turn's prompt, else its end", async () => {
    const s = setupSessions();
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'kiro')?.rejectedLines, { json: 1, timestamp: 1 }, 'the cut file and the turn with no time are counted and skipped');
    const events = latestEvents(s.sink.events);
    assert.deepEqual(responseRows(events), [
      ...Array.from({ length: 3 }, () => ['2026-11-20T23:59:30.500Z', 'claude-sonnet-4.5', false, 0, null]), // a turn of three requests, begun before midnight
      ['2026-11-21T00:05:00.000Z', 'claude-sonnet-4.5', false, 0, null],
      ['2026-11-21T00:07:00.000Z', 'claude-sonnet-4.5', false, 0, null], // a prompt without a time: the turn's end; no count: one request
      ['2026-11-21T08:15:20.000Z', 'unknown', false, 0, null],
      ['2026-11-21T08:15:20.000Z', 'unknown', false, 0, null],
    ]);
    assert.equal(new Set(events.slice(0, 5).map((e) => e.session)).size, 1);
    assert.notEqual(events[5].project, events[0].project);
  });

  it('counts only the requests of a new turn when Kiro rewrites the session, and keeps no prompt, title, path or user', async () => {
    const s = setupSessions();
    assert.equal((await runImport(s.options)).events, 7);
    const file = path.join(s.folder, `${SESSION_1}.json`);
    const session = JSON.parse(fs.readFileSync(file, 'utf8')) as { session_state: { conversation_metadata: { user_turn_metadatas: unknown[] } } };
    session.session_state.conversation_metadata.user_turn_metadatas.push({ input_token_count: 0, output_token_count: 0, message_ids: ['p9', 'a9'], end_timestamp: '2026-11-21T09:10:30.000000000Z', total_request_count: 2, context_usage_percentage: 3.3 });
    fs.writeFileSync(file, JSON.stringify(session));
    fs.appendFileSync(path.join(s.folder, `${SESSION_1}.jsonl`), `${JSON.stringify({ version: 'v1', kind: 'Prompt', data: { message_id: 'p9', content: [{ kind: 'text', data: `again ${SECRET}` }], meta: { timestamp: Date.parse('2026-11-21T09:10:00Z') / 1000 } } })}\n${JSON.stringify({ version: 'v1', kind: 'AssistantMessage', data: { message_id: 'a9', content: [{ kind: 'text', data: 'ok' }] } })}\n`);
    assert.equal((await runImport(s.options)).events, 2, "only the new turn's two requests are written");
    const events = latestEvents(s.sink.events);
    assert.equal(events.length, 9);
    assert.deepEqual(responseRows(events).slice(-2), [
      ['2026-11-21T09:10:00.000Z', 'claude-sonnet-4.5', false, 0, null],
      ['2026-11-21T09:10:00.000Z', 'claude-sonnet-4.5', false, 0, null],
    ]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET, 'dev/work', 'login', SESSION_1]);
  });

  it('dates turns by their ends when the transcript beside the session is larger than any file Assay loads', async () => {
    const s = setupSessions();
    fs.truncateSync(path.join(s.folder, `${SESSION_1}.jsonl`), MAX_WHOLE_FILE_BYTES + 1);
    await runImport(s.options);
    const times = responseRows(latestEvents(s.sink.events)).map((row) => row[0]);
    assert.ok(!times.includes('2026-11-20T23:59:30.500Z'), 'no prompt time was read from the oversized transcript');
    assert.equal(times.length, 7, 'every turn still counts');
  });

  it("counts no more responses than a session file's size allows: a turn claiming more is a damaged entry, the others are kept", async () => {
    const s = setupSessions();
    for (const file of fs.readdirSync(s.folder)) fs.rmSync(path.join(s.folder, file));
    const turn = (id: string, requests: number) => ({ message_ids: [`p${id}`, `a${id}`], end_timestamp: '2026-11-21T09:10:30Z', total_request_count: requests });
    const session = (turns: unknown[]) => JSON.stringify({ session_id: 'big', session_state: { conversation_metadata: { user_turn_metadatas: turns } } });
    // A real turn of three requests, then counts no file of a few hundred bytes can hold.
    fs.writeFileSync(path.join(s.folder, 'big.json'), session([turn('1', 3), turn('2', 10_000), turn('3', 1e9), turn('4', 2)]));
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'kiro')?.rejectedLines, { fields: 2 });
    assert.equal(latestEvents(s.sink.events).length, 5);

    // 30 turns of 10,000 in 2 KB wrote 300,000 responses (95 MB of ledger).
    const forged = setupSessions();
    for (const file of fs.readdirSync(forged.folder)) fs.rmSync(path.join(forged.folder, file));
    const text = session(Array.from({ length: 30 }, (_, i) => turn(String(i), 10_000)));
    fs.writeFileSync(path.join(forged.folder, 'forged.json'), text);
    const forgedSummary = await runImport(forged.options);
    assert.deepEqual(forgedSummary.sources.find((source) => source.source === 'kiro')?.rejectedLines, { fields: 30 });
    assert.equal(forged.sink.events.length, 0, `${text.length} characters wrote no response`);
  });

  it("reads the session files of ~/.kiro/sessions/cli alone, not the transcripts beside them nor the third engine's folders", () => {
    const home = tempDir('kiro-sessions-discover');
    for (const file of ['.kiro/sessions/cli/a.json', '.kiro/sessions/cli/a.jsonl', '.kiro/sessions/cli/a.lock', '.kiro/sessions/ws/sess_1/session.json', '.kiro/sessions/cli/old/b.json']) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '{}');
    }
    const found = discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env: {}, homeDir: home, platform: 'linux' }, discover: true })
      .files.filter((file) => file.source === 'kiro')
      .map((file) => path.relative(home, file.path).split(path.sep).join('/'));
    assert.deepEqual(found, ['.kiro/sessions/cli/a.json']);
  });
});
