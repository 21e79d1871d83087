// Every `assay.*` setting, validated in one place. Pure: the editor glue in ./settings.ts reads
// raw values from the workspace configuration and parses them here, so a bad value in
// settings.json falls back to its default instead of reaching the core.
import * as z from 'zod';
import { UsageSource } from '../ledger/events';
import { PriceOverridesSchema } from '../pricing/overrides';
import { SeatSchema } from '../pricing/seats';
import { DEFAULT_VALUE_SETTINGS } from '../pricing/value';

export const DEFAULT_CHECKPOINTS_SECONDS = [30, 120, 300, 600, 900] as const;

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
  'import.folders': z.partialRecord(UsageSource, z.array(z.string().min(1).max(4_096)).max(20)).catch({}).default({}),
  /** Per-model prices in USD per 1M tokens, changing known models or adding new ones (src/pricing/overrides.ts). */
  'pricing.overrides': PriceOverridesSchema.catch({}).default({}),
  /** A LiteLLM-format price file whose entries replace or extend the bundled snapshot; empty = none. */
  'pricing.priceFile': z.string().max(4_096).catch('').default(''),
  /** Models to price the same usage as in the what-if table, before the suggested ones. */
  'pricing.whatIfModels': z.array(z.string().min(1).max(128)).max(10).catch([]).default([]),
  /** Subscriptions paid per month (plan ids in src/pricing/seats.ts, or any name with monthlyUSD); empty = no seat cost. */
  seats: z.array(SeatSchema).max(50).catch([]).default([]),
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
