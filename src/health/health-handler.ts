import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { admitRequest, assertPath, createAccessGuard, pathOf, type AccessOptions } from '../http/guard.js';
import type { HealthChecks, HealthReport } from './health-checks.js';

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
   * open: orchestrator probes send no tokens, and the report holds no metric values.
   */
  readonly access?: AccessOptions | undefined;
}

/**
 * Serves health endpoints as JSON — `{ "status": "up" | "degraded" | "down", "checks": [...] }`,
 * 200 when up or degraded, 503 when down. Paths it does not own go to `next()` when given, or
 * get 404. Works as a `node:http` listener and as express/connect middleware.
 * @throws PromliteError `INVALID_CONFIG` for a bad path or access option.
 */
export function healthHandler(health: HealthChecks, options: HealthHandlerOptions = {}) {
  const summaryPath = options.summaryPath ?? '/health';
  const livePath = options.livePath ?? '/health/live';
  const readyPath = options.readyPath ?? '/health/ready';
  for (const [what, path] of [['summaryPath', summaryPath], ['livePath', livePath], ['readyPath', readyPath]] as const) {
    if (path !== false) assertPath(`health handler ${what}`, path);
  }
  const guard = options.access === undefined ? undefined : createAccessGuard(options.access);

  return (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void => {
    const path = pathOf(request.url);
    const endpoint = path === livePath ? 'live' : path === readyPath || path === summaryPath ? 'checks' : undefined;
    if (!admitRequest(request, response, endpoint !== undefined, guard, next)) return;
    if (endpoint === 'live') {
      sendReport(response, { status: 'up', checks: [] });
      return;
    }
    void health.run().then((report) => sendReport(response, report));
  };
}

function sendReport(response: ServerResponse, report: HealthReport): void {
  const body = `${JSON.stringify(report)}\n`;
  response.writeHead(report.status === 'down' ? 503 : 200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  });
  response.end(response.req?.method === 'HEAD' ? undefined : body);
}
