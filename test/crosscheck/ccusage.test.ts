// Assay's Claude Code and Codex importers against ccusage 20.0.24 on the same generated logs: per UTC
// day and model, every token category must be equal. Costs are not compared: the importer stores
// tokens only (plus the tool's own costUSD), and Assay prices at report time from its price snapshot,
// while ccusage prices from its bundled LiteLLM copy with its own rules (fast-mode multipliers, Codex
// model aliases such as gpt-5-codex → gpt-5, a gpt-5 fallback for counts without a model), so costs
// differ wherever the two price lists or rules differ.
// Known input differences, kept out of the corpus: ccusage drops a whole Claude line when a field such
// as costUSD or cache_read_input_tokens is null (Assay counts the tokens), counts every line without a
// message.id (Assay counts identical such lines once), and gives Codex counts without a model to gpt-5
// (Assay: `unknown`, so unpriced, never guessed).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../unit/importers/fixtures';
import { ensureCcusage, runCcusage } from './ccusage';
import { assayUsage, byDayAndModel, sorted, type Totals } from './compare';
import { writeClaudeCorpus, writeCodexCorpus } from './corpus';

describe('cross-check against ccusage 20.0.24', function () {
  this.timeout(300_000);
  let binary: string | undefined;
  let home: string;

  before(function () {
    binary = ensureCcusage();
    // A cross-check that cannot run is a failure, never a skip counted as a pass.
    assert.ok(binary, 'ccusage@20.0.24 could not be installed from the npm registry');
    home = tempDir('crosscheck-home');
  });

  it('Claude Code: equal input, output, cache read and cache write per day and model', async () => {
    const root = tempDir('crosscheck-claude');
    writeClaudeCorpus(root, { targetBytes: 6 * 1024 * 1024, days: 9, seed: 7 });
    const env = { CLAUDE_CONFIG_DIR: root };
    const report = JSON.parse(runCcusage(binary as string, ['claude', 'daily', '--json', '--offline', '--breakdown', '-z', 'UTC'], env, home)) as {
      daily: { date: string; modelBreakdowns: { modelName: string; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheCreationTokens: number }[] }[];
    };
    const expected = new Map<string, Totals>();
    for (const day of report.daily) {
      for (const m of day.modelBreakdowns) {
        expected.set(`${day.date} ${m.modelName}`, {
          input: m.inputTokens,
          output: m.outputTokens,
          cacheRead: m.cacheReadTokens,
          cacheWrite: m.cacheCreationTokens,
        });
      }
    }
    const actual = byDayAndModel(await assayUsage(env, home), (e) => ({
      input: e.inputTokens,
      output: e.outputTokens,
      cacheRead: e.cacheReadTokens,
      cacheWrite: e.cacheWrite5mTokens + e.cacheWrite1hTokens,
    }));
    assert.ok(expected.size > 20, `a corpus of several days and models (${expected.size} day-model rows)`);
    assert.deepEqual(sorted(actual), sorted(expected));
  });

  it('Codex: equal uncached input, cache read, output and reasoning per day and model', async () => {
    const root = tempDir('crosscheck-codex');
    writeCodexCorpus(root, { targetBytes: 3 * 1024 * 1024, days: 9, seed: 11 });
    assert.ok(fs.existsSync(path.join(root, 'archived_sessions')));
    const env = { CODEX_HOME: root };
    const report = JSON.parse(runCcusage(binary as string, ['codex', 'daily', '--json', '--offline', '-z', 'UTC'], env, home)) as {
      daily: { date: string; models: Record<string, { inputTokens: number; cacheReadTokens: number; outputTokens: number; reasoningOutputTokens: number; isFallback: boolean }> }[];
    };
    const expected = new Map<string, Totals>();
    for (const day of report.daily) {
      for (const [model, m] of Object.entries(day.models)) {
        assert.equal(m.isFallback, false, 'every count has a logged model');
        expected.set(`${day.date} ${model}`, { input: m.inputTokens, cacheRead: m.cacheReadTokens, output: m.outputTokens, reasoning: m.reasoningOutputTokens });
      }
    }
    const actual = byDayAndModel(await assayUsage(env, home), (e) => ({
      input: e.inputTokens,
      cacheRead: e.cacheReadTokens,
      output: e.outputTokens,
      reasoning: e.reasoningTokens,
    }));
    assert.ok(expected.size > 10, `a corpus of several days and models (${expected.size} day-model rows)`);
    assert.deepEqual(sorted(actual), sorted(expected));
  });
});
