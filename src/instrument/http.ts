import type { IncomingMessage, ServerResponse } from 'node:http';
import { callUserCallback } from '../callbacks.js';
import {
  checkArgument,
  checkOptions,
  either,
  integerIn,
  isFalse,
  isFunction,
  isNumberArray,
  isObject,
  isRegistry,
  isString,
} from '../options.js';
import { expressRoute, watchMatchedRoute } from './express-route.js';
import { declareHttpMetrics, type HttpLabelNames, type HttpMetricNames } from './http-metrics.js';
import type { NativeHistogramOptions } from '../core/native-options.js';
import type { Registry } from '../core/registry.js';
import { readExemplar, type RequestExemplar } from './request-exemplar.js';
import { normalizeMethod, normalizeStatus, templatePath } from './route-label.js';

/** Options of {@link instrumentHttp}; `{}` works. */
export interface HttpInstrumentationOptions {
  /**
   * The route template of a request (`/users/:id`), read when the response ends. express needs
   * none: the route it matched is captured as it matches, mount prefix included (see
   * `expressRoute`). Other routers: read it from the framework. Without one (or when it returns
   * undefined), the path is templated: query dropped, numeric/UUID/long-hex segments as `:id`,
   * and requests answered 404 share the route `(unmatched)`.
   */
  readonly route?: ((request: IncomingMessage) => string | undefined) | undefined;
  /** Buckets of `http_request_duration_seconds`. Default: the histogram defaults (5 ms … 10 s). */
  readonly buckets?: readonly number[] | undefined;
  /**
   * Native buckets for `http_request_duration_seconds` too (`{}`: the defaults, see
   * `NativeHistogramOptions`); the classic buckets are kept, so text scrapers still get them.
   */
  readonly native?: NativeHistogramOptions | undefined;
  /**
   * The exemplar of a request, read when its response ends (`(req) => ({ trace_id })`), kept
   * with its count and its duration. A callback that throws or returns anything but an object
   * of strings under valid label names gives that request no exemplar; the request is measured.
   */
  readonly exemplar?: RequestExemplar | undefined;
  /**
   * Most distinct routes recorded. Routes seen before the limit keep recording; requests to
   * routes first seen after it are recorded under the route `(overflow)` and counted in
   * `<prefix>promlite_http_route_overflow_total`, so that a flood of junk paths can neither
   * grow memory nor push real routes out. Default 200.
   */
  readonly maxRoutes?: number | undefined;
  /** Names of the families, when a service already has its own (see {@link HttpMetricNames}). */
  readonly names?: HttpMetricNames | undefined;
  /** Names of the labels, and an optional status class label (see {@link HttpLabelNames}). */
  readonly labels?: HttpLabelNames | undefined;
}

/** A request listener, sync or async. */
export type RequestListener = (request: IncomingMessage, response: ServerResponse) => unknown;

/** What {@link instrumentHttp} returns. */
export interface HttpInstrumentation {
  /** Wraps a `node:http` request listener; errors it throws or rejects with pass through unchanged. */
  wrap<T extends RequestListener>(listener: T): RequestListener;
  /** The same measurements as express/connect middleware: mount it first. */
  middleware(request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void;
}

/** Status recorded for a request whose client left before the response finished (nginx's 499). */
export const CLIENT_CLOSED_STATUS = '499';

/** The route of requests to routes first seen after `maxRoutes` distinct ones. */
export const OVERFLOW_ROUTE = '(overflow)';

/** Longer route strings are not templates but junk: they go to the overflow route. */
const MAX_ROUTE_LENGTH = 256;

/**
 * Measures HTTP requests: `<prefix>http_requests_total{method,route,status}`,
 * `<prefix>http_request_duration_seconds{method,route}`, `<prefix>http_requests_in_flight`,
 * `<prefix>http_request_size_bytes_total{method,route}` (request Content-Length) and
 * `<prefix>http_response_size_bytes_total{method,route}` (bytes written for the response,
 * headers included). Each request is counted exactly once — when the response finishes, or
 * with status 499 when the client leaves first. Label values are bounded: unknown methods
 * become `OTHER`, odd status codes `unknown`, and the registry's series limit still applies.
 * @example
 * const http = instrumentHttp(registry);
 * app.use(http.middleware);                         // express / connect
 * createServer(http.wrap(handler)).listen(8080);    // plain node:http
 */
export function instrumentHttp(registry: Registry, options: HttpInstrumentationOptions = {}): HttpInstrumentation {
  checkArgument('instrumentHttp', registry, isRegistry);
  checkOptions('instrumentHttp', options, {
    route: isFunction,
    buckets: isNumberArray,
    native: isObject,
    exemplar: isFunction,
    maxRoutes: integerIn(1, 100_000),
    names: isObject,
    labels: isObject,
  });
  const nameOrOff = either(isString, isFalse);
  checkOptions('instrumentHttp names', options.names, {
    requests: isString,
    duration: nameOrOff,
    requestSize: nameOrOff,
    responseSize: nameOrOff,
    inFlight: nameOrOff,
  });
  checkOptions('instrumentHttp labels', options.labels, {
    method: isString,
    route: isString,
    status: nameOrOff,
    statusClass: nameOrOff,
  });
  const maxRoutes = options.maxRoutes ?? 200;
  const exemplarOf = options.exemplar;
  // A plain count read at snapshot time: cheaper per request than a gauge's inc and dec.
  let inFlight = 0;
  const recorder = declareHttpMetrics(
    registry,
    options.names ?? {},
    options.labels ?? {},
    { buckets: options.buckets, native: options.native },
    () => inFlight,
  );
  const routeOverflow = registry.counter({
    name: 'promlite_http_route_overflow_total',
    help: 'HTTP requests recorded under the route (overflow) because maxRoutes distinct routes had been seen first.',
  });
  const knownRoutes = new Set<string>();
  /** The route label to record: the route itself while it is known or there is room, else the overflow value. */
  const admitRoute = (route: string): string => {
    if (knownRoutes.has(route)) return route;
    if (knownRoutes.size < maxRoutes && route.length <= MAX_ROUTE_LENGTH) {
      knownRoutes.add(route);
      return route;
    }
    routeOverflow.inc();
    return OVERFLOW_ROUTE;
  };
  const observe = (request: IncomingMessage, response: ServerResponse) => {
    inFlight++;
    watchMatchedRoute(request);
    return track(request, response, (status, seconds, responseBytes) => {
      inFlight--;
      const method = normalizeMethod(request.method);
      const route = admitRoute(routeOf(request, response, options.route));
      const contentLength = Number(request.headers['content-length']);
      const requestBytes = contentLength > 0 && Number.isSafeInteger(contentLength) ? contentLength : 0;
      const exemplar = exemplarOf === undefined ? undefined : readExemplar(exemplarOf, request);
      recorder.record(method, route, status, seconds, requestBytes, responseBytes, exemplar);
    });
  };
  return {
    wrap(listener) {
      return (request, response) => {
        const failed = observe(request, response);
        let result: unknown;
        try {
          result = listener(request, response);
        } catch (error) {
          failed();
          throw error;
        }
        if (result instanceof Promise) {
          return result.catch((error: unknown) => {
            failed();
            throw error;
          });
        }
        return result;
      };
    },
    middleware(request, response, next) {
      observe(request, response);
      next();
    },
  };
}

/**
 * Starts measuring one request; calls `done` once, when the response has gone out (or the
 * client left first: status 499). Returns what to call when the handler failed: answer 500
 * if nothing was sent.
 */
function track(
  request: IncomingMessage,
  response: ServerResponse,
  done: (status: string, seconds: number, responseBytes: number) => void,
): () => void {
  const started = performance.now();
  const socket = request.socket;
  const writtenBefore = socket.bytesWritten;
  // 'close' follows 'finish' for every response, and also comes alone when the client leaves:
  // one listener sees both.
  response.once('close', () => {
    const status = response.writableFinished ? normalizeStatus(response.statusCode) : CLIENT_CLOSED_STATUS;
    try {
      done(status, (performance.now() - started) / 1000, Math.max(0, socket.bytesWritten - writtenBefore));
    } catch {
      // This runs in an event listener of the host's response: a measurement that fails must
      // never become the host's uncaught exception.
    }
  });
  return () => {
    if (!response.headersSent) {
      response.statusCode = 500;
      response.end();
    }
  };
}

function routeOf(
  request: IncomingMessage,
  response: ServerResponse,
  route: HttpInstrumentationOptions['route'],
): string {
  // A broken route function (throwing, rejecting, returning junk) must not break the request it
  // measures: fall back to the path.
  const outcome = route === undefined ? undefined : callUserCallback(route, request);
  const given = outcome?.ok === true ? outcome.value : undefined;
  if (typeof given === 'string' && given !== '') return given;
  const matched = expressRoute(request);
  if (matched !== undefined) return matched;
  // Without a router, every mistyped or probed path would be a series of its own.
  return response.statusCode === 404 ? '(unmatched)' : templatePath(request.url);
}
