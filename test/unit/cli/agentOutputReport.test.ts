// Issue #9's "done" check through the built command: a real-shaped Claude Code transcript creates and edits files,
// a person then changes them, and `assay report daily --json` gives the exact lines added and removed per model and
// the exact lines kept at 1 hour and 1 day. The command runs on the real clock, so the transcript is dated relative
// to now: one edit 90 minutes ago (its 1-hour checkpoint is due), one 30 hours ago (its 1-day checkpoint is due).
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ReportJson } from '../../../src/report/reportJson';
import type { ReportUsageRow } from '../../../src/report/rows';
import { claudeEditResult, claudeFailedEdit, claudeToolUse, claudeWriteResult, type ClaudeSession } from '../importers/agentEditFixtures';
import { tempStorage } from '../ledger/ledgerFixtures';
import { runAssay } from './cliRunner';

const MINUTE = 60 * 1000;

describe('assay report: agent output', function () {
  this.timeout(30_000);

  it('gives lines added and removed per model, and lines kept at 1 hour and 1 day after a person changed the files', async () => {
    const home = await tempStorage();
    const logs = await tempStorage();
    const project = path.join(await tempStorage(), 'app');
    await fs.mkdir(project, { recursive: true });
    const a = path.join(project, 'a.ts');
    const b = path.join(project, 'b.ts');
    const sonnet: ClaudeSession = { sessionId: 'session-1', cwd: project, model: 'claude-sonnet-4-5-20250929' };
    const opus: ClaudeSession = { sessionId: 'session-1', cwd: project, model: 'claude-opus-4-1-20250805' };
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MINUTE).toISOString();
    const transcript = [
      claudeToolUse(opus, { timestamp: at(30 * 60 + 1), messageId: 'msg_b', requestId: 'req_b', toolUseId: 'toolu_b', tool: 'Edit', input: { file_path: b, old_string: 'old1\nold2', new_string: 'new1\nnew2\nnew3' } }),
      claudeEditResult(opus, {
        timestamp: at(30 * 60),
        toolUseId: 'toolu_b',
        filePath: b,
        oldString: 'old1\nold2',
        newString: 'new1\nnew2\nnew3',
        originalFile: 'keep\nold1\nold2\n',
        hunks: [{ oldStart: 1, oldLines: 3, newStart: 1, newLines: 4, lines: [' keep', '-old1', '-old2', '+new1', '+new2', '+new3'] }],
      }),
      claudeToolUse(opus, { timestamp: at(30 * 60 - 1), messageId: 'msg_f', requestId: 'req_f', toolUseId: 'toolu_f', tool: 'Edit', input: { file_path: b, old_string: 'absent', new_string: 'x' } }),
      claudeFailedEdit(opus, { timestamp: at(30 * 60 - 2), toolUseId: 'toolu_f' }),
      claudeToolUse(sonnet, { timestamp: at(91), messageId: 'msg_a', requestId: 'req_a', toolUseId: 'toolu_a', tool: 'Write', input: { file_path: a, content: 'one\ntwo\n\nthree\nfour\n' } }),
      claudeWriteResult(sonnet, { timestamp: at(90), toolUseId: 'toolu_a', filePath: a, content: 'one\ntwo\n\nthree\nfour\n' }),
    ];
    const session = path.join(logs, 'projects', 'encoded-app', 'session-1.jsonl');
    await fs.mkdir(path.dirname(session), { recursive: true });
    await fs.writeFile(session, `${transcript.join('\n')}\n`);
    // What the person did since: dropped one of a.ts's lines, rewrote one of b.ts's new lines.
    await fs.writeFile(a, 'one\ntwo\n\nthree\n');
    await fs.writeFile(b, 'keep\nnew1\nnew2 // reviewed\nnew3\n');

    const storage = path.join(await tempStorage(), 'ledger');
    const result = await runAssay(['report', 'daily', '--json', '--tz', 'UTC', '--storage', storage, '--claude-config-dir', logs, '--no-discover'], home);
    assert.equal(result.status, 0, result.stderr);
    const report = JSON.parse(result.stdout) as ReportJson;
    const byModel = new Map<string, Pick<ReportUsageRow, 'linesAdded' | 'linesRemoved' | 'agentRetention'>>();
    for (const row of report.rows) {
      if (row.kind !== 'usage') continue;
      const usage = row as ReportUsageRow;
      const sum = byModel.get(usage.model) ?? { linesAdded: 0, linesRemoved: 0, agentRetention: {} };
      sum.linesAdded += usage.linesAdded;
      sum.linesRemoved += usage.linesRemoved;
      sum.agentRetention = { ...sum.agentRetention, ...usage.agentRetention };
      byModel.set(usage.model, sum);
    }
    assert.deepEqual(Object.fromEntries(byModel), {
      'claude-opus-4-1-20250805': { linesAdded: 3, linesRemoved: 2, agentRetention: { '86400': { known: 1, linesAdded: 3, linesKept: 2 } } },
      'claude-sonnet-4-5-20250929': { linesAdded: 4, linesRemoved: 0, agentRetention: { '3600': { known: 1, linesAdded: 4, linesKept: 3 } } },
    });
    assert.equal(report.totals.usage.linesAdded, 7);
    assert.equal(report.totals.usage.linesRemoved, 2);
  });
});
