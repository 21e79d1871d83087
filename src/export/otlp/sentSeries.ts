// What the OpenTelemetry export remembers of its last successful send to a target (docs/privacy.md): the day it was
// sent, and the series it sent a value other than 0 for. Every series is cumulative and a collector keeps the last
// value it got, so a series that falls to 0 or goes (a response replaced by a later copy of another day, model or
// with its token counts; a model the price data now names that was sent as `other`) must be sent once as 0, else
// the collector counts its old value on top of where the figures went. Free of the OpenTelemetry SDK: the editor
// glue reads and writes it through these functions, and buildOtlpExport (metrics.ts) makes the points.
import * as z from 'zod';
import { isCalendarDate } from '../../calendar/dates';
import { opaqueId } from '../../privacy/opaqueId';

/**
 * Rows (a day and its categories) remembered at most: 16 days of two tools with four models each and five languages
 * are about 200 (130 KB in the editor's state); 700 are about 450 KB, below the 512 KB past which VS Code warns of an
 * extension's state. Past it, the rest are not remembered, and a series of theirs that goes is not set to 0.
 */
const MAX_SENT_SERIES = 700;

const Name = z.string().regex(/^[a-z][a-z0-9_.]{0,63}$/);
const Value = z.union([z.string().max(128), z.number().finite()]);

/**
 * The series of one row (a day and its categories) sent other than 0, with the start time and attribute values they
 * were sent with: the allowlisted values every send holds (the day, tool, model…), never a name the ledger keeps
 * private. Read back as found (another build or a hand edit may have written it): unless the record carries this
 * install's digest (readOtlpLastSent), buildOtlpExport checks the values against today's allowlists before it sends any.
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

const LastSent = z.object({ seen: z.string(), day: z.string().refine(isCalendarDate), series: z.unknown().optional(), mac: z.string().optional() });

export interface OtlpLastSent {
  /** The digest of the target (endpoint, team, metrics format) it was sent to: SeenPreviews.idOf, never the endpoint. */
  seen: string;
  /** The local day of the send. */
  day: string;
  series: OtlpSentSeries[];
  /**
   * A keyed digest of the target, day and series, with the install secret: series that carry it are the ones an
   * export of this install made, whose attribute values were sent already (see readOtlpLastSent).
   */
  mac: string;
}

function macOf(secret: string, seen: string, day: string, series: unknown): string {
  return opaqueId(secret, `otlp sent series\u0000${seen}\u0000${day}\u0000${JSON.stringify(series)}`);
}

/**
 * The last successful send to the target `seenId` as the editor's state holds it: nothing when it was to another target
 * or is no record (an older build kept no series: none are remembered then). Malformed series are left out one by one.
 * `authentic`: the record carries the digest this install's secret gives it, so its series are what an export of this
 * install sent, values a newer price snapshot or allowlist no longer names included (a model it dropped, sent by name
 * then and as `other` now). Without it (a hand edit, another install's state), buildOtlpExport checks every value
 * against today's allowlists before it sends a 0 for it.
 */
export function readOtlpLastSent(stored: unknown, seenId: string, secret: string): { day?: string; series: OtlpSentSeries[]; authentic: boolean } {
  const parsed = LastSent.safeParse(stored);
  if (!parsed.success || parsed.data.seen !== seenId) return { series: [], authentic: false };
  const { day, series, mac } = parsed.data;
  const entries = Array.isArray(series) ? series.slice(0, MAX_SENT_SERIES) : [];
  return {
    day,
    authentic: mac !== undefined && mac === macOf(secret, seenId, day, series),
    series: entries.flatMap((entry): OtlpSentSeries[] => {
      const one = OtlpSentSeries.safeParse(entry);
      return one.success ? [one.data] : [];
    }),
  };
}

/** What the editor's state keeps after a successful send (OtlpExport.sentSeries), at most MAX_SENT_SERIES series. */
export function otlpLastSentRecord(seenId: string, day: string, series: readonly OtlpSentSeries[], secret: string): OtlpLastSent {
  const kept = series.slice(0, MAX_SENT_SERIES);
  return { seen: seenId, day, series: kept, mac: macOf(secret, seenId, day, kept) };
}
