// Decodes OTLP/HTTP metric requests in tests, with OpenTelemetry's own protobuf reader and the
// field numbers of the official definitions (opentelemetry-proto v1: collector/metrics/v1/
// metrics_service.proto, metrics/v1/metrics.proto, common/v1/common.proto,
// resource/v1/resource.proto). A request that does not decode this way would not decode in a
// Collector either.
import { ProtobufReader } from '@opentelemetry/otlp-transformer/build/src/common/protobuf/protobuf-reader';

export type AttributeValue = string | number | boolean;

export interface DecodedPoint {
  attributes: Record<string, AttributeValue>;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  value: number;
}

export interface DecodedHistogramPoint {
  attributes: Record<string, AttributeValue>;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  count: number;
  /** Absent when the point has none (`optional double sum`). */
  sum?: number;
  bucketCounts: number[];
  explicitBounds: number[];
}

export interface DecodedMetric {
  name: string;
  description: string;
  unit: string;
  /** Set only for a Sum. */
  sum?: { temporality: number; monotonic: boolean; points: DecodedPoint[] };
  /** Set only for an explicit-bucket Histogram. */
  histogram?: { temporality: number; points: DecodedHistogramPoint[] };
  /** Gauges, exponential histograms and summaries: counted, so a test can say there are none. */
  otherKinds: number;
}

export interface DecodedRequest {
  resources: { attributes: Record<string, AttributeValue>; scopes: { name: string; version: string; metrics: DecodedMetric[] }[] }[];
}

/** AggregationTemporality in metrics.proto. */
export const PROTO_CUMULATIVE = 2;

interface Field {
  field: number;
  varint?: number;
  bytes?: Uint8Array;
  fixed64?: DataView;
}

function fields(bytes: Uint8Array): Field[] {
  const reader = new ProtobufReader(bytes);
  const found: Field[] = [];
  while (!reader.isAtEnd()) {
    const { fieldNumber, wireType } = reader.readTag();
    if (wireType === 0) found.push({ field: fieldNumber, varint: reader.readVarint() });
    else if (wireType === 2) found.push({ field: fieldNumber, bytes: reader.readBytes() });
    else if (wireType === 1) {
      found.push({ field: fieldNumber, fixed64: new DataView(bytes.buffer, bytes.byteOffset + reader.pos, 8) });
      reader.skip(1);
    } else reader.skip(wireType);
  }
  return found;
}

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes ?? new Uint8Array());

function anyValue(bytes: Uint8Array): AttributeValue {
  const [value] = fields(bytes);
  if (value.field === 1) return text(value.bytes);
  if (value.field === 2) return value.varint === 1;
  if (value.field === 3) return value.varint as number;
  if (value.field === 4) return (value.fixed64 as DataView).getFloat64(0, true);
  throw new Error(`unexpected AnyValue field ${value.field}`);
}

function attributes(list: Field[], field: number): Record<string, AttributeValue> {
  const result: Record<string, AttributeValue> = {};
  for (const keyValue of list.filter((f) => f.field === field)) {
    const parts = fields(keyValue.bytes as Uint8Array);
    const key = text(parts.find((f) => f.field === 1)?.bytes);
    result[key] = anyValue(parts.find((f) => f.field === 2)?.bytes as Uint8Array);
  }
  return result;
}

function numberDataPoint(bytes: Uint8Array): DecodedPoint {
  const parts = fields(bytes);
  const fixed = (field: number) => parts.find((f) => f.field === field)?.fixed64;
  const asDouble = fixed(4);
  const asInt = fixed(6);
  return {
    attributes: attributes(parts, 7),
    startTimeUnixNano: (fixed(2) as DataView).getBigUint64(0, true),
    timeUnixNano: (fixed(3) as DataView).getBigUint64(0, true),
    value: asDouble ? asDouble.getFloat64(0, true) : Number((asInt as DataView).getBigInt64(0, true)),
  };
}

/** A repeated fixed64 or double field, packed (one length-delimited field) or not: its 8-byte values, in order. */
function eightByteValues(parts: Field[], field: number): DataView[] {
  const values: DataView[] = [];
  for (const part of parts.filter((f) => f.field === field)) {
    if (part.fixed64) values.push(part.fixed64);
    const packed = part.bytes;
    if (packed) for (let at = 0; at < packed.length; at += 8) values.push(new DataView(packed.buffer, packed.byteOffset + at, 8));
  }
  return values;
}

/** HistogramDataPoint: attributes 9, start_time_unix_nano 2, time_unix_nano 3, count 4, sum 5, bucket_counts 6, explicit_bounds 7. */
function histogramDataPoint(bytes: Uint8Array): DecodedHistogramPoint {
  const parts = fields(bytes);
  const fixed = (field: number) => parts.find((f) => f.field === field)?.fixed64;
  const sum = fixed(5);
  return {
    attributes: attributes(parts, 9),
    startTimeUnixNano: (fixed(2) as DataView).getBigUint64(0, true),
    timeUnixNano: (fixed(3) as DataView).getBigUint64(0, true),
    count: Number((fixed(4) as DataView).getBigUint64(0, true)),
    ...(sum ? { sum: sum.getFloat64(0, true) } : {}),
    bucketCounts: eightByteValues(parts, 6).map((value) => Number(value.getBigUint64(0, true))),
    explicitBounds: eightByteValues(parts, 7).map((value) => value.getFloat64(0, true)),
  };
}

/** Metric: name 1, description 2, unit 3, gauge 5, sum 7, histogram 9, exponential_histogram 10, summary 11. */
function metric(bytes: Uint8Array): DecodedMetric {
  const parts = fields(bytes);
  const sum = parts.find((f) => f.field === 7);
  const histogram = parts.find((f) => f.field === 9);
  const decoded: DecodedMetric = {
    name: text(parts.find((f) => f.field === 1)?.bytes),
    description: text(parts.find((f) => f.field === 2)?.bytes),
    unit: text(parts.find((f) => f.field === 3)?.bytes),
    otherKinds: parts.filter((f) => [5, 10, 11].includes(f.field)).length,
  };
  if (histogram) {
    const histogramParts = fields(histogram.bytes as Uint8Array);
    decoded.histogram = {
      temporality: histogramParts.find((f) => f.field === 2)?.varint ?? 0,
      points: histogramParts.filter((f) => f.field === 1).map((f) => histogramDataPoint(f.bytes as Uint8Array)),
    };
  }
  if (sum) {
    const sumParts = fields(sum.bytes as Uint8Array);
    decoded.sum = {
      temporality: sumParts.find((f) => f.field === 2)?.varint ?? 0,
      monotonic: sumParts.find((f) => f.field === 3)?.varint === 1,
      points: sumParts.filter((f) => f.field === 1).map((f) => numberDataPoint(f.bytes as Uint8Array)),
    };
  }
  return decoded;
}

export function decodeMetricsRequest(body: Uint8Array): DecodedRequest {
  return {
    resources: fields(body)
      .filter((f) => f.field === 1)
      .map((resourceMetrics) => {
        const parts = fields(resourceMetrics.bytes as Uint8Array);
        const resource = parts.find((f) => f.field === 1);
        return {
          attributes: resource ? attributes(fields(resource.bytes as Uint8Array), 1) : {},
          scopes: parts
            .filter((f) => f.field === 2)
            .map((scopeMetrics) => {
              const scopeParts = fields(scopeMetrics.bytes as Uint8Array);
              const scope = fields(scopeParts.find((f) => f.field === 1)?.bytes ?? new Uint8Array());
              return {
                name: text(scope.find((f) => f.field === 1)?.bytes),
                version: text(scope.find((f) => f.field === 2)?.bytes),
                metrics: scopeParts.filter((f) => f.field === 2).map((f) => metric(f.bytes as Uint8Array)),
              };
            }),
        };
      }),
  };
}

/** Every point of the request as `metric name + sorted attributes` → point (a histogram's value is its sum). */
export function seriesOf(request: DecodedRequest): Map<string, DecodedPoint> {
  const series = new Map<string, DecodedPoint>();
  for (const resource of request.resources) {
    for (const scope of resource.scopes) {
      for (const metric of scope.metrics) {
        const histogramPoints = (metric.histogram?.points ?? []).map((point) => ({ ...point, value: point.sum ?? NaN }));
        for (const point of [...(metric.sum?.points ?? []), ...histogramPoints]) {
          const key = `${metric.name} ${JSON.stringify(Object.entries(point.attributes).sort(([a], [b]) => a.localeCompare(b)))}`;
          if (series.has(key)) throw new Error(`two points for one series in one request: ${key}`);
          series.set(key, point);
        }
      }
    }
  }
  return series;
}
