import type { IncomingMessage, ServerResponse } from 'node:http';
import { PromliteError } from '../errors.js';
import { isString, isStringArray } from '../options.js';
import { createAccessPolicy, decideAccess, type AccessDecision } from './access.js';
import { AddressList } from './address-list.js';
import { clientAddress } from './client-address.js';
import { sendStatus } from './responses.js';

/** Who may read an endpoint; `{}` means loopback clients only. */
export interface AccessOptions {
  /** Accept `Authorization: Bearer <token>`. */
  readonly token?: string | undefined;
  /** Accept clients in these ranges (`10.0.0.0/8`, `::1`…). `0.0.0.0/0` and `::/0` open to all. */
  readonly trustedCidrs?: readonly string[] | undefined;
  /** Proxies whose `X-Forwarded-For` is believed. */
  readonly trustedProxies?: readonly string[] | undefined;
}

/** Decides, for a request, whether it may read the endpoint. */
export type AccessGuard = (request: IncomingMessage) => AccessDecision;

/**
 * Builds the access check the metrics (and, optionally, health) endpoints share: the client
 * address through trusted proxies, then the token/CIDR/loopback decision.
 * @throws PromliteError `INVALID_CONFIG` for an empty token or a bad address range.
 */
export function createAccessGuard(options: AccessOptions): AccessGuard {
  const cidrs = options.trustedCidrs ?? [];
  const policy = createAccessPolicy(options.token, cidrs.length > 0 ? new AddressList(cidrs, 'trustedCidrs') : undefined);
  const proxies = new AddressList(options.trustedProxies ?? [], 'trustedProxies');
  return (request) => decideAccess(policy, clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], proxies), request.headers.authorization);
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

/**
 * Checks an endpoint path: starts with `/`, no spaces, `?` or `#`.
 * @throws PromliteError `INVALID_CONFIG` naming `what`.
 */
export function assertPath(what: string, path: string): void {
  if (typeof path !== 'string' || !path.startsWith('/') || /[\s?#]/.test(path)) {
    throw new PromliteError('INVALID_CONFIG', `${what}: path ${JSON.stringify(path)} must start with "/" and hold no spaces, "?" or "#"`);
  }
}

/** The path of a request target, without its query. */
export function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** Run-time checks of the access options' types (values are checked by `createAccessGuard`). */
export const ACCESS_OPTION_CHECKS = { token: isString, trustedCidrs: isStringArray, trustedProxies: isStringArray } as const;
