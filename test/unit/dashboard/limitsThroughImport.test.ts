// Plan limits from the tools' own logs through the import to the dashboard (docs/money.md, Limits): Codex rollouts
// whose token counts carry `rate_limits`, and a Claude Code transcript with a limit line, imported by runImport,
// are the latest limits of the dashboard's view model; a repeated figure is written once.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DashboardSource } from '../../../src/dashboard/source';
import { NO_FILTERS, type WebviewState } from '../../../src/dashboard/protocol';
import { runImport } from '../../../src/importers/runImport';
import { readLedger } from '../../../src/ledger/reader';
import { segmentsDir } from '../../../src/ledger/segments';
import { parseSettings } from '../../../src/settings/schema';
import { tempDir, writeLines } from '../importers/fixtures';
import { claudeLimitLine, codexSnapshot, codexTokenCountLine, codexWindow } from '../money/fixtures';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 20, 12, 0, 0);
const iso = (t: number) => new Date(t).toISOString();
const seconds = (t: number) => Math.floor(t / 1000);
const STATE: WebviewState = { version: 1, range: { preset: '7d' }, filters: NO_FILTERS, tables: [] };

function codexLine(t: number, fiveHour: number, weekly: number): string {
  const fiveHourReset = seconds(NOW + 100 * MINUTE);
  const weeklyReset = seconds(NOW + 3 * 24 * 60 * MINUTE);
  // The weekly window first: Codex does not fix which slot holds which window.
  return JSON.stringify(codexTokenCountLine(iso(t), codexSnapshot(codexWindow(weekly, 10_080, weeklyReset), codexWindow(fiveHour, 300, fiveHourReset))));
}

describe('plan limits through the import to the dashboard', () => {
  it('shows the latest Codex windows and the Claude Code limit reached, each figure written once', async () => {
    const home = tempDir('limits-home');
    const storage = tempDir('limits-storage');
    writeLines(path.join(home, '.codex', 'sessions', '2026', '11', '20', 'rollout-2026-11-20T10-00-00-abc.jsonl'), [
      codexLine(NOW - 60 * MINUTE, 40, 10),
      codexLine(NOW - 50 * MINUTE, 40, 10),
      codexLine(NOW - 20 * MINUTE, 82, 11),
    ]);
    writeLines(path.join(home, '.claude', 'projects', 'encoded-project', 'session-1.jsonl'), [
      JSON.stringify(claudeLimitLine(iso(NOW - 30 * MINUTE), "You've hit your session limit · resets 3pm (Europe/Rome)")),
      JSON.stringify(claudeLimitLine(iso(NOW - 30 * MINUTE + 20_000), "You've hit your session limit · resets 3pm (Europe/Rome)")),
    ]);
    await runImport({ storageDir: storage, secret: 'limits-secret', pricer: { keptModelName: (raw) => raw }, env: {}, homeDir: home, platform: 'linux', now: () => NOW });

    const { events } = await readLedger(storage);
    // 5-hour at 40 and 82, weekly at 10 and 11: the repeated 40 / 10 is not written again.
    assert.equal(events.filter((e) => e.kind === 'limit').length, 4);
    // Claude Code repeats the line on each retry: one event per limit (per minute without a reset time).
    assert.equal(events.filter((e) => e.kind === 'limitReached').length, 1);
    // Numbers, enums and times only: nothing of the message text reaches the ledger.
    const dir = segmentsDir(storage);
    const ledgerText = fs.readdirSync(dir).map((name) => fs.readFileSync(path.join(dir, name), 'utf8')).join();
    assert.ok(ledgerText.includes('"limitReached"') && !ledgerText.includes('Europe') && !ledgerText.includes('hit your'));

    const source = new DashboardSource({ storageDir: storage, timeZone: 'UTC', locale: 'en-US', getSettings: () => parseSettings({}), now: () => NOW });
    const model = await source.load(STATE);
    const limits = model.tables.find((t) => t.id === 'limits');
    assert.ok(limits);
    assert.deepEqual(limits.rows.slice(0, 2), [
      ['Codex 5-hour limit', 0.82, 100, 20],
      ['Codex weekly limit', 0.11, 3 * 24 * 60, 20],
    ]);
    assert.deepEqual(
      limits.rows.slice(2).map((row) => [row[0], row[3]]),
      [['Claude Code: 5-hour limit reached', 30]],
    );
  });
});
