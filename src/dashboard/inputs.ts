// What the view model is built from: daily rows, and prices, seats and the value formula injected
// by the dashboard source so every figure stays a pure function of its inputs.
import type { TieredTokenCounts } from '../pricing/types';
import type { ValueEstimate, ValueInputs, ValueSettings } from '../pricing/value';
import type { ModelUsage, WhatIfResult } from '../pricing/whatIf';
import type { AgentOutputFigures, InlineRow, UsageRow } from '../report/rows';
import type { DashboardMoney } from './charts/moneyCharts';
import type { Filters, ImportSourceStatus, RangeSelection } from './protocol';

/** A priced usage row, with its tiered tokens when known so it can be priced as another model. */
export interface DashboardUsageRow extends UsageRow, AgentOutputFigures {
  tokens?: TieredTokenCounts;
}

/** The parts of the pricing module's value estimate the dashboard shows. */
export type DashboardValue = Pick<
  ValueEstimate,
  'valueUSD' | 'minutesSaved' | 'minutesSavedTyping' | 'minutesSavedResponses' | 'minutesSavedKeptLines' | 'roi' | 'retainedLinesEstimate'
>;

export interface DashboardEconomics {
  /** Seat cost attributed to one local day (monthly seat prices spread over the month's days). */
  seatCostUSD(date: string): number;
  /** The part of `seatCostUSD` paid for inline-suggestion seats (Copilot, Windsurf, Tabnine...). */
  inlineSeatCostUSD(date: string): number;
  /**
   * Sources whose usage a flat plan the user pays for already covers (a Claude Max seat covers Claude Code):
   * their API-priced tokens are what the plan's usage would have cost, not money spent on top of it.
   */
  planCoveredSources: ReadonlySet<string>;
  /** The value estimate (docs/metrics.md, Value: src/pricing/value.ts with the user's settings). */
  estimateValue(inputs: ValueInputs): DashboardValue;
  /** The value estimate's inputs, shown in its formula. */
  valueSettings: ValueSettings;
  /** Setting keys that change the value estimate. */
  valueSettingKeys: readonly string[];
  /** The same usage priced as other models (src/pricing/whatIf.ts). */
  whatIf(rows: readonly ModelUsage[]): WhatIfResult[];
  /** The price data's name for a ledger model (Pricer.normalizeModel): one name for a model's dated and undated ids. */
  priceName?(model: string): string;
}

export interface DashboardInput {
  inline: readonly InlineRow[];
  usage: readonly DashboardUsageRow[];
  economics: DashboardEconomics;
  range: RangeSelection;
  filters: Filters;
  timeZone: string;
  /** The editor's display language: the webview formats every number in it. */
  locale: string;
  now: number;
  checkpoints: readonly number[];
  captureEnabled: boolean;
  /** Ledger lines that failed validation or were torn (docs/ledger.md: reported, never dropped silently). */
  invalidLines?: number;
  /** Caveats found while loading (e.g. seat plans without a price). */
  notices?: readonly string[];
  /** Every agent tool Assay reads, found or not, with its folders and what the latest import read there. */
  importSources: readonly ImportSourceStatus[];
  /** Plans, budgets, limits and value-range settings: the money sections (charts/moneyCharts.ts) when present. */
  money?: DashboardMoney;
}

/** The checkpoint the value estimate uses (docs/metrics.md, Value). */
export const VALUE_CHECKPOINT_SECONDS = 600;
