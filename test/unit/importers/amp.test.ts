import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { createPricer } from '../../../src/pricing/pricer';
import { assertNoFileHolds, CollectingSink, tempDir } from './fixtures';

// Amp's data folder as Amp writes it: see test/fixtures/importers/amp/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/amp');
const SECRET = 'SECRET-PLANTED-7c4e';
const CURRENT_THREAD = 'threads/T-3b1f6c2a-8d4e-4f0a-9c71-5e2d8a6b4c10.json';
const pricer = createPricer();

function setup() {
  const home = tempDir('amp-home');
  const storage = tempDir('amp-storage');
  const ampDir = path.join(home, '.local', 'share', 'amp');
  fs.cpSync(FIXTURES, ampDir, { recursive: true });
  fs.rmSync(path.join(ampDir, 'README.md'));
  const sink = new CollectingSink();
  const options: RunImportOptions = { storageDir: storage, secret: 'test-secret', pricer, env: {}, homeDir: home, platform: 'linux', sink };
  return { home, ampDir, storage, sink, options };
}

/** [input, cache read, cache write, output] of each event, by time. */
function tokens(events: UsageEvent[]): number[][] {
  return [...events]
    .sort((a, b) => a.t - b.t)
    .map((event) => [event.inputTokens, event.cacheReadTokens, event.cacheWrite5mTokens + event.cacheWrite1hTokens, event.outputTokens]);
}

describe('Amp thread files', () => {
  it('imports each model call of current threads and the ledger events of older ones', async () => {
    const s = setup();
    const summary = await runImport(s.options);
    const amp = summary.sources.find((source) => source.source === 'amp');
    assert.equal(amp?.found, true);
    assert.deepEqual(amp?.rejectedLines, { json: 1, timestamp: 1 }, 'the cut-off thread and the call without a date are counted and skipped');
    assert.deepEqual(tokens(s.sink.events), [
      [12, 9000, 4000, 300], // ledger event, cache counts from the message it names
      [0, 0, 0, 640], // ledger event with only a total: output
      [20, 13000, 0, 80],
      [3, 12000, 5210, 420], // Anthropic: input without cache
      [8, 17210, 300, 150],
      [3000, 6000, 0, 700], // Gemini: the uncached prompt Amp files as cache creation is input
      [3000, 1000, 0, 250], // OpenAI chat completions: the same
      [500, 2000, 0, 90], // OpenAI Responses: no model named
    ]);
    const model = (iso: string) => s.sink.events.find((event) => event.t === Date.parse(iso))?.model;
    assert.equal(model('2026-11-22T10:01:00.000Z'), pricer.keptModelName('gemini-3-pro-preview'));
    assert.equal(model('2025-12-01T10:00:06.000Z'), pricer.keptModelName('claude-haiku-4-5-20251001'));
    assert.equal(model('2026-11-22T10:03:00.000Z'), pricer.keptModelName('unknown'));
    const current = s.sink.events.filter((event) => event.t >= Date.parse('2026-11-22T00:00:00Z'));
    const legacy = s.sink.events.filter((event) => event.t < Date.parse('2026-11-22T00:00:00Z'));
    assert.equal(new Set(current.map((event) => event.session)).size, 1);
    assert.notEqual(current[0].session, legacy[0].session, 'one session per thread');
    assert.ok(current[0].project);
    assert.equal(legacy[0].project, current[0].project, 'threads in the same workspace folder share a project');
  });

  it('counts each call once when Amp rewrites a thread that goes on, and keeps no path, title or message text', async () => {
    const s = setup();
    await runImport(s.options);
    const file = path.join(s.ampDir, CURRENT_THREAD);
    const thread = JSON.parse(fs.readFileSync(file, 'utf8')) as { v: number; nextMessageId: number; messages: unknown[] };
    thread.messages.push(
      { role: 'user', messageId: 12, content: [{ type: 'text', text: SECRET }] },
      {
        role: 'assistant',
        messageId: 13,
        content: [{ type: 'text', text: SECRET }],
        state: { type: 'complete', stopReason: 'end_turn' },
        usage: { model: 'claude-sonnet-4-5-20250929', maxInputTokens: 168000, inputTokens: 4, outputTokens: 60, cacheCreationInputTokens: 120, cacheReadInputTokens: 17510, totalInputTokens: 17634, timestamp: '2026-11-22T10:06:00.000Z' },
      },
    );
    thread.v += 1;
    thread.nextMessageId = 14;
    fs.writeFileSync(file, JSON.stringify(thread, null, 2));
    const second = await runImport(s.options);
    assert.equal(second.events, 1);
    assert.deepEqual(tokens(s.sink.events.slice(-1)), [[4, 17510, 120, 60]]);
    assert.ok(!JSON.stringify(s.sink.events).includes(SECRET));
    assertNoFileHolds(s.storage, [SECRET]);
  });

  it("reads ${XDG_DATA_HOME:-~/.local/share}/amp/threads and ~/.local/share/amp/threads, or only $AMP_DATA_DIR's folders", () => {
    const home = tempDir('amp-discover');
    for (const file of [
      '.local/share/amp/threads/T-1.json',
      '.local/share/amp/threads/T-1.json.amptmp',
      '.local/share/amp/history.jsonl',
      'xdg/amp/threads/T-2.json',
      'archive/amp/threads/2026/T-3.json',
      'other/threads/T-4.json',
    ]) {
      fs.mkdirSync(path.dirname(path.join(home, file)), { recursive: true });
      fs.writeFileSync(path.join(home, file), '');
    }
    const found = (env: Record<string, string>) =>
      discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env, homeDir: home, platform: 'linux' }, discover: true })
        .files.filter((file) => file.source === 'amp')
        .map((file) => path.relative(home, file.path))
        .sort();
    assert.deepEqual(found({}), ['.local/share/amp/threads/T-1.json']);
    assert.deepEqual(found({ XDG_DATA_HOME: path.join(home, 'xdg') }), ['.local/share/amp/threads/T-1.json', 'xdg/amp/threads/T-2.json']);
    assert.deepEqual(found({ AMP_DATA_DIR: ` ~/archive/amp, ,${path.join(home, 'other')}` }), ['archive/amp/threads/2026/T-3.json', 'other/threads/T-4.json']);
  });
});
