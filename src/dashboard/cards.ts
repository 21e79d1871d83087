// The headline cards: one figure each, with a detail line whose numbers are figures too.
import { fig, formatCheckpoint, ratio, sum, text, tokensOf, type InlineTotals, type RetentionTotals } from './figures';
import { VALUE_CHECKPOINT_SECONDS, type DashboardUsageRow, type DashboardValue } from './inputs';
import type { Card } from './protocol';

export interface CardFigures {
  totals: InlineTotals;
  retention600: RetentionTotals;
  usage: readonly DashboardUsageRow[];
  unpricedRequests: number;
  tokenCost: number;
  seatCost: number;
  totalCost: number;
  value: DashboardValue;
  inlineEmpty: string;
}

export function buildCards(f: CardFigures): Card[] {
  const { totals, retention600 } = f;
  const noInline = totals.acceptances === 0;
  const tokens = sum(f.usage, tokensOf);
  const responses = sum(f.usage, (r) => r.requests);
  const { roi } = f.value;
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
      label: 'Acceptance per request',
      value: ratio(totals.acceptances, totals.opportunities),
      format: 'percent',
      detail:
        totals.opportunities > 0
          ? text`${fig(totals.acceptances, 'count')} accepted of ${fig(totals.opportunities, 'count')} requests for a suggestion`
          : ['No requests for suggestions recorded'],
    }),
    card({
      id: 'ai-share',
      label: 'AI share of characters',
      value: ratio(totals.aiChars, totals.aiChars + totals.typedChars),
      format: 'percent',
      detail: text`${fig(totals.aiChars, 'chars')} AI, ${fig(totals.typedChars, 'chars')} typed`,
    }),
    card({
      id: 'retention',
      label: `Retained at ${formatCheckpoint(VALUE_CHECKPOINT_SECONDS)}`,
      value: ratio(retention600.arc, retention600.chars),
      format: 'percent',
      detail:
        retention600.known > 0
          ? text`Characters still present, of ${fig(retention600.known, 'count')} acceptances with a known outcome`
          : ['No acceptance with a known outcome yet'],
    }),
    card({
      id: 'token-spend',
      label: 'Token spend',
      value: f.tokenCost,
      format: 'usd',
      detail:
        f.usage.length === 0
          ? ['No agent or chat usage imported in this range']
          : [
              ...text`${fig(tokens, 'tokens')} tokens in ${fig(responses, 'count')} responses`,
              ...(f.unpricedRequests > 0 ? text`; ${fig(f.unpricedRequests, 'count')} unpriced` : []),
            ],
    }),
    card({
      id: 'total-cost',
      label: 'Total cost',
      value: f.totalCost,
      format: 'usd',
      detail: text`Tokens ${fig(f.tokenCost, 'usd')} + seats ${fig(f.seatCost, 'usd')}`,
    }),
    card({
      id: 'cost-per-line',
      label: 'Cost per accepted line',
      value: f.value.costPerAcceptedLine,
      format: 'usd',
      detail:
        f.value.costPerRetainedLine !== null
          ? text`${fig(f.value.costPerRetainedLine, 'usd')} per retained line (estimate)`
          : totals.acceptedLines > 0
            ? ['Total cost ÷ accepted lines']
            : ['No accepted lines in this range'],
    }),
    card({
      id: 'value',
      label: 'Estimated value',
      value: f.value.valueUSD,
      format: 'usd',
      estimate: true,
      detail: roi === null ? ['Estimate; no cost to compare with'] : text`Estimate; ${fig(roi, 'multiple')} the total cost`,
    }),
  ];
}
