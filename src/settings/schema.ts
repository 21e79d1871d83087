// Every `assay.*` setting, validated in one place. Pure: the editor glue in ./settings.ts reads
// raw values from the workspace configuration and parses them here, so a bad value in
// settings.json falls back to its default instead of reaching the core.
import * as z from 'zod';
import { UsageSource } from '../ledger/events';
import { OverrideModelName, PriceOverrideSchema } from '../pricing/overrides';
import { SeatSchema } from '../pricing/seats';
import { DEFAULT_VALUE_SETTINGS } from '../pricing/value';

export const DEFAULT_CHECKPOINTS_SECONDS = [30, 120, 300, 600, 900] as const;

/**
 * A list setting keeps its valid items and drops the rest: one typo in settings.json must not
 * silently remove every seat or model the user listed.
 */
function validItems<Item extends z.ZodType>(item: Item, maxItems: number) {
  return z
    .array(z.unknown())
    .catch([])
    .transform((values) =>
      values.slice(0, maxItems).flatMap((value) => {
        const parsed = item.safeParse(value);
        return parsed.success ? [parsed.data as z.output<Item>] : [];
      }),
    );
}

/** A map setting keeps its valid entries and drops the rest, for the same reason. */
function validEntries<Key extends z.ZodType<string>, Value extends z.ZodType>(key: Key, value: Value) {
  return z
    .record(z.string(), z.unknown())
    .catch({})
    .transform((record) => {
      const kept = {} as Record<z.output<Key>, z.output<Value>>;
      for (const [rawKey, rawValue] of Object.entries(record)) {
        const parsedKey = key.safeParse(rawKey);
        const parsedValue = value.safeParse(rawValue);
        if (parsedKey.success && parsedValue.success) kept[parsedKey.data as z.output<Key>] = parsedValue.data as z.output<Value>;
      }
      return kept;
    });
}

export const SettingsSchema = z.object({
  /** Show today's figures in the status bar. */
  'statusBar.enabled': z.boolean().catch(true).default(true),
  /** Record inline suggestion acceptances, typing and retention. */
  'capture.enabled': z.boolean().catch(true).default(true),
  /** How often typing and request counters are written to the ledger, in seconds. */
  'capture.activityFlushSeconds': z.number().int().min(1).max(3_600).catch(60).default(60),
  /** Retention checkpoints in seconds after acceptance (DESIGN §3.3). */
  'retention.checkpointsSeconds': z
    .array(z.number().int().positive().max(86_400))
    .min(1)
    .max(10)
    .catch([...DEFAULT_CHECKPOINTS_SECONDS])
    .default([...DEFAULT_CHECKPOINTS_SECONDS]),
  /** How often buffered events are written to the ledger, in milliseconds. */
  'ledger.flushIntervalMs': z.number().int().min(100).max(60_000).catch(2_000).default(2_000),
  /** Read agent and chat usage from local logs of Claude Code, Codex, Gemini CLI, Copilot Chat, Cline and Continue. */
  'import.enabled': z.boolean().catch(true).default(true),
  /** Look in each tool's default folders (false: only the folders in `import.folders`). */
  'import.discover': z.boolean().catch(true).default(true),
  /** Folders per source that replace that source's default folders, e.g. { "claude-code": ["~/work/.claude"] }. */
  'import.folders': validEntries(UsageSource, z.array(z.string().min(1).max(4_096)).max(20))
    .transform((folders): Partial<Record<UsageSource, string[]>> => folders)
    .default({}),
  /** Per-model prices in USD per 1M tokens, changing known models or adding new ones (src/pricing/overrides.ts). */
  'pricing.overrides': validEntries(OverrideModelName, PriceOverrideSchema).default({}),
  /** A LiteLLM-format price file whose entries replace or extend the bundled snapshot; empty = none. */
  'pricing.priceFile': z.string().max(4_096).catch('').default(''),
  /** Models to price the same usage as in the what-if table, before the suggested ones. */
  'pricing.whatIfModels': validItems(z.string().min(1).max(128), 10).default([]),
  /** Subscriptions paid per month (plan ids in src/pricing/seats.ts, or any name with monthlyUSD); empty = no seat cost. */
  seats: validItems(SeatSchema, 50).default([]),
  /** Typing speed used to turn retained AI characters into minutes saved (value estimate, DESIGN §4). */
  'value.typingCharsPerMinute': z
    .number()
    .positive()
    .max(2_000)
    .catch(DEFAULT_VALUE_SETTINGS.typingCharsPerMinute)
    .default(DEFAULT_VALUE_SETTINGS.typingCharsPerMinute),
  /** Minutes one agent or chat response is assumed to save (value estimate). */
  'value.minutesPerResponse': z
    .number()
    .nonnegative()
    .max(120)
    .catch(DEFAULT_VALUE_SETTINGS.minutesPerResponse)
    .default(DEFAULT_VALUE_SETTINGS.minutesPerResponse),
  /** Cost of one hour of developer time in USD (value estimate). */
  'value.hourlyCostUSD': z
    .number()
    .nonnegative()
    .max(10_000)
    .catch(DEFAULT_VALUE_SETTINGS.hourlyCostUSD)
    .default(DEFAULT_VALUE_SETTINGS.hourlyCostUSD),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];

export function parseSettings(raw: Record<string, unknown>): Settings {
  return SettingsSchema.parse(raw);
}
