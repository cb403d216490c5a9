import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { PromliteError } from '../errors.js';
import { describeValue, typeName } from '../options.js';
import { bearerTokenProblem } from './access/policy.js';
import { AddressList, trustedProxyList } from './access/address-list.js';
import { isEndpointPath } from './endpoint.js';
import type { MetricsServerOptions } from './server.js';

/** The options of {@link createMetricsServer} that {@link loadMetricsConfig} sets. */
type ConfigKey = 'enabled' | 'path' | 'token' | 'trustedCidrs' | 'trustedProxies' | 'host' | 'port';

/**
 * Serving configuration, as read by {@link loadMetricsConfig}: those options of
 * `createMetricsServer` (documented there), each one present — `token` may be `undefined`
 * (none), the others always hold a value.
 */
export type MetricsConfig = {
  readonly [K in Exclude<ConfigKey, 'token'>]-?: Exclude<MetricsServerOptions[K], undefined>;
} & {
  readonly token: string | undefined;
};

/** Defaults: enabled, `/metrics`, no token, loopback-only, `127.0.0.1:9464`. */
export const DEFAULT_METRICS_CONFIG: MetricsConfig = Object.freeze({
  enabled: true,
  path: '/metrics',
  token: undefined,
  trustedCidrs: Object.freeze([]),
  trustedProxies: Object.freeze([]),
  host: '127.0.0.1',
  port: 9464,
});

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Reads the serving configuration from environment variables, validating all of them at once
 * so a bad deployment fails at start-up, not at the first scrape:
 * `METRICS_ENABLED`, `METRICS_PATH`, `METRICS_TOKEN` or `METRICS_TOKEN_FILE`,
 * `METRICS_TRUSTED_CIDRS`, `METRICS_TRUSTED_PROXIES`, `METRICS_HOST`, `METRICS_PORT`.
 * Unset or empty variables take the defaults of {@link DEFAULT_METRICS_CONFIG}: an empty
 * `METRICS_TOKEN=` (what `docker compose` writes for an unset `${TOKEN:-}`) is no token.
 * @throws PromliteError `INVALID_CONFIG` naming the variable and its value — except a token's,
 *   which is described, never quoted: one a `Bearer` header cannot carry (RFC 6750), a token
 *   file that cannot be read or does not hold one line, both token variables set; a trusted
 *   proxy range holding every address; an `env` that is not an object.
 * @example
 * const config = loadMetricsConfig(); // reads process.env
 */
export function loadMetricsConfig(env: Env = process.env): MetricsConfig {
  if (typeof env !== 'object' || env === null || Array.isArray(env)) {
    throw new PromliteError(
      'INVALID_CONFIG',
      `loadMetricsConfig: env must be an object of environment variables, got ${describeValue(env)}`,
    );
  }
  const raw = (name: string): string | undefined => {
    const text: unknown = env[name];
    if (text === undefined || typeof text === 'string') return text;
    const given = name === 'METRICS_TOKEN' ? typeName(text) : describeValue(text);
    throw new PromliteError('INVALID_CONFIG', `${name} must be a string, got ${given}`);
  };
  const value = (name: string): string | undefined => {
    const text = raw(name)?.trim();
    return text === '' ? undefined : text;
  };
  const fail = (name: string, text: string, expected: string): never => {
    throw new PromliteError('INVALID_CONFIG', `${name}=${JSON.stringify(text)}: ${expected}`);
  };

  const enabledText = value('METRICS_ENABLED');
  let enabled = DEFAULT_METRICS_CONFIG.enabled;
  if (enabledText !== undefined) {
    const lower = enabledText.toLowerCase();
    if (['1', 'true', 'yes', 'on'].includes(lower)) enabled = true;
    else if (['0', 'false', 'no', 'off'].includes(lower)) enabled = false;
    else fail('METRICS_ENABLED', enabledText, 'expected true/false, 1/0, yes/no or on/off');
  }

  const path = value('METRICS_PATH') ?? DEFAULT_METRICS_CONFIG.path;
  if (!isEndpointPath(path))
    fail('METRICS_PATH', path, 'expected a path starting with "/", without spaces, "?" or "#"');

  const token = readToken(raw('METRICS_TOKEN'), value('METRICS_TOKEN_FILE'));

  const list = (name: string, build: (entries: readonly string[], source: string) => AddressList): string[] => {
    const text = value(name);
    if (text === undefined) return [];
    const entries = text.split(',').map((entry) => entry.trim());
    // Validates every entry; the error names the variable and the bad entry.
    build(entries, name);
    return entries;
  };
  const trustedCidrs = list('METRICS_TRUSTED_CIDRS', (entries, source) => new AddressList(entries, source));
  const trustedProxies = list('METRICS_TRUSTED_PROXIES', trustedProxyList);

  const host = value('METRICS_HOST') ?? DEFAULT_METRICS_CONFIG.host;
  if (isIP(host) === 0 && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(host))
    fail('METRICS_HOST', host, 'expected an IP address or a host name');

  const portText = value('METRICS_PORT');
  let port = DEFAULT_METRICS_CONFIG.port;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 0 && port <= 65535)) fail('METRICS_PORT', portText, 'expected an integer from 0 to 65535');
  }

  return Object.freeze({
    enabled,
    path,
    token,
    trustedCidrs: Object.freeze(trustedCidrs),
    trustedProxies: Object.freeze(trustedProxies),
    host,
    port,
  });
}

/**
 * The token from `METRICS_TOKEN` (taken as it is: an empty one is none) or the file named by
 * `METRICS_TOKEN_FILE` (one trailing LF or CRLF dropped, as mounted secrets usually end with
 * one). Errors describe the token, never quote it.
 */
function readToken(tokenText: string | undefined, tokenFile: string | undefined): string | undefined {
  if (tokenText !== undefined && tokenText !== '') {
    if (tokenFile !== undefined)
      throw new PromliteError('INVALID_CONFIG', 'METRICS_TOKEN and METRICS_TOKEN_FILE are both set: set only one');
    assertToken('METRICS_TOKEN', tokenText);
    return tokenText;
  }
  if (tokenFile === undefined) return undefined;
  const where = `METRICS_TOKEN_FILE=${JSON.stringify(tokenFile)}`;
  let content: string;
  try {
    content = readFileSync(tokenFile, 'utf8');
  } catch (error) {
    throw new PromliteError('INVALID_CONFIG', `${where}: cannot read it (${(error as Error).message})`);
  }
  const token = content.replace(/\r?\n$/, '');
  if (token === '') throw new PromliteError('INVALID_CONFIG', `${where}: the file holds no token`);
  if (/[\r\n]/.test(token))
    throw new PromliteError(
      'INVALID_CONFIG',
      `${where}: the file must hold one line (one trailing newline is allowed)`,
    );
  assertToken(where, token);
  return token;
}

function assertToken(where: string, token: string): void {
  const problem = bearerTokenProblem(token);
  if (problem !== undefined) throw new PromliteError('INVALID_CONFIG', `${where}: the token ${problem}`);
}
