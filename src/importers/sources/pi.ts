// Pi (the `pi` coding agent, badlogic/pi-mono packages/coding-agent) session files. Verified against
// badlogic/pi-mono at 83378aad7e74a0e2bb8f37c007a9685fb4609d8a (packages/coding-agent/src/core/session-manager.ts,
// src/config.ts, packages/ai/src/types.ts and providers/*.ts) and the released npm packages
// @mariozechner/pi-coding-agent and @mariozechner/pi-ai 0.73.1 (dist/core/session-manager.js, dist/config.js,
// dist/main.js, dist/providers/*.js):
// - One append-only JSONL file per session, `<ISO time with ":" and "." as "-">_<session uuid>.jsonl`, in
//   `<agent dir>/sessions/--<cwd with "/", "\" and ":" as "-">--/` (`getDefaultSessionDir`); the agent dir is
//   `$PI_CODING_AGENT_DIR`, else `~/.pi/agent` (`getAgentDir`). `$PI_CODING_AGENT_SESSION_DIR` (0.73), `--session-dir`
//   or the `sessionDir` setting put the files straight into that folder instead (a folder set by a flag or a
//   setting is not visible here: add it to `assay.import.folders`).
// - The first line is the header `{type: "session", version, id, timestamp, cwd}`; every later line is an entry
//   `{type, id (8 hex digits, unique within the file), parentId, timestamp (ISO, when it was appended)}`. Version 1
//   files (no `version`) have entries without `id`, until pi opens them again and migrates them (`migrateV1ToV2`).
//   `type: "message"` entries hold `message`, and an assistant message (pi-ai `AssistantMessage`) carries `api`,
//   `provider`, `model`, `timestamp` (epoch ms) and `usage {input, output, cacheRead, cacheWrite, totalTokens,
//   cost {input, output, cacheRead, cacheWrite, total}}`, one per model call.
// - pi-ai fills `usage` per provider: `input` excludes cache reads and writes (Anthropic, Bedrock, OpenAI:
//   `prompt_tokens - cached_tokens`), `output` includes reasoning (OpenAI completions add `reasoning_tokens`,
//   Google adds `thoughtsTokenCount`), `totalTokens` counts each token once. Google's and Vertex's `input` was
//   the whole `promptTokenCount`, cached tokens included, until a later release subtracted them (0.73.1):
//   a message whose total leaves its cache reads out (`totalTokens = input + output + cacheWrite`) has them
//   inside `input`.
// - Branching a session (`createBranchedSession`) or forking it into another folder (`forkFrom`) copies its
//   entries, ids, times and usage included, into a new session file. Opening a session an older pi wrote
//   migrates it and rewrites the whole file (`_rewriteFile`, the header's `version` changes, so the import reads it
//   again from the start), giving version 1 entries ids. In both cases a copy counts once, through its message's
//   time (epoch ms) and model.
// - pi 1.x (published as @earendil-works/pi-coding-agent and pi-ai, checked at 1.6.0: dist/core/session-manager.d.ts,
//   session-manager.js appendUsage, cache-warmer.js, agent-session.js getSessionStats; pi-ai dist/types.d.ts) records
//   more model calls, which pi's own session totals add up: `{type: "usage", kind ("cache_warm"), provider, model,
//   usage}` entries; `usage` on `compaction` and `branch_summary` entries (the summary's calls, no model named); and
//   `usage` on `toolResult` messages (a tool's own calls, no model named). `usage.cacheWrite1h` is the part of
//   `cacheWrite` kept an hour, `usage.reasoning` the part of `output` spent reasoning (Anthropic's thinking_tokens,
//   OpenAI's reasoning_tokens: pi-ai api/anthropic-messages.js, openai-completions.js, openai-responses-shared.js), and
//   an assistant message's `responseModel` names the model that answered.
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL, type JsonRecord, storedDigest } from '../rawJson';

export interface PiFileState {
  /** Keyed digest of the session's id, from the file name (`<time>_<id>.jsonl`), which the header repeats. */
  session: string;
  /** Keyed digest of the session folder's name (the encoded working directory), or '' in a flat session folder. */
  project: string;
}

/** pi-ai's own cost of a call (`usage.cost.total`), which OpenClaw's transcripts carry too. */
export function reportedCost(usage: JsonRecord): number | null {
  const total = asRecord(usage.cost)?.total;
  return typeof total === 'number' && Number.isFinite(total) && total >= 0 ? total : null;
}

/** Input without cache reads, whichever convention the writing pi-ai release followed. */
export function uncachedInput(usage: JsonRecord): number {
  const input = tokenCount(usage.input);
  const cacheRead = tokenCount(usage.cacheRead);
  const total = tokenCount(usage.totalTokens);
  const cacheInsideInput = cacheRead > 0 && total > 0 && total === input + tokenCount(usage.output) + tokenCount(usage.cacheWrite);
  return cacheInsideInput ? Math.max(0, input - cacheRead) : input;
}

/** Cache writes split by retention: `cacheWrite1h` is the part of `cacheWrite` kept an hour (pi-ai 1.x). */
export function cacheWrites(usage: JsonRecord): { cacheWrite5mTokens: number; cacheWrite1hTokens: number } {
  const all = tokenCount(usage.cacheWrite);
  const hour = Math.min(all, tokenCount(usage.cacheWrite1h));
  return { cacheWrite5mTokens: all - hour, cacheWrite1hTokens: hour };
}

/** The model calls an entry records, with the model and the key of its first record (undefined: none). */
function callOf(entry: JsonRecord): { usage: JsonRecord; model: string; callTime?: string; at: unknown } | undefined {
  if (entry.type === 'message') {
    const message = asRecord(entry.message);
    const usage = asRecord(message?.usage);
    if (!message || !usage) return undefined;
    // A tool's own model calls (pi-ai 1.x ToolResultMessage.usage) name no model.
    if (message.role === 'toolResult') return { usage, model: UNKNOWN_MODEL, at: message.timestamp };
    if (message.role !== 'assistant') return undefined;
    const model = asString(message.responseModel) ?? asString(message.model) ?? UNKNOWN_MODEL;
    return { usage, model, at: message.timestamp, ...(typeof message.timestamp === 'number' ? { callTime: String(message.timestamp) } : {}) };
  }
  const usage = asRecord(entry.usage);
  if (!usage) return undefined;
  // A `usage` entry (cache warming, pi 1.x) names its model; a compaction's or branch summary's calls do not.
  if (entry.type === 'usage') return { usage, model: asString(entry.model) ?? UNKNOWN_MODEL, at: undefined };
  if (entry.type === 'compaction' || entry.type === 'branch_summary') return { usage, model: UNKNOWN_MODEL, at: undefined };
  return undefined;
}

function usageFromEntry(entry: JsonRecord, state: PiFileState, context: ParseContext): ParsedUsage | undefined {
  const call = callOf(entry);
  if (!call) return undefined;
  const { usage, model, callTime } = call;
  const outputTokens = tokenCount(usage.output);
  const t = parseTimestamp(entry.timestamp) ?? parseTimestamp(call.at);
  if (t === undefined) {
    context.reject('timestamp');
    return undefined;
  }
  const entryKey = asString(entry.id) ?? (callTime === undefined ? undefined : `t${callTime}`) ?? asString(entry.timestamp);
  if (entryKey === undefined) return undefined;
  // A branch or fork copies entries with their ids and times: a copy of an assistant call is found by its call's time
  // and model (as before pi gave entries ids), any other entry by its type, time and id.
  const assistant = entry.type === 'message' && asRecord(entry.message)?.role === 'assistant';
  const responseId = callTime !== undefined ? `${callTime}:${model}` : assistant ? undefined : `${String(entry.type)}:${String(entry.timestamp)}:${entryKey}`;
  const parsed: ParsedUsage = {
    key: `${state.session}:${entryKey}`,
    t,
    model,
    inputTokens: uncachedInput(usage),
    outputTokens,
    // pi-ai 1.x `usage.reasoning` is the part of `output` spent reasoning (left out where the provider has no split).
    reasoningTokens: Math.min(tokenCount(usage.reasoning), outputTokens),
    cacheReadTokens: tokenCount(usage.cacheRead),
    ...cacheWrites(usage),
    tokensKnown: true,
    reportedCostUSD: reportedCost(usage),
    sessionKey: state.session,
    projectKey: state.project,
    ...(responseId === undefined ? {} : { copyOf: { responseId, replay: true } }),
  };
  const counted = parsed.inputTokens + parsed.outputTokens + parsed.cacheReadTokens + parsed.cacheWrite5mTokens + parsed.cacheWrite1hTokens;
  // Failed and aborted calls are recorded with all-zero usage: no model response to count.
  return counted > 0 ? parsed : undefined;
}

/** `sessions/<encoded cwd>/<time>_<session>.jsonl` (or `<session dir>/<time>_<session>.jsonl`): append-only entries. */
export const piSessionParser: LineParser<PiFileState> = {
  kind: 'lines',
  source: 'pi-agent',
  // No revision (types.ts, ParserRevision) for the kept reasoning tokens: an earlier fix changed the response id that ties
  // a branch's copy to its original, so reading old logs again would count such copies twice.
  storedState: z.object({ session: storedDigest, project: storedDigest }),
  initialState(filePath: string, context: ParseContext): PiFileState {
    const parts = filePath.split(/[\\/]/).filter((part) => part.length > 0);
    const name = parts[parts.length - 1] ?? '';
    const stem = name.replace(/\.jsonl$/i, '');
    const separator = stem.indexOf('_');
    const folder = parts[parts.length - 2] ?? '';
    return {
      session: context.nameDigest(separator >= 0 ? stem.slice(separator + 1) : stem),
      project: /^--.*--$/.test(folder) ? context.nameDigest(folder) : '',
    };
  },
  parseLine(line: string, state: PiFileState, context: ParseContext): ParsedUsage[] {
    const entry = asRecord(parseJsonLine(line, context));
    const usage = entry && usageFromEntry(entry, state, context);
    return usage ? [usage] : [];
  },
  lineMarkers: ['"usage"'],
};
