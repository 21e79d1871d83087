// The readable form of a team report (`assay team report` without --json), rendered from the
// report object alone, so it shows nothing the k rule has not already let through.
import type { TeamReportJson, UsageGroupRow } from './teamReport';

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
    out.push(`  Licences paid: ${count(adoption.licences.paid)}, developers active: ${count(adoption.licences.active)}, idle licences: ${count(adoption.licences.idle)} (${usd(adoption.licences.costUSD)} in this range)`);
  }
  for (const week of adoption.week) {
    out.push(`  Week of ${week.key}: ${count(week.developers)} developers active${week.idleLicences === null ? '' : `, ${count(week.idleLicences)} idle licences`}`);
  }

  const economics = report.economics;
  const inline = report.totals.inline;
  if (inline && economics) {
    out.push('', 'Inline suggestions');
    out.push(`  Accepted: ${count(inline.acceptances.full + inline.acceptances.word + inline.acceptances.line)} (${count(inline.acceptedLines)} lines, ${count(inline.aiChars)} chars)`);
    out.push(`  Acceptance rate (per request): ${percent(economics.acceptanceRate)}   AI share: ${percent(economics.aiShare)}   Kept at 10 min: ${percent(economics.retention600)}`);
    for (const row of report.breakdowns.inline.language) out.push(`  ${row.key.padEnd(20)} ${count(row.aiChars).padStart(12)} AI chars  ${String(row.developers).padStart(5)} developers`);
  }
  const usage = report.totals.usage;
  if (usage && economics) {
    out.push('', 'Chat and agent usage');
    out.push(`  Requests: ${count(usage.requests)}   Tokens: ${count(usage.inputTokens + usage.outputTokens + usage.cacheReadTokens + usage.cacheWriteTokens)}   Cost: ${usd(usage.costUSD)}${usage.unpricedRequests > 0 ? ` (${count(usage.unpricedRequests)} requests unpriced)` : ''}`);
    out.push('  By tool:');
    spend(out, report.breakdowns.usage.source);
    out.push('  By model:');
    spend(out, report.breakdowns.usage.model);
    if (economics.whatIf.length > 0) {
      out.push('  What if the same tokens had gone to:');
      for (const result of economics.whatIf) {
        out.push(`    ${result.targetModel.padEnd(28)} ${result.whatIfCostUSD === null ? 'unpriced' : usd(result.whatIfCostUSD)} instead of ${usd(result.realCostUSD)}`);
      }
    }
    if (economics.jevons.length > 0) {
      out.push('  Per month (Jevons view):');
      for (const month of economics.jevons) {
        out.push(`    ${month.month}  ${usd(month.spendUSD).padStart(12)}  ${count(month.tokens).padStart(15)} tokens  ${month.usdPerMillionTokens === null ? '–' : usd(month.usdPerMillionTokens)} per 1M`);
      }
    }
  }
  if (economics) {
    out.push('', `Value (estimate; seats from ${economics.seatSource === 'licences' ? '--seats' : "developers' own settings"}: ${usd(economics.seatCostUSD)})`);
    if (economics.value) {
      const value = economics.value;
      out.push(`  ${value.formula}`, `  ${value.roiFormula}`);
      out.push(`  Cost per accepted line: ${value.costPerAcceptedLine === null ? '–' : usd(value.costPerAcceptedLine)}   per retained line: ${value.costPerRetainedLine === null ? '–' : usd(value.costPerRetainedLine)}`);
    } else {
      out.push('  Not shown: part of the figures covers fewer developers than the report allows.');
    }
  }
  out.push('');
  return out.join('\n');
}

function spend(out: string[], rows: readonly UsageGroupRow[]): void {
  for (const row of rows) out.push(`    ${row.key.padEnd(28)} ${(row.requests > 0 && row.unpricedRequests >= row.requests ? 'unpriced' : usd(row.costUSD)).padStart(12)}  ${count(row.requests).padStart(10)} requests  ${String(row.developers).padStart(5)} developers`);
}

function count(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function usd(value: number): string {
  return `$${value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

function percent(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)}%`;
}
