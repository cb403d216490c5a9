import { createHash, timingSafeEqual } from 'node:crypto';
import { PromliteError } from '../errors.js';
import { LOOPBACK, type AddressList } from './address-list.js';

/** Who may read an endpoint. Build it with {@link createAccessPolicy}. */
export interface AccessPolicy {
  /** SHA-256 of the bearer token, when one is configured. */
  readonly tokenDigest: Buffer | undefined;
  /** Allowed client ranges, when configured. */
  readonly allowedAddresses: AddressList | undefined;
}

/** The outcome: allowed, or the status to answer with (401 asks for a token, 403 does not). */
export type AccessDecision = { readonly allowed: true } | { readonly allowed: false; readonly status: 401 | 403 };

/**
 * Builds a policy from a token and/or allowed address ranges. With neither, only loopback
 * clients are allowed, so a fresh install never exposes metrics by accident.
 * @throws PromliteError `INVALID_CONFIG` for an empty token.
 */
export function createAccessPolicy(token: string | undefined, allowedAddresses: AddressList | undefined): AccessPolicy {
  if (token !== undefined && token === '') throw new PromliteError('INVALID_CONFIG', 'bearer token: must not be empty');
  return {
    tokenDigest: token === undefined ? undefined : sha256(token),
    allowedAddresses: allowedAddresses !== undefined && allowedAddresses.entries.length > 0 ? allowedAddresses : undefined,
  };
}

/**
 * Decides whether a request may read the endpoint. A valid bearer token or an allowed client
 * address each suffice; with neither configured, only loopback clients get in. Pure.
 * @param clientAddress the resolved client address (see `clientAddress`).
 * @param authorization the `Authorization` header.
 */
export function decideAccess(policy: AccessPolicy, clientAddress: string | undefined, authorization: string | undefined): AccessDecision {
  const { tokenDigest, allowedAddresses } = policy;
  if (tokenDigest === undefined && allowedAddresses === undefined) {
    return LOOPBACK.contains(clientAddress) ? { allowed: true } : { allowed: false, status: 403 };
  }
  if (tokenDigest !== undefined && bearerMatches(tokenDigest, authorization)) return { allowed: true };
  if (allowedAddresses?.contains(clientAddress)) return { allowed: true };
  // A token would have opened the door: say so (401). Otherwise the address decides (403).
  return { allowed: false, status: tokenDigest !== undefined ? 401 : 403 };
}

/**
 * Compares a presented bearer token with the configured one in constant time. Both sides are
 * hashed first, so the comparison takes the same time whatever the presented length.
 */
function bearerMatches(tokenDigest: Buffer, authorization: string | undefined): boolean {
  if (authorization === undefined) return false;
  // The scheme is case-insensitive (RFC 9110 §11.1); the token is not.
  const match = /^bearer +(\S+) *$/i.exec(authorization);
  if (match === null) return false;
  return timingSafeEqual(sha256(match[1] as string), tokenDigest);
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
