import * as assert from 'node:assert/strict';
import type { AgentEditEvent, AgentRetentionEvent } from '../../../src/ledger/events';
import { readLedger } from '../../../src/ledger/reader';
import { priceUsageRows, rollupDaily, rollupMonthly } from '../../../src/report/rollup';
import { loadDailyRollup } from '../../../src/report/rollupCache';
import { reportJson } from '../../../src/report/reportJson';
import { appendSegment, eventLines, tempStorage, usage, writeSegment } from '../ledger/ledgerFixtures';

const ZONE = 'UTC';
const day = (d: number, h = 12) => Date.UTC(2024, 4, d, h);

function edit(id: string, t: number, linesAdded: number, linesRemoved: number, model = 'claude-sonnet-4-5'): AgentEditEvent {
  return { v: 1, t, kind: 'agentEdit', id, source: 'claude-code', model, session: 's1', linesAdded, linesRemoved };
}

function kept(editId: string, editedAt: number, checkpoint: number, linesAdded: number, linesKept: number, extra: Partial<AgentRetentionEvent> = {}): AgentRetentionEvent {
  return {
    v: 1,
    t: editedAt + checkpoint * 1000,
    kind: 'agentRetention',
    editId,
    editedAt,
    source: 'claude-code',
    model: 'claude-sonnet-4-5',
    checkpoint,
    known: true,
    linesAdded,
    linesKept,
    ...extra,
  };
}

const pricer = { costUSD: () => 1, normalizeModel: (model: string) => model } as unknown as Parameters<typeof priceUsageRows>[1];

describe('agent output in the rollup', () => {
  it("folds edits and their checkpoints into the edit day's usage row; unknown checkpoints stay out, copies count once", () => {
    const events = [
      usage({ t: day(1) }),
      edit('edit-00000001', day(1, 10), 10, 2),
      edit('edit-00000001', day(1, 10), 10, 2),
      edit('edit-00000002', day(1, 23), 5, 0),
      // Measured the next day, counted on the edit's day.
      kept('edit-00000002', day(1, 23), 86400, 5, 4),
      kept('edit-00000001', day(1, 10), 3600, 10, 7),
      kept('edit-00000001', day(1, 10), 86400, 10, 0, { wasteTokens: 900 }),
      kept('edit-00000001', day(1, 10), 604800, 10, 0, { known: false }),
    ];
    const [row] = rollupDaily(events, { timeZone: ZONE }).usage;
    assert.equal(row.date, '2024-05-01');
    assert.deepEqual(row.agent, {
      agentEdits: 2,
      linesAdded: 15,
      linesRemoved: 2,
      agentRetention: { '3600': { known: 1, linesAdded: 10, linesKept: 7 }, '86400': { known: 2, linesAdded: 15, linesKept: 4 } },
      wasteTokens: 900,
    });
  });

  it("keeps a row's agent output when its only response is replaced by a later copy", async () => {
    const storage = await tempStorage();
    const first = usage({ id: 'usage-replaced', t: day(2), outputTokens: 10 });
    await writeSegment(storage, '2024-05-02_1_aaaaaaaa.jsonl', eventLines([first, edit('edit-00000003', day(2), 3, 1)]));
    await loadDailyRollup(storage, { timeZone: ZONE });
    await appendSegment(storage, '2024-05-02_1_aaaaaaaa.jsonl', eventLines([{ ...first, outputTokens: 99 }]));
    const warm = await loadDailyRollup(storage, { timeZone: ZONE });
    assert.equal(warm.stats.rebuilt, false);
    assert.deepEqual(warm.usage, rollupDaily((await readLedger(storage)).events, { timeZone: ZONE }).usage);
    assert.equal(warm.usage[0].agent.linesAdded, 3);
    assert.equal(warm.usage[0].tokens.standard.outputTokens, 99);
  });

  it('reports the figures per row and in the totals, monthly rows summing their days', () => {
    const events = [usage({ t: day(1) }), usage({ t: day(2) }), edit('edit-00000004', day(1), 4, 1), edit('edit-00000005', day(2), 6, 0), kept('edit-00000004', day(1), 3600, 4, 4), kept('edit-00000005', day(2), 3600, 6, 3)];
    const monthly = rollupMonthly(rollupDaily(events, { timeZone: ZONE }));
    const report = reportJson([], priceUsageRows(monthly.usage, pricer));
    const [row] = report.rows;
    assert.ok(row.kind === 'usage');
    assert.deepEqual(
      { linesAdded: (row as unknown as Record<string, unknown>).linesAdded, agentRetention: (row as unknown as Record<string, unknown>).agentRetention },
      { linesAdded: 10, agentRetention: { '3600': { known: 2, linesAdded: 10, linesKept: 7 } } },
    );
    assert.deepEqual(
      [report.totals.usage.agentEdits, report.totals.usage.linesAdded, report.totals.usage.linesRemoved, report.totals.usage.wasteTokens, report.totals.usage.agentRetention],
      [2, 10, 1, 0, { '3600': { known: 2, linesAdded: 10, linesKept: 7 } }],
    );
  });
});
