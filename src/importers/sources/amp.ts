// Amp (Sourcegraph's, later Amp Inc.'s coding agent) thread files. Amp's source is closed; verified against the
// JavaScript of its released CLI (npm @sourcegraph/amp 0.0.1769314944-g5070a1, dist/main.js) and against the
// reader ccusage 20.0.24 uses (ryoppippi/ccusage rust/crates/ccusage/src/adapter/amp/{paths,loader,parser}.rs at
// 5816e640e8824986f33427203da164b01394a161, 20.0.11; the 20.0.24 binary reads the fixtures the same way):
// - One JSON object per thread, `<data>/threads/<thread id>.json` (`T-<uuid>`), `<data>` being
//   `${XDG_DATA_HOME:-~/.local/share}/amp` (V_4); the whole thread is rewritten on every change
//   (`JSON.stringify(thread, null, 2)` to `<id>.json.amptmp`, then renamed over the file). ccusage reads
//   `threads/**/*.json` below `$AMP_DATA_DIR` (a comma list) or else `~/.local/share/amp`. Amp builds from April
//   2026 on keep threads on Amp's server and write no such file (0.0.1775390627-g406649 keeps only its session state
//   in that folder): only older threads are on disk.
// - The thread carries `id`, `env.initial.trees[].uri` (the workspace folders) and `messages`; every message gets
//   `messageId` from the thread's `nextMessageId` counter, never reused. An assistant message's `usage` is
//   `{model, inputTokens, outputTokens, cacheCreationInputTokens, cacheReadInputTokens, totalInputTokens,
//   timestamp (ISO)}`, one per model call, filled per provider: from Anthropic, `input_tokens` (cache excluded) and
//   the cache counts as the API gives them; from OpenAI and Gemini, `inputTokens: 0`, the cached prompt as cache
//   reads and the rest of the prompt as "cache creation" (no cache was written: counted here as input); output
//   includes reasoning. OpenAI Responses usage names no model: ccusage skips a record without a model; here it
//   counts as an unknown, unpriced model.
// - Threads written before mid-January 2026 also hold `usageLedger.events[]` `{id, timestamp, model, credits,
//   tokens{input, output}, fromMessageId, toMessageId}`; where present, ccusage reads only those events, with the
//   cache counts of the message `toMessageId` names, and so does this parser. A usage that gives only a
//   `totalTokens` (or `tokens.total`) counts the part its other fields leave out as output when output is missing,
//   as ccusage does. Amp's `credits` are not read as a cost: their price in dollars is not in the file.
import type { ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL, type JsonRecord } from '../rawJson';

interface ThreadKeys {
  thread: string;
  project: string;
}

interface Counts {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

/** A total the split counts leave a part of: that part is output when output is missing (ccusage's fallback). */
function withTotal(counts: Counts, total: number): Counts {
  const missing = total - (counts.input + counts.output + counts.cacheRead + counts.cacheWrite);
  return counts.output === 0 && missing > 0 ? { ...counts, output: missing } : counts;
}

/** Epoch ms of a record, counting a record without a readable time as rejected. */
function timeOf(value: unknown, context: ParseContext): number | undefined {
  const t = parseTimestamp(value);
  if (t === undefined) context.reject('timestamp');
  return t;
}

function usageOf(key: string, t: number, model: string, counts: Counts, keys: ThreadKeys): ParsedUsage | undefined {
  // Failed and cancelled calls record all-zero usage: no model response to count.
  if (counts.input + counts.output + counts.cacheRead + counts.cacheWrite === 0) return undefined;
  return {
    key: `${keys.thread}:${key}`,
    t,
    model,
    inputTokens: counts.input,
    outputTokens: counts.output,
    reasoningTokens: 0,
    cacheReadTokens: counts.cacheRead,
    cacheWrite5mTokens: counts.cacheWrite,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey: keys.thread,
    projectKey: keys.project,
  };
}

const messageKey = (message: JsonRecord, index: number) =>
  typeof message.messageId === 'number' ? `m${message.messageId}` : `i${index}`;

function fromMessages(messages: unknown[], keys: ThreadKeys, context: ParseContext): ParsedUsage[] {
  const usages: ParsedUsage[] = [];
  messages.forEach((entry, index) => {
    const message = asRecord(entry);
    const usage = asRecord(message?.usage);
    if (!message || message.role !== 'assistant' || !usage) return;
    const t = timeOf(usage.timestamp ?? message.timestamp, context);
    if (t === undefined) return;
    const model = asString(usage.model) ?? asString(message.model) ?? UNKNOWN_MODEL;
    const written = tokenCount(usage.cacheCreationInputTokens);
    // Amp's OpenAI and Gemini usage put the uncached prompt in `cacheCreationInputTokens` beside `inputTokens: 0`.
    const uncachedAsCreation = usage.inputTokens === 0 && !/claude/i.test(model);
    const counts: Counts = {
      input: uncachedAsCreation ? written : tokenCount(usage.inputTokens),
      output: tokenCount(usage.outputTokens),
      cacheRead: tokenCount(usage.cacheReadInputTokens),
      cacheWrite: uncachedAsCreation ? 0 : written,
    };
    const parsed = usageOf(messageKey(message, index), t, model, withTotal(counts, tokenCount(usage.totalTokens)), keys);
    if (parsed) usages.push(parsed);
  });
  return usages;
}

function fromLedger(events: unknown[], messages: unknown[], keys: ThreadKeys, context: ParseContext): ParsedUsage[] {
  const cacheByMessage = new Map<number, JsonRecord>();
  for (const entry of messages) {
    const message = asRecord(entry);
    const usage = asRecord(message?.usage);
    if (message?.role === 'assistant' && typeof message.messageId === 'number' && usage) cacheByMessage.set(message.messageId, usage);
  }
  const usages: ParsedUsage[] = [];
  events.forEach((entry, index) => {
    const event = asRecord(entry);
    const tokens = asRecord(event?.tokens);
    if (!event || !tokens) return;
    const t = timeOf(event.timestamp, context);
    if (t === undefined) return;
    const cache = typeof event.toMessageId === 'number' ? cacheByMessage.get(event.toMessageId) : undefined;
    const counts: Counts = {
      input: tokenCount(tokens.input),
      output: tokenCount(tokens.output),
      cacheRead: tokenCount(cache?.cacheReadInputTokens),
      cacheWrite: tokenCount(cache?.cacheCreationInputTokens),
    };
    const key = asString(event.id) === undefined ? `i${index}` : `e${event.id as string}`;
    const parsed = usageOf(key, t, asString(event.model) ?? UNKNOWN_MODEL, withTotal(counts, tokenCount(tokens.total)), keys);
    if (parsed) usages.push(parsed);
  });
  return usages;
}

/** Keyed digest of the thread's first workspace folder (a `file://` URI), or '' when it names none. */
function projectOf(thread: JsonRecord, context: ParseContext): string {
  const trees = asRecord(asRecord(thread.env)?.initial)?.trees;
  const uri = Array.isArray(trees) ? asString(asRecord(trees[0])?.uri) : undefined;
  return uri === undefined ? '' : context.nameDigest(uri);
}

/** `threads/<thread id>.json`: one thread, rewritten whole on every change. */
export const ampThreadParser: WholeFileParser = {
  kind: 'whole',
  source: 'amp',
  parseFile(text: string, _filePath: string, context: ParseContext): ParsedUsage[] {
    const thread = asRecord(parseJsonLine(text, context));
    const id = asString(thread?.id);
    // ccusage reads no file without a thread id: other JSON kept beside the threads.
    if (!thread || id === undefined) return [];
    const keys: ThreadKeys = { thread: id, project: projectOf(thread, context) };
    const messages = Array.isArray(thread.messages) ? thread.messages : [];
    const events = asRecord(thread.usageLedger)?.events;
    return Array.isArray(events) ? fromLedger(events, messages, keys, context) : fromMessages(messages, keys, context);
  },
};
