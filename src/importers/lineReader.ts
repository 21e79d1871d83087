// Reads the complete lines of a growing log from a byte offset. A last line without its newline may
// still be being written: it is left for the next run, and the returned offset stops before it, so
// an offset always sits at a line boundary. Memory stays at one chunk plus the longest line.
// Reads are synchronous: imports run in a worker thread or the CLI, where blocking costs nothing, and a
// promise round trip through the thread pool per chunk cost more than the reading itself (docs/architecture.md, Performance budgets).
import * as fs from 'node:fs';
import { openRegularFile } from '../files/boundedRead';

const CHUNK_BYTES = 1 << 20;
/**
 * A longer line is skipped unread: no tool writes one (a transcript line with a pasted image is a few
 * MB), and decoding one near V8's string limit (~512 MB) would throw on every run, so the file would
 * never get past it.
 */
const MAX_LINE_BYTES = 128 * 1024 * 1024;
const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;
/** A byte order mark, which some Windows editors and tools write first: the first line's JSON starts after it. */
const BYTE_ORDER_MARK = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * One chunk buffer lent to each read of a run in turn: allocating one per file leaves the earlier ones to the garbage
 * collector, which lets peak memory climb with the number of files. A run, or a read thread, owns its pool.
 */
export class ChunkPool {
  /** Null while a read has it. */
  private spare: Buffer | null = null;

  take(): Buffer {
    const chunk = this.spare ?? Buffer.allocUnsafe(CHUNK_BYTES);
    this.spare = null;
    return chunk;
  }

  giveBack(chunk: Buffer): void {
    this.spare = chunk;
  }
}

export interface ReadLinesResult {
  /** Offset just past the last complete line read. */
  endOffset: number;
  bytesRead: number;
  /** False when stopped, paused or cut short before `toOffset`: the lines after `endOffset` are still unread. */
  complete: boolean;
  /** Ended by `pause`: a read from `endOffset` goes on with the next line. */
  paused: boolean;
  /** The file's first bytes (up to `headBytes`) when the read started at offset 0, else undefined. */
  head?: Buffer;
}

export interface ReadLinesOptions {
  /** Polled between chunks (cancellation). */
  shouldStop?: () => boolean;
  /**
   * Polled after each chunk that ended a line, while more is left to read: true ends the read there, at a line
   * boundary, so that the caller can deal with the lines it was given before it reads on from `endOffset`.
   */
  pause?: () => boolean;
  /** Lines containing none of these strings are skipped before being decoded. */
  markers?: readonly string[];
  /** How many first bytes of the file to return as `head` when reading from offset 0. */
  headBytes?: number;
  /** Lines longer than this are skipped (default MAX_LINE_BYTES); `onOversized` is told of each. */
  maxLineBytes?: number;
  onOversized?: () => void;
  /** Where the chunk buffer comes from (a fresh one when absent). */
  chunks?: ChunkPool;
}

/**
 * Calls `onLine` for each complete line between `fromOffset` and `toOffset` (the size seen when the
 * file was stat-ed: bytes appended since are for the next run), with the byte offset where the line
 * starts. Lines are decoded as UTF-8 without the trailing `\n` or `\r\n`, the first without a byte order mark.
 */
export function readCompleteLines(
  filePath: string,
  fromOffset: number,
  toOffset: number,
  onLine: (line: string, lineOffset: number) => void,
  options: ReadLinesOptions = {},
): ReadLinesResult {
  if (toOffset <= fromOffset) return { endOffset: fromOffset, bytesRead: 0, complete: true, paused: false };
  const shouldStop = options.shouldStop ?? (() => false);
  const maxLineBytes = options.maxLineBytes ?? MAX_LINE_BYTES;
  const markerBytes = (options.markers ?? []).map((marker) => Buffer.from(marker, 'utf8'));
  const fd = openRegularFile(filePath);
  try {
    const chunks = options.chunks ?? new ChunkPool();
    const chunk = chunks.take();
    let buffer = chunk;
    let head: Buffer | undefined;
    let carried = 0; // bytes of an unfinished line kept at the start of `buffer`
    let position = fromOffset; // file offset of the next byte to read
    let lineStart = fromOffset; // file offset of buffer[0]
    let bytesRead = 0;
    let skipping = false; // inside a line longer than maxLineBytes, dropping bytes up to its newline
    let paused = false;
    while (position < toOffset && !shouldStop()) {
      if (carried === buffer.length && buffer.length >= maxLineBytes) {
        skipping = true;
        lineStart += carried;
        carried = 0;
      }
      if (carried === buffer.length) {
        // One line is longer than the buffer: grow it (a 5 MB tool output line is normal).
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      }
      const got = fs.readSync(fd, buffer, carried, Math.min(buffer.length - carried, toOffset - position), position);
      if (got === 0) break; // truncated under us: stop at what we have
      if (position === 0 && options.headBytes !== undefined) head = Buffer.from(buffer.subarray(0, Math.min(got, options.headBytes)));
      position += got;
      bytesRead += got;
      const filled = carried + got;
      const view = buffer.subarray(0, filled);
      // Each line is searched on its own, up to its first marker. A forward scan per marker through the whole chunk
      // reads every byte once per marker a chunk lacks, and a marker no line carries costs a full scan: on the 100 MB
      // Claude Code corpus (test/bench/importClaude.ts) that was 155 ms for three markers, and 35 ms line by line.
      const hasMarker = (start: number, end: number) => {
        const line = view.subarray(start, end);
        for (const marker of markerBytes) if (line.indexOf(marker) !== -1) return true;
        return false;
      };
      const atFileStart = position === got;
      let start = atFileStart && view.subarray(0, BYTE_ORDER_MARK.length).equals(BYTE_ORDER_MARK) ? BYTE_ORDER_MARK.length : 0;
      const firstLineStart = start;
      if (skipping) {
        const end = view.indexOf(NEWLINE);
        if (end === -1) {
          lineStart += filled;
          carried = 0;
          continue;
        }
        skipping = false;
        options.onOversized?.();
        start = end + 1;
      }
      let newline = view.indexOf(NEWLINE, start);
      while (newline !== -1) {
        const end = newline > start && buffer[newline - 1] === CARRIAGE_RETURN ? newline - 1 : newline;
        if (end > start && (markerBytes.length === 0 || hasMarker(start, end))) onLine(buffer.toString('utf8', start, end), lineStart + start);
        start = newline + 1;
        newline = view.indexOf(NEWLINE, start);
      }
      const endedLine = start > firstLineStart;
      lineStart += start;
      carried = filled - start;
      if (carried > 0 && start > 0) buffer.copy(buffer, 0, start, filled);
      if (endedLine && position < toOffset && options.pause?.()) {
        paused = true;
        break;
      }
    }
    chunks.giveBack(chunk);
    return { endOffset: lineStart, bytesRead, complete: position >= toOffset, paused, ...(head ? { head } : {}) };
  } finally {
    fs.closeSync(fd);
  }
}
