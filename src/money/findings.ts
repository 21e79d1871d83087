// Findings (docs/money.md, Findings): a short ranked list of plain observations, each with the numbers behind it
// and the id of the chart that shows it. A finding is only made from enough data; for each kind that could not be
// judged, `notEnoughData` says what it needs. Ranking: findings with money at stake first, largest first, then
// the others by size.
import type { InlineRow, UsageRow } from '../report/rows';
import type { WhatIfResult } from '../pricing/whatIf';
import type { ResolvedSeat } from '../pricing/seats';
import { addDays } from '../calendar/dates';
import { fig, text, type RichText, type ValueFormat } from '../report/richText';
import { inlineProviderOfPlan, sourcesOfPlan, type SubscriptionComparison } from './subscriptions';

/** Charts the findings point at: the dashboard's ids, and the subscription chart this module's data feeds. */
export const FINDING_CHART_IDS = {
  byLanguage: 'by-language',
  whatIf: 'what-if',
  costVsValue: 'cost-vs-value',
  subscriptions: 'subscription-vs-api',
} as const;

/** The least data each kind of finding is made from (docs/money.md lists them for users). */
const FINDING_MINIMUMS = {
  /** Requests for a suggestion in the language, and in all other languages together. */
  languageRequests: 500,
  /** A language is flagged below this share of the other languages' acceptance rate. */
  languageRateRatio: 0.5,
  /** Priced spend in the range. */
  modelSpendUSD: 10,
  modelShare: 0.5,
  whatIfSaving: 0.4,
  /** Two windows of this many complete days, the later ending yesterday. */
  growthWindowDays: 14,
  growthSpendUSD: 5,
  growthKeptChars: 2_000,
  growthRatio: 1.2,
  /** Days of a month a plan is compared over. */
  planDays: 14,
  planFarBelow: 0.5,
  planFarAbove: 2,
  idleDays: 30,
} as const;

type FindingKind = 'low-acceptance-language' | 'model-saving' | 'spend-outgrows-kept-code' | 'plan-far-from-api' | 'idle-seat';

interface FindingNumber {
  label: string;
  value: number | null;
  format: ValueFormat;
}

interface Finding {
  /** Stable: the kind and its subject, e.g. `low-acceptance-language:python`. */
  id: string;
  kind: FindingKind;
  title: RichText;
  detail: RichText;
  numbers: FindingNumber[];
  chartId: string;
  /** Money the finding is about (a saving, a difference, an idle seat's price); null when it is not about money. */
  usdAtStake: number | null;
  /** Size within findings without money at stake. */
  magnitude: number;
}

export interface FindingsInput {
  /** Inline rows of at least the range and the last 28 days. */
  inline: readonly InlineRow[];
  /** Priced usage rows of at least the range and the last 30 days. */
  usage: readonly UsageRow[];
  range: { from: string; to: string };
  /** The what-if results of the range's usage of one model (named as `priceName` names it): its tokens priced as others. */
  whatIfOf(model: string): readonly WhatIfResult[];
  subscriptions: readonly SubscriptionComparison[];
  seats: readonly ResolvedSeat[];
  today: string;
  /** The first day the ledger has any data for; null when it has none. */
  trackedSince: string | null;
  /**
   * The price data's name for a usage row's model (what-if targets are named so). The ledger keeps dated ids
   * (`claude-opus-4-5-20251101` from Claude Code beside `claude-opus-4-5` from Copilot): one model's spend is summed
   * under this name. Default: the row's name.
   */
  priceName?: (model: string) => string;
}

export interface Findings {
  findings: Finding[];
  notEnoughData: Array<{ kind: FindingKind; needs: RichText }>;
}

type Check = (input: FindingsInput) => Finding[] | { needs: RichText };

const CHECKS: ReadonlyArray<readonly [FindingKind, Check]> = [
  ['low-acceptance-language', lowAcceptanceLanguages],
  ['model-saving', modelSaving],
  ['spend-outgrows-kept-code', spendOutgrowsKeptCode],
  ['plan-far-from-api', plansFarFromApi],
  ['idle-seat', idleSeats],
];

export function findFindings(input: FindingsInput): Findings {
  const findings: Finding[] = [];
  const notEnoughData: Findings['notEnoughData'] = [];
  for (const [kind, check] of CHECKS) {
    const result = check(input);
    if (Array.isArray(result)) findings.push(...result);
    else notEnoughData.push({ kind, needs: result.needs });
  }
  findings.sort(
    (a, b) =>
      (b.usdAtStake ?? -1) - (a.usdAtStake ?? -1) || b.magnitude - a.magnitude || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return { findings, notEnoughData };
}

const inRange = (date: string, from: string, to: string): boolean => date >= from && date <= to;
const acceptancesOf = (row: InlineRow): number => row.acceptances.full + row.acceptances.word + row.acceptances.line;

function lowAcceptanceLanguages(input: FindingsInput): Finding[] | { needs: RichText } {
  const min = FINDING_MINIMUMS.languageRequests;
  const byLanguage = new Map<string, { requests: number; acceptances: number }>();
  let totalRequests = 0;
  let totalAcceptances = 0;
  for (const row of input.inline) {
    if (!inRange(row.date, input.range.from, input.range.to)) continue;
    const entry = byLanguage.get(row.languageId) ?? { requests: 0, acceptances: 0 };
    entry.requests += row.opportunities;
    entry.acceptances += acceptancesOf(row);
    byLanguage.set(row.languageId, entry);
    totalRequests += row.opportunities;
    totalAcceptances += acceptancesOf(row);
  }
  const findings: Finding[] = [];
  let judged = false;
  for (const [language, own] of byLanguage) {
    const otherRequests = totalRequests - own.requests;
    const otherAcceptances = totalAcceptances - own.acceptances;
    if (own.requests < min || otherRequests < min || otherAcceptances === 0) continue;
    judged = true;
    const rate = own.acceptances / own.requests;
    const otherRate = otherAcceptances / otherRequests;
    if (rate >= FINDING_MINIMUMS.languageRateRatio * otherRate) continue;
    findings.push({
      id: `low-acceptance-language:${language}`,
      kind: 'low-acceptance-language',
      title: [`${language}: many requests for a suggestion, few accepted`],
      detail: text`${fig(own.requests, 'count')} requests for a suggestion in ${language} ended in an acceptance ${fig(rate, 'percent')} of the time, against ${fig(otherRate, 'percent')} in your other languages.`,
      numbers: [
        { label: 'Requests for a suggestion', value: own.requests, format: 'count' },
        { label: 'Acceptance rate', value: rate, format: 'percent' },
        { label: 'Acceptance rate in other languages', value: otherRate, format: 'percent' },
      ],
      chartId: FINDING_CHART_IDS.byLanguage,
      usdAtStake: null,
      magnitude: own.requests * (otherRate - rate),
    });
  }
  return judged ? findings : { needs: text`${fig(min, 'count')} requests for a suggestion in one language and ${fig(min, 'count')} in the others together, with some accepted` };
}

function modelSaving(input: FindingsInput): Finding[] | { needs: RichText } {
  const spendByModel = new Map<string, number>();
  let total = 0;
  for (const row of input.usage) {
    if (!inRange(row.date, input.range.from, input.range.to) || row.costUSD === null) continue;
    const model = input.priceName ? input.priceName(row.model) : row.model;
    spendByModel.set(model, (spendByModel.get(model) ?? 0) + row.costUSD);
    total += row.costUSD;
  }
  if (total < FINDING_MINIMUMS.modelSpendUSD) return { needs: text`${fig(FINDING_MINIMUMS.modelSpendUSD, 'usd')} of priced token spend in the range` };
  const [topModel, topSpend] = [...spendByModel].sort((a, b) => b[1] - a[1])[0];
  const share = topSpend / total;
  const cheapest = input
    .whatIfOf(topModel)
    .filter((result) => result.whatIfCostUSD !== null && result.realCostUSD > 0 && result.targetModel !== topModel)
    .sort((a, b) => (a.whatIfCostUSD as number) / a.realCostUSD - (b.whatIfCostUSD as number) / b.realCostUSD)[0];
  if (!cheapest) return { needs: ['a priced model to compare with in the what-if table'] };
  const whatIfCost = cheapest.whatIfCostUSD as number;
  const saving = cheapest.realCostUSD - whatIfCost;
  const savingShare = saving / cheapest.realCostUSD;
  if (share < FINDING_MINIMUMS.modelShare || savingShare < FINDING_MINIMUMS.whatIfSaving) return [];
  return [
    {
      id: `model-saving:${topModel}`,
      kind: 'model-saving',
      title: text`${topModel} carries ${fig(share, 'percent')} of your spend; the same tokens on ${cheapest.targetModel} would cost ${fig(savingShare, 'percent')} less`,
      detail: text`In this range ${topModel} cost ${fig(topSpend, 'usd')} of ${fig(total, 'usd')}. Priced as ${cheapest.targetModel}, the same tokens would have cost ${fig(whatIfCost, 'usd')} instead of ${fig(cheapest.realCostUSD, 'usd')}. Whether it would do the work as well is for you to judge.`,
      numbers: [
        { label: `Spend on ${topModel}`, value: topSpend, format: 'usd' },
        { label: 'Share of spend', value: share, format: 'percent' },
        { label: `Cost as ${cheapest.targetModel}`, value: whatIfCost, format: 'usd' },
        { label: 'Saving', value: saving, format: 'usd' },
      ],
      chartId: FINDING_CHART_IDS.whatIf,
      usdAtStake: saving,
      magnitude: saving,
    },
  ];
}

function spendOutgrowsKeptCode(input: FindingsInput): Finding[] | { needs: RichText } {
  const days = FINDING_MINIMUMS.growthWindowDays;
  const laterFrom = addDays(input.today, -days);
  const earlierFrom = addDays(input.today, -2 * days);
  const earlierTo = addDays(laterFrom, -1);
  const yesterday = addDays(input.today, -1);
  const needs = {
    needs: text`${fig(2 * days, 'count')} complete days of data, with at least ${fig(FINDING_MINIMUMS.growthSpendUSD, 'usd')} of spend and ${fig(FINDING_MINIMUMS.growthKeptChars, 'chars')} kept characters in each half`,
  };
  if (input.trackedSince === null || input.trackedSince > earlierFrom) return needs;
  const spend = (from: string, to: string): number => {
    let total = 0;
    for (const row of input.usage) if (inRange(row.date, from, to)) total += row.costUSD ?? 0;
    return total;
  };
  const kept = (from: string, to: string): number => {
    let total = 0;
    for (const row of input.inline) if (inRange(row.date, from, to)) total += row.retention['600']?.arc ?? 0;
    return total;
  };
  const [spendEarlier, spendLater] = [spend(earlierFrom, earlierTo), spend(laterFrom, yesterday)];
  const [keptEarlier, keptLater] = [kept(earlierFrom, earlierTo), kept(laterFrom, yesterday)];
  const min = FINDING_MINIMUMS;
  if (Math.min(spendEarlier, spendLater) < min.growthSpendUSD || Math.min(keptEarlier, keptLater) < min.growthKeptChars) return needs;
  const spendGrowth = spendLater / spendEarlier;
  const keptGrowth = keptLater / keptEarlier;
  if (spendGrowth < min.growthRatio || spendGrowth < min.growthRatio * keptGrowth) return [];
  const beyondKept = spendLater - spendEarlier * keptGrowth;
  return [
    {
      id: 'spend-outgrows-kept-code',
      kind: 'spend-outgrows-kept-code',
      title: text`Spend grew ${fig(spendGrowth - 1, 'percent')} in two weeks; kept code ${keptGrowth >= 1 ? text`grew ${fig(keptGrowth - 1, 'percent')}` : text`fell ${fig(1 - keptGrowth, 'percent')}`}`,
      detail: text`Token spend went from ${fig(spendEarlier, 'usd')} (${earlierFrom} to ${earlierTo}) to ${fig(spendLater, 'usd')} (${laterFrom} to ${yesterday}); accepted characters still present after 10 minutes went from ${fig(keptEarlier, 'chars')} to ${fig(keptLater, 'chars')}.`,
      numbers: [
        { label: 'Spend, earlier two weeks', value: spendEarlier, format: 'usd' },
        { label: 'Spend, last two weeks', value: spendLater, format: 'usd' },
        { label: 'Kept characters, earlier two weeks', value: keptEarlier, format: 'chars' },
        { label: 'Kept characters, last two weeks', value: keptLater, format: 'chars' },
      ],
      chartId: FINDING_CHART_IDS.costVsValue,
      usdAtStake: beyondKept,
      magnitude: beyondKept,
    },
  ];
}

function plansFarFromApi(input: FindingsInput): Finding[] | { needs: RichText } {
  const findings: Finding[] = [];
  let judged = false;
  for (const comparison of input.subscriptions) {
    if (comparison.sources.length === 0) continue;
    const month = [...comparison.months]
      .reverse()
      .find((entry) => entry.days >= FINDING_MINIMUMS.planDays && entry.requests > 0 && entry.apiUSD !== null && entry.planUSD > 0);
    if (!month || month.apiUSD === null || month.apiToPlan === null) continue;
    judged = true;
    const name = comparison.labels.join(' + ');
    const numbers: FindingNumber[] = [
      { label: 'Plan cost', value: month.planUSD, format: 'usd' },
      { label: 'Same usage at API prices', value: month.apiUSD, format: 'usd' },
      { label: 'Requests', value: month.requests, format: 'count' },
    ];
    const days = month.complete ? month.month : `${month.month} (${month.days} days)`;
    const lowerBound = month.requestsWithoutCost > 0 ? text` (${fig(month.requestsWithoutCost, 'count')} requests could not be priced, so it is at least that)` : [];
    if (month.apiToPlan < FINDING_MINIMUMS.planFarBelow) {
      findings.push({
        id: `plan-far-from-api:below:${comparison.plans.join('+')}`,
        kind: 'plan-far-from-api',
        title: [`${name} cost more than paying per token would have`],
        detail: text`In ${days} the plan cost ${fig(month.planUSD, 'usd')}; the same usage at API list prices comes to ${fig(month.apiUSD, 'usd')}${lowerBound}.`,
        numbers,
        chartId: FINDING_CHART_IDS.subscriptions,
        usdAtStake: month.planUSD - month.apiUSD,
        magnitude: month.planUSD - month.apiUSD,
      });
    } else if (month.apiToPlan > FINDING_MINIMUMS.planFarAbove) {
      findings.push({
        id: `plan-far-from-api:above:${comparison.plans.join('+')}`,
        kind: 'plan-far-from-api',
        title: text`${name} is well used: its usage would cost ${fig(month.apiToPlan, 'multiple')} the plan at API prices`,
        detail: text`In ${days} the plan cost ${fig(month.planUSD, 'usd')}; the same usage at API list prices comes to ${fig(month.apiUSD, 'usd')}${lowerBound}.`,
        numbers,
        chartId: FINDING_CHART_IDS.subscriptions,
        usdAtStake: month.apiUSD - month.planUSD,
        magnitude: month.apiUSD - month.planUSD,
      });
    }
  }
  return judged ? findings : { needs: text`a plan whose tool logs usage Assay reads, and ${fig(FINDING_MINIMUMS.planDays, 'count')} days of a month with requests` };
}

function idleSeats(input: FindingsInput): Finding[] | { needs: RichText } {
  const days = FINDING_MINIMUMS.idleDays;
  const from = addDays(input.today, 1 - days);
  if (input.seats.length === 0) return { needs: ['a subscription in assay.seats'] };
  if (input.trackedSince === null || input.trackedSince > from) return { needs: text`${fig(days, 'count')} days of data` };
  const findings: Finding[] = [];
  let judged = false;
  for (const seat of input.seats) {
    const sources: readonly string[] = sourcesOfPlan(seat.plan);
    const provider = inlineProviderOfPlan(seat.plan);
    if (sources.length === 0 && provider === undefined) continue;
    judged = true;
    let requests = 0;
    for (const row of input.usage) if (inRange(row.date, from, input.today) && sources.includes(row.source)) requests += row.requests;
    let acceptances = 0;
    for (const row of input.inline) if (inRange(row.date, from, input.today) && row.provider === provider) acceptances += acceptancesOf(row);
    if (requests > 0 || acceptances > 0 || seat.monthlyUSD === 0) continue;
    const monthly = seat.monthlyUSD * seat.count;
    findings.push({
      id: `idle-seat:${seat.plan}`,
      kind: 'idle-seat',
      title: text`${seat.label}: no activity Assay can see in ${fig(days, 'count')} days`,
      detail: text`No ${[...sources.map((source) => `${source} requests`), ...(provider ? [`${provider} suggestions accepted`] : [])].join(' or ')} since ${from}, for ${fig(monthly, 'usd')} a month. Use of the tool elsewhere (its website, another machine) is not visible here.`,
      numbers: [
        { label: 'Monthly price', value: monthly, format: 'usd' },
        { label: `Requests in ${days} days`, value: requests, format: 'count' },
        { label: `Accepted suggestions in ${days} days`, value: acceptances, format: 'count' },
      ],
      chartId: FINDING_CHART_IDS.subscriptions,
      usdAtStake: monthly,
      magnitude: monthly,
    });
  }
  return judged ? findings : { needs: ['a subscription whose tool leaves activity Assay can see (Claude, ChatGPT, Copilot, Windsurf, Tabnine, Supermaven, Amazon Q)'] };
}
