import type { ServerResponse } from 'node:http';

const REASONS: Readonly<Record<number, string>> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/**
 * Answers with a bare status: a one-line plain-text body that says nothing more than the
 * status, plus the headers the status calls for (`WWW-Authenticate`, `Allow`, `Retry-After`).
 */
export function sendStatus(response: ServerResponse, status: 401 | 403 | 404 | 405 | 500 | 503): void {
  const body = `${REASONS[status]}\n`;
  const headers: Record<string, string> = {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  };
  if (status === 401) headers['WWW-Authenticate'] = 'Bearer realm="metrics"';
  if (status === 405) headers.Allow = 'GET, HEAD';
  if (status === 503) headers['Retry-After'] = '1';
  response.writeHead(status, headers);
  response.end(response.req?.method === 'HEAD' ? undefined : body);
}
