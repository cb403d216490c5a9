// promlite: the public API. Everything else in src/ is internal and may change.
export { Registry, type BuildInfo, type RegistryOptions } from './core/registry.js';
export { StateGauge, type StateGaugeOptions } from './core/state-gauge.js';
export { Counter, type CounterChild, type CounterOptions } from './core/counter.js';
export { Gauge, type GaugeChild, type GaugeCollect, type GaugeOptions } from './core/gauge.js';
export type { CollectedSample, CollectFunction } from './core/collect.js';
export { DEFAULT_BUCKETS, Histogram, type HistogramChild, type HistogramOptions, type StopTimer } from './core/histogram.js';
export { JOB_DURATION_BUCKETS, SUCCESS_STATUSES, type JobDropReason } from './core/jobs.js';
export { render, renderBytes, renderChunks, TEXT_CONTENT_TYPE } from './exposition/text.js';
export { OPENMETRICS_CONTENT_TYPE, renderOpenMetrics, renderOpenMetricsBytes, renderOpenMetricsChunks } from './exposition/openmetrics.js';
export { escapeHelp, escapeLabelValue } from './exposition/escape.js';
export { formatBound, formatOpenMetricsBound, formatValue } from './exposition/format-number.js';
export { PromliteError, type PromliteErrorCode } from './errors.js';
export type { Labels } from './core/labels.js';
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
} from './core/snapshot.js';
export { metricsHandler, type MetricsHandler, type MetricsHandlerOptions } from './serve/metrics-handler.js';
export { createMetricsServer, type MetricsServer, type MetricsServerOptions } from './serve/server.js';
export { DEFAULT_METRICS_CONFIG, loadMetricsConfig, type MetricsConfig } from './serve/config.js';
export { acceptsGzip, negotiateFormat, type ExpositionFormat } from './exposition/negotiate.js';
export { createAccessPolicy, decideAccess, type AccessDecision, type AccessPolicy } from './serve/access/policy.js';
export { AddressList } from './serve/access/address-list.js';
export { clientAddress } from './serve/access/client-address.js';
export { registerProcessMetrics, type ProcessMetrics, type ProcessMetricsOptions } from './instrument/process-metrics.js';
export { HealthChecks, type HealthCheck, type HealthCheckOptions, type HealthCheckResult, type HealthChecksOptions, type HealthReport } from './instrument/health-checks.js';
export { healthHandler, type HealthDetailsPolicy, type HealthHandlerOptions } from './serve/health-handler.js';
export { createAccessGuard, type AccessGuard, type AccessOptions } from './serve/access/guard.js';
export { CLIENT_CLOSED_STATUS, instrumentHttp, OVERFLOW_ROUTE, type HttpInstrumentation, type HttpInstrumentationOptions, type RequestListener } from './instrument/http.js';
export { normalizeMethod, normalizeStatus, templatePath } from './instrument/route-label.js';
export { statusHandler, type StatusHandlerOptions } from './serve/status/status-handler.js';
export { bucketQuantile, statusFromSnapshot, type JobKindStatus, type StatusData } from './serve/status/status-data.js';
export { STATUS_PAGE_HTML } from './serve/status/status-page.js';
