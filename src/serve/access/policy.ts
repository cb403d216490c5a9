import { createHash, timingSafeEqual } from 'node:crypto';
import { PromliteError } from '../../errors.js';
import { typeName } from '../../options.js';
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
 * @param what names the token in error messages (`metricsHandler: option "token"`).
 * @throws PromliteError `INVALID_CONFIG` for a token that is not a string, is empty, or holds
 *   what a `Bearer` header cannot carry; the message never quotes the token.
 */
export function createAccessPolicy(
  token: string | undefined,
  allowedAddresses: AddressList | undefined,
  what = 'bearer token',
): AccessPolicy {
  if (token !== undefined) {
    const problem = bearerTokenProblem(token);
    if (problem !== undefined) throw new PromliteError('INVALID_CONFIG', `${what} ${problem}`);
  }
  return {
    tokenDigest: token === undefined ? undefined : sha256(token),
    allowedAddresses:
      allowedAddresses !== undefined && allowedAddresses.entries.length > 0 ? allowedAddresses : undefined,
  };
}

/** What `Authorization: Bearer` can carry: RFC 6750 §2.1 `b64token`. */
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;
const TOKEN_RULE = 'a bearer token holds only A-Z a-z 0-9 - . _ ~ + / and "=" padding at the end (RFC 6750 b64token)';

/**
 * Says what keeps a value from being a bearer token, as a phrase to follow its name ("must not
 * be empty", "holds whitespace, but…"), never quoting it (it may be a secret with a typo);
 * `undefined` when a `Bearer` header can carry it. A token outside RFC 6750's `b64token` would
 * be accepted here and then refused with 401 on every request. Pure.
 */
export function bearerTokenProblem(token: unknown): string | undefined {
  if (typeof token !== 'string') return `must be a string, got ${typeName(token)}`;
  if (token === '') return 'must not be empty';
  if (B64TOKEN.test(token)) return undefined;
  return `${tokenFlaw(token)}, but ${TOKEN_RULE}`;
}

/** The first kind of character that breaks the rule, named by kind and never quoted. */
function tokenFlaw(token: string): string {
  if (token.startsWith('\uFEFF'))
    return 'starts with a byte-order mark (U+FEFF, which some editors write at the start of a file)';
  if (token.trim() === '') return 'is only whitespace';
  if (/^\s|\s$/.test(token)) return 'has leading or trailing whitespace';
  if (/\s/.test(token)) return 'holds whitespace';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[^\x00-\x7F]/.test(token)) return 'holds a non-ASCII character';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  if (/[\x00-\x1F\x7F]/.test(token)) return 'holds a control character';
  if (/^[A-Za-z0-9\-._~+/=]+$/.test(token)) return 'holds "=" other than as padding at the end';
  return 'holds a character outside that set';
}

/**
 * Decides whether a request may read the endpoint. A valid bearer token or an allowed client
 * address each suffice; with neither configured, only loopback clients get in. Pure.
 * @param clientAddress the resolved client address (see `clientAddress`).
 * @param authorization the `Authorization` header.
 */
export function decideAccess(
  policy: AccessPolicy,
  clientAddress: string | undefined,
  authorization: string | undefined,
): AccessDecision {
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
