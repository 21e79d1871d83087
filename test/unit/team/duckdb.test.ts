import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { TeamReportJson } from '../../../src/team/teamReport';
import { agentOutput, asOlderSchema, dev, inlineRow, OUT_CLI, runCommand, summaryText, usageRow } from './teamFixtures';

const README = path.join(__dirname, '..', '..', '..', '..', 'README.md');

/** The README's DuckDB query, so the documented SQL is the tested SQL. */
async function readmeSql(folder: string): Promise<string> {
  const readme = await fs.readFile(README, 'utf8');
  const match = /```sql\n(-- assay team summaries: totals\n[\s\S]*?)```/.exec(readme);
  assert.ok(match, 'README has the team summaries SQL');
  assert.ok(match[1].includes("'team-folder/*.ndjson'"));
  return match[1].replace("'team-folder/*.ndjson'", `'${path.join(folder, '*.ndjson').replace(/'/g, "''")}'`);
}

describe('team summaries in DuckDB (the scale path)', function () {
  this.timeout(60_000);
  let folder: string;
  let home: string;

  before(async () => {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-team-duckdb-'));
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-team-home-'));
    for (let n = 1; n <= 7; n++) {
      const days = ['2024-05-01', '2024-05-02', '2024-05-08'];
      const text = summaryText(dev(n), {
        exportedAt: '2024-06-01T08:00:00Z',
        inline: days.map((date, i) => inlineRow(date, { aiChars: 100 * n + i, typedChars: 1000 + n, acceptedLines: n + i })),
        usage: [
          ...days.map((date, i) => usageRow(date, { inputTokens: 1000 * n + i, costUSD: 0.1 * n + i / 7, ...agentOutput(2, 10 * n + i, 9 * n, i === 2 ? null : 5 * n) })),
          usageRow('2024-05-02', { source: 'codex', model: 'other', costUSD: null, requests: n }),
        ],
      });
      await fs.writeFile(path.join(folder, `assay-team-${dev(n)}-2024-05-01_2024-05-31.ndjson`), text);
    }
    // Five developers whose Assay wrote summaries before agent output (schema 2): as many as k, so the report shows the
    // agent output of the others in the rows they share (fewer would be withheld there, and the totals would not be the SQL's).
    for (let n = 8; n <= 12; n++) {
      await fs.writeFile(path.join(folder, `older-${n}.ndjson`), asOlderSchema(summaryText(dev(n), { usage: [usageRow('2024-05-02')] }), 2));
    }
    // A copy, and a newer export of part of the month that replaces developer 1's days 05-01..05-05.
    await fs.copyFile(path.join(folder, `assay-team-${dev(2)}-2024-05-01_2024-05-31.ndjson`), path.join(folder, 'copy.ndjson'));
    await fs.writeFile(
      path.join(folder, `assay-team-${dev(1)}-2024-05-01_2024-05-05.ndjson`),
      summaryText(dev(1), {
        since: '2024-05-01',
        until: '2024-05-05',
        exportedAt: '2024-06-09T08:00:00Z',
        inline: [inlineRow('2024-05-02', { aiChars: 5 })],
        usage: [usageRow('2024-05-02', { inputTokens: 3, costUSD: 0.01 })],
      }),
    );
  });

  after(async () => {
    await fs.rm(folder, { recursive: true, force: true });
    await fs.rm(home, { recursive: true, force: true });
  });

  it("the README's SQL gives the totals of assay team report --json", async () => {
    const cli = await runCommand(OUT_CLI, ['team', 'report', folder, '--json'], home);
    assert.equal(cli.status, 0, cli.stderr);
    const report = JSON.parse(cli.stdout) as TeamReportJson;
    const inline = report.totals.inline;
    const usage = report.totals.usage;
    assert.ok(inline && usage);

    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const result = await connection.runAndReadAll(await readmeSql(folder));
      const [row] = result.getRowObjectsJson() as Array<Record<string, string | number | null>>;
      const whole = (name: string) => Number(row[name]);
      assert.equal(whole('developers'), report.developers);
      assert.equal(whole('acceptances'), inline.acceptances.full + inline.acceptances.word + inline.acceptances.line);
      assert.equal(whole('acceptedLines'), inline.acceptedLines);
      assert.equal(whole('aiChars'), inline.aiChars);
      assert.equal(whole('typedChars'), inline.typedChars);
      assert.equal(whole('opportunities'), inline.opportunities);
      assert.equal(whole('retained600Chars'), inline.retention['600'].arc);
      assert.equal(whole('inputTokens'), usage.inputTokens);
      assert.equal(whole('outputTokens'), usage.outputTokens);
      assert.equal(whole('cacheReadTokens'), usage.cacheReadTokens);
      assert.equal(whole('cacheWriteTokens'), usage.cacheWriteTokens);
      assert.equal(whole('requests'), usage.requests);
      assert.equal(whole('unpricedRequests'), usage.unpricedRequests);
      assert.ok(Math.abs(whole('costUSD') - usage.costUSD) < 1e-9, `${row.costUSD} vs ${usage.costUSD}`);
      assert.equal(whole('linesAdded'), usage.linesAdded);
      assert.equal(whole('linesRemoved'), usage.linesRemoved);
      assert.equal(whole('keptDayLines'), usage.agentRetention?.['86400'].linesKept);
      assert.ok((usage.linesAdded ?? 0) > 0 && (usage.agentOutputRequests ?? 0) < usage.requests, 'the older file has no agent output');
      // The newer partial export replaced developer 1's early days: 5 AI chars on 05-02, nothing on 05-01.
      assert.equal(inline.aiChars, [2, 3, 4, 5, 6, 7].reduce((sum, n) => sum + 300 * n + 3, 0) + 5 + 102);
    } finally {
      connection.closeSync();
    }
  });
});
