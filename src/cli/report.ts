// `assay report daily|monthly` as a table for a terminal; the JSON form is src/report/reportJson.ts.
import type { PricedUsageRow } from '../report/rollup';
import { inlineTotals, usageTotals, type InlineTotals } from '../report/reportJson';
import type { InlineRow, UsageRow } from '../report/rows';

/** The checkpoint the table shows (the value estimate uses retention at 600 s: docs/metrics.md, Value). */
const TABLE_CHECKPOINT = '600';

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
