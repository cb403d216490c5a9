// The families HTTP instrumentation records into, with the names and labels a service chooses.
import type { CounterChild } from '../core/counter.js';
import type { ExemplarLabels } from '../core/exemplar.js';
import { DEFAULT_BUCKETS, type HistogramChild } from '../core/histogram.js';
import type { NativeHistogramOptions } from '../core/native-options.js';
import type { Registry } from '../core/registry.js';
import { PromliteError } from '../errors.js';

/**
 * Names of the families, without the registry prefix. `false` leaves a family out (not the
 * request counter). Defaults: `http_requests_total`, `http_request_duration_seconds`,
 * `http_request_size_bytes_total`, `http_response_size_bytes_total`, `http_requests_in_flight`.
 */
export interface HttpMetricNames {
  readonly requests?: string | undefined;
  readonly duration?: string | false | undefined;
  readonly requestSize?: string | false | undefined;
  readonly responseSize?: string | false | undefined;
  readonly inFlight?: string | false | undefined;
}

/**
 * Names of the labels. Defaults: `method`, `route`, `status`; no status class. `status: false`
 * drops the exact status; `statusClass: 'code'` adds the class (`2xx` … `5xx`) under that name.
 */
export interface HttpLabelNames {
  readonly method?: string | undefined;
  readonly route?: string | undefined;
  readonly status?: string | false | undefined;
  readonly statusClass?: string | false | undefined;
}

/** The shape of the duration histogram: classic buckets, and native buckets when asked for. */
export interface HttpDurationShape {
  readonly buckets?: readonly number[] | undefined;
  readonly native?: NativeHistogramOptions | undefined;
}

/** Records finished requests into the chosen families, through bound children cached per route. */
export interface HttpRecorder {
  /**
   * Counts one request. `status` is a normalised code (`200`, `499`, `unknown`); `exemplar`, when
   * given, goes with the request's count and its duration.
   */
  record(
    method: string,
    route: string,
    status: string,
    seconds: number,
    requestBytes: number,
    responseBytes: number,
    exemplar: ExemplarLabels | undefined,
  ): void;
}

/** The bound children of one method and route, so that a request costs no label lookups. */
interface RouteChildren {
  readonly duration: HistogramChild | undefined;
  readonly requestBytes: CounterChild | undefined;
  readonly responseBytes: CounterChild | undefined;
  readonly byStatus: Map<string, CounterChild>;
}

/**
 * Declares the families in `registry` and returns their recorder; `inFlight` is read at
 * snapshot time (a plain count costs less per request than a gauge's inc and dec).
 * @throws PromliteError as the registry's declarations do (a label named twice, a taken name).
 */
export function declareHttpMetrics(
  registry: Registry,
  names: HttpMetricNames,
  labels: HttpLabelNames,
  shape: HttpDurationShape,
  inFlight: () => number,
): HttpRecorder {
  const method = labels.method ?? 'method';
  const route = labels.route ?? 'route';
  const status = labels.status ?? 'status';
  const statusClass = labels.statusClass ?? false;
  const byRoute = [method, route];
  const requestLabels = [
    ...byRoute,
    ...(status === false ? [] : [status]),
    ...(statusClass === false ? [] : [statusClass]),
  ];
  if (new Set(requestLabels).size !== requestLabels.length) {
    throw new PromliteError(
      'INVALID_LABELS',
      `instrumentHttp: label names must differ, got ${requestLabels.join(', ')}`,
    );
  }
  const requests = registry.counter({
    name: names.requests ?? 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: requestLabels,
  });
  const optional = <T>(name: string | false | undefined, fallback: string, declare: (name: string) => T) =>
    name === false ? undefined : declare(name ?? fallback);
  const duration = optional(names.duration, 'http_request_duration_seconds', (name) =>
    registry.histogram({
      name,
      help: 'Time from request to the end of the response, in seconds, by method and route.',
      labelNames: byRoute,
      // With native buckets, the classic ones are kept (the defaults unless given), so that text
      // and OpenMetrics scrapers, and dashboards over `_bucket`, still get them.
      ...(shape.native === undefined
        ? shape.buckets === undefined
          ? {}
          : { buckets: shape.buckets }
        : { buckets: shape.buckets ?? DEFAULT_BUCKETS, native: shape.native }),
    }),
  );
  const requestSize = optional(names.requestSize, 'http_request_size_bytes_total', (name) =>
    registry.counter({ name, help: 'Request body bytes (Content-Length), by method and route.', labelNames: byRoute }),
  );
  const responseSize = optional(names.responseSize, 'http_response_size_bytes_total', (name) =>
    registry.counter({
      name,
      help: 'Response bytes written, headers included, by method and route.',
      labelNames: byRoute,
    }),
  );
  optional(names.inFlight, 'http_requests_in_flight', (name) =>
    registry.gauge({ name, help: 'HTTP requests being answered.', collect: inFlight }),
  );

  // Bounded: at most (maxRoutes + 1) routes times the fixed set of methods.
  const children = new Map<string, RouteChildren>();
  const childrenOf = (methodValue: string, routeValue: string): RouteChildren => {
    // Methods are normalized to a fixed set without spaces, so this key cannot collide.
    const key = `${methodValue} ${routeValue}`;
    let found = children.get(key);
    if (found === undefined) {
      const values = { [method]: methodValue, [route]: routeValue };
      found = {
        duration: duration?.labels(values),
        requestBytes: requestSize?.labels(values),
        responseBytes: responseSize?.labels(values),
        byStatus: new Map(),
      };
      children.set(key, found);
    }
    return found;
  };
  return {
    record(methodValue, routeValue, statusValue, seconds, requestBytes, responseBytes, exemplar) {
      const routeChildren = childrenOf(methodValue, routeValue);
      let counter = routeChildren.byStatus.get(statusValue);
      if (counter === undefined) {
        const values: Record<string, string> = { [method]: methodValue, [route]: routeValue };
        if (status !== false) values[status] = statusValue;
        if (statusClass !== false) values[statusClass] = classOf(statusValue);
        counter = requests.labels(values);
        // Statuses are normalized to at most 501 values; caching them all is still bounded.
        routeChildren.byStatus.set(statusValue, counter);
      }
      counter.inc(1, exemplar);
      routeChildren.duration?.observe(seconds, exemplar);
      if (requestBytes > 0) routeChildren.requestBytes?.inc(requestBytes);
      routeChildren.responseBytes?.inc(responseBytes);
    },
  };
}

/** `2xx` for `200`…`299` and so on; `unknown` stays `unknown`. */
function classOf(status: string): string {
  return /^[1-5]\d\d$/.test(status) ? `${status[0]}xx` : 'unknown';
}
