import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMetricsConfig, PromliteError } from '../../src/index.js';
import { DEFAULT_METRICS_CONFIG } from '../../src/serve/config.js';
import { thrown } from '../support/thrown.js';

const dir = mkdtempSync(join(tmpdir(), 'promlite-config-'));
const secret = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

describe('loadMetricsConfig', () => {
  it('gives the defaults for an empty environment', () => {
    expect(loadMetricsConfig({})).toEqual(DEFAULT_METRICS_CONFIG);
    expect(DEFAULT_METRICS_CONFIG).toMatchObject({
      enabled: true,
      path: '/metrics',
      host: '127.0.0.1',
      port: 9464,
      token: undefined,
    });
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
    [{ METRICS_TOKEN: 'dG9rZW4+/_~.-==' }, { token: 'dG9rZW4+/_~.-==' }],
    // What `docker compose` writes for an unset `${TOKEN:-}`: no token, so loopback only.
    [{ METRICS_TOKEN: '' }, { token: undefined, trustedCidrs: [] }],
    [{ METRICS_TOKEN: '', METRICS_TOKEN_FILE: secret('token-with-empty-env', 'file-wins\n') }, { token: 'file-wins' }],
    [{ METRICS_TOKEN_FILE: '' }, { token: undefined }],
    [{ METRICS_TOKEN_FILE: secret('token', 'from-file\n') }, { token: 'from-file' }],
    [{ METRICS_TOKEN_FILE: secret('token-crlf', 'crlf\r\n') }, { token: 'crlf' }],
    [{ METRICS_TOKEN_FILE: secret('token-bare', 'bare') }, { token: 'bare' }],
    [
      { METRICS_TRUSTED_CIDRS: '10.0.0.0/8, 192.168.1.7,::1,fd00::/8' },
      { trustedCidrs: ['10.0.0.0/8', '192.168.1.7', '::1', 'fd00::/8'] },
    ],
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
    [{ METRICS_TOKEN: 'a', METRICS_TOKEN_FILE: '/x' }, 'METRICS_TOKEN and METRICS_TOKEN_FILE are both set'],
    [{ METRICS_TOKEN_FILE: join(dir, 'missing') }, `METRICS_TOKEN_FILE="${join(dir, 'missing')}": cannot read it`],
    [{ METRICS_TOKEN_FILE: secret('empty', '\n') }, 'the file holds no token'],
    [{ METRICS_TOKEN_FILE: secret('empty-bare', '') }, 'the file holds no token'],
    [{ METRICS_TOKEN_FILE: secret('two-lines', 'a\nb\n') }, 'the file must hold one line'],
    [
      { METRICS_TRUSTED_CIDRS: '10.0.0.0/8,banana' },
      'METRICS_TRUSTED_CIDRS: "banana" is not an IP address or CIDR range',
    ],
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

  // Tokens a `Bearer` header cannot carry (RFC 6750 b64token) would answer 401 to every scrape.
  it.each([
    ['METRICS_TOKEN', 'only spaces', '   ', 'whitespace'],
    ['METRICS_TOKEN', 'a space inside', 'has sp4ce', 'whitespace'],
    ['METRICS_TOKEN', 'a tab', 'tab\there', 'whitespace'],
    ['METRICS_TOKEN', 'a trailing space', 'tra1l ', 'whitespace'],
    ['METRICS_TOKEN', 'non-ASCII letters', 'pässwörd', 'non-ASCII'],
    ['METRICS_TOKEN', 'a byte-order mark', '\uFEFFt0k3n', 'byte-order mark'],
    ['METRICS_TOKEN', 'a quote', 'say"what', 'A-Z a-z 0-9'],
  ])('rejects %s holding %s, without quoting it', (variable, _, token, why) => {
    const error = thrown(() => loadMetricsConfig({ [variable]: token }));
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as PromliteError).code).toBe('INVALID_CONFIG');
    expect((error as PromliteError).message).toContain(`${variable}:`);
    expect((error as PromliteError).message).toContain(why);
    if (token.trim() !== '') expect((error as PromliteError).message).not.toContain(token.trim());
  });

  it.each([
    ['two trailing spaces', 'zq9-file-1  \n', 'whitespace'],
    ['a space inside', 'zq9 k\n', 'whitespace'],
    ['a byte-order mark', '\uFEFFzq9-file-2\n', 'byte-order mark'],
    ['a byte-order mark and CRLF', '\uFEFFzq9-file-3\r\n', 'byte-order mark'],
    ['a tab before the newline', 'zq9-file-4\t\n', 'whitespace'],
    ['non-ASCII letters', 'pässwörd\n', 'non-ASCII'],
  ])('rejects a token file holding %s, naming the file, never its content', (name, content, why) => {
    const path = secret(`bad-${name.replaceAll(' ', '-')}`, content);
    const error = thrown(() => loadMetricsConfig({ METRICS_TOKEN_FILE: path }));
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as PromliteError).message).toContain(`METRICS_TOKEN_FILE=${JSON.stringify(path)}`);
    expect((error as PromliteError).message).toContain(why);
    const token = content.replace(/\uFEFF|\s/g, '');
    expect((error as PromliteError).message).not.toContain(token);
    expect((error as PromliteError).message).not.toContain(token.slice(0, 3));
  });

  it('rejects a token set both ways, never quoting either', () => {
    const error = thrown(() =>
      loadMetricsConfig({ METRICS_TOKEN: 'env-token', METRICS_TOKEN_FILE: secret('both', 'file-token\n') }),
    );
    expect((error as Error).message).toContain('METRICS_TOKEN and METRICS_TOKEN_FILE are both set');
    expect((error as Error).message).not.toContain('env-token');
  });

  // A trusted proxy is believed about who the client is: trusting every peer lets every client choose.
  it.each([['0.0.0.0/0'], ['::/0'], ['10.0.0.1, ::/0'], ['::ffff:0.0.0.0/96']])(
    'rejects METRICS_TRUSTED_PROXIES=%j',
    (value) => {
      const error = thrown(() => loadMetricsConfig({ METRICS_TRUSTED_PROXIES: value }));
      expect(error).toBeInstanceOf(PromliteError);
      expect((error as PromliteError).code).toBe('INVALID_CONFIG');
      expect((error as PromliteError).message).toMatch(
        /^METRICS_TRUSTED_PROXIES: ".*" trusts every (IPv4 |IPv6 )?peer/,
      );
      expect((error as PromliteError).message).toContain('X-Forwarded-For');
    },
  );

  it('still reads METRICS_TRUSTED_CIDRS=0.0.0.0/0,::/0: that opens the endpoint to all, as documented', () => {
    expect(loadMetricsConfig({ METRICS_TRUSTED_CIDRS: '0.0.0.0/0,::/0' }).trustedCidrs).toEqual(['0.0.0.0/0', '::/0']);
  });

  it.each([
    ['null', null, 'null'],
    ['a string', 'METRICS_PORT=0', '"METRICS_PORT=0"'],
    ['a number', 42, '42'],
    ['an array', ['METRICS_PORT=0'], 'an array'],
  ])('rejects %s as the environment', (_, env, given) => {
    const error = thrown(() => loadMetricsConfig(env as unknown as Record<string, string>));
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as PromliteError).code).toBe('INVALID_CONFIG');
    expect((error as PromliteError).message).toBe(
      `loadMetricsConfig: env must be an object of environment variables, got ${given}`,
    );
  });

  it.each([
    [{ METRICS_PORT: 9464 }, 'METRICS_PORT must be a string, got 9464'],
    [{ METRICS_ENABLED: true }, 'METRICS_ENABLED must be a string, got true'],
    [{ METRICS_TOKEN: 12345 }, 'METRICS_TOKEN must be a string, got a number'],
  ])('rejects a variable that is not a string: %j', (env, message) => {
    expect(() => loadMetricsConfig(env as unknown as Record<string, string>)).toThrow(message);
  });
});
