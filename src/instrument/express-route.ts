// The route template express (4 and 5) matched, mount prefix included, captured when it matches.
import type { IncomingMessage } from 'node:http';

const matched = new WeakMap<IncomingMessage, string>();

/**
 * Watches `request` for express's `req.route = route`: at that moment `req.baseUrl` is the mount
 * path of the router that matched, so `baseUrl + route.path` is the whole template
 * (`/api/orders/:id`). Read when the response ends, both can be wrong: express restores
 * `baseUrl` as the request leaves each router, and on the way to an error handler. Harmless
 * without express: nothing assigns `route` then.
 */
export function watchMatchedRoute(request: IncomingMessage): void {
  let route: unknown;
  try {
    Object.defineProperty(request, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set: (value: unknown) => {
        route = value;
        const path = (value as { path?: unknown } | null | undefined)?.path;
        const base = (request as { baseUrl?: unknown }).baseUrl;
        if (typeof path === 'string') matched.set(request, `${typeof base === 'string' ? base : ''}${path}`);
        else if (path instanceof RegExp) matched.set(request, String(path));
      },
    });
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
  return matched.get(request);
}
