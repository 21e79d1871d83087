// Entry of dist/otlp.js, the OpenTelemetry part of Assay: bundled apart and required only when an
// export is previewed or sent, so the SDK never weighs on the extension's start.
export { buildOtlpExport, otlpMetricsFormat, type OtlpExport, type OtlpExportInput } from './metrics';
export { otlpPreviewText } from './preview';
export { sendOtlpMetrics, type OtlpSendResult } from './send';
export { DEFAULT_OTLP_TIMEOUT_MS, otlpMetricsUrl, OtlpHeaders, type OtlpTarget } from './target';
