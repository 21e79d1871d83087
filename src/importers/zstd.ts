// Zstandard decompression for logs a tool compresses once cold (Codex's `.jsonl.zst` rollouts).
// Node's zlib has zstd from 22.15 / 23.8; the supported Node 20 does not, so the pure-JS `fzstd`
// (no native module, nothing downloaded at install) decodes there. Either way the output is bounded:
// a small hostile file must not expand into gigabytes of memory.
import * as zlib from 'node:zlib';
import { Decompress } from 'fzstd';

type NativeZstd = (buffer: Buffer, options: { maxOutputLength: number }) => Buffer;

const nativeZstd = (zlib as unknown as { zstdDecompressSync?: NativeZstd }).zstdDecompressSync;

class TooLarge extends Error {}

/** The decompressed bytes, or undefined when they would exceed `maxBytes`; throws on corrupt data. */
export function decompressZstd(compressed: Buffer, maxBytes: number): Buffer | undefined {
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
