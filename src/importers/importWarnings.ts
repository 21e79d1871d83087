// What an import run's summary warns of, for the command line's stderr and the editor's Assay output. Apart from
// runImport.ts so that the editor's side, which only receives summaries from the import thread, does not load the importers.
import { searchWarnings } from './discovery';
import type { ImportSummary } from './runImport';
import { rejectionWarnings } from './usageBounds';

/** Invalid lines, files too large to read, folders too large to search: one line per source and kind. */
export function importWarnings(sources: ImportSummary['sources']): string[] {
  return [...rejectionWarnings(sources), ...searchWarnings(sources)];
}
