// Zstandard decompression for logs a tool compresses once cold (Codex's `.jsonl.zst` rollouts).
// Node's zlib has zstd from 22.15 / 23.8; the supported Node 20 does not, so the pure-JS `fzstd`
// (no native module, nothing downloaded at install) decodes there. Either way memory is bounded:
// a small hostile file must not expand into gigabytes of memory. Bounding the output is not enough,
// since fzstd allocates the window a frame header declares before it writes a byte (a 10-byte file can
// ask for 1.9 GB), so the frame headers are checked first.
import * as zlib from 'node:zlib';
import { Decompress } from 'fzstd';

type NativeZstd = (buffer: Buffer, options: { maxOutputLength: number }) => Buffer;

const nativeZstd = (zlib as unknown as { zstdDecompressSync?: NativeZstd }).zstdDecompressSync;

class TooLarge extends Error {}

/** RFC 8878 §3.1.1: Magic_Number of a Zstandard frame. */
const FRAME_MAGIC = 0xfd2fb528;
/** RFC 8878 §3.1.2: a skippable frame's Magic_Number is 0x184D2A50 to 0x184D2A5F. */
const SKIPPABLE_MAGIC_PREFIX = 0x184d2a5;
/** RFC 8878 §3.1.1.1.2 recommends every decoder accept windows up to 8 MB: always allowed, whatever the output bound. */
const INTEROPERABLE_WINDOW_BYTES = 8 * 1024 * 1024;
/** libzstd's own default limit for decoding (ZSTD_WINDOWLOG_LIMIT_DEFAULT, 2^27); `zstd --long` writes no larger. */
const MAX_WINDOW_BYTES = 128 * 1024 * 1024;

interface FrameHeader {
  /** The buffer a decoder keeps for the frame: Window_Size, or Frame_Content_Size for a single segment (§3.1.1.1.2). */
  windowSize: number;
  /** Frame_Content_Size when the header declares it (§3.1.1.1.4). */
  contentSize: number | undefined;
  hasChecksum: boolean;
  /** Where the frame's first block starts. */
  blocksAt: number;
}

/** RFC 8878 §3.1.1.1: the header after the magic number at `at`, or undefined when it is cut short or malformed. */
function readFrameHeader(data: Buffer, at: number): FrameHeader | undefined {
  if (at >= data.length) return undefined;
  const descriptor = data[at];
  // §3.1.1.1.1, Frame_Header_Descriptor: content size flag (bits 7-6), single segment (5), reserved (3, must be 0),
  // checksum (2), dictionary id flag (1-0).
  if (descriptor & 0x08) return undefined;
  const singleSegment = (descriptor & 0x20) !== 0;
  const contentSizeBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6];
  let position = at + 1;
  let windowSize = 0;
  if (!singleSegment) {
    if (position >= data.length) return undefined;
    // §3.1.1.1.2, Window_Descriptor: Exponent (bits 7-3) and Mantissa (2-0).
    const windowBase = 2 ** (10 + (data[position] >> 3));
    windowSize = windowBase + (windowBase / 8) * (data[position] & 7);
    position++;
  }
  position += [0, 1, 2, 4][descriptor & 3];
  if (position + contentSizeBytes > data.length) return undefined;
  let contentSize: number | undefined;
  if (contentSizeBytes > 0) {
    // §3.1.1.1.4: little-endian; the 2-byte form is offset by 256.
    contentSize = 0;
    for (let i = contentSizeBytes - 1; i >= 0; i--) contentSize = contentSize * 256 + data[position + i];
    if (contentSizeBytes === 2) contentSize += 256;
  }
  if (singleSegment) windowSize = contentSize as number;
  return { windowSize, contentSize, hasChecksum: (descriptor & 0x04) !== 0, blocksAt: position + contentSizeBytes };
}

/** RFC 8878 §3.1.1.2: where the frame whose blocks start at `at` ends, or undefined when it is cut short or malformed. */
function frameEnd(data: Buffer, at: number, hasChecksum: boolean): number | undefined {
  for (;;) {
    if (at + 3 > data.length) return undefined;
    // Block_Header: Last_Block (bit 0), Block_Type (2-1), Block_Size (23-3); an RLE block's content is one byte.
    const blockHeader = data.readUIntLE(at, 3);
    const blockType = (blockHeader >> 1) & 3;
    if (blockType === 3) return undefined;
    at += 3 + (blockType === 1 ? 1 : blockHeader >>> 3);
    if (blockHeader & 1) return at + (hasChecksum ? 4 : 0);
  }
}

/**
 * False when a frame would make the decoder hold more than allowed: a window above what `maxBytes` allows (at least
 * the interoperable 8 MB, at most 128 MB), or declared content sizes over `maxBytes`. Data this cannot walk is left
 * to the decoder, which throws on it before it reaches any frame past that point.
 */
function framesFit(data: Buffer, maxBytes: number): boolean {
  const windowLimit = Math.min(MAX_WINDOW_BYTES, Math.max(maxBytes, INTEROPERABLE_WINDOW_BYTES));
  let declared = 0;
  let at = 0;
  while (at + 4 <= data.length) {
    const magic = data.readUInt32LE(at);
    if (magic >>> 4 === SKIPPABLE_MAGIC_PREFIX) {
      if (at + 8 > data.length) return true;
      at += 8 + data.readUInt32LE(at + 4);
      continue;
    }
    if (magic !== FRAME_MAGIC) return true;
    const header = readFrameHeader(data, at + 4);
    if (!header) return true;
    if (header.windowSize > windowLimit) return false;
    declared += header.contentSize ?? 0;
    if (declared > maxBytes) return false;
    const end = frameEnd(data, header.blocksAt, header.hasChecksum);
    if (end === undefined) return true;
    at = end;
  }
  return true;
}

/** The decompressed bytes, or undefined when they (or the decoder's window) would exceed `maxBytes`; throws on corrupt data. */
export function decompressZstd(compressed: Buffer, maxBytes: number): Buffer | undefined {
  if (!framesFit(compressed, maxBytes)) return undefined;
  if (nativeZstd) {
    try {
      return nativeZstd(compressed, { maxOutputLength: maxBytes });
    } catch (error) {
      if (error instanceof RangeError || (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') return undefined;
      throw error;
    }
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const stream = new Decompress((chunk) => {
    total += chunk.length;
    if (total > maxBytes) throw new TooLarge();
    chunks.push(chunk);
  });
  try {
    stream.push(compressed, true);
  } catch (error) {
    if (error instanceof TooLarge) return undefined;
    throw error;
  }
  return Buffer.concat(chunks, total);
}
