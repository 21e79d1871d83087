// The readable form of a team report (`assay team report` without --json), rendered from the
// report object alone, so it shows nothing the k rule has not already let through.
import { OTHER } from '../privacy/allowlists';
import { count, percent, signedUsd, usd, usdSmall, whom } from './format';
import { PRICE_SNAPSHOT_DATE } from '../pricing/snapshotInfo';
import type { WhatIfResult } from '../pricing/whatIf';
import { MEASURES } from '../report/measures';
import { KEPT_LINES_CHECKPOINT_KEY } from '../agentOutput/types';
import { keptShare } from './teamReport';
import type { TeamAgentOutput, TeamReportJson, TeamValue, UsageGroupRow } from './teamReport';

/** The checkpoints whose kept share the team report shows (docs/metrics.md, Agent output), with their names. */
export const AGENT_KEPT_SHARES = [
  { checkpoint: '3600', label: 'Kept at 1 h' },
  { checkpoint: KEPT_LINES_CHECKPOINT_KEY, label: 'Kept at 1 day' },
] as const;

export function teamReportText(report: TeamReportJson, madeOn: string): string {
  const out: string[] = [];
  const who = report.personal ? `${report.developers} machine${report.developers === 1 ? '' : 's'} (personal report, no k rule)` : `${report.developers} developers, groups of at least ${report.minGroup}`;
  out.push(`Assay team report, made ${madeOn}: ${who}`);
  out.push(`Files merged: ${report.files.merged}${report.files.superseded > 0 ? `, not needed (newer files cover their days): ${report.files.superseded}` : ''}${report.files.skipped > 0 ? `, skipped: ${report.files.skipped} (see above)` : ''}`);
  if (report.suppressed.reason) {
    out.push('', report.suppressed.reason, '');
    return out.join('\n');
  }
  if (report.range) out.push(`Days: ${report.range.since} to ${report.range.until}`);
  if (report.suppressed.groups > 0) out.push(`${report.suppressed.groups} groups under ${report.minGroup} developers are folded into "other".`);
  if (report.suppressed.hidden.length > 0) out.push(`Not shown (fewer than ${report.minGroup} developers): ${report.suppressed.hidden.join(', ')}.`);

  const adoption = report.adoption;
  out.push('', 'Adoption');
  if (adoption.licences) {
    const cost = report.range ? ` (${usd(adoption.licences.costUSD)} in this range)` : '';
    out.push(`  Licences paid: ${count(adoption.licences.paid)}, developers active: ${count(adoption.licences.active)}, idle licences: ${count(adoption.licences.idle)}${cost}`);
  }
  for (const week of adoption.week) {
    out.push(`  Week of ${week.key}: ${count(week.developers)} ${whom(report.personal, week.developers)} active${week.idleLicences === null ? '' : `, ${count(week.idleLicences)} idle licences`}`);
  }

  const economics = report.economics;
  const inline = report.totals.inline;
  if (inline && economics) {
    out.push('', 'Inline suggestions');
    out.push(`  Accepted: ${count(inline.acceptances.full + inline.acceptances.word + inline.acceptances.line)} (${count(inline.acceptedLines)} lines, ${count(inline.aiChars)} chars)`);
    out.push(`  ${MEASURES.acceptanceRate.label}: ${percent(economics.acceptanceRate)}   ${MEASURES.aiShare.label}: ${percent(economics.aiShare)}   ${MEASURES.keptAt600.label}: ${percent(economics.retention600)}`);
    for (const row of report.breakdowns.inline.language) out.push(`  ${row.key.padEnd(20)} ${count(row.aiChars).padStart(12)} AI chars  ${String(row.developers).padStart(5)} ${whom(report.personal, row.developers)}`);
  }
  const usage = report.totals.usage;
  if (usage && economics) {
    out.push('', 'Chat and agent usage');
    out.push(`  Requests: ${count(usage.requests)}   Tokens: ${count(usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens)}   Cost: ${usd(usage.costUSD)}${usage.unpricedRequests > 0 ? ` (${count(usage.unpricedRequests)} requests unpriced)` : ''}`);
    out.push('  By tool:');
    spend(out, report.breakdowns.usage.source, report.personal);
    out.push('  By model:');
    spend(out, report.breakdowns.usage.model, report.personal);
    if (economics.whatIf.length > 0) {
      const asUsed = economics.whatIf[0].realCostUSD;
      out.push('  What if the same tokens had gone to another model (at list prices):');
      out.push(`    ${'models as used'.padEnd(28)} ${usd(asUsed).padStart(12)}`);
      for (const result of economics.whatIf) {
        const cost = result.whatIfCostUSD;
        out.push(`    ${result.targetModel.padEnd(28)} ${(cost === null ? 'unpriced' : usd(cost)).padStart(12)}${cost === null ? '' : `  (${signedUsd(cost - asUsed)})`}`);
      }
      out.push(`    ${whatIfBasis(economics.whatIf, usage.costUSD, report.breakdowns.usage.model)}`);
    }
    if (economics.jevons.length > 0) {
      out.push('  Per month (Jevons view):');
      for (const month of economics.jevons) {
        out.push(`    ${month.month}  ${usd(month.spendUSD).padStart(12)}  ${count(month.tokens).padStart(15)} tokens  ${month.usdPerMillionTokens === null ? '–' : usd(month.usdPerMillionTokens)} per 1M`);
      }
    }
  }
  if (usage && economics) agentOutputText(out, usage, report);
  if (economics) {
    out.push('', 'Value (estimate)', `  ${seatCostText(economics, report.range)}`);
    if (economics.value) {
      const value = economics.value;
      const { figure, formulas } = valueLines(value);
      for (const line of [figure, ...formulas, VALUE_BASIS]) out.push(`  ${line}`);
      out.push(`  ${inlineSeatCostText(value)}`);
    } else {
      out.push('  Not shown: part of the figures covers fewer developers than the report allows.');
    }
  }
  out.push('');
  return out.join('\n');
}

/** The inline seats' cost per line, as the dashboard's card: only what those seats cost, only the lines they gave. */
export function inlineSeatCostText(value: TeamValue): string {
  if (value.inlineSeatCostWithheld) {
    return "Inline seat cost per accepted line: not shown, because fewer developers than the report's minimum group list inline-suggestion seats, or list other seats";
  }
  if (value.inlineSeatCostPerAcceptedLine === null) return 'Inline seat cost per accepted line: – (no inline-suggestion seats, or no accepted lines)';
  const retained = value.inlineSeatCostPerRetainedLine === null ? '' : `; per line kept at 10 min ${usdSmall(value.inlineSeatCostPerRetainedLine)} (estimate)`;
  return `Inline seat cost per accepted line: ${usdSmall(value.inlineSeatCostPerAcceptedLine)}${retained}`;
}

/** What the what-if figures are, so that a reader does not take them for the spend. */
export function whatIfBasis(whatIf: readonly WhatIfResult[], spendUSD: number, models: ReadonlyArray<{ key: string }>): string {
  const unpriced = whatIf[0]?.unpricedRows ?? 0;
  const left = [
    ...(unpriced > 0 ? [`of ${unpriced} model${unpriced === 1 ? '' : 's'} without a list price`] : []),
    ...(models.some((model) => model.key === OTHER) ? ['under "other" (models too few developers use, or none names)'] : []),
  ];
  return (
    `All of these are the team's tokens at list prices (Assay's price data of ${PRICE_SNAPSHOT_DATE})` +
    (left.length > 0 ? `, leaving out the tokens ${left.join(' and those ')}` : '') +
    `. The spend, ${usd(spendUSD)}, is what each developer's Assay priced when it exported, with that machine's prices; ` +
    'the two differ when developers set their own prices, ran another price list or used models this one has no price for.'
  );
}

/** What the cost is made of, as the dashboard's Spend: tokens a developer's flat plan covers are that plan's. */
function costParts(value: TeamValue): string {
  const parts = `${usd(value.tokenCostUSD)} tokens + ${usd(value.seatCostUSD)} seats`;
  const covered = value.planCoveredCostUSD > 0 ? ` − ${usd(value.planCoveredCostUSD)} of tokens the developers' flat plans cover` : '';
  const partly = value.planCoverageWithheld ? "; tools that only some of their developers' flat plans cover, on every day they used them, count at their API price" : '';
  return `${parts}${covered}${partly}`;
}

/**
 * The value as the dashboard shows it: the expected figure and its range, each end's formula with both agent terms,
 * and the ROI range.
 */
export function valueLines(value: TeamValue): { figure: string; formulas: string[] } {
  const unpriced = value.unpricedRequests > 0 ? ` (${count(value.unpricedRequests)} requests on unpriced models are not in the cost)` : '';
  return {
    figure: `Estimated value: ${usd(value.expected.valueUSD)} (low ${usd(value.low.valueUSD)} – high ${usd(value.high.valueUSD)})`,
    formulas: [
      `Expected value = ${value.expected.formula}`,
      `Low end = ${value.low.formula}`,
      `High end = ${value.high.formula}`,
      `${value.roi}${value.costUSD > 0 ? `: each end of the value ÷ cost ${usd(value.costUSD)} (${costParts(value)})` : ''}${unpriced}`,
    ],
  };
}

/** Where each term comes from and whose assumptions price it. */
export const VALUE_BASIS =
  'Agent work counts by the lines kept at 1 day where the summaries measured them (schema 3), by responses elsewhere; ' +
  "minutes per response, per kept line and typing speeds are Assay's defaults (docs/money.md), not any developer's settings.";

/** The seat cost behind the ROI, and where it comes from; none known is said as such, never as $0.00 of seats. */
export function seatCostText(economics: NonNullable<TeamReportJson['economics']>, range: TeamReportJson['range']): string {
  if (range === null) {
    return 'Seat cost: not shown, because no day has enough developers to be named, which leaves no range to price seats over, so the cost is token spend only.';
  }
  if (economics.seatSource === 'licences') return `Seat cost in this range: ${usd(economics.seatCostUSD)}, for the licences given with --seats.`;
  if (economics.seatSource === 'withheld') {
    return 'Seat cost: not shown, because fewer developers than the report\'s minimum group list seats in the assay.seats setting (give the licences with --seats), so the cost is token spend only.';
  }
  if (economics.seatCostUSD > 0) return `Seat cost in this range: ${usd(economics.seatCostUSD)}, for the seats developers list in their assay.seats setting.`;
  return 'Seat cost: none known (no developer lists a seat in the assay.seats setting and no licences were given with --seats), so the cost is token spend only.';
}

/** Lines agents wrote and kept, where the summaries report them; said to be unknown where none does. */
function agentOutputText(out: string[], usage: NonNullable<TeamReportJson['totals']['usage']>, report: TeamReportJson): void {
  out.push('', 'Agent output');
  const total = reported(usage);
  if (!total) {
    out.push(`  ${AGENT_OUTPUT_UNKNOWN}`);
    return;
  }
  out.push(`  Reported for ${count(total.agentOutputRequests)} of ${count(usage.requests)} agent responses (${AGENT_OUTPUT_COVERAGE})`);
  out.push(`  Lines added: ${count(total.linesAdded)}   Lines removed: ${count(total.linesRemoved)}   Edits: ${count(total.agentEdits)}`);
  out.push(`  ${AGENT_KEPT_SHARES.map(({ checkpoint, label }) => `${label}: ${keptText(total, checkpoint)}`).join('   ')}`);
  out.push(`  Cost per kept line (kept at 1 day): ${perKeptLine(total)}   Tokens of responses whose edits kept nothing at 1 day: ${count(total.wasteTokens)}`);
  for (const [title, rows] of [['By tool', report.breakdowns.usage.source], ['By model', report.breakdowns.usage.model]] as const) {
    out.push(`  ${title}:`);
    for (const row of rows) {
      const figures = reported(row);
      const cells = figures
        ? `${count(figures.linesAdded).padStart(10)} lines added  ${AGENT_KEPT_SHARES.map(({ checkpoint, label }) => `${label.toLowerCase()} ${percent(keptShare(figures, checkpoint)).padStart(6)}`).join('  ')} (${count(figures.agentRetention[KEPT_LINES_CHECKPOINT_KEY]?.known ?? 0)} edits measured)  ${perKeptLine(figures).padStart(8)} per kept line`
        : `${'unknown'.padStart(10)} (${AGENT_OUTPUT_UNKNOWN_SHORT})`;
      out.push(`    ${row.key.padEnd(28)} ${cells}  ${String(row.developers).padStart(5)} ${whom(report.personal, row.developers)}`);
    }
  }
}

/** Why a group has no agent output figures: its summaries predate them. */
export const AGENT_OUTPUT_UNKNOWN = 'Unknown: no summary in the range reports it (files made before Assay wrote agent output, schema 3).';
const AGENT_OUTPUT_UNKNOWN_SHORT = 'summaries before schema 3';
/** What the agent figures cover when some files are older than the figures. */
export const AGENT_OUTPUT_COVERAGE = 'summaries of schema 3 and later; kept shares are of the edits measured at each checkpoint';

/** The group's agent output, or undefined when none of its summaries reports it. */
export function reported(figures: Partial<TeamAgentOutput>): TeamAgentOutput | undefined {
  return figures.agentRetention === undefined ? undefined : (figures as TeamAgentOutput);
}

/** "70.0% of 1,234 lines (56 edits measured)", or why there is no share. */
export function keptText(figures: TeamAgentOutput, checkpoint: string): string {
  const cell = figures.agentRetention[checkpoint];
  return cell ? `${percent(keptShare(figures, checkpoint))} of ${count(cell.linesAdded)} lines (${count(cell.known)} edits measured)` : '– (no edit measured)';
}

export function perKeptLine(figures: TeamAgentOutput): string {
  return figures.costPerKeptLineUSD === null ? '–' : usdSmall(figures.costPerKeptLineUSD);
}

function spend(out: string[], rows: readonly UsageGroupRow[], personal: boolean): void {
  for (const row of rows) out.push(`    ${row.key.padEnd(28)} ${(row.requests > 0 && row.unpricedRequests >= row.requests ? 'unpriced' : usd(row.costUSD)).padStart(12)}  ${count(row.requests).padStart(10)} requests  ${String(row.developers).padStart(5)} ${whom(personal, row.developers)}`);
}
