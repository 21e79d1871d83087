// What the user reads before the first send: every resource attribute, metric, attribute set and
// value of the request, in the order sent. Header values are secrets and show as names only.
import type { HrTime } from '@opentelemetry/api';
import { DataPointType, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { OtlpTarget } from './target';

export function otlpPreviewText(resourceMetrics: ResourceMetrics, target: Pick<OtlpTarget, 'url' | 'headers'>): string {
  const preview = {
    endpoint: target.url,
    headers: Object.keys(target.headers),
    resource: resourceMetrics.resource.attributes,
    metrics: resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((metric) => ({
        name: metric.descriptor.name,
        unit: metric.descriptor.unit,
        description: metric.descriptor.description,
        type: metric.dataPointType === DataPointType.HISTOGRAM ? 'histogram' : 'sum',
        temporality: 'cumulative',
        points: metric.dataPoints.map((point) => ({
          attributes: point.attributes,
          // A histogram's one bucket holds its count: the count and the sum are all it says.
          value: typeof point.value === 'number' ? point.value : { count: point.value.count, sum: point.value.sum },
          start: isoTime(point.startTime),
          time: isoTime(point.endTime),
        })),
      })),
    ),
  };
  return `${JSON.stringify(preview, null, 2)}\n`;
}

function isoTime([seconds, nanos]: HrTime): string {
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6)).toISOString();
}
