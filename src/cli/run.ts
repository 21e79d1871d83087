// The `assay` command line: parses, runs the command, and maps failures to exit statuses
// (0 done, 1 could not run, e.g. no ledger found; 2 called wrongly). Output goes through `io`
// so tests can run it in-process.
import * as os from 'node:os';
import * as path from 'node:path';
import { compactLedger } from '../ledger/compaction';
import { describeError, SafeMessageError } from '../privacy/errors';
import { loadDailyRollup } from '../report/rollupCache';
import { directoryExists, findDefaultStorageDir } from '../ledger/storageLocation';
import type { UsageSource } from '../ledger/events';
import { claudeProjectRoots, codexSessionRoots } from '../importers/discovery';
import { loadImportSecret } from '../importers/importSecret';
import { runImport } from '../importers/runImport';
import { rejectionWarnings } from '../importers/usageBounds';
import { loadConfiguredPricer } from '../pricing/configuredPricer';
import type { Pricer } from '../pricing/types';
import { localTimeZone } from '../calendar/dates';
import { filterRollup, priceUsageRows, rollupMonthly } from '../report/rollup';
import { flagsHelp, parseCommandLine, UsageError } from './args';
import type { ReportArgs } from './args';
import { reportJson } from '../report/reportJson';
import { reportTable } from './report';
import { runTeam } from './team';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const PERIODS = ['daily', 'monthly'] as const;
type Period = (typeof PERIODS)[number];

function helpText(): string {
  return [
    'Usage: assay report daily|monthly [options]',
    '       assay team export|report ... (see assay team --help)',
    '',
    'What your AI coding assistants delivered and cost, from the Assay ledger on this machine.',
    '  daily     one row per day and language/provider (inline suggestions) or source/model (usage)',
    '  monthly   the same rows per calendar month',
    '',
    'Options:',
    flagsHelp(),
    '',
  ].join('\n');
}

/** An import started from the command line waits this long for one running in an editor window. */
const IMPORT_LOCK_WAIT_MS = 60_000;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === 'team') {
      await runTeam(argv.slice(1), io);
      return 0;
    }
    const { command, args } = parseCommandLine(argv);
    if (args.help) {
      io.stdout(helpText());
      return 0;
    }
    const [verb, period, ...extra] = command;
    if (verb !== 'report' || !PERIODS.includes(period as Period) || extra.length > 0) {
      // Words that are not command names may be paths or other private text: they are not echoed.
      const echoable = command.every((word) => /^[a-z-]{1,20}$/.test(word));
      throw new UsageError(command.length === 0 ? 'missing command' : echoable ? `unknown command: ${command.join(' ')}` : 'unknown command');
    }
    await runReport(period as Period, args, io);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`assay: ${error.message}\nRun "assay --help" for usage.\n`);
      return 2;
    }
    // Only messages Assay wrote itself: a file-system error's message quotes the path it failed on.
    io.stderr(`assay: ${describeError(error)}\n`);
    return 1;
  }
}

async function runReport(period: Period, args: ReportArgs, io: CliIo): Promise<void> {
  const roots = importRoots(args);
  const importsIntoNewLedger = args.import && Object.keys(roots).length > 0;
  if (args.storage !== undefined && !importsIntoNewLedger && !(await directoryExists(args.storage))) {
    throw new SafeMessageError('--storage: no such folder');
  }
  const storageDir = args.storage ?? (await findDefaultStorageDir());
  const { pricer, notice } = await loadConfiguredPricer({ overrides: {}, priceFile: args['price-file'] ?? '' });
  if (notice) io.stderr(`assay: warning: ${notice.replace('assay.pricing.priceFile', '--price-file')}\n`);
  if (args.import) await importUsage(storageDir, roots, args.discover, pricer, io);
  const timeZone = args.tz ?? localTimeZone();
  const loaded = await loadDailyRollup(storageDir, { timeZone });
  if (loaded.invalidLines > 0) {
    io.stderr(`assay: warning: ${loaded.invalidLines} ledger lines are not valid events and were skipped.\n`);
  }
  if (loaded.unreadableSegments > 0) {
    io.stderr(`assay: warning: ${loaded.unreadableSegments} entries in the ledger's segments folder are not readable segment files and were skipped.\n`);
  }
  if (loaded.tornLines > 0) {
    io.stderr(`assay: warning: ${loaded.tornLines} ledger lines were cut short (a crash, or still being written) and were skipped.\n`);
  }
  const days = filterRollup(loaded, { since: args.since, until: args.until });
  const rollup = period === 'monthly' ? rollupMonthly(days) : days;
  const usage = priceUsageRows(rollup.usage, pricer);
  io.stdout(args.json ? `${JSON.stringify(reportJson(rollup.inline, usage))}\n` : reportTable(rollup.inline, usage));
}

/** Folders given on the command line, per source; they replace that source's default folders. */
function importRoots(args: ReportArgs): Partial<Record<UsageSource, string[]>> {
  const roots: Partial<Record<UsageSource, string[]>> = {};
  const context = { homeDir: os.homedir(), platform: process.platform };
  if (args['claude-config-dir']) {
    roots['claude-code'] = claudeProjectRoots({ ...context, env: { CLAUDE_CONFIG_DIR: args['claude-config-dir'] } });
  }
  if (args['codex-home']) roots.codex = codexSessionRoots({ ...context, env: { CODEX_HOME: args['codex-home'] } });
  if (args['gemini-dir']) roots['gemini-cli'] = [path.join(args['gemini-dir'], 'tmp')];
  return roots;
}

async function importUsage(
  storageDir: string,
  roots: Partial<Record<UsageSource, string[]>>,
  discover: boolean,
  pricer: Pricer,
  io: CliIo,
): Promise<void> {
  const summary = await runImport({
    storageDir,
    secret: await loadImportSecret(storageDir),
    pricer,
    roots,
    discover,
    lockWaitMs: IMPORT_LOCK_WAIT_MS,
  });
  if (summary.status === 'locked') io.stderr('assay: warning: another import is running; reporting without new agent usage.\n');
  for (const warning of rejectionWarnings(summary.sources)) io.stderr(`assay: warning: ${warning}\n`);
  // Upkeep, as after an import in the editor: when it cannot run the ledger is as it was.
  if (summary.status === 'done') await compactLedger(storageDir).catch(() => undefined);
}

