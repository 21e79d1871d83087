// GitHub Copilot Chat's OpenTelemetry file output, enabled by the settings
// `github.copilot.chat.otel.enabled` + `github.copilot.chat.otel.outfile` (or the env vars
// COPILOT_OTEL_ENABLED + COPILOT_OTEL_FILE_EXPORTER_PATH); there is no default path.
// Verified against microsoft/vscode-copilot-chat (src/platform/otel/node/fileExporters.ts,
// otelServiceImpl.ts, common/otelConfig.ts, common/genAiAttributes.ts, common/genAiEvents.ts,
// prompt/node/chatMLFetcher.ts, intents/node/toolCallingLoop.ts), 2026-03:
// - spans, log records and metrics are appended to the one file, one JSON document per line. Spans
//   are the SDK's span objects passed through JSON.stringify (`name`, `attributes` as a plain object,
//   `startTime`/`endTime` as [seconds, nanoseconds], `_spanContext.{traceId, spanId}`), not OTLP JSON.
//   Later builds (fileExporters.ts `serializeSpan` at 27e0fe8fb7c1ed51821ec02acdaf9f851d75612b) write a
//   plain object instead, with `traceId`, `spanId` and `parentSpanId` at the top of the line beside
//   `resource` and `instrumentationScope`; since Copilot Chat moved into microsoft/vscode (extensions/copilot,
//   fileExporters.ts `readableSpanToJson` at 11c9eda3fb7b2a82db1daeb0ea707810532819ab) the span context's fields are at
//   the top likewise, the parent as `parentSpanContext`: all these shapes are read. OTLP JSON lines
//   (`resourceSpans[].scopeSpans[].spans[]`, as the OpenTelemetry Collector's file exporter writes) are
//   read too.
// - One `gen_ai.operation.name = "chat"` span per model call, with `gen_ai.usage.input_tokens`
//   (prompt_tokens: cached input included, as the GenAI conventions define it),
//   `gen_ai.usage.output_tokens` (reasoning included), `gen_ai.usage.cache_read.input_tokens`,
//   `gen_ai.usage.cache_creation.input_tokens`, `gen_ai.usage.reasoning_tokens`,
//   `gen_ai.response.model`, `gen_ai.request.model`, `gen_ai.response.id`,
//   `copilot_chat.chat_session_id`.
// - `invoke_agent` spans repeat the sum of their chat spans' tokens: only chat spans count.
// - Before `serializeSpan`, the exporter wrote `JSON.stringify(span)`, which is `{}` for a span whose fields
//   are private (fileExporters.spec.ts at 53ff10ca6bc845c4d745803e976760049586d788), and `{}` too when it
//   throws (safeStringify at 31acd00a86424e2ee6e980e54919cf31fbf88030): whole sessions of chat spans may be
//   lost that way. Every model call also emits a log record
//   `{hrTime, attributes: {"event.name": "gen_ai.client.inference.operation.details",
//   gen_ai.response.id, gen_ai.request.model, gen_ai.response.model, gen_ai.usage.input_tokens,
//   gen_ai.usage.output_tokens}, _body}` (genAiEvents.ts emitInferenceDetailsEvent, called from
//   chatMLFetcher.ts with the same `result.requestId` as the chat span's response id, and
//   `prompt_tokens`, cached input included, with no cache split). Those count too, as a lesser copy
//   of their chat span: the span, with its cache split, wins whenever both are in the file.
//   Log records are told apart by their `event.name` attribute and `hrTime` field.
// With captureContent on, spans also hold prompts and responses; nothing but ids, model and counts is
// read from them.
// The GitHub Copilot CLI honours the same COPILOT_OTEL_FILE_EXPORTER_PATH, so its records may share the file. They
// are left out: the CLI's own session log records the same calls (src/importers/sources/copilotCli.ts), and counted
// from both they would count twice. Its lines are told apart by what its writer puts in every record, as CLI
// 1.0.102 wrote them (test/fixtures/importers/copilot-cli/README.md) and github/docs
// content/copilot/reference/copilot-cli-reference/cli-command-reference.md at
// 046d26799c8dcf0ce012cb6f2151e1edd62e30d9 (OpenTelemetry monitoring) documents: resource `service.name`
// `github-copilot` (`OTEL_SERVICE_NAME`), instrumentation scope `github.copilot` (`COPILOT_OTEL_SOURCE_NAME`), and a
// `type` field (`span`, `metric`) that Copilot Chat's exporters never write. Copilot Chat's defaults are
// `copilot-chat` for both.
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage } from '../types';
import { asRecord, asString, parseJsonLine, tokenCount, type JsonRecord, UNKNOWN_MODEL } from '../rawJson';

export type CopilotOtelFileState = Record<string, never>;

const CLI_SERVICE_NAME = 'github-copilot';
const CLI_SCOPE_NAME = 'github.copilot';

/** Whether a resource's attributes and a scope (in either shape's spelling) are the Copilot CLI's. */
function isCliWriter(resourceAttributes: JsonRecord | undefined, scope: JsonRecord | undefined): boolean {
  return resourceAttributes?.['service.name'] === CLI_SERVICE_NAME || scope?.name === CLI_SCOPE_NAME;
}

/** A line of the file exporters' own shape (a span or log record per line) that the Copilot CLI wrote. */
function writtenByCli(record: JsonRecord): boolean {
  return typeof record.type === 'string' || isCliWriter(asRecord(asRecord(record.resource)?.attributes), asRecord(record.instrumentationScope));
}

interface SpanView {
  attributes: JsonRecord;
  spanId: string | undefined;
  traceId: string | undefined;
  endMs: number | undefined;
}

/** Epoch ms from an OpenTelemetry HrTime `[seconds, nanoseconds]`. */
function hrTimeMs(value: unknown): number | undefined {
  if (!Array.isArray(value) || value.length !== 2) return undefined;
  const [seconds, nanos] = value;
  if (typeof seconds !== 'number' || typeof nanos !== 'number' || !Number.isFinite(seconds) || !Number.isFinite(nanos)) {
    return undefined;
  }
  const ms = Math.floor(seconds * 1000 + nanos / 1e6);
  return ms > 0 ? ms : undefined;
}

/** Epoch ms from OTLP JSON's `*TimeUnixNano` (a decimal string, or a number in some writers). */
function unixNanoMs(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !/^\d{1,25}$/.test(text)) return undefined;
  const ms = Number(BigInt(text) / 1_000_000n);
  return ms > 0 ? ms : undefined;
}

/** OTLP JSON `AnyValue` → number or string (the only kinds read here). */
function otlpValue(value: unknown): unknown {
  const any = asRecord(value);
  if (!any) return undefined;
  if (typeof any.stringValue === 'string') return any.stringValue;
  if (typeof any.intValue === 'string' || typeof any.intValue === 'number') return Number(any.intValue);
  if (typeof any.doubleValue === 'number') return any.doubleValue;
  return undefined;
}

function otlpAttributes(list: unknown): JsonRecord {
  const attributes: JsonRecord = {};
  if (!Array.isArray(list)) return attributes;
  for (const item of list) {
    const attribute = asRecord(item);
    const key = asString(attribute?.key);
    if (key) attributes[key] = otlpValue(attribute?.value);
  }
  return attributes;
}

function spansOfLine(record: JsonRecord): SpanView[] {
  if (Array.isArray(record.resourceSpans)) {
    const spans: SpanView[] = [];
    for (const resourceSpans of record.resourceSpans) {
      const resourceAttributes = otlpAttributes(asRecord(asRecord(resourceSpans)?.resource)?.attributes);
      const scopes = asRecord(resourceSpans)?.scopeSpans;
      if (!Array.isArray(scopes)) continue;
      for (const scope of scopes) {
        if (isCliWriter(resourceAttributes, asRecord(asRecord(scope)?.scope))) continue;
        const list = asRecord(scope)?.spans;
        if (!Array.isArray(list)) continue;
        for (const item of list) {
          const span = asRecord(item);
          if (!span) continue;
          spans.push({
            attributes: otlpAttributes(span.attributes),
            spanId: asString(span.spanId),
            traceId: asString(span.traceId),
            endMs: unixNanoMs(span.endTimeUnixNano) ?? unixNanoMs(span.startTimeUnixNano),
          });
        }
      }
    }
    return spans;
  }
  const attributes = asRecord(record.attributes);
  if (!attributes || typeof record.name !== 'string' || 'hrTime' in record || 'event.name' in attributes) return [];
  const context = asRecord(record._spanContext) ?? asRecord(record.spanContext);
  return [{
    attributes,
    spanId: asString(record.spanId) ?? asString(context?.spanId),
    traceId: asString(record.traceId) ?? asString(context?.traceId),
    endMs: hrTimeMs(record.endTime) ?? hrTimeMs(record.startTime),
  }];
}

const INFERENCE_DETAILS = 'gen_ai.client.inference.operation.details';

/** A model call's log record: tokens with cached input inside `input`, as a replay of its chat span. */
function usageFromInferenceLog(record: JsonRecord): ParsedUsage | undefined {
  const a = asRecord(record.attributes);
  if (!a || a['event.name'] !== INFERENCE_DETAILS || !('hrTime' in record)) return undefined;
  const responseId = asString(a['gen_ai.response.id']);
  const t = hrTimeMs(record.hrTime);
  if (!responseId || t === undefined || typeof a['gen_ai.usage.input_tokens'] !== 'number') return undefined;
  const context = asRecord(record.spanContext);
  return {
    key: `log:${responseId}`,
    t,
    model: asString(a['gen_ai.response.model']) ?? asString(a['gen_ai.request.model']) ?? UNKNOWN_MODEL,
    inputTokens: tokenCount(a['gen_ai.usage.input_tokens']),
    outputTokens: tokenCount(a['gen_ai.usage.output_tokens']),
    reasoningTokens: 0,
    cacheReadTokens: 0,
    cacheWrite5mTokens: 0,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey: asString(context?.traceId) ?? '',
    projectKey: '',
    copyOf: { responseId, replay: true },
  };
}

function usageFromSpan(span: SpanView): ParsedUsage | undefined {
  const a = span.attributes;
  if (a['gen_ai.operation.name'] !== 'chat' || typeof a['gen_ai.usage.input_tokens'] !== 'number') return undefined;
  const key = asString(a['gen_ai.response.id']) ?? span.spanId;
  if (!key || span.endMs === undefined) return undefined;
  const input = tokenCount(a['gen_ai.usage.input_tokens']);
  const cacheRead = Math.min(tokenCount(a['gen_ai.usage.cache_read.input_tokens']), input);
  const cacheWrite = Math.min(tokenCount(a['gen_ai.usage.cache_creation.input_tokens']), input - cacheRead);
  const output = tokenCount(a['gen_ai.usage.output_tokens']);
  return {
    key,
    t: span.endMs,
    model: asString(a['gen_ai.response.model']) ?? asString(a['gen_ai.request.model']) ?? UNKNOWN_MODEL,
    inputTokens: input - cacheRead - cacheWrite,
    outputTokens: output,
    reasoningTokens: Math.min(tokenCount(a['gen_ai.usage.reasoning_tokens']), output),
    cacheReadTokens: cacheRead,
    cacheWrite5mTokens: cacheWrite,
    cacheWrite1hTokens: 0,
    tokensKnown: true,
    reportedCostUSD: null,
    sessionKey:
      asString(a['copilot_chat.chat_session_id']) ?? asString(a['gen_ai.conversation.id']) ?? span.traceId ?? '',
    projectKey: '',
    ...(asString(a['gen_ai.response.id']) ? { copyOf: { responseId: key, replay: false } } : {}),
  };
}

/** The file named by `github.copilot.chat.otel.outfile`: spans, logs and metrics, one per line. */
export const copilotChatOtelParser: LineParser<CopilotOtelFileState> = {
  kind: 'lines',
  source: 'copilot-chat',
  storedState: z.object({}),
  initialState(): CopilotOtelFileState {
    return {};
  },
  parseLine(line: string, _state: CopilotOtelFileState, context: ParseContext): ParsedUsage[] {
    const record = asRecord(parseJsonLine(line, context));
    if (!record || writtenByCli(record)) return [];
    const logged = usageFromInferenceLog(record);
    if (logged) return [logged];
    const usages: ParsedUsage[] = [];
    for (const span of spansOfLine(record)) {
      const usage = usageFromSpan(span);
      if (usage) usages.push(usage);
    }
    return usages;
  },
};
