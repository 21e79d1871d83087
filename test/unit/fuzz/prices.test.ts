// Price files in LiteLLM's format are user-given input (assay.pricing.priceFile, --price-file): a
// hostile one is refused with a short message, never a throw, a hang, Infinity prices or pollution.
import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { loadPriceFile, MAX_MODEL_NAME_LENGTH } from '../../../src/pricing/priceData';
import { assertNoPollution, corpus, hostileJson, mutated, RUN, truncated, withInvalidUtf8 } from './hostile';

const TEMPLATE = {
  'acme-coder-9': { input_cost_per_token: 0.000002, output_cost_per_token: 0.00001, litellm_provider: 'acme', mode: 'chat' },
  'acme-coder-mini': { input_cost_per_token: 0.0000002, cache_read_input_token_cost: 0.00000002, max_input_tokens: 200000 },
};
const TEMPLATE_TEXT = JSON.stringify(TEMPLATE, null, 2);

function checkLoaded(text: string): void {
  const result = loadPriceFile(text);
  if (result.ok) {
    for (const [name, entry] of result.data) {
      assert.ok(name.length > 0 && name.length <= MAX_MODEL_NAME_LENGTH);
      for (const value of Object.values(entry)) {
        if (typeof value === 'number') assert.ok(Number.isFinite(value) && value >= 0, `${name}: ${value}`);
      }
    }
  } else {
    // A message for a notification: short, and never the file's text.
    assert.ok(result.error.length < 2_000);
    assert.ok(!result.error.includes('\n'));
  }
  assertNoPollution();
}

describe('fuzz: price files', function () {
  this.timeout(20_000);
  afterEach(assertNoPollution);

  it('the hand-made corpus is refused or loaded cleanly', () => {
    for (const text of corpus('prices.txt')) checkLoaded(text);
    const refused = corpus('prices.txt').filter((text) => !loadPriceFile(text).ok).length;
    assert.ok(refused >= 10, 'the corpus is mostly bad files, each one refused');
  });

  it('hostile files never throw, pollute or load a price that is not a finite non-negative number', () => {
    const file = fc.oneof(
      mutated(TEMPLATE).map((value) => JSON.stringify(value) ?? 'null'),
      hostileJson.map((value) => JSON.stringify(value) ?? 'null'),
      truncated(TEMPLATE_TEXT),
      withInvalidUtf8(TEMPLATE_TEXT),
      // JSON numbers past the double range parse as Infinity.
      fc.constantFrom('1e309', '-1e309').map((number) => TEMPLATE_TEXT.replace('0.000002', number)),
    );
    fc.assert(fc.property(file, checkLoaded), RUN);
  });

  it('a 50 MB price file and a deeply nested one are handled, not hung on', () => {
    checkLoaded(`{"m":{"input_cost_per_token":0.1,"notes":"${'n'.repeat(50 * 1024 * 1024)}"}}`);
    checkLoaded(`{"m":{"input_cost_per_token":0.1,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}`);
    checkLoaded(`{"m":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`);
  });
});
