import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as fc from 'fast-check';
import { HmacSha256 } from '../../../src/privacy/hmacSha256';

function nodeHex(key: Buffer, value: string, hexDigits: number): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, hexDigits);
}

// Every opaque id in users' ledgers and emitted indexes came from node's createHmac: a digest that differed in one
// case would count that response twice, so the hand-written HMAC must agree with node:crypto on every input.
describe('HmacSha256', () => {
  it('gives node:crypto digests for any key and value, across block boundaries, non-ASCII text and lone surrogates', () => {
    const key = fc.uint8Array({ minLength: 0, maxLength: 150 }).map((bytes) => Buffer.from(bytes));
    const value = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 300 }),
      fc.string({ unit: 'grapheme', maxLength: 100 }),
      fc.string({ maxLength: 300 }),
      // Any UTF-16 units, lone surrogates of both halves among them.
      fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)), maxLength: 120 }),
      // Lengths where the padding and the length words move to another block.
      fc.integer({ min: 40, max: 140 }).map((length) => 'a'.repeat(length)),
    );
    fc.assert(
      fc.property(key, value, fc.constantFrom(8, 16, 32, 64), (keyBytes, text, hexDigits) => {
        assert.equal(new HmacSha256(keyBytes).hex(text, hexDigits), nodeHex(keyBytes, text, hexDigits));
      }),
      { numRuns: 3000, seed: 11 },
    );
  });

  it('keeps giving the right digest when one key hashes many values of different lengths in turn, between another key\'s', () => {
    const key = Buffer.from('0123456789abcdef'.repeat(4), 'utf8');
    const otherKey = Buffer.from('another key', 'utf8');
    const hmac = new HmacSha256(key);
    const other = new HmacSha256(otherKey);
    for (let length = 0; length <= 400; length++) {
      const text = 'x'.repeat(length) + (length % 3 === 0 ? 'é😀' : '');
      assert.equal(hmac.hex(text, 16), nodeHex(key, text, 16), `length ${length}`);
      assert.equal(other.hex(text, 32), nodeHex(otherKey, text, 32), `other key, length ${length}`);
    }
    for (const lone of ['\ud800', '\udc00', 'a\udfffb', '\ud800\ud800\udc00']) {
      assert.equal(hmac.hex(lone, 16), nodeHex(key, lone, 16), 'a lone surrogate is hashed as U+FFFD, as node does');
    }
  });
});
