// Hostile input for the fuzz suites (issue #7): fast-check arbitraries for JSON of the wrong shape,
// with prototype keys, absurd numbers, truncation and invalid UTF-8, and the hand-made corpus.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fc from 'fast-check';

const CORPUS = path.resolve(__dirname, '../../../../test/unit/fuzz/corpus');

/** One hand-made case per line of `corpus/<name>`. */
export function corpus(name: string): string[] {
  return fs.readFileSync(path.join(CORPUS, name), 'utf8').split('\n').filter((line) => line.length > 0);
}

/** fast-check settings: few runs and a time cap per property, so the whole suite stays short. */
export const RUN = { numRuns: 150, interruptAfterTimeLimit: 3_000, seed: 7 } as const;

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
/** Field names the parsers look for, so that generated objects reach past the first check. */
const FIELD_KEYS = [
  'type', 'timestamp', 'message', 'usage', 'input_tokens', 'output_tokens', 'model', 'id', 'requestId',
  'payload', 'info', 'total_token_usage', 'last_token_usage', 'tokens', 'messages', 'sessionId', 'projectHash',
  '$set', 'kind', 'k', 'v', 'requests', 'result', 'metadata', 'promptTokens', 'generatedTokens', 'costUSD',
];

export const absurdNumber = fc.constantFrom(1e16, 1e308, -1, -0, 0.5, 2 ** 53 + 2, 1e12 + 1, Number.MAX_SAFE_INTEGER, 1e-300);

const key = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS, ...FIELD_KEYS), fc.string({ maxLength: 8 }));

/** JSON values of every type, with prototype keys and the field names parsers read. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.double({ noDefaultInfinity: true, noNaN: true }),
    absurdNumber,
    fc.string({ maxLength: 20 }),
    fc.constantFrom('2026-01-01T00:00:00Z', '1e16', 'NaN', '', 'gemini', 'token_count', 'turn_context'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
})).value;

/** Any leaf or inner path of a JSON value. */
function paths(value: unknown, prefix: (string | number)[] = [], into: (string | number)[][] = []): (string | number)[][] {
  into.push(prefix);
  if (typeof value === 'object' && value !== null) {
    for (const [k, child] of Object.entries(value)) paths(child, [...prefix, Array.isArray(value) ? Number(k) : k], into);
  }
  return into;
}

/** `template` with the value at one of its paths replaced by a hostile one (or the whole value replaced). */
export function mutated(template: unknown): fc.Arbitrary<unknown> {
  const all = paths(template);
  return fc.tuple(fc.nat({ max: all.length - 1 }), hostileJson).map(([index, replacement]) => {
    const target = all[index];
    if (target.length === 0) return replacement;
    const copy = structuredClone(template) as Record<string | number, unknown>;
    let parent = copy;
    for (const segment of target.slice(0, -1)) parent = parent[segment] as Record<string | number, unknown>;
    Object.defineProperty(parent, target[target.length - 1], { value: replacement, enumerable: true, writable: true, configurable: true });
    return copy;
  });
}

/** A prefix of `text`, cut anywhere: a torn or truncated line. */
export function truncated(text: string): fc.Arbitrary<string> {
  return fc.nat({ max: Math.max(0, text.length - 1) }).map((end) => text.slice(0, end));
}

/** Bytes that are not valid UTF-8 mixed into `text`, decoded as the line reader decodes them. */
export function withInvalidUtf8(text: string): fc.Arbitrary<string> {
  return fc
    .tuple(fc.nat({ max: text.length }), fc.uint8Array({ minLength: 1, maxLength: 8 }).map((bytes) => bytes.map((b) => 0x80 | (b & 0x7f))))
    .map(([at, bytes]) => Buffer.concat([Buffer.from(text.slice(0, at)), Buffer.from(bytes), Buffer.from(text.slice(at))]).toString('utf8'));
}

/** Fails when something a hostile input did reached Object.prototype. */
export function assertNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  assert.equal(probe.polluted, undefined, 'Object.prototype was polluted');
  assert.equal(Object.keys(Object.prototype).length, 0, 'Object.prototype gained an enumerable key');
  assert.equal(typeof probe.toString, 'function');
}
