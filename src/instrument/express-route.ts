// The route template express (4 and 5) matched, mount prefix included, captured when it matches.
import type { IncomingMessage } from 'node:http';

/** Where a watched request keeps what express assigned to `route`, and the template it made. */
const ROUTE = Symbol('promlite.route');
const MATCHED = Symbol('promlite.matchedRoute');

type Watched = IncomingMessage & { [ROUTE]?: unknown; [MATCHED]?: string; baseUrl?: unknown };

// One getter and one setter for every request, not closures per request: objects given the same
// accessor functions share their hidden class, where fresh closures would make one per request
// (and a garbage-collection bill with it).
function getRoute(this: Watched): unknown {
  return this[ROUTE];
}

function setRoute(this: Watched, value: unknown): void {
  this[ROUTE] = value;
  const path = (value as { path?: unknown } | null | undefined)?.path;
  const base = this.baseUrl;
  if (typeof path === 'string') this[MATCHED] = `${typeof base === 'string' ? base : ''}${path}`;
  else if (path instanceof RegExp) this[MATCHED] = String(path);
}

const ROUTE_PROPERTY: PropertyDescriptor = { configurable: true, enumerable: true, get: getRoute, set: setRoute };

/**
 * Watches `request` for express's `req.route = route`: at that moment `req.baseUrl` is the mount
 * path of the router that matched, so `baseUrl + route.path` is the whole template
 * (`/api/orders/:id`). Read when the response ends, both can be wrong: express restores
 * `baseUrl` as the request leaves each router, and on the way to an error handler. Harmless
 * without express: nothing assigns `route` then.
 */
export function watchMatchedRoute(request: IncomingMessage): void {
  try {
    Object.defineProperty(request, 'route', ROUTE_PROPERTY);
  } catch {
    // A request object that refuses new properties: no capture, the path is templated instead.
  }
}

/**
 * The route template express matched for `request`, mount prefix included (`/api/orders/:id`),
 * or undefined when none matched. `instrumentHttp` uses it on its own when no `route` option is
 * given; pass it as `route` to say so explicitly.
 */
export function expressRoute(request: IncomingMessage): string | undefined {
  return (request as Watched)[MATCHED];
}
