import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { usageFromKiloMessage } from '../../../src/importers/sources/kilo';
import { querySqliteCopy } from '../../../src/importers/sqliteReader';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { CollectingSink, sqliteBytes, tempDir, TEST_CONTEXT } from './fixtures';

// A database written the way Kilo writes it: see test/fixtures/importers/kilo/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/kilo');
const SECRET = 'SECRET-PLANTED-7f3a';

// Table `session_message` as Kilo 7.7.9 creates it (the migration bundled in npm @kilocode/cli-linux-x64 7.7.9), with
// assistant steps as its session projector writes them (Kilo-Org/kilocode packages/core/src/session/projector.ts at
// 68b59571a0bdf5edc761ac90a86d160c9424c1b3 `insertMessage`: `data` is the encoded SessionMessage without `id`/`type`).
const SESSION_MESSAGE_SQL = `
CREATE TABLE \`session_message\` (
  \`id\` text PRIMARY KEY, \`session_id\` text NOT NULL, \`type\` text NOT NULL, \`seq\` integer,
  \`time_created\` integer NOT NULL, \`time_updated\` integer NOT NULL, \`data\` text NOT NULL
);
INSERT INTO session_message (id, session_id, type, seq, time_created, time_updated, data) VALUES
  ('msg_v2user', 'ses_1', 'user', 1, 1772400000000, 1772400000000, '{"text":"${SECRET} prompt","files":[],"agents":[],"time":{"created":1772400000000}}'),
  ('msg_v2step', 'ses_1', 'assistant', 3, 1772400001000, 1772400009000,
   '{"agent":"code","model":{"id":"claude-opus-4-5","providerID":"anthropic"},"content":[{"type":"text","id":"txt_v2","text":"${SECRET}"}],"finish":"stop","cost":0,"tokens":{"input":800,"output":150,"reasoning":50,"cache":{"read":12000,"write":600}},"time":{"created":1772400001000,"completed":1772400009000}}'),
  ('msg_v2running', 'ses_1', 'assistant', 5, 1772400020000, 1772400020000, '{"agent":"code","model":{"id":"gpt-5.2","providerID":"openai"},"content":[],"time":{"created":1772400020000}}'),
  ('msg_v2broken', 'ses_1', 'assistant', 7, 1772400030000, 1772400030000, '{"agent":"code","model":{"id":');
`;

function setup(withWal: boolean) {
  const home = tempDir('kilo-home');
  const storage = tempDir('kilo-storage');
  const dataDir = path.join(home, 'xdg-data', 'kilo');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.copyFileSync(path.join(FIXTURES, 'kilo.db'), path.join(dataDir, 'kilo.db'));
  if (withWal) fs.copyFileSync(path.join(FIXTURES, 'kilo.db-wal'), path.join(dataDir, 'kilo.db-wal'));
  const sink = new CollectingSink();
  const options: RunImportOptions = {
    storageDir: storage,
    secret: 'test-secret',
    pricer: { keptModelName: (raw) => raw.replace(/^[a-z]+\//, '') },
    env: { XDG_DATA_HOME: path.join(home, 'xdg-data') },
    homeDir: home,
    platform: 'linux',
    sink,
  };
  return { dataDir, sink, options };
}

describe('Kilo Code ≥ 7 / Kilo CLI (kilo.db)', () => {
  it('imports every committed assistant message, including those still only in the WAL', async () => {
    const s = setup(true);
    const summary = await runImport(s.options);
    const kilo = summary.sources.find((source) => source.source === 'kilo-code');
    assert.equal(kilo?.found, true);
    const byModel = new Map(s.sink.events.map((event) => [event.model, event]));
    assert.deepEqual([...byModel.keys()].sort(), ['claude-sonnet-4-5', 'gpt-5.2']);
    const claude = byModel.get('claude-sonnet-4-5') as UsageEvent;
    assert.deepEqual(
      [claude.inputTokens, claude.cacheReadTokens, claude.cacheWrite5mTokens, claude.outputTokens, claude.reasoningTokens],
      [1200, 18000, 2000, 300, 50],
    );
    assert.equal(claude.reportedCostUSD, 0.0123);
    assert.equal(claude.t, 1772355601000);
    const gpt = byModel.get('gpt-5.2') as UsageEvent;
    assert.deepEqual([gpt.inputTokens, gpt.cacheReadTokens, gpt.outputTokens, gpt.reasoningTokens], [3000, 9000, 520, 120]);
  });

  it('reads the main file alone when there is no WAL, and never changes either file', async () => {
    const s = setup(false);
    const before = fs.readFileSync(path.join(s.dataDir, 'kilo.db'));
    await runImport(s.options);
    assert.deepEqual(s.sink.events.map((event) => event.model), ['claude-sonnet-4-5']);
    assert.ok(fs.readFileSync(path.join(s.dataDir, 'kilo.db')).equals(before));
    assert.deepEqual(fs.readdirSync(s.dataDir), ['kilo.db']);
  });

  it('reads a WAL that grew since the last run, counting each message once', async () => {
    const s = setup(false);
    await runImport(s.options);
    fs.copyFileSync(path.join(FIXTURES, 'kilo.db-wal'), path.join(s.dataDir, 'kilo.db-wal'));
    const second = await runImport(s.options);
    assert.equal(second.events, 1);
    assert.equal(new Set(s.sink.events.map((event) => event.id)).size, 2);
  });

  it('counts a file that is not a database as rejected, without stopping the run', async () => {
    const s = setup(false);
    fs.writeFileSync(path.join(s.dataDir, 'kilo.db'), `not a database ${SECRET}`);
    const summary = await runImport(s.options);
    const kilo = summary.sources.find((source) => source.source === 'kilo-code');
    assert.deepEqual(kilo?.rejectedLines, { fields: 1 });
    assert.equal(summary.status, 'done');
  });

  it('keeps no path, title or prompt text, and skips user messages and broken rows', async () => {
    const rows = await querySqliteCopy(
      fs.readFileSync(path.join(FIXTURES, 'kilo.db')),
      fs.readFileSync(path.join(FIXTURES, 'kilo.db-wal')),
      'SELECT id, session_id, data FROM message',
    );
    assert.equal(rows.length, 4, 'the uncommitted transaction is not applied');
    const usages = rows.map(([id, session, data]) => usageFromKiloMessage(id, session, data, TEST_CONTEXT)).filter((u) => u !== undefined);
    assert.deepEqual(usages.map((u) => u.key).sort(), ['msg_a1', 'msg_a2']);
    for (const usage of usages) assert.ok(!JSON.stringify(usage).includes(SECRET));
    assert.equal(usageFromKiloMessage('m', 's', '{"role":"assistant","time":{"created":1772355601000}}', TEST_CONTEXT), undefined);
  });

  it('imports the assistant steps written to session_message, skipping a running step and counting a broken row', async () => {
    const s = setup(false);
    const file = path.join(s.dataDir, 'kilo.db');
    fs.writeFileSync(file, await sqliteBytes(SESSION_MESSAGE_SQL, fs.readFileSync(file)));
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'kilo-code')?.rejectedLines, { json: 1 });
    assert.deepEqual(s.sink.events.map((event) => event.model).sort(), ['claude-opus-4-5', 'claude-sonnet-4-5']);
    const step = s.sink.events.find((event) => event.model === 'claude-opus-4-5') as UsageEvent;
    assert.deepEqual(
      [step.inputTokens, step.cacheReadTokens, step.cacheWrite5mTokens, step.outputTokens, step.reasoningTokens],
      [800, 12000, 600, 200, 50],
      'output excludes reasoning, as in message',
    );
    assert.equal(step.t, 1772400001000);
    assert.equal(step.reportedCostUSD, null);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
  });

  it("finds another channel's kilo-<channel>.db, as Kilo 7.7.9 names it", () => {
    const home = tempDir('kilo-channel');
    const data = path.join(home, '.local', 'share', 'kilo');
    fs.mkdirSync(data, { recursive: true });
    fs.writeFileSync(path.join(data, 'kilo-dev.db'), '');
    const found = discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env: {}, homeDir: home, platform: 'linux' }, discover: true })
      .files.filter((file) => file.source === 'kilo-code')
      .map((file) => path.relative(home, file.path));
    assert.deepEqual(found, ['.local/share/kilo/kilo-dev.db']);
  });

  it("finds another channel's opencode-<channel>.db and the database $KILO_DB names, absolute or in the data folder", () => {
    const home = tempDir('kilo-discover');
    const data = path.join(home, '.local', 'share', 'kilo');
    const elsewhere = path.join(home, 'elsewhere');
    for (const file of [path.join(data, 'kilo.db'), path.join(data, 'opencode-dev.db'), path.join(data, 'custom.db'), path.join(elsewhere, 'mine.db')]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'kilo-code')
        .map((file) => path.relative(home, file.path))
        .sort();
    const defaults = ['.local/share/kilo/kilo.db', '.local/share/kilo/opencode-dev.db'];
    assert.deepEqual(found({}), defaults);
    assert.deepEqual(found({ KILO_DB: 'custom.db' }), ['.local/share/kilo/custom.db', ...defaults].sort());
    assert.deepEqual(found({ KILO_DB: path.join(elsewhere, 'mine.db') }), ['elsewhere/mine.db', ...defaults].sort());
  });
});
