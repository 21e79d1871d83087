import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  clineSdkSessionParser,
  clineTaskParser,
  kiloCodeTaskParser,
  rooCodeTaskParser,
} from '../../../src/importers/sources/cline';
import type { ParsedUsage } from '../../../src/importers/types';
import { TEST_CONTEXT } from './fixtures';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/importers/cline');
const SECRET = 'SECRET-PLANTED-7f3a';
const STORAGE = `/home/${SECRET}/.config/Code/User/globalStorage`;

function readFixture(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function byTime(usages: ParsedUsage[]): Map<number, ParsedUsage> {
  return new Map(usages.map((u) => [u.t, u]));
}

describe('Cline, Roo Code and Kilo Code task parser', () => {
  const taskPath = `${STORAGE}/saoudrizwan.claude-dev/tasks/1772355600000/ui_messages.json`;
  const cline = clineTaskParser.parseFile(readFixture('cline-task/ui_messages.json'), taskPath, TEST_CONTEXT);
  const clineByTime = byTime(cline);

  it('reads one record per finished api_req_started, keyed by task id and message ts', () => {
    assert.deepEqual(cline.map((u) => u.key), [
      '1772355600000:1772355601000',
      '1772355600000:1772355610000',
      '1772355600000:1772355620000',
    ]);
    for (const usage of cline) assert.equal(usage.sessionKey, '1772355600000');
  });

  it("takes Cline's tokensIn as uncached input, cache reads and writes apart, and the tool's cost", () => {
    const first = clineByTime.get(1772355601000);
    assert.ok(first);
    assert.deepEqual(
      [first.inputTokens, first.outputTokens, first.cacheReadTokens, first.cacheWrite5mTokens, first.cacheWrite1hTokens],
      [12, 420, 15000, 3000, 0],
    );
    assert.equal(first.reportedCostUSD, 0.0213);
    assert.equal(first.model, 'claude-sonnet-4-5-20250929');
    assert.equal(first.tokensKnown, true);
  });

  it('names the model unknown without modelInfo and a null cost unreported', () => {
    const second = clineByTime.get(1772355610000);
    assert.ok(second);
    assert.equal(second.model, 'unknown');
    assert.equal(second.reportedCostUSD, null);
  });

  it('counts a request that ended without usage with tokens unknown, and skips one still streaming', () => {
    const cancelled = clineByTime.get(1772355620000);
    assert.ok(cancelled);
    assert.equal(cancelled.tokensKnown, false);
    assert.equal(cancelled.inputTokens + cancelled.outputTokens + cancelled.cacheReadTokens, 0);
    assert.equal(clineByTime.has(1772355660000), false, 'no usage and no cancel reason yet');
  });

  it('skips aggregated deleted requests, malformed text, null text, bad timestamps and null entries', () => {
    assert.equal(clineByTime.has(1772355630000), false);
    assert.equal(clineByTime.has(1772355640000), false);
    assert.equal(clineByTime.has(1772355650000), false);
    assert.equal(cline.length, 3);
  });

  it("subtracts cache reads from tokensIn for Cline's OpenAI-compatible handlers only", () => {
    // Written as cline/cline 791d2389966d927396830470c51d456d04687b69 writes them:
    // apps/vscode/src/core/api/providers/openai.ts and xai.ts yield inputTokens = prompt_tokens and
    // cacheReadTokens = prompt_tokens_details.cached_tokens; anthropic.ts yields input_tokens without
    // cache; task/index.ts stamps modelInfo {providerId (ApiProvider id), modelId, mode} on the message.
    const request = (ts: number, providerId: string, tokensIn: number, cacheReads: number) => ({
      ts,
      type: 'say',
      say: 'api_req_started',
      text: JSON.stringify({ request: 'x', tokensIn, tokensOut: 10, cacheWrites: 0, cacheReads, cost: 0.01 }),
      modelInfo: { modelId: 'gpt-5.1', providerId, mode: 'act' },
    });
    const file = JSON.stringify([
      request(1772355601000, 'openai', 9000, 8000),
      request(1772355602000, 'xai', 3000, 2048),
      request(1772355603000, 'anthropic', 12, 15000),
      request(1772355604000, 'openrouter', 500, 7000),
      request(1772355605000, 'openai', 40, 600),
    ]);
    const parsed = byTime(clineTaskParser.parseFile(file, taskPath, TEST_CONTEXT));
    assert.equal(parsed.get(1772355601000)?.inputTokens, 1000, 'prompt_tokens includes the 8000 cached');
    assert.equal(parsed.get(1772355601000)?.cacheReadTokens, 8000);
    assert.equal(parsed.get(1772355602000)?.inputTokens, 3000 - 2048);
    assert.equal(parsed.get(1772355603000)?.inputTokens, 12, 'Anthropic input excludes cache');
    assert.equal(parsed.get(1772355604000)?.inputTokens, 500, 'OpenRouter handler subtracts it itself');
    assert.equal(parsed.get(1772355605000)?.inputTokens, 40, 'below the cache reads: already uncached');
  });

  it('reads Roo tokensIn by protocol and date: old anthropic excludes the cache, openai and new anthropic include it', () => {
    const roo = byTime(rooCodeTaskParser.parseFile(readFixture('roo-task/ui_messages.json'), `${STORAGE}/rooveterinaryinc.roo-cline/tasks/t1/ui_messages.json`, TEST_CONTEXT));
    assert.equal(roo.size, 5, 'api_req_deleted is skipped');
    assert.equal(roo.get(1760529601000)?.inputTokens, 50, 'anthropic before 3.29.5: uncached already');
    assert.equal(roo.get(1760529602000)?.inputTokens, 6000 - 5000, 'openai: prompt includes cache reads');
    assert.equal(roo.get(1762344000000)?.inputTokens, 5300 - 300 - 4800, 'anthropic after 3.29.5: whole prompt');
    assert.equal(roo.get(1763640000000)?.inputTokens, 7000 - 500 - 6000);
    assert.equal(roo.get(1763640001000)?.inputTokens, 8, 'tokensIn below the cache can only be uncached');
    for (const usage of roo.values()) {
      assert.equal(usage.model, 'unknown');
      assert.ok(usage.reportedCostUSD !== null);
    }
  });

  it('applies Kilo Code its own release date for the tokensIn change', () => {
    const kilo = byTime(kiloCodeTaskParser.parseFile(readFixture('roo-task/ui_messages.json'), `${STORAGE}/kilocode.kilo-code/tasks/t1/ui_messages.json`, TEST_CONTEXT));
    assert.equal(kilo.get(1762344000000)?.inputTokens, 5300, 'Kilo took the change on 2025-11-12');
    assert.equal(kilo.get(1763640000000)?.inputTokens, 500);
    assert.equal(kiloCodeTaskParser.source, 'kilo-code');
    assert.equal(rooCodeTaskParser.source, 'roo-code');
    assert.equal(clineTaskParser.source, 'cline');
  });

  it('never throws on empty, truncated or mistyped files', () => {
    for (const text of ['', '[', '{}', 'null', '[1,"x",{"type":"say","say":"api_req_started","ts":1,"text":"{\\"tokensIn\\":\\"9\\"}"}]']) {
      assert.doesNotThrow(() => clineTaskParser.parseFile(text, taskPath, TEST_CONTEXT));
    }
    assert.deepEqual(clineTaskParser.parseFile(readFixture('cline-task/ui_messages.json').slice(0, 400), taskPath, TEST_CONTEXT), []);
  });

  it('lets no prompt, request, tool argument or path text reach any field', () => {
    const all = [
      ...cline,
      ...rooCodeTaskParser.parseFile(readFixture('roo-task/ui_messages.json'), `${STORAGE}/x/tasks/t1/ui_messages.json`, TEST_CONTEXT),
    ];
    for (const usage of all) assert.ok(!JSON.stringify(usage).includes(SECRET), usage.key);
  });
});

describe('Cline SDK session parser', () => {
  const sessionPath = `/home/${SECRET}/.cline/data/sessions/1784094124598_rruoq/1784094124598_rruoq.messages.json`;
  const usages = clineSdkSessionParser.parseFile(readFixture('sdk-session/1784094124598_rruoq.messages.json'), sessionPath, TEST_CONTEXT);

  it('reads assistant messages with metrics after the legacy-resume marker, keyed by message id', () => {
    assert.deepEqual(usages.map((u) => u.key), ['msg_7mYEbh8N', 'msg_Fy5COtRH']);
    for (const usage of usages) assert.equal(usage.sessionKey, '1784094124598_rruoq');
  });

  it('splits the cache out of the SDK total input and keeps the reported cost', () => {
    const [first, second] = usages;
    assert.deepEqual([first.inputTokens, first.cacheReadTokens, first.outputTokens], [35912 - 34332, 34332, 164]);
    assert.equal(first.model, 'anthropic/claude-opus-4.8-fast');
    assert.equal(first.t, 1783376873493);
    assert.equal(first.reportedCostUSD, 0.06539085);
    assert.equal(second.inputTokens, 12238 - 12224);
  });

  // Fixture follows the metrics Cline's SDK stamps per turn: sdk/packages/agents/src/agent-runtime.ts usageDelta
  // (reasoningTokenCount only when above 0) at cline/cline 21cb8d25, and the displayOnly terminal-error message
  // (no metrics) of npm @cline/core 0.0.86 recordTerminalError.
  it("keeps an SDK message's reasoningTokenCount as the reasoning part of its output, capped at the output", () => {
    const reasoningPath = `/home/${SECRET}/.cline/data/sessions/1790500000000_k3x9q/1790500000000_k3x9q.messages.json`;
    const text = readFixture('sdk-session-reasoning/1790500000000_k3x9q.messages.json');
    const parsed = clineSdkSessionParser.parseFile(text, reasoningPath, TEST_CONTEXT);
    assert.deepEqual(
      parsed.map((u) => [u.key, u.outputTokens, u.reasoningTokens]),
      [
        ['msg_r1', 900, 640],
        ['msg_r2', 40, 40],
        ['msg_r3', 10, 0],
      ],
    );
    assert.equal(parsed[0].inputTokens, 20480 - 18432);
    for (const usage of usages) assert.equal(usage.reasoningTokens, 0);
    for (const usage of parsed) assert.ok(!JSON.stringify(usage).includes(SECRET));
  });

  it('never throws on broken files and leaks no content', () => {
    for (const text of ['', '{', '{"messages":null}', '{"messages":[null,{"role":"assistant","metrics":{}}]}']) {
      assert.deepEqual(clineSdkSessionParser.parseFile(text, sessionPath, TEST_CONTEXT), []);
    }
    for (const usage of usages) assert.ok(!JSON.stringify(usage).includes(SECRET));
  });
});
