// promlite/instrument: everything that writes metrics about the application — its HTTP traffic,
// its health checks, its process and runtime.

/** HTTP request metrics with bounded labels, for a `node:http` listener. */
export {
  CLIENT_CLOSED_STATUS,
  instrumentHttp,
  OVERFLOW_ROUTE,
  type HttpInstrumentation,
  type HttpInstrumentationOptions,
  type RequestListener,
} from './http.js';
export type { HttpLabelNames, HttpMetricNames } from './http-metrics.js';
export { expressRoute } from './express-route.js';
/** Health checks with timeouts, reported as `up`/`degraded`/`down` and as metrics. */
export {
  HealthChecks,
  type HealthCheck,
  type HealthCheckOptions,
  type HealthCheckResult,
  type HealthChecksOptions,
  type HealthProbe,
  type HealthReport,
} from './health-checks.js';
/** The process's uptime as a gauge, under the name a service's contract gives it. */
export { registerUptime, type UptimeOptions } from './uptime.js';
/** Process and runtime metrics under their standard names. */
export { registerProcessMetrics, type ProcessMetrics, type ProcessMetricsOptions } from './process-metrics.js';
