// Continue: `${CONTINUE_GLOBAL_DIR:-~/.continue}/dev_data/<schema>/tokensGenerated.jsonl`.
// Verified against continuedev/continue (core/data/log.ts logLocalData, LOCAL_DEV_DATA_VERSION "0.2.0";
// core/util/paths.ts getDevDataFilePath; core/llm/index.ts _logEnd;
// packages/config-yaml/src/schemas/data/tokensGenerated/*):
// - one appended line per model call (chat, edit and autocomplete alike), schema 0.2.0:
//   `{eventName: "tokensGenerated", schema, timestamp (ISO), userId, userAgent, selectedProfileId,
//   model, provider, promptTokens, generatedTokens}`;
// - schema 0.1.0 lines have no timestamp and cannot be dated, so they are skipped;
// - the counts are Continue's own tokenizer estimates of the prompt and completion text, not the
//   provider's usage: no cache split and no reasoning. All of the prompt counts as uncached input.
// - There is no request id. The key is a digest of the whole line, which holds a millisecond
//   timestamp: two calls logged in the same millisecond with the same model, provider and counts
//   would count once (rare, and then an undercount, never a double count).
// `autocomplete.jsonl` in the same folder records Continue's inline completions (`accepted`), not
// model usage; it is not parsed here.
import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { LineParser, ParseContext, ParsedUsage } from '../types';
import { asRecord, asString, parseJsonLine, parseTimestamp, tokenCount, UNKNOWN_MODEL } from '../rawJson';

export type ContinueFileState = Record<string, never>;

export const continueTokensParser: LineParser<ContinueFileState> = {
  kind: 'lines',
  source: 'continue',
  storedState: z.object({}),
  initialState(): ContinueFileState {
    return {};
  },
  parseLine(line: string, _state: ContinueFileState, context: ParseContext): ParsedUsage[] {
    const record = asRecord(parseJsonLine(line, context));
    if (!record) return [];
    if (record.eventName !== undefined && record.eventName !== 'tokensGenerated') return [];
    const t = parseTimestamp(record.timestamp);
    if (t === undefined) return [];
    const promptTokens = tokenCount(record.promptTokens);
    const generatedTokens = tokenCount(record.generatedTokens);
    if (promptTokens === 0 && generatedTokens === 0) return [];
    return [{
      key: createHash('sha256').update(line.trim()).digest('hex').slice(0, 32),
      t,
      model: asString(record.model) ?? UNKNOWN_MODEL,
      inputTokens: promptTokens,
      outputTokens: generatedTokens,
      reasoningTokens: 0,
      cacheReadTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
      tokensKnown: true,
      reportedCostUSD: null,
      sessionKey: '',
      projectKey: '',
    }];
  },
};
