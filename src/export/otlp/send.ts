// Sends metric data with the official OTLP/HTTP protobuf exporter. A slow or dead collector must
// never hold the editor: the exporter retries retryable failures (429, 502-504, refused or reset
// connections) with jittered exponential backoff inside `timeoutMs`, and a timer here ends the
// wait even if a response trickles in forever. Never throws.
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import type { ResourceMetrics } from '@opentelemetry/sdk-metrics';
import { describeError } from '../../privacy/errors';
import type { OtlpTarget } from './target';

export type OtlpSendResult = { ok: true } | { ok: false; reason: string };

type ExporterOptions = NonNullable<ConstructorParameters<typeof OTLPMetricExporter>[0]>;
/**
 * CompressionAlgorithm.GZIP of @opentelemetry/otlp-exporter-base, which Assay does not depend on
 * directly. Every point repeats its attributes: a busy week is about 200 KB raw and 8 KB gzipped.
 */
const GZIP = 'gzip' as ExporterOptions['compression'];
/** ExportResultCode.SUCCESS of @opentelemetry/core, which Assay does not depend on directly. */
const EXPORT_SUCCESS = 0;
/** Past the exporter's own deadline, for the request it may have in flight to be given up. */
const DEADLINE_GRACE_MS = 2_000;

export async function sendOtlpMetrics(resourceMetrics: ResourceMetrics, target: OtlpTarget): Promise<OtlpSendResult> {
  let exporter: OTLPMetricExporter;
  const hidden = hideOtelEnvironment();
  try {
    exporter = new OTLPMetricExporter({
      url: target.url,
      headers: { ...target.headers },
      timeoutMillis: target.timeoutMs,
      concurrencyLimit: 1,
      keepAlive: false,
      compression: GZIP,
    });
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  } finally {
    Object.assign(process.env, hidden);
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<OtlpSendResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, reason: 'timed out' }), target.timeoutMs + DEADLINE_GRACE_MS);
  });
  const exported = new Promise<OtlpSendResult>((resolve) => {
    try {
      exporter.export(resourceMetrics, (result) => {
        resolve(result.code === EXPORT_SUCCESS ? { ok: true } : { ok: false, reason: failureReason(result.error) });
      });
    } catch (error) {
      resolve({ ok: false, reason: describeError(error) });
    }
  });
  try {
    return await Promise.race([exported, deadline]);
  } finally {
    clearTimeout(timer);
    // Not awaited: shutting down waits for an export still in flight, which is what must not block.
    exporter.shutdown().catch(() => undefined);
  }
}

/**
 * The exporter adds the OTEL_EXPORTER_OTLP_* variables of the editor's environment to what it is
 * given (headers above all), and it reads them only while it is constructed. They are set for
 * other tools (Claude Code's own telemetry uses them), so their tokens must not go to Assay's
 * endpoint: they are taken out of the environment for the construction and put back right after,
 * synchronously, so no other code can see them missing.
 */
function hideOtelEnvironment(): Record<string, string> {
  const hidden: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('OTEL_') || value === undefined) continue;
    hidden[name] = value;
    delete process.env[name];
  }
  return hidden;
}

/** The HTTP status or error code only: an error's message may quote the collector's response body. */
function failureReason(error: unknown): string {
  const status = (error as { code?: unknown } | undefined)?.code;
  if (typeof status === 'number') return `HTTP ${status}`;
  return error ? describeError(error) : 'failed';
}
