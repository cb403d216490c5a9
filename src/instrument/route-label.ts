// Label values for HTTP request metrics, bounded by design: whatever clients send, these
// functions map it onto a small set of values.

const STANDARD_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);
// One pass over the path: a whole segment that is a number, a UUID or 16+ hex digits.
const ID_SEGMENT =
  /(?<=\/)(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})(?=\/|$)/gi;

/** Maps methods outside the standard set to `OTHER`, so clients cannot mint new series. Pure. */
export function normalizeMethod(method: string | undefined): string {
  const upper = (method ?? '').toUpperCase();
  return STANDARD_METHODS.has(upper) ? upper : 'OTHER';
}

/** The status code as a label value: `200`…`599` (and 1xx), or `unknown` for anything else. Pure. */
export function normalizeStatus(status: number | undefined): string {
  return status !== undefined && Number.isInteger(status) && status >= 100 && status <= 599
    ? String(status)
    : 'unknown';
}

/**
 * A route template from a request target when the framework gives none: the query is dropped
 * and numeric, UUID and long hex segments become `:id` (`/users/42/orders/9f1c…` →
 * `/users/:id/orders/:id`). Pure.
 */
export function templatePath(url: string | undefined): string {
  if (url === undefined || url === '') return '/';
  const query = url.search(/[?#]/);
  const path = query === -1 ? url : url.slice(0, query);
  if (!path.startsWith('/')) return '(invalid)';
  return path.replace(ID_SEGMENT, ':id');
}
