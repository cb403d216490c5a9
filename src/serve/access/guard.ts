import type { IncomingMessage, ServerResponse } from 'node:http';
import { PromliteError } from '../../errors.js';
import { checkOptions, isString, isStringArray, type OptionCheck } from '../../options.js';
import { createAccessPolicy, decideAccess, type AccessDecision } from './policy.js';
import { AddressList, trustedProxyList } from './address-list.js';
import { clientAddress } from './client-address.js';
import { sendStatus } from '../responses.js';

/** Who may read an endpoint; `{}` means loopback clients only. */
export interface AccessOptions {
  /**
   * Accept `Authorization: Bearer <token>`. Only what the header can carry: A-Z a-z 0-9
   * `- . _ ~ + /`, then `=` padding (RFC 6750 `b64token`).
   */
  readonly token?: string | undefined;
  /** Accept clients in these ranges (`10.0.0.0/8`, `::1`…). `0.0.0.0/0` and `::/0` open to all. */
  readonly trustedCidrs?: readonly string[] | undefined;
  /** Proxies whose `X-Forwarded-For` is believed. A range holding every address (`0.0.0.0/0`, `::/0`) is refused. */
  readonly trustedProxies?: readonly string[] | undefined;
}

/** Run-time checks of the access options' types, for the option checks of the functions that take them. */
export const ACCESS_OPTION_CHECKS: Readonly<Record<'token' | 'trustedCidrs' | 'trustedProxies', OptionCheck>> = Object.freeze({
  token: isString,
  trustedCidrs: isStringArray,
  trustedProxies: isStringArray,
});

/** Decides, for a request, whether it may read the endpoint. */
export type AccessGuard = (request: IncomingMessage) => AccessDecision;

/**
 * Builds the access check the metrics, health and status endpoints share: the client address
 * through trusted proxies, then the token/CIDR/loopback decision. Reads only `token`,
 * `trustedCidrs` and `trustedProxies`, so it may be given a whole handler's option bag.
 * @param owner names the caller in error messages (`metricsHandler`…).
 * @throws PromliteError `INVALID_CONFIG` naming `owner` and the option, for a value of the wrong
 *   type, a token a `Bearer` header cannot carry (never quoting it), a bad address range, or a
 *   trusted proxy range holding every address.
 */
export function createAccessGuard(options: AccessOptions = {}, owner = 'createAccessGuard'): AccessGuard {
  checkOptions(owner, accessPart(options), ACCESS_OPTION_CHECKS, { code: 'INVALID_CONFIG', secret: ['token'] });
  const cidrs = options.trustedCidrs ?? [];
  const allowed = cidrs.length > 0 ? new AddressList(cidrs, `${owner}: trustedCidrs`) : undefined;
  const policy = createAccessPolicy(options.token, allowed, `${owner}: option "token"`);
  const proxies = trustedProxyList(options.trustedProxies ?? [], `${owner}: trustedProxies`);
  return (request) => decideAccess(policy, clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], proxies), request.headers.authorization);
}

/** The access keys of an option bag; anything that is not an object is passed on for `checkOptions` to refuse. */
function accessPart(options: unknown): unknown {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  const { token, trustedCidrs, trustedProxies } = options as Record<string, unknown>;
  return { token, trustedCidrs, trustedProxies };
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
