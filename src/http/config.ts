import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { PromliteError } from '../errors.js';
import { AddressList } from './address-list.js';

/** Serving configuration, as read by {@link loadMetricsConfig}. */
export interface MetricsConfig {
  readonly enabled: boolean;
  readonly path: string;
  readonly token: string | undefined;
  readonly trustedCidrs: readonly string[];
  readonly trustedProxies: readonly string[];
  readonly host: string;
  readonly port: number;
}

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
 * Unset or empty variables take the defaults of {@link DEFAULT_METRICS_CONFIG}.
 * @throws PromliteError `INVALID_CONFIG` naming the variable and its value.
 * @example
 * const config = loadMetricsConfig(); // reads process.env
 */
export function loadMetricsConfig(env: Env = process.env): MetricsConfig {
  const value = (name: string): string | undefined => {
    const raw = env[name];
    return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
  };
  const fail = (name: string, raw: string, expected: string): never => {
    throw new PromliteError('INVALID_CONFIG', `${name}=${JSON.stringify(raw)}: ${expected}`);
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
  if (!path.startsWith('/') || /[\s?#]/.test(path)) fail('METRICS_PATH', path, 'expected a path starting with "/", without spaces, "?" or "#"');

  const tokenText = env.METRICS_TOKEN;
  const tokenFile = value('METRICS_TOKEN_FILE');
  let token: string | undefined;
  if (tokenText !== undefined && tokenFile !== undefined) {
    throw new PromliteError('INVALID_CONFIG', 'METRICS_TOKEN and METRICS_TOKEN_FILE are both set: set only one');
  }
  if (tokenText !== undefined) {
    if (tokenText.trim() === '') fail('METRICS_TOKEN', tokenText, 'the token must not be empty (unset the variable for no token)');
    token = tokenText.trim();
  } else if (tokenFile !== undefined) {
    let content: string;
    try {
      content = readFileSync(tokenFile, 'utf8');
    } catch (error) {
      throw new PromliteError('INVALID_CONFIG', `METRICS_TOKEN_FILE=${JSON.stringify(tokenFile)}: cannot read it (${(error as Error).message})`);
    }
    // Mounted secrets usually end with a newline that is not part of the token.
    token = content.replace(/\r?\n$/, '');
    if (token.trim() === '' || /[\r\n]/.test(token)) fail('METRICS_TOKEN_FILE', tokenFile, 'the file must hold one non-empty line');
  }

  const list = (name: string): string[] => {
    const text = value(name);
    if (text === undefined) return [];
    const entries = text.split(',').map((entry) => entry.trim());
    // Validates every entry; the error names the variable and the bad entry.
    new AddressList(entries, name);
    return entries;
  };
  const trustedCidrs = list('METRICS_TRUSTED_CIDRS');
  const trustedProxies = list('METRICS_TRUSTED_PROXIES');

  const host = value('METRICS_HOST') ?? DEFAULT_METRICS_CONFIG.host;
  if (isIP(host) === 0 && !/^[a-zA-Z0-9]([a-zA-Z0-9.-]*[a-zA-Z0-9])?$/.test(host)) fail('METRICS_HOST', host, 'expected an IP address or a host name');

  const portText = value('METRICS_PORT');
  let port = DEFAULT_METRICS_CONFIG.port;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!(port >= 0 && port <= 65535)) fail('METRICS_PORT', portText, 'expected an integer from 0 to 65535');
  }

  return Object.freeze({ enabled, path, token, trustedCidrs: Object.freeze(trustedCidrs), trustedProxies: Object.freeze(trustedProxies), host, port });
}
