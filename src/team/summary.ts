// Builds one developer's team summary from the daily report's rows: the same figures,
// categorical values re-checked against the allowlists (rows whose model falls to `other` merge),
// under an id that is stable within a team and unlinkable across teams.
import { createHmac } from 'node:crypto';
import { opaqueId } from '../privacy/opaqueId';
import { allowLanguageId, allowProvider } from '../privacy/allowlists';
import { addTiered } from '../pricing/tiers';
import type { ResolvedSeat } from '../pricing/seats';
import { addAgentFigures, addInlineRow, compareText, emptyAgentFigures, emptyInlineRow, sumTiers } from '../report/rollup';
import type { PricedAgentUsageRow } from '../report/rollup';
import type { AgentOutputFigures, InlineRow } from '../report/rows';
import {
  allowSeatPlan,
  exportedSummaryModel,
  allowSummarySource,
  DEVELOPER_ID_LENGTH,
  SUMMARY_SCHEMA_VERSION,
  TeamSummaryLine,
} from './summarySchema';
import type { ExportLine, InlineLine, SummarySource, UsageLine } from './summarySchema';
import type { TieredTokenCounts } from '../pricing/types';

/** Label of the install id's HMAC: the id is derived from the ledger's import id key, never equal to an id in the ledger. */
const INSTALL_ID_LABEL = 'assay team summary install id v1';

/** The per-install id behind every team developer id, from the ledger's import id key (src/importers/importSecret.ts). */
export function installIdFromImportSecret(importSecret: string): string {
  return createHmac('sha256', importSecret).update(INSTALL_ID_LABEL).digest('hex');
}

/** HMAC-SHA256(team key, install id), truncated: the same install gives the same id in one team and unrelated ids in two. */
export function teamDeveloperId(teamKey: string, installId: string): string {
  return opaqueId(teamKey, installId).slice(0, DEVELOPER_ID_LENGTH);
}

/** A seat as a summary lists it: a plan the editor's settings resolved, or one an earlier summary listed. */
export type SummarySeat = Pick<ResolvedSeat, 'plan' | 'monthlyUSD' | 'count'>;

export interface BuildTeamSummaryInput {
  /** Daily inline rows (one time zone), e.g. filterRollup(loadDailyRollup(...)).inline. */
  inline: readonly InlineRow[];
  /** Daily usage rows priced on this machine, with their agent output (priceUsageRows). */
  usage: readonly PricedAgentUsageRow[];
  seats: readonly SummarySeat[];
  developerId: string;
  /** Days the file speaks for, inclusive: a later file covering a day replaces this one's figures for it. */
  since: string;
  until: string;
  /** When the file is made; defaults to now. */
  exportedAt?: Date;
}

/** The file's lines: the export line, then inline and usage lines sorted by date and keys. Rows outside since..until are left out. */
export function buildTeamSummary(input: BuildTeamSummaryInput): TeamSummaryLine[] {
  const inRange = (date: string) => date >= input.since && date <= input.until;
  const header: ExportLine = {
    schema: SUMMARY_SCHEMA_VERSION,
    kind: 'export',
    developer: input.developerId,
    since: input.since,
    until: input.until,
    exportedAt: `${(input.exportedAt ?? new Date()).toISOString().slice(0, 19)}Z`,
    seats: input.seats.map((seat) => ({ plan: allowSeatPlan(seat.plan), monthlyUSD: seat.monthlyUSD, count: seat.count })),
  };

  const inline = new Map<string, InlineRow>();
  for (const row of input.inline) {
    if (!inRange(row.date)) continue;
    const languageId = allowLanguageId(row.languageId);
    const provider = allowProvider(row.provider);
    const key = `${row.date}\u0000${languageId}\u0000${provider}`;
    let target = inline.get(key);
    if (!target) {
      target = emptyInlineRow(row.date, languageId, provider);
      inline.set(key, target);
    }
    addInlineRow(target, row);
  }

  const usage = new Map<string, UsageParts>();
  for (const row of input.usage) {
    if (!inRange(row.date)) continue;
    const source = allowSummarySource(row.source);
    const model = exportedSummaryModel(row.model);
    const key = `${row.date}\u0000${source}\u0000${model}`;
    let target = usage.get(key);
    if (!target) {
      target = { date: row.date, source, model, tokens: row.tokens, costUSD: row.costUSD, requests: row.requests, requestsWithoutTokens: row.requestsWithoutTokens, agent: emptyAgentFigures() };
      addAgentFigures(target.agent, row);
      usage.set(key, target);
      continue;
    }
    // Two models that both became `other`: the cost stays null only when no part of the row is priced.
    target.costUSD = target.costUSD === null ? row.costUSD : row.costUSD === null ? target.costUSD : target.costUSD + row.costUSD;
    target.tokens = addTiered(target.tokens, row.tokens);
    target.requests += row.requests;
    target.requestsWithoutTokens += row.requestsWithoutTokens;
    addAgentFigures(target.agent, row);
  }

  const inlineLines: InlineLine[] = [...inline.values()].map((row) => ({
    schema: SUMMARY_SCHEMA_VERSION,
    kind: 'inline',
    developer: input.developerId,
    date: row.date,
    languageId: row.languageId,
    provider: row.provider,
    acceptances: { ...row.acceptances },
    acceptedChars: row.acceptedChars,
    acceptedLines: row.acceptedLines,
    opportunities: row.opportunities,
    typedChars: row.typedChars,
    aiChars: row.aiChars,
    agentEditsInEditor: row.agentEditsInEditor,
    agentCharsInEditor: row.agentCharsInEditor,
    retention: Object.fromEntries(
      Object.entries(row.retention).map(([checkpoint, cell]) => [
        checkpoint,
        // As the merge checks them: a ledger written by hand or by an older Assay must not stop the export.
        { ...cell, arc: Math.min(cell.arc, cell.chars), unchanged: Math.min(cell.unchanged, cell.known), mostlyRetained: Math.min(cell.mostlyRetained, cell.known) },
      ]),
    ),
  }));
  inlineLines.sort((a, b) => compareText(a.date, b.date) || compareText(a.languageId, b.languageId) || compareText(a.provider, b.provider));
  const usageLines: UsageLine[] = [...usage.values()]
    .sort((a, b) => compareText(a.date, b.date) || compareText(a.source, b.source) || compareText(a.model, b.model))
    .map((row) => {
      const total = sumTiers(row.tokens);
      return {
        schema: SUMMARY_SCHEMA_VERSION,
        kind: 'usage',
        developer: input.developerId,
        date: row.date,
        source: row.source,
        model: row.model,
        inputTokens: total.inputTokens,
        outputTokens: total.outputTokens,
        reasoningTokens: total.reasoningTokens,
        cacheReadTokens: total.cacheReadTokens,
        cacheWriteTokens: total.cacheWrite5mTokens + total.cacheWrite1hTokens,
        costUSD: row.costUSD,
        requests: row.requests,
        requestsWithoutTokens: row.requestsWithoutTokens,
        tokens: { standard: { ...row.tokens.standard }, longContext: { ...row.tokens.longContext } },
        agentEdits: row.agent.agentEdits,
        linesAdded: row.agent.linesAdded,
        linesRemoved: row.agent.linesRemoved,
        agentRetention: Object.fromEntries(
          Object.entries(row.agent.agentRetention).map(([checkpoint, cell]) => [checkpoint, { ...cell, linesKept: Math.min(cell.linesKept, cell.linesAdded) }]),
        ),
        wasteTokens: row.agent.wasteTokens,
      };
    });
  return [header, ...inlineLines, ...usageLines];
}

interface UsageParts {
  date: string;
  source: SummarySource;
  model: string;
  tokens: TieredTokenCounts;
  costUSD: number | null;
  requests: number;
  requestsWithoutTokens: number;
  agent: AgentOutputFigures;
}

/**
 * The exact bytes of the file: one JSON line each, keys in schema order. Every line is validated
 * first, so what is previewed and written is what a merge accepts; throws on a line that is not.
 */
export function encodeTeamSummary(lines: readonly TeamSummaryLine[]): string {
  return lines.map((line) => `${JSON.stringify(TeamSummaryLine.parse(line))}\n`).join('');
}

/** One file per developer and date range: a re-export of the same range replaces the file, other developers' files are never touched. */
export function summaryFileName(developerId: string, since: string, until: string): string {
  return `${summaryFilePrefix(developerId)}${since}_${until}.ndjson`;
}

/** How the names of a developer's summary files begin. */
export function summaryFilePrefix(developerId: string): string {
  return `assay-team-${developerId}-`;
}
