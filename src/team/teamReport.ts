// The team report (`assay team report --json`, the HTML and CSV reports): merged figures with the k
// rule applied to every row, breakdown, chart point and total, and the manager's questions answered
// with the developer report's own functions (value, what-if, seats). Every figure here describes at
// least k developers; the HTML and CSV are rendered from this object only.
import { OTHER } from '../privacy/allowlists';
import type { ResolvedSeat } from '../pricing/seats';
import { seatCostForRange } from '../pricing/seats';
import type { Pricer } from '../pricing/types';
import { agentWork, DEFAULT_VALUE_RANGE_SETTINGS, estimateValueRange } from '../money/valueRange';
import { DEFAULT_LOCAL_MODEL_USD_PER_MTOK, withLocalModelCost } from '../money/localModels';
import { isInlinePlan, sourcesOfPlan } from '../money/subscriptions';
import type { ValueRange } from '../money/valueRange';
import { suggestWhatIfModels, whatIfCost } from '../pricing/whatIf';
import type { WhatIfResult } from '../pricing/whatIf';
import { addDays, monthOf, weekOf } from '../calendar/dates';
import { addInlineRow, compareText, emptyInlineRow } from '../report/rollup';
import type { AgentOutputFigures, InlineRow, UsageRow } from '../report/rows';
import type { InlineTotals, UsageTotals } from '../report/reportJson';
import type { RichText } from '../report/richText';
import { Formatter } from '../report/format';
import { foldSmallGroups, regroup } from './kRule';
import { KEPT_LINES_CHECKPOINT_KEY } from '../agentOutput/types';
import { AGENT_CHECKPOINT_KEYS } from './summarySchema';
import type { ExportLine } from './summarySchema';
import { addUsageFigures, emptyUsageFigures, knownAllAt, knownSomeAt, tokensOf } from './merge';
import type { Group, InlineRowGroup, RowGroup, SeatRun, TeamMerge, UsageFigures, UsageRowGroup } from './merge';

/** The checkpoint value and retention are based on (docs/metrics.md, Value). */
const VALUE_CHECKPOINT = '600';

/**
 * A group's agent output: the daily report's figures summed over the rows whose summaries report
 * them (schema ≥ 3). Absent from a row, breakdown entry or total none of whose summaries report
 * agent output: older files say nothing about it, which is not 0 lines.
 */
export interface TeamAgentOutput extends AgentOutputFigures {
  /** Responses in the rows that report agent output: the usage these figures speak for. */
  agentOutputRequests: number;
  /** Token cost of the priced rows measured a day later ÷ lines kept at 1 day; null when no line is known kept. */
  costPerKeptLineUSD: number | null;
}
type TeamUsageFigures = UsageTotals & Partial<TeamAgentOutput>;

type TeamInlineRow = InlineRow & { developers: number };
type TeamUsageRow = UsageRow & Partial<TeamAgentOutput> & { developers: number };
type TeamRow = TeamInlineRow | TeamUsageRow;
type InlineGroupRow = { key: string; developers: number } & InlineTotals;
export type UsageGroupRow = { key: string; developers: number } & TeamUsageFigures;

/** One end of the value range (src/money/valueRange.ts), its formula as text. */
interface TeamValueBound {
  minutesSaved: number;
  valueUSD: number;
  /** value ÷ cost; null when the cost is 0. */
  roi: number | null;
  formula: string;
}

/** The estimated value as the dashboard counts it (docs/money.md, Value), over the team's totals. */
export interface TeamValue {
  /** Accepted-and-retained characters at 600 s (known checkpoints). */
  arc600Chars: number;
  /** Responses of the rows whose agent edits were not measured a day later (schema 1 and 2 rows among them). */
  responses: number;
  /** Lines kept at 1 day in the rows whose agent edits were measured then. */
  keptAgentLines: number;
  tokenCostUSD: number;
  seatCostUSD: number;
  /**
   * Of `tokenCostUSD`, what the developers' own flat plans cover (Claude Max for Claude Code), counted as the plan's as
   * the dashboard's Spend does (docs/money.md, Value): the shown cost of each tool every developer of whose shown rows
   * held a plan that covers it on each of those rows' days (with --seats, a licensed one). 0 when fewer than k
   * developers list seats.
   */
  planCoveredCostUSD: number;
  /**
   * At least k developers' plans cover a tool that at least k others pay for by use: that tool's tokens all count at
   * their API price, since taking off the covered part would show the others' part by subtraction from the tool's cost.
   * (A tool partly covered with fewer on either side counts whole too, unsaid.)
   */
  planCoverageWithheld: boolean;
  /** Tokens + seats − what plans cover: what each end's ROI divides by. */
  costUSD: number;
  /** Requests on unpriced models: their cost is missing from `costUSD`. */
  unpricedRequests: number;
  low: TeamValueBound;
  expected: TeamValueBound;
  high: TeamValueBound;
  /** "ROI 1.2× – 3.4× (expected 2.1×)", or why there is none. */
  roi: string;
  /**
   * The part of `seatCostUSD` that is inline-suggestion plans (Copilot, Windsurf, Tabnine…: inlineProviderOfPlan). 0
   * when fewer than k of the developers list such a plan (`inlineSeatCostWithheld`): it would be their seats alone.
   */
  inlineSeatCostUSD: number;
  inlineSeatCostWithheld: boolean;
  /**
   * Inline seat cost ÷ accepted lines, as the dashboard's card (docs/metrics.md, Cost): each "cost per" divides the
   * cost of the thing it counts, so agent tokens and chat-only plans are not charged to ghost-text lines. Null without
   * such seats or lines.
   */
  inlineSeatCostPerAcceptedLine: number | null;
  /** Inline seat cost ÷ (accepted lines × retention at 600 s), an estimate: lines are not tracked one by one. */
  inlineSeatCostPerRetainedLine: number | null;
}

export interface TeamReportJson {
  /** Developers with at least one row in the range (machines, in a personal report). */
  developers: number;
  /** k: the fewest developers any figure describes (1 in a personal report). */
  minGroup: number;
  /** The daily report's rows plus `developers`; groups under k fold into `other` (a day too small for k is dated `other`). */
  rows: TeamRow[];
  totals: { inline: (InlineTotals & { developers: number }) | null; usage: (TeamUsageFigures & { developers: number }) | null };
  suppressed: {
    /** Why the report has no figures at all, or null. */
    reason: string | null;
    /** Groups folded into `other`, over rows and breakdowns. */
    groups: number;
    /** Parts left out entirely because fewer than k developers are in them (e.g. "totals.inline"). */
    hidden: string[];
  };
  personal: boolean;
  /**
   * The first and last day the report shows, in a row or as an adoption day (rows dated `other` may hold days beyond
   * them: a day of fewer than k developers is not named). Null when it shows none; seats are priced over these days.
   */
  range: { since: string; until: string } | null;
  /** The rows summed per key (`breakdownOfRows`): what the rows folded is in `other`. */
  breakdowns: {
    inline: Record<'day' | 'week' | 'month' | 'language' | 'provider', InlineGroupRow[]>;
    usage: Record<'day' | 'week' | 'month' | 'source' | 'model', UsageGroupRow[]>;
  };
  adoption: {
    /** Developers active per day and per week (a week is keyed by its Monday). */
    day: Array<{ key: string; developers: number }>;
    week: Array<{ key: string; developers: number; idleLicences: number | null }>;
    /** With --seats: licences paid for against developers active in the range. */
    licences: { paid: number; active: number; idle: number; costUSD: number } | null;
  };
  economics: {
    /** Acceptances ÷ opportunities ("per request": docs/metrics.md, Inline suggestions). */
    acceptanceRate: number | null;
    /** AI ÷ (AI + typed) characters. */
    aiShare: number | null;
    /** ARC(600 s) ÷ chars of acceptances whose 600 s checkpoint is known. */
    retention600: number | null;
    /**
     * `licences` (--seats), `developers` (the seats the developers active in the range exported), or `withheld`: fewer
     * than k of them list seats, so their seats are left out (`seatCostUSD` 0) rather than shown as theirs, or the report
     * has no range to price seats over.
     */
    seatSource: 'licences' | 'developers' | 'withheld';
    seatCostUSD: number;
    /** Estimated value as a range, ROI and cost per accepted and retained line, with the formulas; null when a part is hidden. */
    value: TeamValue | null;
    whatIf: WhatIfResult[];
    /** Per month: spend, tokens and the average price per 1M priced tokens (docs/metrics.md, Other dashboard views). */
    jevons: Array<{ month: string; spendUSD: number; tokens: number; usdPerMillionTokens: number | null }>;
  } | null;
  /** Files merged, skipped as bad, and not read because newer files cover all their days. */
  files: { merged: number; skipped: number; superseded: number };
}

export interface TeamReportOptions {
  /** k (docs/privacy.md, The k rule); ignored in a personal report. */
  minGroup: number;
  /** One developer's own machines: no k rule. */
  personal: boolean;
  /** Licences paid for (--seats); null: each developer's own exported seats. */
  licences: readonly ResolvedSeat[] | null;
  pricer: Pricer;
}

export function buildTeamReport(merge: TeamMerge, options: TeamReportOptions): TeamReportJson {
  const k = options.personal ? 1 : options.minGroup;
  const developers = merge.developers;
  const files = { merged: merge.merged, skipped: merge.skipped.length, superseded: merge.superseded };
  const empty: TeamReportJson = {
    developers,
    minGroup: k,
    rows: [],
    totals: { inline: null, usage: null },
    suppressed: { reason: null, groups: 0, hidden: [] },
    personal: options.personal,
    range: null,
    breakdowns: {
      inline: { day: [], week: [], month: [], language: [], provider: [] },
      usage: { day: [], week: [], month: [], source: [], model: [] },
    },
    adoption: { day: [], week: [], licences: null },
    economics: null,
    files,
  };
  if (developers === 0) {
    return { ...empty, suppressed: { ...empty.suppressed, reason: 'No summary in this folder has figures for the range.' } };
  }
  if (developers < k) {
    return {
      ...empty,
      suppressed: {
        ...empty.suppressed,
        reason: `${developers} developer${developers === 1 ? '' : 's'} in this folder: a team report shows figures only for groups of at least ${k} developers.`,
      },
    };
  }
  const report: TeamReportJson = { ...empty };
  const suppressed = report.suppressed;

  const inline = merge.inline;
  const usage = merge.usage;
  const inlineDevelopers = union(inline);
  const usageDevelopers = union(usage);
  const inlineShown = inlineDevelopers.size >= k;
  const usageShown = usageDevelopers.size >= k;
  if (inline.length > 0 && !inlineShown) suppressed.hidden.push('inline');
  if (usage.length > 0 && !usageShown) suppressed.hidden.push('usage');

  const inlineTable = {
    empty: () => emptyInlineRow('', OTHER, OTHER),
    add: (target: InlineRow, row: InlineRow) => addInlineRow(target, row),
  };
  const usageTable = { empty: emptyUsageFigures, add: addUsageFigures };
  const rows: TeamRow[] = [];
  let usageAll: UsageFigures | null = null;
  const shownBySource = new Map<string, ShownUsage>();

  if (inlineShown) {
    const folded = foldRows(inline, k, inlineTable.empty, inlineTable.add, suppressed).map((row) => ({
      ...row,
      figures: disclosedInline(row, k, merge.retentionCheckpoints),
    }));
    const all = sumGroups(folded, inlineTable.empty, inlineTable.add);
    report.totals.inline = { ...inlineFigures(all), developers: inlineDevelopers.size };
    for (const row of folded) {
      rows.push({ ...row.figures, date: row.date, kind: 'inline', languageId: row.first, provider: row.second, developers: row.developers.size });
    }
    const breakdown = (keyOf: (row: FoldedRow<InlineRow>) => string): InlineGroupRow[] =>
      breakdownOfRows(folded, keyOf, inlineTable.empty, inlineTable.add).map((group) => ({
        key: group.key,
        developers: group.developers.size,
        ...inlineFigures(group.figures),
      }));
    report.breakdowns.inline = {
      day: breakdown((row) => row.date),
      week: breakdown(weekOfRow),
      month: breakdown(monthOfRow),
      language: breakdown((row) => row.first),
      provider: breakdown((row) => row.second),
    };
  }
  if (usageShown) {
    const folded = foldRows(usage, k, usageTable.empty, usageTable.add, suppressed).map((row) => ({ ...row, figures: disclosedUsage(row, k) }));
    usageAll = sumGroups(folded, usageTable.empty, usageTable.add);
    for (const row of folded) {
      if (row.first === OTHER) continue;
      const shown = shownBySource.get(row.first) ?? { costUSD: 0, days: new Map<number, Set<string>>() };
      shown.costUSD += row.figures.costUSD;
      for (const developer of row.developers) {
        const days = shown.days.get(developer) ?? new Set<string>();
        shown.days.set(developer, days.add(row.date));
      }
      shownBySource.set(row.first, shown);
    }
    report.totals.usage = { ...usageTotals(usageAll), developers: usageDevelopers.size };
    for (const row of folded) {
      rows.push({ date: row.date, kind: 'usage', source: row.first, model: row.second, ...usageRowFigures(row.figures), developers: row.developers.size });
    }
    const breakdown = (keyOf: (row: FoldedRow<UsageFigures>) => string) => breakdownOfRows(folded, keyOf, usageTable.empty, usageTable.add);
    const toRows = (groups: Array<Group<UsageFigures>>): UsageGroupRow[] =>
      groups.map((group) => ({ key: group.key, developers: group.developers.size, ...usageTotals(group.figures) }));
    const months = breakdown(monthOfRow);
    const models = breakdown((row) => row.second);
    report.breakdowns.usage = {
      day: toRows(breakdown((row) => row.date)),
      week: toRows(breakdown(weekOfRow)),
      month: toRows(months),
      source: toRows(breakdown((row) => row.first)),
      model: toRows(models),
    };
    report.economics = economicsBase();
    report.economics.jevons = months
      .filter((group) => group.key !== OTHER)
      .map((group) => ({
        month: group.key,
        spendUSD: group.figures.costUSD,
        tokens: tokensOf(group.figures),
        usdPerMillionTokens: group.figures.pricedTokens > 0 ? (group.figures.costUSD * 1_000_000) / group.figures.pricedTokens : null,
      }));
    report.economics.whatIf = whatIf(models, options.pricer);
  }
  rows.sort((a, b) => compareText(a.date, b.date) || compareText(a.kind, b.kind) || compareText(rowKeys(a), rowKeys(b)));
  report.rows = rows;

  const dayGroups: Array<Group<null>> = [...merge.activeByDay].map(([key, developerSet]) => ({ key, developers: developerSet, figures: null }));
  const days = foldBreakdown(dayGroups, (group) => group.key, k, () => null, () => undefined, suppressed, 'adoption.day');
  const weeks = foldBreakdown(dayGroups, (group) => weekOf(group.key), k, () => null, () => undefined, suppressed, 'adoption.week');
  const paid = options.licences === null ? null : options.licences.reduce((sum, seat) => sum + seat.count, 0);
  report.adoption = {
    day: days.map((group) => ({ key: group.key, developers: group.developers.size })),
    week: weeks.map((group) => ({
      key: group.key,
      developers: group.developers.size,
      idleLicences: paid === null || group.key === OTHER ? null : Math.max(0, paid - group.developers.size),
    })),
    licences: null,
  };

  const range = (report.range = shownRange(report));
  // Seats are priced over the range as named: over a day the k rule hid, the licences' cost would tell how many days
  // the figures span.
  const seatRuns: SeatRuns = range === null ? new Map() : seatRunsOf(merge, range.since, range.until);
  const seats =
    range === null
      ? WITHHELD_SEATS
      : options.licences !== null
        ? {
            source: 'licences' as const,
            costUSD: seatCostForRange(range.since, range.until, options.licences),
            inlineCostUSD: seatCostForRange(range.since, range.until, options.licences.filter((seat) => isInlinePlan(seat.plan))),
            inlineWithheld: false,
          }
        : developerSeats(seatRuns, k, options.personal);
  const seatCostUSD = seats.costUSD;
  if (paid !== null) report.adoption.licences = { paid, active: developers, idle: Math.max(0, paid - developers), costUSD: seatCostUSD };

  const inlineTotals = report.totals.inline;
  const usageFigures = report.totals.usage;
  if (inlineTotals || usageFigures) {
    const economics = (report.economics ??= economicsBase());
    economics.seatSource = seats.source;
    economics.seatCostUSD = seatCostUSD;
    if (inlineTotals) {
      const acceptances = inlineTotals.acceptances.full + inlineTotals.acceptances.word + inlineTotals.acceptances.line;
      economics.acceptanceRate = ratio(acceptances, inlineTotals.opportunities);
      economics.aiShare = ratio(inlineTotals.aiChars, inlineTotals.aiChars + inlineTotals.typedChars);
      const cell = inlineTotals.retention[VALUE_CHECKPOINT];
      economics.retention600 = cell ? ratio(cell.arc, cell.chars) : null;
    }
    // A value mixing a hidden part with a shown one would let the hidden part be recovered by subtraction.
    if (suppressed.hidden.length === 0) {
      const planCovered = planCoverage(seatRuns, k, options, shownBySource);
      const inlineSeats = { costUSD: seats.inlineCostUSD, withheld: seats.inlineWithheld };
      economics.value = teamValue(inlineTotals, usageAll, economics.retention600, { seatCostUSD, inlineSeats, planCovered });
    }
  }
  return report;
}

/**
 * The first and last day the report shows, in a row or as an adoption day. A day of fewer than k developers is folded
 * into `other`, so naming it as an end of the range would tell that some developer worked then.
 */
function shownRange(report: TeamReportJson): TeamReportJson['range'] {
  const shown = [...report.rows.map((row) => row.date), ...report.adoption.day.map((day) => day.key)].filter((day) => day !== OTHER).sort(compareText);
  return shown.length === 0 ? null : { since: shown[0], until: shown[shown.length - 1] };
}

const WITHHELD_SEATS = { source: 'withheld', costUSD: 0, inlineCostUSD: 0, inlineWithheld: false } as const;

/** Each active developer's seats over the days of the report's range that their files span (TeamMerge.seatRuns). */
type SeatRuns = ReadonlyMap<number, readonly SeatRun[]>;

function seatRunsOf(merge: TeamMerge, firstDay: string, lastDay: string): SeatRuns {
  // The developers with a day in the range: one who worked only on days the k rule folded into `other` outside it is
  // none of the report's developers, and pricing their plan over it would let it be told by subtraction.
  const active = new Set<number>();
  for (const [day, developers] of merge.activeByDay) if (day >= firstDay && day <= lastDay) for (const developer of developers) active.add(developer);
  return new Map([...active].map((developer) => [developer, merge.seatRuns(developer, firstDay, lastDay)]));
}

/**
 * The seats the developers active in the range list, each priced over the days of the range their own files cover
 * (a developer who joined in May pays no seat for January, whoever else's files start then), at the plans listed for
 * those days. Only theirs: a developer whose rows all lie outside the range is none of the report's developers. And
 * only when at least k list any, since the sum describes the developers who list seats: one developer's plan was the
 * team's seat cost.
 */
function developerSeats(
  seatRuns: SeatRuns,
  k: number,
  personal: boolean,
): { source: 'developers' | 'withheld'; costUSD: number; inlineCostUSD: number; inlineWithheld: boolean } {
  const listing = listingDevelopers(seatRuns);
  if (listing.length > 0 && listing.length < k) return WITHHELD_SEATS;
  // The seat cost less the inline part is the other plans' cost: each part must be over none or at least k developers.
  const fewer = (which: (plan: string) => boolean) => {
    const developers = listingDevelopers(seatRuns, which).length;
    return developers > 0 && developers < k;
  };
  const inlineWithheld = fewer(isInlinePlan) || fewer((plan) => !isInlinePlan(plan));
  const costOf = (which: (plan: string) => boolean) =>
    personal
      ? seatCostOfRuns(personalSeatRuns(seatRuns, listing), which)
      : listing.reduce((sum, developer) => sum + seatCostOfRuns(seatRuns.get(developer) ?? [], which), 0);
  return { source: 'developers', costUSD: costOf(() => true), inlineCostUSD: inlineWithheld ? 0 : costOf(isInlinePlan), inlineWithheld };
}

/** The cost of the runs' seats whose plan `which` accepts. */
function seatCostOfRuns(runs: readonly SeatRun[], which: (plan: string) => boolean): number {
  let total = 0;
  for (const { since, until, seats } of runs) {
    total += seatCostForRange(since, until, seats.filter((seat) => which(seat.plan)).map((seat) => ({ ...seat, label: seat.plan })));
  }
  return total;
}

/**
 * One person's machines (--personal) as one holder of seats: a plan that several of them list for a day is one
 * subscription that day (the most seats any lists), paid over the days any of them covers, not once per machine.
 */
function personalSeatRuns(seatRuns: SeatRuns, machines: readonly number[]): SeatRun[] {
  const runs = machines.flatMap((machine) => seatRuns.get(machine) ?? []);
  // The days where a run starts or where one has just ended: between two of them, every machine lists the same seats.
  const starts = [...new Set(runs.flatMap((run) => [run.since, addDays(run.until, 1)]))].sort(compareText);
  const merged: SeatRun[] = [];
  for (let i = 0; i + 1 < starts.length; i++) {
    const since = starts[i];
    const until = addDays(starts[i + 1], -1);
    const byPlan = new Map<string, ExportLine['seats'][number]>();
    for (const run of runs) {
      if (compareText(run.since, since) > 0 || compareText(run.until, until) < 0) continue;
      for (const seat of run.seats) if ((byPlan.get(seat.plan)?.count ?? 0) < seat.count) byPlan.set(seat.plan, seat);
    }
    merged.push({ since, until, seats: [...byPlan.values()] });
  }
  return merged;
}

/**
 * The developers active in the range who list seats (of a plan `which` accepts) on any of its days: fewer than k of
 * them, and their seats are no one's to show.
 */
function listingDevelopers(seatRuns: SeatRuns, which: (plan: string) => boolean = () => true): number[] {
  const listing: number[] = [];
  for (const [developer, runs] of seatRuns) {
    if (runs.some(({ seats }) => seats.some((seat) => which(seat.plan)))) listing.push(developer);
  }
  return listing;
}

/**
 * Figures in formulas read the same on every machine, as the rest of the report does. Made on first use: the first
 * Intl number format of a process loads ICU's number data (about 30 ms), which `assay report` never needs.
 */
let formulaFormat: Formatter | undefined;

/**
 * The token cost the developers' own plans cover: the shown cost of each tool every developer of whose shown rows held
 * a plan covering it on each of those rows' days (src/money/subscriptions.ts; with --seats, a licensed plan must cover
 * it too; in a personal report, any of the person's machines' plans that day). A tool that only some of them, or only
 * some of their days, are covered for is not taken off at all: its cost less the covered part would be the others'
 * alone, and so would any part finer than the tool over the whole range (a row, a day), set beside the rows and
 * developer counts the report shows. Shown rows only, so neither a cost the k rule hid nor a developer it folded away
 * plays a part, and nothing is said of seats when fewer than k developers list any. That a tool is partly covered is
 * said only where at least k developers were covered on all their days and at least k were not.
 */
function planCoverage(
  seatRuns: SeatRuns,
  k: number,
  options: Pick<TeamReportOptions, 'licences' | 'personal'>,
  shownBySource: ReadonlyMap<string, ShownUsage>,
): { costUSD: number; withheld: boolean } {
  const listing = listingDevelopers(seatRuns).length;
  if (listing > 0 && listing < k) return { costUSD: 0, withheld: false };
  const licensed = options.licences === null ? null : new Set<string>(options.licences.flatMap((seat) => sourcesOfPlan(seat.plan)));
  const sourcesOfSeats = new Map<ExportLine['seats'], ReadonlySet<string>>();
  const covering = (seats: ExportLine['seats']) => {
    let sources = sourcesOfSeats.get(seats);
    if (!sources) sourcesOfSeats.set(seats, (sources = new Set(seats.flatMap((seat) => sourcesOfPlan(seat.plan)))));
    return sources;
  };
  const everyMachine = options.personal ? [...seatRuns.keys()] : undefined;
  const coveredOn = (developer: number, date: string, source: string) =>
    (everyMachine ?? [developer]).some((holder) => {
      const run = seatRuns.get(holder)?.find((candidate) => compareText(candidate.since, date) <= 0 && compareText(date, candidate.until) <= 0);
      return run !== undefined && covering(run.seats).has(source);
    });
  let costUSD = 0;
  let withheld = false;
  for (const [source, shown] of shownBySource) {
    if (licensed !== null && !licensed.has(source)) continue;
    let covered = 0;
    for (const [developer, dates] of shown.days) if ([...dates].every((date) => coveredOn(developer, date, source))) covered++;
    const uncovered = shown.days.size - covered;
    if (covered > 0 && uncovered === 0) costUSD += shown.costUSD;
    else if (covered >= k && uncovered >= k) withheld = true;
  }
  return { costUSD, withheld };
}

/** A tool's shown usage rows (rows folded into `other` are no tool's): their cost, and each developer's days among them. */
interface ShownUsage {
  costUSD: number;
  days: Map<number, Set<string>>;
}

interface TeamCosts {
  seatCostUSD: number;
  inlineSeats: { costUSD: number; withheld: boolean };
  planCovered: { costUSD: number; withheld: boolean };
}

/**
 * The dashboard's value range over the team's totals. The team report reads no one's settings (a manager's
 * assumptions are not the developers'), so the range is made with Assay's default assumptions, as the text says.
 */
function teamValue(inline: InlineTotals | null, usage: UsageFigures | null, retention600: number | null, costs: TeamCosts): TeamValue {
  const { seatCostUSD, inlineSeats, planCovered } = costs;
  const inlineSeatCostUSD = inlineSeats.costUSD;
  const arc600Chars = inline?.retention[VALUE_CHECKPOINT]?.arc ?? 0;
  const acceptedLines = inline?.acceptedLines ?? 0;
  const tokenCostUSD = usage?.costUSD ?? 0;
  const costUSD = tokenCostUSD + seatCostUSD - planCovered.costUSD;
  const work = usage ? teamAgentWork(usage) : { responses: 0, keptAgentLines: 0 };
  const range: ValueRange = estimateValueRange({ arc600Chars, ...work, costUSD }, DEFAULT_VALUE_RANGE_SETTINGS);
  const bound = (end: ValueRange['low']): TeamValueBound => ({ minutesSaved: end.minutesSaved, valueUSD: end.valueUSD, roi: end.roi, formula: plain(end.formula) });
  return {
    arc600Chars,
    ...work,
    tokenCostUSD,
    seatCostUSD,
    planCoveredCostUSD: planCovered.costUSD,
    planCoverageWithheld: planCovered.withheld,
    costUSD,
    unpricedRequests: usage?.unpricedRequests ?? 0,
    low: bound(range.low),
    expected: bound(range.expected),
    high: bound(range.high),
    roi: plain(range.roiText),
    inlineSeatCostUSD,
    inlineSeatCostWithheld: inlineSeats.withheld,
    inlineSeatCostPerAcceptedLine: inlineSeatCostUSD > 0 ? ratio(inlineSeatCostUSD, acceptedLines) : null,
    inlineSeatCostPerRetainedLine: inlineSeatCostUSD > 0 && retention600 !== null ? ratio(inlineSeatCostUSD, acceptedLines * retention600) : null,
  };
}

/**
 * The agent terms of the value, split as `agentWork` splits one developer's rows. A merged group adds rows of
 * several developers, so the split was made row by row while merging (`keptLineRequests`): the rows measured a
 * day later count by the lines they kept, all others (schema 1 and 2 rows, rows still waiting) by responses.
 */
function teamAgentWork(usage: UsageFigures): { responses: number; keptAgentLines: number } {
  return agentWork([
    { requests: usage.requests - usage.keptLineRequests },
    { requests: usage.keptLineRequests, agentRetention: usage.agentRetention },
  ]);
}

function plain(sentence: RichText): string {
  return (formulaFormat ??= new Formatter('en-US')).text(sentence);
}

function economicsBase(): NonNullable<TeamReportJson['economics']> {
  return {
    acceptanceRate: null,
    aiShare: null,
    retention600: null,
    seatSource: 'developers',
    seatCostUSD: 0,
    value: null,
    whatIf: [],
    jevons: [],
  };
}

/**
 * What-if over the model breakdown as shown: a model only a few developers use is inside `other` (which no price
 * data names), so neither a suggested target nor a priced-at-list figure tells of it. A local model costs what
 * Assay's default assumption says (docs/money.md, local models are never free), as no developer's settings are read.
 */
function whatIf(models: ReadonlyArray<Group<UsageFigures>>, listPricer: Pricer): WhatIfResult[] {
  const pricer = withLocalModelCost(listPricer, DEFAULT_LOCAL_MODEL_USD_PER_MTOK);
  const rows = models.filter((group) => group.key !== OTHER).map((group) => ({ model: group.key, tokens: group.figures.tokens }));
  const shownBySpend = models
    .filter((group) => group.key !== OTHER)
    .sort((a, b) => b.figures.costUSD - a.figures.costUSD)
    .map((group) => group.key);
  return suggestWhatIfModels(shownBySpend, pricer).map((target) => whatIfCost(rows, target, pricer));
}

/** A row of the report: a day (or `other`) and two keys, of at least k developers. */
interface FoldedRow<Figures, G extends RowGroup<Figures> = RowGroup<Figures>> {
  date: string;
  first: string;
  second: string;
  developers: Set<number>;
  figures: Figures;
  /** The merged groups it sums (several for an `other` row). */
  members: G[];
}

/**
 * Rows keyed by day and two keys, folded in two levels: a day with fewer than k developers goes whole
 * into a row dated `other` (with complementary suppression over days), and within each shown day
 * the groups under k fold into that day's (`other`, `other`) row.
 */
function foldRows<Figures, G extends RowGroup<Figures>>(
  groups: readonly G[],
  k: number,
  empty: () => Figures,
  add: (target: Figures, figures: Figures) => void,
  suppressed: TeamReportJson['suppressed'],
): Array<FoldedRow<Figures, G>> {
  const byDay = new Map<string, G[]>();
  for (const group of groups) {
    const list = byDay.get(group.date);
    if (list) list.push(group);
    else byDay.set(group.date, [group]);
  }
  const dayGroups = [...byDay.keys()].sort(compareText).map((date) => {
    const list = byDay.get(date) as G[];
    return { key: date, developers: union(list), figures: sumGroups(list, empty, add) };
  });
  const days = foldSmallGroups(dayGroups, k, empty, add);
  suppressed.groups += days.folded;
  const out: Array<FoldedRow<Figures, G>> = [];
  for (const day of days.shown) {
    const list = (byDay.get(day.key) as G[]).map((group) => ({
      key: group.first === OTHER && group.second === OTHER ? OTHER : `${group.first}\u0000${group.second}`,
      developers: group.developers,
      figures: group.figures,
      group,
    }));
    const folded = foldSmallGroups(list, k, empty, add);
    suppressed.groups += folded.folded;
    const shown = new Set(folded.shown.map((entry) => entry.key));
    for (const { group } of folded.shown as typeof list) {
      out.push({ date: day.key, first: group.first, second: group.second, developers: group.developers, figures: group.figures, members: [group] });
    }
    if (folded.other) {
      const members = list.filter((entry) => !shown.has(entry.key)).map((entry) => entry.group);
      out.push({ date: day.key, first: OTHER, second: OTHER, developers: folded.other.developers, figures: folded.other.figures, members });
    }
  }
  if (days.other) {
    const shownDays = new Set(days.shown.map((day) => day.key));
    const members = groups.filter((group) => !shownDays.has(group.date));
    out.push({ date: OTHER, first: OTHER, second: OTHER, developers: days.other.developers, figures: days.other.figures, members });
  }
  return out;
}

/**
 * A usage row's figures with each part that describes only some of its developers (the priced rows' cost, the agent
 * output of the rows that report it, what was measured at each agent checkpoint) withheld unless that part and the rest
 * of the row each have no developer or at least k: a row of five developers, one of them priced, showed that one's cost
 * as the row's, and its requests minus its unpriced requests told that one's too. Every sum of rows (breakdowns,
 * totals, value, what-if) is made of these figures, so a withheld part is in none of them: each figure shown is a sum
 * of parts of at least k developers. A withheld cost counts its row's requests as unpriced (their cost is not in
 * `costUSD`); withheld agent output is unknown, as a row of an older summary's is.
 */
function disclosedUsage(row: FoldedRow<UsageFigures, UsageRowGroup>, k: number): UsageFigures {
  const priced = new Split();
  const agentOutput = new Split();
  const measuredAt = AGENT_CHECKPOINT_KEYS.map(() => new Split());
  // The kept-line figures (kept-line requests and cost, waste tokens) are the rows measured a day later: against every
  // other row for requests, against the other priced rows for cost.
  const keptLines = new Split();
  const keptLineCost = new Split();
  for (const member of row.members) {
    for (const developer of member.developers) {
      const isPriced = member.unpriced?.has(developer) !== true;
      priced.add(developer, isPriced);
      agentOutput.add(developer, member.withoutAgentOutput?.has(developer) !== true);
      const measured = member.measuredAt?.get(developer);
      const keptLine = measured !== undefined && knownSomeAt(measured, KEPT_LINES_CHECKPOINT);
      keptLines.add(developer, keptLine);
      if (isPriced) keptLineCost.add(developer, keptLine);
      // A row without agent edits has nothing measured or waiting at a checkpoint: its lines there are none. A row with
      // some edits measured and some not is on both sides, as an inline row with some acceptances known (disclosedInline):
      // the row's lines added minus the cell's are its edits not measured yet.
      if (measured === undefined) continue;
      for (let i = 0; i < measuredAt.length; i++) {
        if (knownSomeAt(measured, i)) measuredAt[i].add(developer, true);
        if (!knownAllAt(measured, i)) measuredAt[i].add(developer, false);
      }
    }
  }
  // The unpriced part alone may be small where the row is `other`: its cost adds nothing of the unpriced rows and no
  // list price names `other`, so the cost stays and the few unpriced requests and tokens count as priced (at no cost).
  // On a model's own row what-if prices all its tokens at list, and the cost beside them would tell the unpriced part's.
  const showsUnpriced = priced.outsideDisclosable(k);
  const showsCost = priced.insideDisclosable(k) && (showsUnpriced || row.second === OTHER);
  const showsAgentOutput = agentOutput.disclosable(k);
  const hiddenCheckpoints = AGENT_CHECKPOINT_KEYS.filter((_, i) => !measuredAt[i].disclosable(k));
  const showsKeptLines = !hiddenCheckpoints.includes(KEPT_LINES_CHECKPOINT_KEY) && keptLines.disclosable(k) && keptLineCost.disclosable(k);
  if (showsCost && showsUnpriced && showsAgentOutput && hiddenCheckpoints.length === 0 && showsKeptLines) return row.figures;
  const figures = emptyUsageFigures();
  addUsageFigures(figures, row.figures);
  if (!showsCost) {
    figures.costUSD = 0;
    figures.pricedTokens = 0;
    figures.unpricedRequests = figures.requests;
    figures.keptLineCostUSD = 0;
  } else if (!showsUnpriced) {
    figures.unpricedRequests = 0;
    figures.pricedTokens = tokensOf(figures);
  }
  if (!showsAgentOutput) {
    const none = emptyUsageFigures();
    figures.agentEdits = none.agentEdits;
    figures.linesAdded = none.linesAdded;
    figures.linesRemoved = none.linesRemoved;
    figures.wasteTokens = none.wasteTokens;
    figures.agentRetention = none.agentRetention;
    figures.agentOutputRows = none.agentOutputRows;
    figures.agentOutputRequests = none.agentOutputRequests;
    figures.keptLineRequests = none.keptLineRequests;
    figures.keptLineCostUSD = none.keptLineCostUSD;
    return figures;
  }
  const retention = { ...figures.agentRetention };
  for (const checkpoint of hiddenCheckpoints) delete retention[checkpoint];
  if (!showsKeptLines) {
    delete retention[KEPT_LINES_CHECKPOINT_KEY];
    figures.keptLineRequests = 0;
    figures.keptLineCostUSD = 0;
    figures.wasteTokens = 0;
  }
  figures.agentRetention = retention;
  return figures;
}

/**
 * An inline row's figures without the retention cells of a checkpoint at which the acceptances known, or those not
 * known yet (the row's accepted characters minus the cell's), are of fewer than k developers (docs/privacy.md).
 */
function disclosedInline(row: FoldedRow<InlineRow, InlineRowGroup>, k: number, checkpoints: ReadonlyMap<string, number>): InlineRow {
  const hidden = Object.keys(row.figures.retention).filter((checkpoint) => {
    const bit = checkpoints.get(checkpoint);
    if (bit === undefined) return true;
    const known = new Split();
    for (const member of row.members) {
      for (const developer of member.developers) {
        const bits = member.knownAt?.get(developer);
        if (bits === undefined) continue;
        if (knownSomeAt(bits, bit)) known.add(developer, true);
        if (!knownAllAt(bits, bit)) known.add(developer, false);
      }
    }
    return !known.disclosable(k);
  });
  if (hidden.length === 0) return row.figures;
  const figures = emptyInlineRow(row.figures.date, row.figures.languageId, row.figures.provider);
  addInlineRow(figures, row.figures);
  for (const checkpoint of hidden) delete figures.retention[checkpoint];
  return figures;
}

/** The kept-line checkpoint's bit in UsageRowGroup.measuredAt. */
const KEPT_LINES_CHECKPOINT = AGENT_CHECKPOINT_KEYS.indexOf(KEPT_LINES_CHECKPOINT_KEY);

/** The developers of a row inside a part of its figures and outside it (one developer may be in both). */
class Split {
  private readonly inside = new Set<number>();
  private readonly outside = new Set<number>();
  add(developer: number, isInside: boolean): void {
    (isInside ? this.inside : this.outside).add(developer);
  }
  /** The part and the rest each have no developer or at least k. */
  disclosable(k: number): boolean {
    return this.insideDisclosable(k) && this.outsideDisclosable(k);
  }
  insideDisclosable(k: number): boolean {
    return this.inside.size === 0 || this.inside.size >= k;
  }
  outsideDisclosable(k: number): boolean {
    return this.outside.size === 0 || this.outside.size >= k;
  }
}

/**
 * A breakdown of the report (by day, week, month or one key) as the sums of its rows. Each group is made of rows of at
 * least k developers, and what the rows folded stays in `other`: a breakdown made by folding the merged figures
 * anew would tell what the rows hid (a language's total minus its rows, a month's total minus its weeks).
 */
function breakdownOfRows<Figures>(
  rows: ReadonlyArray<FoldedRow<Figures>>,
  keyOf: (row: FoldedRow<Figures>) => string,
  empty: () => Figures,
  add: (target: Figures, figures: Figures) => void,
): Array<Group<Figures>> {
  const groups = regroup(
    rows.map((row) => ({ key: keyOf(row), developers: row.developers, figures: row.figures })),
    (group) => group.key,
    empty,
    add,
  );
  return [...groups.filter((group) => group.key !== OTHER), ...groups.filter((group) => group.key === OTHER)];
}

function weekOfRow(row: { date: string }): string {
  return row.date === OTHER ? OTHER : weekOf(row.date);
}

function monthOfRow(row: { date: string }): string {
  return row.date === OTHER ? OTHER : monthOf(row.date);
}

/** The developers active per day or week (counts, not sums): groups folded; `other` last. */
function foldBreakdown<Figures, G extends Group<Figures>>(
  groups: readonly G[],
  keyOf: (group: G) => string,
  k: number,
  empty: () => Figures,
  add: (target: Figures, figures: Figures) => void,
  suppressed: TeamReportJson['suppressed'],
  name: string,
): Array<Group<Figures>> {
  const regrouped = regroup(groups, (group) => keyOf(group as G), empty, add);
  const folded = foldSmallGroups(regrouped, k, empty, add);
  suppressed.groups += folded.folded;
  if (folded.hidden) suppressed.hidden.push(name);
  return folded.other ? [...folded.shown, folded.other] : folded.shown;
}

function union(groups: ReadonlyArray<{ developers: Set<number> }>): Set<number> {
  const all = new Set<number>();
  for (const group of groups) for (const developer of group.developers) all.add(developer);
  return all;
}

function sumGroups<Figures>(groups: ReadonlyArray<{ figures: Figures }>, empty: () => Figures, add: (target: Figures, figures: Figures) => void): Figures {
  const total = empty();
  for (const group of groups) add(total, group.figures);
  return total;
}

function inlineFigures(row: InlineRow): InlineTotals {
  const { date: _date, kind: _kind, languageId: _languageId, provider: _provider, ...figures } = row;
  return figures;
}

function usageTotals(figures: UsageFigures): TeamUsageFigures {
  return {
    inputTokens: figures.inputTokens,
    outputTokens: figures.outputTokens,
    reasoningTokens: figures.reasoningTokens,
    cacheReadTokens: figures.cacheReadTokens,
    cacheWriteTokens: figures.cacheWriteTokens,
    costUSD: figures.costUSD,
    requests: figures.requests,
    requestsWithoutTokens: figures.requestsWithoutTokens,
    unpricedRequests: figures.unpricedRequests,
    ...agentOutput(figures),
  };
}

function agentOutput(figures: UsageFigures): Partial<TeamAgentOutput> {
  if (figures.agentOutputRows === 0) return {};
  const kept = figures.agentRetention[KEPT_LINES_CHECKPOINT_KEY]?.linesKept ?? 0;
  return {
    agentEdits: figures.agentEdits,
    linesAdded: figures.linesAdded,
    linesRemoved: figures.linesRemoved,
    agentRetention: Object.fromEntries(Object.entries(figures.agentRetention).map(([checkpoint, cell]) => [checkpoint, { ...cell }])),
    wasteTokens: figures.wasteTokens,
    agentOutputRequests: figures.agentOutputRequests,
    costPerKeptLineUSD: kept > 0 ? figures.keptLineCostUSD / kept : null,
  };
}

/** Lines kept ÷ lines added at `checkpoint`, of the edits measured there; null when none is. */
export function keptShare(output: Partial<AgentOutputFigures>, checkpoint: string): number | null {
  const cell = output.agentRetention?.[checkpoint];
  return cell ? ratio(cell.linesKept, cell.linesAdded) : null;
}

/** A row's cost is null only when none of its requests is priced, as in the daily report. */
function usageRowFigures(figures: UsageFigures): Omit<TeamUsageRow, 'date' | 'kind' | 'source' | 'model' | 'developers'> {
  const { unpricedRequests: _inTotalsOnly, ...row } = usageTotals(figures);
  return { ...row, costUSD: figures.requests > 0 && figures.unpricedRequests >= figures.requests ? null : figures.costUSD };
}

function rowKeys(row: TeamRow): string {
  return row.kind === 'inline' ? `${row.languageId}\u0000${row.provider}` : `${row.source}\u0000${row.model}`;
}

function ratio(part: number, whole: number): number | null {
  return whole > 0 ? part / whole : null;
}
