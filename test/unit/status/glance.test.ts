import assert from 'node:assert/strict';
import { formatStatusText, formatStatusTooltip, todayGlance } from '../../../src/status/glance';
import type { InlineRow } from '../../../src/report/rows';

function row(date: string, overrides: Partial<InlineRow> = {}): InlineRow {
  return {
    date,
    kind: 'inline',
    languageId: 'typescript',
    provider: 'copilot',
    acceptances: { full: 2, word: 1, line: 0 },
    acceptedChars: 60,
    acceptedLines: 3,
    opportunities: 10,
    typedChars: 140,
    aiChars: 60,
    agentEditsInEditor: 0,
    agentCharsInEditor: 0,
    retention: { '600': { known: 2, chars: 50, arc: 40, unchanged: 1, mostlyRetained: 2 } },
    ...overrides,
  };
}

describe('status bar glance', () => {
  it('sums only today across languages and providers', () => {
    const rows = [row('2026-11-28'), row('2026-11-29'), row('2026-11-29', { languageId: 'python', provider: 'unknown' })];
    const glance = todayGlance(rows, '2026-11-29', [30, 600]);
    assert.equal(glance.acceptances, 6);
    assert.equal(glance.aiChars, 120);
    assert.equal(glance.typedChars, 280);
    assert.equal(glance.aiShare, 120 / 400);
    assert.deepEqual(glance.retention, { checkpoint: 600, known: 4, chars: 100, arc: 80 });
  });

  it('shows a dash, not 0 %, before anything was written today', () => {
    const glance = todayGlance([row('2026-11-28')], '2026-11-29', [600]);
    assert.equal(glance.aiShare, null);
    assert.equal(glance.retention, null);
    assert.equal(formatStatusText(glance), '$(sparkle) 0 · – AI');
    assert.match(formatStatusTooltip(glance), /no checkpoint reached yet/);
  });

  it('uses the largest checkpoint at or below 10 minutes when 600 s is not configured', () => {
    const rows = [row('2026-11-29', { retention: { '5': { known: 1, chars: 30, arc: 15, unchanged: 0, mostlyRetained: 0 } } })];
    const glance = todayGlance(rows, '2026-11-29', [2, 5]);
    assert.deepEqual(glance.retention, { checkpoint: 5, known: 1, chars: 30, arc: 15 });
    assert.match(formatStatusTooltip(glance), /Kept at 5 s: 50\.0% of 1 known/);
  });

  it('rounds the AI share in the status text', () => {
    const glance = todayGlance([row('2026-11-29')], '2026-11-29', [600]);
    assert.equal(formatStatusText(glance), '$(sparkle) 3 · 30% AI');
  });
});
