// Where OpenTelemetry metrics go and how (docs/privacy.md): validated once here, before any byte leaves.
// The endpoint must be https, except on this machine (a local Collector), because the auth
// headers and the team's figures would otherwise cross the network in the clear.
import * as z from 'zod';
import { SafeMessageError } from '../../privacy/errors';

/** The OTLP/HTTP path for metrics, added when the endpoint names only a host (as OTEL_EXPORTER_OTLP_ENDPOINT does). */
const OTLP_METRICS_PATH = '/v1/metrics';
export const DEFAULT_OTLP_TIMEOUT_MS = 10_000;
const MAX_HEADERS = 20;

/** Header names as HTTP defines them (RFC 9110 token); values on one line, so nothing can be smuggled in. */
export const OtlpHeaders = z
  .record(z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}$/), z.string().max(8_192).regex(/^[^\r\n\0]*$/))
  .refine((headers) => Object.keys(headers).length <= MAX_HEADERS, { message: `at most ${MAX_HEADERS} headers` });
export type OtlpHeaders = z.infer<typeof OtlpHeaders>;

export interface OtlpTarget {
  url: string;
  headers: OtlpHeaders;
  /** The whole send, retries included, ends within this. */
  timeoutMs: number;
}

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * The metrics URL for a configured endpoint, or a SafeMessageError saying why it is refused. The
 * messages never repeat the endpoint: it may carry a token in its query.
 */
export function otlpMetricsUrl(endpoint: string): string {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    throw new SafeMessageError('The OpenTelemetry endpoint is not a valid URL (e.g. https://collector.example.com:4318).');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new SafeMessageError('The OpenTelemetry endpoint must be an https:// URL.');
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new SafeMessageError(
      'The OpenTelemetry endpoint must use https: plain http is allowed only for a collector on this machine (localhost, 127.0.0.1, [::1]).',
    );
  }
  if (url.username || url.password) {
    throw new SafeMessageError('The OpenTelemetry endpoint must not contain a user name or password: use Assay: Set OpenTelemetry Headers… instead.');
  }
  if (url.pathname === '' || url.pathname === '/') url.pathname = OTLP_METRICS_PATH;
  return url.toString();
}

/**
 * Headers as OTEL_EXPORTER_OTLP_HEADERS writes them: `name=value` pairs separated by commas,
 * values %-encoded where they hold a comma. An empty text is no headers. Messages never repeat a
 * value: it is a secret.
 */
export function parseOtlpHeaders(text: string): OtlpHeaders {
  const pairs: [string, string][] = [];
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0) throw new SafeMessageError('Write each header as name=value, separated by commas.');
    let value: string;
    try {
      value = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      throw new SafeMessageError('A header value has a broken %-escape.');
    }
    pairs.push([pair.slice(0, at).trim(), value]);
  }
  const parsed = OtlpHeaders.safeParse(Object.fromEntries(pairs));
  if (!parsed.success) {
    throw new SafeMessageError(`Header names are letters, digits and -, values are one line, and there are at most ${MAX_HEADERS} headers.`);
  }
  return parsed.data;
}
