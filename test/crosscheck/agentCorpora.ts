// Synthetic logs of the agents ccusage 20.0.24 reads besides Claude Code and Codex (pi, OpenCode, Kilo, Gemini
// CLI, Qwen Code, Copilot Chat's OpenTelemetry file, Factory Droid, Amp, Codebuff, OpenClaw, Hermes, Grok Build, GitHub
// Copilot CLI, ZCode, Goose, Kimi Code, Kimi CLI) and of Crush, which tokscale reads, shaped as each tool writes them (see the
// format notes at the top of src/importers/sources/<tool>.ts and the fixtures' READMEs under test/fixtures/importers/).
// Seeded, so a failure reproduces. Each holds what makes a log more than a list of responses: user prompts, tool
// results, several models and sessions per day, failed calls with no usage, and each tool's way of writing one response
// more than once (Gemini re-appends a message whole when its tokens arrive; OpenCode and Kilo rewrite rows in place).
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import { seededRandom } from './corpus';

const DAY_MS = 86_400_000;

export interface AgentCorpusOptions {
  days: number;
  sessionsPerDay: number;
  seed: number;
  /** First day (UTC midnight) of the corpus. */
  startMs?: number;
}

interface Call {
  /** Epoch ms of the response. */
  t: number;
  model: string;
  /** Uncached input, cache reads, cache writes, output without reasoning, reasoning. */
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
}

/** Sessions of model calls spread over the days, at any hour of the day (so day boundaries are crossed). */
function* sessions(options: AgentCorpusOptions, models: readonly string[]): Generator<{ index: number; start: number; calls: Call[] }> {
  const random = seededRandom(options.seed);
  const start = options.startMs ?? Date.parse('2026-10-01T00:00:00Z');
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  let index = 0;
  for (let day = 0; day < options.days; day++) {
    for (let s = 0; s < options.sessionsPerDay; s++) {
      let t = start + day * DAY_MS + between(0, DAY_MS - 1);
      const calls: Call[] = [];
      let model = models[between(0, models.length - 1)];
      for (let c = between(3, 12); c > 0; c--) {
        if (random() < 0.2) model = models[between(0, models.length - 1)];
        t += between(2_000, 240_000);
        const reasoning = random() < 0.5 ? between(0, 2_000) : 0;
        calls.push({ t, model, input: between(1, 4_000), cacheRead: between(0, 60_000), cacheWrite: random() < 0.3 ? between(0, 5_000) : 0, output: between(1, 3_000), reasoning });
      }
      yield { index: index++, start: calls[0].t - 1_000, calls };
    }
  }
}

function hex(random: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += Math.floor(random() * 16).toString(16);
  return out;
}

function uuid(random: () => number): string {
  const h = hex(random, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const PI_MODELS = ['claude-sonnet-4-5', 'gpt-5.2', 'gemini-2.5-pro', 'claude-opus-4-6'];
const PI_API: Record<string, [string, string]> = {
  'claude-sonnet-4-5': ['anthropic-messages', 'anthropic'],
  'claude-opus-4-6': ['anthropic-messages', 'anthropic'],
  'gpt-5.2': ['openai-responses', 'openai'],
  'gemini-2.5-pro': ['google-generative-ai', 'google'],
};

/**
 * `<root>/sessions/--<cwd>--/<time>_<session>.jsonl` as pi-coding-agent 0.73.1 writes them: header, then
 * `message` entries (user, assistant with pi-ai 0.73.1's usage, toolResult), a `model_change` when the model
 * changes, and aborted calls with all-zero usage. Branch copies and Google usage from pi-ai releases that kept
 * cached tokens in `input` are left out: ccusage counts both differently (see the cross-check).
 */
export function writePiCorpus(root: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 1);
  for (const session of sessions(options, PI_MODELS)) {
    const id = uuid(random);
    const startIso = new Date(session.start).toISOString();
    const dir = path.join(root, 'sessions', `--home-u-project${session.index % 4}--`);
    fs.mkdirSync(dir, { recursive: true });
    const lines = [JSON.stringify({ type: 'session', version: 3, id, timestamp: startIso, cwd: `/home/u/project${session.index % 4}` })];
    let entry = 0;
    let parentId: string | null = null;
    let model = '';
    const append = (body: Record<string, unknown>, t: number) => {
      const entryId = (++entry).toString(16).padStart(8, '0');
      lines.push(JSON.stringify({ type: body.type, id: entryId, parentId, timestamp: new Date(t).toISOString(), ...body }));
      parentId = entryId;
    };
    for (const call of session.calls) {
      const [api, provider] = PI_API[call.model];
      if (call.model !== model) append({ type: 'model_change', provider, modelId: call.model }, call.t - 900);
      model = call.model;
      append({ type: 'message', message: { role: 'user', content: 'go on', timestamp: call.t - 800 } }, call.t - 800);
      if (random() < 0.1) {
        const zero = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0, cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 } };
        append({ type: 'message', message: { role: 'assistant', content: [], api, provider, model: call.model, usage: zero, stopReason: 'aborted', errorMessage: 'Request was aborted', timestamp: call.t - 700 } }, call.t - 600);
      }
      const cacheWrite = provider === 'anthropic' ? call.cacheWrite : 0;
      const output = call.output + call.reasoning;
      const usage = {
        input: call.input,
        output,
        cacheRead: call.cacheRead,
        cacheWrite,
        totalTokens: call.input + output + call.cacheRead + cacheWrite,
        cost: { input: 0.001, output: 0.002, cacheRead: 0.0001, cacheWrite: 0, total: 0.0031 },
      };
      append({ type: 'message', message: { role: 'assistant', content: [{ type: 'text', text: 'done' }], api, provider, model: call.model, usage, stopReason: 'toolUse', timestamp: call.t - 500 } }, call.t);
      append({ type: 'message', message: { role: 'toolResult', toolCallId: `call_${entry}`, toolName: 'bash', content: [{ type: 'text', text: 'ok' }], isError: false, timestamp: call.t + 100 } }, call.t + 100);
    }
    fs.writeFileSync(path.join(dir, `${startIso.replace(/[:.]/g, '-')}_${id}.jsonl`), `${lines.join('\n')}\n`);
  }
}

const OPENCODE_MODELS = ['anthropic/claude-sonnet-4-5', 'openai/gpt-5.2', 'google/gemini-2.5-pro'];

/**
 * An OpenCode ≥ 1.3.4 `opencode.db` or a Kilo `kilo.db`: the tables `session`, `message` and `part` with the
 * columns OpenCode 1.18.33 / Kilo create (test/fixtures/importers/opencode/opencode.sql), one `message` row per
 * message, `data` being MessageV2.Info without `id`/`sessionID` as the session's last update left it (AI SDK v6:
 * `output` without reasoning, `total` counting every token once), and a text part per response.
 */
export async function writeOpenCodeDatabase(file: string, options: AgentCorpusOptions): Promise<void> {
  const random = seededRandom(options.seed + 2);
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.run(
    'CREATE TABLE `session` (`id` text PRIMARY KEY, `project_id` text NOT NULL, `slug` text NOT NULL, `directory` text NOT NULL, ' +
      '`title` text NOT NULL, `version` text NOT NULL, `time_created` integer NOT NULL, `time_updated` integer NOT NULL);' +
      'CREATE TABLE `message` (`id` text PRIMARY KEY, `session_id` text NOT NULL, `time_created` integer NOT NULL, `time_updated` integer NOT NULL, `data` text NOT NULL);' +
      'CREATE TABLE `part` (`id` text PRIMARY KEY, `message_id` text NOT NULL, `session_id` text NOT NULL, `time_created` integer NOT NULL, `time_updated` integer NOT NULL, `data` text NOT NULL);',
  );
  const insertMessage = db.prepare('INSERT INTO message VALUES (?, ?, ?, ?, ?)');
  const insertPart = db.prepare('INSERT INTO part VALUES (?, ?, ?, ?, ?, ?)');
  for (const session of sessions(options, OPENCODE_MODELS)) {
    const sessionId = `ses_${hex(random, 24)}`;
    db.run('INSERT INTO session VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [sessionId, 'global', `s${session.index}`, '/home/u/app', 'Work', '1.18.33', session.start, session.start]);
    for (const call of session.calls) {
      const userId = `msg_${hex(random, 24)}`;
      insertMessage.run([userId, sessionId, call.t - 800, call.t - 800, JSON.stringify({ role: 'user', time: { created: call.t - 800 }, agent: 'build', model: { providerID: 'x', modelID: 'y' } })]);
      const [providerID, modelID] = call.model.split('/');
      const cacheWrite = providerID === 'anthropic' ? call.cacheWrite : 0;
      const tokens = {
        total: call.input + call.output + call.reasoning + call.cacheRead + cacheWrite,
        input: call.input,
        output: call.output,
        reasoning: call.reasoning,
        cache: { read: call.cacheRead, write: cacheWrite },
      };
      const assistantId = `msg_${hex(random, 24)}`;
      const data = { role: 'assistant', time: { created: call.t, completed: call.t + 4_000 }, parentID: userId, modelID, providerID, mode: 'build', agent: 'build', path: { cwd: '/home/u/app', root: '/home/u/app' }, cost: 0.01, tokens, finish: 'tool-calls' };
      insertMessage.run([assistantId, sessionId, call.t, call.t + 4_000, JSON.stringify(data)]);
      insertPart.run([`prt_${hex(random, 24)}`, assistantId, sessionId, call.t + 1, call.t + 1, JSON.stringify({ type: 'text', text: 'done' })]);
    }
    if (random() < 0.2) {
      // A call that failed before any usage: the message keeps its all-zero tokens and an error.
      const zero = { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } };
      const t = session.calls[session.calls.length - 1].t + 10_000;
      insertMessage.run([`msg_${hex(random, 24)}`, sessionId, t, t, JSON.stringify({ role: 'assistant', time: { created: t }, modelID: 'gpt-5.2', providerID: 'openai', cost: 0, tokens: zero, error: { name: 'APIError' } })]);
    }
  }
  insertMessage.free();
  insertPart.free();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, db.export());
  db.close();
}

const GEMINI_MODELS = ['gemini-2.5-pro', 'gemini-2.5-flash', 'gemini-3-pro-preview'];

/**
 * `<root>/<project hash>/chats/session-<time>-<id8>.jsonl` as Gemini CLI writes them since 2026-04
 * (src/importers/sources/gemini.ts): a metadata line, user records, `$set` updates, and each model message
 * appended first without tokens, then again whole with `tokens {input (cached included), output (thoughts
 * excluded), cached, thoughts, tool, total}`.
 */
export function writeGeminiCorpus(root: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 3);
  for (const session of sessions(options, GEMINI_MODELS)) {
    const sessionId = uuid(random);
    const projectHash = hex(random, 64);
    const startIso = new Date(session.start).toISOString();
    const dir = path.join(root, projectHash, 'chats');
    fs.mkdirSync(dir, { recursive: true });
    const lines = [JSON.stringify({ sessionId, projectHash, startTime: startIso, lastUpdated: startIso, kind: 'main' })];
    session.calls.forEach((call, index) => {
      lines.push(JSON.stringify({ id: uuid(random), timestamp: new Date(call.t - 800).toISOString(), type: 'user', content: [{ text: 'go on' }] }));
      const id = uuid(random);
      const base = { id, timestamp: new Date(call.t).toISOString(), type: 'gemini', content: 'done', model: call.model };
      lines.push(JSON.stringify({ ...base, thoughts: [], tokens: null }));
      const tool = index % 3 === 0 ? 40 : 0;
      const prompt = call.input + call.cacheRead;
      const tokens = { input: prompt, output: call.output, cached: call.cacheRead, thoughts: call.reasoning, tool, total: prompt + call.output + call.reasoning + tool };
      lines.push(JSON.stringify({ ...base, thoughts: [], tokens }));
      lines.push(JSON.stringify({ $set: { lastUpdated: new Date(call.t + 100).toISOString() } }));
    });
    const name = `session-${startIso.slice(0, 16).replace(/:/g, '-')}-${sessionId.slice(0, 8)}.jsonl`;
    fs.writeFileSync(path.join(dir, name), `${lines.join('\n')}\n`);
  }
}

const QWEN_MODELS = ['qwen3-coder-plus', 'qwen3-coder-flash', 'qwen3-max'];

/**
 * `<root>/projects/<sanitized cwd>/chats/<session>.jsonl` as Qwen Code 0.24 writes them (src/importers/sources/qwen.ts):
 * user, assistant and tool_result records; assistant records from an OpenAI-compatible backend (DashScope), whose
 * `candidatesTokenCount` includes thoughts and whose total is prompt + candidates.
 */
export function writeQwenCorpus(root: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 4);
  for (const session of sessions(options, QWEN_MODELS)) {
    const sessionId = uuid(random);
    const cwd = `/home/u/project${session.index % 3}`;
    const dir = path.join(root, 'projects', cwd.replace(/[^a-zA-Z0-9]/g, '-'), 'chats');
    fs.mkdirSync(dir, { recursive: true });
    const lines: string[] = [];
    let parentUuid: string | null = null;
    const record = (type: string, t: number, body: Record<string, unknown>) => {
      const id = uuid(random);
      lines.push(JSON.stringify({ uuid: id, parentUuid, sessionId, timestamp: new Date(t).toISOString(), type, cwd, version: '0.24.4', gitBranch: 'main', ...body }));
      parentUuid = id;
    };
    for (const call of session.calls) {
      record('user', call.t - 800, { message: { role: 'user', parts: [{ text: 'go on' }] } });
      const prompt = call.input + call.cacheRead;
      const candidates = call.output + call.reasoning;
      const usageMetadata = { promptTokenCount: prompt, candidatesTokenCount: candidates, totalTokenCount: prompt + candidates, cachedContentTokenCount: call.cacheRead, thoughtsTokenCount: call.reasoning };
      record('assistant', call.t, { model: call.model, message: { role: 'model', parts: [{ text: 'done' }] }, usageMetadata });
      record('tool_result', call.t + 100, { message: { role: 'user', parts: [{ functionResponse: { id: 'call_1', name: 'shell', response: { output: 'ok' } } }] } });
    }
    fs.writeFileSync(path.join(dir, `${sessionId}.jsonl`), `${lines.join('\n')}\n`);
  }
}

const COPILOT_MODELS = ['claude-sonnet-4.5', 'gpt-5.2', 'gemini-2.5-pro'];

const hrTime = (ms: number): [number, number] => [Math.floor(ms / 1000), (ms % 1000) * 1_000_000];

/**
 * Copilot Chat's OpenTelemetry file as its file exporters write it (microsoft/vscode-copilot-chat
 * src/platform/otel/node/fileExporters.ts at 27e0fe8fb7c1ed51821ec02acdaf9f851d75612b: `serializeSpan` with the
 * trace and span ids at the top, log records as `JSON.stringify` of the SDK's record, metrics as ResourceMetrics):
 * per agent turn one trace, with a `chat` span per model call (input with cached input inside, cache reads and, for
 * Anthropic models, cache writes apart), its `gen_ai.client.inference.operation.details` log record, and the
 * turn's `invoke_agent` span repeating the sum. In some turns every chat span was lost to the exporter's `{}`
 * fallback, and only the log records tell the calls.
 */
export function writeCopilotOtelCorpus(file: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 5);
  const lines: string[] = [];
  const resource = { attributes: { 'service.name': 'copilot-chat', 'service.version': '0.40.0' } };
  const instrumentationScope = { name: 'copilot-chat', version: '0.40.0' };
  for (const session of sessions(options, COPILOT_MODELS)) {
    const chatSessionId = uuid(random);
    const traceId = hex(random, 32);
    const agentSpanId = hex(random, 16);
    const spansLost = random() < 0.2;
    const sum = { input: 0, output: 0 };
    for (const call of session.calls) {
      const spanId = hex(random, 16);
      const responseId = `chatcmpl-${hex(random, 24)}`;
      const cacheWrite = call.model.startsWith('claude') ? call.cacheWrite : 0;
      const input = call.input + call.cacheRead + cacheWrite;
      const output = call.output + call.reasoning;
      sum.input += input;
      sum.output += output;
      const attributes: Record<string, unknown> = {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'github',
        'gen_ai.request.model': call.model,
        'gen_ai.response.model': call.model,
        'gen_ai.response.id': responseId,
        'gen_ai.usage.input_tokens': input,
        'gen_ai.usage.output_tokens': output,
        'gen_ai.usage.cache_read.input_tokens': call.cacheRead,
        ...(cacheWrite > 0 ? { 'gen_ai.usage.cache_creation.input_tokens': cacheWrite } : {}),
        ...(call.reasoning > 0 ? { 'gen_ai.usage.reasoning_tokens': call.reasoning } : {}),
        'copilot_chat.chat_session_id': chatSessionId,
      };
      const span = {
        resource,
        instrumentationScope,
        traceId,
        spanId,
        traceFlags: 1,
        parentSpanId: agentSpanId,
        name: `chat ${call.model}`,
        kind: 2,
        startTime: hrTime(call.t - 3_000),
        endTime: hrTime(call.t),
        duration: [3, 0],
        status: { code: 0 },
        attributes,
        links: [],
        events: [],
        ended: true,
        droppedAttributesCount: 0,
        droppedEventsCount: 0,
        droppedLinksCount: 0,
      };
      lines.push(spansLost ? '{}' : JSON.stringify(span));
      const details = {
        'event.name': 'gen_ai.client.inference.operation.details',
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': call.model,
        'gen_ai.response.model': call.model,
        'gen_ai.response.id': responseId,
        'gen_ai.usage.input_tokens': input,
        'gen_ai.usage.output_tokens': output,
      };
      lines.push(JSON.stringify({ hrTime: hrTime(call.t + 5), hrTimeObserved: hrTime(call.t + 5), spanContext: { traceId, spanId, traceFlags: 1 }, resource, instrumentationScope, attributes: details, _severityNumber: 9, _severityText: 'INFO', _body: `GenAI inference: ${call.model}` }));
    }
    const last = session.calls[session.calls.length - 1];
    const agentSpan = {
      resource,
      instrumentationScope,
      traceId,
      spanId: agentSpanId,
      traceFlags: 1,
      name: 'invoke_agent GitHub Copilot Chat',
      kind: 0,
      startTime: hrTime(session.start),
      endTime: hrTime(last.t + 500),
      duration: [0, 0],
      status: { code: 0 },
      attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'GitHub Copilot Chat', 'gen_ai.response.model': last.model, 'gen_ai.usage.input_tokens': sum.input, 'gen_ai.usage.output_tokens': sum.output, 'copilot_chat.chat_session_id': chatSessionId },
      links: [],
      events: [],
      ended: true,
    };
    lines.push(JSON.stringify(agentSpan));
    lines.push(JSON.stringify({ resource, scopeMetrics: [{ scope: instrumentationScope, metrics: [{ descriptor: { name: 'gen_ai.client.token.usage' }, dataPoints: [{ attributes: { 'gen_ai.token.type': 'input' }, value: { sum: sum.input } }] }] }] }));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}

const DROID_MODELS = ['claude-sonnet-4-5-20250929', 'gpt-5.2', 'gemini-2.5-pro', 'custom:Claude-Opus-4.5-Thinking-[Anthropic]-0', 'glm-4.6'];
const DROID_PROVIDERS: Record<string, string> = {
  'claude-sonnet-4-5-20250929': 'anthropic',
  'gpt-5.2': 'openai',
  'gemini-2.5-pro': 'google',
  'custom:Claude-Opus-4.5-Thinking-[Anthropic]-0': 'anthropic',
  'glm-4.6': 'fireworks',
};

/**
 * `<root>/<folder>/<session>.settings.json` as ccusage's droid adapter reads them (src/importers/sources/droid.ts): each
 * session's running totals of its calls under its first model, beside a transcript `<session>.jsonl` holding prompts.
 * Most sessions are dated by `providerLockTimestamp`, some only by the file's modification time; some have not
 * answered yet (all-zero usage).
 */
export function writeDroidCorpus(root: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 6);
  for (const session of sessions(options, DROID_MODELS)) {
    const id = uuid(random);
    const dir = path.join(root, `-home-u-project${session.index % 3}`);
    fs.mkdirSync(dir, { recursive: true });
    const model = session.calls[0].model;
    const unanswered = random() < 0.1;
    const sum = (pick: (call: Call) => number) => (unanswered ? 0 : session.calls.reduce((total, call) => total + pick(call), 0));
    const provider = DROID_PROVIDERS[model];
    const lockTime = random() < 0.8;
    const settings = {
      assistantActiveTimeMs: 1_000 + Math.floor(random() * 900_000),
      model,
      reasoningEffort: 'medium',
      interactionMode: 'auto',
      autonomyLevel: 'medium',
      autonomyMode: 'auto-medium',
      tags: [],
      providerLock: provider,
      ...(lockTime ? { providerLockTimestamp: new Date(session.start).toISOString() } : {}),
      apiProviderLock: provider,
      tokenUsage: {
        inputTokens: sum((call) => call.input),
        outputTokens: sum((call) => call.output),
        cacheCreationTokens: provider === 'anthropic' ? sum((call) => call.cacheWrite) : 0,
        cacheReadTokens: sum((call) => call.cacheRead),
        thinkingTokens: sum((call) => call.reasoning),
      },
    };
    const file = path.join(dir, `${id}.settings.json`);
    fs.writeFileSync(file, JSON.stringify(settings, null, 2));
    const last = new Date(session.calls[session.calls.length - 1].t);
    if (!lockTime) fs.utimesSync(file, last, last);
    const transcript = session.calls.map((call) => JSON.stringify({ type: 'message', timestamp: new Date(call.t).toISOString(), message: { role: 'user', content: [{ type: 'text', text: 'go on' }] } }));
    fs.writeFileSync(path.join(dir, `${id}.jsonl`), `${transcript.join('\n')}\n`);
  }
}

const AMP_MODELS = ['claude-sonnet-4-5-20250929', 'claude-opus-4-5-20251101', 'gemini-3-pro-preview', 'gpt-5.1'];
/** The day Amp's threads stopped carrying a usage ledger (ccusage/ccusage#820). */
const AMP_LEDGER_UNTIL = Date.parse('2026-01-13T00:00:00Z');

/**
 * `<root>/threads/T-<uuid>.json` as Amp 0.0.1769314944 writes them (src/importers/sources/amp.ts): one pretty-printed
 * thread object per session with user messages, tool results and assistant messages numbered by `nextMessageId`, and
 * cancelled calls with all-zero usage. Anthropic usage keeps input without cache; Gemini and OpenAI usage has
 * `inputTokens: 0` and the uncached prompt as `cacheCreationInputTokens`. Threads started before mid-January 2026 also
 * carry `usageLedger.events` (input and output per call, pointing at the message with the cache counts; that message's
 * usage has no time, as in ccusage's parser before ccusage/ccusage#820). OpenAI
 * Responses calls, whose usage names no model, are left out: ccusage skips them (see the cross-check).
 */
export function writeAmpCorpus(root: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 7);
  const dir = path.join(root, 'threads');
  fs.mkdirSync(dir, { recursive: true });
  for (const session of sessions(options, AMP_MODELS)) {
    const id = `T-${uuid(random)}`;
    const messages: Record<string, unknown>[] = [];
    const events: Record<string, unknown>[] = [];
    const ledger = session.start < AMP_LEDGER_UNTIL;
    const push = (message: Record<string, unknown>) => messages.push({ ...message, messageId: messages.length });
    for (const call of session.calls) {
      push({ role: 'user', content: [{ type: 'text', text: 'go on' }] });
      const prompt = call.input + call.cacheRead + call.cacheWrite;
      const anthropic = call.model.startsWith('claude');
      if (random() < 0.1) {
        const zero = { inputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0, cacheReadInputTokens: 0, totalInputTokens: 0 };
        push({ role: 'assistant', content: [], state: { type: 'cancelled' }, usage: { model: call.model, maxInputTokens: 168000, ...zero, timestamp: new Date(call.t - 400).toISOString() } });
      }
      const usage = anthropic
        ? { inputTokens: call.input, cacheCreationInputTokens: call.cacheWrite, cacheReadInputTokens: call.cacheRead }
        : { inputTokens: 0, cacheCreationInputTokens: call.input + call.cacheWrite, cacheReadInputTokens: call.cacheRead };
      const output = call.output + call.reasoning;
      const messageId = messages.length;
      push({
        role: 'assistant',
        content: [{ type: 'text', text: 'done' }],
        state: { type: 'complete', stopReason: 'end_turn' },
        usage: { model: call.model, maxInputTokens: 168000, ...usage, outputTokens: output, totalInputTokens: prompt, ...(ledger ? {} : { timestamp: new Date(call.t).toISOString() }) },
      });
      events.push({ id: uuid(random), timestamp: new Date(call.t + 50).toISOString(), model: call.model, credits: 0.01, tokens: { input: usage.inputTokens, output }, operationType: 'inference', fromMessageId: messageId - 1, toMessageId: messageId });
      push({ role: 'user', content: [{ type: 'tool_result', toolUseID: `toolu_${messageId}`, run: { status: 'done', result: 'ok' } }] });
    }
    const thread = {
      v: messages.length + 1,
      id,
      created: session.start,
      messages,
      nextMessageId: messages.length,
      env: { initial: { trees: [{ displayName: 'app', uri: `file:///home/u/project${session.index % 3}` }], platform: { os: 'linux' } } },
      ...(ledger ? { usageLedger: { events } } : {}),
    };
    fs.writeFileSync(path.join(dir, `${id}.json`), JSON.stringify(thread, null, 2));
  }
}

const CODEBUFF_MODELS = ['claude-sonnet-4-5-20250929', 'openai/gpt-5.1', 'google/gemini-2.5-pro', 'x-ai/grok-code-fast-1'];

/**
 * `<root>/<channel>/projects/<project>/chats/<chat id>/chat-messages.json` as Codebuff's `saveChatState` writes them
 * and ccusage's codebuff adapter reads them (src/importers/sources/codebuff.ts): one pretty-printed array per chat
 * with user messages, answers whose tokens are in `metadata.usage`, only in the saved run state's history (OpenAI's
 * snake-case shape), or in `metadata.codebuff.usage` with a total instead of output, error messages and cancelled
 * answers with all-zero usage. Some answers carry no timestamp (dated by the chat id) or a millisecond one. Output
 * includes reasoning, as providers report it.
 */
export function writeCodebuffCorpus(root: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 8);
  for (const session of sessions(options, CODEBUFF_MODELS)) {
    const chatId = new Date(session.start).toISOString().replace(/:/g, '-');
    const channel = session.index % 4 === 3 ? 'manicode-dev' : 'manicode';
    const dir = path.join(root, channel, 'projects', `project${session.index % 3}`, 'chats', chatId);
    const messages: Record<string, unknown>[] = [];
    const history: Record<string, unknown>[] = [];
    for (const call of session.calls) {
      const asked = new Date(call.t - 1_500).toISOString();
      messages.push({ id: uuid(random), variant: 'user', content: 'go on', timestamp: asked });
      history.push({ role: 'user', content: [{ type: 'text', text: 'go on' }], providerOptions: {} });
      if (random() < 0.08) {
        messages.push({ id: uuid(random), variant: 'error', content: 'Request failed', timestamp: asked, metadata: { usage: { inputTokens: call.input, outputTokens: 1 } } });
      }
      if (random() < 0.08) {
        messages.push({ id: uuid(random), variant: 'ai', content: '', isComplete: true, timestamp: asked, metadata: { model: call.model, usage: { inputTokens: 0, outputTokens: 0 } } });
      }
      const output = call.output + call.reasoning;
      const openAiUsage = { prompt_tokens: call.input, completion_tokens: output, prompt_tokens_details: { cached_tokens: call.cacheRead } };
      history.push({ role: 'assistant', content: [{ type: 'text', text: 'done' }], providerOptions: { codebuff: { model: call.model, usage: openAiUsage } } });
      const answer: Record<string, unknown> = { id: uuid(random), variant: 'ai', content: 'done', blocks: [{ type: 'text', content: 'done' }], isComplete: true, credits: 1 + Math.floor(random() * 40) };
      const shape = random();
      if (shape < 0.5) {
        answer.metadata = {
          model: call.model,
          usage: { inputTokens: call.input, outputTokens: output, cacheCreationInputTokens: call.cacheWrite, cacheReadInputTokens: call.cacheRead },
        };
      } else if (shape < 0.75) {
        answer.metadata = { runState: { sessionState: { fileContext: { cwd: '/home/u/app' }, mainAgentState: { messageHistory: history.slice() } } } };
      } else {
        answer.variant = 'agent';
        answer.metadata = {
          codebuff: { usage: { model: call.model, inputTokens: call.input, cacheReadInputTokens: call.cacheRead, cacheCreationInputTokens: call.cacheWrite, totalTokens: call.input + call.cacheRead + call.cacheWrite + output } },
        };
      }
      const dated = random();
      if (dated < 0.8) answer.timestamp = new Date(call.t).toISOString();
      else if (dated < 0.9) answer.timestamp = call.t;
      messages.push(answer);
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'chat-messages.json'), JSON.stringify(messages, null, 2));
  }
}

const OPENCLAW_MODELS = ['claude-sonnet-4-5', 'gpt-5.2', 'gemini-2.5-pro', 'claude-opus-4-6'];

/**
 * An OpenClaw state folder as src/importers/sources/openclaw.ts describes it: two agents' `openclaw-agent.sqlite`
 * (one `transcript_events` row per pi session entry, in the first schema and the current one) and older
 * `sessions/<session>.jsonl` transcripts, some sessions both imported into the database and kept as files, some with
 * a reset archive. Models come from `model_change` entries (a message names its model or not), some entries carry no
 * time (dated by their row), some usage only a total, and aborted calls have all-zero usage. Left out, as ccusage
 * counts them differently (see the cross-check): compressed rows, checkpoint copies, trajectory files, and Google
 * usage with cached tokens inside `input`.
 */
export async function writeOpenClawCorpus(root: string, options: AgentCorpusOptions): Promise<void> {
  const random = seededRandom(options.seed + 9);
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const databases = new Map<string, InstanceType<typeof SQL.Database>>();
  const database = (agent: string) => {
    let db = databases.get(agent);
    if (!db) {
      db = new SQL.Database();
      db.run(
        agent === 'main'
          ? 'CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT, created_at INTEGER NOT NULL, ' +
              'event_zstd BLOB, event_utf8_bytes INTEGER, navigation_json TEXT, PRIMARY KEY (session_id, seq)) STRICT'
          : 'CREATE TABLE transcript_events (session_id TEXT NOT NULL, seq INTEGER NOT NULL, event_json TEXT NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (session_id, seq)) STRICT',
      );
      databases.set(agent, db);
    }
    return db;
  };
  for (const session of sessions(options, OPENCLAW_MODELS)) {
    const id = uuid(random);
    const agent = session.index % 3 === 0 ? 'ops' : 'main';
    const entries: { event: Record<string, unknown>; t: number }[] = [
      { event: { type: 'session', version: 3, id, timestamp: new Date(session.start).toISOString(), cwd: '/home/u/app' }, t: session.start },
    ];
    let parentId: string | null = null;
    let model = '';
    const append = (body: Record<string, unknown>, t: number, dated = true) => {
      const entryId = hex(random, 8);
      const event: Record<string, unknown> = { type: body.type, id: entryId, parentId, ...(dated ? { timestamp: new Date(t).toISOString() } : {}), ...body };
      entries.push({ event, t });
      parentId = entryId;
    };
    for (const call of session.calls) {
      const [api, provider] = PI_API[call.model];
      if (call.model !== model) {
        if (random() < 0.5) append({ type: 'model_change', provider, modelId: call.model }, call.t - 900);
        else append({ type: 'custom', customType: 'model-snapshot', data: { provider, modelId: call.model } }, call.t - 900);
      }
      model = call.model;
      append({ type: 'message', message: { role: 'user', content: 'go on', timestamp: call.t - 800 } }, call.t - 800);
      if (random() < 0.1) {
        const zero = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, totalTokens: 0, cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, total: 0 } };
        append({ type: 'message', message: { role: 'assistant', content: [], api, provider, model: call.model, usage: zero, stopReason: 'aborted', timestamp: call.t - 700 } }, call.t - 700);
      }
      const cacheWrite = provider === 'anthropic' ? call.cacheWrite : 0;
      const output = call.output + call.reasoning;
      const total = call.input + output + call.cacheRead + cacheWrite;
      const usage =
        random() < 0.1
          ? { input: call.input, cacheRead: call.cacheRead, cacheWrite, totalTokens: total }
          : { input: call.input, output, cacheRead: call.cacheRead, cacheWrite, totalTokens: total, cost: { input: 0.001, output: 0.002, cacheRead: 0.0001, cacheWrite: 0, total: 0.0031 } };
      const message: Record<string, unknown> = { role: 'assistant', content: [{ type: 'text', text: 'done' }], api, provider, usage, stopReason: 'toolUse' };
      if (random() < 0.7) message.model = call.model;
      // Entries without any time are dated by their database row; a transcript file has no such row.
      const undated = agent === 'main' && random() < 0.15;
      if (!undated) message.timestamp = call.t;
      append({ type: 'message', message }, call.t, !undated);
      append({ type: 'message', message: { role: 'toolResult', toolCallId: `call_${entries.length}`, toolName: 'bash', content: [{ type: 'text', text: 'ok' }], isError: false, timestamp: call.t + 100 } }, call.t + 100);
    }
    const hasUndated = entries.some(({ event }) => event.timestamp === undefined);
    const storage = hasUndated ? 'database' : (['database', 'database', 'file', 'both'] as const)[Math.floor(random() * 4)];
    if (storage !== 'file') {
      const db = database(agent);
      entries.forEach(({ event, t }, seq) => db.run('INSERT INTO transcript_events (session_id, seq, event_json, created_at) VALUES (?, ?, ?, ?)', [id, seq, JSON.stringify(event), t]));
    }
    if (storage !== 'database') {
      const dir = path.join(root, 'agents', agent, 'sessions');
      fs.mkdirSync(dir, { recursive: true });
      const lines = entries.map(({ event }) => JSON.stringify(event));
      fs.writeFileSync(path.join(dir, `${id}.jsonl`), `${lines.join('\n')}\n`);
      if (random() < 0.5) {
        const archived = lines.slice(0, Math.ceil(lines.length / 2));
        fs.writeFileSync(path.join(dir, `${id}.jsonl.reset.${new Date(session.start).toISOString().replace(/:/g, '-')}`), `${archived.join('\n')}\n`);
      }
    }
  }
  for (const [agent, db] of databases) {
    const dir = path.join(root, 'agents', agent, 'agent');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'openclaw-agent.sqlite'), db.export());
    db.close();
  }
}

const HERMES_MODELS = ['claude-sonnet-4-5-20250929', 'anthropic/claude-opus-4.5', 'openai/gpt-5.2', 'gemini-2.5-pro', 'deepseek-v4-flash'];

/**
 * Two Hermes Agent homes' `state.db` as src/importers/sources/hermes.ts describes it: one `sessions` row per session
 * (CLI, gateway and subagent runs) with its first model, its start in epoch seconds and the running totals of its
 * calls (input without cache, output with reasoning, reasoning apart), prompts and titles beside them; some sessions
 * without a model yet or that never answered.
 */
export async function writeHermesCorpus(roots: [string, string], options: AgentCorpusOptions): Promise<void> {
  const random = seededRandom(options.seed + 10);
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const databases = roots.map(() => new SQL.Database());
  for (const db of databases) {
    db.run(
      'CREATE TABLE sessions (id TEXT PRIMARY KEY, source TEXT NOT NULL, model TEXT, system_prompt TEXT, parent_session_id TEXT, ' +
        'started_at REAL NOT NULL, ended_at REAL, message_count INTEGER DEFAULT 0, input_tokens INTEGER DEFAULT 0, ' +
        'output_tokens INTEGER DEFAULT 0, cache_read_tokens INTEGER DEFAULT 0, cache_write_tokens INTEGER DEFAULT 0, ' +
        'reasoning_tokens INTEGER DEFAULT 0, cwd TEXT, billing_provider TEXT, estimated_cost_usd REAL, actual_cost_usd REAL, ' +
        'title TEXT, api_call_count INTEGER DEFAULT 0)',
    );
  }
  let previous: string | undefined;
  for (const session of sessions(options, HERMES_MODELS)) {
    const id = `${new Date(session.start).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '_')}_${hex(random, 6)}`;
    const unanswered = random() < 0.08;
    const sum = (pick: (call: Call) => number) => (unanswered ? 0 : session.calls.reduce((total, call) => total + pick(call), 0));
    const model = random() < 0.06 ? null : session.calls[0].model;
    const subagent = previous !== undefined && random() < 0.2;
    const cost = random() < 0.5 ? Math.round(random() * 1e4) / 1e5 : null;
    databases[session.index % 5 === 4 ? 1 : 0].run('INSERT INTO sessions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      id,
      subagent ? 'tool' : random() < 0.7 ? 'cli' : 'telegram',
      model,
      'You are Hermes.',
      subagent ? (previous as string) : null,
      session.start / 1000,
      session.calls[session.calls.length - 1].t / 1000,
      session.calls.length * 2,
      sum((call) => call.input),
      sum((call) => call.output + call.reasoning),
      sum((call) => call.cacheRead),
      sum((call) => call.cacheWrite),
      sum((call) => call.reasoning),
      '/home/u/app',
      model?.startsWith('claude') ? 'anthropic' : 'openrouter',
      cost,
      cost === null ? null : cost * 0.98,
      'Fix the login',
      session.calls.length,
    ]);
    previous = id;
  }
  databases.forEach((db, index) => {
    fs.mkdirSync(roots[index], { recursive: true });
    fs.writeFileSync(path.join(roots[index], 'state.db'), db.export());
    db.close();
  });
}

const GROK_MODELS = ['grok-4.5-build', 'grok-code-fast-1', 'grok-4-fast-reasoning'];

/**
 * `<root>/sessions/<URL-encoded cwd>/<session>/updates.jsonl` and `summary.json` as src/importers/sources/grok.ts
 * describes them: prompt, reply and tool-call notifications, and a `turn_completed` per turn whose `usage` holds
 * cached input inside input and reasoning inside output, per model in `modelUsage` (a turn sometimes uses a second
 * model), dated by `_meta.agentTimestampMs` or only by the envelope's Unix seconds, some written twice, some without
 * an event id, and cancelled turns of zero tokens. Turns without `modelUsage` and undated turns are left out: ccusage
 * names and dates them differently (see the cross-check).
 */
export function writeGrokCorpus(root: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 10);
  for (const session of sessions(options, GROK_MODELS)) {
    const id = uuid(random);
    const cwd = `/home/u/project${session.index % 3}`;
    const dir = path.join(root, 'sessions', encodeURIComponent(cwd), id);
    const lines: string[] = [];
    const note = (seconds: number, update: Record<string, unknown>, meta?: Record<string, unknown>) =>
      JSON.stringify({ jsonrpc: '2.0', method: 'session/update', timestamp: seconds, params: { sessionId: id, update, ...(meta ? { _meta: meta } : {}) } });
    for (const call of session.calls) {
      const seconds = Math.floor(call.t / 1000);
      lines.push(note(seconds - 5, { sessionUpdate: 'user_message_chunk', content: { type: 'text', text: 'go on' } }));
      lines.push(note(seconds - 3, { sessionUpdate: 'tool_call', toolCallId: `call_${lines.length}`, title: 'Read file', kind: 'read', status: 'completed' }));
      lines.push(note(seconds - 1, { sessionUpdate: 'agent_message_chunk', content: { type: 'text', text: 'done' } }));
      const counts = (input: number, cacheRead: number, cacheWrite: number, output: number, reasoning: number) => ({
        inputTokens: input + cacheRead + cacheWrite,
        outputTokens: output + reasoning,
        cachedReadTokens: cacheRead,
        cacheCreationTokens: cacheWrite,
        reasoningTokens: reasoning,
        totalTokens: input + cacheRead + cacheWrite + output + reasoning,
        costUsdTicks: Math.floor(random() * 1e9),
      });
      const modelUsage: Record<string, unknown> = { [call.model]: counts(call.input, call.cacheRead, random() < 0.2 ? call.cacheWrite : 0, call.output, call.reasoning) };
      if (random() < 0.2) {
        const helper = GROK_MODELS.find((model) => model !== call.model) ?? call.model;
        modelUsage[helper] = counts(Math.floor(call.input / 3) + 1, 0, 0, Math.floor(call.output / 4) + 1, 0);
      }
      const usage = { ...counts(call.input, call.cacheRead, 0, call.output, call.reasoning), modelUsage };
      const meta = random() < 0.8 ? { eventId: uuid(random), ...(random() < 0.7 ? { agentTimestampMs: call.t } : {}) } : undefined;
      const turn = note(seconds, { sessionUpdate: 'turn_completed', stopReason: 'end_turn', usage }, meta);
      lines.push(turn);
      if (random() < 0.1) lines.push(turn);
      if (random() < 0.08) {
        const zero = { inputTokens: 0, outputTokens: 0, totalTokens: 0, modelUsage: { [call.model]: { inputTokens: 0, outputTokens: 0, totalTokens: 0 } } };
        lines.push(note(seconds + 1, { sessionUpdate: 'turn_completed', stopReason: 'cancelled', usage: zero }, { eventId: uuid(random), agentTimestampMs: call.t + 1_000 }));
      }
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'updates.jsonl'), `${lines.join('\n')}\n`);
    fs.writeFileSync(path.join(dir, 'summary.json'), JSON.stringify({ info: { id, cwd }, git_root_dir: cwd, current_model_id: session.calls[0].model }));
  }
}

const COPILOT_CLI_MODELS = ['claude-sonnet-4.5', 'gpt-5.2', 'claude-opus-4.5-1m', 'gpt-5-mini'];

/**
 * `<root>/session-state/<session>/events.jsonl` as src/importers/sources/copilotCli.ts describes them: session start,
 * prompt, reply and tool events, and a `session.shutdown` at the end of each run of the session (resumed up to twice,
 * on a later day too) whose `modelMetrics` hold the session's running totals per model, cache inside `inputTokens`
 * and reasoning inside `outputTokens`; some shutdowns written twice, some without an event id, some sessions still
 * open (their last calls not yet in any shutdown), and a model id with the internal `-1m` suffix.
 */
export function writeCopilotCliCorpus(root: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 11);
  for (const session of sessions(options, COPILOT_CLI_MODELS)) {
    const id = uuid(random);
    const lines: string[] = [];
    let parentId: string | null = null;
    const event = (type: string, t: number, data: Record<string, unknown>, withId = true) => {
      const eventId = uuid(random);
      lines.push(JSON.stringify({ type, data, ...(withId ? { id: eventId } : {}), timestamp: new Date(t).toISOString(), parentId }));
      parentId = eventId;
      return lines[lines.length - 1];
    };
    event('session.start', session.start, { sessionId: id, version: 1, producer: 'copilot-agent', copilotVersion: '1.0.70', startTime: new Date(session.start).toISOString(), context: { cwd: '/home/u/project' } });
    const totals = new Map<string, { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number; reasoningTokens: number; count: number }>();
    const runs = 1 + Math.floor(random() * 3);
    const open = random() < 0.15;
    session.calls.forEach((call, index) => {
      event('user.message', call.t - 900, { content: 'go on' });
      event('tool.execution_complete', call.t - 400, { toolCallId: `call_${index}`, success: true, result: { content: 'ok' } });
      event('assistant.message', call.t, { messageId: uuid(random), content: 'done', outputTokens: call.output + call.reasoning });
      const sum = totals.get(call.model) ?? { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, count: 0 };
      sum.inputTokens += call.input + call.cacheRead + call.cacheWrite;
      sum.outputTokens += call.output + call.reasoning;
      sum.cacheReadTokens += call.cacheRead;
      sum.cacheWriteTokens += call.cacheWrite;
      sum.reasoningTokens += call.reasoning;
      sum.count += 1;
      totals.set(call.model, sum);
      const last = index === session.calls.length - 1;
      const endsRun = last ? !open : (index + 1) % Math.ceil(session.calls.length / runs) === 0;
      if (!endsRun) return;
      // A resumed session can be shut down a day or more after its last call.
      const t = call.t + 60_000 + (random() < 0.2 ? 86_400_000 : 0);
      const modelMetrics = Object.fromEntries(
        [...totals].map(([model, { count, ...usage }]) => [model, { requests: { count, cost: 1 }, usage, totalNanoAiu: count * 1e8 }]),
      );
      const line = event('session.shutdown', t, { shutdownType: 'routine', totalPremiumRequests: 1, totalApiDurationMs: 30_000, sessionStartTime: session.start, codeChanges: { linesAdded: 1, linesRemoved: 0, filesModified: [] }, modelMetrics, currentModel: call.model }, random() < 0.9);
      if (random() < 0.1) lines.push(line);
      if (!last) event('session.resume', t + 1_000, { resumeTime: new Date(t + 1_000).toISOString(), eventCount: lines.length });
    });
    const dir = path.join(root, 'session-state', id);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
  }
}

const COPILOT_CLI_OTEL_MODELS = ['claude-sonnet-4.5', 'gpt-5.2', 'claude-opus-4.5-1m'];

/**
 * A GitHub Copilot CLI session folder and OpenTelemetry file as CLI 1.0.102 writes them (see
 * test/fixtures/importers/copilot-cli/README.md, `with-otel/`), appended to `otelFile`, which may already hold Copilot
 * Chat's lines (the two honour the same COPILOT_OTEL_FILE_EXPORTER_PATH): per call a `session.usage_record` in
 * `<root>/session-state/<session>/events.jsonl` and a `chat` span (`type: "span"`, resource `github-copilot`,
 * `gen_ai.conversation.id` the session, `gen_ai.response.id` the record's `usageId`) in the file; a shutdown with the
 * running totals per model after each run of the session (resumed up to twice), a few calls the session log does not
 * record one by one (their tokens only in the totals), and some sessions still open after their last run. Each
 * session's runs keep to one UTC day, where ccusage dates a run's calls at its shutdown and Assay at each call; the
 * calls of an open run are all recorded, with no cache writes (for a span, ccusage leaves cache writes inside input).
 */
export function appendCopilotCliWithOtelCorpus(root: string, otelFile: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 13);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const first = options.startMs ?? Date.parse('2026-10-01T00:00:00Z');
  const resource = { attributes: { 'service.name': 'github-copilot', 'service.version': '1.0.102' }, schemaUrl: 'https://opentelemetry.io/schemas/1.44.0' };
  const instrumentationScope = { name: 'github.copilot', version: '1.0.102' };
  const spans: string[] = [];
  for (let day = 0; day < options.days; day++) {
    for (let n = 0; n < options.sessionsPerDay; n++) {
      const id = uuid(random);
      const lines: string[] = [];
      let parentId: string | null = null;
      const event = (type: string, t: number, data: Record<string, unknown>) => {
        const eventId = uuid(random);
        lines.push(JSON.stringify({ type, data, id: eventId, timestamp: new Date(t).toISOString(), parentId }));
        parentId = eventId;
      };
      let t = first + day * DAY_MS + between(0, 19 * 3_600_000);
      event('session.start', t, { sessionId: id, version: 1, producer: 'copilot-agent', copilotVersion: '1.0.102', startTime: new Date(t).toISOString(), context: { cwd: '/home/u/project' } });
      const totals = new Map<string, Record<string, number>>();
      const runs = between(1, 3);
      const open = random() < 0.25;
      let sequence = 0;
      for (let run = 0; run < runs; run++) {
        const openRun = open && run === runs - 1;
        const calls = between(1, 6);
        const traceId = hex(random, 32);
        const agentSpanId = hex(random, 16);
        for (let c = 0; c < calls; c++) {
          t += between(20_000, 360_000);
          const model = COPILOT_CLI_OTEL_MODELS[between(0, COPILOT_CLI_OTEL_MODELS.length - 1)];
          const cacheRead = between(0, 30_000);
          const cacheWrite = model.startsWith('claude') && !openRun ? between(0, 3_000) : 0;
          const reasoning = model.startsWith('gpt') ? between(0, 500) : 0;
          const usage = {
            inputTokens: between(100, 4_000) + cacheRead + cacheWrite,
            outputTokens: between(50, 2_000) + reasoning,
            cacheReadTokens: cacheRead,
            cacheWriteTokens: cacheWrite,
            reasoningTokens: reasoning,
          };
          const sum = totals.get(model) ?? { inputTokens: 0, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0, count: 0 };
          for (const [field, value] of Object.entries(usage)) sum[field] += value;
          sum.count += 1;
          totals.set(model, sum);
          const responseId = `msg_${hex(random, 24)}`;
          event('user.message', t - 5_000, { content: 'go on', interactionId: uuid(random) });
          if (openRun || random() < 0.9) {
            sequence += 1;
            const accounting = { sourceSessionId: id, sequence, usageId: responseId };
            event('session.usage_record', t, { usage: { model, modelDisplayName: model, ...usage, cost: 1, duration: 3_000, initiator: 'user', apiCallId: responseId, accounting } });
          }
          event('assistant.message', t, { messageId: uuid(random), content: 'done', apiCallId: responseId, model });
          const attributes: Record<string, unknown> = {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': model.startsWith('claude') ? 'anthropic' : 'openai',
            'gen_ai.request.model': model,
            'gen_ai.conversation.id': id,
            'gen_ai.response.finish_reasons': ['stop'],
            'gen_ai.usage.input_tokens': usage.inputTokens,
            'gen_ai.usage.output_tokens': usage.outputTokens,
            'gen_ai.usage.cache_read.input_tokens': cacheRead,
            ...(cacheWrite > 0 ? { 'gen_ai.usage.cache_creation.input_tokens': cacheWrite } : {}),
            ...(reasoning > 0 ? { 'gen_ai.usage.reasoning.output_tokens': reasoning } : {}),
            'gen_ai.response.model': model,
            'gen_ai.response.id': responseId,
            'github.copilot.cost': 1,
          };
          spans.push(JSON.stringify({ type: 'span', traceId, spanId: hex(random, 16), parentSpanId: agentSpanId, name: `chat ${model}`, kind: 2, startTime: hrTime(t - 3_000), endTime: hrTime(t), attributes, status: { code: 0 }, events: [], resource, instrumentationScope }));
        }
        spans.push(JSON.stringify({ type: 'span', traceId, spanId: agentSpanId, name: 'invoke_agent', kind: 0, startTime: hrTime(t - 60_000), endTime: hrTime(t + 100), attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.conversation.id': id }, status: { code: 0 }, events: [], resource, instrumentationScope }));
        if (openRun) break;
        t += 60_000;
        const modelMetrics = Object.fromEntries([...totals].map(([model, { count, ...usage }]) => [model, { requests: { count, cost: count }, usage, totalNanoAiu: 0 }]));
        event('session.shutdown', t, { shutdownType: 'routine', totalPremiumRequests: 1, totalApiDurationMs: 30_000, sessionStartTime: first, codeChanges: { linesAdded: 1, linesRemoved: 0, filesModified: [] }, modelMetrics, currentModel: COPILOT_CLI_OTEL_MODELS[0] });
        t += between(60_000, 1_800_000);
        if (run < runs - 1) event('session.resume', t, { resumeTime: new Date(t).toISOString(), eventCount: lines.length });
      }
      const dir = path.join(root, 'session-state', id);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'events.jsonl'), `${lines.join('\n')}\n`);
    }
  }
  fs.mkdirSync(path.dirname(otelFile), { recursive: true });
  fs.appendFileSync(otelFile, `${spans.join('\n')}\n`);
}

const ZCODE_MODELS = ['glm-4.6', 'glm-4.5-air', 'glm-4.7', 'glm-4.5v'];

/**
 * Two ZCode homes' `cli/db/db.sqlite` as src/importers/sources/zcode.ts describes it: a `session` row per session (its
 * folder and title) and a `model_usage` row per model request, started in epoch ms, its prompt holding cache reads and
 * writes, its output holding reasoning; some requests fail first and are retried under a new row, some never finish
 * (`streaming`), some rows name no model; some of the first home's rows are also in the second home's database, as
 * a copy of it would hold them (the same ids).
 */
export async function writeZCodeCorpus(homes: [string, string], options: AgentCorpusOptions): Promise<void> {
  const random = seededRandom(options.seed + 10);
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const databases = homes.map(() => new SQL.Database());
  for (const db of databases) {
    db.run('CREATE TABLE session (id TEXT PRIMARY KEY, directory TEXT, title TEXT, version INTEGER)');
    db.run(
      'CREATE TABLE model_usage (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, logical_request_id TEXT, attempt_index INTEGER, ' +
        'query_source TEXT, provider_id TEXT, model_id TEXT, status TEXT NOT NULL, started_at INTEGER NOT NULL, input_tokens INTEGER, ' +
        'output_tokens INTEGER, reasoning_tokens INTEGER, cache_creation_input_tokens INTEGER, cache_read_input_tokens INTEGER, ' +
        'computed_total_tokens INTEGER, provider_total_tokens INTEGER)',
    );
  }
  const both: string[] = [];
  for (const session of sessions(options, ZCODE_MODELS)) {
    const db = databases[session.index % 4 === 3 ? 1 : 0];
    const sessionId = `ses_${hex(random, 12)}`;
    db.run('INSERT INTO session VALUES (?, ?, ?, ?)', [sessionId, `/home/u/project${session.index % 3}`, 'Fix the login', random() < 0.5 ? 2 : null]);
    const insert = (call: Call, request: string, attempt: number, status: string, model: string | null, scale: number) => {
      const id = `mu_${hex(random, 16)}`;
      const prompt = Math.floor((call.input + call.cacheRead + call.cacheWrite) * scale);
      const output = Math.floor((call.output + call.reasoning) * scale);
      const row = [id, sessionId, request, attempt, random() < 0.8 ? 'main_turn' : 'subagent', random() < 0.5 ? 'builtin:zai-coding-plan' : 'zai', model, status,
        call.t + attempt * 1_000, prompt, output, Math.floor(call.reasoning * scale), Math.floor(call.cacheWrite * scale), Math.floor(call.cacheRead * scale), prompt + output, prompt + output];
      db.run('INSERT INTO model_usage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', row);
      if (session.index % 7 === 0 && db === databases[0]) both.push(id);
    };
    for (const call of session.calls) {
      const request = `req_${hex(random, 12)}`;
      const retried = random() < 0.15;
      if (retried) insert(call, request, 0, 'failed', call.model, 0.5);
      const status = random() < 0.05 ? 'streaming' : 'completed';
      insert(call, request, retried ? 1 : 0, status, random() < 0.04 ? null : call.model, 1);
    }
  }
  const copied = databases[0].exec(`SELECT * FROM model_usage WHERE id IN (${both.map(() => '?').join(',')})`, both)[0]?.values ?? [];
  for (const row of copied) databases[1].run('INSERT INTO model_usage VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', row);
  databases.forEach((db, index) => {
    const dir = path.join(homes[index], 'cli', 'db');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'db.sqlite'), db.export());
    db.close();
  });
}

const GOOSE_MODELS = ['claude-sonnet-4-5-20250929', 'gpt-5.2', 'gemini-2.5-pro', 'qwen3-coder:30b'];
const GOOSE_SCHEMA =
  'CREATE TABLE sessions (id TEXT PRIMARY KEY, description TEXT NOT NULL DEFAULT \'\', working_dir TEXT NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, ' +
  "updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, extension_data TEXT DEFAULT '{}', total_tokens INTEGER, input_tokens INTEGER, output_tokens INTEGER, " +
  'accumulated_total_tokens INTEGER, accumulated_input_tokens INTEGER, accumulated_output_tokens INTEGER, schedule_id TEXT, recipe_json TEXT, ' +
  "user_recipe_values_json TEXT, name TEXT DEFAULT '', user_set_name BOOLEAN DEFAULT FALSE, session_type TEXT NOT NULL DEFAULT 'user', provider_name TEXT, " +
  "model_config_json TEXT, goose_mode TEXT NOT NULL DEFAULT 'auto', thread_id TEXT, archived_at TIMESTAMP, project_id TEXT, accumulated_cost REAL);" +
  'CREATE TABLE messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL REFERENCES sessions(id), role TEXT NOT NULL, ' +
  'content_json TEXT NOT NULL, created_timestamp INTEGER NOT NULL, timestamp TIMESTAMP DEFAULT CURRENT_TIMESTAMP, tokens INTEGER, metadata_json TEXT, message_id TEXT);';

/**
 * Two Goose databases as src/importers/sources/goose.ts describes them, at `<home>/.local/share/goose/sessions/` and at
 * ccusage's `<home>/.local/share/Block/goose/sessions/`, each numbering its sessions `<yyyymmdd>_<n>` (so ids repeat
 * between them): one `sessions` row per session (user and subagent runs) created at SQLite's zone-less UTC time or, for
 * sessions imported from Goose's JSONL files, an RFC 3339 time with an offset, holding the sums of its calls (the whole
 * prompt as input; for Gemini models thinking outside output and inside total) and its last call's counts; some rows
 * with only the last call's counts, without a model (a database from before v6), with a blank model, or never answered;
 * messages beside them.
 */
export async function writeGooseCorpus(home: string, options: AgentCorpusOptions): Promise<void> {
  const random = seededRandom(options.seed + 10);
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const folders = [path.join(home, '.local', 'share', 'goose', 'sessions'), path.join(home, '.local', 'share', 'Block', 'goose', 'sessions')];
  const databases = folders.map(() => new SQL.Database());
  for (const db of databases) db.exec(GOOSE_SCHEMA);
  const numbers = new Map<string, number>();
  for (const session of sessions(options, GOOSE_MODELS)) {
    const which = session.index % 4 === 3 ? 1 : 0;
    const db = databases[which];
    const day = new Date(session.start).toISOString().slice(0, 10);
    const n = (numbers.get(`${which}${day}`) ?? 0) + 1;
    numbers.set(`${which}${day}`, n);
    const model = session.calls[0].model;
    const thinkingApart = model.startsWith('gemini');
    const counts = (call: Call) => {
      const input = call.input + call.cacheRead + call.cacheWrite;
      const output = thinkingApart ? call.output : call.output + call.reasoning;
      return { input, output, total: input + call.output + call.reasoning };
    };
    const sum = session.calls.map(counts).reduce((a, b) => ({ input: a.input + b.input, output: a.output + b.output, total: a.total + b.total }));
    const last = counts(session.calls[session.calls.length - 1]);
    const kind = random();
    const config = kind < 0.05 ? null : JSON.stringify({ model_name: kind < 0.09 ? ' ' : model, context_limit: null, temperature: null, max_tokens: null, toolshim: false, toolshim_model: null });
    const accumulated = kind < 0.09 ? sum : kind < 0.16 ? null : kind < 0.2 ? { input: 0, output: 0, total: 0 } : sum;
    const lastCall = kind >= 0.16 && kind < 0.2 ? null : last;
    const iso = new Date(session.start).toISOString();
    const createdAt = random() < 0.15 ? `${new Date(session.start + 2 * 3_600_000).toISOString().slice(0, 19)}+02:00` : `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
    const id = `${day.replace(/-/g, '')}_${n}`;
    db.run(
      'INSERT INTO sessions (id, working_dir, created_at, total_tokens, input_tokens, output_tokens, accumulated_total_tokens, accumulated_input_tokens, ' +
        'accumulated_output_tokens, name, session_type, provider_name, model_config_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      [id, `/home/u/project${session.index % 3}`, createdAt, lastCall?.total ?? null, lastCall?.input ?? null, lastCall?.output ?? null, accumulated?.total ?? null,
        accumulated?.input ?? null, accumulated?.output ?? null, 'Fix the login', random() < 0.2 ? 'sub_agent' : 'user', config === null ? null : 'provider', config],
    );
    db.run('INSERT INTO messages (session_id, role, content_json, created_timestamp) VALUES (?, ?, ?, ?)', [id, 'user', '[{"type":"text","text":"fix the login"}]', Math.floor(session.start / 1000)]);
  }
  databases.forEach((db, index) => {
    fs.mkdirSync(folders[index], { recursive: true });
    fs.writeFileSync(path.join(folders[index], 'sessions.db'), db.export());
    db.close();
  });
}

const KIMI_CODE_ALIASES = ['kimi-code/kimi-for-coding', 'kimi-code/kimi-k2.6', 'anthropic/claude-sonnet-4-5-20250929', 'openai/gpt-5.2'];

/**
 * A Kimi Code data folder as src/importers/sources/kimiCode.ts describes it: `sessions/wd_<slug>_<hash>/<session>/`
 * with `agents/main/wire.jsonl` and sometimes a subagent's `agents/agent-<n>/wire.jsonl`, each a metadata line, then
 * prompts, `llm.request` and assistant messages, and a `usage.record` (`usageScope: "turn"`) per step; some steps with
 * no tokens, some context compactions (`usageScope: "session"`). Returns the compactions' tokens per UTC day and
 * model: ccusage 20.0.24 leaves them out, Assay counts them (see the cross-check). Calls of a model set through
 * environment variables (alias `__kimi_env_model__`) and forked sessions are left out: the two tools name and count
 * them differently.
 */
export function writeKimiCodeCorpus(root: string, options: AgentCorpusOptions): Map<string, Record<string, number>> {
  const random = seededRandom(options.seed + 10);
  const compactions = new Map<string, Record<string, number>>();
  const logs = new Map<string, string[]>();
  const line = (file: string, record: Record<string, unknown>) => {
    const lines = logs.get(file) ?? [JSON.stringify({ type: 'metadata', protocol_version: '1.4', created_at: record.time })];
    lines.push(JSON.stringify(record));
    logs.set(file, lines);
  };
  for (const session of sessions(options, KIMI_CODE_ALIASES)) {
    const dir = path.join(root, 'sessions', `wd_project${session.index % 3}_${hex(random, 12)}`, uuid(random));
    const main = path.join(dir, 'agents', 'main', 'wire.jsonl');
    const subagent = path.join(dir, 'agents', `agent-${hex(random, 8)}`, 'wire.jsonl');
    line(main, { type: 'turn.prompt', input: [{ type: 'text', text: 'fix the login' }], origin: 'user', time: session.start });
    for (const call of session.calls) {
      const file = random() < 0.2 ? subagent : main;
      const usage = { inputOther: call.input, output: call.output + call.reasoning, inputCacheRead: call.cacheRead, inputCacheCreation: call.cacheWrite };
      const compaction = random() < 0.08;
      line(file, { type: 'llm.request', kind: compaction ? 'compaction' : 'loop', provider: call.model.split('/')[0], model: call.model.split('/')[1], modelAlias: call.model, toolSelect: false, systemPromptHash: 'a1', toolsHash: 'b2', messageCount: 4, time: call.t - 1_500 });
      line(file, { type: 'context.append_message', message: { role: 'assistant', content: [{ type: 'text', text: 'done' }] }, time: call.t - 10 });
      line(file, { type: 'usage.record', model: call.model, usage, usageScope: compaction ? 'session' : 'turn', time: call.t });
      if (compaction) {
        const key = `${new Date(call.t).toISOString().slice(0, 10)} ${call.model.replace(/^kimi-code\//, '')}`;
        const sum = compactions.get(key) ?? { input: 0, cacheRead: 0, cacheWrite: 0, output: 0 };
        compactions.set(key, { input: sum.input + usage.inputOther, cacheRead: sum.cacheRead + usage.inputCacheRead, cacheWrite: sum.cacheWrite + usage.inputCacheCreation, output: sum.output + usage.output });
      }
      if (random() < 0.05) line(file, { type: 'usage.record', model: call.model, usage: { inputOther: 0, output: 0, inputCacheRead: 0, inputCacheCreation: 0 }, usageScope: 'turn', time: call.t + 5 });
    }
  }
  for (const [file, lines] of logs) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  }
  return compactions;
}

/**
 * A Kimi CLI share folder as src/importers/sources/kimiCli.ts describes it: `sessions/<md5>/<session>/wire.jsonl`, a
 * metadata line, then `{timestamp, message: {type, payload}}` records (a turn's prompt, step starts, text, and a
 * `StatusUpdate` with the step's `token_usage` and `message_id`, some without one), plan-mode `StatusUpdate`s without
 * `token_usage`, steps with no tokens, and subagents' steps in their own `subagents/<agent>/wire.jsonl`, repeated in the
 * parent's log wrapped in a `SubagentEvent` that names the agent. No record names a model. Forked sessions and the
 * wrapped steps of builds before the subagent store are left out: the two tools count them differently.
 */
export function writeKimiCliCorpus(root: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 12);
  const logs = new Map<string, string[]>();
  const line = (file: string, seconds: number, type: string, payload: Record<string, unknown>) => {
    const lines = logs.get(file) ?? [JSON.stringify({ type: 'metadata', protocol_version: '1.10' })];
    lines.push(JSON.stringify({ timestamp: seconds, message: { type, payload } }));
    logs.set(file, lines);
  };
  const status = (usage: Record<string, number> | null, messageId: string | null) => ({ context_usage: null, context_tokens: null, max_context_tokens: null, token_usage: usage, message_id: messageId, plan_mode: usage === null, mcp_status: null });
  for (const session of sessions(options, ['kimi-for-coding'])) {
    const dir = path.join(root, 'sessions', hex(random, 32), uuid(random));
    const main = path.join(dir, 'wire.jsonl');
    const agentId = hex(random, 8);
    const subagent = path.join(dir, 'subagents', agentId, 'wire.jsonl');
    const seconds = (ms: number) => ms / 1000 + Math.floor(random() * 1000) / 1e6;
    line(main, seconds(session.start), 'TurnBegin', { user_input: 'fix the login' });
    session.calls.forEach((call, n) => {
      const inSubagent = random() < 0.2;
      const file = inSubagent ? subagent : main;
      const usage = { input_other: call.input, output: call.output + call.reasoning, input_cache_read: call.cacheRead, input_cache_creation: call.cacheWrite };
      const payload = status(usage, random() < 0.1 ? null : `chatcmpl-${hex(random, 24)}`);
      line(file, seconds(call.t - 1_500), 'StepBegin', { n: n + 1 });
      line(file, seconds(call.t - 20), 'TextPart', { type: 'text', text: 'done' });
      line(file, seconds(call.t), 'StatusUpdate', payload);
      if (inSubagent) line(main, seconds(call.t + 30), 'SubagentEvent', { parent_tool_call_id: `Agent:${n}`, agent_id: agentId, subagent_type: 'explore', event: { type: 'StatusUpdate', payload } });
      if (random() < 0.05) line(file, seconds(call.t + 5), 'StatusUpdate', status({ input_other: 0, output: 0, input_cache_read: 0, input_cache_creation: 0 }, null));
      if (random() < 0.05) line(file, seconds(call.t + 6), 'StatusUpdate', status(null, null));
    });
  }
  for (const [file, lines] of logs) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
  }
}

const CRUSH_MODELS = ['claude-sonnet-4-5-20250929', 'gpt-5.2', 'openai/gpt-5.2', 'gemini-2.5-pro'];
const CRUSH_SUBAGENT_MODEL = 'claude-haiku-4-5-20251001';
const CRUSH_PROVIDERS: Record<string, string> = {
  'claude-sonnet-4-5-20250929': 'anthropic',
  'gpt-5.2': 'openai',
  'openai/gpt-5.2': 'openrouter',
  'gemini-2.5-pro': 'gemini',
  [CRUSH_SUBAGENT_MODEL]: 'anthropic',
};
/**
 * `sessions` and `messages` as charmbracelet/crush internal/db/migrations at 37f36e93824e5c4f892e4a817f7f628e2682fe14
 * leave them (test/fixtures/importers/crush/crush.sql), with the triggers that keep `message_count` and `updated_at`;
 * the tables of files and read files are left out: neither reader opens them.
 */
const CRUSH_SCHEMA =
  'CREATE TABLE sessions (id TEXT PRIMARY KEY, parent_session_id TEXT, title TEXT NOT NULL, message_count INTEGER NOT NULL DEFAULT 0 CHECK (message_count >= 0), ' +
  'prompt_tokens INTEGER NOT NULL DEFAULT 0 CHECK (prompt_tokens >= 0), completion_tokens INTEGER NOT NULL DEFAULT 0 CHECK (completion_tokens >= 0), ' +
  'cost REAL NOT NULL DEFAULT 0.0 CHECK (cost >= 0.0), updated_at INTEGER NOT NULL, created_at INTEGER NOT NULL, summary_message_id TEXT, todos TEXT);' +
  "CREATE TRIGGER update_sessions_updated_at AFTER UPDATE ON sessions BEGIN UPDATE sessions SET updated_at = strftime('%s', 'now') WHERE id = new.id; END;" +
  "CREATE TABLE messages (id TEXT PRIMARY KEY, session_id TEXT NOT NULL, role TEXT NOT NULL, parts TEXT NOT NULL default '[]', model TEXT, created_at INTEGER NOT NULL, " +
  'updated_at INTEGER NOT NULL, finished_at INTEGER, provider TEXT, is_summary_message INTEGER DEFAULT 0 NOT NULL, FOREIGN KEY (session_id) REFERENCES sessions (id) ON DELETE CASCADE);' +
  'CREATE TRIGGER update_session_message_count_on_insert AFTER INSERT ON messages BEGIN UPDATE sessions SET message_count = message_count + 1 WHERE id = new.session_id; END;' +
  'CREATE TRIGGER update_session_message_count_on_delete AFTER DELETE ON messages BEGIN UPDATE sessions SET message_count = message_count - 1 WHERE id = old.session_id; END;';

/**
 * Crush's data as four projects leave it (src/importers/sources/crush.ts): `<home>/.local/share/crush/projects.json`
 * naming each project's data folder (internal/projects/projects.go `ProjectList`), three of them the default
 * `<project>/.crush` and one a `data_directory` elsewhere, each holding its `crush.db`. Rows as Crush writes them
 * (internal/db/sql/sessions.sql, messages.sql; parts as internal/message/message.go marshals them; times in epoch
 * seconds): turns opened by a user prompt, one assistant message per model step, tool results, sub-agent sessions
 * (`<message id>$$<tool call id>`, internal/session/session.go) whose cost Crush adds to their parent's, turns canceled
 * before the model answered (an assistant message with only a `canceled` finish), summaries, a few steps without a
 * model name, and in each database a damaged message with `created_at` 0 and a sub-agent session whose parent was
 * deleted. Sessions whose parents name each other are left out: tokscale's recursive query would never end on them.
 */
export async function writeCrushCorpus(home: string, options: AgentCorpusOptions): Promise<void> {
  const random = seededRandom(options.seed + 11);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const seconds = (ms: number) => Math.floor(ms / 1000);
  const text = (value: string) => ({ type: 'text', data: { text: value } });
  const finish = (reason: string, ms: number) => ({ type: 'finish', data: { reason, time: seconds(ms) } });
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const projects = [0, 1, 2, 3].map((n) => {
    const folder = path.join(home, 'work', `project${n}`);
    const dataDir = n === 3 ? path.join(home, 'crush-data', `project${n}`) : path.join(folder, '.crush');
    const db = new SQL.Database();
    db.exec(CRUSH_SCHEMA);
    return { folder, dataDir, db, roots: [] as string[], lastMs: 0 };
  });
  type Database = (typeof projects)[number]['db'];
  const addSession = (db: Database, id: string, parent: string | null, title: string, ms: number) =>
    db.run('INSERT INTO sessions (id, parent_session_id, title, message_count, prompt_tokens, completion_tokens, cost, updated_at, created_at) VALUES (?, ?, ?, 0, 0, 0, 0, ?, ?)', [
      id,
      parent,
      title,
      seconds(ms),
      seconds(ms),
    ]);
  const addMessage = (db: Database, id: string, sessionId: string, role: string, parts: unknown[], model: string, ms: number, finishedMs: number | null, summary = 0) =>
    db.run('INSERT INTO messages (id, session_id, role, parts, model, created_at, updated_at, finished_at, provider, is_summary_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      id,
      sessionId,
      role,
      JSON.stringify(parts),
      model,
      seconds(ms),
      seconds(finishedMs ?? ms),
      finishedMs === null ? null : seconds(finishedMs),
      CRUSH_PROVIDERS[model] ?? null,
      summary,
    ]);
  for (const session of sessions(options, CRUSH_MODELS)) {
    const project = projects[session.index % projects.length];
    const { db } = project;
    const id = uuid(random);
    project.roots.push(id);
    addSession(db, id, null, 'Fix the login', session.start);
    let cost = 0;
    let lastMs = session.start;
    session.calls.forEach((call, index) => {
      if (index === 0 || random() < 0.35) addMessage(db, uuid(random), id, 'user', [text('fix the login')], '', call.t - 800, null);
      const stepId = uuid(random);
      const toolCallId = `toolu_${hex(random, 24)}`;
      const callsAgent = random() < 0.15;
      const callsTool = callsAgent || random() < 0.5;
      const toolCall = { type: 'tool_call', data: { id: toolCallId, name: callsAgent ? 'agent' : 'view', input: '{"prompt":"find it"}', finished: true } };
      const model = random() < 0.03 ? '' : call.model;
      addMessage(db, stepId, id, 'assistant', [text('done'), ...(callsTool ? [toolCall] : []), finish(callsTool ? 'tool_use' : 'end_turn', call.t + 3_000)], model, call.t, call.t + 3_000);
      cost += (call.input + call.output) / 1e6;
      lastMs = call.t + 3_000;
      if (callsAgent) {
        const subId = `${stepId}$$${toolCallId}`;
        let t = call.t + 3_500;
        addSession(db, subId, id, 'Find it', t);
        addMessage(db, uuid(random), subId, 'user', [text('find it')], '', t, null);
        let subCost = 0;
        for (let step = between(1, 3); step > 0; step--) {
          t += between(2_000, 40_000);
          addMessage(db, uuid(random), subId, 'assistant', [text('found'), finish('end_turn', t + 1_500)], CRUSH_SUBAGENT_MODEL, t, t + 1_500);
          subCost += between(1, 900) / 1e5;
        }
        db.run('UPDATE sessions SET cost = ?, prompt_tokens = ?, completion_tokens = ? WHERE id = ?', [subCost, between(1, 9_000), between(1, 500), subId]);
        cost += subCost;
        lastMs = t + 2_000;
      }
      if (callsTool) addMessage(db, uuid(random), id, 'tool', [{ type: 'tool_result', data: { tool_call_id: toolCallId, name: toolCall.data.name, content: 'ok', is_error: false } }], '', lastMs + 500, null);
    });
    const lastModel = session.calls[session.calls.length - 1].model;
    let summaryId: string | null = null;
    if (random() < 0.2) {
      // A turn the user canceled before the model answered (internal/agent/agent.go persistCanceledTurn).
      addMessage(db, uuid(random), id, 'user', [text('no, stop')], '', lastMs + 60_000, null);
      addMessage(db, uuid(random), id, 'assistant', [{ type: 'finish', data: { reason: 'canceled', time: seconds(lastMs + 61_000), message: 'User canceled request' } }], lastModel, lastMs + 61_000, lastMs + 61_000);
      lastMs += 61_000;
    }
    if (random() < 0.15) {
      summaryId = uuid(random);
      addMessage(db, summaryId, id, 'assistant', [text('Summary'), finish('end_turn', lastMs + 30_000)], lastModel, lastMs + 20_000, lastMs + 30_000, 1);
    }
    const last = session.calls[session.calls.length - 1];
    db.run('UPDATE sessions SET cost = ?, prompt_tokens = ?, completion_tokens = ?, summary_message_id = ? WHERE id = ?', [
      cost,
      summaryId === null ? last.input + last.cacheRead + last.cacheWrite : 0,
      summaryId === null ? last.output + last.reasoning : 0,
      summaryId,
      id,
    ]);
    project.lastMs = Math.max(project.lastMs, lastMs);
  }
  fs.mkdirSync(path.join(home, '.local', 'share', 'crush'), { recursive: true });
  for (const project of projects) {
    const { db } = project;
    addMessage(db, uuid(random), project.roots[0], 'assistant', [], CRUSH_MODELS[0], 0, null);
    const orphan = `${uuid(random)}$$toolu_${hex(random, 24)}`;
    addSession(db, orphan, uuid(random), 'Find it', project.lastMs);
    addMessage(db, uuid(random), orphan, 'assistant', [text('found'), finish('end_turn', project.lastMs + 1_000)], CRUSH_SUBAGENT_MODEL, project.lastMs, project.lastMs + 1_000);
    fs.mkdirSync(project.folder, { recursive: true });
    fs.mkdirSync(project.dataDir, { recursive: true });
    fs.writeFileSync(path.join(project.dataDir, 'crush.db'), db.export());
    db.close();
  }
  // `Register` keeps the list sorted by last use, most recent first.
  const registry = [...projects]
    .sort((a, b) => b.lastMs - a.lastMs)
    .map((project) => ({ path: project.folder, data_dir: project.dataDir, last_accessed: new Date(project.lastMs).toISOString() }));
  fs.writeFileSync(path.join(home, '.local', 'share', 'crush', 'projects.json'), JSON.stringify({ projects: registry }, null, 2));
}
