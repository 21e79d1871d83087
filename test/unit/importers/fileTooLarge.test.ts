// A log too large to load is skipped visibly: counted as `fileTooLarge` in the run's rejections (incremental.ts).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runImport } from '../../../src/importers/runImport';
import { tempDir } from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/codex');
const EXPANDS_PAST_LIMIT = 'rollout-2026-03-03T09-00-00-019c0000-aaaa-7bbb-8ccc-000000000002.jsonl.zst';

describe('logs too large to load', () => {
  it('counts a compressed rollout that expands past 256 MB as fileTooLarge, and reads nothing from it', async () => {
    const home = tempDir('too-large-home');
    const day = path.join(home, '.codex', 'sessions', '2026', '03', '03');
    fs.mkdirSync(day, { recursive: true });
    fs.copyFileSync(path.join(FIXTURES, EXPANDS_PAST_LIMIT), path.join(day, EXPANDS_PAST_LIMIT));
    const events: unknown[] = [];
    const summary = await runImport({
      storageDir: tempDir('too-large-storage'),
      secret: 'test-secret',
      pricer: { normalizeModel: (raw) => raw },
      env: {},
      homeDir: home,
      platform: 'linux',
      sink: { append: (event) => events.push(event), flush: async () => undefined },
    });
    assert.deepEqual(summary.sources.find((source) => source.source === 'codex')?.rejectedLines, { fileTooLarge: 1 });
    assert.equal(events.length, 0);
  });
});
