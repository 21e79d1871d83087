// Segment files (docs/ledger.md): `<storageDir>/ledger/segments/<UTC day>_<ms>_<pid>_<random>.jsonl`, one
// per writing process per day, so no two processes ever append to one file. Readers merge them.
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { addDays, daysInMonth } from '../calendar/dates';
import * as z from 'zod';
import { LedgerEvent } from './events';

const SEGMENT_EXTENSION = '.jsonl';
/** The UTC day a segment's name starts with. */
const DAY_PREFIX = /^\d{4}-\d{2}-\d{2}$/;
const NEWLINE = 0x0a;
const READ_CHUNK_BYTES = 1 << 20;

export function ledgerDir(storageDir: string): string {
  return path.join(storageDir, 'ledger');
}

export function segmentsDir(storageDir: string): string {
  return path.join(ledgerDir(storageDir), 'segments');
}

/**
 * A segment's file name. The day is the UTC day of writing: it only decides when a process starts
 * a new file and must not depend on the machine's zone setting. Reports date events by their own
 * `t` in the report's zone, never by the file name.
 */
export function segmentFileName(createdAt: number, pid: number, random: string): string {
  const iso = new Date(createdAt).toISOString();
  const msOfDay = String(createdAt % 86_400_000).padStart(8, '0');
  return `${iso.slice(0, 10)}_${msOfDay}_${pid}_${random}${SEGMENT_EXTENSION}`;
}

/**
 * The day's one segment for imports. It sorts after the day's capture segments (a letter after
 * digits), which is harmless: ledger order matters only between usage events, and only imports
 * write those. When a segment of a later day is among `existing` (the folder's names), the clock went
 * back (an NTP step across midnight, a dual-boot clock): the run then appends to that later day's
 * import segment, since usage events are upserts whose later copy in ledger order counts, and a
 * run's copies sorting before an earlier run's would lose to them.
 */
export function importSegmentFileName(createdAt: number, existing: readonly string[]): string {
  let day = segmentDay(createdAt);
  for (const name of existing) {
    const named = name.slice(0, 10);
    if (name.endsWith(SEGMENT_EXTENSION) && named > day && isDay(named)) day = named;
  }
  return `${day}_import${SEGMENT_EXTENSION}`;
}

export function segmentDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Whether `text` is a real UTC day, YYYY-MM-DD (a stray file may be named `2026-99-99_…`). */
function isDay(text: string): boolean {
  const t = Date.parse(text);
  return DAY_PREFIX.test(text) && Number.isFinite(t) && segmentDay(t) === text;
}

/**
 * The merged segment of `month` (YYYY-MM) that compaction writes, named so that a later merge of the
 * month sorts after an earlier one, and before the month's other files.
 */
export function mergedSegmentName(month: string, createdAt: number): string {
  return `${month}-01_00000000_merged-${String(createdAt).padStart(15, '0')}${SEGMENT_EXTENSION}`;
}

const MERGED_NAME = /^\d{4}-\d{2}-01_00000000_merged-\d{15}\.jsonl$/;

const MERGED_SOURCES_SUFFIX = '.sources';
/** Far above the segments of a month (a window's a day, and the day's imports). */
const MAX_MERGED_SOURCES = 100_000;
const MAX_SEGMENT_NAME = 200;
const MergedSources = z.array(z.string().max(MAX_SEGMENT_NAME)).max(MAX_MERGED_SOURCES);
const MAX_MERGED_SOURCES_BYTES = MAX_MERGED_SOURCES * (MAX_SEGMENT_NAME + 3);

/**
 * The file naming the segments a merged segment holds, written before the merged segment appears and removed once
 * those segments are: while both exist, readers skip the segments it names (compaction.ts).
 */
export function mergedSourcesName(merged: string): string {
  return `${merged}${MERGED_SOURCES_SUFFIX}`;
}

/** A compaction's list of the segments it merged (`list`), and whether its merged segment is in place. */
export interface MergeInProgress {
  list: string;
  mergedInPlace: boolean;
  /** The segments it names; empty when the list cannot be read or is not one (its segments are then read as any). */
  sources: string[];
}

/**
 * The lists of merged segments among `names` (a folder's entries): there only while a compaction runs, or after one
 * stopped before it removed the segments it merged.
 */
export async function mergesInProgress(directory: string, names: readonly string[]): Promise<MergeInProgress[]> {
  const present = new Set(names);
  const merges: MergeInProgress[] = [];
  for (const list of names) {
    if (!list.endsWith(MERGED_SOURCES_SUFFIX)) continue;
    const merged = list.slice(0, -MERGED_SOURCES_SUFFIX.length);
    if (!isMergedSegmentName(merged)) continue;
    let sources: string[] = [];
    try {
      const file = path.join(directory, list);
      if ((await fs.lstat(file)).size <= MAX_MERGED_SOURCES_BYTES) {
        const listed = MergedSources.safeParse(JSON.parse(await fs.readFile(file, 'utf8')));
        if (listed.success) sources = listed.data.filter((name) => name !== merged);
      }
    } catch {
      // Unreadable: as if it named nothing.
    }
    merges.push({ list, mergedInPlace: present.has(merged), sources });
  }
  return merges;
}

export function isMergedSegmentName(name: string): boolean {
  return MERGED_NAME.test(name);
}

/**
 * The last UTC day whose events a segment can hold: a writer appends only to the file of the day it
 * writes in, and an event's time is at most a day after it is written (docs/ledger.md: imports accept
 * records up to a day ahead, for clocks that disagree); a merged segment holds a whole month's files.
 * Undefined for a name that says nothing of its day, or names no real one (a stray `2026-99-99_…`).
 */
export function lastEventDayOfSegment(name: string): string | undefined {
  const day = name.slice(0, 10);
  if (!isDay(day)) return undefined;
  if (!isMergedSegmentName(name)) return addDays(day, 1);
  const [year, month] = day.split('-').map(Number);
  return addDays(`${day.slice(0, 8)}${String(daysInMonth(year, month)).padStart(2, '0')}`, 1);
}

interface SegmentFile {
  name: string;
  dev: number;
  ino: number;
  size: number;
}

export interface SegmentListing {
  /** Regular segment files, in ledger order. */
  files: SegmentFile[];
  /**
   * Entries named like segments that are not regular files (a folder, a FIFO, a symlink, possibly
   * in a loop) or could not be examined: skipped, so one odd entry never stops a report.
   */
  skipped: number;
}

/**
 * The segments in ledger order: by the UTC day and time each was created. Imports append to their
 * day's import segment while holding the import lock, so a later run's lines come after an earlier
 * one's (later in the file, or in a later day's file) and its re-emitted usage events win,
 * whichever process wrote them. Files of other kinds (a writer's temporary file, a stray download)
 * are not segments and are ignored.
 */
export async function listSegments(storageDir: string): Promise<SegmentListing> {
  const directory = segmentsDir(storageDir);
  let names: string[];
  try {
    names = await fs.readdir(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { files: [], skipped: 0 };
    // A file where the folder should be holds no segment, but a report that said nothing would look like an empty ledger.
    if (code === 'ENOTDIR') return { files: [], skipped: 1 };
    throw error;
  }
  // Segments a merged segment in place already holds: a compaction stopped before it removed them.
  const merged = new Set((await mergesInProgress(directory, names)).flatMap((merge) => (merge.mergedInPlace ? merge.sources : [])));
  names = names.filter((name) => name.endsWith(SEGMENT_EXTENSION) && !merged.has(name)).sort();
  const stats = await Promise.all(names.map((name) => fs.lstat(path.join(directory, name)).catch((error: NodeJS.ErrnoException) => error)));
  const listing: SegmentListing = { files: [], skipped: 0 };
  stats.forEach((stat, i) => {
    // Removed between listing and lstat (compaction): its events are in the compacted file.
    if (stat instanceof Error && stat.code === 'ENOENT') return;
    if (stat instanceof Error || !stat.isFile()) listing.skipped += 1;
    else listing.files.push({ name: names[i], dev: stat.dev, ino: stat.ino, size: stat.size });
  });
  return listing;
}

/**
 * Opens a segment for reading without ever blocking: a FIFO that replaced a segment after it was
 * listed would otherwise hang the reader until something writes to it.
 */
export async function openSegment(filePath: string): Promise<fs.FileHandle> {
  const file = await fs.open(filePath, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  try {
    if (!(await file.stat()).isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTSEGMENT' });
    return file;
  } catch (error) {
    await file.close();
    throw error;
  }
}

export type ParsedLine =
  | { kind: 'event'; event: LedgerEvent }
  /** Valid JSON that is not a ledger event of this schema version. */
  | { kind: 'invalid' }
  /** Not JSON at all: a write cut short by a crash or power loss. */
  | { kind: 'torn' }
  | { kind: 'blank' };

export function parseLedgerLine(line: string): ParsedLine {
  if (line.trim() === '') return { kind: 'blank' };
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { kind: 'torn' };
  }
  const result = LedgerEvent.safeParse(json);
  return result.success ? { kind: 'event', event: result.data } : { kind: 'invalid' };
}

export interface ScanResult {
  /** Offset just past the last complete (newline-terminated) line. */
  end: number;
  /** Bytes after the last newline: a line still being written, or torn if its writer died. */
  tail: string;
  bytesRead: number;
}

/**
 * Longest line read as an event. Every field of an event is bounded, so a valid event is far
 * shorter; a longer line (a hostile or damaged file) is counted as invalid without being held in
 * memory, the same way by every reader.
 */
export const MAX_LINE_BYTES = 1 << 20;

/** Stands for a line longer than MAX_LINE_BYTES: not JSON, so every parser counts it as invalid. */
const OVERSIZED_LINE = '\u0000oversized';

/**
 * Calls `onLine` for every newline-terminated line of `filePath` in [start, end), with the line's
 * start offset, reading in chunks so a 500 MB segment never becomes one string. Lines are split
 * on the newline byte, which never occurs inside a UTF-8 multi-byte sequence, so offsets are exact.
 * A line longer than MAX_LINE_BYTES reaches `onLine` as OVERSIZED_LINE.
 */
export async function scanLines(
  filePath: string,
  start: number,
  end: number,
  onLine: (line: string, lineStart: number) => void | Promise<void>,
): Promise<ScanResult> {
  const file = await openSegment(filePath);
  try {
    let carry = Buffer.alloc(0);
    let carryStart = start;
    /** The current line passed MAX_LINE_BYTES: its bytes are dropped up to its newline. */
    let oversized = false;
    let position = start;
    let bytesRead = 0;
    const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(READ_CHUNK_BYTES, end - start)));
    while (position < end) {
      const { bytesRead: read } = await file.read(chunk, 0, Math.min(chunk.length, end - position), position);
      if (read === 0) break;
      bytesRead += read;
      const buffer = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      const bufferStart = position - carry.length;
      position += read;
      let lineStart = 0;
      let newline = buffer.indexOf(NEWLINE, lineStart);
      while (newline !== -1) {
        const line = oversized || newline - lineStart > MAX_LINE_BYTES ? OVERSIZED_LINE : buffer.toString('utf8', lineStart, newline);
        const pending = onLine(line, oversized ? carryStart : bufferStart + lineStart);
        if (pending) await pending;
        oversized = false;
        lineStart = newline + 1;
        carryStart = bufferStart + lineStart;
        newline = buffer.indexOf(NEWLINE, lineStart);
      }
      if (oversized || buffer.length - lineStart > MAX_LINE_BYTES) {
        oversized = true;
        carry = Buffer.alloc(0);
      } else {
        // Copied: `chunk` is reused by the next read.
        carry = Buffer.from(buffer.subarray(lineStart));
      }
    }
    return { end: carryStart, tail: oversized ? OVERSIZED_LINE : carry.toString('utf8'), bytesRead };
  } finally {
    await file.close();
  }
}
