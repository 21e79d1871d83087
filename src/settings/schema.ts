// Every `assay.*` setting, validated in one place. Pure: the editor glue in ./settings.ts reads
// raw values from the workspace configuration and parses them here, so a bad value in
// settings.json falls back to its default instead of reaching the core.
import { z } from 'zod';

export const DEFAULT_CHECKPOINTS_SECONDS = [30, 120, 300, 600, 900] as const;

export const SettingsSchema = z.object({
  /** Show today's figures in the status bar. */
  'statusBar.enabled': z.boolean().catch(true).default(true),
  /** Record inline suggestion acceptances, typing and retention. */
  'capture.enabled': z.boolean().catch(true).default(true),
  /** Retention checkpoints in seconds after acceptance (DESIGN §3.3). */
  'retention.checkpointsSeconds': z
    .array(z.number().int().positive().max(86_400))
    .min(1)
    .max(10)
    .catch([...DEFAULT_CHECKPOINTS_SECONDS])
    .default([...DEFAULT_CHECKPOINTS_SECONDS]),
  /** How often buffered events are written to the ledger, in milliseconds. */
  'ledger.flushIntervalMs': z.number().int().min(100).max(60_000).catch(2_000).default(2_000),
});
export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;

export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];

export function parseSettings(raw: Record<string, unknown>): Settings {
  return SettingsSchema.parse(raw);
}
