// Every `assay.*` setting, validated in one place. Pure: the editor glue in ./settings.ts reads
// raw values from the workspace configuration and parses them here, so a bad value in
// settings.json falls back to its default instead of reaching the core, and the user is told
// which value was replaced and why. package.json's `contributes.configuration` documents the
// same rules; test/unit/settings/contract.test.ts fails when the two drift apart.
import { isDeepStrictEqual } from 'node:util';
import * as z from 'zod';
import { UsageSource } from '../ledger/events';
import { OtlpTeamId } from '../privacy/allowlists';
import { OverrideModelName, PriceOverrideSchema } from '../pricing/overrides';
import { SeatSchema } from '../pricing/seats';
import { DEFAULT_VALUE_SETTINGS, type ValueSettings } from '../pricing/value';
import type { BudgetSettings } from '../money/budgets';
import { DEFAULT_LOCAL_MODEL_USD_PER_MTOK } from '../money/localModels';
import { DEFAULT_VALUE_RANGE_SETTINGS, type ValueRangeSettings } from '../money/valueRange';

/**
 * A folder or file another tool's own setting names (Copilot Chat's OpenTelemetry file, Roo Code's storage), read from
 * the editor's configuration (otherTools.ts) or, by the `assay` command, from settings.json (importers/editorSettings.ts):
 * input like any setting.
 */
export const ToolFolderSetting = z.string().trim().min(1).max(4_096);

export const DEFAULT_CHECKPOINTS_SECONDS = [30, 120, 300, 600, 900] as const;

/**
 * How one setting is parsed (`lenient`: never fails) and, for a raw value that was not kept
 * as given, why not (`explain`, in words safe to show: it never repeats what the user typed).
 */
interface Rule {
  lenient: z.ZodType;
  explain(raw: unknown): string | undefined;
}

/** A single value: a value that is not valid is replaced whole by the default. */
function single<Strict extends z.ZodType>(strict: Strict, fallback: z.core.util.NoUndefined<z.output<Strict>>) {
  return {
    lenient: strict.catch(fallback).default(fallback),
    explain: (raw: unknown) => {
      const parsed = strict.safeParse(raw);
      return parsed.success ? undefined : `${describeIssue(parsed.error.issues[0])}, so Assay uses the default, ${JSON.stringify(fallback)}`;
    },
  } satisfies Rule;
}

/**
 * A list keeps its valid items and drops the rest: one typo in settings.json must not
 * silently remove every seat or model the user listed.
 */
function list<Item extends z.ZodType>(item: Item, maxItems: number) {
  const lenient = z
    .array(z.unknown())
    .catch([])
    .transform((values) =>
      values.slice(0, maxItems).flatMap((value) => {
        const parsed = item.safeParse(value);
        return parsed.success ? [parsed.data as z.output<Item>] : [];
      }),
    )
    .default([]);
  return {
    lenient,
    explain: (raw: unknown) => {
      if (!Array.isArray(raw)) return 'is not a list, so Assay uses an empty one';
      const kept = raw.slice(0, maxItems);
      const invalid = kept.flatMap((value) => item.safeParse(value).error ?? []);
      const dropped = raw.length - kept.length + invalid.length;
      if (dropped === 0) return undefined;
      return leftOut(dropped, invalid[0] ? describeIssue(invalid[0].issues[0]) : `more than ${maxItems} entries`);
    },
  } satisfies Rule;
}

/** A map keeps its valid entries and drops the rest, for the same reason. */
function map<Key extends z.ZodType<string>, Value extends z.ZodType>(key: Key, value: Value) {
  // Keys from a closed list (sources) may each be missing; free keys (model names) are a plain record.
  type Kept = string extends z.output<Key> ? Record<string, z.output<Value>> : Partial<Record<z.output<Key>, z.output<Value>>>;
  const lenient = z
    .record(z.string(), z.unknown())
    .catch({})
    .transform((record) => {
      const kept: Record<string, z.output<Value>> = {};
      for (const [rawKey, rawValue] of Object.entries(record)) {
        const parsedKey = key.safeParse(rawKey);
        const parsedValue = value.safeParse(rawValue);
        if (parsedKey.success && parsedValue.success) kept[parsedKey.data] = parsedValue.data as z.output<Value>;
      }
      return kept as Kept;
    })
    .default(() => ({}) as z.core.util.NoUndefined<Awaited<Kept>>);
  return {
    lenient,
    explain: (raw: unknown) => {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'is not an object, so Assay uses an empty one';
      const reasons = Object.entries(raw).flatMap(([rawKey, rawValue]) => {
        if (!key.safeParse(rawKey).success) return ['a name that is not allowed there'];
        const error = value.safeParse(rawValue).error;
        return error ? [describeIssue(error.issues[0])] : [];
      });
      return reasons[0] === undefined ? undefined : leftOut(reasons.length, reasons[0]);
    },
  } satisfies Rule;
}

function leftOut(count: number, why: string): string {
  return `has ${count} ${count === 1 ? 'entry' : 'entries'} that Assay leaves out (${why})`;
}

const TYPE_WORDS: Record<string, string> = {
  boolean: 'true or false',
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  array: 'a list',
  object: 'an object',
};
const SIZE_WORDS: Record<string, [unit: string, more: string, fewer: string]> = {
  array: ['entries', 'more than', 'fewer than'],
  string: ['characters', 'longer than', 'shorter than'],
  set: ['entries', 'more than', 'fewer than'],
};

/**
 * A zod issue in words. Paths are included because within these schemas they are only field
 * names the schema itself declares (never a user's key or value).
 */
function describeIssue(issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return 'is not valid';
  const where = issue.path.filter((part) => typeof part === 'string').join('.');
  const subject = where ? `${where} ` : '';
  switch (issue.code) {
    case 'invalid_type':
      return `${subject}is not ${TYPE_WORDS[issue.expected] ?? 'valid'}`;
    case 'too_big': {
      const size = SIZE_WORDS[issue.origin];
      return size ? `${subject}has ${size[1]} ${issue.maximum} ${size[0]}` : `${subject}is above the maximum of ${issue.maximum}`;
    }
    case 'too_small': {
      const size = SIZE_WORDS[issue.origin];
      if (size) return Number(issue.minimum) === 1 ? `${subject}is empty` : `${subject}has ${size[2]} ${issue.minimum} ${size[0]}`;
      return issue.inclusive ? `${subject}is below the minimum of ${issue.minimum}` : `${subject}is ${issue.minimum} or less`;
    }
    case 'unrecognized_keys':
      return `${subject}has a field Assay does not know`;
    default:
      return `${subject}is not valid`;
  }
}

const RULES = {
  /** Show today's figures in the status bar. */
  'statusBar.enabled': single(z.boolean(), true),
  /** Record inline suggestion acceptances, typing and retention. */
  'capture.enabled': single(z.boolean(), true),
  /** How often typing and request counters are written to the ledger, in seconds. */
  'capture.activityFlushSeconds': single(z.number().int().min(1).max(3_600), 60),
  /** Retention checkpoints in seconds after acceptance (docs/metrics.md, retention). */
  'retention.checkpointsSeconds': single(z.array(z.number().int().min(1).max(86_400)).min(1).max(10), [...DEFAULT_CHECKPOINTS_SECONDS]),
  /** How often buffered events are written to the ledger, in milliseconds. */
  'ledger.flushIntervalMs': single(z.number().int().min(100).max(60_000), 2_000),
  /** Read agent and chat usage from the local logs of the tools in `UsageSource`. */
  'import.enabled': single(z.boolean(), true),
  /** Look in each tool's default folders (false: only the folders in `import.folders`). */
  'import.discover': single(z.boolean(), true),
  /** Folders per source that replace that source's default folders, e.g. { "claude-code": ["~/work/.claude"] }. */
  'import.folders': map(UsageSource, z.array(z.string().min(1).max(4_096)).max(20)),
  /** Per-model prices in USD per 1M tokens, changing known models or adding new ones (src/pricing/overrides.ts). */
  'pricing.overrides': map(OverrideModelName, PriceOverrideSchema),
  /** A LiteLLM-format price file whose entries replace or extend the bundled snapshot; empty = none. */
  'pricing.priceFile': single(z.string().max(4_096), ''),
  /** Models to price the same usage as in the what-if table, before the suggested ones. */
  'pricing.whatIfModels': list(z.string().min(1).max(128), 10),
  /** USD per 1M tokens of a self-hosted or local model (hardware and power), so it is never priced as free (docs/money.md). */
  'pricing.localModelUSDPerMTok': single(z.number().min(0.01).max(1_000), DEFAULT_LOCAL_MODEL_USD_PER_MTOK),
  /** Subscriptions paid per month (plan ids in src/pricing/seats.ts, or any name with monthlyUSD); empty = no seat cost. */
  seats: list(SeatSchema, 50),
  /** Copilot Pro/Pro+ on an annual plan still billed by premium requests instead of AI Credits (docs/money.md). */
  'copilot.premiumRequestBilling': single(z.boolean(), false),
  /** Typing speed used to turn retained AI characters into minutes saved (docs/metrics.md, value). */
  'value.typingCharsPerMinute': single(z.number().min(1).max(2_000), DEFAULT_VALUE_SETTINGS.typingCharsPerMinute),
  /** Minutes one agent or chat response is assumed to save (value estimate). */
  'value.minutesPerResponse': single(z.number().min(0).max(120), DEFAULT_VALUE_SETTINGS.minutesPerResponse),
  /** Cost of one hour of developer time in USD (value estimate). */
  'value.hourlyCostUSD': single(z.number().min(0).max(10_000), DEFAULT_VALUE_SETTINGS.hourlyCostUSD),
  /** The ends of the value range (docs/money.md, Value): fast and slow typing, low and high minutes. */
  'value.typingCharsPerMinuteFast': single(z.number().min(1).max(2_000), DEFAULT_VALUE_RANGE_SETTINGS.typingCharsPerMinute.fast),
  'value.typingCharsPerMinuteSlow': single(z.number().min(1).max(2_000), DEFAULT_VALUE_RANGE_SETTINGS.typingCharsPerMinute.slow),
  'value.minutesPerResponseLow': single(z.number().min(0).max(120), DEFAULT_VALUE_RANGE_SETTINGS.minutesPerResponse.low),
  'value.minutesPerResponseHigh': single(z.number().min(0).max(120), DEFAULT_VALUE_RANGE_SETTINGS.minutesPerResponse.high),
  /** Minutes one agent-written line still present a day later saves (used once agent output is measured). */
  'value.minutesPerKeptLine': single(z.number().min(0).max(60), DEFAULT_VALUE_RANGE_SETTINGS.minutesPerKeptLine.expected),
  'value.minutesPerKeptLineLow': single(z.number().min(0).max(60), DEFAULT_VALUE_RANGE_SETTINGS.minutesPerKeptLine.low),
  'value.minutesPerKeptLineHigh': single(z.number().min(0).max(60), DEFAULT_VALUE_RANGE_SETTINGS.minutesPerKeptLine.high),
  /** Monthly budget for the total cost (usage at API list prices plus seats); 0 = none (docs/money.md, Budgets). */
  'budget.monthlyUSD': single(z.number().min(0).max(1_000_000), 0),
  /** Monthly budget per tool for its usage at API list prices, e.g. { "claude-code": 150 }. */
  'budget.perSourceUSD': map(UsageSource, z.number().min(0).max(1_000_000)),
  /** Full path of the team's shared folder for summary files; empty = not set (src/export/teamExportGlue.ts). */
  'team.exportFolder': single(z.string().max(4_096), ''),
  /** A file holding the team key, as `assay team export --team-key-file` reads it; empty = the personal key. */
  'team.keyFile': single(z.string().max(4_096), ''),
  /** Export the team summary daily, only to a folder and key whose preview the user has seen. */
  'team.autoExport': single(z.boolean(), false),
  /** Send the daily aggregates as OpenTelemetry metrics (src/export/otlpGlue.ts). */
  'otlp.enabled': single(z.boolean(), false),
  /** The collector's OTLP/HTTP endpoint; https unless on this machine (checked where it is used). */
  'otlp.endpoint': single(z.string().max(2_048), ''),
  /** Sent as the resource attribute assay.team.id; empty = none. */
  'otlp.teamId': single(z.union([z.literal(''), OtlpTeamId]), ''),
  'otlp.intervalMinutes': single(z.number().int().min(5).max(1_440), 60),
};
type Rules = typeof RULES;

const SettingsSchema = z.object(
  Object.fromEntries(Object.entries(RULES).map(([key, rule]) => [key, rule.lenient])) as {
    [Key in keyof Rules]: Rules[Key]['lenient'];
  },
);
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

/** The inputs of the value estimate, and nothing else the estimate has no business seeing. */
export function valueSettingsFrom(settings: Settings): ValueSettings {
  return {
    typingCharsPerMinute: settings['value.typingCharsPerMinute'],
    minutesPerResponse: settings['value.minutesPerResponse'],
    minutesPerKeptLine: settings['value.minutesPerKeptLine'],
    hourlyCostUSD: settings['value.hourlyCostUSD'],
  };
}

/** The inputs of the value range (docs/money.md, Value): the expected ends are the value estimate's own settings. */
export function valueRangeSettingsFrom(settings: Settings): ValueRangeSettings {
  return {
    typingCharsPerMinute: {
      fast: settings['value.typingCharsPerMinuteFast'],
      expected: settings['value.typingCharsPerMinute'],
      slow: settings['value.typingCharsPerMinuteSlow'],
    },
    minutesPerResponse: {
      low: settings['value.minutesPerResponseLow'],
      expected: settings['value.minutesPerResponse'],
      high: settings['value.minutesPerResponseHigh'],
    },
    minutesPerKeptLine: {
      low: settings['value.minutesPerKeptLineLow'],
      expected: settings['value.minutesPerKeptLine'],
      high: settings['value.minutesPerKeptLineHigh'],
    },
    hourlyCostUSD: settings['value.hourlyCostUSD'],
  };
}

export function budgetSettingsFrom(settings: Settings): BudgetSettings {
  return { monthlyUSD: settings['budget.monthlyUSD'], perSourceUSD: settings['budget.perSourceUSD'] };
}

export const SETTING_KEYS = Object.keys(RULES) as SettingKey[];

/**
 * Settings read once when the window starts (the capture engine and the ledger writer are built
 * with them); package.json says "after a window reload" for exactly these.
 */
export const SETTINGS_APPLIED_ON_RELOAD: readonly SettingKey[] = [
  'capture.activityFlushSeconds',
  'retention.checkpointsSeconds',
  'ledger.flushIntervalMs',
];

export function parseSettings(raw: Record<string, unknown>): Settings {
  return SettingsSchema.parse(raw);
}

/** A value the user set that Assay did not use as given, and a sentence saying why. */
export interface Replacement {
  key: SettingKey;
  message: string;
}

export interface CheckedSettings {
  settings: Settings;
  replacements: Replacement[];
}

/** Parses like `parseSettings` and also lists every value that was replaced or trimmed. */
export function checkSettings(raw: Record<string, unknown>): CheckedSettings {
  const settings = parseSettings(raw);
  const replacements: Replacement[] = [];
  for (const key of SETTING_KEYS) {
    if (raw[key] === undefined || isDeepStrictEqual(raw[key], settings[key])) continue;
    const why = RULES[key].explain(raw[key]);
    if (why) replacements.push({ key, message: `assay.${key} ${why}.` });
  }
  return { settings, replacements };
}

/** The settings among `keys` whose parsed value differs between `before` and `after`. */
export function changedSettings(before: Settings, after: Settings, keys: readonly SettingKey[]): SettingKey[] {
  return keys.filter((key) => !isDeepStrictEqual(before[key], after[key]));
}

/** Remembers which settings the user was already told about, so each is told once per session. */
export class ReplacementNotices {
  private readonly told = new Set<SettingKey>();

  /** The replacements not told before; they count as told from now on. */
  untold(replacements: readonly Replacement[]): Replacement[] {
    const fresh = replacements.filter((replacement) => !this.told.has(replacement.key));
    for (const replacement of fresh) this.told.add(replacement.key);
    return fresh;
  }
}
