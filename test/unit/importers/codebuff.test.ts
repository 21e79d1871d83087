import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { createPricer } from '../../../src/pricing/pricer';
import { assertNoFileHolds, CollectingSink, latestEvents, tempDir } from './fixtures';

// Codebuff's channel folders in the shape ccusage reads them: see test/fixtures/importers/codebuff/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/codebuff');
const SECRET = 'SECRET-PLANTED-7c31';
const FIRST_CHAT = `manicode/projects/${SECRET}-app/chats/2026-11-20T23-40-00.000Z/chat-messages.json`;
const pricer = createPricer();

function setup() {
  const home = tempDir('codebuff-home');
  const storage = tempDir('codebuff-storage');
  const config = path.join(home, '.config');
  fs.cpSync(FIXTURES, config, { recursive: true });
  fs.rmSync(path.join(config, 'README.md'));
  const sink = new CollectingSink();
  const options: RunImportOptions = { storageDir: storage, secret: 'test-secret', pricer, env: {}, homeDir: home, platform: 'linux', sink };
  return { home, config, storage, sink, options };
}

/** [UTC time, model, input, output, cache read, cache write] of each event, by time then input. */
function rows(events: UsageEvent[]): (string | number)[][] {
  return [...events]
    .sort((a, b) => a.t - b.t || a.inputTokens - b.inputTokens)
    .map((e) => [new Date(e.t).toISOString(), e.model, e.inputTokens, e.outputTokens, e.cacheReadTokens, e.cacheWrite5mTokens]);
}

describe('Codebuff chat messages', () => {
  it('imports each answer as ccusage counts it, skips user, error and empty messages, and counts a cut-off file', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const codebuff = summary.sources.find((source) => source.source === 'codebuff');
    assert.equal(codebuff?.found, true);
    assert.deepEqual(codebuff?.rejectedLines, { json: 1 }, 'the cut-off file is counted and skipped');
    const model = (name: string) => pricer.keptModelName(name);
    assert.deepEqual(rows(latestEvents(s.sink.events)), [
      ['2026-11-20T23:58:30.000Z', model('claude-sonnet-4-5-20250929'), 1200, 800, 56000, 4000],
      // Only the run state: the last step's prompt and cache, the earlier step's output.
      ['2026-11-21T00:06:10.000Z', model('openai/gpt-5'), 1500, 120, 700, 0],
      ['2026-11-21T09:15:00.000Z', model('gemini-2.5-pro'), 400, 250, 0, 0], // the total's rest is output
      // No timestamp: the chat id's time.
      ['2026-11-22T08:30:00.000Z', model('grok-4'), 200, 40, 20, 0],
      ['2026-11-22T08:30:00.000Z', model('unknown'), 300, 60, 50, 0],
    ]);
    const events = latestEvents(s.sink.events);
    assert.equal(new Set(events.map((event) => event.session)).size, 2, 'one session per chat');
    assert.equal(new Set(events.map((event) => event.project)).size, 1, 'chats of one project folder share a project');
  });

  it('replaces the records of a rewritten chat instead of adding them, and keeps no path, prompt or project name', async () => {
    const s = setup();
    const first = await runImport(s.options);
    assert.equal(first.events, 5);
    const file = path.join(s.config, FIRST_CHAT);
    const messages = JSON.parse(fs.readFileSync(file, 'utf8')) as { id: string; variant: string; timestamp?: string; metadata?: { usage?: Record<string, number> } }[];
    const answer = messages.find((message) => message.id === 'ai-1');
    if (!answer?.metadata?.usage) throw new Error('fixture changed');
    answer.metadata.usage.outputTokens = 950;
    messages.push({ id: 'ai-5', variant: 'ai', timestamp: '2026-11-21T10:00:00.000Z', metadata: { usage: { inputTokens: 10, outputTokens: 5 } } });
    fs.writeFileSync(file, JSON.stringify(messages, null, 2));
    const second = await runImport(s.options);
    assert.equal(second.events, 1, 'only the new answer is new');
    const events = latestEvents(s.sink.events);
    assert.equal(events.length, 6);
    assert.deepEqual(rows(events)[0].slice(2), [1200, 950, 56000, 4000]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it('counts a chat kept in two $CODEBUFF_DATA_DIR folders of one channel name once', async () => {
    const s = setup();
    const backup = path.join(s.home, 'backup', 'manicode');
    fs.cpSync(path.join(s.config, 'manicode'), backup, { recursive: true });
    await runImport({ ...s.options, env: { CODEBUFF_DATA_DIR: `${path.join(s.config, 'manicode')}, ${backup}` } });
    const events = latestEvents(s.sink.events);
    assert.equal(events.length, 3);
    assert.equal(events.filter((event) => event.inputTokens === 1200).length, 1);
  });

  it('looks in $CODEBUFF_DATA_DIR (a comma list), else the three channel folders, at chat-messages.json only', () => {
    const home = tempDir('codebuff-discover');
    for (const file of [
      '.config/manicode/projects/a/chats/c1/chat-messages.json',
      '.config/manicode/projects/a/chats/c1/run-state.json',
      // Newer builds' atomic-write temp, run-state backup and /history sidecar (cli/src/utils/run-state-storage.ts).
      '.config/manicode/projects/a/chats/c1/chat-messages.json.4242.0f1e2d3c.tmp',
      '.config/manicode/projects/a/chats/c1/run-state.json.bak',
      '.config/manicode/projects/a/chats/c1/chat-meta.json',
      '.config/manicode-dev/projects/b/chats/c2/chat-messages.json',
      '.config/manicode-staging/projects/c/chats/c3/chat-messages.json',
      '.config/manicode/chat-messages.json',
      '.config/manicode-beta/projects/d/chats/c4/chat-messages.json',
      'one/projects/e/chats/c5/chat-messages.json',
      'two/projects/f/chats/c6/chat-messages.json',
    ]) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'codebuff')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), [
      '.config/manicode-dev/projects/b/chats/c2/chat-messages.json',
      '.config/manicode-staging/projects/c/chats/c3/chat-messages.json',
      '.config/manicode/projects/a/chats/c1/chat-messages.json',
    ]);
    // An entry may name the channel folder or its `projects/` folder itself.
    assert.deepEqual(found({ CODEBUFF_DATA_DIR: ` ${path.join(home, 'one')} ,~/two/projects,` }), [
      'one/projects/e/chats/c5/chat-messages.json',
      'two/projects/f/chats/c6/chat-messages.json',
    ]);
  });
});
