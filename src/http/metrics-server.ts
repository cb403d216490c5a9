import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import type { Registry } from '../registry.js';
import type { HealthChecks } from '../health/health-checks.js';
import { healthHandler, type HealthHandlerOptions } from '../health/health-handler.js';
import { statusHandler } from '../status/status-handler.js';
import { metricsHandler, type MetricsHandlerOptions } from './metrics-handler.js';

/** Options of {@link createMetricsServer}: the handler's, plus where to listen. */
export interface MetricsServerOptions extends MetricsHandlerOptions {
  readonly registry: Registry;
  /** Also serve these health checks (`/health`, `/health/live`, `/health/ready`). */
  readonly health?: HealthChecks | undefined;
  /** Paths of the health endpoints; `false` turns one off. */
  readonly healthPaths?: Omit<HealthHandlerOptions, 'access'> | undefined;
  /** Put the health endpoints behind the same token/CIDR policy as `/metrics`. Default `false` (open). */
  readonly protectHealth?: boolean | undefined;
  /** Serve the status page at `/` and `/status.json`, behind the same policy as `/metrics`. Default `false`. */
  readonly statusPage?: boolean | undefined;
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined;
  /** Default 9464; 0 picks a free port. */
  readonly port?: number | undefined;
}

/** A running metrics server. */
export interface MetricsServer {
  /** Where the metrics are, e.g. `http://127.0.0.1:9464/metrics`. */
  readonly url: string;
  /** The listening `node:http` server. */
  readonly server: Server;
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
  const { registry, host = '127.0.0.1', port = 9464 } = options;
  const metrics = metricsHandler(registry, options);
  const health =
    options.health === undefined
      ? undefined
      : healthHandler(options.health, { ...options.healthPaths, access: options.protectHealth === true ? options : undefined });
  const status = options.statusPage === true ? statusHandler(registry, { health: options.health, access: options }) : undefined;
  const server = createServer((request, response) => {
    const toMetrics = () => metrics(request, response);
    const toHealth = health === undefined ? toMetrics : () => health(request, response, toMetrics);
    if (status === undefined) toHealth();
    else status(request, response, toHealth);
  });
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
    url: `http://${urlHost}:${boundPort}${options.path ?? '/metrics'}`,
    server,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
