// Synthetic Kiro CLI conversations for the tokscale cross-check, in `<home>/.local/share/kiro-cli/data.sqlite3` as
// src/importers/sources/kiro.ts describes them (test/fixtures/importers/kiro/data.sql shows one whole). Seeded, so a
// failure reproduces. Each conversation holds what makes it more than a list of requests: prompts followed by tool-use
// rounds (one request each), entries Kiro adds without a request, requests that name their own model or none,
// conversations with no chosen model, several conversations per working directory, and conversations that crossed
// midnight UTC. Every request has a response size, so tokscale's estimate is never 0 (it drops those; Assay does not).
// Beside it, sessions of Kiro CLI's second engine in `<home>/.kiro/sessions/cli/` (test/fixtures/importers/kiro/
// sessions-cli shows them whole): turns of one to several requests, prompted on one day and ended on the next, prompts
// with and without a time, sessions with no model; each turn's messages hold answer text, for the same reason.
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js';
import type { AgentCorpusOptions } from './agentCorpora';
import { seededRandom } from './corpus';

const DAY_MS = 86_400_000;
const MODELS = [
  { model_name: 'claude-sonnet-4.5', model_id: 'claude-sonnet-4.5', context_window_tokens: 200_000 },
  { model_name: 'claude-haiku-4.5', model_id: 'claude-haiku-4.5', context_window_tokens: 200_000 },
  { model_name: 'claude-opus-4.5', model_id: 'claude-opus-4.5', context_window_tokens: 200_000 },
];
const WORKING_DIRECTORIES = ['/home/dev/work/app', '/home/dev/work/api', '/home/dev/infra'];

export async function writeKiroCorpus(home: string, options: AgentCorpusOptions): Promise<void> {
  const random = seededRandom(options.seed + 29);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const start = options.startMs ?? Date.parse('2026-10-01T00:00:00Z');
  const SQL = await initSqlJs({ locateFile: () => require.resolve('sql.js/dist/sql-wasm.wasm') });
  const db = new SQL.Database();
  db.run(
    'CREATE TABLE conversations_v2 (key TEXT NOT NULL, conversation_id TEXT NOT NULL, value TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, PRIMARY KEY (key, conversation_id))',
  );
  let requests = 0;
  for (let day = 0; day < options.days; day++) {
    for (let s = 0; s < options.sessionsPerDay; s++) {
      const conversationId = `conv-${day}-${s}`;
      const cwd = WORKING_DIRECTORIES[between(0, WORKING_DIRECTORIES.length - 1)];
      const chosen = random() < 0.85 ? MODELS[between(0, MODELS.length - 1)] : undefined;
      const created = start + day * DAY_MS + between(0, DAY_MS - 1);
      let t = created;
      const history: unknown[] = [];
      for (let turn = between(1, 5); turn > 0; turn--) {
        t += between(5_000, 600_000);
        const prompt = { additional_context: '', env_context: { env_state: { operating_system: 'linux', current_working_directory: cwd, environment_variables: [] } }, content: { Prompt: { prompt: 'fix the login' } }, timestamp: new Date(t).toISOString(), images: null };
        if (random() < 0.1) {
          history.push({ user: prompt, assistant: { Response: { message_id: null, content: 'an MCP prompt reply' } }, request_metadata: null });
          continue;
        }
        for (let round = between(1, 6), user: unknown = prompt; round > 0; round--) {
          const messageId = `msg-${requests++}`;
          const requestStart = t + between(100, 2_000);
          t = requestStart + between(1_000, 60_000);
          const toolUse = round > 1;
          history.push({
            user,
            assistant: toolUse
              ? { ToolUse: { message_id: messageId, content: 'Let me look.', tool_uses: [{ id: `tooluse_${requests}`, name: 'fs_read', orig_name: 'fs_read', args: {}, orig_args: {} }] } }
              : { Response: { message_id: messageId, content: 'Done.' } },
            request_metadata: {
              request_id: `req-${requests}`,
              message_id: messageId,
              request_start_timestamp_ms: requestStart,
              stream_end_timestamp_ms: t,
              time_to_first_chunk: { secs: 1, nanos: 0 },
              time_between_chunks: [],
              user_prompt_length: 13,
              response_size: between(1, 8_000),
              chat_conversation_type: toolUse ? 'ToolUse' : 'NotToolUse',
              tool_use_ids_and_names: toolUse ? [[`tooluse_${requests}`, 'fs_read']] : [],
              model_id: random() < 0.7 ? (chosen?.model_id ?? MODELS[0].model_id) : null,
              message_meta_tags: [],
              context_usage_percentage: random() < 0.9 ? Math.round(random() * 4_000) / 100 : 0,
            },
          });
          user = { ...prompt, content: { ToolUseResults: { tool_use_results: [] } }, timestamp: null };
        }
      }
      const value = { conversation_id: conversationId, next_message: null, history, valid_history_range: [0, history.length], transcript: [], tools: {}, latest_summary: null, ...(chosen ? { model_info: chosen } : {}), file_line_tracker: {}, mcp_enabled: true };
      db.run('INSERT INTO conversations_v2 (key, conversation_id, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?)', [cwd, conversationId, JSON.stringify(value), created, t]);
    }
  }
  const folder = path.join(home, '.local', 'share', 'kiro-cli');
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, 'data.sqlite3'), db.export());
  db.close();
  writeSessionFiles(path.join(home, '.kiro', 'sessions', 'cli'), options);
}

/** `<session id>.json` and its `.jsonl` transcript per session, `days` × `sessionsPerDay` of them. */
function writeSessionFiles(folder: string, options: AgentCorpusOptions): void {
  const random = seededRandom(options.seed + 31);
  const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const start = options.startMs ?? Date.parse('2026-10-01T00:00:00Z');
  const line = (kind: string, data: unknown) => JSON.stringify({ version: 'v1', kind, data });
  fs.mkdirSync(folder, { recursive: true });
  let messages = 0;
  for (let day = 0; day < options.days; day++) {
    for (let s = 0; s < options.sessionsPerDay; s++) {
      const sessionId = `sess-${day}-${s}`;
      const chosen = random() < 0.85 ? MODELS[between(0, MODELS.length - 1)] : undefined;
      let t = start + day * DAY_MS + between(0, DAY_MS - 1);
      const transcript: string[] = [];
      const turns: unknown[] = [];
      for (let turn = between(1, 6); turn > 0; turn--) {
        // The first session of each day has a turn prompted just before midnight UTC and answered after it.
        t = s === 0 && turns.length === 0 ? start + (day + 1) * DAY_MS - between(100, 900) : t + between(5_000, 900_000);
        const prompt = `p-${messages++}`;
        const timed = random() < 0.9;
        transcript.push(line('Prompt', { message_id: prompt, content: [{ kind: 'text', data: 'fix the login' }], ...(timed ? { meta: { timestamp: t / 1000 } } : {}) }));
        const requests = between(1, 8);
        const answers: string[] = [];
        for (let r = 0; r < requests; r++) {
          const answer = `a-${messages++}`;
          answers.push(answer);
          transcript.push(line('AssistantMessage', { message_id: answer, content: [{ kind: 'text', data: r === requests - 1 ? 'Done, the login works.' : 'Let me look.' }] }));
          if (r < requests - 1) transcript.push(line('ToolResults', { message_id: `r-${messages++}`, content: [{ kind: 'toolResult', data: { toolUseId: 't', status: 'success', content: [] } }] }));
          t += between(1_000, 60_000);
        }
        turns.push({
          loop_id: { agent_id: { name: 'kiro_default' }, rand: messages },
          input_token_count: 0,
          output_token_count: 0,
          metering_usage: [{ value: requests * 0.05, unit: 'credit', unitPlural: 'credits' }],
          message_ids: [prompt, ...answers],
          end_timestamp: new Date(t).toISOString(),
          total_request_count: requests,
          context_usage_percentage: Math.round(random() * 4_000) / 100 + 0.5,
        });
      }
      const session = {
        session_id: sessionId,
        cwd: WORKING_DIRECTORIES[between(0, WORKING_DIRECTORIES.length - 1)],
        created_at: new Date(t).toISOString(),
        updated_at: new Date(t).toISOString(),
        session_state: { ...(chosen ? { rts_model_state: { model_info: chosen } } : {}), conversation_metadata: { user_turn_metadatas: turns } },
      };
      fs.writeFileSync(path.join(folder, `${sessionId}.json`), JSON.stringify(session));
      fs.writeFileSync(path.join(folder, `${sessionId}.jsonl`), `${transcript.join('\n')}\n`);
    }
  }
}
