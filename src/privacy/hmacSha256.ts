// HMAC-SHA256 of short strings under one key, as node:crypto computes it, for the tens of thousands of opaque ids an
// import makes (opaqueId.ts). Hand-written because nothing else fits:
// - node's createHmac costs about 4.5 µs per short id, mostly per-call setup, and two threads making ids with it at
//   once slowed each other down: on the 500 MB bench corpus (test/bench/importClaude.ts) the ids of 37,600
//   responses took 670 ms of CPU across the run's thread and a read thread, about 9 µs each;
// - Hash.copy() of a prepared key state was slower still (two hash objects per id), and @noble/hashes with a cloned
//   HMAC state took twice the time of the code below (allocations per call);
// - this code keeps the key's two padded blocks compressed once, so a short id is two or three block compressions
//   with no allocation but the id string: about 3 µs, and threads do not meet.
// Long values go to node's createHmac: it hashes long input several times faster than JavaScript can, and the
// digest is the same. test/unit/privacy/hmacSha256.test.ts checks both paths against node:crypto.
import { createHash, createHmac } from 'node:crypto';

const BLOCK_BYTES = 64;
/** Values at most this long (UTF-16 units) are hashed here; longer ones by node:crypto. */
const MAX_OWN_LENGTH = 256;

const ROUND_CONSTANTS = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const INITIAL_STATE = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const HEX_CODES = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));
// Scratch space shared by every key and call: JavaScript runs one call at a time per thread, and a key then holds
// only its two start states.
const schedule = new Int32Array(64);
const working = new Int32Array(8);
/** A short value's UTF-8 bytes and padding: at most 3 bytes per UTF-16 unit, then up to 72. */
const message = new Uint8Array(MAX_OWN_LENGTH * 3 + 72);
/** The outer hash's one block: the inner digest, then padding for 64 + 32 bytes (768 bits, 0x300). */
const outerBlock = new Uint8Array(BLOCK_BYTES);
outerBlock[32] = 0x80;
outerBlock[62] = 0x03;

/** SHA-256's compression of the 64-byte block at `bytes[offset]` into `state` (FIPS 180-4, 6.2.2). */
function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = schedule;
  for (let i = 0; i < 16; i++, offset += 4) {
    w[i] = (bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15];
    const y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + ROUND_CONSTANTS[i] + w[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

/** HMAC-SHA256 under one key; `hex(value, n)` is the first n hex digits of the digest of `value` as UTF-8. */
export class HmacSha256 {
  private readonly key: Buffer;
  /** The state after the key XOR ipad block, and after the key XOR opad block. */
  private readonly innerStart = new Int32Array(INITIAL_STATE);
  private readonly outerStart = new Int32Array(INITIAL_STATE);

  constructor(key: Buffer) {
    this.key = key;
    const blockKey = key.length > BLOCK_BYTES ? createHash('sha256').update(key).digest() : key;
    const pad = new Uint8Array(BLOCK_BYTES);
    for (let i = 0; i < BLOCK_BYTES; i++) pad[i] = (blockKey[i] ?? 0) ^ 0x36;
    compress(this.innerStart, pad, 0);
    for (let i = 0; i < BLOCK_BYTES; i++) pad[i] = (blockKey[i] ?? 0) ^ 0x5c;
    compress(this.outerStart, pad, 0);
  }

  /** @param hexDigits at most 64, the digest's length. */
  hex(value: string, hexDigits: number): string {
    if (value.length > MAX_OWN_LENGTH) return createHmac('sha256', this.key).update(value, 'utf8').digest('hex').slice(0, hexDigits);
    const length = encodeUtf8(value, message);
    let end = length;
    message[end++] = 0x80;
    while ((end & 63) !== 56) message[end++] = 0;
    // The bit length of the key block and the value: under 2^32, as values here are short.
    const bits = (BLOCK_BYTES + length) * 8;
    message[end++] = 0;
    message[end++] = 0;
    message[end++] = 0;
    message[end++] = 0;
    message[end++] = bits >>> 24;
    message[end++] = (bits >>> 16) & 255;
    message[end++] = (bits >>> 8) & 255;
    message[end++] = bits & 255;
    working.set(this.innerStart);
    for (let offset = 0; offset < end; offset += BLOCK_BYTES) compress(working, message, offset);
    for (let i = 0; i < 8; i++) {
      const word = working[i];
      outerBlock[i * 4] = word >>> 24;
      outerBlock[i * 4 + 1] = (word >>> 16) & 255;
      outerBlock[i * 4 + 2] = (word >>> 8) & 255;
      outerBlock[i * 4 + 3] = word & 255;
    }
    working.set(this.outerStart);
    compress(working, outerBlock, 0);
    return hexDigits === 16 ? hex16(working) : hexOf(working, hexDigits);
  }
}

/**
 * The first 16 hex digits of `state`, the length of every opaque id, as one flat string: built from pieces, an id
 * would be a tree of strings, larger in memory (an import's index holds every id) and flattened on each first lookup.
 */
function hex16(state: Int32Array): string {
  const [x, y] = state;
  const c = HEX_CODES;
  return String.fromCharCode(
    c[x >>> 28], c[(x >>> 24) & 15], c[(x >>> 20) & 15], c[(x >>> 16) & 15], c[(x >>> 12) & 15], c[(x >>> 8) & 15], c[(x >>> 4) & 15], c[x & 15],
    c[y >>> 28], c[(y >>> 24) & 15], c[(y >>> 20) & 15], c[(y >>> 16) & 15], c[(y >>> 12) & 15], c[(y >>> 8) & 15], c[(y >>> 4) & 15], c[y & 15],
  );
}

function hexOf(state: Int32Array, hexDigits: number): string {
  const codes: number[] = [];
  for (let i = 0; i < hexDigits; i++) codes.push(HEX_CODES[(state[i >> 3] >>> (28 - 4 * (i & 7))) & 15]);
  return String.fromCharCode(...codes);
}

/** Writes `value` as UTF-8 (a lone surrogate as U+FFFD, as Buffer.from does) and returns the byte count. */
function encodeUtf8(value: string, bytes: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    let unit = value.charCodeAt(i);
    if (unit < 0x80) {
      bytes[n++] = unit;
    } else if (unit < 0x800) {
      bytes[n++] = 0xc0 | (unit >> 6);
      bytes[n++] = 0x80 | (unit & 63);
    } else {
      if (unit >= 0xd800 && unit < 0xdc00 && i + 1 < value.length) {
        const low = value.charCodeAt(i + 1);
        if (low >= 0xdc00 && low < 0xe000) {
          i++;
          const point = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
          bytes[n++] = 0xf0 | (point >> 18);
          bytes[n++] = 0x80 | ((point >> 12) & 63);
          bytes[n++] = 0x80 | ((point >> 6) & 63);
          bytes[n++] = 0x80 | (point & 63);
          continue;
        }
      }
      if (unit >= 0xd800 && unit < 0xe000) unit = 0xfffd;
      bytes[n++] = 0xe0 | (unit >> 12);
      bytes[n++] = 0x80 | ((unit >> 6) & 63);
      bytes[n++] = 0x80 | (unit & 63);
    }
  }
  return n;
}
