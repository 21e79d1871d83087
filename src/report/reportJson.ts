// The report JSON contract (`assay report daily|monthly --json`, the team report's totals).
//
// JSON (docs/report-json.md): {"rows":[...],"totals":{...}}. `rows` are InlineRow and UsageRow
// objects (src/report/rows.ts) sorted by date, then kind (inline before usage), then keys
// (languageId, provider / source, model); monthly rows are dated YYYY-MM. `totals` is
// {"inline": the InlineRow figures summed over inline rows (retention cells summed per
// checkpoint), "usage": the UsageRow figures summed over usage rows, where `costUSD` sums the
// priced rows only and `unpricedRequests` counts the requests of rows whose cost is null, plus the
// agent output figures summed, retention cells per checkpoint}.
import { addAgentFigures, addInlineRow, compareText, emptyAgentFigures, emptyInlineRow } from './rollup';
import type { PricedUsageRow } from './rollup';
import type { AgentOutputFigures, InlineRow, ReportRow, ReportUsageRow, UsageRow } from './rows';

export type InlineTotals = Omit<InlineRow, 'date' | 'kind' | 'languageId' | 'provider'>;

export interface UsageTotals {
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  /** Sum over priced rows. */
  costUSD: number;
  requests: number;
  requestsWithoutTokens: number;
  /** Requests in rows whose cost is null (model unpriced, or no tokens logged). */
  unpricedRequests: number;
}

export interface ReportJson {
  /** Usage rows are ReportUsageRow: UsageRow plus agent output. */
  rows: ReportRow[];
  totals: { inline: InlineTotals; usage: UsageTotals & AgentOutputFigures };
}

/** Usage rows without agent output (built elsewhere, e.g. from team summaries) report none. */
type ReportableUsageRow = PricedUsageRow & Partial<AgentOutputFigures>;

export function reportJson(inline: readonly InlineRow[], usage: readonly ReportableUsageRow[]): ReportJson {
  const usageRows = usage.map(toUsageRow);
  const rows: ReportRow[] = [...inline, ...usageRows];
  rows.sort((a, b) => compareText(a.date, b.date) || compareText(a.kind, b.kind) || compareText(rowKeys(a), rowKeys(b)));
  const agent = emptyAgentFigures();
  for (const row of usageRows) addAgentFigures(agent, row);
  return { rows, totals: { inline: inlineTotals(inline), usage: { ...usageTotals(usage), ...agent } } };
}

function toUsageRow(row: ReportableUsageRow): ReportUsageRow {
  return {
    date: row.date,
    kind: 'usage',
    source: row.source,
    model: row.model,
    inputTokens: row.inputTokens,
    outputTokens: row.outputTokens,
    reasoningTokens: row.reasoningTokens,
    cacheReadTokens: row.cacheReadTokens,
    cacheWriteTokens: row.cacheWriteTokens,
    costUSD: row.costUSD,
    requests: row.requests,
    requestsWithoutTokens: row.requestsWithoutTokens,
    agentEdits: row.agentEdits ?? 0,
    linesAdded: row.linesAdded ?? 0,
    linesRemoved: row.linesRemoved ?? 0,
    agentRetention: row.agentRetention ?? {},
    wasteTokens: row.wasteTokens ?? 0,
  };
}

export function inlineTotals(rows: readonly InlineRow[]): InlineTotals {
  const total = emptyInlineRow('', '', '');
  for (const row of rows) addInlineRow(total, row);
  const { date: _date, kind: _kind, languageId: _languageId, provider: _provider, ...figures } = total;
  return figures;
}

function emptyUsageTotals(): UsageTotals {
  return {
    inputTokens: 0,
    outputTokens: 0,
    reasoningTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUSD: 0,
    requests: 0,
    requestsWithoutTokens: 0,
    unpricedRequests: 0,
  };
}

export function usageTotals(rows: readonly UsageRow[]): UsageTotals {
  const total = emptyUsageTotals();
  for (const row of rows) {
    total.inputTokens += row.inputTokens;
    total.outputTokens += row.outputTokens;
    total.reasoningTokens += row.reasoningTokens;
    total.cacheReadTokens += row.cacheReadTokens;
    total.cacheWriteTokens += row.cacheWriteTokens;
    total.requests += row.requests;
    total.requestsWithoutTokens += row.requestsWithoutTokens;
    if (row.costUSD === null) total.unpricedRequests += row.requests;
    else total.costUSD += row.costUSD;
  }
  return total;
}

function rowKeys(row: ReportRow): string {
  return row.kind === 'inline' ? `${row.languageId}\u0000${row.provider}` : `${row.source}\u0000${row.model}`;
}
