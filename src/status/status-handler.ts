import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HealthChecks } from '../health/health-checks.js';
import { admitRequest, createAccessGuard, pathOf, type AccessOptions } from '../http/guard.js';
import type { Registry } from '../registry.js';
import { statusFromSnapshot } from './status-data.js';
import { STATUS_PAGE_HTML } from './status-page.js';

/** Options of {@link statusHandler}. */
export interface StatusHandlerOptions {
  /** Health checks to show (run on every refresh). */
  readonly health?: HealthChecks | undefined;
  /** Who may read the page: the same policy as `/metrics` (loopback only when empty). */
  readonly access?: AccessOptions | undefined;
}

/**
 * Serves the status page at `/` and its data at `/status.json`: health checks and, per job
 * kind, runs, failures, p95 duration and time since last success, from the registry's
 * snapshot. Other paths go to `next()`, or get 404.
 */
export function statusHandler(registry: Registry, options: StatusHandlerOptions = {}) {
  const guard = createAccessGuard(options.access ?? {});
  return (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void => {
    const path = pathOf(request.url);
    if (!admitRequest(request, response, path === '/' || path === '/status.json', guard, next)) return;
    if (path === '/') {
      send(response, 'text/html; charset=utf-8', STATUS_PAGE_HTML);
      return;
    }
    void (options.health?.run() ?? Promise.resolve(null)).then((health) => {
      const data = statusFromSnapshot(registry.snapshot(), registry.prefix, health, Date.now());
      send(response, 'application/json; charset=utf-8', `${JSON.stringify(data)}\n`);
    });
  };
}

function send(response: ServerResponse, contentType: string, body: string): void {
  response.writeHead(200, {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    // Everything the page needs is inline; nothing else may load or run.
    'Content-Security-Policy': "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'",
    'X-Content-Type-Options': 'nosniff',
  });
  response.end(response.req?.method === 'HEAD' ? undefined : body);
}
