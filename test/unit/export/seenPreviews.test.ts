import * as assert from 'node:assert/strict';
import { ASKED, SeenPreviews, type StateStore } from '../../../src/export/seenPreviews';

const CANARY = 'CANARYseenh4';

function memoryState(): StateStore & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    get: <T>(key: string) => values.get(key) as T | undefined,
    update: async (key: string, value: unknown) => {
      values.set(key, value);
    },
  };
}

const HOUR = 3_600_000;

describe('remembered previews', () => {
  it('remember a folder and key as a digest: the editor state holds neither', async () => {
    const state = memoryState();
    const seen = new SeenPreviews(state, 'install secret', 'assay.team.previewed');
    const target = [`/home/${CANARY}-user/${CANARY}-share`, `${CANARY}-team-key`];
    assert.equal(seen.readiness(target, 0, HOUR), 'unseen');
    await seen.add(target, ASKED);

    assert.equal(seen.readiness(target, 0, HOUR), 'ready');
    assert.ok(!JSON.stringify([...state.values]).includes(CANARY));
    assert.equal(new SeenPreviews(state, 'install secret', 'assay.team.previewed').readiness(target, 0, HOUR), 'ready', 'kept across windows');
  });

  it('a preview shown unasked lets the export start only once its wait is over, in every window', async () => {
    const state = memoryState();
    const shownAt = Date.UTC(2026, 11, 4, 9);
    await new SeenPreviews(state, 'install secret', 'assay.otlp.previewed').add(['https://collector.example.com', ''], shownAt);
    // Another window, or this one after a reload, reads the same state.
    const other = new SeenPreviews(state, 'install secret', 'assay.otlp.previewed');
    assert.equal(other.readiness(['https://collector.example.com', ''], shownAt + 15_000, HOUR), 'waiting');
    assert.equal(other.readiness(['https://collector.example.com', ''], shownAt + HOUR / 2, HOUR), 'waiting');
    assert.equal(other.readiness(['https://collector.example.com', ''], shownAt + HOUR, HOUR), 'ready');
    // The next check's timer fired a few seconds early (or the preview's check started late): it is still the next check.
    assert.equal(other.readiness(['https://collector.example.com', ''], shownAt + HOUR - 5_000, HOUR), 'ready');
    // Asked for (the preview command, Send Now): nothing to wait for.
    await other.add(['https://collector.example.com', ''], ASKED);
    assert.equal(other.readiness(['https://collector.example.com', ''], shownAt + 15_000, HOUR), 'ready');
  });

  it('a preview counts only for the folder and key it showed', async () => {
    const seen = new SeenPreviews(memoryState(), 'install secret', 'assay.team.previewed');
    await seen.add(['/share/team', 'key one'], ASKED);
    assert.equal(seen.readiness(['/share/team', 'key two'], 0, HOUR), 'unseen');
    assert.equal(seen.readiness(['/share/other', 'key one'], 0, HOUR), 'unseen');
    assert.equal(seen.readiness(['/share/team', 'key one'], 0, HOUR), 'ready');
  });

  it('keeps a bounded list, dropping the oldest', async () => {
    const state = memoryState();
    const seen = new SeenPreviews(state, 'install secret', 'assay.otlp.previewed');
    for (let index = 0; index < 30; index++) await seen.add([`https://collector-${index}.example.com`, ''], ASKED);
    assert.equal((state.values.get('assay.otlp.previewed') as unknown[]).length, 20);
    assert.equal(seen.readiness(['https://collector-29.example.com', ''], 0, HOUR), 'ready');
    assert.equal(seen.readiness(['https://collector-0.example.com', ''], 0, HOUR), 'unseen');
  });

  it('ignores what an older release stored (bare ids) or anything malformed', async () => {
    const state = memoryState();
    const seen = new SeenPreviews(state, 'install secret', 'assay.otlp.previewed');
    await state.update('assay.otlp.previewed', [seen.idOf(['https://collector.example.com', '']), null, { id: 7 }]);
    assert.equal(seen.readiness(['https://collector.example.com', ''], 0, HOUR), 'unseen');
  });
});
