// Reads one log file incrementally (`readFile`, in the run's thread or a read thread: readWorkers.ts), then the run
// admits what it found (`admitReading`, always in the run's thread, in discovery order). A large file's new lines come
// in parts, each admitted before the next is read, so that memory does not grow with the records of one file.
// - Line sources (files only grow): read complete lines from the saved offset; a partial last line
//   waits for the next run. A file that shrank, or whose first bytes changed (recycled inode, file
//   replaced), is read again from 0 with a fresh parser state.
// - Whole-file sources (files rewritten in place): re-parse when size, mtime and content hash changed.
// Either way a record is written only when the emitted index says it is new or better (see
// emittedIndex.ts); ids are stable, so re-reading a file never doubles anything.
// Another tool's files are only ever opened for reading.
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import { opaqueId } from '../privacy/opaqueId';
import { isBetterCopy, RecordIdMaker, type Admission, type CopyPolicy, type EmittedIndex, type RecordIds } from './emittedIndex';
import type { FileState } from './importState';
import { type ChunkPool, readCompleteLines } from './lineReader';
import type { ParsedEdit } from '../agentOutput/types';
import type { ParsedLimit } from './limitImport';
import { parseContext } from './rawJson';
import type { LineParser, ParseContext, ParsedUsage, UsageParser } from './types';
import { openRegularFile, readRegularFile } from '../files/boundedRead';
import { addRejection, MAX_DATABASE_BYTES, MAX_WHOLE_FILE_BYTES, type RejectedLines, type RejectReason, type UsageBounds } from './usageBounds';
import { querySqliteCopy } from './sqliteReader';
import { decompressZstd } from './zstd';
import type { UsageSource } from '../ledger/events';

/** Bytes hashed at the start of a file to recognise it (a first log line is longer than this). */
const HEAD_BYTES = 512;
/**
 * Most records, edits and limits one reading of a line source holds; the rest of the file's new lines come in further
 * readings. Read whole, a log of a million small responses peaked at 2.6 GB. Far above a session log's few hundred
 * responses, so that a normal file is one reading (a part costs an admission and, from a read thread, a message).
 */
export const READING_ITEMS = 8_192;
/** The most a whole file of this parser may hold to be loaded (usageBounds.ts says why the two differ). */
function maxBytes(parser: UsageParser): number {
  return parser.kind === 'whole' && parser.sqlite ? MAX_DATABASE_BYTES : MAX_WHOLE_FILE_BYTES;
}

/** The database's write-ahead log, when there is one no larger than a database may be. */
function readWal(dbPath: string): Buffer | undefined {
  try {
    return readRegularFile(`${dbPath}-wal`, MAX_DATABASE_BYTES);
  } catch {
    return undefined;
  }
}

export function fileIdentity(filePath: string, stat: fs.Stats, secret: string): string {
  if (stat.ino !== 0) return `i:${stat.dev}:${stat.ino}`;
  return `p:${opaqueId(secret, filePath)}:${Math.round(stat.birthtimeMs)}`;
}

/**
 * A digest of a log's bytes, keyed with the run's secret: a Cline task's first bytes are its prompt and times the
 * ledger holds, so an unkeyed one would let anyone check a guessed prompt against the import state. States saved
 * with unkeyed digests match nothing: each file is read again once, which doubles nothing (ids are stable).
 */
function contentDigest(secret: string, ...parts: Buffer[]): string {
  const hmac = createHmac('sha1', secret);
  for (const part of parts) hmac.update(part);
  return hmac.digest('hex');
}

/** A whole log's text, without the byte order mark some Windows editors and tools write first (it is no JSON). */
function logText(content: Buffer): string {
  const text = content.toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function hashHead(head: Buffer, secret: string): string {
  return `${head.length}:${contentDigest(secret, head)}`;
}

/** Synchronous like the line reader (see lineReader.ts): this runs in a worker or the CLI. */
function headHash(filePath: string, secret: string, size: number, length = Math.min(size, HEAD_BYTES)): string {
  const fd = openRegularFile(filePath);
  try {
    const buffer = Buffer.alloc(length);
    const bytesRead = fs.readSync(fd, buffer, 0, length, 0);
    return hashHead(buffer.subarray(0, bytesRead), secret);
  } finally {
    fs.closeSync(fd);
  }
}

/** A file's size and modification time when the run stat-ed it. */
export interface FileStat {
  size: number;
  mtimeMs: number;
}

/**
 * What reading one file needs: plain data and its parser, so that a read worker (readWorkers.ts) can do it as
 * well as the run's own thread.
 */
export interface FileReadInput {
  source: UsageSource;
  path: string;
  stat: FileStat;
  parser: UsageParser;
  previous: FileState | undefined;
  shouldStop: () => boolean;
  now: number;
  /** Records outside these bounds are counted in `rejected` and never emitted. */
  bounds: UsageBounds;
  /** The run's secret: keys the parser's name digests (parseContext in rawJson.ts) and the records' ids. */
  secret: string;
  /** Records at or after this time are counted from another file (DiscoveredFile.skipFrom). */
  skipFrom?: number;
  /** Records within this time (epoch ms, both ends included) were counted from another file in earlier runs (DiscoveredFile.coveredBy). */
  skipWithin?: { from: number; to: number };
  /** The chunk buffer the reading thread's reads share. */
  chunks: ChunkPool;
}

/** What reading one file, or one part of it, found before the run admits it: its records in log order, each within bounds. */
export interface FileReading {
  /** The file's next state; `parserState` is set by `admitReading` from the one below. */
  state: FileState;
  /** More of the file's new lines follow in the next reading (READING_ITEMS): `state` is where this part ends. */
  more?: boolean;
  /** A line parser's state after the new lines, as it keeps it in memory; absent when the file was not read. */
  parserState?: unknown;
  bytesRead: number;
  records: ParsedUsage[];
  /** The emitted index's ids of each record, in the same order. */
  ids: RecordIds[];
  /** A growing log's copies of a response compete on their tokens; a rewritten file's latest record wins. */
  policy: CopyPolicy;
  /** Read again because an earlier revision of its parser read it: each record replaces its own earlier copy once. */
  revised?: true;
  /** Each agent edit the parser reported, with where it was read: its line's byte offset, or -1 for a file parsed whole. */
  edits: Array<{ edit: ParsedEdit; at: number }>;
  limits: ParsedLimit[];
  /** Lines skipped as invalid, by reason. */
  rejected: RejectedLines;
}

/** Where a reading goes: the run's emitted index and event buffer, edits and limits. */
export interface ReadingSink {
  index: () => Promise<EmittedIndex>;
  /** Writes one admitted record under the given ledger id. */
  emit: (parsed: ParsedUsage, admission: Admission) => void;
  onEdit?: (edit: ParsedEdit, at: number) => void;
  onLimit?: (limit: ParsedLimit) => void;
  /** This source's rejected lines, added to. */
  rejected: RejectedLines;
  /** The name the ledger keeps for a logged model, for parser state that keeps a model between runs. */
  keptModelName: (rawModel: string) => string;
}

/** Collects what a parser reports while one file is read. */
class ReadingCollector {
  readonly records: ParsedUsage[] = [];
  readonly ids: RecordIds[] = [];
  readonly edits: Array<{ edit: ParsedEdit; at: number }> = [];
  readonly limits: ParsedLimit[] = [];
  readonly rejected: RejectedLines = {};
  /** Byte offset of the line being parsed, for the edits it reports. */
  at = -1;
  /**
   * Rejections of lines before this offset are not counted (-1 is a file parsed whole): a log read again for a later
   * parser revision counted its old lines' rejections when it first read them, and the run's warnings would repeat them.
   */
  rejectionsFrom = -Infinity;
  readonly context: ParseContext;
  private readonly idMaker: RecordIdMaker;
  /** Where in `records` each record id read in this reading is. */
  private readonly positions = new Map<string, number>();
  /**
   * Records from this time on, and within these times, are counted from another file instead (FileReadInput.skipFrom,
   * skipWithin). Copied from the input, whose shape differs from file to file: read from it for every record, they sent
   * the optimized line loop back to the interpreter at the first file of another shape.
   */
  private readonly skipFrom: number;
  private readonly skipWithinFrom: number;
  private readonly skipWithinTo: number;
  private readonly bounds: UsageBounds;

  constructor(
    input: FileReadInput,
    private readonly policy: CopyPolicy,
    private readonly revised: boolean,
  ) {
    this.skipFrom = input.skipFrom ?? Infinity;
    this.skipWithinFrom = input.skipWithin?.from ?? Infinity;
    this.skipWithinTo = input.skipWithin?.to ?? -Infinity;
    this.bounds = input.bounds;
    this.idMaker = new RecordIdMaker(input.secret, input.source);
    const counting = parseContext(input.secret, this.rejected);
    this.context = {
      nameDigest: counting.nameDigest,
      reject: (reason) => this.reject(reason),
      edit: (edit) => this.edits.push({ edit, at: this.at }),
      limit: (limit) => this.limits.push(limit),
    };
  }

  /**
   * A parser that throws on some hostile input is a bug, but one that would make its file unreadable on every run:
   * the line (or file) counts as rejected and the run goes on.
   */
  parse(parse: () => ParsedUsage[]): void {
    let parsed: ParsedUsage[];
    try {
      parsed = parse();
    } catch {
      this.reject('fields');
      return;
    }
    for (const record of parsed) {
      if (record.t >= this.skipFrom || (record.t >= this.skipWithinFrom && record.t <= this.skipWithinTo)) continue;
      const rejection = this.bounds.rejection(record);
      if (rejection !== undefined) {
        this.reject(rejection);
        continue;
      }
      // Streamed copies of a response follow each other in one file: only the best reaches the run's thread, in
      // the place of the first (the emitted index would keep the same one, at more cost in the thread that admits).
      const ids = this.idMaker.of(record);
      const at = this.positions.get(ids.id);
      if (at === undefined) {
        this.positions.set(ids.id, this.records.length);
        this.records.push(record);
        this.ids.push(ids);
      } else if (isBetterCopy(this.ids[at].entry, ids.entry, this.policy)) {
        this.records[at] = record;
        this.ids[at] = ids;
      }
    }
  }

  /** Counts a line (or file) skipped as invalid, unless counted before (`rejectionsFrom`). */
  reject(reason: RejectReason): void {
    if (this.at >= this.rejectionsFrom) addRejection(this.rejected, reason);
  }

  /** Whether the reading holds as much as one may (READING_ITEMS). */
  full(): boolean {
    return this.records.length + this.edits.length + this.limits.length >= READING_ITEMS;
  }

  reading(state: FileState, bytesRead: number, parserState?: unknown, more = false): FileReading {
    return {
      state,
      ...(more ? { more } : {}),
      bytesRead,
      records: this.records,
      ids: this.ids,
      policy: this.policy,
      ...(this.revised ? { revised: true as const } : {}),
      edits: this.edits,
      limits: this.limits,
      rejected: this.rejected,
      ...(parserState !== undefined ? { parserState } : {}),
    };
  }
}

/** A context that counts and keeps nothing: for lines parsed again only to rebuild a parser's state. */
function silentContext(context: ParseContext): ParseContext {
  return { nameDigest: context.nameDigest, reject: () => undefined, edit: () => undefined, limit: () => undefined };
}

function unchanged(previous: FileState | undefined, stat: FileStat): previous is FileState {
  return previous !== undefined && previous.size === stat.size && previous.mtimeMs === stat.mtimeMs;
}

/** A SQLite database whose tool writes through a WAL changes when either file does. */
function walStat(dbPath: string): fs.Stats | undefined {
  try {
    return fs.statSync(`${dbPath}-wal`);
  } catch {
    return undefined;
  }
}

/** The file's size and time as a change check must see them: a database's include its write-ahead log's. */
function effectiveStat(path: string, parser: UsageParser, stat: FileStat): FileStat {
  const wal = parser.kind === 'whole' && parser.sqlite ? walStat(path) : undefined;
  return wal ? { size: stat.size + wal.size, mtimeMs: Math.max(stat.mtimeMs, wal.mtimeMs) } : { size: stat.size, mtimeMs: stat.mtimeMs };
}

/** Whether an earlier revision of the parser read the file (types.ts, ParserRevision): it is read again from its start. */
export function readByEarlierRevision(parser: UsageParser, previous: FileState | undefined): boolean {
  return previous !== undefined && (previous.revision ?? 0) < (parser.revision ?? 0);
}

/** The revision a state records, if any. */
function revisionField(revision: number | undefined): { revision?: number } {
  return revision ? { revision } : {};
}

/**
 * Whether the file changed since the run that saved `previous`, or a later revision of its parser must read it again
 * (an unchanged file is not read at all).
 */
export function hasChanged(path: string, parser: UsageParser, stat: FileStat, previous: FileState | undefined): boolean {
  return !unchanged(previous, effectiveStat(path, parser, stat)) || readByEarlierRevision(parser, previous);
}

/**
 * Reads what is new in one file that changed since `previous` (hasChanged): one reading, or a large log's parts in
 * order, each to be admitted before the next is asked for. Throws when the file cannot be read (vanished, no
 * permission), before any reading or after some parts.
 */
export async function* readFile(input: FileReadInput): AsyncGenerator<FileReading> {
  const { parser } = input;
  input = { ...input, stat: effectiveStat(input.path, parser, input.stat) };
  if (parser.kind === 'lines') yield* readLines(input, parser);
  else yield await readWholeFile(input, parser);
}

/**
 * Admits a reading's records in log order (the emitted index decides which are new or better copies), hands on its
 * edits and limits, and returns the file's state as it is stored and how many responses were new.
 */
export async function admitReading(reading: FileReading, parser: UsageParser, sink: ReadingSink): Promise<{ state: FileState; newEvents: number }> {
  for (const [reason, count] of Object.entries(reading.rejected)) addRejection(sink.rejected, reason as RejectReason, count);
  let newEvents = 0;
  if (reading.records.length > 0) {
    const index = await sink.index();
    const read = { revision: parser.revision ?? 0, revised: reading.revised === true };
    for (let i = 0; i < reading.records.length; i++) {
      const parsed = reading.records[i];
      const admission = index.admit(parsed, reading.policy, reading.ids[i], read);
      if (admission === undefined) continue;
      sink.emit(parsed, admission);
      if (admission.isNew) newEvents++;
    }
  }
  if (sink.onEdit) for (const { edit, at } of reading.edits) sink.onEdit(edit, at);
  if (sink.onLimit) for (const limit of reading.limits) sink.onLimit(limit);
  const { state, parserState } = reading;
  if (parserState === undefined || parser.kind !== 'lines') return { state, newEvents };
  return { state: { ...state, parserState: parser.stateForStorage ? parser.stateForStorage(parserState, sink.keptModelName) : parserState }, newEvents };
}

function* readLines(input: FileReadInput, parser: Extract<UsageParser, { kind: 'lines' }>): Generator<FileReading> {
  const { stat, previous } = input;
  const revised = readByEarlierRevision(parser, previous);
  let restart = previous === undefined || stat.size < previous.offset || revised;
  // The stored head is as many first bytes as the file held, up to HEAD_BYTES, when it was taken: an empty file's head
  // matches any content, so it cannot vouch that the lines read up to the offset are still the file's.
  const storedHeadLength = previous ? Number(previous.headHash.split(':')[0]) || 0 : 0;
  const stored = previous?.parserState === undefined || parser.replayFromStart ? undefined : parser.storedState.safeParse(previous.parserState);
  if (!restart && previous) {
    restart =
      stored?.success === false ||
      (storedHeadLength === 0 && previous.offset > 0) ||
      headHash(input.path, input.secret, stat.size, storedHeadLength) !== previous.headHash;
  }
  const fromOffset = restart ? 0 : (previous as FileState).offset;
  const newCollector = () => {
    const made = new ReadingCollector(input, 'bestCopy', revised);
    if (revised && previous) made.rejectionsFrom = previous.offset;
    return made;
  };
  let collector = newCollector();
  let parserState: unknown;
  if (restart || previous?.parserState === undefined) {
    parserState = parser.initialState(input.path, collector.context);
  } else if (parser.replayFromStart) {
    parserState = replayState(input.path, parser, fromOffset, silentContext(collector.context), input.chunks);
  } else {
    // A copy (zod builds one): the saved state stays as it was if this read fails.
    parserState = stored?.data;
  }
  const parse = (line: string, lineOffset: number) => {
    collector.at = lineOffset;
    collector.parse(() => parser.parseLine(line, parserState, collector.context));
  };
  let headHashOfFile: string | undefined;
  let offset = fromOffset;
  for (;;) {
    const result = readCompleteLines(input.path, offset, stat.size, parse, {
      shouldStop: input.shouldStop,
      pause: () => collector.full(),
      markers: parser.lineMarkers,
      headBytes: offset === 0 ? HEAD_BYTES : undefined,
      onOversized: () => collector.reject('size'),
      chunks: input.chunks,
    });
    // A head shorter than the file now allows is lengthened once its bytes matched above, so a file first seen empty
    // or short is still recognised when it is later rewritten in place.
    headHashOfFile ??=
      !restart && previous && storedHeadLength >= Math.min(stat.size, HEAD_BYTES)
        ? previous.headHash
        : result.head
          ? hashHead(result.head, input.secret)
          : headHash(input.path, input.secret, stat.size);
    const state: FileState = {
      source: input.source,
      // A run stopped part-way stores a size that cannot match, so the next run resumes from the offset.
      size: result.complete ? stat.size : result.endOffset,
      mtimeMs: stat.mtimeMs,
      offset: result.endOffset,
      headHash: headHashOfFile,
      // A log read again for a later revision keeps its earlier one until read to its end: a run stopped part-way
      // leaves it to be read again from the start, where each record may still replace its earlier copy.
      ...revisionField(revised && (result.paused || !result.complete) ? previous?.revision : parser.revision),
      seenAt: input.now,
    };
    if (!result.paused) {
      yield collector.reading(state, result.bytesRead, parserState);
      return;
    }
    // The bytes past the part's last line are read again with the next part. The parser's state is copied: it reads
    // on, and a part's state must stay where the part ends.
    yield collector.reading(state, result.endOffset - offset, structuredClone(parserState), true);
    offset = result.endOffset;
    collector = newCollector();
  }
}

/** The state a parser has after the file's lines before `toOffset`, built from its initial state. */
function replayState(filePath: string, parser: LineParser<unknown>, toOffset: number, context: ParseContext, chunks: ChunkPool): unknown {
  const state = parser.initialState(filePath, context);
  readCompleteLines(filePath, 0, toOffset, (line) => {
    try {
      parser.parseLine(line, state, context);
    } catch {
      // Counted when the line was first read.
    }
  }, { markers: parser.lineMarkers, chunks });
  return state;
}

/**
 * Parses a log again to find edits reported earlier (`context.edit` receives them): a line source at the lines
 * starting at `offsets` (from the file's start up to the last of them when the parser replays from the start), a
 * whole-file source in full. Usage records and rejections are discarded. Throws when the file cannot be read.
 */
export async function reparseForEdits(filePath: string, parser: UsageParser, offsets: readonly number[], context: ParseContext, chunks: ChunkPool): Promise<void> {
  const quiet: ParseContext = { ...silentContext(context), edit: context.edit };
  const size = fs.statSync(filePath).size;
  if (parser.kind === 'lines') {
    const parse = (line: string, state: unknown) => {
      try {
        parser.parseLine(line, state, quiet);
      } catch {
        // A line that throws was counted when first read; its edit is then unknown.
      }
    };
    if (parser.replayFromStart) {
      const last = Math.max(...offsets);
      const state = parser.initialState(filePath, quiet);
      let past = false;
      readCompleteLines(filePath, 0, size, (line, at) => {
        if (at > last) past = true;
        else parse(line, state);
      }, { markers: parser.lineMarkers, shouldStop: () => past, chunks });
      return;
    }
    for (const offset of new Set(offsets)) {
      if (offset >= size) continue;
      let read = false;
      readCompleteLines(filePath, offset, size, (line) => {
        if (read) return;
        read = true;
        parse(line, parser.initialState(filePath, quiet));
      }, { shouldStop: () => read, chunks });
    }
    return;
  }
  const content = size > maxBytes(parser) ? undefined : readRegularFile(filePath, maxBytes(parser));
  if (content === undefined) return;
  if (parser.sqlite) {
    const rows = await querySqliteCopy(content, readWal(filePath), parser.sqlite.sql, parser.sqlite.zstdCellBytes);
    parser.sqlite.parseRows(rows, filePath, quiet);
    return;
  }
  const text = parser.compression === 'zstd' ? decompressZstd(content, MAX_WHOLE_FILE_BYTES) : content;
  if (text !== undefined) parser.parseFile(logText(text), filePath, quiet);
}

async function readWholeFile(input: FileReadInput, parser: Extract<UsageParser, { kind: 'whole' }>): Promise<FileReading> {
  const { stat, previous } = input;
  const revised = readByEarlierRevision(parser, previous);
  const collector = new ReadingCollector(input, 'latest', revised);
  const base = {
    source: input.source,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    offset: stat.size,
    ...revisionField(parser.revision),
    seenAt: input.now,
  };
  // The bound holds for the bytes read, not only for the size the run saw: the file may have grown since.
  const content = stat.size > maxBytes(parser) ? undefined : readRegularFile(input.path, maxBytes(parser));
  if (content === undefined) {
    // Counted on every run that finds it: the state stays what was last read, so the file never looks unchanged.
    collector.reject('fileTooLarge');
    const kept = previous ? { ...previous, seenAt: input.now } : { ...base, size: 0, mtimeMs: 0, offset: 0, headHash: '' };
    return collector.reading(kept, 0);
  }
  const wal = parser.sqlite ? readWal(input.path) : undefined;
  const contentHash = contentDigest(input.secret, content, wal ?? Buffer.alloc(0));
  const head = hashHead(content.subarray(0, HEAD_BYTES), input.secret);
  const state: FileState = { ...base, headHash: head, contentHash };
  if (previous?.contentHash === contentHash) {
    if (!revised) return collector.reading(state, content.length);
    // Parsed again for a later revision only: what it rejects was counted when it was first parsed.
    collector.rejectionsFrom = Infinity;
  }
  if (parser.sqlite) {
    const query = parser.sqlite;
    let rows: unknown[][];
    try {
      rows = await querySqliteCopy(content, wal, query.sql, query.zstdCellBytes);
    } catch {
      // Not a database, or not this tool's schema: counted once, re-read only when the file changes.
      collector.reject('fields');
      return collector.reading(state, content.length);
    }
    collector.parse(() => query.parseRows(rows, input.path, collector.context));
    return collector.reading(state, content.length + (wal?.length ?? 0));
  }
  let text: Buffer | undefined = content;
  if (parser.compression === 'zstd') {
    try {
      text = decompressZstd(content, MAX_WHOLE_FILE_BYTES);
      if (text === undefined) collector.reject('fileTooLarge');
    } catch {
      // Corrupt compressed data stays corrupt: counted once, and re-read only when the file changes.
      collector.reject('json');
      text = undefined;
    }
  }
  if (text !== undefined) {
    const decoded = logText(text);
    collector.parse(() => parser.parseFile(decoded, input.path, collector.context));
  }
  return collector.reading(state, content.length);
}
