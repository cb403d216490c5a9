// promlite/serve: everything that answers a request — the metrics endpoint, a server of its own,
// its configuration, the health and status endpoints, and who may read them.

/** The metrics endpoint, as a `node:http` listener or express/connect middleware. */
export { metricsHandler, type MetricsHandler, type MetricsHandlerOptions } from './metrics-handler.js';
/** A `node:http` server of its own, and its configuration from the environment. */
export { createMetricsServer, type MetricsServer, type MetricsServerOptions } from './server.js';
export { DEFAULT_METRICS_CONFIG, loadMetricsConfig, type MetricsConfig } from './config.js';
/** Health endpoints for `HealthChecks` (`/health`, `/health/live`, `/health/ready`). */
export { healthHandler } from './health-handler.js';
export type { HealthDetailsPolicy, HealthEndpoint, HealthHandlerOptions, ShownHealthReport } from './health-handler.js';
/** The status page (`/`) and its data (`/status.json`, shaped as `StatusData`). */
export { statusHandler, type StatusHandlerOptions } from './status/status-handler.js';
export type { JobKindStatus, StatusData } from './status/status-data.js';
/** Who may read an endpoint: a bearer token, client address ranges, trusted proxies. */
export type { AccessOptions } from './access/guard.js';
