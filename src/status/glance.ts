// Today's figures for the status bar, from the same daily rows as the report and dashboard.
import type { InlineRow } from '../report/rows';

/** The retention checkpoint the glance reports: the value estimate's (docs/metrics.md), or the nearest one below. */
const GLANCE_CHECKPOINT_SECONDS = 600;

export interface TodayGlance {
  acceptances: number;
  aiChars: number;
  typedChars: number;
  /** AI ÷ (AI + typed), or null before anything was typed or accepted today. */
  aiShare: number | null;
  retention: { checkpoint: number; known: number; chars: number; arc: number } | null;
}

export function todayGlance(rows: readonly InlineRow[], today: string, checkpoints: readonly number[]): TodayGlance {
  const checkpoint = pickCheckpoint(checkpoints);
  const glance: TodayGlance = { acceptances: 0, aiChars: 0, typedChars: 0, aiShare: null, retention: null };
  let known = 0;
  let chars = 0;
  let arc = 0;
  for (const row of rows) {
    if (row.date !== today) continue;
    glance.acceptances += row.acceptances.full + row.acceptances.word + row.acceptances.line;
    glance.aiChars += row.aiChars;
    glance.typedChars += row.typedChars;
    const cell = checkpoint === undefined ? undefined : row.retention[String(checkpoint)];
    if (cell) {
      known += cell.known;
      chars += cell.chars;
      arc += cell.arc;
    }
  }
  const written = glance.aiChars + glance.typedChars;
  glance.aiShare = written > 0 ? glance.aiChars / written : null;
  if (checkpoint !== undefined && known > 0) glance.retention = { checkpoint, known, chars, arc };
  return glance;
}

function pickCheckpoint(checkpoints: readonly number[]): number | undefined {
  const sorted = [...checkpoints].sort((a, b) => a - b);
  const atOrBelow = sorted.filter((seconds) => seconds <= GLANCE_CHECKPOINT_SECONDS);
  return atOrBelow.length > 0 ? atOrBelow[atOrBelow.length - 1] : sorted[0];
}

export function formatStatusText(glance: TodayGlance): string {
  const share = glance.aiShare === null ? '–' : `${Math.round(glance.aiShare * 100)}%`;
  return `$(sparkle) ${glance.acceptances} · ${share} AI`;
}

export function formatStatusTooltip(glance: TodayGlance): string {
  const lines = [
    'Assay — today on this machine',
    `Accepted suggestions: ${glance.acceptances}`,
    `AI characters: ${glance.aiChars} · typed: ${glance.typedChars}`,
    `AI share: ${glance.aiShare === null ? 'no edits yet' : `${(glance.aiShare * 100).toFixed(1)}%`}`,
  ];
  const retention = glance.retention;
  lines.push(
    retention
      ? `Kept at ${formatSeconds(retention.checkpoint)}: ${((retention.arc / Math.max(retention.chars, 1)) * 100).toFixed(1)}% of ${retention.known} known acceptances`
      : 'Retention: no checkpoint reached yet today',
    '',
    'Click to open the Assay dashboard.',
  );
  return lines.join('\n');
}

function formatSeconds(seconds: number): string {
  return seconds % 60 === 0 ? `${seconds / 60} min` : `${seconds} s`;
}
