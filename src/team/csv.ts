// The team report's rows as CSV (RFC 4180): one line per row of the report object, which already
// folds every group under k into `other`, then one line per total. Nothing else is written. Agent
// output cells are empty, not 0, where no summary of the row reports agent output (schema < 3).
import { AGENT_CHECKPOINTS } from '../agentOutput/types';
import { csvCell } from '../report/csv';
import type { UsageRow } from '../report/rows';
import type { TeamAgentOutput, TeamReportJson } from './teamReport';

const COLUMNS = [
  'date', 'kind', 'languageId', 'provider', 'source', 'model', 'developers',
  'acceptancesFull', 'acceptancesWord', 'acceptancesLine', 'acceptedChars', 'acceptedLines', 'opportunities', 'typedChars', 'aiChars',
  'retention600Known', 'retention600Chars', 'retention600Arc',
  'inputTokens', 'outputTokens', 'reasoningTokens', 'cacheReadTokens', 'cacheWriteTokens', 'costUSD', 'requests', 'requestsWithoutTokens',
  'agentOutputRequests', 'agentEdits', 'linesAdded', 'linesRemoved',
  ...AGENT_CHECKPOINTS.flatMap((checkpoint) => [`agentRetention${checkpoint}Known`, `agentRetention${checkpoint}LinesAdded`, `agentRetention${checkpoint}LinesKept`] as const),
  'wasteTokens', 'costPerKeptLineUSD',
] as const;
type Column = (typeof COLUMNS)[number];
type Line = Partial<Record<Column, string | number | null>>;

export function teamReportCsv(report: TeamReportJson): string {
  const lines: Line[] = report.rows.map((row) =>
    row.kind === 'inline'
      ? { date: row.date, kind: row.kind, languageId: row.languageId, provider: row.provider, developers: row.developers, ...inlineCells(row) }
      : { date: row.date, kind: row.kind, source: row.source, model: row.model, developers: row.developers, ...usageCells(row) },
  );
  const { inline, usage } = report.totals;
  if (inline) lines.push({ date: 'total', kind: 'inline', developers: inline.developers, ...inlineCells(inline) });
  if (usage) lines.push({ date: 'total', kind: 'usage', developers: usage.developers, ...usageCells(usage) });
  return [COLUMNS.join(','), ...lines.map((line) => COLUMNS.map((column) => csvCell(line[column])).join(','))].join('\r\n') + '\r\n';
}

function inlineCells(row: NonNullable<TeamReportJson['totals']['inline']>): Line {
  const cell = row.retention['600'];
  return {
    acceptancesFull: row.acceptances.full,
    acceptancesWord: row.acceptances.word,
    acceptancesLine: row.acceptances.line,
    acceptedChars: row.acceptedChars,
    acceptedLines: row.acceptedLines,
    opportunities: row.opportunities,
    typedChars: row.typedChars,
    aiChars: row.aiChars,
    retention600Known: cell?.known ?? 0,
    retention600Chars: cell?.chars ?? 0,
    retention600Arc: cell?.arc ?? 0,
  };
}

type UsageCellRow = Partial<TeamAgentOutput> &
  Pick<UsageRow, 'inputTokens' | 'outputTokens' | 'reasoningTokens' | 'cacheReadTokens' | 'cacheWriteTokens' | 'costUSD' | 'requests' | 'requestsWithoutTokens'>;

function usageCells(row: UsageCellRow): Line {
  return {
    ...agentCells(row),
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

function agentCells(row: Partial<TeamAgentOutput>): Line {
  if (row.agentRetention === undefined) return {};
  const retention = row.agentRetention;
  const cells: Line = {
    agentOutputRequests: row.agentOutputRequests,
    agentEdits: row.agentEdits,
    linesAdded: row.linesAdded,
    linesRemoved: row.linesRemoved,
    wasteTokens: row.wasteTokens,
    costPerKeptLineUSD: row.costPerKeptLineUSD,
  };
  for (const checkpoint of AGENT_CHECKPOINTS) {
    const cell = retention[String(checkpoint)];
    cells[`agentRetention${checkpoint}Known`] = cell?.known ?? 0;
    cells[`agentRetention${checkpoint}LinesAdded`] = cell?.linesAdded ?? 0;
    cells[`agentRetention${checkpoint}LinesKept`] = cell?.linesKept ?? 0;
  }
  return cells;
}
