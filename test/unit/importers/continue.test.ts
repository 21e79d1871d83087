import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { continueTokensParser } from '../../../src/importers/sources/continue';
import type { ParsedUsage } from '../../../src/importers/types';
import { TEST_CONTEXT } from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/continue');
const SECRET = 'SECRET-PLANTED-7f3a';

function parseFixture(name: string): ParsedUsage[] {
  const filePath = path.join(FIXTURES, name);
  const state = continueTokensParser.initialState(filePath, TEST_CONTEXT);
  return fs.readFileSync(filePath, 'utf8').split('\n').filter((line) => line.trim() !== '')
    .flatMap((line) => continueTokensParser.parseLine(line, state, TEST_CONTEXT));
}

describe('Continue tokensGenerated parser', () => {
  const usages = parseFixture('0.2.0/tokensGenerated.jsonl');

  it('reads one record per dated line with tokens, prompt as input and generated as output', () => {
    assert.equal(usages.length, 4);
    const [first] = usages;
    assert.equal(first.t, Date.parse('2026-02-10T09:15:00.123Z'));
    assert.equal(first.model, 'claude-3-7-sonnet-latest');
    assert.deepEqual([first.inputTokens, first.outputTokens, first.cacheReadTokens, first.reasoningTokens], [5230, 412, 0, 0]);
    assert.equal(first.tokensKnown, true);
    assert.equal(first.reportedCostUSD, null);
  });

  it('keys by line content, so a re-read line keeps its key and two different calls in one millisecond do not collide', () => {
    const again = parseFixture('0.2.0/tokensGenerated.jsonl');
    assert.deepEqual(again.map((u) => u.key), usages.map((u) => u.key));
    assert.equal(new Set(usages.map((u) => u.key)).size, usages.length);
    assert.equal(usages[1].t, usages[2].t);
  });

  it('keeps local and unknown models as logged, null model as unknown, null counts as zero', () => {
    assert.equal(usages[1].model, 'qwen2.5-coder:1.5b');
    assert.equal(usages[3].model, 'unknown');
    assert.equal(usages[3].inputTokens, 0);
    assert.equal(usages[3].outputTokens, 7);
  });

  it('skips lines without a usable timestamp (schema 0.1.0, bad dates), zero-token lines and truncated lines', () => {
    assert.deepEqual(parseFixture('0.1.0/tokensGenerated.jsonl'), []);
    assert.ok(usages.every((u) => u.model !== 'gpt-4o'));
    for (const line of ['', 'null', '[]', '{"eventName":"autocomplete","timestamp":"2026-01-01T00:00:00Z","promptTokens":5}']) {
      assert.deepEqual(continueTokensParser.parseLine(line, {}, TEST_CONTEXT), []);
    }
  });

  it('lets no user id or agent string reach any field', () => {
    for (const usage of usages) {
      assert.ok(!JSON.stringify(usage).includes(SECRET));
      assert.ok(!JSON.stringify(usage).includes('Visual Studio Code'));
    }
  });
});
