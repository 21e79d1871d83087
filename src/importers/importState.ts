// What the importer remembers between runs, in `<storageDir>/importers/state.json`: per file its
// identity, size, read offset and parser state; per source when it was last read. Files are keyed by
// identity (device+inode, else an opaque hash of the path plus birth time), never by a raw path, so a
// file moved by its tool (Codex archiving a session) keeps its offset and the state holds no names.
// Written atomically (temp file + rename) and only after the run's ledger events are flushed.
import * as path from 'node:path';
import * as z from 'zod';
import { isUsageSource, UsageSource } from '../ledger/events';
import { readFileIfExists, writeFileAtomic } from '../privacy/privateFiles';
import { importerDir } from '../ledger/storageLocation';

const IMPORT_STATE_VERSION = 1;

const HEAD_HASH = /^(?:\d{1,3}:[0-9a-f]{40})?$/;

const FileState = z.object({
  source: UsageSource,
  size: z.number().int().nonnegative(),
  mtimeMs: z.number(),
  /** Byte offset just past the last complete line read (line sources). */
  offset: z.number().int().nonnegative(),
  /**
   * Hash of the file's first bytes: tells a recycled inode from the file we read before. `<bytes hashed>:<sha1>`, or empty
   * for a file never loaded; the next run reads that many bytes again, so no other count may pass.
   */
  headHash: z.string().regex(HEAD_HASH),
  /** Hash of the whole content last parsed (whole-file sources). */
  contentHash: z.string().optional(),
  parserState: z.unknown().optional(),
  /** The parser's revision (types.ts, ParserRevision) that read the file; absent: before the first. */
  revision: z.number().int().positive().optional(),
  /** Last run that saw this file (files not seen for long are forgotten). */
  seenAt: z.number(),
});
export type FileState = z.infer<typeof FileState>;

/**
 * The times (epoch ms) of the earliest and latest record ever read from a log whose records stand in for another
 * log's (SourceDefinition.coveredBy: Copilot Chat's OpenTelemetry file for its session files). The other log's
 * records inside that time are skipped on every later run, so rotating, deleting or turning off the covering log
 * never brings them back under their own keys. `first` only moves earlier, `last` only later.
 */
const CoveredTimes = z.object({
  first: z.number(),
  last: z.number(),
});
export type CoveredTimes = z.infer<typeof CoveredTimes>;

const SourceState = z.object({
  /** Epoch ms of the last run that read new data from this source. */
  lastReadAt: z.number().nullable(),
});

export const ImportState = z.object({
  v: z.literal(IMPORT_STATE_VERSION),
  files: z.record(z.string(), FileState),
  sources: z.partialRecord(UsageSource, SourceState),
  /** Per covering log location (its parser name), the times its records covered; absent in states written before it. */
  covered: z.record(z.string(), CoveredTimes).optional(),
});
export type ImportState = z.infer<typeof ImportState>;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isByteCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value);
/** Only these keys, which the schema names, and none that would set an object's prototype when copied. */
function hasOnlyKeys(value: Record<string, unknown>, keys: ReadonlySet<string>): boolean {
  for (const key in value) if (!keys.has(key)) return false;
  return true;
}
const FILE_STATE_KEYS: ReadonlySet<string> = new Set(Object.keys(FileState.shape));
const TIMES_KEYS: ReadonlySet<string> = new Set(Object.keys(CoveredTimes.shape));
const SOURCE_STATE_KEYS: ReadonlySet<string> = new Set(Object.keys(SourceState.shape));
const IMPORT_STATE_KEYS: ReadonlySet<string> = new Set(Object.keys(ImportState.shape));

function plainFileState(value: unknown): FileState | undefined {
  if (!isRecord(value) || !hasOnlyKeys(value, FILE_STATE_KEYS)) return undefined;
  const { source, size, mtimeMs, offset, headHash, contentHash, parserState, revision, seenAt } = value;
  if (
    !isUsageSource(source) ||
    !isByteCount(size) ||
    !isTime(mtimeMs) ||
    !isByteCount(offset) ||
    typeof headHash !== 'string' ||
    !HEAD_HASH.test(headHash) ||
    (contentHash !== undefined && typeof contentHash !== 'string') ||
    (revision !== undefined && !(isByteCount(revision) && revision > 0)) ||
    !isTime(seenAt)
  ) {
    return undefined;
  }
  return {
    source,
    size,
    mtimeMs,
    offset,
    headHash,
    ...(contentHash !== undefined ? { contentHash } : {}),
    ...('parserState' in value ? { parserState } : {}),
    ...(revision !== undefined ? { revision } : {}),
    seenAt,
  };
}

/**
 * A copy of `value` as the schema's parse gives it when it is plainly a valid state, else undefined (the schema decides).
 * Hand-written beside the schema for the reason `plainlyWithinBounds` (usageBounds.ts) is: every run loads the state,
 * one entry per log file, and most runs find nothing new. With 824 files (500 MB of Claude Code logs) the schema took
 * 40 ms in a fresh process and 7 to 14 ms after, of a run that is to take under 50. It may only ever accept what the
 * schema accepts: importState.test.ts checks that on generated states.
 */
function plainImportState(value: unknown): ImportState | undefined {
  if (!isRecord(value) || value.v !== IMPORT_STATE_VERSION || !isRecord(value.files) || !isRecord(value.sources)) return undefined;
  if (!hasOnlyKeys(value, IMPORT_STATE_KEYS)) return undefined;
  const files: Record<string, FileState> = {};
  for (const key in value.files) {
    const file = plainFileState(value.files[key]);
    if (file === undefined || key === '__proto__') return undefined;
    files[key] = file;
  }
  const sources: ImportState['sources'] = {};
  for (const key in value.sources) {
    const source = value.sources[key];
    if (!isUsageSource(key) || !isRecord(source) || !hasOnlyKeys(source, SOURCE_STATE_KEYS)) return undefined;
    if (source.lastReadAt !== null && !isTime(source.lastReadAt)) return undefined;
    sources[key] = { lastReadAt: source.lastReadAt };
  }
  if (value.covered === undefined) return { v: IMPORT_STATE_VERSION, files, sources };
  if (!isRecord(value.covered)) return undefined;
  const covered: Record<string, CoveredTimes> = {};
  for (const key in value.covered) {
    const times = value.covered[key];
    if (key === '__proto__' || !isRecord(times) || !hasOnlyKeys(times, TIMES_KEYS) || !isTime(times.first) || !isTime(times.last)) return undefined;
    covered[key] = { first: times.first, last: times.last };
  }
  return { v: IMPORT_STATE_VERSION, files, sources, covered };
}
function emptyImportState(): ImportState {
  return { v: IMPORT_STATE_VERSION, files: {}, sources: {} };
}

/** The state a state file's text holds: an empty state when there is none or it is not valid. */
export function parseImportState(text: string | undefined): ImportState {
  try {
    const value: unknown = JSON.parse(text ?? 'null');
    const plain = plainImportState(value);
    if (plain) return plain;
    const parsed = ImportState.safeParse(value);
    return parsed.success ? parsed.data : emptyImportState();
  } catch {
    return emptyImportState();
  }
}

/**
 * A missing or invalid state means "read everything again": ids are stable, so nothing doubles (but for `covered`,
 * docs/ledger.md). A state that exists but cannot be read now is an error (readFileIfExists), not an empty state that
 * this run would save over it.
 */
export async function loadImportState(storageDir: string): Promise<ImportState> {
  return parseImportState(await readFileIfExists(path.join(importerDir(storageDir), 'state.json')));
}

export async function saveImportState(storageDir: string, state: ImportState): Promise<void> {
  await writeFileAtomic(path.join(importerDir(storageDir), 'state.json'), JSON.stringify(state));
}
