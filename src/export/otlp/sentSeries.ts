// What the OpenTelemetry export remembers of its last successful send to a target (docs/privacy.md): the day it was
// sent, and the series it sent a value other than 0 for. Every series is cumulative and a collector keeps the last
// value it got, so a series that falls to 0 or goes (a response replaced by a later copy of another day, model or
// with its token counts; a model the price data now names that was sent as `other`) must be sent once as 0, else
// the collector counts its old value on top of where the figures went. Free of the OpenTelemetry SDK: the editor
// glue reads and writes it through these functions, and buildOtlpExport (metrics.ts) makes the points.
import * as z from 'zod';
import { isCalendarDate } from '../../calendar/dates';

/**
 * Rows (a day and its categories) remembered at most: 16 days of two tools with four models each and five languages
 * are about 200 (130 KB in the editor's state, which VS Code warns about past 512 KB). Past it, the rest are not
 * remembered, and a series of theirs that goes is not set to 0.
 */
const MAX_SENT_SERIES = 2_000;

const Name = z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/);
const Value = z.union([z.string().max(128), z.number().finite()]);

/**
 * The series of one row (a day and its categories) sent other than 0, with the start time and attribute values they
 * were sent with: the allowlisted values every send holds (the day, tool, model…), never a name the ledger keeps
 * private. Read back as found (another build or a hand edit may have written it), so buildOtlpExport checks the values
 * against the allowlists once more before it sends any.
 */
export const OtlpSentSeries = z.object({
  /** The series' start time as sent, in epoch ms: the local midnight of their day when they were sent. */
  start: z.number().int().nonnegative(),
  /** The attributes the row's series share. */
  attributes: z.record(Name, Value).refine((attributes) => Object.keys(attributes).length <= 16),
  /**
   * Each metric sent other than 0 for the row, with the values of the attribute that tells its series apart (its
   * `by` in OTLP_METRICS: a token type, a checkpoint, an accept mode), or none when it has one series per row.
   */
  metrics: z.record(Name, z.array(Value).max(16)).refine((metrics) => Object.keys(metrics).length <= 64),
});
export type OtlpSentSeries = z.infer<typeof OtlpSentSeries>;

const LastSent = z.object({ seen: z.string(), day: z.string().refine(isCalendarDate), series: z.unknown().optional() });

export interface OtlpLastSent {
  /** The digest of the target (endpoint, team, metrics format) it was sent to: SeenPreviews.idOf, never the endpoint. */
  seen: string;
  /** The local day of the send. */
  day: string;
  series: OtlpSentSeries[];
}

/**
 * The last successful send to the target `seenId` as the editor's state holds it: nothing when it was to another target
 * or is no record (an older build kept no series: none are remembered then). Malformed series are left out one by one.
 */
export function readOtlpLastSent(stored: unknown, seenId: string): { day?: string; series: OtlpSentSeries[] } {
  const parsed = LastSent.safeParse(stored);
  if (!parsed.success || parsed.data.seen !== seenId) return { series: [] };
  const { day, series } = parsed.data;
  const entries = Array.isArray(series) ? series.slice(0, MAX_SENT_SERIES) : [];
  return {
    day,
    series: entries.flatMap((entry): OtlpSentSeries[] => {
      const one = OtlpSentSeries.safeParse(entry);
      return one.success ? [one.data] : [];
    }),
  };
}

/** What the editor's state keeps after a successful send (OtlpExport.sentSeries), at most MAX_SENT_SERIES series. */
export function otlpLastSentRecord(seenId: string, day: string, series: readonly OtlpSentSeries[]): OtlpLastSent {
  return { seen: seenId, day, series: series.slice(0, MAX_SENT_SERIES) };
}
