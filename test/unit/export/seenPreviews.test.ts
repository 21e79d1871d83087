import * as assert from 'node:assert/strict';
import { SeenPreviews, type StateStore } from '../../../src/export/seenPreviews';

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

describe('remembered previews', () => {
  it('remember a folder and key as a digest: the editor state holds neither', async () => {
    const state = memoryState();
    const seen = new SeenPreviews(state, 'install secret', 'assay.team.previewed');
    const target = [`/home/${CANARY}-user/${CANARY}-share`, `${CANARY}-team-key`];
    assert.equal(seen.has(target), false);
    await seen.add(target);

    assert.equal(seen.has(target), true);
    assert.ok(!JSON.stringify([...state.values]).includes(CANARY));
    assert.equal(new SeenPreviews(state, 'install secret', 'assay.team.previewed').has(target), true, 'kept across windows');
  });

  it('a preview counts only for the folder and key it showed', async () => {
    const seen = new SeenPreviews(memoryState(), 'install secret', 'assay.team.previewed');
    await seen.add(['/share/team', 'key one']);
    assert.equal(seen.has(['/share/team', 'key two']), false);
    assert.equal(seen.has(['/share/other', 'key one']), false);
    assert.equal(seen.has(['/share/team', 'key one']), true);
  });

  it('keeps a bounded list, dropping the oldest', async () => {
    const state = memoryState();
    const seen = new SeenPreviews(state, 'install secret', 'assay.otlp.previewed');
    for (let index = 0; index < 30; index++) await seen.add([`https://collector-${index}.example.com`, '']);
    assert.equal((state.values.get('assay.otlp.previewed') as string[]).length, 20);
    assert.equal(seen.has(['https://collector-29.example.com', '']), true);
    assert.equal(seen.has(['https://collector-0.example.com', '']), false);
  });
});
