// The headline cards: one figure each, with a detail line whose numbers are figures too.
import { fig, formatCheckpoint, ratio, sum, text, tokensOf, type InlineTotals, type RetentionTotals } from './figures';
import { agentCell, costPerKeptAgentLine } from './charts/agentCharts';
import { KEPT_LINES_CHECKPOINT } from '../agentOutput/types';
import type { ValueSettings } from '../pricing/value';
import { VALUE_CHECKPOINT_SECONDS, type DashboardUsageRow, type DashboardValue } from './inputs';
import type { Card, RichText } from './protocol';

export interface CardFigures {
  totals: InlineTotals;
  retention600: RetentionTotals;
  usage: readonly DashboardUsageRow[];
  unpricedRequests: number;
  /** Tokens of models with no price: in no cost figure. */
  unpricedTokens: number;
  /** The part of `unpricedTokens` no flat plan covers: what the spend leaves out. */
  unpricedBilledTokens: number;
  /** All priced tokens at API list prices. */
  tokenCost: number;
  /** The part of `tokenCost` whose source a flat plan covers: the plan's API-equivalent value, not spend. */
  planCoveredTokenCost: number;
  seatCost: number;
  inlineSeatCost: number;
  /** Seats plus tokens billed by use. */
  spend: number;
  value: DashboardValue;
  /** The value's agent terms (money/valueRange.ts agentWork). */
  work: { responses: number; keptAgentLines: number };
  valueSettings: ValueSettings;
  inlineEmpty: string;
}

export function buildCards(f: CardFigures): Card[] {
  const { totals, retention600, value } = f;
  const noInline = totals.acceptances === 0;
  const tokens = sum(f.usage, tokensOf);
  const responses = sum(f.usage, (r) => r.requests);
  const billedTokens = f.tokenCost - f.planCoveredTokenCost;
  const card = (c: Omit<Card, 'estimate'> & { estimate?: boolean }): Card => ({ estimate: false, ...c });
  return [
    card({
      id: 'accepted',
      label: 'Accepted suggestions',
      value: totals.acceptances,
      format: 'count',
      detail: noInline ? [f.inlineEmpty] : text`${fig(totals.acceptedChars, 'chars')} characters accepted`,
    }),
    card({
      id: 'lines',
      label: 'Accepted lines',
      value: totals.acceptedLines,
      format: 'count',
      detail: ['Non-blank lines; a chain of partial accepts counts each line once'],
    }),
    card({
      id: 'acceptance-rate',
      label: 'Accepts per suggestion request',
      value: ratio(totals.acceptances, totals.opportunities),
      format: 'percent',
      // The figure users compare with is the rate of *shown* suggestions (often 25–35 %): say it is not that.
      detail:
        totals.opportunities > 0
          ? text`${fig(totals.acceptances, 'count')} accepts of ${fig(totals.opportunities, 'count')} times the editor asked for ghost text. Most requests show nothing, so this is not the rate of shown suggestions.`
          : ['No requests for suggestions recorded'],
    }),
    card({
      id: 'ai-share',
      label: 'AI share of characters',
      value: ratio(totals.aiChars, totals.aiChars + totals.typedChars),
      format: 'percent',
      detail: text`${fig(totals.aiChars, 'chars')} AI, ${fig(totals.typedChars, 'chars')} typed (inline suggestions only)`,
    }),
    card({
      id: 'retention',
      label: `Kept at ${formatCheckpoint(VALUE_CHECKPOINT_SECONDS)}`,
      value: ratio(retention600.arc, retention600.chars),
      format: 'percent',
      detail:
        retention600.known > 0
          ? text`Accepted characters still there, of ${fig(retention600.known, 'count')} accepts whose outcome is known`
          : ['No accept with a known outcome yet'],
    }),
    agentLinesCard(f.usage),
    card({
      id: 'token-spend',
      label: 'Tokens at API prices',
      value: f.tokenCost,
      format: 'usd',
      detail:
        f.usage.length === 0
          ? ['No agent or chat usage imported in this range']
          : [
              ...text`${fig(tokens, 'tokens')} tokens in ${fig(responses, 'count')} agent responses`,
              ...(f.planCoveredTokenCost > 0 ? text`; ${fig(f.planCoveredTokenCost, 'usd')} of it is usage your flat plans cover (their API-equivalent value, not extra spend)` : []),
              ...(f.unpricedRequests > 0
                ? text`; ${fig(f.unpricedTokens, 'tokens')} tokens in ${fig(f.unpricedRequests, 'count')} responses have no price and are not in it`
                : []),
            ],
    }),
    card({
      id: 'total-cost',
      label: 'Spend',
      value: f.spend,
      format: 'usd',
      detail: [
        ...text`Seats ${fig(f.seatCost, 'usd')} + tokens billed by use ${fig(billedTokens, 'usd')}`,
        // Never silently low: tokens without a price would have added to the spend.
        ...(f.unpricedBilledTokens > 0 ? text`; not counted: ${fig(f.unpricedBilledTokens, 'tokens')} tokens on unpriced models` : []),
      ],
    }),
    card({
      id: 'cost-per-line',
      label: 'Inline seat cost per accepted line',
      value: f.inlineSeatCost > 0 ? ratio(f.inlineSeatCost, totals.acceptedLines) : null,
      format: 'usd',
      detail:
        f.inlineSeatCost === 0
          ? ['No inline-suggestion seat (Copilot, Windsurf, Tabnine…) in assay.seats: nothing to divide']
          : totals.acceptedLines === 0
            ? ['No accepted lines in this range']
            : [
                ...text`${fig(f.inlineSeatCost, 'usd')} of inline-suggestion seats ÷ ${fig(totals.acceptedLines, 'count')} accepted lines`,
                ...(value.retainedLinesEstimate
                  ? text`; ${fig(f.inlineSeatCost / value.retainedLinesEstimate, 'usd')} per line kept at ${formatCheckpoint(VALUE_CHECKPOINT_SECONDS)} (estimate)`
                  : []),
              ],
    }),
    agentCostCard(f.usage, f.value.retainedLinesEstimate, f.inlineSeatCost),
    card({
      id: 'value',
      label: 'Estimated value',
      value: value.valueUSD,
      format: 'usd',
      estimate: true,
      detail: valueDetail(f),
    }),
  ];
}

/** How much of the estimate each input makes, so an assumption cannot pass for a measurement. */
export function valueSplit(f: Pick<CardFigures, 'value' | 'work' | 'valueSettings'>): RichText {
  const { value } = f;
  if (value.minutesSaved === 0) return ['Nothing kept or answered in this range to value'];
  const measured = (value.minutesSavedTyping + value.minutesSavedKeptLines) / value.minutesSaved;
  const keptLines = f.work.keptAgentLines > 0 ? text` and ${fig(f.work.keptAgentLines, 'count')} agent lines kept a day later` : [];
  return text`${fig(measured, 'percent')} from kept inline characters${keptLines} (measured), ${fig(1 - measured, 'percent')} from ${fig(f.work.responses, 'count')} agent responses × ${fig(f.valueSettings.minutesPerResponse, 'decimal')} min each (assumed)`;
}

function valueDetail(f: CardFigures): RichText {
  if (f.value.minutesSaved === 0) return valueSplit(f);
  return [...valueSplit(f), ...(f.value.roi === null ? ['; no spend to compare with'] : text`; ${fig(f.value.roi, 'multiple')} the spend`)];
}

/** Agents' output in lines, beside the inline figures in characters: the two units are never added up. */
function agentLinesCard(usage: readonly DashboardUsageRow[]): Card {
  const linesAdded = sum(usage, (r) => r.linesAdded);
  const kept = agentCell(usage, KEPT_LINES_CHECKPOINT);
  return {
    id: 'agent-lines',
    label: 'Agent lines written',
    value: linesAdded,
    format: 'count',
    estimate: false,
    detail:
      sum(usage, (r) => r.agentEdits) === 0
        ? ['Lines (not characters) that agents’ own file edits added; none in this range']
        : [
            ...text`Lines, not characters: ${fig(sum(usage, (r) => r.linesRemoved), 'count')} removed. `,
            ...(kept.known > 0
              ? text`${fig(ratio(kept.linesKept, kept.linesAdded), 'percent')} kept a day later, of ${fig(kept.known, 'count')} edits measured`
              : ['No edit measured a day later yet']),
          ],
  };
}

/** What a kept agent line cost, beside what a kept inline line cost: each divides its own cost by its own output. */
function agentCostCard(usage: readonly DashboardUsageRow[], retainedInlineLines: number | null, inlineSeatCost: number): Card {
  const { costUSD, linesKept } = costPerKeptAgentLine(usage);
  const waste = sum(usage, (r) => r.wasteTokens);
  const inline =
    retainedInlineLines && inlineSeatCost > 0
      ? text`; an inline line kept at ${formatCheckpoint(VALUE_CHECKPOINT_SECONDS)} cost ${fig(inlineSeatCost / retainedInlineLines, 'usd')}`
      : [];
  return {
    id: 'agent-cost-per-line',
    label: 'Cost per kept agent line',
    value: costUSD,
    format: 'usd',
    estimate: false,
    detail:
      costUSD === null
        ? ['Token cost ÷ agent lines kept a day later; no edit measured a day later yet']
        : [
            ...text`Token cost of the measured days ÷ ${fig(linesKept, 'count')} lines kept a day later`,
            ...inline,
            ...(waste > 0 ? text`; ${fig(waste, 'tokens')} tokens went to responses whose edits kept nothing` : []),
          ],
  };
}
