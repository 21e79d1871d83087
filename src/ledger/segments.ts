// Segment files (DESIGN §5): `<storageDir>/ledger/segments/<UTC day>_<pid>_<random>.jsonl`, one
// per writing process per day, so no two processes ever append to one file. Readers merge them.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LedgerEvent } from './events';

export const SEGMENT_EXTENSION = '.jsonl';
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

export function segmentDay(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * Segment file names in ledger order: by the UTC day and time each segment was created. Each
 * import run writes through a writer of its own and runs hold a lock, so a later run's segment
 * sorts after an earlier one's and its re-emitted usage events win, whichever process wrote them. Files of
 * other kinds (a writer's temporary file, a stray download) are not segments and are ignored.
 */
export async function listSegments(storageDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await fs.readdir(segmentsDir(storageDir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter((name) => name.endsWith(SEGMENT_EXTENSION)).sort();
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
 * Calls `onLine` for every newline-terminated line of `filePath` in [start, end), with the line's
 * start offset, reading in chunks so a 500 MB segment never becomes one string. Lines are split
 * on the newline byte, which never occurs inside a UTF-8 multi-byte sequence, so offsets are exact.
 */
export async function scanLines(
  filePath: string,
  start: number,
  end: number,
  onLine: (line: string, lineStart: number) => void | Promise<void>,
): Promise<ScanResult> {
  const file = await fs.open(filePath, 'r');
  try {
    let carry = Buffer.alloc(0);
    let carryStart = start;
    let position = start;
    let bytesRead = 0;
    const chunk = Buffer.allocUnsafe(Math.max(1, Math.min(READ_CHUNK_BYTES, end - start)));
    while (position < end) {
      const { bytesRead: read } = await file.read(chunk, 0, Math.min(chunk.length, end - position), position);
      if (read === 0) break;
      bytesRead += read;
      position += read;
      const buffer = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, read)]) : chunk.subarray(0, read);
      let lineStart = 0;
      let newline = buffer.indexOf(NEWLINE, lineStart);
      while (newline !== -1) {
        const pending = onLine(buffer.toString('utf8', lineStart, newline), carryStart + lineStart);
        if (pending) await pending;
        lineStart = newline + 1;
        newline = buffer.indexOf(NEWLINE, lineStart);
      }
      // Copied: `chunk` is reused by the next read.
      carry = Buffer.from(buffer.subarray(lineStart));
      carryStart += lineStart;
    }
    return { end: carryStart, tail: carry.toString('utf8'), bytesRead };
  } finally {
    await file.close();
  }
}
