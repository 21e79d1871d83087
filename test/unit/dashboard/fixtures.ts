// Builders for dashboard view-model tests: rows as the daily rollup produces them.
import { emptyAgentFigures, emptyInlineRow } from '../../../src/report/rollup';
import type { InlineRow, RetentionCell } from '../../../src/report/rows';
import type { Pricer, TieredTokenCounts } from '../../../src/pricing/types';
import { estimateValue } from '../../../src/pricing/value';
import { whatIfCost } from '../../../src/pricing/whatIf';
import type { DashboardEconomics, DashboardInput, DashboardUsageRow } from '../../../src/dashboard/inputs';
import { NO_FILTERS, type RichText } from '../../../src/dashboard/protocol';
import { Formatter } from '../../../src/report/format';

export function inlineRow(date: string, overrides: Partial<InlineRow> = {}): InlineRow {
  return { ...emptyInlineRow(date, 'typescript', 'copilot'), retention: {}, ...overrides };
}

export function cell(known: number, chars: number, arc: number, unchanged = 0, mostlyRetained = 0): RetentionCell {
  return { known, chars, arc, unchanged, mostlyRetained };
}

export function tiered(inputTokens: number, outputTokens: number): TieredTokenCounts {
  const zero = { inputTokens: 0, outputTokens: 0, reasoningTokens: 0, cacheReadTokens: 0, cacheWrite5mTokens: 0, cacheWrite1hTokens: 0 };
  return { standard: { ...zero, inputTokens, outputTokens }, longContext: zero };
}

export function usageRow(date: string, overrides: Partial<DashboardUsageRow> = {}): DashboardUsageRow {
  const row: DashboardUsageRow = {
    date,
    kind: 'usage',
    source: 'claude-code',
    model: 'claude-sonnet-4',
    inputTokens: 1000,
    outputTokens: 500,
    reasoningTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUSD: 1,
    requests: 1,
    requestsWithoutTokens: 0,
    ...emptyAgentFigures(),
    ...overrides,
  };
  return { tokens: tiered(row.inputTokens, row.outputTokens), ...row };
}

/** $2 per 1,000 input+output tokens on claude-sonnet-4, $1 on cheap-model; other models have no price. */
const PER_THOUSAND: Record<string, number> = { 'claude-sonnet-4': 2, 'cheap-model': 1 };
export const pricer: Pricer = {
  normalizeModel: (model) => (model in PER_THOUSAND ? model : 'other'),
  costUSD: (model, tokens) =>
    model in PER_THOUSAND ? ((tokens.standard.inputTokens + tokens.standard.outputTokens) / 1000) * PER_THOUSAND[model] : null,
};

export const VALUE_SETTINGS = { typingCharsPerMinute: 200, minutesPerResponse: 1, minutesPerKeptLine: 0.5, hourlyCostUSD: 60 };

export const economics: DashboardEconomics = {
  seatCostUSD: () => 0,
  inlineSeatCostUSD: () => 0,
  planCoveredSources: new Set(),
  estimateValue: (inputs) => estimateValue(inputs, VALUE_SETTINGS),
  valueSettings: VALUE_SETTINGS,
  valueSettingKeys: ['assay.value.hourlyCostUSD'],
  whatIf: (rows) => ['cheap-model', 'no-price-model'].map((model) => whatIfCost(rows, model, pricer)),
};

// 2024-03-10 12:00 UTC.
export const NOON_UTC = Date.UTC(2024, 2, 10, 12, 0, 0);

export function input(overrides: Partial<DashboardInput> = {}): DashboardInput {
  return {
    inline: [],
    usage: [],
    economics,
    range: { preset: '7d' },
    filters: NO_FILTERS,
    timeZone: 'UTC',
    locale: 'en-US',
    now: NOON_UTC,
    checkpoints: [30, 120, 300, 600, 900],
    captureEnabled: true,
    importSources: [],
    ...overrides,
  };
}

const EN_US = new Formatter('en-US');

/** A card detail, notice or formula as an en-US reader sees it. */
export function plain(text: RichText): string {
  return EN_US.text(text);
}
