// `assay report daily|monthly --csv FILE`: the report's rows for a spreadsheet (RFC 4180, CRLF), one
// line per (date, language, provider) and (date, source, model), no totals line (a spreadsheet sums,
// and a totals line would be summed twice). Column names are the report JSON's field names
// (docs/report-json.md), as in the team report's CSV, and like them are only ever added to.
import { csvCell } from '../report/csv';
import type { ReportRow } from '../report/rows';
import { roundUSD } from './rounding';

const COLUMNS = [
  'date', 'kind', 'languageId', 'provider', 'source', 'model',
  'acceptancesFull', 'acceptancesWord', 'acceptancesLine', 'acceptedChars', 'acceptedLines', 'opportunities', 'typedChars', 'aiChars',
  'retention600Known', 'retention600Chars', 'retention600Arc',
  'inputTokens', 'outputTokens', 'reasoningTokens', 'cacheReadTokens', 'cacheWriteTokens', 'costUSD', 'requests', 'requestsWithoutTokens',
  'agentEditsInEditor', 'agentCharsInEditor',
] as const;
type Column = (typeof COLUMNS)[number];

export function reportCsv(rows: readonly ReportRow[]): string {
  const lines = rows.map((row): Partial<Record<Column, string | number | null>> => {
    if (row.kind === 'usage') {
      const { date, kind, source, model, inputTokens, outputTokens, reasoningTokens, cacheReadTokens, cacheWriteTokens, requests, requestsWithoutTokens } = row;
      const costUSD = row.costUSD === null ? null : roundUSD(row.costUSD);
      return { date, kind, source, model, inputTokens, outputTokens, reasoningTokens, cacheReadTokens, cacheWriteTokens, costUSD, requests, requestsWithoutTokens };
    }
    const { date, kind, languageId, provider, acceptedChars, acceptedLines, opportunities, typedChars, aiChars, agentEditsInEditor, agentCharsInEditor } = row;
    const kept = row.retention['600'];
    return {
      date, kind, languageId, provider,
      acceptancesFull: row.acceptances.full,
      acceptancesWord: row.acceptances.word,
      acceptancesLine: row.acceptances.line,
      acceptedChars, acceptedLines, opportunities, typedChars, aiChars,
      retention600Known: kept?.known ?? 0,
      retention600Chars: kept?.chars ?? 0,
      retention600Arc: kept?.arc ?? 0,
      agentEditsInEditor,
      agentCharsInEditor,
    };
  });
  return [COLUMNS.join(','), ...lines.map((line) => COLUMNS.map((column) => csvCell(line[column])).join(','))].join('\r\n') + '\r\n';
}
