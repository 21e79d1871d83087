// The daily rollup rows as OpenTelemetry metric data: GenAI semantic-convention names
// where one fits, `assay.*` for the rest. Categorical values pass the same allowlists as the
// ledger once more here, because this is where they leave the machine.
//
// `gen_ai.client.token.usage` is a histogram, as the semantic conventions define it: each day, per token type, the number
// of responses with token counts and their tokens, in one bucket (no bounds), since only day totals leave the machine. A
// backend gets the count and the sum the conventions' instrument would give, so average tokens per request work (a tool
// that logs only one side of a response counts it with 0 on the other); percentiles need the per-request buckets,
// which are not sent. Every other metric is a sum.
//
// Why data points are built here rather than recorded through SDK instruments: an instrument
// keeps its own running total in this process and stamps its own start time, so a window reload
// would start new series and a resend would add on top. The rollup already holds each day's
// true total, so every (metric, day, categories) is one time series with CUMULATIVE temporality,
// its start time the local midnight of that day (the same on every send and every machine
// restart) and its value the day's total so far. A resend of the same day therefore reports the
// same counter again, never an increment: a collector or backend keeps the latest value and adds
// nothing. The price is one series per day, which is what the `assay.day` attribute says.
//
// A zero is left out, as a day's counter starts at 0, except for a series the last send to the same target sent other
// than 0 (sentSeries.ts): its value fell to 0 or its row went (a response replaced by a later copy of another day or
// model, a model sent as `other` that the price data now names), and a collector keeps the last value it got, so the
// series is sent once as 0 (a histogram point: count 0, sum 0), with the start time it was sent with, and then left out.
import { ValueType, type Attributes, type HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  DataPointType,
  type DataPoint,
  type Histogram,
  type HistogramMetricData,
  type ResourceMetrics,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import { UsageSource } from '../../ledger/events';
import type { PriceData } from '../../pricing/priceData';
import { allowLanguageId, allowProvider } from '../../privacy/allowlists';
import { isCalendarDate, localDate } from '../../calendar/dates';
import type { InlineRow, ReportUsageRow } from '../../report/rows';
import { OtlpTeamId } from '../../privacy/allowlists';
import { exportedSummaryModel } from '../../team/summarySchema';
import type { OtlpSentSeries } from './sentSeries';

const OTLP_SCOPE_NAME = 'assay';
/** Bounds one request: a year of a busy developer's rows is far below this. */
const MAX_OTLP_POINTS = 100_000;

interface OtlpResourceInfo {
  serviceVersion: string;
  /** Opaque per-install id: keeps each machine's cumulative series apart at the collector. */
  instanceId: string;
  teamId?: string;
}

export interface OtlpExportInput {
  inline: readonly InlineRow[];
  /** Priced usage rows with their agent output (src/report/rollup.ts priceUsageRows). */
  usage: readonly ReportUsageRow[];
  /** The zone whose calendar days the rows' dates are. */
  timeZone: string;
  /** Epoch ms of the send: every point's time. */
  now: number;
  resource: OtlpResourceInfo;
  /** Names each sent model's provider (models are sent as the bundled price data names them: exportedSummaryModel). */
  priceData: PriceData;
  /**
   * The series the last successful send to the same target sent other than 0 (readOtlpLastSent), and the days this
   * export covers. Those of these days that this export has no value for are sent as 0; those of earlier days are
   * not sent again and are forgotten.
   */
  sentBefore?: { series: readonly OtlpSentSeries[]; since: string; until: string; authentic?: boolean };
}

export interface OtlpExport {
  resourceMetrics: ResourceMetrics;
  points: number;
  /**
   * Values that were not finite non-negative numbers, token counts of a row none of whose responses has counts (a
   * histogram point needs a count), rows with a malformed date or unknown source, and points past MAX_OTLP_POINTS.
   */
  skipped: number;
  /** Points of 0 for series sent other than 0 before (sentBefore), part of `points`. */
  zeroed: number;
  /**
   * What to remember once this export is sent: the series it sends other than 0 (the zeros are forgotten), and the
   * remembered series of days after the ones it covers.
   */
  sentSeries: OtlpSentSeries[];
}

export interface MetricSpec {
  name: string;
  description: string;
  unit: string;
  valueType: ValueType;
  /** The OTLP data type: a histogram's points hold a count and a sum. */
  kind: 'sum' | 'histogram';
  /** The attribute that tells this metric's series of one row apart, if any (what is remembered of a send is grouped by row). */
  by?: string;
}

const count = (name: string, unit: string, description: string, by?: string): MetricSpec => ({
  name,
  unit,
  description,
  valueType: ValueType.INT,
  kind: 'sum',
  ...(by ? { by } : {}),
});
const CHECKPOINT = 'assay.retention.checkpoint_seconds';

/** Every metric Assay sends, in the order they are sent. Add metrics, never rename (dashboards depend on the names). */
export const OTLP_METRICS = {
  tokens: {
    name: 'gen_ai.client.token.usage',
    unit: '{token}',
    description:
      'Tokens per response by gen_ai.token.type (input includes cached input read and written, output includes reasoning): ' +
      'the day\'s responses with token counts and their tokens, in one bucket.',
    valueType: ValueType.INT,
    kind: 'histogram',
    by: 'gen_ai.token.type',
  },
  cacheReadTokens: count('assay.usage.cache_read_tokens', '{token}', 'Cached input tokens read, part of the input tokens.'),
  cacheWriteTokens: count('assay.usage.cache_write_tokens', '{token}', 'Input tokens written to a cache, part of the input tokens.'),
  reasoningTokens: count('assay.usage.reasoning_tokens', '{token}', 'Reasoning tokens, part of the output tokens.'),
  requests: count('assay.usage.requests', '{request}', 'Model responses logged by agent and chat tools.'),
  requestsWithoutTokens: count(
    'assay.usage.requests_without_tokens',
    '{request}',
    'Responses whose tool logged no token counts: token figures are lower bounds when this is above 0.',
  ),
  cost: {
    name: 'assay.usage.cost',
    unit: 'USD',
    description: 'Estimated cost at list prices; absent for models without a price.',
    valueType: ValueType.DOUBLE,
    kind: 'sum',
  },
  acceptances: count('assay.inline.acceptances', '{acceptance}', 'Inline suggestions accepted, by assay.accept.mode.', 'assay.accept.mode'),
  acceptedLines: count('assay.inline.accepted_lines', '{line}', 'Lines of accepted inline suggestions.'),
  acceptedChars: count('assay.inline.accepted_chars', '{char}', 'Characters of accepted inline suggestions.'),
  suggestionRequests: count('assay.inline.suggestion_requests', '{request}', 'Times the editor asked for an inline suggestion.'),
  typedChars: count('assay.inline.typed_chars', '{char}', 'Characters typed by the developer.'),
  aiChars: count('assay.inline.ai_chars', '{char}', 'Characters inserted by accepting suggestions.'),
  retentionChecked: count(
    'assay.inline.retention.checked',
    '{acceptance}',
    'Acceptances whose retention is known at the assay.retention.checkpoint_seconds checkpoint.',
    CHECKPOINT,
  ),
  retentionCheckedChars: count('assay.inline.retention.checked_chars', '{char}', 'Accepted characters of those acceptances.', CHECKPOINT),
  retainedChars: count('assay.inline.retention.retained_chars', '{char}', 'Of those characters, the ones still there at the checkpoint.', CHECKPOINT),
  retentionUnchanged: count('assay.inline.retention.unchanged', '{acceptance}', 'Acceptances no later edit touched.', CHECKPOINT),
  retentionMostlyRetained: count('assay.inline.retention.mostly_retained', '{acceptance}', 'Acceptances with at least 67 % of their characters retained.', CHECKPOINT),
  agentEdits: count('assay.agent.edits', '{edit}', 'File edits agents applied, dated by when they were applied.'),
  agentLinesAdded: count('assay.agent.lines.added', '{line}', 'Non-blank lines the agents\' file edits added.'),
  agentLinesRemoved: count('assay.agent.lines.removed', '{line}', 'Non-blank lines the agents\' file edits removed.'),
  agentEditsKnown: count(
    'assay.agent.edits.known',
    '{edit}',
    'Edits whose lines were looked for at the assay.retention.checkpoint_seconds checkpoint (unknown outcomes left out).',
    CHECKPOINT,
  ),
  agentLinesMeasured: count('assay.agent.lines.measured', '{line}', 'Lines those edits added: kept share = assay.agent.lines.kept ÷ this.', CHECKPOINT),
  agentLinesKept: count('assay.agent.lines.kept', '{line}', 'Of those lines, the ones still in their file at the checkpoint.', CHECKPOINT),
  agentWasteTokens: count('assay.agent.waste.tokens', '{token}', 'Tokens of responses whose edits kept no line at 1 day.'),
} as const satisfies Record<string, MetricSpec>;

type MetricKey = keyof typeof OTLP_METRICS;

/**
 * What a seen preview is remembered by, besides the endpoint and the team: each metric's name, unit and data type. A
 * release that sends other metrics, or sends one as another data type, so shows its own preview first.
 */
export function otlpMetricsFormat(metrics: Readonly<Record<string, MetricSpec>> = OTLP_METRICS): string[] {
  return Object.values(metrics).map((metric) => `${metric.name} ${metric.unit} ${metric.kind}`);
}

/** OpenTelemetry's gen_ai.provider.name values for the price data's litellm_provider names; others are left out. */
const GEN_AI_PROVIDER_NAMES: ReadonlyMap<string, string> = new Map([
  ['anthropic', 'anthropic'],
  ['openai', 'openai'],
  ['gemini', 'gcp.gemini'],
  ['vertex_ai', 'gcp.vertex_ai'],
  ['bedrock', 'aws.bedrock'],
  ['bedrock_converse', 'aws.bedrock'],
  ['azure', 'azure.ai.openai'],
  ['azure_ai', 'azure.ai.inference'],
  ['mistral', 'mistral_ai'],
  ['deepseek', 'deepseek'],
  ['xai', 'x_ai'],
  ['groq', 'groq'],
  ['cohere', 'cohere'],
  ['cohere_chat', 'cohere'],
  ['perplexity', 'perplexity'],
  ['watsonx', 'ibm.watsonx.ai'],
]);

/** A data point while rows are still added to it. */
interface OpenPoint {
  startTime: HrTime;
  endTime: HrTime;
  attributes: Attributes;
  value: number | Histogram;
}

/** The values each attribute may have once it leaves the machine: remembered series are checked against them again. */
const SENT_ATTRIBUTE_CHECKS: Readonly<Record<string, (value: unknown) => boolean>> = {
  'assay.day': (value) => typeof value === 'string' && isCalendarDate(value),
  'assay.source': (value) => UsageSource.safeParse(value).success,
  'gen_ai.operation.name': (value) => value === 'chat',
  'gen_ai.request.model': (value) => typeof value === 'string' && exportedSummaryModel(value) === value,
  'gen_ai.provider.name': (value) => typeof value === 'string' && [...GEN_AI_PROVIDER_NAMES.values()].includes(value),
  'gen_ai.token.type': (value) => value === 'input' || value === 'output',
  'assay.retention.checkpoint_seconds': (value) => Number.isSafeInteger(value) && (value as number) > 0,
  'assay.language': (value) => typeof value === 'string' && allowLanguageId(value) === value,
  'assay.assistant': (value) => typeof value === 'string' && allowProvider(value) === value,
  'assay.accept.mode': (value) => value === 'full' || value === 'word' || value === 'line',
};

/** Whether remembered attributes are a day and values the allowlists let through unchanged, and nothing else. */
function isSendableAttributes(attributes: Readonly<Record<string, unknown>>): boolean {
  return 'assay.day' in attributes && Object.entries(attributes).every(([name, value]) => SENT_ATTRIBUTE_CHECKS[name]?.(value) === true);
}

/** One key per series (metric and attributes), whatever order the attributes were written in. */
function seriesKey(key: MetricKey, attributes: Attributes): string {
  return `${key}\u0000${sortedJson(attributes)}`;
}

function sortedJson(attributes: Attributes): string {
  return JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

const METRIC_KEYS_BY_NAME: ReadonlyMap<string, MetricKey> = new Map(
  (Object.keys(OTLP_METRICS) as MetricKey[]).map((key) => [OTLP_METRICS[key].name, key]),
);

const VERSION_PATTERN = /^\d{1,4}\.\d{1,4}\.\d{1,6}(?:[-+][0-9A-Za-z.-]{1,32})?$/;
const INSTANCE_ID_PATTERN = /^[0-9a-f]{16,64}$/;

export function buildOtlpExport(input: OtlpExportInput): OtlpExport {
  const points = new Map<MetricKey, OpenPoint[]>();
  const end = hrTime(input.now);
  const dayStarts = new Map<string, HrTime | null>();
  let total = 0;
  let skipped = 0;

  const startOf = (date: string): HrTime | null => {
    let start = dayStarts.get(date);
    if (start === undefined) {
      const ms = isCalendarDate(date) ? localMidnight(date, input.timeZone) : null;
      start = ms === null || ms > input.now ? null : hrTime(ms);
      dayStarts.set(date, start);
    }
    return start;
  };
  const bySeries = new Map<string, OpenPoint>();
  /** The point of metric `key` with `attributes`, made with `zero` the first time; undefined when the request is full. */
  const pointOf = (key: MetricKey, start: HrTime, attributes: Attributes, zero: () => number | Histogram): OpenPoint | undefined => {
    // Rows whose model or language became `other` are one series: their values add up in one point, since a backend
    // given two points of one series keeps only one of them.
    const series = seriesKey(key, attributes);
    let point = bySeries.get(series);
    if (point) return point;
    if (total >= MAX_OTLP_POINTS) {
      skipped += 1;
      return undefined;
    }
    total += 1;
    let list = points.get(key);
    if (!list) points.set(key, (list = []));
    point = { startTime: start, endTime: end, attributes, value: zero() };
    bySeries.set(series, point);
    list.push(point);
    return point;
  };
  const add = (key: MetricKey, start: HrTime, attributes: Attributes, value: number | null): void => {
    // A day's counter starts at 0, so a zero says nothing a backend does not assume: leaving it
    // out keeps the number of series down. A series sent other than 0 before gets its 0 below.
    if (value === null || value === 0) return;
    if (!Number.isFinite(value) || value < 0) {
      skipped += 1;
      return;
    }
    const point = pointOf(key, start, attributes, () => 0);
    if (point) point.value = (point.value as number) + value;
  };
  /** `count` responses with `sum` tokens in all, as observations of the histogram `key`. */
  const observe = (key: MetricKey, start: HrTime, attributes: Attributes, count: number, sum: number): void => {
    if (count === 0 && sum === 0) return;
    if (!Number.isSafeInteger(count) || count <= 0 || !Number.isFinite(sum) || sum < 0) {
      skipped += 1;
      return;
    }
    const point = pointOf(key, start, attributes, emptyHistogram);
    if (!point) return;
    const histogram = point.value as Histogram;
    histogram.count += count;
    histogram.sum = (histogram.sum ?? 0) + sum;
    histogram.buckets.counts[0] += count;
  };

  for (const row of input.usage) {
    const start = startOf(row.date);
    const source = UsageSource.safeParse(row.source);
    if (!start || !source.success) {
      skipped += 1;
      continue;
    }
    // Bundled price-data names only (exportedSummaryModel says why).
    const model = exportedSummaryModel(row.model);
    const provider = GEN_AI_PROVIDER_NAMES.get(input.priceData.get(model)?.litellm_provider ?? '');
    const attributes: Attributes = {
      'assay.day': row.date,
      'assay.source': source.data,
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': model,
      ...(provider ? { 'gen_ai.provider.name': provider } : {}),
    };
    const measured = row.requests - row.requestsWithoutTokens;
    observe('tokens', start, { ...attributes, 'gen_ai.token.type': 'input' }, measured, row.inputTokens + row.cacheReadTokens + row.cacheWriteTokens);
    observe('tokens', start, { ...attributes, 'gen_ai.token.type': 'output' }, measured, row.outputTokens);
    add('cacheReadTokens', start, attributes, row.cacheReadTokens);
    add('cacheWriteTokens', start, attributes, row.cacheWriteTokens);
    add('reasoningTokens', start, attributes, row.reasoningTokens);
    add('requests', start, attributes, row.requests);
    add('requestsWithoutTokens', start, attributes, row.requestsWithoutTokens);
    add('cost', start, attributes, row.costUSD);
    add('agentEdits', start, attributes, row.agentEdits);
    add('agentLinesAdded', start, attributes, row.linesAdded);
    add('agentLinesRemoved', start, attributes, row.linesRemoved);
    for (const [checkpoint, cell] of Object.entries(row.agentRetention)) {
      const at = { ...attributes, 'assay.retention.checkpoint_seconds': Number(checkpoint) };
      add('agentEditsKnown', start, at, cell.known);
      add('agentLinesMeasured', start, at, cell.linesAdded);
      add('agentLinesKept', start, at, cell.linesKept);
    }
    add('agentWasteTokens', start, attributes, row.wasteTokens);
  }

  for (const row of input.inline) {
    const start = startOf(row.date);
    if (!start) {
      skipped += 1;
      continue;
    }
    const attributes: Attributes = {
      'assay.day': row.date,
      'assay.language': allowLanguageId(row.languageId),
      'assay.assistant': allowProvider(row.provider),
    };
    for (const mode of ['full', 'word', 'line'] as const) {
      add('acceptances', start, { ...attributes, 'assay.accept.mode': mode }, row.acceptances[mode]);
    }
    add('acceptedLines', start, attributes, row.acceptedLines);
    add('acceptedChars', start, attributes, row.acceptedChars);
    add('suggestionRequests', start, attributes, row.opportunities);
    add('typedChars', start, attributes, row.typedChars);
    add('aiChars', start, attributes, row.aiChars);
    for (const [checkpoint, cell] of Object.entries(row.retention)) {
      const at = { ...attributes, 'assay.retention.checkpoint_seconds': Number(checkpoint) };
      add('retentionChecked', start, at, cell.known);
      add('retentionCheckedChars', start, at, cell.chars);
      add('retainedChars', start, at, cell.arc);
      add('retentionUnchanged', start, at, cell.unchanged);
      add('retentionMostlyRetained', start, at, cell.mostlyRetained);
    }
  }

  // Series sent other than 0 before that have no value now: a 0 each, with the start they were sent with. The series
  // is the metric and its attributes, so one the rows still have (also with another start) is not sent twice.
  // Those of days this export does not cover are not sent: of earlier days they are forgotten (no send covers them
  // again), of later days (the clock or the time zone went back) they are remembered for the send that covers them.
  const zeros = new Set<OpenPoint>();
  const carried: OtlpSentSeries[] = [];
  const { series: sentBefore = [], since = '', until = '', authentic = false } = input.sentBefore ?? {};
  // Series this install sent before carry values sent already, also those today's allowlists no longer name (a model a
  // newer price snapshot dropped); any others must pass them.
  const sendable = (attributes: Readonly<Record<string, unknown>>) => (authentic ? isCalendarDate(String(attributes['assay.day'])) : isSendableAttributes(attributes));
  for (const sent of sentBefore) {
    const day = sent.attributes['assay.day'];
    if (!sendable(sent.attributes) || typeof day !== 'string' || day < since) continue;
    if (day > until || sent.start > input.now) {
      carried.push(sent);
      continue;
    }
    for (const [name, values] of Object.entries(sent.metrics)) {
      const key = METRIC_KEYS_BY_NAME.get(name);
      if (key === undefined) continue;
      const { by, kind } = OTLP_METRICS[key] as MetricSpec;
      const series = by ? values.map((value): Attributes => ({ ...sent.attributes, [by]: value })) : values.length === 0 ? [sent.attributes] : [];
      for (const attributes of series) {
        if (!sendable(attributes) || bySeries.has(seriesKey(key, attributes))) continue;
        const point = pointOf(key, hrTime(sent.start), attributes, kind === 'histogram' ? emptyHistogram : () => 0);
        if (point) zeros.add(point);
      }
    }
  }

  // What to remember once sent: the series sent other than 0, by start and row (the attributes without `by`).
  const sentRows = new Map<string, OtlpSentSeries>();
  for (const key of Object.keys(OTLP_METRICS) as MetricKey[]) {
    const { name, by } = OTLP_METRICS[key] as MetricSpec;
    for (const point of points.get(key) ?? []) {
      if (zeros.has(point)) continue;
      const start = msOf(point.startTime);
      const { [by ?? '']: value, ...attributes } = point.attributes as OtlpSentSeries['attributes'];
      const row = `${start}\u0000${sortedJson(attributes)}`;
      let sent = sentRows.get(row);
      if (!sent) sentRows.set(row, (sent = { start, attributes, metrics: {} }));
      const values = (sent.metrics[name] ??= []);
      if (by && value !== undefined) values.push(value);
    }
  }

  const metrics: (SumMetricData | HistogramMetricData)[] = [];
  for (const key of Object.keys(OTLP_METRICS) as MetricKey[]) {
    const dataPoints = points.get(key);
    if (!dataPoints) continue;
    const { name, description, unit, valueType, kind } = OTLP_METRICS[key];
    const descriptor = { name, description, unit, valueType };
    const aggregationTemporality = AggregationTemporality.CUMULATIVE;
    metrics.push(
      kind === 'histogram'
        ? { descriptor, aggregationTemporality, dataPointType: DataPointType.HISTOGRAM, dataPoints: dataPoints as DataPoint<Histogram>[] }
        : { descriptor, aggregationTemporality, dataPointType: DataPointType.SUM, isMonotonic: true, dataPoints: dataPoints as DataPoint<number>[] },
    );
  }
  const version = VERSION_PATTERN.test(input.resource.serviceVersion) ? input.resource.serviceVersion : '0.0.0';
  return {
    resourceMetrics: {
      resource: resourceFromAttributes(resourceAttributes(input.resource, version)),
      scopeMetrics: [{ scope: { name: OTLP_SCOPE_NAME, version }, metrics }],
    },
    points: total,
    skipped,
    zeroed: zeros.size,
    sentSeries: [...sentRows.values(), ...carried],
  };
}

function emptyHistogram(): Histogram {
  return { buckets: { boundaries: [], counts: [0] }, count: 0, sum: 0 };
}

/** Only these resource attributes are ever sent: no host, user, process or path. */
function resourceAttributes(resource: OtlpResourceInfo, version: string): Attributes {
  if (!INSTANCE_ID_PATTERN.test(resource.instanceId)) throw new RangeError('instanceId must be an opaque hex id');
  const teamId = OtlpTeamId.safeParse(resource.teamId);
  return {
    'service.name': 'assay',
    'service.version': version,
    'service.instance.id': resource.instanceId,
    ...(teamId.success ? { 'assay.team.id': teamId.data } : {}),
  };
}

const QUARTER_HOUR_MS = 15 * 60 * 1000;
/** Local days begin between UTC-12 and UTC+14 of their UTC midnight. */
const EARLIEST_OFFSET_MS = 14 * 60 * 60 * 1000;
const SEARCH_STEPS = (26 * 60 * 60 * 1000) / QUARTER_HOUR_MS;

/**
 * Epoch ms of the first instant of `date` in `timeZone`. Every zone's offsets fall on quarter
 * hours, so the first quarter hour dated `date` is its midnight (or its first hour on a day that
 * skips midnight for DST).
 */
function localMidnight(date: string, timeZone: string): number | null {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  for (let step = 0; step <= SEARCH_STEPS; step++) {
    const t = utcMidnight - EARLIEST_OFFSET_MS + step * QUARTER_HOUR_MS;
    if (localDate(t, timeZone) === date) return t;
  }
  return null;
}

function hrTime(ms: number): HrTime {
  const seconds = Math.floor(ms / 1000);
  return [seconds, Math.round((ms - seconds * 1000) * 1e6)];
}

function msOf([seconds, nanos]: HrTime): number {
  return seconds * 1000 + Math.round(nanos / 1e6);
}
