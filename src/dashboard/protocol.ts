// The messages between the dashboard host and its webview (data only by message: docs/architecture.md, Readers).
// Imported by both sides and validated by both: a webview is a web page, and a message from it
// is as untrusted as any input; a message to it is checked so a host bug shows as an error
// panel instead of a half-drawn dashboard. No `vscode` import: the webview bundle uses it too.
import * as z from 'zod';
import { isCalendarDate } from '../calendar/dates';
import { RichText, ValueFormat } from '../report/richText';

/** Sentences and figures are defined with the money core's (src/report/richText.ts); the protocol carries them. */
export { RichText, ValueFormat };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/**
 * The dates a custom range may pick. No assistant log or ledger event predates 2000, and the dashboard works
 * through every day of the range: bounding both ends keeps a mistyped year (0201, 9999) from keeping the
 * extension host busy on an empty century. The webview's date inputs carry the same bounds.
 */
export const CUSTOM_RANGE_BOUNDS = { min: '2000-01-01', max: '2099-12-31' } as const;

const customRangeDate = isoDate
  .refine(isCalendarDate, 'expected a real calendar date')
  .refine((date) => date >= CUSTOM_RANGE_BOUNDS.min && date <= CUSTOM_RANGE_BOUNDS.max, {
    message: `expected a date from ${CUSTOM_RANGE_BOUNDS.min} to ${CUSTOM_RANGE_BOUNDS.max}`,
  });

export const RangePreset = z.enum(['today', '7d', '30d', '90d', 'all', 'custom']);
export type RangePreset = z.infer<typeof RangePreset>;

export const RangeSelection = z
  .object({
    preset: RangePreset,
    /** Inclusive local dates, only for `custom`. */
    from: customRangeDate.optional(),
    to: customRangeDate.optional(),
  })
  .refine((range) => range.preset !== 'custom' || (range.from !== undefined && range.to !== undefined), {
    message: 'a custom range needs both from and to',
  });
export type RangeSelection = z.infer<typeof RangeSelection>;

const filterValue = z.string().min(1).max(128).nullable();

/** Null means "all". Language and provider narrow inline figures; source narrows agent usage. */
export const Filters = z.object({
  languageId: filterValue,
  provider: filterValue,
  source: filterValue,
});
export type Filters = z.infer<typeof Filters>;

export const DEFAULT_RANGE: RangeSelection = { preset: '30d' };
export const NO_FILTERS: Filters = { languageId: null, provider: null, source: null };

export const WEBVIEW_STATE_VERSION = 1;

/** What the webview keeps with `vscode.setState`, and what the panel serializer restores. */
export const WebviewState = z.object({
  version: z.literal(WEBVIEW_STATE_VERSION),
  range: RangeSelection,
  filters: Filters,
  /** Chart ids currently shown as tables. */
  tables: z.array(z.string().max(64)).max(64).default([]),
});
export type WebviewState = z.infer<typeof WebviewState>;

// ---- View model: exactly what the webview draws ----

const figure = z.number().nullable();

export const Card = z.object({
  id: z.string(),
  label: z.string(),
  value: figure,
  format: ValueFormat,
  /** One line under the figure: what it counts, or why it is missing. */
  detail: RichText,
  /** An estimate, labelled as such (docs/metrics.md, Value). */
  estimate: z.boolean(),
});
export type Card = z.infer<typeof Card>;

export const AxisId = z.enum(['y', 'y1', 'y2']);
export type AxisId = z.infer<typeof AxisId>;

export const Series = z.object({
  label: z.string(),
  type: z.enum(['bar', 'line']),
  values: z.array(figure),
  axis: AxisId,
  format: ValueFormat,
  /** Bars of one stack id are stacked. */
  stack: z.string().optional(),
  /** Shown in the table view only (a figure that would need a fourth axis). */
  tableOnly: z.boolean(),
});
export type Series = z.infer<typeof Series>;

export const ChartSection = z.enum(['inline', 'usage', 'agentOutput', 'economics', 'findings', 'budgets', 'limits', 'plans']);
export type ChartSection = z.infer<typeof ChartSection>;

export const ChartSpec = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  section: ChartSection,
  title: z.string(),
  /** What the chart shows, in one sentence; also the table caption. */
  description: z.string(),
  /** Horizontal bars (breakdowns). */
  horizontal: z.boolean(),
  /** Label of the category column in the table view. */
  categoryLabel: z.string(),
  labels: z.array(z.string()),
  series: z.array(Series),
  axes: z.partialRecord(AxisId, z.object({ title: z.string(), format: ValueFormat })),
  /** Set when there is nothing to draw: how the data arrives. */
  empty: z.string().nullable(),
});
export type ChartSpec = z.infer<typeof ChartSpec>;

/** Actions a webview button may ask the host for; the host maps each to one fixed command, never a command id from the page. */
export const WebviewAction = z.enum(['importUsage', 'openSettings', 'exportFigures', 'loadPriceFile']);
export type WebviewAction = z.infer<typeof WebviewAction>;

export const TableSpec = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  section: ChartSection,
  title: z.string(),
  description: z.string(),
  columns: z.array(z.object({ label: z.string(), format: ValueFormat.nullable() })),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  empty: z.string().nullable(),
  /** A button beside the table that changes what it lists (e.g. "Load price file…" beside the unpriced models). */
  action: z.object({ label: z.string(), action: WebviewAction }).optional(),
});
export type TableSpec = z.infer<typeof TableSpec>;

/** Sentences with their figures, each maybe pointing at the chart that shows it (the money findings). */
export const ListSpec = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  section: ChartSection,
  title: z.string(),
  description: z.string(),
  items: z
    .array(
      z.object({
        title: RichText,
        detail: RichText,
        figures: z.array(z.object({ label: z.string(), value: figure, format: ValueFormat })).max(16),
        /** The chart or table that shows it. */
        chartId: z.string().regex(/^[a-z0-9-]+$/).nullable(),
      }),
    )
    .max(50),
  /** What is not said yet and why (e.g. the least data a finding needs). */
  notes: z.array(RichText).max(16),
  empty: z.string().nullable(),
});
export type ListSpec = z.infer<typeof ListSpec>;

export const ValueFormula = z.object({
  /** The formula with this range's figures, e.g. "value = (1,200 chars ÷ 200 chars/min + …) ÷ 60 × $80/h". */
  formula: RichText,
  roiFormula: RichText,
  /** The inputs with this range's figures. */
  terms: z.array(z.object({ label: z.string(), value: figure, format: ValueFormat })),
  /** The settings that change it. */
  settings: z.array(z.string()),
});
export type ValueFormula = z.infer<typeof ValueFormula>;

/**
 * One agent or chat tool Assay reads (every entry of importers/discovery.ts LOG_LOCATIONS), found or not.
 * `folders` are the user's own paths: they are shown in this editor's webview only and never stored, logged or
 * exported (docs/privacy.md).
 */
export const ImportSourceStatus = z.object({
  source: z.string(),
  /**
   * The home folder written as `~`: when found, the folders it reads that exist; else every folder it looked in
   * (empty when it looks nowhere: discovery off and no folder set).
   */
  folders: z.array(z.string().max(4_096)).max(64),
  /** One of those folders exists on this machine (the tool is or was installed). */
  found: z.boolean(),
  /** Log files the latest import in this window read; null before that import. */
  files: z.number().int().nonnegative().nullable(),
  /** Epoch ms of the last import that read new data from it. */
  lastReadAt: z.number().nullable(),
  /** Log lines the latest import in this window skipped as invalid; null before that import. */
  rejectedLines: z.number().int().nonnegative().nullable(),
});
export type ImportSourceStatus = z.infer<typeof ImportSourceStatus>;

export const ViewModel = z.object({
  generatedAt: z.number(),
  /** The editor's display language (BCP 47): every number on the page is formatted in it. */
  locale: z.string().max(64),
  timeZone: z.string(),
  range: z.object({ preset: RangePreset, from: isoDate, to: isoDate, days: z.number().int().nonnegative() }),
  filters: Filters,
  filterOptions: z.object({
    languages: z.array(z.string()),
    providers: z.array(z.string()),
    sources: z.array(z.string()),
  }),
  cards: z.array(Card),
  valueFormula: ValueFormula,
  charts: z.array(ChartSpec),
  tables: z.array(TableSpec),
  lists: z.array(ListSpec).default([]),
  /** Caveats that change how to read the figures (unpriced models, unreadable ledger lines...). */
  notices: z.array(RichText),
  /** Every source Assay reads, found or not ("Agent logs found"). */
  importSources: z.array(ImportSourceStatus),
});
export type ViewModel = z.infer<typeof ViewModel>;

// ---- Messages ----

export const HostMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('loading') }),
  z.object({ type: z.literal('data'), model: ViewModel }),
  /** A load finished with the figures the webview already shows (not posted again): it stops showing itself busy. */
  z.object({ type: z.literal('unchanged') }),
  z.object({ type: z.literal('error'), message: z.string() }),
  /** The state the panel was restored with, so a reloaded webview shows the same view. */
  z.object({ type: z.literal('restoreState'), state: WebviewState }),
]);
export type HostMessage = z.infer<typeof HostMessage>;

export const WebviewMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), state: WebviewState.nullable() }),
  z.object({ type: z.literal('setRange'), range: RangeSelection }),
  z.object({ type: z.literal('setFilter'), filters: Filters }),
  z.object({ type: z.literal('refresh') }),
  z.object({ type: z.literal('runAction'), action: WebviewAction }),
  /** Open the settings that define the value estimate (the formula's inputs). */
  z.object({ type: z.literal('openFormulaSettings') }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessage>;

export type ParseResult<T> = { ok: true; message: T } | { ok: false; error: string };

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(message)'}: ${issue.message}`)
    .join('; ');
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown): ParseResult<T> {
  const result = schema.safeParse(raw);
  return result.success ? { ok: true, message: result.data } : { ok: false, error: describeIssues(result.error) };
}

export function parseWebviewMessage(raw: unknown): ParseResult<WebviewMessage> {
  return parseWith(WebviewMessage, raw);
}

export function parseHostMessage(raw: unknown): ParseResult<HostMessage> {
  return parseWith(HostMessage, raw);
}

/** A saved state from an older or corrupted webview is dropped, never trusted. */
export function parseWebviewState(raw: unknown): WebviewState | null {
  const result = WebviewState.safeParse(raw);
  return result.success ? result.data : null;
}
