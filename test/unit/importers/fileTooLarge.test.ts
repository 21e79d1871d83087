// A log too large to load is skipped visibly: counted as `fileTooLarge` in the run's rejections (incremental.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runImport } from '../../../src/importers/runImport';
import { tempDir } from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/codex');
const EXPANDS_PAST_LIMIT = 'rollout-2026-03-03T09-00-00-019c0000-aaaa-7bbb-8ccc-000000000002.jsonl.zst';

/** Imports a Codex home whose day folder holds these files (name → bytes); its Codex rejections and events. */
async function importCodexDay(files: Record<string, Buffer>) {
  const home = tempDir('too-large-home');
  const day = path.join(home, '.codex', 'sessions', '2026', '03', '03');
  fs.mkdirSync(day, { recursive: true });
  for (const [name, bytes] of Object.entries(files)) fs.writeFileSync(path.join(day, name), bytes);
  const events: unknown[] = [];
  const summary = await runImport({
    storageDir: tempDir('too-large-storage'),
    secret: 'test-secret',
    pricer: { keptModelName: (raw) => raw },
    env: {},
    homeDir: home,
    platform: 'linux',
    sink: { append: (event) => events.push(event), flush: async () => undefined },
  });
  return { codex: summary.sources.find((source) => source.source === 'codex'), events };
}

describe('logs too large to load', () => {
  it('counts a compressed rollout that expands past 256 MB as fileTooLarge, and reads nothing from it', async () => {
    const { codex, events } = await importCodexDay({ [EXPANDS_PAST_LIMIT]: fs.readFileSync(path.join(FIXTURES, EXPANDS_PAST_LIMIT)) });
    assert.deepEqual(codex?.rejectedLines, { fileTooLarge: 1 });
    assert.equal(events.length, 0);
  });

  it('counts a 10-byte compressed rollout whose frame asks for a 1.9 GB window as fileTooLarge, and imports the others', async () => {
    const rollout = 'rollout-2026-03-02T09-00-00-019c0000-aaaa-7bbb-8ccc-000000000001.jsonl.zst';
    const { codex, events } = await importCodexDay({
      // Zstandard frame header (RFC 8878 §3.1.1.1): no content size, Window_Descriptor 0xa7; then one raw byte.
      'rollout-2026-03-03T10-00-00-hostile.jsonl.zst': Buffer.from('28b52ffd00a709000041', 'hex'),
      [rollout]: fs.readFileSync(path.join(FIXTURES, rollout)),
    });
    assert.deepEqual(codex?.rejectedLines, { fileTooLarge: 1 });
    assert.equal(codex?.unreadableFiles, 0);
    assert.equal(events.length, 2);
  });
});
