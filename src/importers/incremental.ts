// Reads one log file incrementally and hands its new usage records to the run.
// - Line sources (files only grow): read complete lines from the saved offset; a partial last line
//   waits for the next run. A file that shrank, or whose first bytes changed (recycled inode, file
//   replaced), is read again from 0 with a fresh parser state.
// - Whole-file sources (files rewritten in place): re-parse when size, mtime and content hash changed.
// Either way a record is written only when the emitted index says it is new or better (see
// emittedIndex.ts); ids are stable, so re-reading a file never doubles anything.
// Another tool's files are only ever opened for reading.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { opaqueId } from '../privacy/opaqueId';
import type { Admission, CopyPolicy, EmittedIndex } from './emittedIndex';
import type { FileState } from './importState';
import { readCompleteLines } from './lineReader';
import type { ParsedEdit } from '../agentOutput/types';
import type { LineParser, ParseContext, ParsedUsage, UsageParser } from './types';
import { addRejection, type RejectedLines, type UsageBounds } from './usageBounds';
import { querySqliteCopy } from './sqliteReader';
import { decompressZstd } from './zstd';
import type { UsageSource } from '../ledger/events';

/** Bytes hashed at the start of a file to recognise it (a first log line is longer than this). */
const HEAD_BYTES = 512;
/** Whole-file logs larger than this, stored or decompressed, are not loaded into memory (no such tool writes them). */
const MAX_WHOLE_FILE_BYTES = 256 * 1024 * 1024;

/** The database's write-ahead log, when there is one no larger than a whole file may be. */
function readWal(dbPath: string): Buffer | undefined {
  const wal = walStat(dbPath);
  if (!wal || wal.size > MAX_WHOLE_FILE_BYTES) return undefined;
  try {
    return fs.readFileSync(`${dbPath}-wal`);
  } catch {
    return undefined;
  }
}

export function fileIdentity(filePath: string, stat: fs.Stats, secret: string): string {
  if (stat.ino !== 0) return `i:${stat.dev}:${stat.ino}`;
  return `p:${opaqueId(secret, filePath)}:${Math.round(stat.birthtimeMs)}`;
}

function hashHead(head: Buffer): string {
  return `${head.length}:${createHash('sha1').update(head).digest('hex')}`;
}

/** Synchronous like the line reader (see lineReader.ts): this runs in a worker or the CLI. */
function headHash(filePath: string, size: number, length = Math.min(size, HEAD_BYTES)): string {
  const fd = fs.openSync(filePath, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const bytesRead = fs.readSync(fd, buffer, 0, length, 0);
    return hashHead(buffer.subarray(0, bytesRead));
  } finally {
    fs.closeSync(fd);
  }
}

export interface FileImportInput {
  source: UsageSource;
  path: string;
  stat: fs.Stats;
  parser: UsageParser;
  previous: FileState | undefined;
  /** Loaded on first need: a run that finds nothing new never reads the index. */
  index: () => Promise<EmittedIndex>;
  /** Writes one admitted record under the given ledger id. */
  emit: (parsed: ParsedUsage, admission: Admission) => void;
  shouldStop: () => boolean;
  now: number;
  /** Records outside these bounds are counted in `rejected` and never emitted. */
  bounds: UsageBounds;
  /** This source's rejected lines, by reason; added to, also when the file cannot be finished. */
  rejected: RejectedLines;
  /** The run's parser context; its rejections go to `rejected`. */
  context: ParseContext;
  /** The price data's name for a logged model, for parser state that keeps a model between runs. */
  normalizeModel: (rawModel: string) => string;
  /** Records at or after this time are counted from another file (DiscoveredFile.skipFrom). */
  skipFrom?: number;
  /**
   * Each agent edit the parser reports (src/agentOutput/types.ts), with where it was read: the byte offset of its
   * line, or -1 for a file parsed whole.
   */
  onEdit?: (edit: ParsedEdit, at: number) => void;
}

/** Where an edit is being read from, for the context's `edit`. */
interface EditPosition {
  at: number;
}

function fileContext(input: FileImportInput, position: EditPosition): ParseContext {
  const onEdit = input.onEdit;
  return onEdit ? { ...input.context, edit: (edit) => onEdit(edit, position.at) } : input.context;
}

/** A context that counts and keeps nothing: for lines parsed again only to rebuild a parser's state. */
function silentContext(context: ParseContext): ParseContext {
  return { nameDigest: context.nameDigest, reject: () => undefined, edit: () => undefined, limit: () => undefined };
}

export interface FileImportResult {
  state: FileState;
  bytesRead: number;
  /** Responses not seen before (a better copy of a known response is written but not counted). */
  newEvents: number;
}

function unchanged(previous: FileState | undefined, stat: fs.Stats): previous is FileState {
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

export async function importFile(input: FileImportInput): Promise<FileImportResult> {
  const { previous, parser } = input;
  let stat = input.stat;
  if (parser.kind === 'whole' && parser.sqlite) {
    const wal = walStat(input.path);
    if (wal) {
      stat = Object.assign(Object.create(Object.getPrototypeOf(stat)) as fs.Stats, stat, {
        size: stat.size + wal.size,
        mtimeMs: Math.max(stat.mtimeMs, wal.mtimeMs),
      });
      input = { ...input, stat };
    }
  }
  if (unchanged(previous, stat)) {
    return { state: { ...previous, seenAt: input.now }, bytesRead: 0, newEvents: 0 };
  }
  return parser.kind === 'lines' ? importLines(input, parser) : importWholeFile(input, parser);
}

function admitAll(input: FileImportInput, records: ParsedUsage[], policy: CopyPolicy, index: EmittedIndex): number {
  let added = 0;
  for (const parsed of records) {
    if (input.skipFrom !== undefined && parsed.t >= input.skipFrom) continue;
    const rejection = input.bounds.rejection(parsed);
    if (rejection !== undefined) {
      addRejection(input.rejected, rejection);
      continue;
    }
    const admission = index.admit(parsed, policy);
    if (admission === undefined) continue;
    input.emit(parsed, admission);
    if (admission.isNew) added++;
  }
  return added;
}

/**
 * A parser that throws on some hostile input is a bug, but one that would make its file unreadable
 * on every run: the line (or file) counts as rejected and the run goes on.
 */
function parseSafely(input: FileImportInput, parse: () => ParsedUsage[]): ParsedUsage[] {
  try {
    return parse();
  } catch {
    addRejection(input.rejected, 'fields');
    return [];
  }
}

async function importLines(input: FileImportInput, parser: Extract<UsageParser, { kind: 'lines' }>): Promise<FileImportResult> {
  const { stat, previous } = input;
  let restart = previous === undefined || stat.size < previous.offset;
  if (!restart && previous) {
    const [length] = previous.headHash.split(':');
    restart = headHash(input.path, stat.size, Number(length)) !== previous.headHash;
  }
  const fromOffset = restart ? 0 : (previous as FileState).offset;
  let parserState: unknown;
  if (restart || previous?.parserState === undefined) {
    parserState = parser.initialState(input.path, input.context);
  } else if (parser.replayFromStart && fromOffset > 0) {
    parserState = replayState(input.path, parser, fromOffset, silentContext(input.context));
  } else {
    parserState = structuredClone(previous.parserState);
  }
  const index = await input.index();
  const position: EditPosition = { at: fromOffset };
  const context = fileContext(input, position);
  let newEvents = 0;
  const result = readCompleteLines(
      input.path,
      fromOffset,
      stat.size,
      (line, lineOffset) => {
        position.at = lineOffset;
        const records = parseSafely(input, () => parser.parseLine(line, parserState, context));
        if (records.length > 0) newEvents += admitAll(input, records, 'bestCopy', index);
      },
      {
        shouldStop: input.shouldStop,
        markers: parser.lineMarkers,
        headBytes: fromOffset === 0 ? HEAD_BYTES : undefined,
        onOversized: () => addRejection(input.rejected, 'size'),
      },
    );
  return {
    state: {
      source: input.source,
      // A run stopped part-way stores a size that cannot match, so the next run resumes from the offset.
      size: result.complete ? stat.size : result.endOffset,
      mtimeMs: stat.mtimeMs,
      offset: result.endOffset,
      headHash: restart || !previous ? (result.head ? hashHead(result.head) : headHash(input.path, stat.size)) : previous.headHash,
      parserState: parser.stateForStorage ? parser.stateForStorage(parserState, input.normalizeModel) : parserState,
      seenAt: input.now,
    },
    bytesRead: result.bytesRead,
    newEvents,
  };
}

/** The state a parser has after the file's lines before `toOffset`, built from its initial state. */
function replayState(filePath: string, parser: LineParser<unknown>, toOffset: number, context: ParseContext): unknown {
  const state = parser.initialState(filePath, context);
  readCompleteLines(filePath, 0, toOffset, (line) => {
    try {
      parser.parseLine(line, state, context);
    } catch {
      // Counted when the line was first read.
    }
  }, { markers: parser.lineMarkers });
  return state;
}

/**
 * Parses a log again to find edits reported earlier (`context.edit` receives them): a line source at the lines
 * starting at `offsets` (from the file's start up to the last of them when the parser replays from the start), a
 * whole-file source in full. Usage records and rejections are discarded. Throws when the file cannot be read.
 */
export async function reparseForEdits(filePath: string, parser: UsageParser, offsets: readonly number[], context: ParseContext): Promise<void> {
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
      }, { markers: parser.lineMarkers, shouldStop: () => past });
      return;
    }
    for (const offset of new Set(offsets)) {
      if (offset >= size) continue;
      let read = false;
      readCompleteLines(filePath, offset, size, (line) => {
        if (read) return;
        read = true;
        parse(line, parser.initialState(filePath, quiet));
      }, { shouldStop: () => read });
    }
    return;
  }
  if (size > MAX_WHOLE_FILE_BYTES) return;
  const content = fs.readFileSync(filePath);
  if (parser.sqlite) {
    const rows = await querySqliteCopy(content, readWal(filePath), parser.sqlite.sql);
    parser.sqlite.parseRows(rows, filePath, quiet);
    return;
  }
  const text = parser.compression === 'zstd' ? decompressZstd(content, MAX_WHOLE_FILE_BYTES) : content;
  if (text !== undefined) parser.parseFile(text.toString('utf8'), filePath, quiet);
}

async function importWholeFile(
  input: FileImportInput,
  parser: Extract<UsageParser, { kind: 'whole' }>,
): Promise<FileImportResult> {
  const { stat, previous } = input;
  const base = {
    source: input.source,
    size: stat.size,
    mtimeMs: stat.mtimeMs,
    offset: stat.size,
    seenAt: input.now,
  };
  if (stat.size > MAX_WHOLE_FILE_BYTES) {
    return { state: { ...base, headHash: previous?.headHash ?? '', contentHash: previous?.contentHash }, bytesRead: 0, newEvents: 0 };
  }
  const content = fs.readFileSync(input.path);
  const wal = parser.sqlite ? readWal(input.path) : undefined;
  const contentHash = createHash('sha1').update(content).update(wal ?? Buffer.alloc(0)).digest('hex');
  const head = `${Math.min(content.length, HEAD_BYTES)}:${createHash('sha1').update(content.subarray(0, HEAD_BYTES)).digest('hex')}`;
  const state: FileState = { ...base, headHash: head, contentHash };
  if (previous?.contentHash === contentHash) return { state, bytesRead: content.length, newEvents: 0 };
  if (parser.sqlite) {
    const query = parser.sqlite;
    let rows: unknown[][];
    try {
      rows = await querySqliteCopy(content, wal, query.sql);
    } catch {
      // Not a database, or not this tool's schema: counted once, re-read only when the file changes.
      addRejection(input.rejected, 'fields');
      return { state, bytesRead: content.length, newEvents: 0 };
    }
    const context = fileContext(input, { at: -1 });
    const records = parseSafely(input, () => query.parseRows(rows, input.path, context));
    const newEvents = admitAll(input, records, 'latest', await input.index());
    return { state, bytesRead: content.length + (wal?.length ?? 0), newEvents };
  }
  let text: Buffer | undefined = content;
  if (parser.compression === 'zstd') {
    try {
      text = decompressZstd(content, MAX_WHOLE_FILE_BYTES);
    } catch {
      // Corrupt compressed data stays corrupt: counted once, and re-read only when the file changes.
      addRejection(input.rejected, 'json');
      text = undefined;
    }
  }
  if (text === undefined) return { state, bytesRead: content.length, newEvents: 0 };
  const context = fileContext(input, { at: -1 });
  const records = parseSafely(input, () => parser.parseFile(text.toString('utf8'), input.path, context));
  const newEvents = admitAll(input, records, 'latest', await input.index());
  return { state, bytesRead: content.length, newEvents };
}
