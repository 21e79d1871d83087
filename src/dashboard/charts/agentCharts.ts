// Agent output (docs/metrics.md, Agent output): lines agents' own file edits wrote, how many were
// still in their files an hour, a day and a week later, and what each kept line cost.
import { AGENT_CHECKPOINTS, KEPT_LINES_CHECKPOINT, KEPT_LINES_CHECKPOINT_KEY } from '../../agentOutput/types';
import type { AgentRetentionCell } from '../../report/rows';
import { EMPTY } from '../emptyStates';
import { byDate, formatCheckpoint, groupBy, pricedCost, ratio, restLabel, series, sum, topN, TOP_N } from '../figures';
import type { DashboardUsageRow } from '../inputs';
import type { ChartSpec } from '../protocol';

export function agentCell(rows: readonly DashboardUsageRow[], checkpoint: number): AgentRetentionCell {
  const total: AgentRetentionCell = { known: 0, linesAdded: 0, linesKept: 0 };
  for (const row of rows) {
    const cell = row.agentRetention[String(checkpoint)];
    if (!cell) continue;
    total.known += cell.known;
    total.linesAdded += cell.linesAdded;
    total.linesKept += cell.linesKept;
  }
  return total;
}

/**
 * Token cost per line kept at one day, over the rows whose edits were measured at one day: rows still
 * waiting for their checkpoint would add cost without their kept lines. Null when nothing is measured.
 */
export function costPerKeptAgentLine(rows: readonly DashboardUsageRow[]): { costUSD: number | null; linesKept: number } {
  const measured = rows.filter((row) => (row.agentRetention[KEPT_LINES_CHECKPOINT_KEY]?.known ?? 0) > 0);
  const kept = agentCell(measured, KEPT_LINES_CHECKPOINT).linesKept;
  return { costUSD: ratio(pricedCost(measured), kept), linesKept: kept };
}

function agentEmpty(usage: readonly DashboardUsageRow[]): string | null {
  return sum(usage, (row) => row.agentEdits) > 0 ? null : EMPTY.agentOutputNoEdits;
}

export function agentLinesPerDay(days: string[], usage: readonly DashboardUsageRow[]): ChartSpec {
  const perDay = byDate(usage);
  const rowsOf = (d: string) => perDay.get(d) ?? [];
  return {
    id: 'agent-lines',
    section: 'agentOutput',
    title: 'Lines agents wrote per day, and lines kept a day later',
    description:
      'Non-blank lines added by agents’ own file edits per day, and of the edits measured a day later, the lines still in their files. ' +
      'Edits less than a day old, or whose log was gone, have no kept figure yet.',
    horizontal: false,
    categoryLabel: 'Date',
    labels: days,
    series: [
      series('Lines added', 'bar', days.map((d) => sum(rowsOf(d), (r) => r.linesAdded)), { format: 'count' }),
      series('Lines kept at 1 day', 'bar', days.map((d) => agentCell(rowsOf(d), KEPT_LINES_CHECKPOINT).linesKept), { format: 'count' }),
      series('Lines removed', 'bar', days.map((d) => sum(rowsOf(d), (r) => r.linesRemoved)), { tableOnly: true }),
      series('Edits', 'bar', days.map((d) => sum(rowsOf(d), (r) => r.agentEdits)), { tableOnly: true }),
    ],
    axes: { y: { title: 'Lines', format: 'count' } },
    empty: agentEmpty(usage),
  };
}

export function agentRetentionChart(usage: readonly DashboardUsageRow[]): ChartSpec {
  const cells = AGENT_CHECKPOINTS.map((checkpoint) => agentCell(usage, checkpoint));
  return {
    id: 'agent-retention',
    section: 'agentOutput',
    title: 'Agent lines kept after an hour, a day and a week',
    description:
      'Of the lines agents added whose checkpoint was measured, the share still in their file; edits not yet due or past their window are left out.',
    horizontal: false,
    categoryLabel: 'Checkpoint',
    labels: AGENT_CHECKPOINTS.map(formatCheckpoint),
    series: [
      series('Kept share', 'line', cells.map((c) => ratio(c.linesKept, c.linesAdded)), { format: 'percent' }),
      series('Edits measured', 'bar', cells.map((c) => c.known), { tableOnly: true }),
      series('Lines added (measured edits)', 'bar', cells.map((c) => c.linesAdded), { tableOnly: true }),
      series('Lines kept', 'bar', cells.map((c) => c.linesKept), { tableOnly: true }),
    ],
    axes: { y: { title: 'Kept share', format: 'percent' } },
    empty: cells.some((c) => c.known > 0) ? null : (agentEmpty(usage) ?? EMPTY.agentRetention),
  };
}

export function agentByModel(usage: readonly DashboardUsageRow[]): ChartSpec {
  const groups = groupBy(usage, (row) => `${row.source} · ${row.model}`);
  const { keys, rest } = topN(new Map([...groups].map(([k, rows]) => [k, sum(rows, (r) => r.linesAdded)])), TOP_N);
  const labels = [...keys, ...(rest.length > 0 ? [restLabel(rest)] : [])];
  const buckets = [...keys.map((k) => groups.get(k) ?? []), ...(rest.length > 0 ? [rest.flatMap((k) => groups.get(k) ?? [])] : [])];
  return {
    id: 'agent-by-model',
    section: 'agentOutput',
    title: 'Agent lines by source and model',
    description: `Lines added per source and model, top ${TOP_N - 1} and the rest together, with kept share, cost per kept line and waste in the table.`,
    horizontal: true,
    categoryLabel: 'Source · model',
    labels,
    series: [
      series('Lines added', 'bar', buckets.map((rows) => sum(rows, (r) => r.linesAdded))),
      series('Lines kept at 1 day', 'bar', buckets.map((rows) => agentCell(rows, KEPT_LINES_CHECKPOINT).linesKept)),
      series('Kept share at 1 day', 'bar', buckets.map((rows) => {
        const cell = agentCell(rows, KEPT_LINES_CHECKPOINT);
        return ratio(cell.linesKept, cell.linesAdded);
      }), { tableOnly: true, format: 'percent' }),
      series('Cost per kept line', 'bar', buckets.map((rows) => costPerKeptAgentLine(rows).costUSD), { tableOnly: true, format: 'usd' }),
      series('Tokens of responses whose edits kept nothing at 1 day', 'bar', buckets.map((rows) => sum(rows, (r) => r.wasteTokens)), { tableOnly: true, format: 'tokens' }),
    ],
    axes: { y: { title: 'Lines', format: 'count' } },
    empty: agentEmpty(usage),
  };
}
