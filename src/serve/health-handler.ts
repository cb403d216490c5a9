import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessOptionsCheck, createAccessGuard, type AccessGuard, type AccessOptions } from './access/guard.js';
import { admitRequest, assertDistinctPaths, pathOf, sendBody, sendFailure } from './endpoint.js';
import {
  checkArgument,
  checkOptions,
  either,
  isFalse,
  isFunction,
  isHealthChecks,
  isString,
  type OptionCheck,
} from '../options.js';
import type { HealthChecks, HealthReport } from '../instrument/health-checks.js';
import { callUserCallback } from '../callbacks.js';

/**
 * The report as a caller is shown it: callers not admitted to details see each check's
 * `component` and `status` only (no `details`, no `durationMs`).
 */
export interface ShownHealthReport {
  readonly status: HealthReport['status'];
  readonly checks: readonly {
    readonly component: string;
    readonly status: 'up' | 'down';
    readonly details?: string;
    readonly durationMs?: number;
  }[];
}

/** Which endpoint answers: the summary (every check), liveness or readiness. */
export type HealthEndpoint = 'summary' | 'live' | 'ready';

/** Who sees each check's `details` (error text, which can name hosts, users, databases). */
export type HealthDetailsPolicy = 'admitted' | 'always' | 'never';

/** Options of {@link healthHandler}. A path set to `false` turns that endpoint off (404). */
export interface HealthHandlerOptions {
  /** Summary of every check. Default `/health`. */
  readonly summaryPath?: string | false | undefined;
  /** Liveness: the checks added with `probes: ['live']` (none: up while the process answers). Default `/health/live`. */
  readonly livePath?: string | false | undefined;
  /** Readiness: the checks added for `ready` (the default probe). Default `/health/ready`. */
  readonly readyPath?: string | false | undefined;
  /**
   * The JSON a service's contract promises, made from the report (after the details policy)
   * and the endpoint; the status code stays 200 / 503. Default: the report itself,
   * `{ status, checks: [{ component, status, details?, durationMs }] }`. A function that throws
   * or returns something JSON cannot hold gets the default body instead.
   */
  readonly body?: ((report: ShownHealthReport, endpoint: HealthEndpoint) => unknown) | undefined;
  /**
   * Put the endpoints behind this access policy (the one `/metrics` uses). By default they are
   * open: orchestrator probes send no tokens.
   */
  readonly access?: AccessOptions | undefined;
  /**
   * Who sees `details`: `admitted` (default) — callers that `detailsAccess` (or `access`, when
   * set) admits; others get component names and statuses only. `always` or `never` for all.
   */
  readonly details?: HealthDetailsPolicy | undefined;
  /**
   * The policy that admits callers to `details` while the endpoints themselves are open.
   * Default: loopback clients only, like `/metrics` with no token or ranges.
   * `createMetricsServer` passes its `/metrics` policy.
   */
  readonly detailsAccess?: AccessOptions | undefined;
}

/** Where the health endpoints are unless told otherwise. */
export const DEFAULT_HEALTH_PATHS = Object.freeze({
  summaryPath: '/health',
  livePath: '/health/live',
  readyPath: '/health/ready',
});

const isPathOrFalse = either(isString, isFalse);
const isAccessOptions = accessOptionsCheck('healthHandler access');
const isDetailsPolicy: OptionCheck = (value) =>
  value === 'admitted' || value === 'always' || value === 'never' ? undefined : '"admitted", "always" or "never"';

/**
 * Serves health endpoints as JSON — `{ "status": "up" | "degraded" | "down", "checks": [...] }`,
 * 200 when up or degraded, 503 when down. Paths it does not own go to `next()` when given, or
 * get 404. Works as a `node:http` listener and as express/connect middleware. Every request is
 * answered, whatever the checks throw, return or leave hanging; concurrent requests share one
 * run of the checks.
 * @throws PromliteError `INVALID_CONFIG` for a bad path, access option or unknown option.
 */
export function healthHandler(health: HealthChecks, options: HealthHandlerOptions = {}) {
  checkArgument('healthHandler', health, isHealthChecks, 'INVALID_CONFIG');
  checkOptions(
    'healthHandler',
    options,
    {
      summaryPath: isPathOrFalse,
      livePath: isPathOrFalse,
      readyPath: isPathOrFalse,
      access: isAccessOptions,
      details: isDetailsPolicy,
      detailsAccess: isAccessOptions,
      body: isFunction,
    },
    { code: 'INVALID_CONFIG' },
  );
  const summaryPath = options.summaryPath ?? DEFAULT_HEALTH_PATHS.summaryPath;
  const livePath = options.livePath ?? DEFAULT_HEALTH_PATHS.livePath;
  const readyPath = options.readyPath ?? DEFAULT_HEALTH_PATHS.readyPath;
  assertDistinctPaths('healthHandler', { summaryPath, livePath, readyPath });
  const guard = options.access === undefined ? undefined : createAccessGuard(options.access, 'healthHandler access');
  const body = options.body;
  const showDetails = detailsDecider(options.details ?? 'admitted', guard, options.detailsAccess);

  return (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void => {
    const path = pathOf(request.url);
    const endpoint: HealthEndpoint | undefined =
      path === livePath ? 'live' : path === readyPath ? 'ready' : path === summaryPath ? 'summary' : undefined;
    if (!admitRequest(request, response, endpoint !== undefined, guard, next)) return;
    const withDetails = showDetails(request);
    health.run(endpoint === 'summary' ? undefined : endpoint).then(
      (report) => sendReport(response, withDetails ? report : withoutDetails(report), endpoint as HealthEndpoint, body),
      () => sendFailure(response),
    );
  };
}

/** Whether a request may see details: decided once per request, before the checks run. */
function detailsDecider(
  policy: HealthDetailsPolicy,
  guard: AccessGuard | undefined,
  detailsAccess: AccessOptions | undefined,
): (request: IncomingMessage) => boolean {
  if (policy !== 'admitted') return () => policy === 'always';
  // Callers that got past `access` are admitted already.
  if (guard !== undefined && detailsAccess === undefined) return () => true;
  const detailsGuard = createAccessGuard(detailsAccess ?? {}, 'healthHandler detailsAccess');
  return (request) => detailsGuard(request).allowed;
}

/** What callers not admitted to details see: component names and statuses only. */
function withoutDetails(report: HealthReport): ShownHealthReport {
  return { status: report.status, checks: report.checks.map(({ component, status }) => ({ component, status })) };
}

/** Sends the report, shaped by `body` when given; never throws (a client may be gone, a report unserialisable). */
function sendReport(
  response: ServerResponse,
  report: ShownHealthReport,
  endpoint: HealthEndpoint,
  body: HealthHandlerOptions['body'],
): void {
  try {
    if (response.headersSent || response.destroyed) return;
    const json = (body === undefined ? undefined : shapedJson(body, report, endpoint)) ?? JSON.stringify(report);
    sendBody(response, report.status === 'down' ? 503 : 200, 'application/json; charset=utf-8', `${json}\n`);
  } catch {
    sendFailure(response);
  }
}

/** The user's body as JSON, or `undefined` when the function throws or returns what JSON cannot hold. */
function shapedJson(
  body: NonNullable<HealthHandlerOptions['body']>,
  report: ShownHealthReport,
  endpoint: HealthEndpoint,
) {
  const outcome = callUserCallback(body, report, endpoint);
  if (!outcome.ok) return undefined;
  try {
    const json: unknown = JSON.stringify(outcome.value);
    return typeof json === 'string' ? json : undefined;
  } catch {
    return undefined;
  }
}
