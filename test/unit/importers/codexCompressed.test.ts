import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { UsageEvent } from '../../../src/ledger/events';
import { discoverFiles } from '../../../src/importers/discovery';
import { SOURCE_DEFINITIONS } from '../../../src/importers/sourceDefinitions';
import { runImport, type RunImportOptions } from '../../../src/importers/runImport';
import { MAX_WHOLE_FILE_BYTES } from '../../../src/importers/usageBounds';
import { decompressZstd } from '../../../src/importers/zstd';
import { CollectingSink, latestEvents, tempDir } from './fixtures';

// Rollouts compressed the way Codex compresses them: see test/fixtures/importers/codex/README.md.
const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/codex');
const PLAIN_NAME = 'rollout-2026-03-02T09-00-00-019c0000-aaaa-7bbb-8ccc-000000000001.jsonl';
const compressed = fs.readFileSync(path.join(FIXTURES, `${PLAIN_NAME}.zst`));

function setup() {
  const home = tempDir('codex-zst-home');
  const storage = tempDir('codex-zst-storage');
  const day = path.join(home, '.codex', 'sessions', '2026', '03', '02');
  fs.mkdirSync(day, { recursive: true });
  const sink = new CollectingSink();
  const options = (): RunImportOptions => ({
    storageDir: storage,
    secret: 'test-secret',
    pricer: { keptModelName: (raw) => (raw === 'gpt-5.2' ? raw : 'other') },
    env: {},
    homeDir: home,
    platform: 'linux',
    sink,
  });
  return { home, day, sink, options };
}

/** Latest event per id, as the ledger's readers see it. */
function usageTotals(events: UsageEvent[]) {
  const latest = latestEvents(events);
  let input = 0;
  let cacheRead = 0;
  let output = 0;
  for (const event of latest) {
    input += event.inputTokens;
    cacheRead += event.cacheReadTokens;
    output += event.outputTokens;
  }
  return { responses: latest.length, input, cacheRead, output };
}

const EXPECTED = { responses: 2, input: (12000 - 8000) + (15000 - 12000), cacheRead: 8000 + 12000, output: 300 + 400 };

describe('Codex compressed rollouts (.jsonl.zst)', () => {
  it('imports a compressed rollout whose plain file Codex deleted, with the plain file\'s numbers', async () => {
    const s = setup();
    fs.writeFileSync(path.join(s.day, `${PLAIN_NAME}.zst`), compressed);
    const summary = await runImport(s.options());
    assert.deepEqual(usageTotals(s.sink.events), EXPECTED);
    assert.equal(summary.sources.find((source) => source.source === 'codex')?.files, 1);
    assert.ok(s.sink.events.every((event) => event.model === 'gpt-5.2'));
  });

  it('counts a session once when Codex compresses a rollout that was already imported as plain text', async () => {
    const s = setup();
    const plain = path.join(s.day, PLAIN_NAME);
    fs.writeFileSync(plain, decompressZstd(compressed, 1 << 20) as Buffer);
    await runImport(s.options());
    assert.deepEqual(usageTotals(s.sink.events), EXPECTED);
    fs.rmSync(plain);
    fs.writeFileSync(`${plain}.zst`, compressed);
    const second = await runImport(s.options());
    assert.equal(second.events, 0);
    assert.deepEqual(usageTotals(s.sink.events), EXPECTED);
  });

  it('reads only the plain file when both exist, as Codex does', () => {
    const s = setup();
    fs.writeFileSync(path.join(s.day, PLAIN_NAME), decompressZstd(compressed, 1 << 20) as Buffer);
    fs.writeFileSync(path.join(s.day, `${PLAIN_NAME}.zst`), compressed);
    const codexFiles = discoverFiles({ definitions: SOURCE_DEFINITIONS, context: { env: {}, homeDir: s.home, platform: 'linux' }, discover: true })
      .files.filter((file) => file.source === 'codex')
      .map((file) => path.basename(file.path));
    assert.deepEqual(codexFiles, [PLAIN_NAME]);
  });

  it('counts a corrupt compressed file as rejected and imports the others', async () => {
    const s = setup();
    fs.copyFileSync(path.join(FIXTURES, 'corrupt.jsonl.zst.bin'), path.join(s.day, 'rollout-2026-03-02T10-00-00-broken.jsonl.zst'));
    fs.writeFileSync(path.join(s.day, `${PLAIN_NAME}.zst`), compressed);
    const summary = await runImport(s.options());
    const codex = summary.sources.find((source) => source.source === 'codex');
    assert.deepEqual(codex?.rejectedLines, { json: 1 });
    assert.equal(codex?.unreadableFiles, 0);
    assert.deepEqual(usageTotals(s.sink.events), EXPECTED);
  });

  it('counts a line of a compressed rollout that cannot be read as rejected, and the rollout\'s other responses still count', async () => {
    const s = setup();
    // The rollout above on another day, with a function call whose arguments nest a patch a million arrays deep.
    const name = 'rollout-2026-03-04T09-00-00-019c0000-aaaa-7bbb-8ccc-000000000003.jsonl.zst';
    fs.copyFileSync(path.join(FIXTURES, name), path.join(s.day, name));
    const summary = await runImport(s.options());
    assert.deepEqual(summary.sources.find((source) => source.source === 'codex')?.rejectedLines, { fields: 1 });
    assert.deepEqual(usageTotals(s.sink.events), EXPECTED);
  });

  it('refuses to expand compressed data beyond the bound', () => {
    const bomb = fs.readFileSync(path.join(FIXTURES, 'expands-to-4MB.zst'));
    assert.ok(bomb.length < 1024);
    assert.equal(decompressZstd(bomb, 1_000_000), undefined);
    assert.equal(decompressZstd(bomb, 4_000_000)?.length, 4_000_000);
  });

  it('refuses a frame whose header asks for a 1.9 GB window without allocating it, in any frame of a file', () => {
    // RFC 8878 §3.1.1: magic number, a descriptor with no content size, Window_Descriptor 0xa7 (2^30 + 7/8 of it),
    // then one last raw block of one byte, "A".
    const hostile = Buffer.from('28b52ffd00a709000041', 'hex');
    const rssBefore = process.memoryUsage().rss;
    assert.equal(decompressZstd(hostile, MAX_WHOLE_FILE_BYTES), undefined);
    assert.ok(process.memoryUsage().rss - rssBefore < 500 * 1024 * 1024);

    // §3.1.2: a skippable frame (magic 0x184D2A50, 3 bytes of user data), then the rollout's own frame.
    const skippable = Buffer.from('502a4d1803000000abcdef', 'hex');
    const plain = decompressZstd(compressed, MAX_WHOLE_FILE_BYTES)?.toString('utf8');
    assert.ok(plain?.includes('"type":"session_meta"'));
    assert.equal(decompressZstd(Buffer.concat([skippable, compressed]), MAX_WHOLE_FILE_BYTES)?.toString('utf8'), plain);
    assert.equal(decompressZstd(Buffer.concat([skippable, compressed, hostile]), MAX_WHOLE_FILE_BYTES), undefined);
  });
});
