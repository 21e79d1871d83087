// Qwen Code (QwenLM/qwen-code) chat recordings. Not Gemini CLI's format, though forked from it: verified
// against the released bundles (npm @qwen-code/qwen-code 0.1.3, 0.5.0, 0.15.10 and 0.24.4:
// ChatRecordingService, Storage, convertOpenAIResponseToLlm, buildAnthropicUsageMetadata, the Responses
// API generator) and QwenLM/qwen-code packages/core/src/services/chatRecordingService.ts at
// 1ef5167055c937d5a87e8fe0bde5a53503f1c833:
// - Since 0.5, one append-only JSONL file per session, `<sessionId>.jsonl` (a UUID), in
//   `projects/<cwd with every non-alphanumeric character as "-">/chats/` (and `chats/archive/` once
//   archived) of the runtime folder: `~/.qwen` in 0.5; `$QWEN_RUNTIME_DIR`, else `$QWEN_HOME`, else
//   `~/.qwen` in 0.24 (a runtime folder set in Qwen's own settings is not visible here: add it to
//   `assay.import.folders`). Every record carries `uuid`, `sessionId`, `timestamp` (ISO) and `type`;
//   `type: "assistant"` records carry `model` and, when the API reported usage, `usageMetadata`: the
//   API's GenAI usage (`promptTokenCount`, `candidatesTokenCount`, `cachedContentTokenCount`,
//   `thoughtsTokenCount`, `toolUsePromptTokenCount`, `totalTokenCount`).
// - A fork (`--fork-session`, /branch: 0.24.4 SessionService.forkSession) copies the source's records into a new
//   `<sessionId>.jsonl` keeping each `uuid` (it adds `forkedFrom`), so keying by `uuid` counts the copies once.
// - A subagent's model calls are recorded only in its own transcript (its chat has no recording
//   service), `projects/<cwd>/subagents/<sessionId>/agent-<agentId>.jsonl` (0.24 agent-transcript.ts):
//   the same records with `isSidechain: true`, but an assistant record names no model (it counts as
//   an unknown, unpriced model).
// - 0.1 kept Gemini CLI's older layout, `~/.qwen/tmp/<project hash>/chats/session-<time>-<id8>.json`, one
//   JSON object `{sessionId, projectHash, startTime, lastUpdated, messages}` rewritten in place, whose
//   model messages have `type: "qwen"` (not Gemini's "gemini"), `id`, `timestamp`, `model` and `tokens`
//   `{input, output, cached, thoughts, tool, total}` holding the same GenAI counts.
// - The prompt count includes cached input (and, from Anthropic, cache writes, which are not kept
//   apart: they count as input). Whether the candidates count includes thoughts depends on the
//   backend (OpenAI-compatible and Anthropic APIs: yes; Gemini: no), so the total decides: it counts
//   thoughts once. Without a total, Qwen's own estimate applies (`candidates > thoughts` means they
//   are inside: getUsageOutputTokenCountForPromptEstimate).
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, type JsonRecord, UNKNOWN_MODEL, storedDigest } from '../rawJson';

export interface QwenFileState {
  /** Keyed digest of the project folder's name. */
  project: string;
}

/** GenAI usage counts, as one response's tokens in Assay's convention. */
interface GenAiCounts {
  prompt: number;
  candidates: number;
  cached: number;
  thoughts: number;
  tool: number;
  total: number;
}

function usageFromCounts(key: string, t: number, model: unknown, counts: GenAiCounts, sessionKey: string, projectKey: string): ParsedUsage {
  const cached = Math.min(counts.cached, counts.prompt);
  const { candidates, thoughts } = counts;
  const thoughtsOutside = counts.total > 0 ? counts.total === counts.prompt + counts.tool + candidates + thoughts : candidates <= thoughts;
  const output = thoughtsOutside ? candidates + thoughts : candidates;
  return {
    key,
    t,
    model: asString(model) ?? UNKNOWN_MODEL,
    inputTokens: counts.prompt - cached + counts.tool,
    outputTokens: output,
    reasoningTokens: Math.min(thoughts, output),
    cacheReadTokens: cached,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey,
    projectKey,
  };
}

function timeOf(value: unknown, context: ParseContext): number | undefined {
  const t = parseTimestamp(value);
  if (t === undefined) context.reject('timestamp');
  return t;
}

/** Keyed digest of the project folder above `chats/` or `subagents/` (the import state holds no names). */
function projectOf(filePath: string, context: ParseContext): string {
  const parts = filePath.split(/[\\/]/).filter((part) => part.length > 0);
  const below = Math.max(parts.lastIndexOf('chats'), parts.lastIndexOf('subagents'));
  return below > 0 ? context.nameDigest(parts[below - 1]) : '';
}

function usageFromRecord(record: JsonRecord, state: QwenFileState, context: ParseContext): ParsedUsage | undefined {
  if (record.type !== 'assistant') return undefined;
  const usage = asRecord(record.usageMetadata);
  const key = asString(record.uuid);
  if (!usage || !key) return undefined;
  const t = timeOf(record.timestamp, context);
  if (t === undefined) return undefined;
  const counts: GenAiCounts = {
    prompt: tokenCount(usage.promptTokenCount),
    candidates: tokenCount(usage.candidatesTokenCount),
    cached: tokenCount(usage.cachedContentTokenCount),
    thoughts: tokenCount(usage.thoughtsTokenCount),
    tool: tokenCount(usage.toolUsePromptTokenCount),
    total: tokenCount(usage.totalTokenCount),
  };
  return usageFromCounts(key, t, record.model, counts, asString(record.sessionId) ?? '', state.project);
}

/** `<project>/chats/[archive/]<session>.jsonl` and subagent transcripts: append-only, one record per line. */
export const qwenChatParser: LineParser<QwenFileState> = {
  kind: 'lines',
  source: 'qwen-code',
  storedState: z.object({ project: storedDigest }),
  initialState(filePath: string, context: ParseContext): QwenFileState {
    return { project: projectOf(filePath, context) };
  },
  parseLine(line: string, state: QwenFileState, context: ParseContext): ParsedUsage[] {
    const record = asRecord(parseJsonLine(line, context));
    const usage = record && usageFromRecord(record, state, context);
    return usage ? [usage] : [];
  },
  lineMarkers: ['usageMetadata'],
};

/** `tmp/<project hash>/chats/session-*.json` (0.1): the whole conversation as one object, rewritten in place. */
export const qwenSessionFileParser: WholeFileParser = {
  kind: 'whole',
  source: 'qwen-code',
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const conversation = asRecord(parseJsonLine(text, context));
    if (!conversation || !Array.isArray(conversation.messages)) return [];
    const sessionKey = asString(conversation.sessionId) ?? '';
    const project = projectOf(filePath, context);
    const usages: ParsedUsage[] = [];
    for (const entry of conversation.messages) {
      const message = asRecord(entry);
      const tokens = asRecord(message?.tokens);
      const key = asString(message?.id);
      if (!message || message.type !== 'qwen' || !tokens || !key) continue;
      const t = timeOf(message.timestamp, context);
      if (t === undefined) continue;
      const counts: GenAiCounts = {
        prompt: tokenCount(tokens.input),
        candidates: tokenCount(tokens.output),
        cached: tokenCount(tokens.cached),
        thoughts: tokenCount(tokens.thoughts),
        tool: tokenCount(tokens.tool),
        total: tokenCount(tokens.total),
      };
      usages.push(usageFromCounts(key, t, message.model, counts, sessionKey, project));
    }
    return usages;
  },
};
