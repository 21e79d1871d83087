// Assay's pi, OpenCode, Kilo, Gemini CLI, Qwen Code, Copilot Chat OpenTelemetry, Factory Droid, Amp, Codebuff, OpenClaw, Hermes, Grok Build,
// GitHub Copilot CLI, ZCode, Goose, Kimi Code, Kimi CLI and Antigravity CLI
// importers against ccusage 20.0.24 (`ccusage <tool> daily --json`; ccusage reads that OpenTelemetry file as `copilot`, for the Copilot CLI)
// on the same generated logs (agentCorpora.ts): per UTC day and model, every token category both tools record must
// be equal. Costs are not compared (see ccusage.test.ts). ccusage's numbers are its own display
// convention, which differs from Assay's one convention (inputTokens without cached input, outputTokens with
// reasoning) in documented ways, each undone here where it applies:
// - OpenCode, Kilo and Gemini CLI: ccusage's output leaves reasoning out (it shows it apart, if at all), Assay's
//   includes it: Assay's output minus its reasoning is compared. ccusage names an OpenCode or Kilo model by its
//   `modelID`, Assay by `providerID/modelID`: the provider is dropped before comparing.
// - Qwen Code: ccusage's input is the whole `promptTokenCount`, cached tokens included; Assay's excludes them:
//   Assay's input plus cache reads is compared.
// - pi: ccusage names a model `[pi] <model>`.
// - Copilot Chat: ccusage takes cache reads out of `gen_ai.usage.input_tokens` but leaves cache writes in (and counts
//   them as cache creation too); Assay takes both out: Assay's input plus cache writes is compared.
// - Factory Droid: ccusage's output leaves thinking out (its day's total counts it): Assay's output minus its reasoning
//   is compared per model, and each day's total of every token. ccusage lowercases a model name and writes its dots
//   as dashes (`gpt-5-2`); Assay keeps the name for its own model names to map: the same spelling is compared.
// - Amp: Amp files the uncached prompt of a Gemini or OpenAI call as `cacheCreationInputTokens` beside `inputTokens: 0`;
//   ccusage shows it as cache creation, Assay as input: for models other than Claude, input plus cache writes is
//   compared, on both sides.
// - Codebuff: the same convention on both sides (input and output as logged); ccusage names an answer without a model
//   `codebuff-unknown`, Assay `unknown` (the corpus names a model in every answer).
// - Hermes: both read each session's totals as one record at its start; Hermes's output already holds its reasoning,
//   which ccusage's day total adds once more: per model, output is compared as is, and each day's total of every token
//   plus the reasoning with ccusage's total.
// - OpenClaw: the same convention on both sides (pi-ai's usage); ccusage names a model `[openclaw] <model>`.
// - Grok Build: the same convention on both sides (cached input taken out of input, reasoning left inside output).
// - GitHub Copilot CLI: the same convention on both sides (cache reads and writes taken out of input, reasoning left
//   inside output), each shutdown counting what it adds to the session's previous one per model. With its
//   OpenTelemetry file on (shared with Copilot Chat), ccusage counts the shutdown totals and the spans later than a
//   session's last shutdown for that model, dropping the earlier ones; Assay counts each call the session log records
//   (which ccusage does not read) and the rest of the totals: equal per day while a session's runs keep to one day,
//   as in the corpus. For a span ccusage leaves cache writes inside input: the corpus's open runs have none.
// - ZCode: the same convention on both sides (cache reads, then cache writes, taken out of the prompt; reasoning left
//   inside output), a request found in two `ZCODE_HOME` databases counting once.
// - Goose: both read each session's totals as one record on the day it was created, its whole prompt as input (Goose
//   keeps no total of the cached part); what its total holds beyond input and output ccusage shows only in the day's
//   total, and Assay adds to output as reasoning: per model, Assay's output minus its reasoning is compared, and each
//   day's total of every token. Sessions without a model ccusage leaves out, and Assay counts under an unknown model:
//   those are left out of the comparison.
// - Kimi Code: the same convention on both sides (`inputOther` as input, cache reads and writes apart, output as
//   logged); ccusage leaves out the calls made outside a turn (`usageScope: "session"`: context compactions), which
//   Assay counts: the corpus lists them, and they are added to ccusage's figures.
// - Kimi CLI: the same convention on both sides (`input_other` as input, cache reads and writes apart, output as
//   logged), but no log names a model: ccusage names every step `kimi-for-coding` (there is no `config.json` with a
//   `model` key), Assay an unknown model. The model name is undone: each day's totals of every model are compared.
// - Antigravity CLI: the same field meanings on both sides (ccusage's, antigravity.ts); ccusage's output leaves reasoning
//   out, Assay's includes it: Assay's output minus its reasoning is compared. A call naming no model anywhere is
//   ccusage's `gemini-internal-model`, Assay's unknown model. A subagent's copy of a call counts once on both sides.
// Known differences kept out of the corpora: ccusage counts a pi branch or fork's copies of earlier responses
// again and keeps cached tokens inside the input of Google responses written by pi-ai releases before 0.73 (Assay
// counts a copy once and moves them to cache reads); it counts OpenCode's forked-session copies again (Assay:
// once); it reads only `projects/<p>/chats/<session>.jsonl` of Qwen Code, not `chats/archive/` nor subagent
// transcripts; for Gemini responses of a Gemini backend through Qwen Code its output leaves thoughts out; in a
// Copilot trace where some chat spans were lost to the exporter's `{}` and others were not, it drops the lost
// calls' log records too (the corpus loses whole turns, where both tools count the log records); it names a Droid
// session without `model` from a `Model:` text in its transcript, which Assay does not open (an unknown model); it
// skips Amp calls whose usage names no model (OpenAI Responses; Assay: an unknown model), counts an Amp ledger event
// repeated under the same id twice (Assay: once) and drops a call an edit later cut from the thread (Assay keeps
// what it imported before); where a Codebuff usage's `totalTokens` exceeds its fields' sum and output is given,
// ccusage shows the rest only in the day's total tokens and Assay adds it to output, as ccusage prices it;
// ccusage reads only the plain `event_json` of OpenClaw's database, not the rows OpenClaw stores compressed (most
// assistant messages of 1 KiB or more; Assay decompresses them), counts an OpenClaw checkpoint copy
// (`<session>.checkpoint.<uuid>.jsonl`) again (Assay: once, as its entries' session and ids are the same), reads
// `.trajectory.jsonl` run traces and every `.jsonl` anywhere below the state folder (Assay: only the agents'
// `sessions/` transcripts) and dates a transcript entry without any time by its file's modification time (Assay
// rejects it); it names a Grok turn without `modelUsage` after its session's `summary.json` (Assay, reading the log
// line alone: an unknown model) and dates a Grok turn without any time 1970-01-01 (Assay rejects it); it names a
// Kimi Code call of a model set through environment variables by its alias `__kimi_env_model__` (Assay: by the model
// the call's `llm.request` names) and counts a forked Kimi Code session's copies of its parent's calls again (Assay:
// once); it counts a forked Kimi CLI session's copies of its parent's steps again (Assay: once), leaves out the
// subagent steps that Kimi CLI builds before March 2026 logged only wrapped in the parent's log (Assay counts them) and
// dates a Kimi CLI step whose time is not a number by its file's modification time (Assay rejects it).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { UsageEvent } from '../../src/ledger/events';
import { tempDir } from '../unit/importers/fixtures';
import { appendCopilotCliWithOtelCorpus, writeAmpCorpus, writeCodebuffCorpus, writeCopilotCliCorpus, writeHermesCorpus, writeKimiCliCorpus, writeKimiCodeCorpus, writeCopilotOtelCorpus, writeDroidCorpus, writeGeminiCorpus, writeGooseCorpus, writeGrokCorpus, writeOpenClawCorpus, writeOpenCodeDatabase, writePiCorpus, writeQwenCorpus, writeZCodeCorpus, type AgentCorpusOptions } from './agentCorpora';
import { writeAntigravityCorpus } from './antigravityCorpus';
import { ensureCcusage, runCcusage } from './ccusage';
import { UNKNOWN_MODEL } from '../../src/importers/rawJson';
import { assayUsage, byDayAndModel, sorted, type Totals } from './compare';

interface CcusageDaily {
  daily: {
    date: string;
    totalTokens: number;
    modelBreakdowns: { modelName: string; inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheCreationTokens: number }[];
  }[];
}

const CORPUS: AgentCorpusOptions = { days: 9, sessionsPerDay: 6, seed: 23 };

/** ccusage's per-day, per-model breakdown, as the totals `pick` names, with the model as `modelName` gives it. */
function ccusageTotals(report: CcusageDaily, modelName: (name: string) => string): Map<string, Totals> {
  const totals = new Map<string, Totals>();
  for (const day of report.daily) {
    for (const m of day.modelBreakdowns) {
      totals.set(`${day.date} ${modelName(m.modelName)}`, { input: m.inputTokens, cacheRead: m.cacheReadTokens, cacheWrite: m.cacheCreationTokens, output: m.outputTokens });
    }
  }
  return totals;
}

const withoutProvider = (model: string) => model.slice(model.indexOf('/') + 1);
/** Input without cache, cache reads and writes apart, output as logged (reasoning inside it). */
const uncachedAsLogged = (e: UsageEvent): Totals => ({
  input: e.inputTokens,
  cacheRead: e.cacheReadTokens,
  cacheWrite: e.cacheWrite5mTokens,
  output: e.outputTokens,
});
const uncachedWithoutReasoning = (e: UsageEvent): Totals => ({
  input: e.inputTokens,
  cacheRead: e.cacheReadTokens,
  cacheWrite: e.cacheWrite5mTokens + e.cacheWrite1hTokens,
  output: e.outputTokens - e.reasoningTokens,
});

describe('cross-check of the other agents against ccusage 20.0.24', function () {
  this.timeout(300_000);
  let binary: string;
  let home: string;

  before(function () {
    const installed = ensureCcusage();
    // A cross-check that cannot run is a failure, never a skip counted as a pass.
    assert.ok(installed, 'ccusage@20.0.24 could not be installed from the npm registry');
    binary = installed;
    home = tempDir('crosscheck-agents-home');
  });

  function ccusage(tool: string, env: Record<string, string>): CcusageDaily {
    return JSON.parse(runCcusage(binary, [tool, 'daily', '--json', '--offline', '-z', 'UTC'], env, home)) as CcusageDaily;
  }

  function assertEqualRows(actual: Map<string, Totals>, expected: Map<string, Totals>): void {
    assert.ok(expected.size > 15, `a corpus of several days and models (${expected.size} day-model rows)`);
    assert.deepEqual(sorted(actual), sorted(expected));
  }

  it('pi: equal input, cache read, cache write and output per day and model', async () => {
    const root = tempDir('crosscheck-pi');
    writePiCorpus(root, CORPUS);
    const expected = ccusageTotals(ccusage('pi', { PI_AGENT_DIR: path.join(root, 'sessions') }), (name) => name.replace(/^\[pi\] /, ''));
    const actual = byDayAndModel(await assayUsage({ PI_CODING_AGENT_DIR: root }, home), uncachedAsLogged);
    assertEqualRows(actual, expected);
  });

  it('OpenCode: equal input, cache read, cache write and output without reasoning per day and model', async () => {
    const xdg = tempDir('crosscheck-opencode');
    await writeOpenCodeDatabase(path.join(xdg, 'opencode', 'opencode.db'), CORPUS);
    const expected = ccusageTotals(ccusage('opencode', { OPENCODE_DATA_DIR: path.join(xdg, 'opencode') }), (name) => name);
    const actual = byDayAndModel(await assayUsage({ XDG_DATA_HOME: xdg }, home), uncachedWithoutReasoning, withoutProvider);
    assertEqualRows(actual, expected);
  });

  it('Kilo: equal input, cache read, cache write and output without reasoning per day and model', async () => {
    const xdg = tempDir('crosscheck-kilo');
    await writeOpenCodeDatabase(path.join(xdg, 'kilo', 'kilo.db'), { ...CORPUS, seed: CORPUS.seed + 100 });
    const expected = ccusageTotals(ccusage('kilo', { KILO_DATA_DIR: path.join(xdg, 'kilo') }), (name) => name);
    const actual = byDayAndModel(await assayUsage({ XDG_DATA_HOME: xdg }, home), uncachedWithoutReasoning, withoutProvider);
    assertEqualRows(actual, expected);
  });

  it('Gemini CLI: equal input, cache read and output without thoughts per day and model', async () => {
    const geminiHome = tempDir('crosscheck-gemini');
    writeGeminiCorpus(path.join(geminiHome, '.gemini', 'tmp'), CORPUS);
    const expected = ccusageTotals(ccusage('gemini', { GEMINI_DATA_DIR: path.join(geminiHome, '.gemini', 'tmp') }), (name) => name);
    const actual = byDayAndModel(await assayUsage({ GEMINI_CLI_HOME: geminiHome }, home), uncachedWithoutReasoning);
    assertEqualRows(actual, expected);
  });

  it('Qwen Code: equal input with cached input, cache read and output per day and model', async () => {
    const root = tempDir('crosscheck-qwen');
    writeQwenCorpus(root, CORPUS);
    const expected = ccusageTotals(ccusage('qwen', { QWEN_DATA_DIR: root }), (name) => name);
    const actual = byDayAndModel(await assayUsage({ QWEN_RUNTIME_DIR: root }, home), (e) => ({
      input: e.inputTokens + e.cacheReadTokens,
      cacheRead: e.cacheReadTokens,
      cacheWrite: 0,
      output: e.outputTokens,
    }));
    assertEqualRows(actual, expected);
  });

  it('Copilot Chat OpenTelemetry file: equal input with cache writes, cache read, cache write and output per day and model', async () => {
    const file = path.join(tempDir('crosscheck-copilot'), 'copilot-otel.jsonl');
    writeCopilotOtelCorpus(file, CORPUS);
    const expected = ccusageTotals(ccusage('copilot', { COPILOT_OTEL_FILE_EXPORTER_PATH: file }), (name) => name);
    const actual = byDayAndModel(await assayUsage({ COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: file }, home), (e) => ({
      input: e.inputTokens + e.cacheWrite5mTokens,
      cacheRead: e.cacheReadTokens,
      cacheWrite: e.cacheWrite5mTokens,
      output: e.outputTokens,
    }));
    assertEqualRows(actual, expected);
  });

  it('Factory Droid: equal input, cache read, cache write and output without thinking per day and model, and each day\'s total', async () => {
    const root = tempDir('crosscheck-droid');
    writeDroidCorpus(root, CORPUS);
    const report = ccusage('droid', { DROID_SESSIONS_DIR: root });
    const events = await assayUsage({ DROID_SESSIONS_DIR: root }, home);
    const actual = byDayAndModel(events, uncachedWithoutReasoning, (model) => model.toLowerCase().replace(/\./g, '-'));
    assertEqualRows(actual, ccusageTotals(report, (name) => name));
    const dayTotals = byDayAndModel(events, (e) => ({ total: e.inputTokens + e.outputTokens + e.cacheReadTokens + e.cacheWrite5mTokens }), () => 'all');
    assert.deepEqual(sorted(dayTotals), sorted(new Map(report.daily.map((day) => [`${day.date} all`, { total: day.totalTokens }]))));
  });

  it('Amp: equal input (with cache writes for models other than Claude), cache read, cache write and output per day and model', async () => {
    const root = tempDir('crosscheck-amp');
    // Days on both sides of the day Amp's threads stopped carrying a usage ledger.
    writeAmpCorpus(root, { ...CORPUS, startMs: Date.parse('2026-01-08T00:00:00Z') });
    const promptTogether = (model: string, totals: Totals): Totals =>
      model.startsWith('claude') ? totals : { ...totals, input: totals.input + totals.cacheWrite, cacheWrite: 0 };
    const expected = new Map(
      [...ccusageTotals(ccusage('amp', { AMP_DATA_DIR: root }), (name) => name)].map(([key, totals]) => [key, promptTogether(key.slice(key.indexOf(' ') + 1), totals)]),
    );
    const actual = byDayAndModel(await assayUsage({ AMP_DATA_DIR: root }, home), (e) =>
      promptTogether(e.model, { input: e.inputTokens, cacheRead: e.cacheReadTokens, cacheWrite: e.cacheWrite5mTokens, output: e.outputTokens }),
    );
    assertEqualRows(actual, expected);
  });

  it('Codebuff: equal input, cache read, cache write and output per day and model', async () => {
    const root = tempDir('crosscheck-codebuff');
    writeCodebuffCorpus(root, CORPUS);
    const env = { CODEBUFF_DATA_DIR: `${path.join(root, 'manicode')},${path.join(root, 'manicode-dev')}` };
    const expected = ccusageTotals(ccusage('codebuff', env), (name) => name);
    const actual = byDayAndModel(await assayUsage(env, home), uncachedAsLogged);
    assertEqualRows(actual, expected);
  });

  it('OpenClaw: equal input, cache read, cache write and output per day and model', async () => {
    const root = tempDir('crosscheck-openclaw');
    await writeOpenClawCorpus(root, CORPUS);
    const expected = ccusageTotals(ccusage('openclaw', { OPENCLAW_DIR: root }), (name) => name.replace(/^\[openclaw\] /, ''));
    const actual = byDayAndModel(await assayUsage({ OPENCLAW_DIR: root }, home), uncachedAsLogged);
    assertEqualRows(actual, expected);
  });

  it('Hermes: equal input, cache read, cache write and output per day and model, and each day\'s total', async () => {
    const root = tempDir('crosscheck-hermes');
    const homes: [string, string] = [path.join(root, 'hermes'), path.join(root, 'profiles', 'work')];
    await writeHermesCorpus(homes, CORPUS);
    const env = { HERMES_HOME: homes.join(',') };
    const report = ccusage('hermes', env);
    const events = await assayUsage(env, home);
    const actual = byDayAndModel(events, (e) => ({ input: e.inputTokens, cacheRead: e.cacheReadTokens, cacheWrite: e.cacheWrite5mTokens, output: e.outputTokens }));
    assertEqualRows(actual, ccusageTotals(report, (name) => name));
    const dayTotals = byDayAndModel(events, (e) => ({ total: e.inputTokens + e.outputTokens + e.cacheReadTokens + e.cacheWrite5mTokens + e.reasoningTokens }), () => 'all');
    assert.deepEqual(sorted(dayTotals), sorted(new Map(report.daily.map((day) => [`${day.date} all`, { total: day.totalTokens }]))));
  });

  it('Grok Build: equal input, cache read, cache write and output per day and model', async () => {
    const root = tempDir('crosscheck-grok');
    writeGrokCorpus(root, CORPUS);
    const expected = ccusageTotals(ccusage('grok', { GROK_HOME: root }), (name) => name);
    const actual = byDayAndModel(await assayUsage({ GROK_HOME: root }, home), uncachedAsLogged);
    assertEqualRows(actual, expected);
  });

  it('GitHub Copilot CLI: equal input, cache read, cache write and output per day and model', async () => {
    const root = tempDir('crosscheck-copilot-cli');
    writeCopilotCliCorpus(root, CORPUS);
    const expected = ccusageTotals(ccusage('copilot', { COPILOT_HOME: root }), (name) => name);
    const actual = byDayAndModel(await assayUsage({ COPILOT_HOME: root }, home), uncachedAsLogged);
    assertEqualRows(actual, expected);
  });

  it('GitHub Copilot CLI with its OpenTelemetry file on, shared with Copilot Chat: each call counted once, equal per day and model', async () => {
    const root = tempDir('crosscheck-copilot-cli-otel');
    const file = path.join(root, 'copilot-otel.jsonl');
    writeCopilotOtelCorpus(file, { ...CORPUS, seed: CORPUS.seed + 1 });
    appendCopilotCliWithOtelCorpus(root, file, CORPUS);
    const expected = ccusageTotals(ccusage('copilot', { COPILOT_HOME: root, COPILOT_OTEL_FILE_EXPORTER_PATH: file }), (name) => name);
    const events = await assayUsage({ COPILOT_HOME: root, COPILOT_OTEL_ENABLED: 'true', COPILOT_OTEL_FILE_EXPORTER_PATH: file }, home);
    assert.deepEqual([...new Set(events.map((e) => e.source))].sort(), ['copilot-chat', 'copilot-cli']);
    // For Copilot Chat's spans ccusage leaves cache writes inside input (see the Copilot Chat case).
    const actual = byDayAndModel(events, (e) => ({
      input: e.inputTokens + (e.source === 'copilot-chat' ? e.cacheWrite5mTokens : 0),
      cacheRead: e.cacheReadTokens,
      cacheWrite: e.cacheWrite5mTokens,
      output: e.outputTokens,
    }));
    assertEqualRows(actual, expected);
  });

  it('ZCode: equal input, cache read, cache write and output per day and model', async () => {
    const root = tempDir('crosscheck-zcode');
    const homes: [string, string] = [path.join(root, 'zcode'), path.join(root, 'backup')];
    await writeZCodeCorpus(homes, CORPUS);
    const env = { ZCODE_HOME: homes.join(',') };
    const expected = ccusageTotals(ccusage('zcode', env), (name) => name);
    const actual = byDayAndModel(await assayUsage(env, home), uncachedAsLogged);
    assertEqualRows(actual, expected);
  });

  it('Goose: equal input and output per day and model, and each day\'s total', async () => {
    const root = tempDir('crosscheck-goose');
    await writeGooseCorpus(root, CORPUS);
    const report = JSON.parse(runCcusage(binary, ['goose', 'daily', '--json', '--offline', '-z', 'UTC'], {}, root)) as CcusageDaily;
    const all = await assayUsage({}, root);
    const events = all.filter((e) => e.model !== UNKNOWN_MODEL);
    assert.ok(all.length - events.length > 0, 'the corpus has sessions without a model, which Assay counts under an unknown model');
    const actual = byDayAndModel(events, (e) => ({ input: e.inputTokens, cacheRead: e.cacheReadTokens, cacheWrite: e.cacheWrite5mTokens, output: e.outputTokens - e.reasoningTokens }));
    assertEqualRows(actual, ccusageTotals(report, (name) => name));
    const dayTotals = byDayAndModel(events, (e) => ({ total: e.inputTokens + e.outputTokens }), () => 'all');
    assert.deepEqual(sorted(dayTotals), sorted(new Map(report.daily.map((day) => [`${day.date} all`, { total: day.totalTokens }]))));
  });

  it('Kimi Code: equal input, cache read, cache write and output per day and model, with the compactions ccusage leaves out', async () => {
    const root = tempDir('crosscheck-kimi-code');
    const compactions = writeKimiCodeCorpus(root, CORPUS);
    assert.ok(compactions.size > 3, `a corpus with compactions on several days (${compactions.size})`);
    const expected = ccusageTotals(ccusage('kimi', { KIMI_DATA_DIR: root }), (name) => name);
    for (const [key, counts] of compactions) {
      const sum = expected.get(key) ?? { input: 0, cacheRead: 0, cacheWrite: 0, output: 0 };
      expected.set(key, Object.fromEntries(Object.entries(sum).map(([name, value]) => [name, value + counts[name]])));
    }
    const actual = byDayAndModel(await assayUsage({ KIMI_CODE_HOME: root }, home), uncachedAsLogged);
    assertEqualRows(actual, expected);
  });

  it('Kimi CLI: equal input, cache read, cache write and output per day, ccusage\'s `kimi-for-coding` being Assay\'s unknown model', async () => {
    const root = tempDir('crosscheck-kimi-cli');
    // One row a day, with no model to split it: more days than the other corpora, for as many rows.
    writeKimiCliCorpus(root, { ...CORPUS, days: 20 });
    const report = ccusage('kimi', { KIMI_DATA_DIR: root });
    const events = await assayUsage({ KIMI_SHARE_DIR: root }, home);
    assert.deepEqual([...new Set(report.daily.flatMap((day) => day.modelBreakdowns.map((m) => m.modelName)))], ['kimi-for-coding']);
    assert.deepEqual([...new Set(events.map((e) => e.model))], ['unknown']);
    const allModels = () => 'all';
    const expected = ccusageTotals(report, allModels);
    const actual = byDayAndModel(events, (e) => ({ input: e.inputTokens, cacheRead: e.cacheReadTokens, cacheWrite: e.cacheWrite5mTokens, output: e.outputTokens }), allModels);
    assertEqualRows(actual, expected);
  });

  it('Antigravity CLI: equal input, cache read, cache write and output without reasoning per day and model', async () => {
    const root = tempDir('crosscheck-antigravity');
    await writeAntigravityCorpus(root, CORPUS);
    const env = { ANTIGRAVITY_DATA_DIR: root };
    const expected = ccusageTotals(ccusage('antigravity', env), (name) => (name === 'gemini-internal-model' ? 'unknown' : name));
    assert.ok([...expected.keys()].some((key) => key.endsWith(' unknown')), 'the corpus has calls naming no model');
    assertEqualRows(byDayAndModel(await assayUsage(env, home), uncachedWithoutReasoning), expected);
  });
});
