// Tracks, per document, where each acceptance's characters are now (docs/metrics.md, Retention), updated
// through every later edit. Ranges are half-open [start, end) offsets into the current document:
// - an edit that deletes or replaces tracked characters removes them and touches the owner;
// - text inserted strictly inside a range is not AI: the range splits around it, owner touched;
// - text inserted exactly at a range's start or end neither touches nor extends it;
// - edits entirely before a range shift it.
// Ranges of all acceptances in a document are disjoint, so one array sorted by start is also
// sorted by end. Plain parallel number arrays (not objects) keep the per-keystroke path to a
// binary search plus a shift loop over numbers, with no allocation unless a range splits.
// Hand-written: no library offers an interval list with these edit semantics.

/** The acceptance a range belongs to; the tracker keeps its counters current. */
export interface RangeOwner {
  /** Tracked characters still present. */
  present: number;
  /** A later edit deleted, replaced or inserted inside its characters. */
  touched: boolean;
}

export class RangeTracker<Owner extends RangeOwner> {
  private starts: number[] = [];
  private ends: number[] = [];
  private owners: Owner[] = [];

  get rangeCount(): number {
    return this.starts.length;
  }

  /** Ranges as [start, end, owner] triples, in document order (tests and diagnostics). */
  ranges(): Array<[number, number, Owner]> {
    return this.starts.map((start, i) => [start, this.ends[i], this.owners[i]]);
  }

  /**
   * Starts tracking [start, end) for `owner`. The span must hold no tracked characters: the
   * engine first applies the accept's own edit (which makes room), then adds its range.
   */
  add(owner: Owner, start: number, end: number): void {
    if (end <= start) return;
    const i = this.firstEndingAfter(start);
    this.starts.splice(i, 0, start);
    this.ends.splice(i, 0, end);
    this.owners.splice(i, 0, owner);
  }

  /**
   * Applies one change given in the coordinates of the document just before it. For several
   * changes of one event (all relative to the pre-event document) call this in descending
   * `rangeOffset` order: then no change moves the offsets of the ones still to apply.
   */
  applyEdit(rangeOffset: number, rangeLength: number, insertedLength: number): void {
    const n = this.starts.length;
    if (n === 0) return;
    const starts = this.starts;
    const ends = this.ends;
    const editEnd = rangeOffset + rangeLength;
    const delta = insertedLength - rangeLength;
    let i = this.firstEndingAfter(rangeOffset);
    if (i === n) return;

    // Ranges from i on end after the edit starts; those starting before it ends are hit (for a
    // pure insertion: a range starting before it, i.e. holding it strictly inside).
    if (starts[i] < editEnd) {
      i = this.applyToHitRanges(i, rangeOffset, editEnd, delta);
    }
    if (delta !== 0) {
      for (let k = i, len = starts.length; k < len; k++) {
        starts[k] += delta;
        ends[k] += delta;
      }
    }
  }

  /** Stops tracking every range of `owner` (its last checkpoint was emitted). */
  remove(owner: Owner): void {
    let write = 0;
    for (let read = 0; read < this.owners.length; read++) {
      if (this.owners[read] === owner) continue;
      this.starts[write] = this.starts[read];
      this.ends[write] = this.ends[read];
      this.owners[write] = this.owners[read];
      write++;
    }
    this.starts.length = write;
    this.ends.length = write;
    this.owners.length = write;
  }

  clear(): void {
    this.starts.length = 0;
    this.ends.length = 0;
    this.owners.length = 0;
  }

  /** Index of the first range whose end is after `offset` (ranges ending at it are untouched). */
  private firstEndingAfter(offset: number): number {
    const ends = this.ends;
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Trims, splits or drops the ranges from `first` that the edit [editStart, editEnd) hits, and
   * returns the index of the first range after them (still to be shifted by `delta`).
   */
  private applyToHitRanges(first: number, editStart: number, editEnd: number, delta: number): number {
    const starts = this.starts;
    const ends = this.ends;
    const owners = this.owners;
    const a = starts[first];
    const b = ends[first];
    if (a < editStart && b > editEnd) {
      // The edit lies strictly inside one range: split it around the new text.
      const owner = owners[first];
      owner.present -= editEnd - editStart;
      owner.touched = true;
      ends[first] = editStart;
      starts.splice(first + 1, 0, editEnd + delta);
      ends.splice(first + 1, 0, b + delta);
      owners.splice(first + 1, 0, owner);
      return first + 2;
    }
    let read = first;
    let write = first;
    const n = starts.length;
    while (read < n && starts[read] < editEnd) {
      const start = starts[read];
      const end = ends[read];
      const owner = owners[read];
      owner.present -= Math.min(end, editEnd) - Math.max(start, editStart);
      owner.touched = true;
      if (start < editStart) {
        // Keeps its head; the edit removed its tail.
        starts[write] = start;
        ends[write] = editStart;
        owners[write] = owner;
        write++;
      } else if (end > editEnd) {
        // Keeps its tail, which the delta shift will move.
        starts[write] = editEnd;
        ends[write] = end;
        owners[write] = owner;
        write++;
      }
      read++;
    }
    if (read !== write) {
      const removed = read - write;
      starts.splice(write, removed);
      ends.splice(write, removed);
      owners.splice(write, removed);
    }
    // Tails kept at `editEnd` still need the shift, like every range after them.
    return write > first && starts[write - 1] >= editEnd ? write - 1 : write;
  }
}
