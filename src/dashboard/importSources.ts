// "Agent logs found": every source the import reads (importers/discovery.ts LOG_LOCATIONS), found
// or not, with the folders it looks in and what the latest import in this window read there. The
// folders are the user's own paths, shown in their own editor only (docs/privacy.md): nothing here
// is stored, logged or exported.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { searchRoots, type DiscoverOptions, type LogLocation } from '../importers/discovery';
import type { ImportSummary } from '../importers/runImport';
import { rejectionTotal } from '../importers/usageBounds';
import type { ImportSourceStatus } from './protocol';

/** What the latest import said of one source (importers/runImport.ts). */
export type ImportSourceSummary = Pick<ImportSummary['sources'][number], 'source' | 'files' | 'rejectedLines' | 'lastReadAt'>;

/** Each source's folders, in the table's order: one entry per source, however many of its log formats are read. */
export function foldersBySource(options: DiscoverOptions<LogLocation>): Map<string, string[]> {
  const bySource = new Map<string, string[]>();
  for (const definition of options.definitions) {
    const folders = bySource.get(definition.source) ?? [];
    for (const root of searchRoots({ ...options, definitions: [definition] })) if (!folders.includes(root)) folders.push(root);
    bySource.set(definition.source, folders);
  }
  return bySource;
}

/** The folders that exist as directories: the rule by which discovery.ts calls a source found. */
export async function existingFolders(folders: Iterable<string>): Promise<Set<string>> {
  const list = [...new Set(folders)];
  const isDirectory = await Promise.all(list.map((folder) => fs.stat(path.resolve(folder)).then((stat) => stat.isDirectory(), () => false)));
  return new Set(list.filter((_, i) => isDirectory[i]));
}

/** `folder` with the home folder written as `~`, as the README names the tools' folders. */
export function withHomeAsTilde(folder: string, homeDir: string): string {
  const home = homeDir.replace(/[\\/]+$/, '');
  if (home === '' || !folder.startsWith(home)) return folder;
  const rest = folder.slice(home.length);
  if (rest === '') return '~';
  return rest.startsWith('/') || rest.startsWith('\\') ? `~${rest}` : folder;
}

export function importSourceStatuses(
  folders: ReadonlyMap<string, readonly string[]>,
  existing: ReadonlySet<string>,
  summaries: readonly ImportSourceSummary[],
  homeDir: string,
): ImportSourceStatus[] {
  const latest = new Map(summaries.map((summary) => [summary.source as string, summary]));
  return [...folders].map(([source, list]) => {
    const summary = latest.get(source);
    const found = list.filter((folder) => existing.has(folder));
    return {
      source,
      // Where it reads when found (Copilot Chat alone looks in a dozen editors' folders), else everywhere it looked.
      folders: (found.length > 0 ? found : list).map((folder) => withHomeAsTilde(folder, homeDir)),
      found: found.length > 0,
      files: summary?.files ?? null,
      lastReadAt: summary?.lastReadAt ?? null,
      rejectedLines: summary ? rejectionTotal(summary.rejectedLines) : null,
    };
  });
}
