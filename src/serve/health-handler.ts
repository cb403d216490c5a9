import type { IncomingMessage, ServerResponse } from 'node:http';
import { accessOptionsCheck, createAccessGuard, type AccessGuard, type AccessOptions } from './access/guard.js';
import { admitRequest, assertPath, pathOf, sendBody, sendFailure } from './endpoint.js';
import {
  checkArgument,
  checkOptions,
  either,
  isFalse,
  isHealthChecks,
  isString,
  type OptionCheck,
} from '../options.js';
import type { HealthChecks, HealthReport } from '../instrument/health-checks.js';

/** Who sees each check's `details` (error text, which can name hosts, users, databases). */
export type HealthDetailsPolicy = 'admitted' | 'always' | 'never';

/** Options of {@link healthHandler}. A path set to `false` turns that endpoint off (404). */
export interface HealthHandlerOptions {
  /** Summary of every check. Default `/health`. */
  readonly summaryPath?: string | false | undefined;
  /** Liveness: the process answers; runs no check. Default `/health/live`. */
  readonly livePath?: string | false | undefined;
  /** Readiness: every check. Default `/health/ready`. */
  readonly readyPath?: string | false | undefined;
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
    },
    { code: 'INVALID_CONFIG' },
  );
  const summaryPath = options.summaryPath ?? '/health';
  const livePath = options.livePath ?? '/health/live';
  const readyPath = options.readyPath ?? '/health/ready';
  for (const [what, path] of [
    ['summaryPath', summaryPath],
    ['livePath', livePath],
    ['readyPath', readyPath],
  ] as const) {
    if (path !== false) assertPath(`health handler ${what}`, path);
  }
  const guard = options.access === undefined ? undefined : createAccessGuard(options.access, 'healthHandler access');
  const showDetails = detailsDecider(options.details ?? 'admitted', guard, options.detailsAccess);

  return (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void => {
    const path = pathOf(request.url);
    const endpoint = path === livePath ? 'live' : path === readyPath || path === summaryPath ? 'checks' : undefined;
    if (!admitRequest(request, response, endpoint !== undefined, guard, next)) return;
    if (endpoint === 'live') {
      sendReport(response, { status: 'up', checks: [] });
      return;
    }
    const withDetails = showDetails(request);
    health.run().then(
      (report) => sendReport(response, withDetails ? report : withoutDetails(report)),
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
interface ReportWithoutDetails {
  readonly status: HealthReport['status'];
  readonly checks: readonly { readonly component: string; readonly status: 'up' | 'down' }[];
}

function withoutDetails(report: HealthReport): ReportWithoutDetails {
  return { status: report.status, checks: report.checks.map(({ component, status }) => ({ component, status })) };
}

/** Sends the report; never throws (a client may be gone, a report unserialisable). */
function sendReport(response: ServerResponse, report: HealthReport | ReportWithoutDetails): void {
  try {
    if (response.headersSent || response.destroyed) return;
    sendBody(
      response,
      report.status === 'down' ? 503 : 200,
      'application/json; charset=utf-8',
      `${JSON.stringify(report)}\n`,
    );
  } catch {
    sendFailure(response);
  }
}
