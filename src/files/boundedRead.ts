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
 * Collects at most `maxBytes` and one byte more, in a buffer sized from the file's size and grown if the file grew:
 * one byte past the bound tells a file that grew past it from one that ends there.
 */
class BoundedBuffer {
  private readonly limit: number;
  private buffer: Buffer;
  private length = 0;

  constructor(size: number, private readonly maxBytes: number) {
    this.limit = maxBytes + 1;
    this.buffer = Buffer.allocUnsafe(Math.min(size + 1, this.limit));
  }

  /** Where the next read goes: buffer, offset, length and the file position. */
  space(): [Buffer, number, number, number] {
    if (this.length === this.buffer.length) {
      const grown = Buffer.allocUnsafe(Math.min(this.buffer.length * 2, this.limit));
      this.buffer.copy(grown, 0, 0, this.length);
      this.buffer = grown;
    }
    return [this.buffer, this.length, this.buffer.length - this.length, this.length];
  }

  /** Takes a read's byte count; true when reading is done (the end of the file, or past the bound). */
  add(read: number): boolean {
    this.length += read;
    return read === 0 || this.length === this.limit;
  }

  bytes(head: boolean): Buffer | undefined {
    if (this.length > this.maxBytes) return head ? this.buffer.subarray(0, this.maxBytes) : undefined;
    return this.buffer.subarray(0, this.length);
  }
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
    const collected = new BoundedBuffer(stat.size, maxBytes);
    while (!collected.add(fs.readSync(fd, ...collected.space())));
    return collected.bytes(head);
  } finally {
    fs.closeSync(fd);
  }
}

/** readRegularFile without blocking the thread: for the extension host, where a file on a slow share would stall every extension. */
export async function readRegularFileAsync(filePath: string, maxBytes: number): Promise<Buffer | undefined> {
  const file = await fs.promises.open(filePath, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const stat = await file.stat();
    if (!stat.isFile()) return undefined;
    const collected = new BoundedBuffer(stat.size, maxBytes);
    while (!collected.add((await file.read(...collected.space())).bytesRead));
    return collected.bytes(false);
  } finally {
    await file.close();
  }
}
