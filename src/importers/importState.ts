// What the importer remembers between runs, in `<storageDir>/importers/state.json`: per file its
// identity, size, read offset and parser state; per source when it was last read. Files are keyed by
// identity (device+inode, else an opaque hash of the path plus birth time), never by a raw path, so a
// file moved by its tool (Codex archiving a session) keeps its offset and the state holds no names.
// Written atomically (temp file + rename) and only after the run's ledger events are flushed.
import * as path from 'node:path';
import * as z from 'zod';
import { UsageSource } from '../ledger/events';
import { readFileIfExists, writeFileAtomic } from '../privacy/privateFiles';
import { importerDir } from '../ledger/storageLocation';

const IMPORT_STATE_VERSION = 1;

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
  headHash: z.string().regex(/^(?:\d{1,3}:[0-9a-f]{40})?$/),
  /** Hash of the whole content last parsed (whole-file sources). */
  contentHash: z.string().optional(),
  parserState: z.unknown().optional(),
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

function emptyImportState(): ImportState {
  return { v: IMPORT_STATE_VERSION, files: {}, sources: {} };
}

/**
 * A missing or invalid state means "read everything again": ids are stable, so nothing doubles (but for `covered`,
 * docs/ledger.md). A state that exists but cannot be read now is an error (readFileIfExists), not an empty state that
 * this run would save over it.
 */
export async function loadImportState(storageDir: string): Promise<ImportState> {
  const text = await readFileIfExists(path.join(importerDir(storageDir), 'state.json'));
  try {
    const parsed = ImportState.safeParse(JSON.parse(text ?? 'null'));
    return parsed.success ? parsed.data : emptyImportState();
  } catch {
    return emptyImportState();
  }
}

export async function saveImportState(storageDir: string, state: ImportState): Promise<void> {
  await writeFileAtomic(path.join(importerDir(storageDir), 'state.json'), JSON.stringify(state));
}
