// Cline and its forks Roo Code and Kilo Code.
//
// Task format (`tasks/<task id>/ui_messages.json`, a JSON array rewritten as the task runs). Verified
// against cline/cline (apps/vscode/src/shared/ExtensionMessage.ts ClineMessage, ClineApiReqInfo;
// shared/messages/metrics.ts ClineMessageModelInfo; shared/getApiMetrics.ts), RooCodeInc/Roo-Code
// (packages/types/src/message.ts, vscode-extension-host.ts ClineApiReqInfo, src/core/task/Task.ts,
// src/shared/cost.ts) and Kilo-Org/kilocode (same Task.ts code, inherited from Roo):
// - one `{type: "say", say: "api_req_started", ts, text}` per model request; `text` is JSON
//   `{tokensIn, tokensOut, cacheWrites, cacheReads, cost, cancelReason, streamingFailedMessage}`, filled
//   in place when usage arrives (until then it holds only the request or `apiProtocol`);
// - Cline stamps `modelInfo: {modelId, providerId, mode}` on messages; Roo and Kilo do not log the
//   model in ui_messages.json, so their records carry `unknown`.
// - What `tokensIn` means differs:
//   Cline: the provider's input as its handler reported it, which is input without cache for
//     Anthropic, Bedrock, Vertex, OpenRouter, Cline, DeepSeek, OpenAI native and most others (its own
//     context figure adds cacheReads and cacheWrites to it). The handlers listed in
//     CACHE_INCLUSIVE_PROVIDERS pass `prompt_tokens` (or the Responses API's `input_tokens`) as
//     inputTokens and also report the cached part as cacheReadTokens (cline/cline
//     apps/vscode/src/core/api/providers/{openai,lmstudio,litellm,xai,zai,hicap,fireworks,doubao,
//     qwen,oca,openai-codex}.ts at 791d2389966d927396830470c51d456d04687b69). The message's
//     `modelInfo.providerId` (task/index.ts `say`, the `ApiProvider` id) names the handler, so for
//     those the cache reads are subtracted. Cline's SDK builds (2026-06 on) no longer write
//     ui_messages.json (sdk-task-control-coordinator.ts) and stamp no modelInfo.
//   Roo Code since 3.29.5 (RooCodeInc/Roo-Code#8954, 2025-10-31) and Kilo Code since 4.119.0
//     (2025-11-12): the whole prompt (input + cacheWrites + cacheReads) for every provider.
//     Before that: without cache for `apiProtocol: "anthropic"`, with cache for `"openai"`.
//   The record carries no version, so for Roo and Kilo: `openai` → subtract the cache; `anthropic` →
//   subtract it when tokensIn is at least the cache and the request is after the change's release
//   (a tokensIn below the cache can only be the old, cache-exclusive convention).
// - `deleted_api_reqs` (Cline) and `api_req_deleted` (Roo) aggregate requests removed by a checkpoint
//   restore. Their requests were seen (and kept) by an earlier import whenever the task was imported
//   before the restore, so they are skipped; `subagent_usage` (Cline) is skipped too, because its
//   model is unknown and subagent runs may be recorded elsewhere.
// - File edits are read by src/agentOutput/sources/cline.ts (`tool` messages) and clineSdk.ts (SDK sessions).
//
// Cline SDK sessions (`~/.cline/data/sessions/<id>/<id>.messages.json`, Cline from 2026-06): verified
// against cline/cline sdk/packages/shared/src/llms/messages.ts (MessageWithMetadata),
// sdk/packages/llms/src/providers/ai-sdk.ts (normalizeUsage) and sdk/packages/core/fixtures/session/:
// `{sessionId, messages: [{id, role, ts, modelInfo: {id, provider}, metrics: {inputTokens,
// outputTokens, cacheReadTokens, cacheWriteTokens, cost}}]}`. `inputTokens` is the AI SDK's total input
// (cache included); `metrics.reasoningTokenCount`, written only when above 0, is the part of `outputTokens` spent
// reasoning (the AI SDK's outputTokenDetails.reasoningTokens, OpenAI's reasoning_tokens: sdk/packages/agents/src/
// agent-runtime.ts usageDelta at 21cb8d25, still so in npm @cline/agents 0.0.86), kept capped at the output.
// Assistant messages marked `metadata.displayOnly` (terminal errors, @cline/core 0.0.86) carry no metrics and are
// skipped like any message without them. A legacy task resumed in the SDK gets the old task's totals stamped on its last
// assistant message, followed by a marker message; messages before the marker are skipped, since the
// task's ui_messages.json already holds them. Forks copy messages with their ids, so keys are message ids.
import { clineTaskEdits } from '../../agentOutput/sources/cline';
import { clineSdkEdits } from '../../agentOutput/sources/clineSdk';
import type { UsageSource } from '../../ledger/events';
import type { ParseContext, ParsedUsage, WholeFileParser } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, type JsonRecord, UNKNOWN_MODEL } from '../rawJson';


type TokensInConvention = 'cline' | 'roo' | 'kilo';

/** Releases after which Roo Code and Kilo Code log the whole prompt as tokensIn (see header). */
const WHOLE_PROMPT_SINCE: Record<Exclude<TokensInConvention, 'cline'>, number> = {
  roo: Date.UTC(2025, 10, 1),
  kilo: Date.UTC(2025, 10, 12),
};

/** The task folder name (a task id, e.g. epoch ms), used as session id and key prefix. */
function taskIdFromPath(filePath: string): string {
  const parts = filePath.split(/[\\/]/).filter((part) => part.length > 0);
  return parts.length >= 2 ? parts[parts.length - 2] : '';
}

function reportedCost(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}

/** Cline `ApiProvider` ids whose handlers log cache reads inside tokensIn (see header). */
const CACHE_INCLUSIVE_PROVIDERS: ReadonlySet<string> = new Set([
  'openai',
  'lmstudio',
  'litellm',
  'xai',
  'zai',
  'hicap',
  'fireworks',
  'doubao',
  'qwen',
  'oca',
  'openai-codex',
]);

function uncachedInput(info: JsonRecord, convention: TokensInConvention, t: number, providerId: string | undefined): number {
  const tokensIn = tokenCount(info.tokensIn);
  const cache = tokenCount(info.cacheReads) + tokenCount(info.cacheWrites);
  if (convention === 'cline') {
    const cacheReads = tokenCount(info.cacheReads);
    // A tokensIn below the cache reads cannot contain them: such a record is already uncached.
    const includesReads = providerId !== undefined && CACHE_INCLUSIVE_PROVIDERS.has(providerId) && tokensIn >= cacheReads;
    return includesReads ? tokensIn - cacheReads : tokensIn;
  }
  const includesCache =
    info.apiProtocol === 'openai' || (tokensIn >= cache && t >= WHOLE_PROMPT_SINCE[convention]);
  return includesCache ? Math.max(0, tokensIn - cache) : tokensIn;
}

function apiRequestKey(taskId: string, t: number): string {
  return `${taskId}:${t}`;
}

const USAGE_FIELDS = ['tokensIn', 'tokensOut', 'cacheWrites', 'cacheReads', 'cost'] as const;

function usageFromApiRequest(
  message: JsonRecord,
  convention: TokensInConvention,
  taskId: string,
  context: ParseContext,
): ParsedUsage | undefined {
  if (message.type !== 'say' || message.say !== 'api_req_started') return undefined;
  const t = parseTimestamp(message.ts);
  const text = asString(message.text);
  if (t === undefined || !text) return undefined;
  const info = asRecord(parseJsonLine(text, context));
  if (!info) return undefined;
  const hasUsage = USAGE_FIELDS.some((field) => typeof info[field] === 'number');
  const ended = typeof info.cancelReason === 'string' || typeof info.streamingFailedMessage === 'string';
  // Without usage a request still streaming is skipped (the next parse of the rewritten file has
  // it); one that ended without usage (cancelled or failed) is counted with tokens unknown.
  if (!hasUsage && !ended) return undefined;
  const modelInfo = asRecord(message.modelInfo);
  return {
    key: apiRequestKey(taskId, t),
    t,
    model: asString(modelInfo?.modelId) ?? UNKNOWN_MODEL,
    inputTokens: uncachedInput(info, convention, t, asString(modelInfo?.providerId)),
    outputTokens: tokenCount(info.tokensOut),
    reasoningTokens: 0,
    cacheReadTokens: tokenCount(info.cacheReads),
    cacheWrite5mTokens: tokenCount(info.cacheWrites),
    cacheWrite1hTokens: 0,
    tokensKnown: hasUsage,
    reportedCostUSD: reportedCost(info.cost),
    sessionKey: taskId,
    projectKey: '',
  };
}

function taskParser(source: UsageSource, convention: TokensInConvention): WholeFileParser {
  return {
    kind: 'whole',
    source,
    parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
      const messages = parseJsonLine(text, context);
      if (!Array.isArray(messages)) return [];
      const taskId = taskIdFromPath(filePath);
      const usages: ParsedUsage[] = [];
      for (const entry of messages) {
        const message = asRecord(entry);
        const usage = message && usageFromApiRequest(message, convention, taskId, context);
        if (usage) usages.push(usage);
      }
      const edits = clineTaskEdits(messages, {
        taskId,
        defaultModel: UNKNOWN_MODEL,
        logsUnifiedDiffs: source !== 'cline',
        responseKey: (ts) => apiRequestKey(taskId, ts),
      });
      for (const edit of edits) context.edit(edit);
      return usages;
    },
  };
}

/** `globalStorage/saoudrizwan.claude-dev/tasks/<id>/ui_messages.json` and `~/.cline/data/tasks/<id>/ui_messages.json`. */
export const clineTaskParser = taskParser('cline', 'cline');
/** `globalStorage/rooveterinaryinc.roo-cline/tasks/<id>/ui_messages.json`. */
export const rooCodeTaskParser = taskParser('roo-code', 'roo');
/** `globalStorage/kilocode.kilo-code/tasks/<id>/ui_messages.json`. */
export const kiloCodeTaskParser = taskParser('kilo-code', 'kilo');

/** Marker Cline's SDK appends after the messages it converted from a legacy task (legacy-task-handling.ts). */
const LEGACY_RESUME_MARKER = 'this is a legacy conversation';

function mentionsLegacyMarker(content: unknown): boolean {
  if (typeof content === 'string') return content.includes(LEGACY_RESUME_MARKER);
  if (!Array.isArray(content)) return false;
  return content.some((part) => {
    const text = asRecord(part)?.text;
    return typeof text === 'string' && text.includes(LEGACY_RESUME_MARKER);
  });
}

/** The usage key of an SDK session's assistant message: its id, else the session and its time. */
function sdkMessageKey(message: { id?: unknown; ts?: unknown }, sessionId: string): string {
  return asString(message.id) ?? `${sessionId}:${parseTimestamp(message.ts)}`;
}

/** `~/.cline/data/sessions/<id>/*.messages.json` (Cline SDK, 2026-06 and later). */
export const clineSdkSessionParser: WholeFileParser = {
  kind: 'whole',
  source: 'cline',
  // Revision 1: a message's reasoning tokens are kept (Cline SDK). Logs read before are read again once (types.ts, ParserRevision).
  revision: 1,
  parseFile(text: string, filePath: string, context: ParseContext): ParsedUsage[] {
    const file = asRecord(parseJsonLine(text, context));
    const messages = file?.messages;
    if (!file || !Array.isArray(messages)) return [];
    const sessionId = asString(file.sessionId) ?? taskIdFromPath(filePath);
    let firstOwnMessage = 0;
    messages.forEach((entry, index) => {
      if (mentionsLegacyMarker(asRecord(entry)?.content)) firstOwnMessage = index + 1;
    });
    const usages: ParsedUsage[] = [];
    for (let index = firstOwnMessage; index < messages.length; index++) {
      const message = asRecord(messages[index]);
      const metrics = asRecord(message?.metrics);
      if (!message || !metrics || message.role !== 'assistant') continue;
      const t = parseTimestamp(message.ts);
      if (t === undefined) continue;
      const cacheRead = tokenCount(metrics.cacheReadTokens);
      const cacheWrite = tokenCount(metrics.cacheWriteTokens);
      const outputTokens = tokenCount(metrics.outputTokens);
      usages.push({
        key: sdkMessageKey(message, sessionId),
        t,
        model: asString(asRecord(message.modelInfo)?.id) ?? UNKNOWN_MODEL,
        inputTokens: Math.max(0, tokenCount(metrics.inputTokens) - cacheRead - cacheWrite),
        outputTokens,
        reasoningTokens: Math.min(tokenCount(metrics.reasoningTokenCount), outputTokens),
        cacheReadTokens: cacheRead,
        cacheWrite5mTokens: cacheWrite,
        cacheWrite1hTokens: 0,
        tokensKnown: true,
        reportedCostUSD: reportedCost(metrics.cost),
        sessionKey: sessionId,
        projectKey: '',
      });
    }
    const edits = clineSdkEdits(messages.slice(firstOwnMessage), {
      sessionKey: sessionId,
      defaultModel: UNKNOWN_MODEL,
      responseKey: (message) => sdkMessageKey(message, sessionId),
    });
    for (const edit of edits) context.edit(edit);
    return usages;
  },
};
