// The team report as the editor shows it (bundled to dist/teamReport.js and required only when
// **Assay: Open Team Report** runs, so Chart.js and the merge cost nothing at activation): the same
// merge, k rule and self-contained HTML as `assay team report DIR --html`.
import { loadConfiguredPricer } from '../pricing/configuredPricer';
import { localDate, localTimeZone } from '../calendar/dates';
import { loadChartJsSource, teamReportHtml } from './html';
import { DEFAULT_MIN_GROUP } from './kRule';
import type { SkippedFile } from './merge';
import { mergeSummaryFolder } from './summaryFiles';
import { buildTeamReport } from './teamReport';

export interface EditorTeamReport {
  html: string;
  developers: number;
  /** Files left out, by name and reason (names are the summary files' own, never a path). */
  skipped: readonly SkippedFile[];
}

export async function teamReportForFolder(folder: string, now = Date.now()): Promise<EditorTeamReport> {
  const { pricer } = await loadConfiguredPricer({ overrides: {}, priceFile: '' });
  const merge = await mergeSummaryFolder(folder);
  const report = buildTeamReport(merge, { minGroup: DEFAULT_MIN_GROUP, personal: false, licences: null, pricer });
  return {
    html: teamReportHtml(report, await loadChartJsSource(), localDate(now, localTimeZone())),
    developers: report.developers,
    skipped: merge.skipped,
  };
}
