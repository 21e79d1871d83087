import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { conventionOfVersion } from '../../../src/importers/sources/opencode';
import { reasoningInOutputV5, reasoningOutsideOutput } from '../../../src/importers/sources/opencodeMessages';
import { createPricer } from '../../../src/pricing/pricer';
import { assertNoFileHolds, CollectingSink, sqliteBytes, tempDir } from './fixtures';

// OpenCode's data folder as OpenCode writes it: see test/fixtures/importers/opencode/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/opencode');
const SECRET = 'SECRET-PLANTED-0c7e';
const pricer = createPricer();

interface Setup {
  dataDir: string;
  storage: string;
  sink: CollectingSink;
  options: RunImportOptions;
}

function setup(parts: { database?: boolean; files?: boolean }, env: (home: string) => Record<string, string> = (home) => ({ XDG_DATA_HOME: path.join(home, 'xdg') })): Setup {
  const home = tempDir('opencode-home');
  const storage = tempDir('opencode-storage');
  const dataDir = path.join(home, 'xdg', 'opencode');
  fs.mkdirSync(dataDir, { recursive: true });
  if (parts.database) fs.copyFileSync(path.join(FIXTURES, 'opencode.db'), path.join(dataDir, 'opencode.db'));
  if (parts.files) fs.cpSync(path.join(FIXTURES, 'storage'), path.join(dataDir, 'storage'), { recursive: true });
  const sink = new CollectingSink();
  const options: RunImportOptions = { storageDir: storage, secret: 'test-secret', pricer, env: env(home), homeDir: home, platform: 'linux', sink };
  return { dataDir, storage, sink, options };
}

/** Tokens of the event of this model as [input, cache read, cache write, output, reasoning]. */
function tokensOf(events: UsageEvent[], model: string): number[][] {
  return events
    .filter((event) => event.model === pricer.keptModelName(model))
    .map((event) => [event.inputTokens, event.cacheReadTokens, event.cacheWrite5mTokens, event.outputTokens, event.reasoningTokens]);
}

describe('OpenCode (opencode.db and storage/message files)', () => {
  it('imports assistant messages from the database with reasoning counted once, in every version', async () => {
    const s = setup({ database: true });
    const summary = await runImport(s.options);
    const opencode = summary.sources.find((source) => source.source === 'opencode');
    assert.equal(opencode?.found, true);
    assert.deepEqual(opencode?.rejectedLines, { json: 2 }, 'the rows with broken JSON (one in message, one in session_message) are counted and skipped');
    assert.deepEqual(tokensOf(s.sink.events, 'claude-sonnet-4-5'), [[1200, 18000, 2000, 400, 100]], 'total says output excludes reasoning');
    assert.deepEqual(tokensOf(s.sink.events, 'gpt-5.1'), [[3000, 9000, 0, 520, 120]], 'a 1.18.33 session without total');
    assert.deepEqual(
      tokensOf(s.sink.events, 'o3').sort(),
      [
        [1000, 500, 0, 500, 200],
        [2000, 1000, 0, 700, 500],
        [2000, 1000, 0, 700, 500],
      ],
      "a 1.3.2 total and a 1.1.53 session keep reasoning inside output; a total written after an upgrade, and the fork's copy, decide by themselves",
    );
    assert.deepEqual(tokensOf(s.sink.events, 'gemini-2.5-pro'), [[1500, 0, 0, 1000, 800]], "AI SDK v5's Google output excludes thoughts");
    const claude = s.sink.events.find((event) => event.model === pricer.keptModelName('claude-sonnet-4-5')) as UsageEvent;
    assert.equal(claude.reportedCostUSD, 0.0123);
    assert.equal(claude.t, 1772355601000);
    assert.equal(s.sink.events.length, 8, 'user messages and the forked copy add nothing; the two session_message steps add two');
  });

  it('imports the assistant steps OpenCode 2 writes to session_message, forked and backfilled copies once', async () => {
    const s = setup({ database: true });
    await runImport(s.options);
    assert.deepEqual(tokensOf(s.sink.events, 'claude-opus-4-5'), [[800, 12000, 600, 200, 50]], 'output excludes reasoning; the fork copy counts once');
    const step = s.sink.events.find((event) => event.model === pricer.keptModelName('claude-opus-4-5')) as UsageEvent;
    assert.equal(step.t, 1772400001000);
    assert.equal(step.reportedCostUSD, null, "1.18's runner writes cost 0 whatever the model costs: not a reported cost");
    const priced = s.sink.events.find((event) => event.model === pricer.keptModelName('gpt-5.2')) as UsageEvent;
    assert.deepEqual(tokensOf(s.sink.events, 'gpt-5.2'), [[2000, 0, 0, 300, 0]], 'a step still running adds nothing');
    assert.equal(priced.reportedCostUSD, 0.0042);
    assert.ok(
      tokensOf(s.sink.events, 'o3').every(([, , , output]) => output !== 1200),
      "a legacy message's backfilled copy keeps its session's token convention, so it cannot outweigh the original",
    );
  });

  it('reads a database from before session_message as before', async () => {
    const s = setup({ database: true });
    const file = path.join(s.dataDir, 'opencode.db');
    fs.writeFileSync(file, await sqliteBytes('DROP TABLE session_message', fs.readFileSync(file)));
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'opencode')?.rejectedLines, { json: 1 });
    assert.equal(s.sink.events.length, 6);
  });

  it('counts a message that is both in the database and in its pre-1.2 file once, and one only in files', async () => {
    const s = setup({ database: true, files: true });
    const summary = await runImport(s.options);
    assert.deepEqual(summary.sources.find((source) => source.source === 'opencode')?.rejectedLines, { json: 3 });
    assert.equal(tokensOf(s.sink.events, 'o3').length, 3, 'the 1.3.2 messages and the migrated 1.1.53 one');
    assert.deepEqual(tokensOf(s.sink.events, 'claude-sonnet-4'), [[10, 5000, 800, 250, 0]]);
    assert.equal(s.sink.events.length, 9);
  });

  it('reads the files of a version before 1.2 alone', async () => {
    const s = setup({ files: true });
    await runImport(s.options);
    assert.deepEqual(s.sink.events.map((event) => event.model).sort(), [pricer.keptModelName('claude-sonnet-4'), pricer.keptModelName('o3')].sort());
  });

  it('keeps no path, title or prompt text, and never changes the database', async () => {
    const s = setup({ database: true, files: true });
    const before = fs.readFileSync(path.join(s.dataDir, 'opencode.db'));
    await runImport(s.options);
    assert.ok(fs.readFileSync(path.join(s.dataDir, 'opencode.db')).equals(before));
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it('finds the database that $OPENCODE_DB names, absolute or relative to the data folder, and channel databases', () => {
    const home = tempDir('opencode-discover');
    const data = path.join(home, '.local', 'share', 'opencode');
    const elsewhere = path.join(home, 'elsewhere');
    for (const file of [path.join(data, 'opencode.db'), path.join(data, 'opencode-dev.db'), path.join(data, 'custom.db'), path.join(elsewhere, 'mine.db')]) {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'opencode')
        .map((file) => path.relative(home, file.path))
        .sort();
    const defaults = ['.local/share/opencode/opencode-dev.db', '.local/share/opencode/opencode.db'];
    assert.deepEqual(found({}), defaults);
    assert.deepEqual(found({ OPENCODE_DB: 'custom.db' }), ['.local/share/opencode/custom.db', ...defaults].sort());
    assert.deepEqual(found({ OPENCODE_DB: path.join(elsewhere, 'mine.db') }), ['elsewhere/mine.db', ...defaults].sort());
    assert.deepEqual(found({ OPENCODE_DB: ':memory:' }), defaults);
  });

  it('takes the token convention from the version that created the session', () => {
    assert.equal(conventionOfVersion('1.3.3'), reasoningInOutputV5);
    assert.equal(conventionOfVersion('0.15.2'), reasoningInOutputV5);
    assert.equal(conventionOfVersion('1.3.4'), reasoningOutsideOutput);
    assert.equal(conventionOfVersion('1.14.34'), reasoningOutsideOutput);
    assert.equal(conventionOfVersion('2.0.0-beta.3'), reasoningOutsideOutput);
    assert.equal(conventionOfVersion('local'), reasoningOutsideOutput);
    assert.equal(conventionOfVersion(null), reasoningOutsideOutput);
  });

  it('reads a database past the 256 MB a whole log file may have', async () => {
    const s = setup({ database: true });
    // SQLite reads the pages its header counts: zeros after them make the file large, not different.
    fs.truncateSync(path.join(s.dataDir, 'opencode.db'), 260 * 1024 * 1024);
    const summary = await runImport(s.options);
    assert.equal(summary.sources.find((source) => source.source === 'opencode')?.rejectedLines.fileTooLarge, undefined);
    assert.equal(s.sink.events.length, 8);
  });

  it('counts a database or log file too large to load as fileTooLarge on every run, reading nothing from it', async () => {
    const s = setup({ files: true });
    fs.writeFileSync(path.join(s.dataDir, 'opencode.db'), '');
    fs.truncateSync(path.join(s.dataDir, 'opencode.db'), 1024 * 1024 * 1024 + 1);
    const messageFile = path.join(s.dataDir, 'storage', 'message', 'ses_big', 'msg_big.json');
    fs.mkdirSync(path.dirname(messageFile), { recursive: true });
    fs.writeFileSync(messageFile, '');
    fs.truncateSync(messageFile, 256 * 1024 * 1024 + 1);
    for (let run = 0; run < 2; run++) {
      const summary = await runImport(s.options);
      assert.equal(summary.sources.find((source) => source.source === 'opencode')?.rejectedLines.fileTooLarge, 2, `run ${run}`);
    }
    assert.equal(s.sink.events.length, 2, 'the message files of normal size are read');
  });
});
