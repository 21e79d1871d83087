// Reading another tool's file whole, or its first bytes. A size from an earlier stat bounds nothing (the file may have
// grown or been replaced since), and a FIFO or device where a file was would block a plain open or read for good.
import * as fs from 'node:fs';

/**
 * A descriptor of `filePath` for reading, which must be a regular file: throws when it is not one (a FIFO that replaced
 * a log after the run listed it, which a plain open would wait on for a writer) or cannot be opened.
 */
export function openRegularFile(filePath: string): number {
  const fd = fs.openSync(filePath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  let isFile = false;
  try {
    isFile = fs.fstatSync(fd).isFile();
  } finally {
    if (!isFile) fs.closeSync(fd);
  }
  if (!isFile) throw new Error('not a regular file');
  return fd;
}

/**
 * The bytes of a regular file, or undefined when `filePath` is not one or holds more than `maxBytes` (with `head`, its
 * first `maxBytes` bytes instead). Opened without blocking and checked on the open descriptor; throws when it cannot
 * be opened or read.
 */
export function readRegularFile(filePath: string, maxBytes: number, { head = false } = {}): Buffer | undefined {
  const fd = fs.openSync(filePath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return undefined;
    // One byte past the bound tells a file that grew past it from one that ends there.
    const limit = maxBytes + 1;
    let buffer = Buffer.allocUnsafe(Math.min(stat.size + 1, limit));
    let length = 0;
    for (;;) {
      const read = fs.readSync(fd, buffer, length, buffer.length - length, length);
      length += read;
      if (read === 0 || length === limit) break;
      if (length === buffer.length) {
        const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, limit));
        buffer.copy(grown, 0, 0, length);
        buffer = grown;
      }
    }
    if (length > maxBytes) return head ? buffer.subarray(0, maxBytes) : undefined;
    return buffer.subarray(0, length);
  } finally {
    fs.closeSync(fd);
  }
}
