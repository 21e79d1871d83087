import * as assert from 'node:assert/strict';
import { Lifetimes } from '../../src/lifetimes';

describe('Lifetimes', () => {
  function part(name: string, ended: string[], dispose?: () => unknown) {
    return {
      dispose: () => {
        ended.push(name);
        return dispose?.();
      },
    };
  }

  it('disposes the parts the last made first, so that each may use those made before it while it ends', async () => {
    const ended: string[] = [];
    const lifetimes = new Lifetimes(() => assert.fail('no disposal fails'));
    for (const name of ['log', 'ledger', 'status bar']) lifetimes.own(part(name, ended));
    await lifetimes.dispose();
    assert.deepEqual(ended, ['status bar', 'ledger', 'log']);
  });

  it('ends what a start that fails part-way had made, and nothing twice', async () => {
    const ended: string[] = [];
    const lifetimes = new Lifetimes(() => assert.fail('no disposal fails'));
    const start = () => {
      lifetimes.own(part('timer', ended));
      lifetimes.own(part('watcher', ended));
      throw new Error('no secret storage');
    };
    assert.throws(start, /no secret storage/);
    await lifetimes.dispose();
    await lifetimes.dispose();
    assert.deepEqual(ended, ['watcher', 'timer']);
  });

  it('disposes at once a part made after the parts were disposed (the window closed while activation still ran)', async () => {
    const ended: string[] = [];
    const lifetimes = new Lifetimes(() => assert.fail('no disposal fails'));
    lifetimes.own(part('output', ended));
    await lifetimes.dispose();
    lifetimes.own(part('import watcher', ended));
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(ended, ['output', 'import watcher']);
  });

  it('disposes every part when one throws or rejects, waits for those that end later, and tells of each failure', async () => {
    const ended: string[] = [];
    const failures: string[] = [];
    const lifetimes = new Lifetimes((error) => failures.push((error as Error).message));
    let flushed = false;
    lifetimes.own(part('ledger', ended, () => new Promise<void>((resolve) => setTimeout(() => resolve(void (flushed = true)), 20))));
    lifetimes.own(part('panel', ended, () => Promise.reject(new Error('panel gone'))));
    lifetimes.own(part('timer', ended, () => {
      throw new Error('timer gone');
    }));
    await lifetimes.dispose();
    assert.deepEqual(ended, ['timer', 'panel', 'ledger']);
    assert.equal(flushed, true, 'dispose settles only once the ledger has flushed');
    assert.deepEqual(failures.sort(), ['panel gone', 'timer gone']);
  });
});
