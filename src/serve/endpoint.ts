import { Buffer } from 'node:buffer';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PromliteError } from '../errors.js';
import type { AccessGuard } from './access/guard.js';

// What every promlite endpoint does around its own answer: own a path, admit the request, and
// send a whole body (honouring HEAD) or a bare status.

const REASONS: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Answers with a whole body: `Content-Type`, `Content-Length`, `Cache-Control: no-store` (every
 * promlite answer is live data), then `headers`. A HEAD request gets the same headers and no
 * body (RFC 9110 §9.3.2). Throws only what `writeHead`/`end` throw.
 */
export function sendBody(
  response: ServerResponse,
  status: number,
  contentType: string,
  body: string | Buffer,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
    ...headers,
  });
  response.end(response.req?.method === 'HEAD' ? undefined : body);
}

/** The headers each bare status calls for. */
const STATUS_HEADERS: Readonly<Partial<Record<number, Readonly<Record<string, string>>>>> = {
  401: { 'WWW-Authenticate': 'Bearer realm="metrics"' },
  405: { Allow: 'GET, HEAD' },
  503: { 'Retry-After': '1' },
};

/**
 * Answers with a bare status: a one-line plain-text body that says nothing more than the
 * status, plus the headers the status calls for (`WWW-Authenticate`, `Allow`, `Retry-After`).
 */
export function sendStatus(response: ServerResponse, status: 401 | 403 | 404 | 405 | 500 | 503): void {
  sendBody(response, status, 'text/plain; charset=utf-8', `${REASONS[status]}\n`, { ...STATUS_HEADERS[status] });
}

/**
 * Answers a request whose answer could not be made with 500, or, when headers are out already,
 * drops the connection: a broken response is the only honest signal left.
 */
export function sendFailure(response: ServerResponse): void {
  if (response.headersSent) response.destroy();
  else if (!response.destroyed) sendStatus(response, 500);
}

/**
 * The steps every promlite endpoint takes before answering: a path it does not own goes to
 * `next()` (or 404), a refused client gets 401/403 (reported to `onRefused`), a method other
 * than GET or HEAD gets 405. Returns whether the request may be answered.
 */
export function admitRequest(
  request: IncomingMessage,
  response: ServerResponse,
  owned: boolean,
  guard: AccessGuard | undefined,
  next: ((error?: unknown) => void) | undefined,
  onRefused?: (status: 401 | 403) => void,
): boolean {
  if (!owned) {
    if (next !== undefined) next();
    else sendStatus(response, 404);
    return false;
  }
  const decision = guard?.(request);
  if (decision !== undefined && !decision.allowed) {
    onRefused?.(decision.status);
    sendStatus(response, decision.status);
    return false;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendStatus(response, 405);
    return false;
  }
  return true;
}

/** Whether a value can be an endpoint path: a string starting with `/`, without spaces, `?` or `#`. Pure. */
export function isEndpointPath(path: unknown): path is string {
  return typeof path === 'string' && path.startsWith('/') && !/[\s?#]/.test(path);
}

/**
 * Checks an endpoint path (see {@link isEndpointPath}).
 * @throws PromliteError `INVALID_CONFIG` naming `what`.
 */
export function assertPath(what: string, path: string): void {
  if (!isEndpointPath(path)) {
    throw new PromliteError(
      'INVALID_CONFIG',
      `${what}: path ${JSON.stringify(path)} must start with "/" and hold no spaces, "?" or "#"`,
    );
  }
}

/**
 * Refuses paths that are malformed, or that two endpoints share (the second would never answer).
 * `false` turns an endpoint off and takes no path.
 * @throws PromliteError `INVALID_CONFIG` naming both endpoints of a shared path.
 */
export function assertDistinctPaths(owner: string, paths: Readonly<Record<string, string | false>>): void {
  const seen = new Map<string, string>();
  for (const [what, path] of Object.entries(paths)) {
    if (path === false) continue;
    assertPath(`${owner} ${what}`, path);
    const other = seen.get(path);
    if (other !== undefined) {
      throw new PromliteError(
        'INVALID_CONFIG',
        `${owner}: ${what} and ${other} are both ${JSON.stringify(path)}; give each endpoint its own path`,
      );
    }
    seen.set(path, what);
  }
}

/** The path of a request target, without its query. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
