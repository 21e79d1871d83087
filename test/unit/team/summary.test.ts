import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseSummaryFile } from '../../../src/team/merge';
import { buildTeamSummary, encodeTeamSummary, installIdFromImportSecret, summaryFileName, teamDeveloperId } from '../../../src/team/summary';
import { installIdFor, writeTeamSummaryFile } from '../../../src/team/summaryFiles';
import { SUMMARY_SCHEMA_VERSION } from '../../../src/team/summarySchema';
import { agentOutput, dev, inlineRow, usageRow } from './teamFixtures';

describe('team summary', () => {
  it('developer ids: stable for one install and team, unrelated across teams and installs, never the install id itself', () => {
    const install = installIdFromImportSecret('a'.repeat(64));
    const id = teamDeveloperId('team-a', install);
    assert.match(id, /^[0-9a-f]{16}$/);
    assert.equal(teamDeveloperId('team-a', install), id);
    assert.notEqual(teamDeveloperId('team-b', install), id);
    assert.notEqual(teamDeveloperId('team-a', installIdFromImportSecret('b'.repeat(64))), id);
    assert.ok(!install.includes(id) && !install.includes('a'.repeat(16)));
  });

  it('the CLI and the editor derive one install id from the ledger\'s import id key', async () => {
    const storage = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-team-install-'));
    try {
      const first = await installIdFor(storage);
      assert.equal(await installIdFor(storage), first);
      const key = (await fs.readFile(path.join(storage, 'importers', 'id-key'), 'utf8')).trim();
      assert.equal(first, installIdFromImportSecret(key));
      assert.notEqual(first, key);
    } finally {
      await fs.rm(storage, { recursive: true, force: true });
    }
  });

  it('exports a ledger whose figures contradict each other (written by hand or by an older Assay) as the merge accepts them, instead of failing', () => {
    const text = encodeTeamSummary(
      buildTeamSummary({
        inline: [inlineRow('2024-05-01', { retention: { '600': { known: 2, chars: 80, arc: 95, unchanged: 3, mostlyRetained: 3 } } })],
        usage: [usageRow('2024-05-01', agentOutput(1, 1, 4, null))],
        seats: [],
        developerId: dev(7),
        since: '2024-05-01',
        until: '2024-05-02',
        exportedAt: new Date('2024-05-03T10:20:30Z'),
      }),
    );
    const parsed = parseSummaryFile(text);
    assert.ok(parsed.ok, JSON.stringify(parsed));
    const rows = text.trim().split('\n').slice(1).map((line) => JSON.parse(line) as Record<string, Record<string, unknown>>);
    assert.deepEqual(rows.find((row) => row.kind === ('inline' as never))?.retention['600'], { known: 2, chars: 80, arc: 80, unchanged: 2, mostlyRetained: 2 });
    assert.deepEqual(rows.find((row) => row.kind === ('usage' as never))?.agentRetention['3600'], { known: 1, linesAdded: 1, linesKept: 1 });
  });

  it('lines: the export line first, then the daily rows of the range, with every category allowlisted and rows that become other merged', () => {
    const lines = buildTeamSummary({
      inline: [
        inlineRow('2024-04-30'),
        inlineRow('2024-05-01', { languageId: 'acme-dsl', provider: 'acme-assistant', aiChars: 10 }),
        inlineRow('2024-05-01', { languageId: 'secret-lang', aiChars: 20 }),
      ],
      usage: [
        usageRow('2024-05-01', { model: 'ft:acme-corp-model', costUSD: null, requests: 2 }),
        usageRow('2024-05-01', { model: 'another-private-model', costUSD: 0.5, requests: 3 }),
        // The ledger keeps a model's own name; a summary names it as the bundled price data does.
        usageRow('2024-05-01', { model: 'claude-sonnet-4-5-20250929', costUSD: 0.25, requests: 2 }),
        // A hosted deployment of a bundled model goes as that model: the bundled name, none of the host's words.
        usageRow('2024-05-01', { model: 'contoso-payroll/gpt-4o', costUSD: null, requests: 1 }),
        // Names of a public model's shape that carry an organisation's own words, and a model newer than the snapshot.

        usageRow('2024-05-01', { model: 'gpt-4o-contoso-finetune', costUSD: null, requests: 1 }),
        usageRow('2024-05-01', { model: 'claude-opus-99', costUSD: null, requests: 1 }),
        usageRow('2024-05-01', { source: 'acme-tool', model: 'claude-sonnet-4-5' }),
      ],
      seats: [{ plan: 'copilot-business', monthlyUSD: 19, count: 1 }, { plan: 'Acme Secret Plan', monthlyUSD: 5, count: 1 }],
      developerId: dev(7),
      since: '2024-05-01',
      until: '2024-05-02',
      exportedAt: new Date('2024-05-03T10:20:30.456Z'),
    });
    assert.deepEqual(lines[0], {
      schema: SUMMARY_SCHEMA_VERSION,
      kind: 'export',
      developer: dev(7),
      since: '2024-05-01',
      until: '2024-05-02',
      exportedAt: '2024-05-03T10:20:30Z',
      seats: [{ plan: 'copilot-business', monthlyUSD: 19, count: 1 }, { plan: 'other', monthlyUSD: 5, count: 1 }],
    });
    const inline = lines.filter((line) => line.kind === 'inline');
    assert.deepEqual(inline.map((line) => [line.date, line.languageId, line.provider, line.aiChars]), [
      ['2024-05-01', 'other', 'copilot', 20],
      ['2024-05-01', 'other', 'other', 10],
    ]);
    const usage = lines.filter((line) => line.kind === 'usage');
    assert.deepEqual(usage.map((line) => [line.source, line.model, line.requests, line.costUSD, line.inputTokens]), [
      ['claude-code', 'claude-sonnet-4-5', 2, 0.25, 1000],
      ['claude-code', 'gpt-4o', 1, null, 1000],
      ['claude-code', 'other', 7, 0.5, 4000],
      ['other', 'claude-sonnet-4-5', 3, 0.25, 1000],
    ]);
    const bytes = encodeTeamSummary(lines);
    assert.doesNotMatch(bytes, /acme|secret|contoso|opus-99/i);
    const parsed = parseSummaryFile(bytes);
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.equal(bytes.split('\n').length, lines.length + 1);
  });

  it('usage lines carry the daily report\'s agent output (schema 3), summed where two rows become one', () => {
    assert.equal(SUMMARY_SCHEMA_VERSION, 3);
    const lines = buildTeamSummary({
      inline: [],
      usage: [
        usageRow('2024-05-01', { model: 'ft:acme-corp-model', ...agentOutput(3, 30, 25, 20, 500) }),
        usageRow('2024-05-01', { model: 'another-private-model', ...agentOutput(1, 4, 4, null) }),
        usageRow('2024-05-01', { source: 'codex', model: 'gpt-5' }),
      ],
      seats: [],
      developerId: dev(7),
      since: '2024-05-01',
      until: '2024-05-01',
    });
    const usage = lines.filter((line) => line.kind === 'usage');
    assert.deepEqual(
      usage.map((line) => [line.source, line.model, line.agentEdits, line.linesAdded, line.linesRemoved, line.agentRetention, line.wasteTokens]),
      [
        ['claude-code', 'other', 4, 34, 8, { '3600': { known: 4, linesAdded: 34, linesKept: 29 }, '86400': { known: 3, linesAdded: 30, linesKept: 20 } }, 500],
        ['codex', 'gpt-5', 0, 0, 0, {}, 0],
      ],
    );
    const bytes = encodeTeamSummary(lines);
    assert.match(bytes, /"requestsWithoutTokens":0,"tokens":\{.*\},"agentEdits":4,"linesAdded":34,"linesRemoved":8,"agentRetention":\{"3600":\{"known":4,"linesAdded":34,"linesKept":29\},"86400"/);
    assert.ok(parseSummaryFile(bytes).ok);
  });

  it('encoding refuses a line a merge would refuse, so a preview never shows bytes that cannot be merged', () => {
    const [header] = buildTeamSummary({ inline: [], usage: [], seats: [], developerId: dev(1), since: '2024-05-01', until: '2024-05-01' });
    assert.throws(() => encodeTeamSummary([{ ...header, developer: 'Alice' }]));
    assert.throws(() => encodeTeamSummary([header, { ...header, kind: 'inline' } as never]));
  });

  it('writes into the folder under its own name through a temporary name, touching nothing else', async () => {
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'assay-team-write-'));
    try {
      await fs.writeFile(path.join(folder, 'colleague.ndjson'), 'theirs\n');
      const name = summaryFileName(dev(3), '2024-05-01', '2024-05-31');
      assert.equal(name, 'assay-team-0000000000000003-2024-05-01_2024-05-31.ndjson');
      await writeTeamSummaryFile(folder, name, 'first\n');
      await writeTeamSummaryFile(folder, name, 'second\n');
      assert.deepEqual((await fs.readdir(folder)).sort(), ['assay-team-0000000000000003-2024-05-01_2024-05-31.ndjson', 'colleague.ndjson']);
      assert.equal(await fs.readFile(path.join(folder, name), 'utf8'), 'second\n');
      assert.equal(await fs.readFile(path.join(folder, 'colleague.ndjson'), 'utf8'), 'theirs\n');
      await assert.rejects(writeTeamSummaryFile(folder, '../escape.ndjson', 'x\n'));
      await assert.rejects(writeTeamSummaryFile(folder, 'colleague.txt', 'x\n'));
    } finally {
      await fs.rm(folder, { recursive: true, force: true });
    }
  });
});
