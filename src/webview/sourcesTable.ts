// The "Agent logs found" table: one row per tool Assay reads, found or not, as text cells. Pure: no DOM.
import type { ImportSourceStatus } from '../dashboard/protocol';
import type { Formatter } from '../report/format';

export const SOURCE_COLUMNS = ['Tool', 'Folders', 'Status', 'Log files read', 'Last read', 'Lines rejected'] as const;

export interface SourceRow {
  source: string;
  /** One folder a line. */
  folders: string[];
  status: string;
  files: string;
  lastRead: string;
  rejected: string;
}

/** What a tool that was not found needs: the setting that names its folders, with its own key filled in. */
function howToPoint(source: string): string {
  return `set assay.import.folders to { "${source}": ["<its folder>"] }`;
}

function status(source: ImportSourceStatus): string {
  if (source.found) return 'Found';
  // Its folders are then the ones it looked in.
  if (source.folders.length === 0) return `Not looked for (assay.import.discover is off): ${howToPoint(source.source)}`;
  return `Not found. If its logs are elsewhere, ${howToPoint(source.source)}`;
}

export function sourceRows(sources: readonly ImportSourceStatus[], format: Formatter): SourceRow[] {
  return sources.map((source) => ({
    source: source.source,
    folders: source.folders.length > 0 ? source.folders : ['—'],
    status: status(source),
    files: format.value(source.files, 'count'),
    lastRead: source.lastReadAt === null ? '—' : new Date(source.lastReadAt).toLocaleString(format.locale),
    rejected: format.value(source.rejectedLines, 'count'),
  }));
}

/** The one line the disclosure shows closed: which tools were found, of how many. */
export function sourcesSummary(sources: readonly ImportSourceStatus[]): string {
  const found = sources.filter((source) => source.found).map((source) => source.source);
  return `Agent logs found: ${found.length === 0 ? 'none' : found.join(', ')} (${found.length} of ${sources.length} tools)`;
}
