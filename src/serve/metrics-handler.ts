import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../core/registry.js';
import { PromliteError } from '../errors.js';
import { ownRegistryOf, type SnapshotSource } from '../core/snapshot-source.js';
import {
  checkArgument,
  checkOptions,
  describeValue,
  integerIn,
  isBoolean,
  isServedSource,
  isString,
} from '../options.js';
import { ACCESS_OPTION_CHECKS, createAccessGuard, type AccessOptions } from './access/guard.js';
import { DEFAULT_METRICS_CONFIG } from './config.js';
import { admitRequest, assertPath, pathOf, sendStatus } from './endpoint.js';
import { serveScrape, type ScrapeContext, type ScrapeState } from './scrape-response.js';
import { TurnQueue } from './turn-queue.js';
import { RenderBufferPool } from './render-buffers.js';

/** Options of {@link metricsHandler}; `{}` serves `/metrics` to loopback clients only. */
export interface MetricsHandlerOptions extends AccessOptions {
  /** `false` answers the path with 404, exactly like an unknown path. Default `true`. */
  readonly enabled?: boolean | undefined;
  /** Default `/metrics`. */
  readonly path?: string | undefined;
  /** Answer OpenMetrics when the client prefers it. Default `true`. */
  readonly openMetrics?: boolean | undefined;
  /**
   * Answer the Prometheus protobuf format (native histograms) to a scraper that names it in its
   * `Accept` header; never sent to one that did not ask. Default `true`.
   */
  readonly protobuf?: boolean | undefined;
  /** Compress when the client accepts gzip. Default `true`. */
  readonly gzip?: boolean | undefined;
  /** Scrapes answered at once; more get 503. Default 10. */
  readonly maxConcurrentScrapes?: number | undefined;
  /**
   * A scrape whose client has not taken the whole response this many milliseconds after the
   * request is cut off, its slot freed, and counted as `timeout`. Default 10,000 (Prometheus's
   * default scrape timeout).
   */
  readonly scrapeTimeoutMs?: number | undefined;
  /**
   * How long a scrape waits for a collect function or collector that returns a promise; one that
   * takes longer is left out of that scrape and counted in `promlite_collect_errors_total`.
   * Default 5,000.
   */
  readonly collectTimeoutMs?: number | undefined;
}

/** The keys and checks of {@link MetricsHandlerOptions}, for the functions that pass them on. */
export const METRICS_HANDLER_OPTION_CHECKS = {
  ...ACCESS_OPTION_CHECKS,
  enabled: isBoolean,
  path: isString,
  openMetrics: isBoolean,
  protobuf: isBoolean,
  gzip: isBoolean,
  maxConcurrentScrapes: integerIn(1, 100_000),
  scrapeTimeoutMs: integerIn(1, 3_600_000),
  collectTimeoutMs: integerIn(1, 3_600_000),
} as const;

/** A `node:http` request listener that also works as express/connect middleware. */
export interface MetricsHandler {
  (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
  /**
   * Whether the path is served: set it to `false` at run time and the path answers 404 (or goes
   * to `next()`), exactly as an unknown path does, until it is set to `true` again. Starts as the
   * `enabled` option. Scrapes already being answered finish.
   * @throws PromliteError `INVALID_CONFIG` when set to anything but a boolean.
   */
  enabled: boolean;
}

/**
 * Serves a registry's metrics over HTTP: GET and HEAD on the path, text 0.0.4 or OpenMetrics
 * by the `Accept` header, gzip by `Accept-Encoding`, access by bearer token and/or client
 * address (loopback only when neither is configured). Paths it does not own go to `next()`
 * when given, or get 404. Concurrent scrapes that ask for the same format and encoding share
 * one snapshot and render; large ones are done in slices of a few milliseconds, one per
 * event-loop turn. Registers `<prefix>promlite_scrape_duration_seconds` and
 * `<prefix>promlite_scrape_errors_total{cause}` in the registry. Serves a `SnapshotSource` (a
 * `MetricsAggregator`, say) as it serves a registry: its snapshot is awaited, then rendered in slices.
 * @throws PromliteError `INVALID_CONFIG` for a bad or unknown option, path, token, address range or limit.
 * @example
 * http.createServer(metricsHandler(registry, { token: process.env.METRICS_TOKEN })).listen(9464);
 */
export function metricsHandler(
  registry: Registry | SnapshotSource,
  options: MetricsHandlerOptions = {},
): MetricsHandler {
  checkArgument('metricsHandler', registry, isServedSource, 'INVALID_CONFIG');
  checkOptions('metricsHandler', options, METRICS_HANDLER_OPTION_CHECKS, { code: 'INVALID_CONFIG', secret: ['token'] });
  const path = options.path ?? DEFAULT_METRICS_CONFIG.path;
  assertPath('metrics handler', path);
  const maxConcurrent = options.maxConcurrentScrapes ?? 10;
  const scrapeTimeoutMs = options.scrapeTimeoutMs ?? 10_000;
  let enabled = options.enabled ?? DEFAULT_METRICS_CONFIG.enabled;
  const guard = createAccessGuard(options, 'metricsHandler');
  const scrape: ScrapeContext = {
    registry,
    openMetrics: options.openMetrics ?? true,
    protobuf: options.protobuf ?? true,
    gzip: options.gzip ?? true,
    collectTimeoutMs: options.collectTimeoutMs ?? 5000,
    metrics: registerScrapeMetrics(ownRegistryOf(registry)),
    turns: new TurnQueue(),
    bodies: new Map(),
    renderBuffers: new RenderBufferPool(),
  };
  let inFlight = 0;
  const countRefusal = (status: 401 | 403) =>
    scrape.metrics.errors.inc({ cause: status === 401 ? 'unauthorized' : 'forbidden' });

  const handler = (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void) => {
    const owned = enabled && pathOf(request.url) === path;
    if (!admitRequest(request, response, owned, guard, next, countRefusal)) return;
    if (inFlight >= maxConcurrent) {
      scrape.metrics.errors.inc({ cause: 'overloaded' });
      sendStatus(response, 503);
      return;
    }
    inFlight++;
    const state: ScrapeState = { timedOut: false };
    // A client that stops reading must not hold a slot for longer than a scrape may take.
    const deadline = setTimeout(() => {
      state.timedOut = true;
      scrape.metrics.errors.inc({ cause: 'timeout' });
      response.destroy();
    }, scrapeTimeoutMs);
    deadline.unref();
    response.once('close', () => {
      inFlight--;
      clearTimeout(deadline);
    });
    void serveScrape(scrape, state, request, response);
  };
  return Object.defineProperty(handler, 'enabled', {
    enumerable: true,
    get: () => enabled,
    set: (value: unknown) => {
      if (typeof value !== 'boolean') {
        throw new PromliteError(
          'INVALID_CONFIG',
          `metricsHandler: "enabled" must be a boolean, got ${describeValue(value)}`,
        );
      }
      enabled = value;
    },
  }) as MetricsHandler;
}

/** The handler's own metrics, registered in the registry it serves. */
function registerScrapeMetrics(registry: Registry): ScrapeContext['metrics'] {
  return {
    duration: registry.histogram({
      name: 'promlite_scrape_duration_seconds',
      help: 'Time to answer a scrape of /metrics: snapshot, render, compression and sending.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    }),
    errors: registry.counter({
      name: 'promlite_scrape_errors_total',
      help: 'Scrapes refused or failed, by cause: unauthorized, forbidden, overloaded, render, aborted, timeout.',
      labelNames: ['cause'],
    }),
  };
}
