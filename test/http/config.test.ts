import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_METRICS_CONFIG, loadMetricsConfig } from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'promlite-config-'));
const secret = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('loadMetricsConfig', () => {
  it('gives the defaults for an empty environment', () => {
    expect(loadMetricsConfig({})).toEqual(DEFAULT_METRICS_CONFIG);
    expect(DEFAULT_METRICS_CONFIG).toMatchObject({ enabled: true, path: '/metrics', host: '127.0.0.1', port: 9464, token: undefined });
  });

  it.each([
    [{ METRICS_ENABLED: 'false' }, { enabled: false }],
    [{ METRICS_ENABLED: '0' }, { enabled: false }],
    [{ METRICS_ENABLED: 'NO' }, { enabled: false }],
    [{ METRICS_ENABLED: 'off' }, { enabled: false }],
    [{ METRICS_ENABLED: 'yes' }, { enabled: true }],
    [{ METRICS_ENABLED: ' True ' }, { enabled: true }],
    [{ METRICS_ENABLED: '' }, { enabled: true }],
    [{ METRICS_PATH: '/internal/metrics' }, { path: '/internal/metrics' }],
    [{ METRICS_TOKEN: 's3cret' }, { token: 's3cret' }],
    [{ METRICS_TOKEN_FILE: secret('token', 'from-file\n') }, { token: 'from-file' }],
    [{ METRICS_TOKEN_FILE: secret('token-crlf', 'crlf\r\n') }, { token: 'crlf' }],
    [{ METRICS_TOKEN_FILE: secret('token-bare', 'bare') }, { token: 'bare' }],
    [{ METRICS_TRUSTED_CIDRS: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8' }, { trustedCidrs: ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8'] }],
    [{ METRICS_TRUSTED_PROXIES: '10.0.0.1' }, { trustedProxies: ['10.0.0.1'] }],
    [{ METRICS_HOST: '0.0.0.0' }, { host: '0.0.0.0' }],
    [{ METRICS_HOST: '::' }, { host: '::' }],
    [{ METRICS_HOST: 'metrics.internal' }, { host: 'metrics.internal' }],
    [{ METRICS_PORT: '0' }, { port: 0 }],
    [{ METRICS_PORT: '65535' }, { port: 65535 }],
  ])('reads %j', (env, expected) => {
    expect(loadMetricsConfig(env)).toMatchObject(expected);
  });

  it.each([
    [{ METRICS_ENABLED: 'maybe' }, 'METRICS_ENABLED="maybe": expected true/false'],
    [{ METRICS_PATH: 'metrics' }, 'METRICS_PATH="metrics": expected a path starting with "/"'],
    [{ METRICS_PATH: '/me trics' }, 'METRICS_PATH="/me trics"'],
    [{ METRICS_PATH: '/metrics?x=1' }, 'METRICS_PATH="/metrics?x=1"'],
    [{ METRICS_TOKEN: '' }, 'METRICS_TOKEN="": the token must not be empty'],
    [{ METRICS_TOKEN: '   ' }, 'METRICS_TOKEN="   ": the token must not be empty'],
    [{ METRICS_TOKEN: 'a', METRICS_TOKEN_FILE: '/x' }, 'METRICS_TOKEN and METRICS_TOKEN_FILE are both set'],
    [{ METRICS_TOKEN_FILE: join(dir, 'missing') }, `METRICS_TOKEN_FILE="${join(dir, 'missing')}": cannot read it`],
    [{ METRICS_TOKEN_FILE: secret('empty', '\n') }, 'the file must hold one non-empty line'],
    [{ METRICS_TOKEN_FILE: secret('two-lines', 'a\nb\n') }, 'the file must hold one non-empty line'],
    [{ METRICS_TRUSTED_CIDRS: '10.0.0.0/8,banana' }, 'METRICS_TRUSTED_CIDRS: "banana" is not an IP address or CIDR range'],
    [{ METRICS_TRUSTED_CIDRS: '10.0.0.0/40' }, 'METRICS_TRUSTED_CIDRS: "10.0.0.0/40"'],
    [{ METRICS_TRUSTED_PROXIES: '10.0.0.1,' }, 'METRICS_TRUSTED_PROXIES: "" is not an IP address'],
    [{ METRICS_HOST: 'bad host' }, 'METRICS_HOST="bad host": expected an IP address or a host name'],
    [{ METRICS_PORT: 'http' }, 'METRICS_PORT="http": expected an integer from 0 to 65535'],
    [{ METRICS_PORT: '65536' }, 'METRICS_PORT="65536"'],
    [{ METRICS_PORT: '-1' }, 'METRICS_PORT="-1"'],
    [{ METRICS_PORT: '80.5' }, 'METRICS_PORT="80.5"'],
  ])('rejects %j', (env, message) => {
    expect(() => loadMetricsConfig(env)).toThrow(message);
  });
});
