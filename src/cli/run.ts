// The `assay` command line: parses, runs the command, and maps failures to exit statuses
// (0 done, 1 could not run, e.g. an unreadable ledger; 2 called wrongly). Output goes through `io`
// so tests can run it in-process.
import * as os from 'node:os';
import * as path from 'node:path';
import { version } from '../../package.json';
import { compactLedger } from '../ledger/compaction';
import { describeError, SafeMessageError } from '../privacy/errors';
import { writeOutputFile } from './outputFile';
import { addWrittenEvents, loadDailyRollup } from '../report/rollupCache';
import { directoryExists, findOrCreateStorageDir, homeRelative } from '../ledger/storageLocation';
import type { UsageSource } from '../ledger/events';
import type { WrittenBatch } from '../ledger/writer';
import { claudeProjectRoots, codexSessionRoots, copilotOtelFile, withCopilotOtelFile } from '../importers/discovery';
import { copilotOtelFileOfEditors } from '../importers/editorSettings';
import { loadImportSecret } from '../importers/importSecret';
import { runImport, type ImportSummary } from '../importers/runImport';
import { importWarnings } from '../importers/importWarnings';
import { loadConfiguredPricer } from '../pricing/configuredPricer';
import type { ModelPricer } from '../pricing/pricer';
import { filterRollup, priceUsageRows, rollupMonthly } from '../report/rollup';
import { flagsHelp, IMPORT_FLAGS, parseCommandLine, parseFlags, timeZoneOption, UsageError } from './args';
import type { ReportArgs } from './args';
import { useColour } from './colour';
import { reportJson } from '../report/reportJson';
import { reportTable } from './report';
import { reportCsv } from './reportCsv';
import { jsonWithRoundedCosts } from './rounding';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stdout is a terminal, so the table may be coloured (colour.ts); absent: it is not. */
  stdoutIsTTY?: boolean;
}

const PERIODS = ['daily', 'monthly'] as const;
type Period = (typeof PERIODS)[number];

function helpText(): string {
  return [
    'Usage: assay report daily|monthly [options]',
    '       assay [daily|monthly] [options]       the same (assay alone: the daily report)',
    '       assay import [options]                read new agent usage into the ledger (see assay import --help)',
    '       assay team export|report ...          (see assay team --help)',
    '',
    'What your AI coding assistants delivered and cost, from the Assay ledger on this machine.',
    '  daily     one row per day: tokens, cost, agent lines written and the share kept a day later',
    '            (Lines +/kept, if agents edited files), accepted suggestions, AI share, kept at 10 min',
    '  monthly   the same per calendar month',
    '',
    "With no editor ledger, assay keeps agent usage in its own: $XDG_DATA_HOME/assay or ~/.local/share/assay,",
    '~/Library/Application Support/Assay on macOS, %APPDATA%\\Assay on Windows.',
    '',
    'Options:',
    flagsHelp(),
    '',
  ].join('\n');
}

function importHelpText(): string {
  return [
    'Usage: assay import [options]',
    '',
    "Reads new agent and chat usage from the tools' local logs into the ledger (assay report does this",
    'first too). Without --storage and with no editor ledger, into the command\'s own ledger.',
    '',
    'Options:',
    flagsHelp(IMPORT_FLAGS),
    '',
  ].join('\n');
}

/** An import started from the command line waits this long for one running in an editor window. */
const IMPORT_LOCK_WAIT_MS = 60_000;

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    if (argv[0] === 'team') {
      // Loaded only for `assay team`: evaluating the team modules and their schemas cost every `assay report` about a
      // millisecond of start-up (40 runs each on an empty ledger, median 67.4 ms before, 66.5 ms after).
      const { runTeam } = await import('./team');
      await runTeam(argv.slice(1), io);
      return 0;
    }
    if (argv[0] === 'import') {
      await runImportCommand(argv.slice(1), io);
      return 0;
    }
    const { command, args } = parseCommandLine(argv);
    if (args.help) {
      io.stdout(helpText());
      return 0;
    }
    if (args.version) {
      io.stdout(`${version}\n`);
      return 0;
    }
    await runReport(reportPeriod(command), args, io);
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

/** `assay`, `assay daily`, `assay report` and `assay report daily` are the daily report. */
function reportPeriod(command: readonly string[]): Period {
  const words = command[0] === 'report' ? command.slice(1) : command;
  if (words.length === 0) return 'daily';
  if (words.length === 1 && PERIODS.includes(words[0] as Period)) return words[0] as Period;
  // Words that are not command names may be paths or other private text: they are not echoed.
  const echoable = command.every((word) => /^[a-z-]{1,20}$/.test(word));
  throw new UsageError(echoable ? `unknown command: ${command.join(' ')}` : 'unknown command');
}

/**
 * `--storage`, else the editor's ledger, else the command's own (created and announced on first use).
 * A --storage folder that does not exist is refused unless logs are imported into it.
 */
async function ledgerFolder(storage: string | undefined, importsIntoNewLedger: boolean, io: CliIo): Promise<string> {
  if (storage !== undefined) {
    if (!importsIntoNewLedger && !(await directoryExists(storage))) throw new SafeMessageError('--storage: no such folder');
    return storage;
  }
  const { storageDir, created } = await findOrCreateStorageDir();
  if (created) {
    io.stderr(`assay: no editor ledger found; created assay's own ledger for agent usage in ${homeRelative(storageDir)}\n`);
  }
  return storageDir;
}

/** Errors of a folder that cannot be written. */
const WRITE_REFUSED: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS']);

async function runReport(period: Period, args: ReportArgs, io: CliIo): Promise<void> {
  const roots = importRoots(args);
  const storageDir = await ledgerFolder(args.storage, args.import && Object.keys(roots).length > 0, io);
  const pricer = await loadPricer(args['price-file'], io);
  const timeZone = timeZoneOption(args.tz, io);
  if (args.import) {
    // Loaded first so that what the import writes is added as it is written (addWrittenEvents), not read back after.
    await loadDailyRollup(storageDir, { timeZone, deferSave: true });
    try {
      const summary = await importUsage(storageDir, roots, args.discover, pricer, io, (batch) => void addWrittenEvents(storageDir, batch));
      if (summary.status === 'locked') io.stderr('assay: warning: another import is running; reporting without new agent usage.\n');
    } catch (error) {
      // A ledger this user may read but not write (another user's copy, a read-only mount) can still be reported.
      if (!WRITE_REFUSED.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      io.stderr(`assay: warning: could not import into this ledger (${describeError(error)}); reporting what it holds (--no-import skips the import).\n`);
    }
  }
  const loaded = await loadDailyRollup(storageDir, { timeZone });
  if (loaded.invalidLines > 0) {
    io.stderr(`assay: warning: ${loaded.invalidLines} ledger lines are not valid events and were skipped.\n`);
  }
  if (loaded.unreadableSegments > 0) {
    const one = loaded.unreadableSegments === 1;
    io.stderr(
      `assay: warning: ${loaded.unreadableSegments} ${one ? 'entry' : 'entries'} of the ledger's segments folder (or the folder itself) ` +
        `could not be read as segment files and ${one ? 'was' : 'were'} skipped.\n`,
    );
  }
  if (loaded.tornLines > 0) {
    io.stderr(`assay: warning: ${loaded.tornLines} ledger lines were cut short (a crash, or still being written) and were skipped.\n`);
  }
  const days = filterRollup(loaded, { since: args.since, until: args.until });
  const rollup = period === 'monthly' ? rollupMonthly(days) : days;
  const usage = priceUsageRows(rollup.usage, pricer);
  const report = reportJson(rollup.inline, usage);
  if (args.csv !== undefined) await writeOutputFile('--csv', args.csv, reportCsv(report.rows));
  if (args.json) {
    io.stdout(`${jsonWithRoundedCosts(report)}\n`);
    return;
  }
  const colour = useColour({ flag: args.color, env: process.env, stdoutIsTTY: io.stdoutIsTTY === true });
  io.stdout(reportTable(rollup.inline, usage, { period, breakdown: args.breakdown, colour }));
}

async function runImportCommand(argv: readonly string[], io: CliIo): Promise<void> {
  const { command, args } = parseFlags(argv, IMPORT_FLAGS);
  if (args.help) {
    io.stdout(importHelpText());
    return;
  }
  if (command.length > 0) throw new UsageError('import takes options only');
  const roots = importRoots(args);
  const storageDir = await ledgerFolder(args.storage, true, io);
  const summary = await importUsage(storageDir, roots, args.discover, await loadPricer(args['price-file'], io), io);
  if (summary.status === 'locked') throw new SafeMessageError('another import is running; nothing was read. Try again when it has finished.');
  const bySource = summary.sources.filter((source) => source.newEvents > 0).map((source) => `${source.source} ${source.newEvents.toLocaleString('en-US')}`);
  io.stdout(
    summary.sources.some((source) => source.found)
      ? `Imported ${summary.events.toLocaleString('en-US')} new agent ${summary.events === 1 ? 'response' : 'responses'}${bySource.length > 0 ? ` (${bySource.join(', ')})` : ''}` +
        `${summary.updatedEvents > 0 ? `; ${summary.updatedEvents.toLocaleString('en-US')} imported before ${summary.updatedEvents === 1 ? 'was' : 'were'} updated` : ''}.\n`
      : 'No agent logs found in the tools\' folders.\n',
  );
}

async function loadPricer(priceFile: string | undefined, io: CliIo): Promise<ModelPricer> {
  const { pricer, notice } = await loadConfiguredPricer({ overrides: {}, priceFile: priceFile ?? '' });
  if (notice) io.stderr(`assay: warning: ${notice.replace('assay.pricing.priceFile', '--price-file')}\n`);
  return pricer;
}

/** Folders given on the command line, per source; they replace that source's default folders. */
function importRoots(args: Pick<ReportArgs, 'claude-config-dir' | 'codex-home' | 'gemini-dir'>): Partial<Record<UsageSource, string[]>> {
  const roots: Partial<Record<UsageSource, string[]>> = {};
  const context = { homeDir: os.homedir(), platform: process.platform };
  if (args['claude-config-dir']) {
    roots['claude-code'] = claudeProjectRoots({ ...context, env: { CLAUDE_CONFIG_DIR: args['claude-config-dir'] } });
  }
  if (args['codex-home']) roots.codex = codexSessionRoots({ ...context, env: { CODEX_HOME: args['codex-home'] } });
  if (args['gemini-dir']) roots['gemini-cli'] = [path.join(args['gemini-dir'], 'tmp')];
  return roots;
}

/**
 * The environment an import into `storageDir` reads tools' settings from: this process's, plus Copilot Chat's
 * OpenTelemetry file as the editors' settings turn it on (editorSettings.ts), as an import in the editor knows it,
 * unless the environment names one itself.
 */
function importEnvironment(storageDir: string): Record<string, string | undefined> {
  const { env, platform } = process;
  const homeDir = os.homedir();
  if (copilotOtelFile({ env, homeDir, platform }) !== undefined) return env;
  return withCopilotOtelFile(env, copilotOtelFileOfEditors({ platform, env, homedir: homeDir }, storageDir));
}

async function importUsage(
  storageDir: string,
  roots: Partial<Record<UsageSource, string[]>>,
  discover: boolean,
  pricer: ModelPricer,
  io: CliIo,
  onLedgerWrite?: (batch: WrittenBatch) => void,
): Promise<ImportSummary> {
  const summary = await runImport({
    storageDir,
    secret: await loadImportSecret(storageDir),
    pricer,
    roots,
    discover,
    env: importEnvironment(storageDir),
    lockWaitMs: IMPORT_LOCK_WAIT_MS,
    onLockWait: () => io.stderr('assay: another import is running (in an editor window, or another assay); waiting for it to finish...\n'),
    ...(onLedgerWrite ? { onLedgerWrite } : {}),
  });
  for (const warning of importWarnings(summary.sources)) io.stderr(`assay: warning: ${warning}\n`);
  // Upkeep, as after an import in the editor: when it cannot run the ledger is as it was.
  if (summary.status === 'done') await compactLedger(storageDir).catch(() => undefined);
  return summary;
}
