// What every cross-check does with Assay's side: import a corpus into memory, then add up tokens per UTC day
// and model, the grouping of `ccusage <tool> daily --json -z UTC`.
import type { UsageEvent } from '../../src/ledger/events';
import { runImport } from '../../src/importers/runImport';
import { tempDir } from '../unit/importers/fixtures';

export type Totals = Record<string, number>;

/** The events an import of the logs `env` and `home` point at writes, the latest per id; model names as logged. */
export async function assayUsage(env: Record<string, string>, home: string): Promise<UsageEvent[]> {
  const latest = new Map<string, UsageEvent>();
  await runImport({
    storageDir: tempDir('crosscheck-storage'),
    secret: 'crosscheck',
    pricer: { keptModelName: (raw) => raw },
    env,
    homeDir: home,
    platform: process.platform,
    sink: { append: (event) => void latest.set(event.id, event), flush: async () => undefined },
  });
  return [...latest.values()];
}

export function byDayAndModel(events: UsageEvent[], pick: (event: UsageEvent) => Totals, modelName: (model: string) => string = (model) => model): Map<string, Totals> {
  const result = new Map<string, Totals>();
  for (const event of events) {
    const key = `${new Date(event.t).toISOString().slice(0, 10)} ${modelName(event.model)}`;
    const sum = result.get(key) ?? {};
    for (const [name, value] of Object.entries(pick(event))) sum[name] = (sum[name] ?? 0) + value;
    result.set(key, sum);
  }
  return result;
}

export function sorted(map: Map<string, Totals>): [string, Totals][] {
  return [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
}
