// Assay's Crush importer against tokscale 4.17.0 (tokscale.ts), the one well-kept reader of Crush's databases
// (ccusage does not read Crush), on the same generated data (agentCorpora.ts writeCrushCorpus: four projects listed in
// Crush's projects.json, sub-agent sessions, canceled turns, summaries, several days): per UTC day, the same number of
// responses. Both read Crush alike (src/importers/sources/crush.ts): each assistant message of a session that descends
// from a top-level session is one response, whose tokens Crush does not keep (junhoyeo/tokscale
// crates/tokscale-core/src/sessions/crush.rs at d08e339e020e25f4705ccdc2cedae5bbffe381c8).
// The run, as tokscale's source defines it (crates/tokscale-cli/src/main.rs at 0130e5b938c4c2620857c63d2bea7334edf92153
// and crates/tokscale-core/src/scanner.rs at 027955203fd1bc36f82cf6a2ee53e329e81c7dbd):
// - `tokscale graph -c crush --home <home> --no-spinner`: `graph` writes its JSON to stdout (`Commands::Graph`), `-c`
//   keeps one client, `--home` (a global option) reads the data below that home; Crush's databases are found through
//   `<home>/.local/share/crush/projects.json` (scanner.rs `crush_registry_candidates`, `scan_crush_registry`), as Assay
//   finds them with that home.
// - A fixed time zone: `tokscale config set timezone UTC` pins the zone its days follow (`ConfigSubcommand::Set`;
//   scanner.rs `ScannerSettings.bucket_timezone`), and TZ=UTC the local zone its Crush reader groups messages by
//   (crush.rs `local_day_key`, chrono's `Local`). Both write only below the temporary home.
// - No network: see tokscale.ts (tokscale downloads price lists at every run; Crush's figures need none).
// tokscale's display conventions, undone here:
// - It names every Crush row after no model (`modelId` `session-total`, provider `crush`), so responses are compared
//   per day, all models together; Assay keeps each message's model.
// - Per day it shows, beside the message count, Crush's session cost spread over the session's days by message count,
//   and a row of 0 messages on the last-update day of a session that has a cost but no assistant message. Assay keeps no
//   cost for Crush (a share per message would be its own invention: docs/ledger.md) and counts no response there: cost
//   is not compared and days of 0 messages are dropped.
// - Its tokens are 0 where Assay's are unknown (`tokensKnown` false): both are checked to record none.
// Known differences kept out of the corpus: sessions whose parents name each other (tokscale's recursive query never
// ends; Assay's stops), and a top-level session with neither messages counted nor cost yet with assistant messages
// (tokscale skips it, Assay counts them; Crush's triggers keep `message_count`, so Crush never writes one).
// Kiro CLI too (kiroCorpus.ts writeKiroCorpus: conversations in `<home>/.local/share/kiro-cli/data.sqlite3` with
// tool-use rounds and entries without a request, and session files in `<home>/.kiro/sessions/cli/`, over several
// days): per UTC day, the same number of responses, each request of a conversation's history one, and each turn of a
// session file as many as its request count (src/importers/sources/kiro.ts; tokscale's
// crates/tokscale-core/src/sessions/kiro.rs `parse_kiro_sqlite` and `parse_kiro_file`, found by scanner/kiro.rs).
// `-c kiro` also reads the Kiro IDE's stores, absent here. tokscale's tokens for Kiro are its estimates (Kiro records none) and it
// names each response after the conversation's model, else `auto`: tokens are not compared, Assay's are checked to be
// unknown, and responses are compared per day, all models together. Known differences kept out of the corpus: a
// request or turn tokscale finds nothing to estimate from (no response size, context percentage or answer text), which
// it drops and Assay counts, and a turn with neither a prompt time nor an end, which tokscale dates by the file's
// modification time and Assay counts as damaged.
import * as assert from 'node:assert/strict';
import { tempDir } from '../unit/importers/fixtures';
import { writeCrushCorpus, type AgentCorpusOptions } from './agentCorpora';
import { assayUsage, byDayAndModel, sorted, type Totals } from './compare';
import { writeKiroCorpus } from './kiroCorpus';
import { ensureTokscale, runTokscale, TOKSCALE_VERSION } from './tokscale';

interface TokscaleGraph {
  contributions: {
    date: string;
    clients: { client: string; modelId: string; tokens: Record<string, number>; messages: number }[];
  }[];
}

const CORPUS: AgentCorpusOptions = { days: 9, sessionsPerDay: 6, seed: 23 };

describe(`cross-check of Crush and Kiro against tokscale ${TOKSCALE_VERSION}`, function () {
  this.timeout(300_000);
  let binary: string;

  before(function () {
    const installed = ensureTokscale();
    // A cross-check that cannot run is a failure, never a skip counted as a pass.
    assert.ok(installed, `tokscale ${TOKSCALE_VERSION} (npm @tokscale/cli-linux-x64-gnu) could not be installed from the npm registry with its pinned integrity, or has no binary for this platform`);
    binary = installed;
  });

  it('Crush: equal responses per day, none with tokens', async () => {
    const home = tempDir('crosscheck-crush-home');
    await writeCrushCorpus(home, CORPUS);
    const report = JSON.parse(runTokscale(binary, ['graph', '-c', 'crush', '--no-spinner'], home)) as TokscaleGraph;
    const rows = report.contributions.flatMap((day) => day.clients.map((row) => ({ date: day.date, ...row })));
    assert.ok(rows.length > 0 && rows.every((row) => row.client === 'crush' && row.modelId === 'session-total'), 'tokscale reports Crush under no model');
    assert.ok(rows.every((row) => Object.values(row.tokens).every((n) => n === 0)), 'tokscale counts no Crush tokens');
    const expected = new Map<string, Totals>();
    for (const row of rows.filter((r) => r.messages > 0)) {
      expected.set(`${row.date} all`, { responses: (expected.get(`${row.date} all`)?.responses ?? 0) + row.messages });
    }

    const events = await assayUsage({}, home);
    assert.ok(events.every((e) => e.source === 'crush' && !e.tokensKnown), 'Assay reads only Crush here, without tokens');
    const actual = byDayAndModel(events, () => ({ responses: 1 }), () => 'all');
    assert.ok(expected.size >= CORPUS.days, `a corpus of several days (${expected.size} days)`);
    assert.deepEqual(sorted(actual), sorted(expected));
  });

  it('Kiro CLI: equal responses per day, none with tokens in Assay', async () => {
    const home = tempDir('crosscheck-kiro-home');
    await writeKiroCorpus(home, CORPUS);
    const report = JSON.parse(runTokscale(binary, ['graph', '-c', 'kiro', '--no-spinner'], home)) as TokscaleGraph;
    const expected = new Map<string, Totals>();
    for (const day of report.contributions) {
      for (const row of day.clients) {
        assert.equal(row.client, 'kiro');
        expected.set(`${day.date} all`, { responses: (expected.get(`${day.date} all`)?.responses ?? 0) + row.messages });
      }
    }

    const events = await assayUsage({}, home);
    assert.ok(events.every((e) => e.source === 'kiro' && !e.tokensKnown && e.reportedCostUSD === null), 'Assay reads only Kiro here, without tokens or cost');
    const actual = byDayAndModel(events, () => ({ responses: 1 }), () => 'all');
    assert.ok(expected.size >= CORPUS.days, `a corpus of several days (${expected.size} days)`);
    assert.deepEqual(sorted(actual), sorted(expected));
  });
});
