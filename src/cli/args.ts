// Command-line flags, one table: each flag's parser type, help text and zod schema live in one
// entry, so adding a flag (say `--codex-home`) is adding one row here.
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { isCalendarDate, isValidTimeZone, machineTimeZone } from '../calendar/dates';
import type { CliIo } from './run';

export interface FlagSpec<Schema extends z.ZodType = z.ZodType> {
  type: 'string' | 'boolean';
  /** The flag may be given several times; its value is then a list. */
  multiple?: boolean;
  short?: string;
  /** Placeholder for the value in help text. */
  valueName?: string;
  help: string;
  schema: Schema;
}

/** YYYY-MM-DD, or YYYYMMDD as ccusage takes it; parsed to YYYY-MM-DD. */
const CalendarDate = z
  .string()
  .transform((text) => (/^\d{8}$/.test(text) ? `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6)}` : text))
  .refine(isCalendarDate, { message: 'expected a calendar date YYYY-MM-DD or YYYYMMDD' });

export const REPORT_FLAGS = {
  json: {
    type: 'boolean',
    short: 'j',
    help: 'Print {"rows":[...],"totals":{...}} instead of a table.',
    schema: z.boolean().default(false),
  },
  breakdown: {
    type: 'boolean',
    help: "Add each day's rows per source/model and per language/provider to the table.",
    schema: z.boolean().default(false),
  },
  csv: {
    type: 'string',
    valueName: 'FILE',
    help: 'Also write the rows (per day or month, source/model and language/provider) as CSV.',
    schema: z.string().min(1).optional(),
  },
  color: {
    type: 'boolean',
    help: '--no-color: no colour (default: colour on a terminal, unless NO_COLOR is set or FORCE_COLOR=0).',
    schema: z.boolean().optional(),
  },
  storage: {
    type: 'string',
    valueName: 'DIR',
    help: "The ledger folder (default: the extension's, found in the usual editor folders).",
    schema: z.string().min(1).optional(),
  },
  since: {
    type: 'string',
    valueName: 'YYYY-MM-DD',
    help: 'First day to include (YYYYMMDD also works).',
    schema: CalendarDate.optional(),
  },
  until: {
    type: 'string',
    valueName: 'YYYY-MM-DD',
    help: 'Last day to include (YYYYMMDD also works).',
    schema: CalendarDate.optional(),
  },
  tz: {
    type: 'string',
    valueName: 'ZONE',
    help: "IANA time zone whose midnights end the days (default: this machine's, else UTC).",
    schema: z.string().refine(isValidTimeZone, { message: 'unknown time zone' }).optional(),
  },
  'price-file': {
    type: 'string',
    valueName: 'FILE',
    help: "A LiteLLM-format price file extending the bundled prices (like the setting assay.pricing.priceFile).",
    schema: z.string().min(1).optional(),
  },
  'claude-config-dir': {
    type: 'string',
    valueName: 'DIR',
    help: 'Import Claude Code logs from this folder (instead of $CLAUDE_CONFIG_DIR, ~/.claude, ~/.config/claude).',
    schema: z.string().min(1).optional(),
  },
  'codex-home': {
    type: 'string',
    valueName: 'DIR',
    help: 'Import Codex CLI logs from this folder (instead of $CODEX_HOME or ~/.codex).',
    schema: z.string().min(1).optional(),
  },
  'gemini-dir': {
    type: 'string',
    valueName: 'DIR',
    help: "Import Gemini CLI logs from this folder's tmp/ (instead of ~/.gemini).",
    schema: z.string().min(1).optional(),
  },
  discover: {
    type: 'boolean',
    help: "--no-discover: import only from the folders given above, not from the tools' default folders.",
    schema: z.boolean().default(true),
  },
  import: {
    type: 'boolean',
    help: '--no-import: report the ledger as it is, without reading agent logs first.',
    schema: z.boolean().default(true),
  },
  version: {
    type: 'boolean',
    help: 'Print the version.',
    schema: z.boolean().default(false),
  },
  help: {
    type: 'boolean',
    short: 'h',
    help: 'Show this help.',
    schema: z.boolean().default(false),
  },
} as const satisfies Record<string, FlagSpec>;

/** `assay import`: the flags that say where to read logs and which ledger to write. */
export const IMPORT_FLAGS = {
  storage: REPORT_FLAGS.storage,
  'price-file': REPORT_FLAGS['price-file'],
  'claude-config-dir': REPORT_FLAGS['claude-config-dir'],
  'codex-home': REPORT_FLAGS['codex-home'],
  'gemini-dir': REPORT_FLAGS['gemini-dir'],
  discover: REPORT_FLAGS.discover,
  help: REPORT_FLAGS.help,
} as const satisfies Record<string, FlagSpec>;

type Flags = typeof REPORT_FLAGS;
export type ReportArgs = { [Name in keyof Flags]: z.output<Flags[Name]['schema']> };

/** A mistake in how the command was called: reported with a hint, exit status 2. */
export class UsageError extends Error {}

export interface ParsedCommand {
  /** Positional words, e.g. ["report", "daily"]. */
  command: string[];
  args: ReportArgs;
}

export function parseCommandLine(argv: readonly string[]): ParsedCommand {
  return parseFlags(argv, REPORT_FLAGS);
}

/** Parses `argv` against a flag table; throws UsageError on an unknown flag or a bad value. */
export function parseFlags<Table extends Record<string, FlagSpec>>(
  argv: readonly string[],
  flags: Table,
): { command: string[]; args: { [Name in keyof Table]: z.output<Table[Name]['schema']> } } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: Object.fromEntries(
        Object.entries(flags).map(([name, flag]) => [
          name,
          { type: flag.type, ...(flag.short ? { short: flag.short } : {}), ...(flag.multiple ? { multiple: true } : {}) },
        ]),
      ),
      allowPositionals: true,
      allowNegative: true,
      strict: true,
    });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    // Node's own wording for this one explains positional arguments at length.
    const unknown = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec(message) : null;
    throw new UsageError(unknown ? `unknown option ${unknown[1]}` : message.split('\n')[0]);
  }
  const schema = z
    .object(Object.fromEntries(Object.entries(flags).map(([name, flag]) => [name, flag.schema])))
    .refine((args) => args.since === undefined || args.until === undefined || (args.since as string) <= (args.until as string), {
      message: '--since is after --until',
    });
  const result = schema.safeParse(parsed.values);
  if (!result.success) {
    const issue = result.error.issues[0];
    const flag = issue.path.length > 0 ? `--${String(issue.path[0])}: ` : '';
    throw new UsageError(`${flag}${issue.message}`);
  }
  return { command: parsed.positionals, args: result.data as { [Name in keyof Table]: z.output<Table[Name]['schema']> } };
}

export function flagsHelp(flags: Record<string, FlagSpec> = REPORT_FLAGS): string {
  const entries = Object.entries(flags).map(([name, flag]: [string, FlagSpec]) => {
    const short = flag.short ? `-${flag.short}, ` : '';
    const value = flag.valueName ? ` ${flag.valueName}` : '';
    if (flag.type === 'boolean' && flag.help.startsWith('--no-')) {
      return [`  --no-${name}`, flag.help.replace(/^--no-[a-z-]+: /, '')] as const;
    }
    return [`  ${short}--${name}${value}`, flag.help] as const;
  });
  const width = Math.max(...entries.map(([usage]) => usage.length)) + 2;
  return entries.map(([usage, help]) => usage.padEnd(width) + help).join('\n');
}

/** `--tz`, else this machine's zone; else UTC, and the user is told, since the days then end at a midnight they may not expect. */
export function timeZoneOption(tz: string | undefined, io: CliIo): string {
  if (tz !== undefined) return tz;
  const zone = machineTimeZone();
  if (zone === undefined) {
    io.stderr("assay: warning: this machine's time zone has no name Assay knows (see TZ); days are UTC days (--tz ZONE names the zone).\n");
  }
  return zone ?? 'UTC';
}
