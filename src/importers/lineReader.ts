// Reads the complete lines of a growing log from a byte offset. A last line without its newline may
// still be being written: it is left for the next run, and the returned offset stops before it, so
// an offset always sits at a line boundary. Memory stays at one chunk plus the longest line.
import { promises as fsp } from 'node:fs';

const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

export interface ReadLinesResult {
  /** Offset just past the last complete line read. */
  endOffset: number;
  bytesRead: number;
  /** False when stopped or cut short before `toOffset`: the lines after `endOffset` are still unread. */
  complete: boolean;
}

/**
 * Calls `onLine` for each complete line between `fromOffset` and `toOffset` (the size seen when the
 * file was stat-ed: bytes appended since are for the next run). Lines are decoded as UTF-8 without the
 * trailing `\n` or `\r\n`. `shouldStop` is polled between chunks (cancellation).
 */
export async function readCompleteLines(
  filePath: string,
  fromOffset: number,
  toOffset: number,
  onLine: (line: string) => void,
  shouldStop: () => boolean = () => false,
  markers: readonly string[] = [],
): Promise<ReadLinesResult> {
  if (toOffset <= fromOffset) return { endOffset: fromOffset, bytesRead: 0, complete: true };
  const markerBytes = markers.map((marker) => Buffer.from(marker, 'utf8'));
  const handle = await fsp.open(filePath, 'r');
  try {
    let buffer = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, toOffset - fromOffset));
    let carried = 0; // bytes of an unfinished line kept at the start of `buffer`
    let position = fromOffset; // file offset of the next byte to read
    let lineStart = fromOffset; // file offset of buffer[0]
    let bytesRead = 0;
    while (position < toOffset && !shouldStop()) {
      if (carried === buffer.length) {
        // One line is longer than the buffer: grow it (a 5 MB tool output line is normal).
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, carried);
        buffer = bigger;
      }
      const want = Math.min(buffer.length - carried, toOffset - position);
      const { bytesRead: got } = await handle.read(buffer, carried, want, position);
      if (got === 0) break; // truncated under us: stop at what we have
      position += got;
      bytesRead += got;
      const filled = carried + got;
      const view = buffer.subarray(0, filled);
      // Next occurrence of each marker in this buffer: one forward scan per marker, not one per line.
      const nextMarker = markerBytes.map((marker) => view.indexOf(marker));
      const hasMarker = (start: number, end: number) => {
        for (let m = 0; m < markerBytes.length; m++) {
          if (nextMarker[m] !== -1 && nextMarker[m] < start) nextMarker[m] = view.indexOf(markerBytes[m], start);
          if (nextMarker[m] !== -1 && nextMarker[m] + markerBytes[m].length <= end) return true;
        }
        return false;
      };
      let start = 0;
      let newline = view.indexOf(NEWLINE, start);
      while (newline !== -1) {
        const end = newline > start && buffer[newline - 1] === 0x0d ? newline - 1 : newline;
        if (end > start && (markerBytes.length === 0 || hasMarker(start, end))) onLine(buffer.toString('utf8', start, end));
        start = newline + 1;
        newline = view.indexOf(NEWLINE, start);
      }
      lineStart += start;
      carried = filled - start;
      if (carried > 0 && start > 0) buffer.copy(buffer, 0, start, filled);
    }
    return { endOffset: lineStart, bytesRead, complete: position >= toOffset };
  } finally {
    await handle.close();
  }
}
