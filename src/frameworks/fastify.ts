// A fastify plugin (4 and 5): request metrics with fastify's own route templates, /metrics and the
// health endpoints, with nothing for the user to bridge. Written against the few methods it uses,
// so promlite needs no fastify dependency.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from '../core/registry.js';
import type { HealthChecks } from '../instrument/health-checks.js';
import { type HttpInstrumentationOptions, instrumentHttp } from '../instrument/http.js';
import { checkOptions, isHealthChecks, isObject, isRegistry } from '../options.js';
import { DEFAULT_METRICS_CONFIG } from '../serve/config.js';
import { DEFAULT_HEALTH_PATHS, healthHandler, type HealthHandlerOptions } from '../serve/health-handler.js';
import { metricsHandler, type MetricsHandlerOptions } from '../serve/metrics-handler.js';
import { PromliteError } from '../errors.js';

/** What the plugin reads of a fastify request. */
interface FastifyRequestLike {
  readonly raw: IncomingMessage;
  /** The route template that matched (fastify ≥ 4.10); undefined when none did. */
  readonly routeOptions?: { readonly url?: string | undefined } | undefined;
}

/** What the plugin uses of a fastify reply. */
interface FastifyReplyLike {
  readonly raw: ServerResponse;
  hijack(): unknown;
}

/** What the plugin uses of a fastify instance. */
export interface FastifyLike {
  addHook(
    name: 'onRequest',
    hook: (request: FastifyRequestLike, reply: FastifyReplyLike, done: () => void) => void,
  ): unknown;
  get(path: string, handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => void): unknown;
}

/** Options of {@link fastifyMetrics}. */
export interface FastifyMetricsOptions {
  readonly registry: Registry;
  /** Options of the request metrics, or `false` for none. */
  readonly http?: HttpInstrumentationOptions | false | undefined;
  /** Options of the metrics endpoint (path, token, ranges…), or `false` to serve none. */
  readonly metrics?: MetricsHandlerOptions | false | undefined;
  /** Health checks to serve at the health paths. */
  readonly health?: HealthChecks | undefined;
  /** Options of the health endpoints (paths, details, body…). */
  readonly healthOptions?: HealthHandlerOptions | undefined;
}

/**
 * Registers request metrics (route label = the template fastify matched), `/metrics` and, with
 * `health`, the health endpoints on a fastify 4 or 5 app: `app.register(fastifyMetrics, { registry })`.
 * Its hooks apply to the whole app (it is not encapsulated, as fastify-plugin would make it).
 * @throws PromliteError `INVALID_CONFIG` for bad options (passed to fastify's `done`).
 */
export function fastifyMetrics(
  fastify: FastifyLike,
  options: FastifyMetricsOptions,
  done: (error?: Error) => void,
): void {
  try {
    checkOptions(
      'fastifyMetrics',
      options,
      {
        registry: isRegistry,
        http: isOptionsOrFalse,
        metrics: isOptionsOrFalse,
        health: isHealthChecks,
        healthOptions: isObject,
      },
      { code: 'INVALID_CONFIG' },
    );
    if (options?.registry === undefined)
      throw new PromliteError('INVALID_CONFIG', 'fastifyMetrics: option "registry" is required');
    register(fastify, options);
  } catch (error) {
    done(error as Error);
    return;
  }
  done();
}

// Not encapsulated, so that the hook sees every route of the app; named in fastify's plugin tree.
Object.assign(fastifyMetrics, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'promlite',
});

function isOptionsOrFalse(value: unknown): string | undefined {
  return value === false || isObject(value) === undefined ? undefined : 'an object or false';
}

function register(fastify: FastifyLike, options: FastifyMetricsOptions): void {
  const { registry } = options;
  if (options.http !== false) {
    const given = options.http ?? {};
    const templates = new WeakMap<IncomingMessage, string>();
    const http = instrumentHttp(registry, {
      ...given,
      // The user's route function first; fastify's template otherwise.
      route: (request) => given.route?.(request) ?? templates.get(request),
    });
    fastify.addHook('onRequest', (request, reply, next) => {
      const template = request.routeOptions?.url;
      if (typeof template === 'string') templates.set(request.raw, template);
      http.middleware(request.raw, reply.raw, () => next());
    });
  }
  // Each endpoint writes its own response on the raw objects: fastify is told to keep out.
  const serve = (path: string, handler: (request: IncomingMessage, response: ServerResponse) => void) =>
    fastify.get(path, (request, reply) => {
      reply.hijack();
      handler(request.raw, reply.raw);
    });
  if (options.metrics !== false) {
    const metricsOptions = options.metrics ?? {};
    serve(metricsOptions.path ?? DEFAULT_METRICS_CONFIG.path, metricsHandler(registry, metricsOptions));
  }
  if (options.health !== undefined) {
    const healthOptions = options.healthOptions ?? {};
    const health = healthHandler(options.health, healthOptions);
    for (const key of ['summaryPath', 'livePath', 'readyPath'] as const) {
      const path = healthOptions[key] ?? DEFAULT_HEALTH_PATHS[key];
      if (path !== false) serve(path, health);
    }
  }
}
