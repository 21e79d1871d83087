import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfiguredPricer } from '../../../src/pricing/configuredPricer';
import { bundledPriceData, loadPriceFile, mergePriceData, unappliedTiersNotice } from '../../../src/pricing/priceData';
import { createPricer } from '../../../src/pricing/pricer';
import { PRICE_SNAPSHOT_DATE } from '../../../src/pricing/snapshotInfo';
import { assertClose, standardOnly } from './helpers';

function errorOf(text: string): string {
  const result = loadPriceFile(text);
  assert.equal(result.ok, false, 'expected the file to be rejected');
  return result.ok ? '' : result.error;
}

describe('price data: bundled snapshot', () => {
  it('validates, and prices every model the briefing vendors sell', () => {
    const pricer = createPricer({ priceData: bundledPriceData() });
    const required = [
      'claude-opus-4-5', 'claude-opus-4-1', 'claude-sonnet-4-5', 'claude-sonnet-4', 'claude-haiku-4-5', 'claude-3-7-sonnet',
      'claude-3-5-sonnet', 'claude-3-5-haiku', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'gpt-5-codex', 'gpt-4.1', 'gpt-4.1-mini',
      'gpt-4.1-nano', 'gpt-4o', 'gpt-4o-mini', 'o3', 'o4-mini', 'gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-2.5-flash-lite',
      'deepseek-chat', 'deepseek-reasoner', 'ollama/qwen2.5-coder', 'ollama/llama3.1',
    ];
    for (const model of required) {
      assert.notEqual(pricer.pricesFor(model), null, `${model} should be priced`);
    }
  });

  it('has a snapshot date', () => {
    assert.match(PRICE_SNAPSHOT_DATE, /^\d{4}-\d{2}-\d{2}$/);
  });

  it('keeps the long-context tier of Gemini 2.5 Pro above its standard prices', () => {
    const gemini = bundledPriceData().get('gemini-2.5-pro');
    assert.ok((gemini?.input_cost_per_token_above_200k_tokens ?? 0) > (gemini?.input_cost_per_token ?? Infinity));
  });
});

describe('price data: user price file', () => {
  it('reads a LiteLLM-format file, ignoring extra fields and sample_spec', () => {
    const result = loadPriceFile(
      JSON.stringify({
        sample_spec: { max_tokens: 'LEGACY parameter', input_cost_per_token: 0 },
        'acme-coder': { input_cost_per_token: 1e-6, output_cost_per_token: 4e-6, supports_vision: true, max_input_tokens: 'lots' },
      }),
    );
    assert.ok(result.ok);
    assert.deepEqual([...result.data.keys()], ['acme-coder']);
    assert.equal(result.data.get('acme-coder')?.max_input_tokens, undefined);
  });

  it('tells of long-context prices above a threshold other than 200k, which it does not apply', () => {
    const result = loadPriceFile(
      JSON.stringify({
        'acme-large': { input_cost_per_token: 2.5e-6, output_cost_per_token: 1.5e-5, input_cost_per_token_above_272k_tokens: 5e-6 },
        'acme-long': { input_cost_per_token: 1e-6, input_cost_per_token_above_200k_tokens: 2e-6, output_cost_per_token_above_128k_tokens: 0 },
      }),
    );
    assert.ok(result.ok);
    assert.deepEqual(result.unappliedTiers, [272], 'a 200k tier is applied, and a free tier changes nothing');
    assert.match(unappliedTiersNotice(result.unappliedTiers) ?? '', /above 272k tokens; .*above 200k tokens only/);
    assert.equal(unappliedTiersNotice([]), null);
  });

  it('extends the bundled snapshot and replaces its entries of the same name', () => {
    const result = loadPriceFile(JSON.stringify({
      'acme-coder': { input_cost_per_token: 1e-6, output_cost_per_token: 4e-6 },
      'GPT-5': { input_cost_per_token: 9e-6, output_cost_per_token: 9e-6 },
    }));
    assert.ok(result.ok);
    const pricer = createPricer({ priceData: mergePriceData(bundledPriceData(), result.data) });
    assertClose(pricer.costUSD('acme-coder', standardOnly({ outputTokens: 1_000 })), 1_000 * 4e-6);
    assertClose(pricer.costUSD('gpt-5', standardOnly({ inputTokens: 1_000 })), 1_000 * 9e-6);
    assert.equal(pricer.normalizeModel('gpt-5'), 'GPT-5');
    assert.notEqual(pricer.costUSD('claude-sonnet-4-5', standardOnly({ inputTokens: 1 })), null);
  });

  it('names the model and field of a wrong price', () => {
    const error = errorOf(JSON.stringify({ 'acme-coder': { input_cost_per_token: '0.001', output_cost_per_token: -2 } }));
    assert.match(error, /2 problems/);
    assert.match(error, /"acme-coder" input_cost_per_token must be a number/);
    assert.match(error, /"acme-coder" output_cost_per_token must not be negative/);
  });

  it('says where invalid JSON breaks without quoting the file', () => {
    const error = errorOf('{\n  "acme-secret-project": 1\n');
    assert.match(error, /not valid JSON/);
    assert.doesNotMatch(error, /secret/);
  });

  it('rejects a file that is not an object of models, or lists none', () => {
    assert.match(errorOf('[1, 2]'), /must be a JSON object/);
    assert.match(errorOf('{"acme": 3}'), /"acme" must be an object of prices/);
    assert.match(errorOf('{}'), /lists no models/);
  });

  it('reports at most five problems and counts the rest', () => {
    const entries = Object.fromEntries(Array.from({ length: 8 }, (_, index) => [`m${index}`, { input_cost_per_token: -1 }]));
    assert.match(errorOf(JSON.stringify(entries)), /8 problems: .*\(and 3 more\)/);
  });

  it('treats a __proto__ entry as a plain model name', () => {
    const result = loadPriceFile('{"__proto__": {"input_cost_per_token": 1e-6, "output_cost_per_token": 1e-6}}');
    assert.ok(result.ok);
    assert.equal(createPricer({ priceData: result.data }).normalizeModel('__proto__'), '__proto__');
  });
});

describe('price data: the price file a setting names', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'assay-price-file-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('prices with a price file the setting names', async () => {
    const file = path.join(dir, 'prices.json');
    fs.writeFileSync(file, JSON.stringify({ 'house-model': { input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, litellm_provider: 'openai' } }));
    const { pricer, notice } = await loadConfiguredPricer({ priceFile: file, overrides: {} });
    assert.equal(notice, null);
    assert.ok(pricer.pricesFor('house-model'), 'the file’s model is priced');
  });

  it('refuses a device, a FIFO or a folder, without reading it, and keeps the bundled prices', async () => {
    const fifo = path.join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    for (const target of ['/dev/zero', fifo, dir]) {
      const started = process.memoryUsage().rss;
      const { pricer, notice } = await loadConfiguredPricer({ priceFile: target, overrides: {} });
      assert.match(notice ?? '', /could not be used \(not a regular file of at most 32 MB\)/, target);
      assert.ok(pricer.pricesFor('claude-sonnet-4-5'), 'bundled prices apply');
      assert.ok(process.memoryUsage().rss - started < 64 * 1024 * 1024, `${target} was read into memory`);
    }
  });
});
