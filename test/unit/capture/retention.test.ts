import assert from 'node:assert/strict';
import { RangeTracker, type RangeOwner } from '../../../src/capture/retention';
import { SimDoc, insert, replace } from './sim';
import type { TextChange } from '../../../src/capture/types';

interface Owner extends RangeOwner {
  letter: string;
}

function owner(letter: string, chars: number): Owner {
  return { letter, present: chars, touched: false };
}

/** A document plus a tracker fed the same changes, descending, as the engine does. */
class Fixture {
  readonly tracker = new RangeTracker<Owner>();
  readonly doc: SimDoc;

  constructor(text: string) {
    this.doc = new SimDoc(text);
  }

  /** An acceptance: `text` (one capital letter repeated) inserted at `offset` and tracked. */
  accept(offset: number, text: string): Owner {
    const o = owner(text[0], text.length);
    this.edit([insert(offset, text)]);
    this.tracker.add(o, offset, offset + text.length);
    return o;
  }

  edit(changes: TextChange[]): void {
    for (const c of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
      this.tracker.applyEdit(c.rangeOffset, c.rangeLength, c.text.length);
    }
    this.doc.apply(changes);
  }

  /** The text under each tracked range, in order. */
  trackedTexts(): string[] {
    return this.tracker.ranges().map(([start, end]) => this.doc.text.slice(start, end));
  }
}

describe('RangeTracker', () => {
  it('shifts a range when text is inserted or deleted before it', () => {
    const f = new Fixture('hello world');
    const a = f.accept(6, 'AAAA');
    f.edit([insert(0, 'xyz')]);
    f.edit([replace(1, 2, '')]);
    assert.deepEqual(f.trackedTexts(), ['AAAA']);
    assert.equal(a.touched, false);
    assert.equal(a.present, 4);
  });

  it('leaves a range alone when the edit is after it', () => {
    const f = new Fixture('hello world');
    const a = f.accept(2, 'AAAA');
    f.edit([insert(10, 'tail')]);
    f.edit([replace(7, 3, '')]);
    assert.deepEqual(f.tracker.ranges().map(([s, e]) => [s, e]), [[2, 6]]);
    assert.equal(a.touched, false);
  });

  it('text inserted strictly inside splits the range, touches it and is not counted', () => {
    const f = new Fixture('hello ');
    const a = f.accept(6, 'AAAAAA');
    f.edit([insert(8, 'typed')]);
    assert.equal(f.doc.text, 'hello AAtypedAAAA');
    assert.deepEqual(f.trackedTexts(), ['AA', 'AAAA']);
    assert.equal(a.touched, true);
    assert.equal(a.present, 6);
  });

  it('text inserted exactly at the start or end neither touches nor extends the range', () => {
    const f = new Fixture('hello ');
    const a = f.accept(6, 'AAAA');
    f.edit([insert(6, 'x')]);
    f.edit([insert(11, 'y')]);
    assert.equal(f.doc.text, 'hello xAAAAy');
    assert.deepEqual(f.tracker.ranges().map(([s, e]) => [s, e]), [[7, 11]]);
    assert.equal(a.touched, false);
    assert.equal(a.present, 4);
  });

  it('a deletion ending at the start or starting at the end does not touch the range', () => {
    const f = new Fixture('0123456789');
    const a = f.accept(5, 'AAA');
    f.edit([replace(3, 2, '')]);
    f.edit([replace(6, 2, '')]);
    assert.deepEqual(f.trackedTexts(), ['AAA']);
    assert.equal(a.touched, false);
  });

  it('an edit overlapping the start removes only the overlapped characters', () => {
    const f = new Fixture('0123456789');
    const a = f.accept(5, 'AAAAA');
    f.edit([replace(3, 4, 'zz')]);
    assert.equal(f.doc.text, '012zzAAA56789');
    assert.deepEqual(f.trackedTexts(), ['AAA']);
    assert.equal(a.present, 3);
    assert.equal(a.touched, true);
  });

  it('an edit overlapping the end removes only the overlapped characters', () => {
    const f = new Fixture('0123456789');
    const a = f.accept(5, 'AAAAA');
    f.edit([replace(8, 4, 'zzz')]);
    assert.equal(f.doc.text, '01234AAAzzz789');
    assert.deepEqual(f.trackedTexts(), ['AAA']);
    assert.equal(a.present, 3);
    assert.equal(a.touched, true);
  });

  it('replacing the whole range removes it: nothing present, touched', () => {
    const f = new Fixture('0123456789');
    const a = f.accept(5, 'AAAAA');
    f.edit([replace(5, 5, 'rewritten')]);
    assert.equal(f.tracker.rangeCount, 0);
    assert.equal(a.present, 0);
    assert.equal(a.touched, true);
  });

  it('replacing text strictly inside keeps both sides and counts only the removed characters', () => {
    const f = new Fixture('');
    const a = f.accept(0, 'AAAAAA');
    f.edit([replace(2, 2, 'xyz')]);
    assert.equal(f.doc.text, 'AAxyzAA');
    assert.deepEqual(f.trackedTexts(), ['AA', 'AA']);
    assert.equal(a.present, 4);
  });

  it('one deletion across several acceptances trims, drops and shifts each correctly', () => {
    const f = new Fixture('____________________');
    const a = f.accept(2, 'AAAA');
    const b = f.accept(8, 'BBB');
    const c = f.accept(13, 'CCCC');
    const d = f.accept(25, 'DD');
    // Deletes the last two A's, every B, the first C; D only shifts.
    f.edit([replace(4, 10, '')]);
    assert.deepEqual(f.trackedTexts(), ['AA', 'CCC', 'DD']);
    assert.deepEqual([a.present, b.present, c.present, d.present], [2, 0, 3, 2]);
    assert.deepEqual([a.touched, b.touched, c.touched, d.touched], [true, true, true, false]);
  });

  it('applies a multi-change event (offsets relative to the pre-event document) correctly', () => {
    const f = new Fixture('__________');
    const a = f.accept(2, 'AAA');
    const b = f.accept(9, 'BBB');
    // One deleted char in each, plus an insert before both; given in ascending order.
    f.edit([insert(0, 'pre'), replace(3, 1, ''), replace(10, 1, 'q')]);
    assert.deepEqual(f.trackedTexts(), ['A', 'A', 'B', 'B']);
    assert.deepEqual([a.present, b.present], [2, 2]);
  });

  it('remove() drops one owner; clear() drops all', () => {
    const f = new Fixture('__________');
    const a = f.accept(2, 'AAA');
    f.accept(8, 'BBB');
    f.edit([insert(3, 'x')]);
    f.tracker.remove(a);
    assert.deepEqual(f.trackedTexts(), ['BBB']);
    f.tracker.clear();
    assert.equal(f.tracker.rangeCount, 0);
  });

  it('keeps every range on exactly its own surviving characters through random edits', () => {
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const f = new Fixture('the quick brown fox jumps over the lazy dog');
      const owners: Owner[] = [];
      for (let step = 0; step < 40; step++) {
        const len = f.doc.text.length;
        const choice = random(10);
        if (choice < 2 && owners.length < 20) {
          const letter = String.fromCharCode(65 + owners.length);
          owners.push(f.accept(random(len + 1), letter.repeat(1 + random(6))));
        } else if (choice < 8) {
          const at = random(len + 1);
          f.edit([replace(at, random(Math.min(5, len - at) + 1), 'xyz'.slice(0, random(4)))]);
        } else {
          // A multi-change event: disjoint changes, in shuffled order.
          const a = random(Math.max(1, len - 4));
          const b = a + 2 + random(Math.max(1, len - a - 2));
          const changes = [replace(a, Math.min(2, len - a), 'm'), insert(Math.min(b, len), 'n')];
          f.edit(random(2) === 0 ? changes : changes.reverse());
        }
      }
      for (const o of owners) {
        const inDoc = [...f.doc.text].filter((ch) => ch === o.letter).length;
        assert.equal(o.present, inDoc, `round ${round} owner ${o.letter}`);
      }
      for (const [start, end, o] of f.tracker.ranges()) {
        assert.ok(end > start);
        assert.equal(f.doc.text.slice(start, end), o.letter.repeat(end - start), `round ${round}`);
      }
    }
  });
});
