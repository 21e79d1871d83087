// Agent edits applied in the editor (activity events' agentEdits and agentChars) through the daily rollup, its
// cache, the report JSON and the CSV (docs/metrics.md, Typed and AI characters; docs/report-json.md).
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { reportCsv } from '../../../src/cli/reportCsv';
import { readLedger } from '../../../src/ledger/reader';
import { rollupDaily, rollupMonthly } from '../../../src/report/rollup';
import { forgetRollupStates, loadDailyRollup, RebuildNeededError, rollupStateFile } from '../../../src/report/rollupCache';
import { reportJson } from '../../../src/report/reportJson';
import { parseCsv } from '../cli/csvParse';
import { accept, activity, eventLines, tempStorage, writeSegment } from '../ledger/ledgerFixtures';

const ZONE = 'UTC';
const day = (d: number, h = 12) => Date.UTC(2024, 4, d, h);

/** An activity line as capture wrote it before agent edits were counted: neither field is there. */
function activityBeforeAgentEdits(t: number) {
  const line = activity({ t, typedChars: 50 });
  assert.ok(!('agentEdits' in line) && !('agentChars' in line));
  return line;
}

describe('agent edits in the editor in the rollup', () => {
  it('sums them per day, language and provider, apart from typed and AI characters', () => {
    const { inline } = rollupDaily(
      [
        activity({ t: day(1, 9), typedChars: 100, agentEdits: 2, agentChars: 300 }),
        activity({ t: day(1, 15), typedChars: 20, agentEdits: 1, agentChars: 45 }),
        activity({ t: day(1, 10), languageId: 'python', typedChars: 0, agentEdits: 4, agentChars: 1000 }),
        accept({ t: day(1, 11), chars: 30 }),
        activity({ t: day(2), typedChars: 5, agentEdits: 3, agentChars: 7 }),
      ],
      { timeZone: ZONE },
    );
    assert.deepEqual(
      inline.map((row) => [row.date, row.languageId, row.agentEditsInEditor, row.agentCharsInEditor, row.typedChars, row.aiChars]),
      [
        ['2024-05-01', 'python', 4, 1000, 0, 0],
        ['2024-05-01', 'typescript', 3, 345, 120, 30],
        ['2024-05-02', 'typescript', 3, 7, 5, 0],
      ],
    );
    const months = rollupMonthly({ inline, usage: [] }).inline;
    assert.deepEqual(
      months.map((row) => [row.date, row.languageId, row.agentEditsInEditor, row.agentCharsInEditor]),
      [
        ['2024-05', 'python', 4, 1000],
        ['2024-05', 'typescript', 6, 352],
      ],
    );
  });

  it('counts 0 for activity lines written before the fields existed, read from a segment', async () => {
    const storageDir = await tempStorage();
    await writeSegment(
      storageDir,
      '2024-05-01_1_aaaaaaaa.jsonl',
      eventLines([activityBeforeAgentEdits(day(1, 9)), activity({ t: day(1, 10), typedChars: 0, agentEdits: 1, agentChars: 12 })]),
    );
    await writeSegment(storageDir, '2024-05-02_1_aaaaaaaa.jsonl', eventLines([activityBeforeAgentEdits(day(2))]));
    const { inline } = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.deepEqual(
      inline.map((row) => [row.date, row.agentEditsInEditor, row.agentCharsInEditor, row.typedChars]),
      [
        ['2024-05-01', 1, 12, 50],
        ['2024-05-02', 0, 0, 50],
      ],
    );
  });

  it('rebuilds a cache saved by rollup schema 3, whose inline rows had no agent columns', async () => {
    const storageDir = await tempStorage();
    await writeSegment(
      storageDir,
      '2024-05-01_1_aaaaaaaa.jsonl',
      eventLines([activity({ t: day(1), typedChars: 40, agentEdits: 2, agentChars: 90 }), accept({ t: day(1), chars: 8 })]),
    );
    await (await loadDailyRollup(storageDir, { timeZone: ZONE })).stats.cacheSaved;
    forgetRollupStates();
    await rewriteAsSchema3(rollupStateFile(storageDir, ZONE));

    // Refused as a state of another schema, not read and found broken (which the editor logs as an unusable cache).
    await assert.rejects(
      loadDailyRollup(storageDir, { timeZone: ZONE, rebuild: false }),
      (error) => error instanceof RebuildNeededError && error.unusableState === undefined,
    );
    const result = await loadDailyRollup(storageDir, { timeZone: ZONE });
    assert.equal(result.stats.rebuilt, true);
    assert.deepEqual(
      result.inline.map((row) => [row.agentEditsInEditor, row.agentCharsInEditor, row.typedChars, row.aiChars, row.retention]),
      [[2, 90, 40, 8, {}]],
    );
    assert.deepEqual(result.inline, rollupDaily((await readLedger(storageDir)).events, { timeZone: ZONE }).inline);
  });
});

/**
 * Rewrites a saved state as schema 3 saved it: the same header under version 3, and inline tuples without the two
 * agent counts before the retention list (an honest state of the previous schema, checksum and all).
 */
async function rewriteAsSchema3(statePath: string): Promise<void> {
  const data = await fs.readFile(statePath);
  const headerLength = data.readUInt32LE(0);
  const header = JSON.parse(data.toString('utf8', 4, 4 + headerLength)) as { rollupSchemaVersion: number; sha256: string };
  const body = data.subarray(4 + headerLength);
  const rowsLength = body.readUInt32LE(0);
  const rows = JSON.parse(body.toString('utf8', 4, 4 + rowsLength)) as { inline: unknown[][]; usage: unknown[] };
  const oldRows = { ...rows, inline: rows.inline.map((tuple) => [...tuple.slice(0, 11), tuple[tuple.length - 1]]) };
  const rowBytes = Buffer.from(JSON.stringify(oldRows));
  const oldBody = Buffer.concat([uint32(rowBytes.length), rowBytes, body.subarray(4 + rowsLength)]);
  header.rollupSchemaVersion = 3;
  header.sha256 = createHash('sha256').update(oldBody).digest('hex');
  const headerBytes = Buffer.from(JSON.stringify(header));
  await fs.writeFile(statePath, Buffer.concat([uint32(headerBytes.length), headerBytes, oldBody]));
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}

describe('agent edits in the editor in the report JSON and CSV', () => {
  const { inline } = rollupDaily(
    [
      activity({ t: day(1), typedChars: 100, agentEdits: 2, agentChars: 300 }),
      activity({ t: day(1), languageId: 'python', typedChars: 10, agentEdits: 1, agentChars: 25 }),
      activityBeforeAgentEdits(day(2)),
    ],
    { timeZone: ZONE },
  );

  it('gives each inline row and the inline totals agentEditsInEditor and agentCharsInEditor, 0 where none', () => {
    const report = JSON.parse(JSON.stringify(reportJson(inline, []))) as ReturnType<typeof reportJson>;
    assert.deepEqual(
      report.rows.map((row) => (row.kind === 'inline' ? [row.date, row.languageId, row.agentEditsInEditor, row.agentCharsInEditor] : [])),
      [
        ['2024-05-01', 'python', 1, 25],
        ['2024-05-01', 'typescript', 2, 300],
        ['2024-05-02', 'typescript', 0, 0],
      ],
    );
    assert.equal(report.totals.inline.agentEditsInEditor, 3);
    assert.equal(report.totals.inline.agentCharsInEditor, 325);
    assert.equal(report.totals.inline.typedChars, 160, 'agent characters are not typed characters');
  });

  it('writes them as the last CSV columns, named as in the JSON', () => {
    const [header, ...records] = parseCsv(reportCsv(reportJson(inline, []).rows));
    assert.deepEqual(header.slice(-2), ['agentEditsInEditor', 'agentCharsInEditor']);
    assert.deepEqual(
      records.map((record) => record.slice(-2)),
      [
        ['1', '25'],
        ['2', '300'],
        ['0', '0'],
      ],
    );
  });
});
