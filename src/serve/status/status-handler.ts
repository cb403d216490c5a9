import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthChecks } from '../../instrument/health-checks.js';
import { accessOptionsCheck, createAccessGuard, type AccessOptions } from '../access/guard.js';
import { admitRequest, assertDistinctPaths, pathOf, sendBody, sendFailure } from '../endpoint.js';
import { checkArgument, checkOptions, isHealthChecks, isRegistry, isServedSource, isString } from '../../options.js';
import type { Registry } from '../../core/registry.js';
import { ownRegistryOf, type SnapshotSource } from '../../core/snapshot-source.js';
import { statusFromSnapshot } from './status-data.js';
import { statusPageHtml } from './status-page.js';

/** Options of {@link statusHandler}. */
export interface StatusHandlerOptions {
  /** Health checks to show (run on every refresh). */
  readonly health?: HealthChecks | undefined;
  /** Who may read the page: the same policy as `/metrics` (loopback only when empty). */
  readonly access?: AccessOptions | undefined;
  /** Where the page is. Default `/`. */
  readonly pagePath?: string | undefined;
  /** Where its data is (JSON). Default `/status.json`. */
  readonly dataPath?: string | undefined;
}

/** Where the status page and its data are unless told otherwise. */
export const DEFAULT_STATUS_PATHS = Object.freeze({ pagePath: '/', dataPath: '/status.json' });

const isAccessOptions = accessOptionsCheck('statusHandler access');

/**
 * Serves the status page at `pagePath` (`/`) and its data at `dataPath` (`/status.json`): health checks and, per job
 * kind, runs, failures, p95 duration and time since last success, from the registry's
 * snapshot. Other paths go to `next()`, or get 404. Every request is answered (500 when the
 * data cannot be built), whatever the registry's callbacks and the checks do. A `SnapshotSource`
 * (a `MetricsAggregator`) is read like a registry, its job families under its `registry`'s prefix.
 * @throws PromliteError `INVALID_CONFIG` for a registry that is not one or bad options.
 */
export function statusHandler(source: Registry | SnapshotSource, options: StatusHandlerOptions = {}) {
  checkArgument('statusHandler', source, isServedSource, 'INVALID_CONFIG');
  const registry = ownRegistryOf(source);
  const snapshot = async () =>
    isRegistry(source) === undefined ? registry.snapshotAsync() : (source as SnapshotSource).snapshot();
  checkOptions(
    'statusHandler',
    options,
    { health: isHealthChecks, access: isAccessOptions, pagePath: isString, dataPath: isString },
    { code: 'INVALID_CONFIG' },
  );
  const { pagePath = DEFAULT_STATUS_PATHS.pagePath, dataPath = DEFAULT_STATUS_PATHS.dataPath } = options;
  assertDistinctPaths('statusHandler', { pagePath, dataPath });
  const page = statusPageHtml(dataPath);
  const guard = createAccessGuard(options.access ?? {}, 'statusHandler access');
  return (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void => {
    const path = pathOf(request.url);
    if (!admitRequest(request, response, path === pagePath || path === dataPath, guard, next)) return;
    if (path === pagePath) {
      send(response, 'text/html; charset=utf-8', page);
      return;
    }
    Promise.all([options.health?.run() ?? null, snapshot()])
      .then(([health, snapshot]) => {
        const data = statusFromSnapshot(snapshot, registry.prefix, health, registry.now());
        send(response, 'application/json; charset=utf-8', `${JSON.stringify(data)}\n`);
      })
      .catch(() => sendFailure(response));
  };
}

/** Sends the page or its data, with headers that let nothing else load, run or frame it. */
function send(response: ServerResponse, contentType: string, body: string): void {
  if (response.destroyed) return;
  sendBody(response, 200, contentType, body, {
    // Everything the page needs is inline; nothing else may load or run.
    'Content-Security-Policy':
      "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    // The page shows operational data: no other site may frame it (clickjacking).
    'X-Frame-Options': 'DENY',
  });
}
