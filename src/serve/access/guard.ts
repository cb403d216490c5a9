import type { IncomingMessage } from 'node:http';
import { checkOptions, isObject, isString, isStringArray, type OptionCheck } from '../../options.js';
import { createAccessPolicy, decideAccess, type AccessDecision } from './policy.js';
import { AddressList, trustedProxyList } from './address-list.js';
import { clientAddress } from './client-address.js';

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
export const ACCESS_OPTION_CHECKS: Readonly<Record<'token' | 'trustedCidrs' | 'trustedProxies', OptionCheck>> =
  Object.freeze({
    token: isString,
    trustedCidrs: isStringArray,
    trustedProxies: isStringArray,
  });

/**
 * Checks an option that holds a whole {@link AccessOptions} bag (`access`, `detailsAccess`).
 * @param owner names the option in error messages (`healthHandler access`).
 */
export function accessOptionsCheck(owner: string): OptionCheck {
  return (value) => {
    const problem = isObject(value);
    if (problem !== undefined) return problem;
    checkOptions(owner, value, ACCESS_OPTION_CHECKS, { code: 'INVALID_CONFIG', secret: ['token'] });
    return undefined;
  };
}

/**
 * Decides, for a request, whether it may read the endpoint: {@link AccessOptions} applied to the
 * request's client address and `Authorization` header. The one shape the endpoints use; the
 * `AccessPolicy` inside it (policy.ts) is the options compiled (token digest, address ranges).
 */
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
  return (request) =>
    decideAccess(
      policy,
      clientAddress(request.socket.remoteAddress, request.headers['x-forwarded-for'], proxies),
      request.headers.authorization,
    );
}

/** The access keys of an option bag; anything that is not an object is passed on for `checkOptions` to refuse. */
function accessPart(options: unknown): unknown {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return options;
  const { token, trustedCidrs, trustedProxies } = options as Record<string, unknown>;
  return { token, trustedCidrs, trustedProxies };
}
