// Log records shaped as the tools write them (sources in src/money/limits.ts), and daily rows for the money tests.
import type { InlineRow, UsageRow } from '../../../src/report/rows';

/** Codex ≥ PR #5304 (2025-10-17): `resets_at` in Unix seconds; later builds add the limit and plan fields. */
export function codexTokenCountLine(
  timestamp: string,
  rateLimits: Record<string, unknown> | null,
): Record<string, unknown> {
  return {
    timestamp,
    type: 'event_msg',
    payload: {
      type: 'token_count',
      info: {
        total_token_usage: { input_tokens: 51234, cached_input_tokens: 40960, output_tokens: 1880, reasoning_output_tokens: 1024, total_tokens: 53114 },
        last_token_usage: { input_tokens: 12034, cached_input_tokens: 11776, output_tokens: 412, reasoning_output_tokens: 256, total_tokens: 12446 },
        model_context_window: 258400,
      },
      rate_limits: rateLimits,
    },
  };
}

/** RateLimitWindow as serde writes it (every Option field present, null when None). */
export function codexWindow(usedPercent: number, windowMinutes: number | null, resetsAtSeconds: number | null): Record<string, unknown> {
  return { used_percent: usedPercent, window_minutes: windowMinutes, resets_at: resetsAtSeconds };
}

/** RateLimitSnapshot of codex-rs/protocol/src/protocol.rs at edb4efee49ae9f130636fab25f2e398a931dd987. */
export function codexSnapshot(primary: unknown, secondary: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    limit_id: 'codex',
    limit_name: null,
    primary,
    secondary,
    credits: { has_credits: false, unlimited: false, balance: null },
    plan_type: 'plus',
    rate_limit_reached_type: null,
    ...extra,
  };
}

/**
 * Claude Code's line for a request a subscription limit stopped, as ccusage's test writes it
 * (rust/crates/ccusage/src/main.rs at 5816e640e8824986f33427203da164b01394a161), with the fields a transcript has.
 */
export function claudeLimitLine(timestamp: string, text: string, isApiErrorMessage: boolean | 'absent' = true): Record<string, unknown> {
  return {
    parentUuid: 'b7f1a3c2-0000-4000-8000-000000000001',
    isSidechain: false,
    userType: 'external',
    cwd: '/home/dev/secret-project',
    sessionId: 'session-0001',
    version: '1.0.98',
    type: 'assistant',
    uuid: 'c0ffee00-0000-4000-8000-000000000002',
    timestamp,
    ...(isApiErrorMessage === 'absent' ? {} : { isApiErrorMessage }),
    message: {
      id: 'msg_limit',
      type: 'message',
      role: 'assistant',
      model: '<synthetic>',
      content: [{ type: 'text', text }],
      stop_reason: 'stop_sequence',
      stop_sequence: '',
      usage: { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    },
  };
}

export function usageRow(date: string, source: string, model: string, costUSD: number | null, requests = 1, requestsWithoutTokens = 0): UsageRow {
  return {
    date,
    kind: 'usage',
    source,
    model,
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUSD,
    requests,
    requestsWithoutTokens,
  };
}

export function inlineRow(
  date: string,
  languageId: string,
  figures: { provider?: string; opportunities?: number; acceptances?: number; arc600?: number } = {},
): InlineRow {
  const acceptances = figures.acceptances ?? 0;
  return {
    date,
    kind: 'inline',
    languageId,
    provider: figures.provider ?? 'copilot',
    acceptances: { full: acceptances, word: 0, line: 0 },
    acceptedChars: 0,
    acceptedLines: 0,
    opportunities: figures.opportunities ?? 0,
    typedChars: 0,
    aiChars: 0,
    agentEditsInEditor: 0,
    agentCharsInEditor: 0,
    retention: figures.arc600 === undefined ? {} : { '600': { known: 1, chars: figures.arc600, arc: figures.arc600, unchanged: 1, mostlyRetained: 1 } },
  };
}

/** Floats compared up to the rounding of a short sum of products. */
export function close(actual: number | null | undefined, expected: number): boolean {
  return typeof actual === 'number' && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
}
