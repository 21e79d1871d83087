// Codebuff (formerly Manicode) chat histories. The writer is open source, but the message type it saves names no token
// field (tokens can only sit inside the untyped `metadata.runState` or in fields added elsewhere), and where they are
// written could not be traced, so the fields read are the ones ccusage's adapter reads: ryoppippi/ccusage
// rust/crates/ccusage/src/adapter/codebuff/{paths,parser,loader}.rs at 5816e640e8824986f33427203da164b01394a161
// (20.0.11), checked against the ccusage 20.0.24 binary (`ccusage codebuff daily --json`) on
// test/fixtures/importers/codebuff and the cross-check's corpus.
// - Where the file is, from the writer (CodebuffAI/codebuff cli/src/utils/run-state-storage.ts at
//   0b40fb03a07ada18f04c5ef41366be62b2029b16): `saveChatState` rewrites `<project data>/chats/<chat id>/
//   chat-messages.json` whole (`JSON.stringify(messages, null, 2)`) after each turn; the chat id is the chat's start
//   time with `:` as `-` (`2026-01-02T03-04-05.000Z`). ccusage reads `projects/**/chat-messages.json` below each of
//   `$CODEBUFF_DATA_DIR` (a comma list; an entry may name `projects/` itself), else `~/.config/manicode`,
//   `manicode-dev` and `manicode-staging` (Codebuff's release channels).
// - One JSON array of chat messages (cli/src/types/chat.ts at 03cb53dc0a314c2a7a01a30d08472d45015481cd: `id`,
//   `variant` `ai|user|agent|error`, `timestamp`, `credits`, `metadata.runState`). A message is a model answer when
//   its `variant` (else `role`) is `ai`, `agent` or `assistant`. Its tokens come from `metadata.usage`, then
//   `metadata.codebuff.usage`, then the saved run state's `sessionState.mainAgentState.messageHistory` (the last
//   assistant entry's `providerOptions.usage` or `providerOptions.codebuff.usage`, earlier entries filling fields it
//   leaves at 0): each field is taken from the first of these that gives it, as ccusage takes it. Field names:
//   `inputTokens|input_tokens|promptTokens|prompt_tokens`, `outputTokens|…|completion_tokens`,
//   `cacheReadInputTokens` or `prompt(_)tokens(_)details.cached(_)tokens` (the larger), `cacheCreationInputTokens`
//   and four other spellings; a `totalTokens` above their sum adds the rest to output, as ccusage prices it.
//   Input is counted as logged, apart from cache reads, as ccusage counts it.
// - Dated by the message's `timestamp` (else `createdAt`, else `metadata.timestamp`), else the chat id's time, else
//   the file's modification time. A message is one record, keyed by its `id` within the chat (ccusage's key), so a
//   rewritten file replaces its records and a chat copied into a second data folder with the same channel name counts
//   once. `credits` are Codebuff's own billing unit, not dollars: not read as a cost.
// - Still so in the newest sources read (cli/src/utils/run-state-storage.ts at e9d48bcf7b7bf314ada8d5d6afc829bd5405780e;
//   the npm launcher codebuff 1.0.685 still uses `~/.config/manicode`): the file is also rewritten about every 5 s
//   while a run streams, as compact JSON through a `chat-messages.json.<pid>.<uuid>.tmp` renamed over it, beside
//   `chat-meta.json` and `run-state.json.bak`; only `chat-messages.json` itself is read, and its message type still
//   names no token field.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL, type JsonRecord } from '../rawJson';

interface Usage {
  model?: string;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const NO_USAGE: Usage = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

/** The first of `keys` holding a positive count (ccusage's `pick_u64`). */
function pick(record: JsonRecord, keys: readonly string[]): number {
  for (const key of keys) {
    const count = tokenCount(record[key]);
    if (count > 0) return count;
  }
  return 0;
}

function nonEmpty(value: unknown): string | undefined {
  const text = asString(value)?.trim();
  return text ? text : undefined;
}

/** One usage object in any of the spellings Codebuff's providers give it. */
function usageOf(value: unknown): Usage {
  const record = asRecord(value);
  if (!record) return NO_USAGE;
  const usage: Usage = {
    model: nonEmpty(record.model),
    input: pick(record, ['inputTokens', 'input_tokens', 'promptTokens', 'prompt_tokens']),
    output: pick(record, ['outputTokens', 'output_tokens', 'completionTokens', 'completion_tokens']),
    cacheRead: Math.max(
      pick(record, ['cacheReadInputTokens', 'cache_read_input_tokens']),
      pick(asRecord(record.promptTokensDetails) ?? {}, ['cachedTokens']),
      pick(asRecord(record.prompt_tokens_details) ?? {}, ['cached_tokens']),
    ),
    cacheWrite: pick(record, [
      'cacheCreationInputTokens',
      'cache_creation_input_tokens',
      'cacheCreationTokens',
      'cache_creation_tokens',
      'cachedTokensCreated',
      'cached_tokens_created',
    ]),
  };
  // ccusage's total fallback: the rest of a total is output when output is missing, else extra tokens it prices as output.
  const missing = pick(record, ['totalTokens', 'total_tokens', 'total']) - (usage.input + usage.output + usage.cacheRead + usage.cacheWrite);
  return missing > 0 ? { ...usage, output: usage.output + missing } : usage;
}

/** Each field from `usage`, else from `fallback` (ccusage's `merge_fallback`). */
function withFallback(usage: Usage, fallback: Usage): Usage {
  return {
    model: usage.model ?? fallback.model,
    input: usage.input || fallback.input,
    output: usage.output || fallback.output,
    cacheRead: usage.cacheRead || fallback.cacheRead,
    cacheWrite: usage.cacheWrite || fallback.cacheWrite,
  };
}

/** The saved run state's assistant usage, the last entry first. */
function runStateUsage(metadata: JsonRecord): Usage {
  const history = asRecord(asRecord(asRecord(metadata.runState)?.sessionState)?.mainAgentState)?.messageHistory;
  if (!Array.isArray(history)) return NO_USAGE;
  let usage = NO_USAGE;
  for (let index = history.length - 1; index >= 0; index--) {
    const entry = asRecord(history[index]);
    const options = asRecord(entry?.providerOptions);
    if (entry?.role !== 'assistant' || !options) continue;
    const codebuff = asRecord(options.codebuff);
    let entryUsage = withFallback(usageOf(options.usage), usageOf(codebuff?.usage));
    const model = nonEmpty(codebuff?.model);
    if (model !== undefined) entryUsage = { ...entryUsage, model };
    usage = withFallback(usage, entryUsage);
  }
  return usage;
}

function messageUsage(message: JsonRecord): Usage {
  const metadata = asRecord(message.metadata);
  if (!metadata) return NO_USAGE;
  const usage = withFallback(withFallback(usageOf(metadata.usage), usageOf(asRecord(metadata.codebuff)?.usage)), runStateUsage(metadata));
  return { ...usage, model: nonEmpty(metadata.model) ?? usage.model };
}

/** The chat id's time: `2026-01-02T03-04-05.000Z` with the time's first two dashes as colons. */
function chatIdTime(chatId: string): number | undefined {
  const at = chatId.indexOf('T');
  if (at < 0) return undefined;
  return parseTimestamp(`${chatId.slice(0, at)}T${chatId.slice(at + 1).replace('-', ':').replace('-', ':')}`);
}

function fileTime(filePath: string): number | undefined {
  // The parse contract hands over text only; the file's own time is the last date the format offers.
  try {
    return Math.floor(fs.statSync(filePath).mtimeMs);
  } catch {
    return undefined;
  }
}

function messageTime(message: JsonRecord): number | undefined {
  return parseTimestamp(message.timestamp) ?? parseTimestamp(message.createdAt) ?? parseTimestamp(asRecord(message.metadata)?.timestamp);
}

/** `<channel>/projects/<project>/chats/<chat id>/chat-messages.json`, named as ccusage names the session. */
function chatNames(filePath: string): { chat: string; project: string; session: string } {
  const chatDir = path.dirname(filePath);
  const projectDir = path.dirname(path.dirname(chatDir));
  const chat = path.basename(chatDir) || 'unknown';
  const project = path.basename(projectDir) || 'unknown';
  const channel = path.basename(path.dirname(path.dirname(projectDir))) || 'manicode';
  return { chat, project, session: `${channel}/${project}/${chat}` };
}

/** `chats/<chat id>/chat-messages.json`: the chat's messages, rewritten whole after each turn. */
export const codebuffChatParser: WholeFileParser = {
  kind: 'whole',
  source: 'codebuff',
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const messages = parseJsonLine(text, context);
    if (!Array.isArray(messages)) return [];
    const names = chatNames(filePath);
    const projectKey = context.nameDigest(names.project);
    let fallbackTime: number | undefined;
    const usages: ParsedUsage[] = [];
    messages.forEach((entry, ordinal) => {
      const message = asRecord(entry);
      if (!message) return;
      const kind = nonEmpty(message.variant) ?? nonEmpty(message.role);
      if (kind !== 'ai' && kind !== 'agent' && kind !== 'assistant') return;
      const usage = messageUsage(message);
      if (usage.input + usage.output + usage.cacheRead + usage.cacheWrite === 0) return;
      fallbackTime ??= chatIdTime(names.chat) ?? fileTime(filePath);
      const t = messageTime(message) ?? fallbackTime;
      if (t === undefined) {
        context.reject('timestamp');
        return;
      }
      const id = nonEmpty(message.id);
      usages.push({
        key: `${names.session}:${id === undefined ? `#${ordinal}` : `id:${id}`}`,
        t,
        model: usage.model ?? UNKNOWN_MODEL,
        inputTokens: usage.input,
        outputTokens: usage.output,
        reasoningTokens: 0,
        cacheReadTokens: usage.cacheRead,
        cacheWrite5mTokens: usage.cacheWrite,
        cacheWrite1hTokens: 0,
        tokensKnown: true,
        reportedCostUSD: null,
        sessionKey: names.session,
        projectKey,
      });
    });
    return usages;
  },
};
