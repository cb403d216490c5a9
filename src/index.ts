// promlite: the public API. Everything else in src/ is internal and may change.
export { Registry, type BuildInfo, type RegistryOptions } from './registry.js';
export { StateGauge, type StateGaugeOptions } from './state-gauge.js';
export { Counter, type CounterChild, type CounterOptions } from './counter.js';
export { Gauge, type GaugeChild, type GaugeCollect, type GaugeOptions } from './gauge.js';
export type { CollectedSample, CollectFunction } from './collect.js';
export { DEFAULT_BUCKETS, Histogram, type HistogramChild, type HistogramOptions, type StopTimer } from './histogram.js';
export { JOB_DURATION_BUCKETS, SUCCESS_STATUSES, type JobDropReason } from './jobs.js';
export { render, renderBytes, renderChunks, TEXT_CONTENT_TYPE } from './render.js';
export { OPENMETRICS_CONTENT_TYPE, renderOpenMetrics, renderOpenMetricsBytes, renderOpenMetricsChunks } from './render-openmetrics.js';
export { escapeHelp, escapeLabelValue } from './escape.js';
export { formatBound, formatOpenMetricsBound, formatValue } from './format-number.js';
export { PromliteError, type PromliteErrorCode } from './errors.js';
export type { Labels } from './labels.js';
export type {
  CounterFamily,
  FamilySnapshot,
  GaugeFamily,
  HistogramFamily,
  HistogramSeries,
  InfoFamily,
  RegistrySnapshot,
  StateSetFamily,
  ScalarSeries,
} from './snapshot.js';
export { metricsHandler, type MetricsHandler, type MetricsHandlerOptions } from './http/metrics-handler.js';
export { createMetricsServer, type MetricsServer, type MetricsServerOptions } from './http/metrics-server.js';
export { DEFAULT_METRICS_CONFIG, loadMetricsConfig, type MetricsConfig } from './http/config.js';
export { acceptsGzip, negotiateFormat, type ExpositionFormat } from './http/negotiate.js';
export { createAccessPolicy, decideAccess, type AccessDecision, type AccessPolicy } from './http/access.js';
export { AddressList } from './http/address-list.js';
export { clientAddress } from './http/client-address.js';
export { registerProcessMetrics, type ProcessMetrics, type ProcessMetricsOptions } from './process/process-metrics.js';
export { HealthChecks, type HealthCheck, type HealthCheckOptions, type HealthCheckResult, type HealthChecksOptions, type HealthReport } from './health/health-checks.js';
export { healthHandler, type HealthDetailsPolicy, type HealthHandlerOptions } from './health/health-handler.js';
export { createAccessGuard, type AccessGuard, type AccessOptions } from './http/guard.js';
export { CLIENT_CLOSED_STATUS, instrumentHttp, OVERFLOW_ROUTE, type HttpInstrumentation, type HttpInstrumentationOptions, type RequestListener } from './http/instrument-http.js';
export { normalizeMethod, normalizeStatus, templatePath } from './http/route-label.js';
export { statusHandler, type StatusHandlerOptions } from './status/status-handler.js';
export { bucketQuantile, statusFromSnapshot, type JobKindStatus, type StatusData } from './status/status-data.js';
export { STATUS_PAGE_HTML } from './status/status-page.js';
