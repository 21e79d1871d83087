// `assay team export` and `assay team report`: a developer writes their ledger's
// summary into a shared folder (running the command is the consent), and a manager merges the
// folder into a report in which every figure describes at least k developers.
import * as z from 'zod';
import { directoryExists, findDefaultStorageDir } from '../ledger/storageLocation';
import { SafeMessageError } from '../privacy/errors';
import { writeOutputFile } from './outputFile';
import { loadConfiguredPricer } from '../pricing/configuredPricer';
import { resolveSeats, SeatSchema } from '../pricing/seats';
import type { ResolvedSeat } from '../pricing/seats';
import { localDate } from '../calendar/dates';
import { teamReportCsv } from '../team/csv';
import { loadChartJsSource, teamReportHtml } from '../team/html';
import { DEFAULT_MIN_GROUP, LOWEST_MIN_GROUP } from '../team/kRule';
import { developerIdFor, mergeSummaryFolder, personalKeyNote, prepareTeamSummary, readTeamKeyFile, seatsOfLastExport, writeTeamSummaryFile } from '../team/summaryFiles';
import { buildTeamReport } from '../team/teamReport';
import { teamReportText } from '../team/text';
import { flagsHelp, parseFlags, REPORT_FLAGS, timeZoneOption, UsageError } from './args';
import type { FlagSpec } from './args';
import type { CliIo } from './run';

function forExport(help: string): string {
  return `export: ${help.charAt(0).toLowerCase()}${help.slice(1)}`;
}

const TEAM_FLAGS = {
  storage: { ...REPORT_FLAGS.storage, help: forExport(REPORT_FLAGS.storage.help) },
  out: {
    type: 'string',
    valueName: 'DIR',
    help: 'export: the shared folder to write this ledger\'s summary file into.',
    schema: z.string().min(1).optional(),
  },
  'team-key-file': {
    type: 'string',
    valueName: 'FILE',
    help: "export: a file holding the team's key (without it, ids are keyed for merging your own machines).",
    schema: z.string().min(1).optional(),
  },
  'price-file': { ...REPORT_FLAGS['price-file'], help: forExport(REPORT_FLAGS['price-file'].help) },
  since: REPORT_FLAGS.since,
  until: REPORT_FLAGS.until,
  tz: {
    ...REPORT_FLAGS.tz,
    help: "export: the time zone of the summary's days; report: of the report's date (default: this machine's, else UTC).",
  },
  json: {
    type: 'boolean',
    help: 'report: print {"developers","minGroup","rows","totals","suppressed",...} as JSON.',
    schema: z.boolean().default(false),
  },
  html: {
    type: 'string',
    valueName: 'FILE',
    help: 'report: also write the report as one self-contained HTML file.',
    schema: z.string().min(1).optional(),
  },
  csv: {
    type: 'string',
    valueName: 'FILE',
    help: "report: also write the report's rows as CSV.",
    schema: z.string().min(1).optional(),
  },
  'min-group': {
    type: 'string',
    valueName: 'N',
    help: `report: the fewest developers a figure may describe (default ${DEFAULT_MIN_GROUP}, at least ${LOWEST_MIN_GROUP}).`,
    schema: z
      .string()
      .regex(/^\d{1,6}$/, { message: 'expected a whole number' })
      .transform(Number)
      .pipe(z.number().min(LOWEST_MIN_GROUP, { message: `below ${LOWEST_MIN_GROUP} is refused: small groups could be told apart` }))
      .optional(),
  },
  seats: {
    type: 'string',
    multiple: true,
    valueName: 'PLAN=COUNT[@USD]',
    help:
      'report: licences paid for, e.g. copilot-business=40 (repeatable; @USD prices a plan Assay does not know); ' +
      "export: the plans you hold, as in the assay.seats setting, or `none` (default: your last export's in --out).",
    schema: z.array(z.string().max(200)).max(50).default([]),
  },
  personal: {
    type: 'boolean',
    help: "report: the folder holds one person's own machines: no k rule.",
    schema: z.boolean().default(false),
  },
  help: REPORT_FLAGS.help,
} as const satisfies Record<string, FlagSpec>;

type TeamArgs = ReturnType<typeof parseFlags<typeof TEAM_FLAGS>>['args'];

const EXPORT_ONLY = ['storage', 'out', 'team-key-file', 'price-file'] as const;
const REPORT_ONLY = ['json', 'html', 'csv', 'min-group', 'personal'] as const;

function teamHelpText(): string {
  return [
    'Usage: assay team export --out DIR [--storage DIR] [--since] [--until] [--team-key-file FILE] [--seats PLAN=COUNT ...|none]',
    '       assay team report DIR [--json] [--html FILE] [--csv FILE] [--min-group N] [--seats PLAN=COUNT ...] [--personal]',
    '',
    "  export   write this ledger's daily aggregates (no code, paths or names) into a shared folder",
    '  report   merge every summary in DIR; no figure describes fewer than --min-group developers',
    '',
    'Options:',
    flagsHelp(TEAM_FLAGS),
    '',
  ].join('\n');
}

/** `argv` after the word `team`. */
export async function runTeam(argv: readonly string[], io: CliIo): Promise<void> {
  const { command, args } = parseFlags(argv, TEAM_FLAGS);
  if (args.help) {
    io.stdout(teamHelpText());
    return;
  }
  const [verb, ...rest] = command;
  if (verb === 'export' && rest.length === 0) {
    refuseFlags(args, REPORT_ONLY, 'team export');
    await runExport(args, io);
  } else if (verb === 'report' && rest.length === 1) {
    refuseFlags(args, EXPORT_ONLY, 'team report');
    await runReport(rest[0], args, io);
  } else if (verb === 'report' && rest.length === 0) {
    throw new UsageError('team report needs the folder of summaries');
  } else {
    // A word that is not a command name may be a path: it is not echoed.
    throw new UsageError(/^[a-z-]{1,20}$/.test(verb ?? '') ? `unknown command: team ${verb}` : 'team needs a command: export or report');
  }
}

function refuseFlags(args: TeamArgs, names: readonly (keyof TeamArgs)[], command: string): void {
  for (const name of names) {
    const value = args[name];
    const given = Array.isArray(value) ? value.length > 0 : value !== undefined && value !== false;
    if (given) throw new UsageError(`--${String(name)} is not an option of ${command}`);
  }
}

async function runExport(args: TeamArgs, io: CliIo): Promise<void> {
  if (args.out === undefined) throw new UsageError('team export needs --out DIR');
  if (!(await directoryExists(args.out))) throw new SafeMessageError('--out: no such folder');
  if (args.storage !== undefined && !(await directoryExists(args.storage))) throw new SafeMessageError('--storage: no such folder');
  const storageDir = args.storage ?? (await findDefaultStorageDir());
  const teamKey = args['team-key-file'] === undefined ? null : await readTeamKeyFile(args['team-key-file']);
  const givenSeats = exportSeats(args.seats);
  const { pricer, notice } = await loadConfiguredPricer({ overrides: {}, priceFile: args['price-file'] ?? '' });
  if (notice) io.stderr(`assay: warning: ${notice.replace('assay.pricing.priceFile', '--price-file')}\n`);
  // The newest file wins each of its days, seats included: an export without them would take back the seats the
  // editor's export listed for those days.
  const seats = givenSeats ?? (await seatsOfLastExport(args.out, await developerIdFor(storageDir, teamKey)));
  if (seats === undefined) io.stderr('assay: warning: the summary lists no seats: give the plans you hold with --seats PLAN=COUNT (as in assay.seats), or --seats none.\n');
  const summary = await prepareTeamSummary({
    storageDir,
    teamKey,
    pricer,
    seats: seats ?? [],
    timeZone: timeZoneOption(args.tz, io),
    since: args.since,
    until: args.until,
  });
  if (summary.skippedLedgerLines > 0) {
    io.stderr(`assay: warning: ${summary.skippedLedgerLines} ledger lines are not valid events or were cut short, and were skipped.\n`);
  }
  await writeTeamSummaryFile(args.out, summary.fileName, summary.bytes);
  if (teamKey === null) io.stderr(`assay: note: ${personalKeyNote('--team-key-file')}\n`);
  io.stdout(`Wrote ${summary.fileName} (${summary.since} to ${summary.until}, ${summary.lines.length - 1} rows) into the --out folder.\n`);
}

async function runReport(folder: string, args: TeamArgs, io: CliIo): Promise<void> {
  if (!(await directoryExists(folder))) throw new SafeMessageError('team report: no such folder');
  const licences = args.seats.length > 0 ? parseSeats(args.seats) : null;
  const { pricer, notice } = await loadConfiguredPricer({ overrides: {}, priceFile: '' });
  if (notice) io.stderr(`assay: warning: ${notice}\n`);
  const merge = await mergeSummaryFolder(folder, { since: args.since, until: args.until });
  for (const skipped of merge.skipped) io.stderr(`assay: skipped ${skipped.name}: ${skipped.reason}\n`);
  const report = buildTeamReport(merge, {
    minGroup: args['min-group'] ?? DEFAULT_MIN_GROUP,
    personal: args.personal,
    licences,
    pricer,
  });
  const madeOn = localDate(Date.now(), timeZoneOption(args.tz, io));
  if (args.html !== undefined) await writeOutputFile('--html', args.html, teamReportHtml(report, await loadChartJsSource(), madeOn));
  if (args.csv !== undefined) await writeOutputFile('--csv', args.csv, teamReportCsv(report));
  io.stdout(args.json ? `${JSON.stringify(report)}\n` : teamReportText(report, madeOn));
}

/** The seats `team export --seats` gives (`none`: the developer holds none), or undefined when it is not given. */
function exportSeats(values: readonly string[]): ResolvedSeat[] | undefined {
  if (values.length === 0) return undefined;
  if (values.length === 1 && values[0] === 'none') return [];
  return parseSeats(values);
}

/** `plan=count` or `plan=count@usd`: a known plan is priced from Assay's list prices unless @usd is given. */
function parseSeats(values: readonly string[]): ResolvedSeat[] {
  const seats = values.map((value) => {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]{0,63})=(\d{1,6})(?:@(\d{1,6}(?:\.\d{1,2})?))?$/.exec(value);
    if (!match) throw new UsageError('--seats: expected PLAN=COUNT or PLAN=COUNT@USD, e.g. copilot-business=40');
    const seat = SeatSchema.safeParse({ plan: match[1], count: Number(match[2]), ...(match[3] ? { monthlyUSD: Number(match[3]) } : {}) });
    if (!seat.success) throw new UsageError(`--seats: ${seat.error.issues[0].message}`);
    return seat.data;
  });
  const resolved = resolveSeats(seats);
  if (resolved.unknownPlans.length > 0) {
    throw new UsageError(`--seats: unknown plan ${resolved.unknownPlans[0]}; give its monthly price as PLAN=COUNT@USD`);
  }
  return resolved.seats;
}
