import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { PromliteError } from '../errors.js';
import type { Registry } from '../core/registry.js';
import type { HealthChecks } from '../instrument/health-checks.js';
import {
  DEFAULT_HEALTH_PATHS,
  healthHandler,
  type HealthDetailsPolicy,
  type HealthHandlerOptions,
} from './health-handler.js';
import {
  checkOptions,
  integerIn,
  isBoolean,
  isFunction,
  isHealthChecks,
  isObject,
  isRegistry,
  isString,
} from '../options.js';
import { DEFAULT_STATUS_PATHS, statusHandler, type StatusHandlerOptions } from './status/status-handler.js';
import { assertDistinctPaths } from './endpoint.js';
import { createAccessGuard, type AccessOptions } from './access/guard.js';
import {
  METRICS_HANDLER_OPTION_CHECKS,
  type MetricsHandler,
  metricsHandler,
  type MetricsHandlerOptions,
} from './metrics-handler.js';
import { DEFAULT_METRICS_CONFIG } from './config.js';

/** Options of {@link createMetricsServer}: the handler's, plus where to listen. */
export interface MetricsServerOptions extends MetricsHandlerOptions {
  readonly registry: Registry;
  /** Also serve these health checks (`/health`, `/health/live`, `/health/ready`). */
  readonly health?: HealthChecks | undefined;
  /** Paths of the health endpoints; `false` turns one off. */
  readonly healthPaths?: Pick<HealthHandlerOptions, 'summaryPath' | 'livePath' | 'readyPath'> | undefined;
  /** Put the health endpoints behind the same token/CIDR policy as `/metrics`. Default `false` (open). */
  readonly protectHealth?: boolean | undefined;
  /**
   * Who sees each check's `details` on the health endpoints: `admitted` (default) — callers
   * the `/metrics` policy admits; others get component names and statuses only.
   */
  readonly healthDetails?: HealthDetailsPolicy | undefined;
  /** The JSON the health endpoints answer with (see `HealthHandlerOptions.body`). Default: the report. */
  readonly healthBody?: HealthHandlerOptions['body'];
  /** Serve the status page at `/` and `/status.json`, behind the same policy as `/metrics`. Default `false`. */
  readonly statusPage?: boolean | undefined;
  /** Paths of the status page and its data. */
  readonly statusPaths?: Pick<StatusHandlerOptions, 'pagePath' | 'dataPath'> | undefined;
  /** Where to listen. Default `127.0.0.1` (loopback only). */
  readonly host?: string | undefined;
  /** Default 9464 (promlite's port in the Prometheus default port allocations); 0 picks a free port. */
  readonly port?: number | undefined;
}

/**
 * Deadlines of the server's sockets, in milliseconds. Scrapes have their own, shorter deadline
 * (`scrapeTimeoutMs`); these stop clients that trickle headers (slowloris), never finish a
 * request, or hold idle connections.
 */
const SERVER_TIMEOUTS = {
  /** The whole request head must arrive within this. */
  headersTimeout: 10_000,
  /** The whole request (GETs have no body) must arrive within this. */
  requestTimeout: 15_000,
  /** An idle keep-alive connection is closed after this (Node's default, kept explicit). */
  keepAliveTimeout: 5_000,
  /** How often the two request deadlines above are enforced (Node checks every 30 s by default). */
  connectionsCheckingInterval: 1_000,
  /** A socket with no activity at all is destroyed after this. */
  socketTimeout: 30_000,
} as const;

const SERVER_OPTION_CHECKS = {
  ...METRICS_HANDLER_OPTION_CHECKS,
  registry: isRegistry,
  health: isHealthChecks,
  healthPaths: isObject,
  protectHealth: isBoolean,
  healthDetails: isString,
  healthBody: isFunction,
  statusPage: isBoolean,
  statusPaths: isObject,
  host: isString,
  port: integerIn(0, 65535),
} as const;

/** A running metrics server. */
export interface MetricsServer {
  /** Where the metrics are, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** The listening `node:http` server. */
  readonly server: Server;
  /** The metrics endpoint it serves: `metrics.enabled = false` answers 404 there until set back. */
  readonly metrics: MetricsHandler;
  /** Stops listening and closes open connections; resolves when the port is free. */
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server of its own that answers the metrics path, the health endpoints
 * when `health` is given, and 404 elsewhere.
 * `loadMetricsConfig()` returns options it takes as they are.
 * @throws PromliteError `INVALID_CONFIG` for bad options; rejects when the port cannot be bound.
 * @example
 * const metrics = await createMetricsServer({ registry, ...loadMetricsConfig() });
 * console.log(`metrics at ${metrics.url}`);
 */
export async function createMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  checkOptions('createMetricsServer', options, SERVER_OPTION_CHECKS, { code: 'INVALID_CONFIG', secret: ['token'] });
  if (options === undefined || options.registry === undefined)
    throw new PromliteError('INVALID_CONFIG', 'createMetricsServer: option "registry" is required');
  const { registry, host = DEFAULT_METRICS_CONFIG.host, port = DEFAULT_METRICS_CONFIG.port } = options;
  const handlerOptions: Record<string, unknown> = {};
  for (const key of Object.keys(METRICS_HANDLER_OPTION_CHECKS))
    handlerOptions[key] = options[key as keyof MetricsHandlerOptions];
  const access: AccessOptions = {
    token: options.token,
    trustedCidrs: options.trustedCidrs,
    trustedProxies: options.trustedProxies,
  };
  // Checked here first, so that a bad token or range is reported under this function's name.
  createAccessGuard(access, 'createMetricsServer');
  assertOneEndpointPerPath(options);
  const metrics = metricsHandler(registry, handlerOptions as MetricsHandlerOptions);
  const health =
    options.health === undefined
      ? undefined
      : healthHandler(options.health, {
          ...options.healthPaths,
          access: options.protectHealth === true ? access : undefined,
          details: options.healthDetails,
          detailsAccess: access,
          body: options.healthBody,
        });
  const status =
    options.statusPage === true
      ? statusHandler(registry, { health: options.health, access, ...options.statusPaths })
      : undefined;
  const { socketTimeout, ...serverTimeouts } = SERVER_TIMEOUTS;
  const server = createServer(serverTimeouts, (request, response) => {
    const toMetrics = () => metrics(request, response);
    const toHealth = health === undefined ? toMetrics : () => health(request, response, toMetrics);
    if (status === undefined) toHealth();
    else status(request, response, toHealth);
  });
  server.setTimeout(socketTimeout);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${boundPort}${options.path ?? DEFAULT_METRICS_CONFIG.path}`,
    server,
    metrics,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Refuses a server whose endpoints share a path: the first in line would answer it and the
 * other would be unreachable (the metrics behind `/health/ready`, say).
 * @throws PromliteError `INVALID_CONFIG` naming both endpoints.
 */
function assertOneEndpointPerPath(options: MetricsServerOptions): void {
  // Checked also when the metrics start disabled: they can be switched on at run time.
  const paths: Record<string, string | false> = { path: options.path ?? DEFAULT_METRICS_CONFIG.path };
  if (options.health !== undefined) {
    const given = options.healthPaths ?? {};
    for (const key of ['summaryPath', 'livePath', 'readyPath'] as const) {
      paths[`healthPaths.${key}`] = given[key] ?? DEFAULT_HEALTH_PATHS[key];
    }
  }
  if (options.statusPage === true) {
    const given = options.statusPaths ?? {};
    for (const key of ['pagePath', 'dataPath'] as const) {
      paths[`statusPaths.${key}`] = given[key] ?? DEFAULT_STATUS_PATHS[key];
    }
  }
  assertDistinctPaths('createMetricsServer', paths);
}
