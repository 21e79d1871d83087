// `assay report daily|monthly`: the ledger's rows as JSON or as a table.
//
// JSON (docs/report-json.md): {"rows":[...],"totals":{...}}. `rows` are InlineRow and UsageRow
// objects (src/report/rows.ts) sorted by date, then kind (inline before usage), then keys
// (languageId, provider / source, model); monthly rows are dated YYYY-MM. `totals` is
// {"inline": the InlineRow figures summed over inline rows (retention cells summed per
// checkpoint), "usage": the UsageRow figures summed over usage rows, where `costUSD` sums the
// priced rows only and `unpricedRequests` counts the requests of rows whose cost is null}.
import { addInlineRow, compareText, emptyInlineRow } from '../report/rollup';
import type { PricedUsageRow } from '../report/rollup';
import type { InlineRow, ReportRow, UsageRow } from '../report/rows';

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
  rows: ReportRow[];
  totals: { inline: InlineTotals; usage: UsageTotals };
}

/** The checkpoint the table shows (the value estimate uses retention at 600 s: docs/metrics.md, Value). */
const TABLE_CHECKPOINT = '600';

export function reportJson(inline: readonly InlineRow[], usage: readonly PricedUsageRow[]): ReportJson {
  const rows: ReportRow[] = [...inline, ...usage.map(toUsageRow)];
  rows.sort((a, b) => compareText(a.date, b.date) || compareText(a.kind, b.kind) || compareText(rowKeys(a), rowKeys(b)));
  return { rows, totals: { inline: inlineTotals(inline), usage: usageTotals(usage) } };
}

export function reportTable(inline: readonly InlineRow[], usage: readonly PricedUsageRow[]): string {
  const totals = { inline: inlineTotals(inline), usage: usageTotals(usage) };
  const sections: string[] = [];

  const inlineHeader = ['Date', 'Language', 'Provider', 'Accepts', 'AI chars', 'AI lines', 'Requests', 'Typed', 'AI share', 'Kept 10 min'];
  const inlineLine = (label: string[], row: InlineTotals) => [
    ...label,
    number(row.acceptances.full + row.acceptances.word + row.acceptances.line),
    number(row.aiChars),
    number(row.acceptedLines),
    number(row.opportunities),
    number(row.typedChars),
    ratio(row.aiChars, row.aiChars + row.typedChars),
    row.retention[TABLE_CHECKPOINT] ? ratio(row.retention[TABLE_CHECKPOINT].arc, row.retention[TABLE_CHECKPOINT].chars) : '–',
  ];
  sections.push(
    'Inline suggestions',
    inline.length === 0
      ? '  (none in this range)'
      : alignColumns(inlineHeader, [
          ...inline.map((row) => inlineLine([row.date, row.languageId, row.provider], row)),
          inlineLine(['Total', '', ''], totals.inline),
        ], 3),
    '',
  );

  const usageHeader = ['Date', 'Source', 'Model', 'Requests', 'Input', 'Output', 'Cache read', 'Cache write', 'Cost'];
  const usageLine = (label: string[], row: Omit<UsageRow, 'date' | 'kind' | 'source' | 'model'>) => [
    ...label,
    number(row.requests),
    number(row.inputTokens),
    number(row.outputTokens),
    number(row.cacheReadTokens),
    number(row.cacheWriteTokens),
    row.costUSD === null ? 'unpriced' : `$${row.costUSD.toFixed(2)}`,
  ];
  sections.push(
    'Chat and agent usage',
    usage.length === 0
      ? '  (none in this range)'
      : alignColumns(usageHeader, [
          ...usage.map((row) => usageLine([row.date, row.source, row.model], row)),
          usageLine(['Total', '', ''], totals.usage),
        ], 3),
  );
  if (totals.usage.unpricedRequests > 0) {
    sections.push(`  ${number(totals.usage.unpricedRequests)} requests are unpriced and not in the total cost.`);
  }
  if (totals.usage.requestsWithoutTokens > 0) {
    sections.push(`  ${number(totals.usage.requestsWithoutTokens)} requests were logged without token counts.`);
  }
  return `${sections.join('\n')}\n`;
}

function toUsageRow(row: PricedUsageRow): UsageRow {
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
  };
}

function inlineTotals(rows: readonly InlineRow[]): InlineTotals {
  const total = emptyInlineRow('', '', '');
  for (const row of rows) addInlineRow(total, row);
  const { date: _date, kind: _kind, languageId: _languageId, provider: _provider, ...figures } = total;
  return figures;
}

export function emptyUsageTotals(): UsageTotals {
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

function usageTotals(rows: readonly UsageRow[]): UsageTotals {
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


function number(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function ratio(part: number, whole: number): string {
  return whole > 0 ? `${((part / whole) * 100).toFixed(1)}%` : '–';
}

/** Left-aligns the first `textColumns` columns and right-aligns the numbers after them. */
function alignColumns(header: string[], rows: string[][], textColumns: number): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    `  ${cells.map((cell, column) => (column < textColumns ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ').trimEnd()}`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
