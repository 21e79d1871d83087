// Hostile agent logs through the built command (issue #7, items 1-3): one absurd line is counted and
// skipped, never fatal, and nothing a log names reaches any file Assay writes.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ReportJson } from '../../../src/report/reportJson';
import type { UsageRow } from '../../../src/report/rows';
import { tempStorage } from '../ledger/ledgerFixtures';
import { runAssay } from './cliRunner';

function claudeResponse(id: string, overrides: { timestamp?: unknown; input?: number; costUSD?: number } = {}): string {
  return JSON.stringify({
    type: 'assistant',
    timestamp: overrides.timestamp ?? '2024-05-03T10:00:00.000Z',
    sessionId: 'session-1',
    requestId: `req_${id}`,
    isSidechain: false,
    ...(overrides.costUSD !== undefined ? { costUSD: overrides.costUSD } : {}),
    message: {
      id: `msg_${id}`,
      model: 'claude-sonnet-4-5-20250929',
      usage: { input_tokens: overrides.input ?? 100, output_tokens: 20, cache_creation_input_tokens: 0, cache_read_input_tokens: 50 },
    },
  });
}

async function filesUnder(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await fs.readdir(folder, { withFileTypes: true })) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await filesUnder(full)));
    else found.push(full);
  }
  return found;
}

describe('assay report with hostile agent logs', function () {
  this.timeout(30_000);
  let home: string;

  before(async () => {
    home = await tempStorage();
  });

  it('skips and counts an absurd timestamp, token count, cost and a broken line, reports the rest, and reports the same again', async () => {
    const logs = await tempStorage();
    const project = path.join(logs, 'projects', 'some-project');
    await fs.mkdir(project, { recursive: true });
    await fs.writeFile(
      path.join(project, 'session-1.jsonl'),
      [
        claudeResponse('ok'),
        claudeResponse('time', { timestamp: 1e16 }),
        claudeResponse('tokens', { input: 1e308 }),
        claudeResponse('cost', { costUSD: 1e300 }),
        '{"type":"assistant","message":{"usage":{"input_tokens":1',
        '',
      ].join('\n'),
    );
    const storage = path.join(await tempStorage(), 'ledger');
    const args = ['report', 'daily', '--json', '--tz', 'UTC', '--storage', storage, '--claude-config-dir', logs, '--no-discover'];

    const first = await runAssay(args, home);
    assert.equal(first.status, 0, first.stderr);
    const report = JSON.parse(first.stdout) as ReportJson;
    const rows = report.rows.filter((row): row is UsageRow => row.kind === 'usage');
    assert.deepEqual(
      rows.map((row) => [row.date, row.requests, row.inputTokens, row.outputTokens, row.cacheReadTokens]),
      [['2024-05-03', 1, 100, 20, 50]],
    );
    assert.equal(report.totals.usage.inputTokens, 100);
    assert.deepEqual(first.stderr.trim().split('\n'), [
      'assay: warning: claude-code: 4 invalid log lines were skipped (1 json, 1 timestamp, 1 tokens, 1 cost).',
    ]);
    assert.ok(!first.stderr.includes(logs), 'no path on stderr');

    // The run saved its state: the next one reads nothing new, warns about nothing and reports the same.
    const second = await runAssay(args, home);
    assert.equal(second.status, 0, second.stderr);
    assert.equal(second.stdout, first.stdout);
    assert.equal(second.stderr, '');
  });

  it('warns on every run about a database too large to read, which it skips without reading', async () => {
    const xdg = await tempStorage();
    const database = path.join(xdg, 'opencode', 'opencode.db');
    await fs.mkdir(path.dirname(database), { recursive: true });
    await fs.writeFile(database, '');
    await fs.truncate(database, 1024 * 1024 * 1024 + 1);
    const args = ['report', 'daily', '--json', '--tz', 'UTC', '--storage', await tempStorage()];
    for (let run = 0; run < 2; run++) {
      const result = await runAssay(args, home, { XDG_DATA_HOME: xdg });
      assert.equal(result.status, 0, result.stderr);
      assert.deepEqual(result.stderr.trim().split('\n'), [
        'assay: warning: opencode: 1 log file is too large to read (over 256 MB, or 1024 MB for a database) and was skipped.',
      ]);
    }
  });

  it('keeps no Gemini session id, project hash, Codex model, session id or folder in any file it writes', async () => {
    // Planted in names a log may hold; not in a public model id, which the ledger keeps by design.
    const canary = 'zqxcanary';
    const logs = await tempStorage();
    const gemini = path.join(logs, 'gemini');
    const chats = path.join(gemini, 'tmp', `${canary}-project`, 'chats');
    await fs.mkdir(chats, { recursive: true });
    const message = (id: string, timestamp: string) => ({
      id,
      timestamp,
      type: 'gemini',
      model: 'gemini-2.5-pro',
      content: `${canary} answer`,
      tokens: { input: 10, output: 5, cached: 0, thoughts: 0, tool: 0, total: 15 },
    });
    await fs.writeFile(
      path.join(chats, `session-2024-05-03T10-00-${canary}.jsonl`),
      [
        JSON.stringify({ sessionId: `${canary}-session-jsonl`, projectHash: `${canary}-hash`, startTime: '2024-05-03T10:00:00.000Z', kind: 'main' }),
        JSON.stringify(message('g-1', '2024-05-03T10:00:05.000Z')),
        JSON.stringify({ $set: { sessionId: `${canary}-session-set`, projectHash: `${canary}-hash-set` } }),
        '',
      ].join('\n'),
    );
    await fs.writeFile(
      path.join(chats, `session-2024-05-04T10-00-${canary}.json`),
      JSON.stringify({ sessionId: `${canary}-session-json`, projectHash: `${canary}-hash`, startTime: '2024-05-04T10:00:00.000Z', messages: [message('g-2', '2024-05-04T10:00:05.000Z')] }),
    );

    const codex = path.join(logs, 'codex');
    const day = path.join(codex, 'sessions', '2024', '05', '03');
    await fs.mkdir(day, { recursive: true });
    const fineTune = `ft:gpt-4o-mini-2024-07-18:${canary}-org:${canary}-project:AbC123`;
    const meta = (id: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ timestamp: '2024-05-03T10:00:00.000Z', type: 'session_meta', payload: { id, cwd: `/home/${canary}/repo`, ...extra } });
    const turn = JSON.stringify({ timestamp: '2024-05-03T10:00:01.000Z', type: 'turn_context', payload: { cwd: `/home/${canary}/repo`, model: fineTune } });
    const tokens = (timestamp: string, input: number) =>
      JSON.stringify({
        timestamp,
        type: 'event_msg',
        payload: { type: 'token_count', info: { last_token_usage: { input_tokens: input, cached_input_tokens: 0, output_tokens: 7, reasoning_output_tokens: 0, total_tokens: input + 7 } } },
      });
    await fs.writeFile(path.join(day, `rollout-2024-05-03T10-00-00-${canary}.jsonl`), [meta(`${canary}-codex-session`), turn, tokens('2024-05-03T10:00:02.000Z', 40), ''].join('\n'));
    // A fork's first count is keyed under its parent's session, named after the canary.
    await fs.writeFile(
      path.join(day, `rollout-2024-05-03T11-00-00-${canary}-fork.jsonl`),
      [meta(`${canary}-fork-session`, { forked_from_id: `${canary}-parent` }), turn, tokens('2024-05-03T11:00:02.000Z', 41), ''].join('\n'),
    );

    const storage = path.join(await tempStorage(), 'ledger');
    const args = ['report', 'daily', '--json', '--tz', 'UTC', '--storage', storage, '--gemini-dir', gemini, '--codex-home', codex, '--no-discover'];
    const result = await runAssay(args, home);
    assert.equal(result.status, 0, result.stderr);
    const rows = (JSON.parse(result.stdout) as ReportJson).rows.filter((row): row is UsageRow => row.kind === 'usage');
    const requests = (source: string) => rows.filter((row) => row.source === source).reduce((sum, row) => sum + row.requests, 0);
    assert.deepEqual([requests('codex'), requests('gemini-cli')], [2, 2], 'the canaries are in names and ids only: every response is still imported');

    const written = await filesUnder(storage);
    assert.ok(written.some((file) => file.endsWith(path.join('importers', 'state.json'))));
    for (const file of written) {
      const text = (await fs.readFile(file)).toString('latin1').toLowerCase();
      assert.ok(!text.includes(canary), `${path.relative(storage, file)} holds a raw name from a log`);
    }
    assert.ok(!`${result.stdout}${result.stderr}`.includes(canary));
  });
});
