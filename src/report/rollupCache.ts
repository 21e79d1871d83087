// The daily rollup, kept up to date incrementally (docs/ledger.md, Rollup cache): the dashboard needs a year of
// heavy use (1 M events) in well under 300 ms, so a load reads only the bytes appended to the
// segments since the last load and adds them to the rows it already has.
//
// What a load starts from: the state this process's previous load left in memory; else the
// state file of its time zone and reader, <storageDir>/ledger/cache/daily-rollup-<digest>.cache; else nothing (a rebuild from every
// segment). The state is:
//  - per segment, its identity (dev+inode) and the offset read up to, with its invalid and torn
//    line counts;
//  - the daily rows in compact form (CompactRollup);
//  - the identity index: for each event identity (dedupe.ts eventKey, as a 53-bit hash), where its
//    counted event is (segment number, byte offset). When a later event repeats an identity (an
//    importer's upsert, possibly in another segment, on another day; or a copied segment's
//    duplicate), the earlier event is read back from its segment: a usage event is taken out of the
//    rows and replaced, an inline duplicate is not added, so the rows always equal a from-scratch
//    rollup (rollupDaily over readLedger). An offset instead of the event's figures keeps the index
//    at 24 bytes per identity, and reading the earlier line back confirms the identity, so a hash
//    collision is never taken for a copy. The index is decoded only when new bytes hold an event
//    with an identity.
// The three parts live in one file replaced by an atomic rename, so a reader never sees rows of
// one load beside the index of another, whatever other windows save at the same time.
// Rows are merged across segments rather than kept per segment: a segment only ever grows, and
// the ways it shrinks, disappears or is replaced (compaction.ts, a user deleting files) are rare
// enough that a full rebuild is the simple, safe answer. A change of rollup schema, of the events the
// reader accepts (acceptedEvents) or of time zone also rebuilds.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod';
import { RollupAccumulator } from './rollup';
import type { CompactRollup, UsageTotalsRow } from './rollup';
import type { InlineRow } from './rows';
import { describeError } from '../privacy/errors';
import { makePrivateDir, writeFileAtomic } from '../privacy/privateFiles';
import { eventKey } from '../ledger/dedupe';
import { LEDGER_SCHEMA_VERSION, LedgerEvent } from '../ledger/events';
import { ledgerDir, listSegments, MAX_LINE_BYTES, openSegment, parseLedgerLine, scanLines, segmentsDir } from '../ledger/segments';
import type { WrittenBatch } from '../ledger/writer';

/** Bump when rows, their meaning or the state file's layout change: every cache is then rebuilt. */
const ROLLUP_SCHEMA_VERSION = 5;

/**
 * State files kept, one per time zone and reader, the most recently saved: the editor's zone and another (`assay report
 * --tz UTC` in a script), and the editor's Assay and a command line of another version, so none rebuilds after the
 * other, while a zone or a version used once does not keep its state for ever.
 */
const MAX_STATE_FILES = 3;
const STATE_FILE_NAME = /^daily-rollup-[0-9a-f]{16}\.cache$/;
/** The one state file of versions before each zone had its own. */
const FORMER_STATE_FILE = 'daily-rollup.cache';
/** First read of an event read back; longer lines are read on until their newline. */
const READ_BACK_BYTES = 16 * 1024;

export interface LoadDailyRollupOptions {
  timeZone: string;
  /**
   * False: when the rows would have to be rebuilt from every segment (no usable state, or one that
   * no longer matches the segments), reject with RebuildNeededError instead of doing it here. The
   * editor does the rebuild in a worker thread (rollupOffThread.ts): seconds of work on a year of
   * heavy use must not block its extension host. Default true.
   */
  rebuild?: boolean;
  /**
   * True: leave saving the updated state to this process's next load of the folder (`assay report` loads again
   * right after its import, which changes the state again): one state file write instead of two. Default false.
   */
  deferSave?: boolean;
}

export class RebuildNeededError extends Error {
  /**
   * @param unusableState why a saved state could not be brought up to date, when that was not the
   * ordinary reason (segments compacted or replaced since): a file-system error code or an error name.
   */
  constructor(readonly unusableState?: string) {
    super('the daily rollup must be rebuilt from every segment');
    this.name = 'RebuildNeededError';
  }
}

interface LoadStats {
  /** True when the rows were rebuilt from every segment (no usable state). */
  rebuilt: boolean;
  /** Where the load started from. */
  source: 'memory' | 'file' | 'rebuild';
  /** Segment bytes read by this load. */
  bytesRead: number;
  /**
   * Settles once the updated state is saved (true) or could not be, or was left to the next load (false; the rows are
   * correct either way). Saving starts after the rows are returned, so it never delays first data.
   */
  cacheSaved: Promise<boolean>;
  /**
   * Settles once the state to save has been encoded (soon after the rows are returned): from then on a later load
   * may change the state in memory, while the encoded copy is still being written.
   */
  stateEncoded: Promise<void>;
}

export interface DailyRollupResult {
  /** Sorted by date then keys. Rows unchanged since an earlier load may be shared with it: read-only. */
  inline: InlineRow[];
  usage: UsageTotalsRow[];
  /** Ledger lines that are JSON but not valid events (skipped, reported). */
  invalidLines: number;
  /** Ledger lines cut short by a crash, and unterminated last lines (skipped, reported). */
  tornLines: number;
  /** Segment files read. */
  segments: number;
  /** Entries named like segments that are not readable regular files (skipped, reported). */
  unreadableSegments: number;
  stats: LoadStats;
}

const SegmentStateSchema = z.object({
  name: z.string(),
  dev: z.number(),
  ino: z.number(),
  /** Bytes read: everything before this offset is in the rows. */
  offset: z.number().int().nonnegative(),
  invalidLines: z.number().int().nonnegative(),
  tornLines: z.number().int().nonnegative(),
});
type SegmentState = z.infer<typeof SegmentStateSchema>;

/**
 * The state file is: a 4-byte length and this header as JSON, a 4-byte length and the rows
 * (CompactRollup) as JSON, then the usage index as float64 pairs. The rows and index are checked
 * against the header's SHA-256 rather than by a schema: only this module writes them, under this
 * ROLLUP_SCHEMA_VERSION, and validating a year of rows field by field would cost more than the rest
 * of a load; the hash rejects a damaged or edited file.
 */
const StateHeaderSchema = z.object({
  rollupSchemaVersion: z.literal(ROLLUP_SCHEMA_VERSION),
  acceptedEvents: z.string(),
  timeZone: z.string(),
  segments: z.array(SegmentStateSchema),
  sha256: z.string(),
});
type StateHeader = z.infer<typeof StateHeaderSchema>;

/**
 * What this version's reader takes as an event rather than an invalid line, as versions differ in practice: every
 * field of every event kind with its type, the names an enum or a record's keys allow (a new source such as `kiro`,
 * a new kind of other edit) and its bounds. The editor and `assay report` share the state file and may be different
 * versions; one that does not know a newer source counts its lines as invalid and saves a state that has read past
 * them, which a newer version would otherwise start from and never read them again. Not the package version: a
 * release that does not touch the events keeps its users' caches. It came with ROLLUP_SCHEMA_VERSION 5, so the
 * versions before it, which do not check it, do not start from a state a newer reader saved either. The schema is
 * described from zod's definitions (about half a millisecond), not z.toJSONSchema (about 4 ms at every start).
 */
const ACCEPTED_EVENTS = createHash('sha256')
  .update(JSON.stringify([LEDGER_SCHEMA_VERSION, schemaDescription(LedgerEvent)]))
  .digest('hex')
  .slice(0, 16);

/** A zod schema's definition as plain data: types, shapes, options, checks and their bounds; a refinement is only `fn`. */
export function schemaDescription(value: unknown, within: Set<object> = new Set()): unknown {
  if (typeof value === 'function') return 'fn';
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof RegExp) return String(value);
  const definition = (value as { _zod?: { def?: unknown } })._zod?.def;
  if (definition !== undefined) {
    // A schema that contains itself (z.lazy) is described once.
    if (within.has(value)) return 'recursive';
    within.add(value);
    const described = schemaDescription(definition, within);
    within.delete(value);
    return described;
  }
  if (Array.isArray(value)) return value.map((item) => schemaDescription(item, within));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, schemaDescription(item, within)]));
}

interface RollupState {
  timeZone: string;
  segments: SegmentState[];
  accumulator: RollupAccumulator;
  /** Made from `indexBytes` when first needed. */
  identities: IdentityIndex | undefined;
  indexBytes: Buffer;
  /** Holds written batches (addWrittenEvents) the state file does not have yet. */
  unsaved: boolean;
}

export function rollupCacheDir(storageDir: string): string {
  return path.join(ledgerDir(storageDir), 'cache');
}

/**
 * The state file of `timeZone`'s rows as this version reads the ledger: named by a digest, since a zone name holds `/`,
 * of the zone and of what the reader accepts, so that readers of two versions (the editor's Assay, a command line
 * installed apart) keep a file each instead of rebuilding after each other.
 */
export function rollupStateFile(storageDir: string, timeZone: string): string {
  const digest = createHash('sha256').update(`${timeZone}\n${ROLLUP_SCHEMA_VERSION}\n${ACCEPTED_EVENTS}`).digest('hex');
  return path.join(rollupCacheDir(storageDir), `daily-rollup-${digest.slice(0, 16)}.cache`);
}

/** Each folder's state after this process's last load, so the next load reads nothing it has seen. */
const statesInMemory = new Map<string, RollupState>();
/** Each folder's last queued load or added batch (inTurn): the work on one folder's state runs one piece at a time. */
const queuedWork = new Map<string, Promise<void>>();
/** The state file writes of each folder, one after another, so an older state never lands over a newer one. */
const stateWrites = new Map<string, Promise<boolean>>();

/**
 * Daily rows of the whole ledger in `timeZone`, equal to `rollupDaily(readLedger(storageDir).events)`,
 * reading only what was appended since the last load. Loads of one folder within a process run
 * one after another; loads in different processes are safe (each saves a whole state atomically).
 */
export function loadDailyRollup(storageDir: string, options: LoadDailyRollupOptions): Promise<DailyRollupResult> {
  const key = path.resolve(storageDir);
  // The next load of this folder waits until this one's state is encoded for saving (not until it is written).
  return inTurn(
    key,
    () => loadOnce(key, options.timeZone, options.rebuild ?? true, options.deferSave ?? false),
    (result) => result.stats.stateEncoded,
  );
}

/**
 * Runs `work` on the folder `key` after the work already queued on it (loads and added batches), and makes the work
 * queued next wait until `done(result)` settles (or `work` fails).
 */
function inTurn<T>(key: string, work: () => Promise<T>, done: (result: T) => Promise<void>): Promise<T> {
  const previous = queuedWork.get(key) ?? Promise.resolve();
  const running = previous.then(work);
  const settled = running.then(done, () => undefined);
  queuedWork.set(key, settled);
  void settled.then(() => {
    if (queuedWork.get(key) === settled) queuedWork.delete(key);
  });
  return running;
}

/**
 * Adds a batch this process has just written (LedgerWriter's `onWritten`) to the folder's state in memory, as a load
 * would read it from the segment, so the next load finds those lines already counted instead of reading, parsing and
 * validating them again: `assay report` imports, then reports, and reading back what it had just written was a tenth
 * of its time on 500 MB of logs (test/bench/importClaude.ts). Does nothing when this process has no state for the
 * folder, or when the batch does not start exactly where the state has read its segment up to (the next load then
 * reads it from the file). Runs after the folder's loads in progress, as a load does.
 */
export function addWrittenEvents(storageDir: string, batch: WrittenBatch): Promise<void> {
  const key = path.resolve(storageDir);
  return inTurn(
    key,
    async () => {
      const state = statesInMemory.get(key);
      if (!state) return;
      try {
        await new RollupUpdate(key, state, 'memory').addWritten(batch);
      } catch {
        // A read-back failed part-way: this state no longer matches the segments. The next load starts from the file.
        statesInMemory.delete(key);
      }
    },
    () => Promise.resolve(),
  );
}

/** Forgets the in-memory states, so the next load starts from the state file (tests, benchmarks). */
export function forgetRollupStates(): void {
  statesInMemory.clear();
}

/** The state no longer matches the segments (or itself): the rows must be rebuilt. */
class StaleState extends Error {}

async function loadOnce(storageDir: string, timeZone: string, rebuild: boolean, deferSave: boolean): Promise<DailyRollupResult> {
  let state = statesInMemory.get(storageDir);
  let source: LoadStats['source'] = 'memory';
  if (state?.timeZone !== timeZone) {
    state = await readStateFile(storageDir, timeZone);
    source = 'file';
  }
  statesInMemory.delete(storageDir);
  let unusableState: string | undefined;
  if (state) {
    try {
      return await new RollupUpdate(storageDir, state, source).run(deferSave);
    } catch (error) {
      // The segments themselves are the truth, so any failure rebuilds from them rather than failing
      // every later load. A stale state (segments compacted or replaced) is ordinary; anything else (a
      // segment unreadable mid-load, a damaged cache that passed its checksum) is named for the log.
      unusableState = error instanceof StaleState ? undefined : describeError(error);
    }
  }
  if (!rebuild) throw new RebuildNeededError(unusableState);
  return new RollupUpdate(storageDir, emptyState(timeZone), 'rebuild').run(deferSave);
}

function emptyState(timeZone: string): RollupState {
  return {
    timeZone,
    segments: [],
    accumulator: new RollupAccumulator(timeZone),
    identities: new IdentityIndex(),
    indexBytes: Buffer.alloc(0),
    unsaved: false,
  };
}

/**
 * Identity hash → (segment number, byte offset) of its counted event. Every event with an identity
 * is here (a year of heavy use: a million), so the state file holds the index as sorted
 * (hash, segment, offset) triples that a load uses as they are, by binary search, instead of
 * decoding a million Map entries before it can add the first new event; what a load adds or moves
 * goes into a Map on top, merged into the sorted triples when the state is saved. Locations are
 * plain numbers, so neither the number of segments nor a segment's size is bounded by packing.
 * The triples are float64 in the machine's byte order (little-endian on every platform VS Code runs on).
 */
export class IdentityIndex {
  private readonly added = new Map<number, number>();
  private segments = new Float64Array(1024);
  private offsets = new Float64Array(1024);

  /** `sorted`: (hash, segment, offset) triples in ascending hash order. */
  constructor(private readonly sorted = new Float64Array(0)) {}

  /** The location `hash` had before, or undefined; records the new location either way. */
  swap(hash: number, segment: number, offset: number): { segment: number; offset: number } | undefined {
    let slot = this.added.get(hash);
    let previous: { segment: number; offset: number } | undefined;
    if (slot !== undefined) {
      previous = { segment: this.segments[slot], offset: this.offsets[slot] };
    } else {
      const at = this.findSorted(hash);
      if (at >= 0) previous = { segment: this.sorted[at + 1], offset: this.sorted[at + 2] };
      slot = this.added.size;
      this.added.set(hash, slot);
    }
    this.put(slot, segment, offset);
    return previous;
  }

  /** Keeps the recorded location of `hash` (an inline duplicate points at the copy that counts). */
  restore(hash: number, location: { segment: number; offset: number }): void {
    this.put(this.added.get(hash) as number, location.segment, location.offset);
  }

  encode(): Buffer {
    const hashes = Float64Array.from(this.added.keys()).sort();
    const merged = new Float64Array(this.sorted.length + hashes.length * 3);
    let out = 0;
    let from = 0;
    const copySortedBelow = (limit: number) => {
      while (from < this.sorted.length && this.sorted[from] < limit) {
        merged.set(this.sorted.subarray(from, from + 3), out);
        out += 3;
        from += 3;
      }
    };
    for (const hash of hashes) {
      copySortedBelow(hash);
      if (from < this.sorted.length && this.sorted[from] === hash) from += 3;
      const slot = this.added.get(hash) as number;
      merged[out] = hash;
      merged[out + 1] = this.segments[slot];
      merged[out + 2] = this.offsets[slot];
      out += 3;
    }
    copySortedBelow(Infinity);
    return Buffer.from(merged.buffer, 0, out * 8);
  }

  static decode(bytes: Buffer): IdentityIndex {
    // Copied once into an aligned buffer: a Float64Array cannot view a Buffer at any offset.
    const sorted = new Float64Array(bytes.length / 8);
    Buffer.from(sorted.buffer).set(bytes);
    return new IdentityIndex(sorted);
  }

  /** The index in `sorted` of `hash`'s triple, or -1. */
  private findSorted(hash: number): number {
    let low = 0;
    let high = this.sorted.length / 3 - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const value = this.sorted[middle * 3];
      if (value === hash) return middle * 3;
      if (value < hash) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  private put(slot: number, segment: number, offset: number): void {
    if (slot >= this.segments.length) {
      const segments = new Float64Array(this.segments.length * 2);
      segments.set(this.segments);
      this.segments = segments;
      const offsets = new Float64Array(this.offsets.length * 2);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.segments[slot] = segment;
    this.offsets[slot] = offset;
  }
}

/** One load: brings a state up to date with the segments on disk. */
class RollupUpdate {
  /** Per segment number, the offset before which every line is already in the rows. */
  private readonly frontier: number[];
  private readonly readers = new Map<number, fs.FileHandle>();
  private bytesRead = 0;
  private changed: boolean;

  constructor(
    private readonly storageDir: string,
    private readonly state: RollupState,
    private readonly source: LoadStats['source'],
  ) {
    this.frontier = state.segments.map((segment) => segment.offset);
    this.changed = source === 'rebuild' || state.unsaved;
  }

  async run(deferSave = false): Promise<DailyRollupResult> {
    const { state } = this;
    let unterminatedLines = 0;
    const listing = await listSegments(this.storageDir);
    let unreadableSegments = listing.skipped;
    try {
      const byName = new Map(listing.files.map((file) => [file.name, file]));
      const work: { segment: number; size: number }[] = [];
      state.segments.forEach((segment, number) => {
        const file = byName.get(segment.name);
        if (!file || file.dev !== segment.dev || file.ino !== segment.ino || file.size < segment.offset) {
          throw new StaleState();
        }
        byName.delete(segment.name);
        if (file.size > segment.offset) work.push({ segment: number, size: file.size });
      });
      for (const file of byName.values()) {
        // A new segment that cannot be opened (unreadable, or swapped for a FIFO after listing)
        // stays out of the state, so it is read once it can be.
        if (!(await this.canOpen(file.name))) {
          unreadableSegments += 1;
          continue;
        }
        state.segments.push({ name: file.name, dev: file.dev, ino: file.ino, offset: 0, invalidLines: 0, tornLines: 0 });
        this.frontier.push(0);
        work.push({ segment: state.segments.length - 1, size: file.size });
        this.changed = true;
      }
      for (const { segment, size } of work) {
        if (await this.readSegment(segment, size)) unterminatedLines += 1;
      }
    } finally {
      await Promise.all([...this.readers.values()].map((reader) => reader.close()));
    }

    statesInMemory.set(path.resolve(this.storageDir), state);
    const rows = state.accumulator.snapshot();
    if (this.changed && deferSave) state.unsaved = true;
    const save = this.changed && !deferSave;
    const encoded = save
      ? new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          state.unsaved = false;
          return encodeStateFile(state);
        })
      : Promise.resolve(undefined);
    const cacheSaved = save ? encoded.then((bytes) => (bytes ? queueStateWrite(this.storageDir, state.timeZone, bytes) : false)) : Promise.resolve(!this.changed);
    return {
      inline: rows.inline,
      usage: rows.usage,
      invalidLines: state.segments.reduce((sum, segment) => sum + segment.invalidLines, 0),
      tornLines: state.segments.reduce((sum, segment) => sum + segment.tornLines, 0) + unterminatedLines,
      segments: state.segments.length,
      unreadableSegments,
      stats: {
        rebuilt: this.source === 'rebuild',
        source: this.source,
        bytesRead: this.bytesRead,
        cacheSaved,
        stateEncoded: encoded.then(() => undefined),
      },
    };
  }

  /** Adds a batch written at the end of one of the state's segments, or at the start of a new one (addWrittenEvents). */
  async addWritten(batch: WrittenBatch): Promise<void> {
    const { state } = this;
    if (path.dirname(path.resolve(batch.filePath)) !== path.resolve(segmentsDir(this.storageDir))) return;
    const name = path.basename(batch.filePath);
    let number = state.segments.findIndex((segment) => segment.name === name);
    if (number === -1) {
      if (batch.start !== 0) return;
      state.segments.push({ name, dev: batch.dev, ino: batch.ino, offset: 0, invalidLines: 0, tornLines: 0 });
      this.frontier.push(0);
      number = state.segments.length - 1;
    }
    const segment = state.segments[number];
    if (segment.dev !== batch.dev || segment.ino !== batch.ino || segment.offset !== batch.start) return;
    try {
      let offset = batch.start;
      for (let i = 0; i < batch.events.length; i++) {
        this.frontier[number] = offset;
        const adding = this.add(batch.events[i], number, offset);
        if (adding) await adding;
        offset += batch.lineBytes[i];
      }
      segment.offset = offset;
      state.unsaved = true;
    } finally {
      await Promise.all([...this.readers.values()].map((reader) => reader.close()));
    }
  }

  private async canOpen(name: string): Promise<boolean> {
    try {
      await (await openSegment(path.join(segmentsDir(this.storageDir), name))).close();
      return true;
    } catch {
      return false;
    }
  }

  /** Adds the segment's complete new lines; true when it ends in an unterminated line (left for later). */
  private async readSegment(number: number, size: number): Promise<boolean> {
    const segment = this.state.segments[number];
    const filePath = path.join(segmentsDir(this.storageDir), segment.name);
    const scan = await scanLines(filePath, segment.offset, size, (line, lineStart) => {
      this.frontier[number] = lineStart;
      const parsed = parseLedgerLine(line);
      if (parsed.kind === 'event') return this.add(parsed.event, number, lineStart);
      if (parsed.kind === 'invalid') segment.invalidLines += 1;
      else if (parsed.kind === 'torn') segment.tornLines += 1;
      return undefined;
    });
    this.bytesRead += scan.bytesRead;
    if (scan.end > segment.offset) this.changed = true;
    segment.offset = scan.end;
    this.frontier[number] = scan.end;
    return scan.tail.trim() !== '';
  }

  private add(event: LedgerEvent, segment: number, offset: number): void | Promise<void> {
    const key = eventKey(event);
    if (key === undefined) return this.state.accumulator.add(event);
    const index = (this.state.identities ??= IdentityIndex.decode(this.state.indexBytes));
    const hash = idHash(key);
    const previous = index.swap(hash, segment, offset);
    // Only an event already in the rows can be taken out of them.
    if (previous === undefined || !(previous.offset < (this.frontier[previous.segment] ?? 0))) {
      return this.state.accumulator.add(event);
    }
    return this.readEventAt(previous.segment, previous.offset).then((earlier) => {
      const sameIdentity = earlier !== undefined && eventKey(earlier) === key;
      if (!sameIdentity) return this.state.accumulator.add(event);
      // The later usage copy in ledger order counts (dedupe.ts), and segments are not always read in that order: a
      // duplicated segment (Finder's "copy", a sync tool's " (1)") sorts before its original but turns up after it
      // was read, holding the copies it had then.
      if (event.kind === 'usage' && this.isLaterInLedger(segment, offset, previous)) {
        this.state.accumulator.removeUsage(earlier as typeof event);
        return this.state.accumulator.add(event);
      }
      // An inline copy (the first one counts), or an earlier usage copy: the indexed one stays.
      index.restore(hash, previous);
    });
  }

  /** Whether the line at `offset` of segment `segment` comes after `other` in ledger order (segment names, then offsets). */
  private isLaterInLedger(segment: number, offset: number, other: { segment: number; offset: number }): boolean {
    const name = this.state.segments[segment].name;
    const otherName = this.state.segments[other.segment].name;
    return name === otherName ? offset > other.offset : name > otherName;
  }

  /** The event on the line at `offset`, read on until its newline however long the line is. */
  private async readEventAt(segment: number, offset: number): Promise<LedgerEvent | undefined> {
    let reader = this.readers.get(segment);
    if (!reader) {
      reader = await openSegment(path.join(segmentsDir(this.storageDir), this.state.segments[segment].name));
      this.readers.set(segment, reader);
    }
    let buffer = Buffer.alloc(READ_BACK_BYTES);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await reader.read(buffer, filled, buffer.length - filled, offset + filled);
      const end = buffer.subarray(filled, filled + bytesRead).indexOf(0x0a);
      if (end !== -1) {
        const parsed = parseLedgerLine(buffer.toString('utf8', 0, filled + end));
        return parsed.kind === 'event' ? parsed.event : undefined;
      }
      filled += bytesRead;
      if (bytesRead === 0 || filled > MAX_LINE_BYTES) return undefined;
      if (filled === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(buffer.length)]);
    }
  }
}

function encodeIdentities(state: RollupState): Buffer {
  if (state.identities) state.indexBytes = state.identities.encode();
  return state.indexBytes;
}

async function readStateFile(storageDir: string, timeZone: string): Promise<RollupState | undefined> {
  let data: Buffer;
  try {
    data = await fs.readFile(rollupStateFile(storageDir, timeZone));
  } catch {
    return undefined;
  }
  try {
    const headerLength = data.readUInt32LE(0);
    const header = StateHeaderSchema.parse(JSON.parse(data.toString('utf8', 4, 4 + headerLength)));
    if (header.timeZone !== timeZone || header.acceptedEvents !== ACCEPTED_EVENTS) return undefined;
    const body = data.subarray(4 + headerLength);
    if (createHash('sha256').update(body).digest('hex') !== header.sha256) return undefined;
    const rowsLength = body.readUInt32LE(0);
    const rows = JSON.parse(body.toString('utf8', 4, 4 + rowsLength)) as CompactRollup;
    const indexBytes = body.subarray(4 + rowsLength);
    if (indexBytes.length % 24 !== 0) return undefined;
    return {
      timeZone,
      segments: header.segments,
      accumulator: new RollupAccumulator(timeZone, rows),
      identities: undefined,
      indexBytes,
      unsaved: false,
    };
  } catch {
    return undefined;
  }
}

/** The whole state as the state file holds it; undefined when it cannot be encoded (the rows are correct either way). */
function encodeStateFile(state: RollupState): Buffer | undefined {
  try {
    const rows = Buffer.from(JSON.stringify(state.accumulator.compact()));
    const body = Buffer.concat([uint32(rows.length), rows, encodeIdentities(state)]);
    const header: StateHeader = {
      rollupSchemaVersion: ROLLUP_SCHEMA_VERSION,
      acceptedEvents: ACCEPTED_EVENTS,
      timeZone: state.timeZone,
      segments: state.segments,
      sha256: createHash('sha256').update(body).digest('hex'),
    };
    const headerBytes = Buffer.from(JSON.stringify(header));
    return Buffer.concat([uint32(headerBytes.length), headerBytes, body]);
  } catch {
    return undefined;
  }
}

/** Writes an encoded state through a temporary file renamed into place, after the folder's earlier writes. */
function queueStateWrite(storageDir: string, timeZone: string, bytes: Buffer): Promise<boolean> {
  const key = path.resolve(storageDir);
  const write = (stateWrites.get(key) ?? Promise.resolve(true)).then(async () => {
    try {
      await makePrivateDir(rollupCacheDir(storageDir));
      await writeFileAtomic(rollupStateFile(storageDir, timeZone), bytes);
      // Best effort: a state file another process has open may not be removable (Windows); it goes next time.
      await removeOlderStateFiles(storageDir).catch(() => undefined);
      return true;
    } catch {
      // A read-only ledger (say, a copy handed to `assay report`) still gets correct rows.
      return false;
    }
  });
  stateWrites.set(key, write);
  void write.then(() => {
    if (stateWrites.get(key) === write) stateWrites.delete(key);
  });
  return write;
}

/** Keeps the MAX_STATE_FILES state files saved last. */
async function removeOlderStateFiles(storageDir: string): Promise<void> {
  const folder = rollupCacheDir(storageDir);
  await fs.rm(path.join(folder, FORMER_STATE_FILE), { force: true });
  const files = await Promise.all(
    (await fs.readdir(folder))
      .filter((name) => STATE_FILE_NAME.test(name))
      .map(async (name) => ({ name, savedAt: (await fs.stat(path.join(folder, name)).catch(() => undefined))?.mtimeMs ?? 0 })),
  );
  const older = files.sort((a, b) => b.savedAt - a.savedAt).slice(MAX_STATE_FILES);
  await Promise.all(older.map((file) => fs.rm(path.join(folder, file.name), { force: true })));
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

/**
 * A 53-bit hash of an event identity (two 32-bit FNV-1a style lanes), so the index holds plain numbers:
 * a Map of numbers builds far faster than one of strings. A collision is never taken for an
 * upsert (RollupUpdate.add reads the earlier event back and compares ids); hand-written because
 * node:crypto digests cost about 1 µs each.
 */
function idHash(id: string): number {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    a = Math.imul(a ^ code, 0x01000193);
    b = Math.imul(b ^ code, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return (a >>> 11) * 0x1_0000_0000 + (b >>> 0);
}
