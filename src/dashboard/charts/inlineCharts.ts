// Charts of inline suggestions: characters per day, acceptance, retention, and breakdowns.
import { MEASURES } from '../../report/measures';
import type { InlineRow } from '../../report/rows';
import { EMPTY } from '../emptyStates';
import { byDate, formatCheckpoint, groupBy, inlineTotals, ratio, restLabel, retentionAt, series, sum, topN, TOP_N } from '../figures';
import type { ChartSpec } from '../protocol';

export function dailyCharsChart(days: string[], inline: readonly InlineRow[], empty: string | null): ChartSpec {
  const perDay = byDate(inline);
  const daily = days.map((d) => inlineTotals(perDay.get(d) ?? []));
  return {
    id: 'daily-chars',
    section: 'inline',
    title: 'AI, typed and agent characters per day',
    description:
      'Characters from accepted suggestions and typed characters per day, stacked, with the AI share; beside them, ' +
      'characters that agents wrote in the editor, which are in neither and not in the AI share.',
    horizontal: false,
    categoryLabel: 'Date',
    labels: days,
    series: [
      series('AI (accepted) characters', 'bar', daily.map((t) => t.aiChars), { stack: 'chars', format: 'chars' }),
      series('Typed characters', 'bar', daily.map((t) => t.typedChars), { stack: 'chars', format: 'chars' }),
      // A stack of its own: on top of the others it would read as part of what the AI share divides.
      series(MEASURES.agentCharsInEditor.label, 'bar', daily.map((t) => t.agentCharsInEditor), { stack: 'agent', format: 'chars' }),
      series('AI share', 'line', daily.map((t) => ratio(t.aiChars, t.aiChars + t.typedChars)), { axis: 'y1', format: 'percent' }),
      series('Accepted lines', 'line', daily.map((t) => t.acceptedLines), { tableOnly: true }),
      series(MEASURES.agentEditsInEditor.label, 'line', daily.map((t) => t.agentEditsInEditor), { tableOnly: true }),
    ],
    axes: { y: { title: 'Characters', format: 'chars' }, y1: { title: 'AI share', format: 'percent' } },
    empty,
  };
}

export function acceptanceChart(days: string[], inline: readonly InlineRow[], empty: string | null): ChartSpec {
  const perDay = byDate(inline);
  const daily = days.map((d) => inlineTotals(perDay.get(d) ?? []));
  return {
    id: 'acceptance-rate',
    section: 'inline',
    title: 'Accepts per suggestion request',
    description: 'Suggestion requests per day (times the editor asked for ghost text; most show nothing), and the share of them that ended in an accept.',
    horizontal: false,
    categoryLabel: 'Date',
    labels: days,
    series: [
      series('Suggestion requests', 'bar', daily.map((t) => t.opportunities)),
      // Acceptances are a few per hundred requests: as bars beside requests they would not show.
      series('Acceptances', 'bar', daily.map((t) => t.acceptances), { tableOnly: true }),
      series('Accepts per suggestion request', 'line', daily.map((t) => ratio(t.acceptances, t.opportunities)), { axis: 'y1', format: 'percent' }),
    ],
    axes: { y: { title: 'Count', format: 'count' }, y1: { title: 'Rate', format: 'percent' } },
    empty,
  };
}

export function retentionChart(checkpoints: readonly number[], inline: readonly InlineRow[]): ChartSpec {
  const cells = checkpoints.map((cp) => retentionAt(inline, cp));
  const anyKnown = cells.some((c) => c.known > 0);
  return {
    id: 'retention',
    section: 'inline',
    title: 'Retention after acceptance',
    description:
      'Share of accepted characters still present (ARC), and of acceptances unchanged or mostly retained (≥ 67 %), ' +
      'at each checkpoint; acceptances whose outcome is unknown are left out.',
    horizontal: false,
    categoryLabel: 'Checkpoint',
    labels: checkpoints.map(formatCheckpoint),
    series: [
      series('Characters retained (ARC)', 'line', cells.map((c) => ratio(c.arc, c.chars)), { format: 'percent' }),
      series('Mostly retained acceptances', 'line', cells.map((c) => ratio(c.mostlyRetained, c.known)), { format: 'percent' }),
      series('Unchanged acceptances', 'line', cells.map((c) => ratio(c.unchanged, c.known)), { format: 'percent' }),
      series('Acceptances with a known outcome', 'bar', cells.map((c) => c.known), { tableOnly: true }),
    ],
    axes: { y: { title: 'Share', format: 'percent' } },
    empty: anyKnown ? null : EMPTY.retention,
  };
}

export function inlineBreakdown(
  id: string,
  title: string,
  categoryLabel: string,
  inline: readonly InlineRow[],
  key: (row: InlineRow) => string,
  empty: string | null,
): ChartSpec {
  const groups = groupBy(inline, key);
  const { keys, rest } = topN(new Map([...groups].map(([k, rows]) => [k, sum(rows, (r) => r.acceptedChars)])), TOP_N);
  const buckets = [...keys.map((k) => groups.get(k) ?? []), rest.flatMap((k) => groups.get(k) ?? [])];
  const labels = [...keys, ...(rest.length > 0 ? [restLabel(rest)] : [])];
  const totals = buckets.slice(0, labels.length).map(inlineTotals);
  return {
    id,
    section: 'inline',
    title: `${title}: accepted characters`,
    description: `Accepted characters ${title.toLowerCase()}, top ${TOP_N - 1} and the rest together.`,
    horizontal: true,
    categoryLabel,
    labels,
    series: [
      series('Accepted characters', 'bar', totals.map((t) => t.acceptedChars), { format: 'chars' }),
      series('Acceptances', 'bar', totals.map((t) => t.acceptances), { tableOnly: true }),
      series('Accepts per suggestion request', 'bar', totals.map((t) => ratio(t.acceptances, t.opportunities)), { tableOnly: true, format: 'percent' }),
      series('AI share', 'bar', totals.map((t) => ratio(t.aiChars, t.aiChars + t.typedChars)), { tableOnly: true, format: 'percent' }),
    ],
    axes: { y: { title: 'Accepted characters', format: 'chars' } },
    empty,
  };
}
