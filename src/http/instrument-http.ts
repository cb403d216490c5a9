import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Counter, CounterChild } from '../counter.js';
import type { Histogram, HistogramChild } from '../histogram.js';
import type { Registry } from '../registry.js';
import { normalizeMethod, normalizeStatus, templatePath } from './route-label.js';

/** Options of {@link instrumentHttp}; `{}` works. */
export interface HttpInstrumentationOptions {
  /**
   * The route template of a request (`/users/:id`), read when the response ends — from your
   * framework, e.g. `(req) => req.route?.path`. Without it (or when it returns undefined),
   * the path is templated: query dropped, numeric/UUID/long-hex segments as `:id`, and
   * requests answered 404 share the route `(unmatched)`.
   */
  readonly route?: ((request: IncomingMessage) => string | undefined) | undefined;
  /** Buckets of `http_request_duration_seconds`. Default: the histogram defaults (5 ms … 10 s). */
  readonly buckets?: readonly number[] | undefined;
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

interface HttpMetrics {
  readonly requests: Counter<'method' | 'route' | 'status'>;
  readonly duration: Histogram<'method' | 'route'>;
  readonly requestBytes: Counter<'method' | 'route'>;
  readonly responseBytes: Counter<'method' | 'route'>;
}

/** The bound children of one method and route, so that a request costs no label lookups. */
interface RouteChildren {
  readonly duration: HistogramChild;
  readonly requestBytes: CounterChild;
  readonly responseBytes: CounterChild;
  readonly byStatus: Map<string, CounterChild>;
}

/** Routes whose children are kept; past this, requests look their series up each time. */
const MAX_CACHED_ROUTES = 1000;

/**
 * Measures HTTP requests: `<prefix>http_requests_total{method,route,status}`,
 * `<prefix>http_request_duration_seconds{method,route}`, `<prefix>http_requests_in_flight`,
 * `<prefix>http_request_size_bytes_total{method,route}` (request Content-Length) and
 * `<prefix>http_response_size_bytes_total{method,route}` (bytes written for the response,
 * headers included). Each request is counted exactly once — when the response finishes, or
 * with status 499 when the client leaves first. Label values are bounded: unknown methods
 * become `OTHER`, odd status codes `unknown`, and the registry's series limit still applies.
 * @example
 * const http = instrumentHttp(registry, { route: (req) => (req as express.Request).route?.path });
 * app.use(http.middleware);                         // express / connect
 * createServer(http.wrap(handler)).listen(8080);    // plain node:http
 */
export function instrumentHttp(registry: Registry, options: HttpInstrumentationOptions = {}): HttpInstrumentation {
  const byRoute = ['method', 'route'] as const;
  const metrics: HttpMetrics = {
    requests: registry.counter({ name: 'http_requests_total', help: 'HTTP requests answered, by method, route and status.', labelNames: ['method', 'route', 'status'] }),
    duration: registry.histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request to the end of the response, in seconds, by method and route.',
      labelNames: byRoute,
      ...(options.buckets === undefined ? {} : { buckets: options.buckets }),
    }),
    requestBytes: registry.counter({ name: 'http_request_size_bytes_total', help: 'Request body bytes (Content-Length), by method and route.', labelNames: byRoute }),
    responseBytes: registry.counter({ name: 'http_response_size_bytes_total', help: 'Response bytes written, headers included, by method and route.', labelNames: byRoute }),
  };
  // A plain count read at snapshot time: cheaper per request than a gauge's inc and dec.
  let inFlight = 0;
  registry.gauge({ name: 'http_requests_in_flight', help: 'HTTP requests being answered.', collect: () => inFlight });
  const routes = new Map<string, RouteChildren>();
  const childrenOf = (method: string, route: string): RouteChildren => {
    // Methods are normalized to a fixed set without spaces, so this key cannot collide.
    const key = `${method} ${route}`;
    let children = routes.get(key);
    if (children === undefined) {
      const labels = { method, route };
      children = {
        duration: metrics.duration.labels(labels),
        requestBytes: metrics.requestBytes.labels(labels),
        responseBytes: metrics.responseBytes.labels(labels),
        byStatus: new Map(),
      };
      if (routes.size < MAX_CACHED_ROUTES) routes.set(key, children);
    }
    return children;
  };
  const observe = (request: IncomingMessage, response: ServerResponse) => {
    inFlight++;
    return track(request, response, (status, seconds, responseBytes) => {
      inFlight--;
      const method = normalizeMethod(request.method);
      const route = routeOf(request, response, options.route);
      const children = childrenOf(method, route);
      let requests = children.byStatus.get(status);
      if (requests === undefined) {
        requests = metrics.requests.labels({ method, route, status });
        if (children.byStatus.size < 16) children.byStatus.set(status, requests);
      }
      requests.inc();
      children.duration.observe(seconds);
      const contentLength = Number(request.headers['content-length']);
      if (contentLength > 0 && Number.isSafeInteger(contentLength)) children.requestBytes.inc(contentLength);
      children.responseBytes.inc(responseBytes);
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
    done(status, (performance.now() - started) / 1000, Math.max(0, socket.bytesWritten - writtenBefore));
  });
  return () => {
    if (!response.headersSent) {
      response.statusCode = 500;
      response.end();
    }
  };
}

function routeOf(request: IncomingMessage, response: ServerResponse, route: HttpInstrumentationOptions['route']): string {
  let given: string | undefined;
  try {
    given = route?.(request);
  } catch {
    // A broken route function must not break the request it measures: fall back to the path.
    given = undefined;
  }
  if (typeof given === 'string' && given !== '') return given;
  // Without a router, every mistyped or probed path would be a series of its own.
  return response.statusCode === 404 ? '(unmatched)' : templatePath(request.url);
}
