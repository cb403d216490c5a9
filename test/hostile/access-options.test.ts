// Access options that would lock out the scraper or let everyone in, refused at start-up; and
// the configurations docs/serving.md recommends, over real sockets on 127.0.0.1.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetricsServer,
  HealthChecks,
  healthHandler,
  loadMetricsConfig,
  metricsHandler,
  PromliteError,
  Registry,
  statusHandler,
  type MetricsServer,
  type MetricsServerOptions,
} from '../../src/index.js';
import { createAccessGuard } from '../../src/serve/access/guard.js';
import { fetchRaw } from '../support/http.js';

const servers: MetricsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serve(options: Partial<MetricsServerOptions> = {}): Promise<MetricsServer> {
  const server = await createMetricsServer({ registry: new Registry(), port: 0, ...options });
  servers.push(server);
  return server;
}

const dir = mkdtempSync(join(tmpdir(), 'promlite-access-'));
let files = 0;
function tokenFile(content: string): string {
  const path = join(dir, `token-${files++}`);
  writeFileSync(path, content);
  return path;
}

const bearer = (token: string) => ({ headers: { Authorization: `Bearer ${token}` } });
/** A request as a proxy on this host forwards it: from loopback, naming an outside client. */
const forwardedFor = (client: string, headers: Record<string, string> = {}) => ({
  headers: { 'X-Forwarded-For': client, ...headers },
});

/** Awaits `start` and returns what it threw or rejected with (failing when it succeeds). */
async function failure(start: () => unknown): Promise<PromliteError> {
  try {
    await start();
  } catch (error) {
    expect(error).toBeInstanceOf(PromliteError);
    expect((error as PromliteError).code).toBe('INVALID_CONFIG');
    return error as PromliteError;
  }
  throw new Error('expected a failure');
}

// Tokens a `Bearer` header cannot carry (RFC 6750 b64token): accepted, they answer 401 forever.
const UNUSABLE_TOKENS: readonly (readonly [string, string])[] = [
  ['only spaces', '   '],
  ['a space inside', 'has sp4ce'],
  ['a tab', 'tab\there'],
  ['a trailing space', 'tra1l '],
  ['non-ASCII letters', 'pässwörd'],
  ['a byte-order mark', '\uFEFFt0k3n'],
];

/** Every place a token is accepted. */
const TOKEN_TAKERS: readonly (readonly [string, (token: unknown) => unknown])[] = [
  ['createMetricsServer', (token) => serve({ token: token as string })],
  ['metricsHandler', (token) => metricsHandler(new Registry(), { token: token as string })],
  ['healthHandler access', (token) => healthHandler(new HealthChecks(), { access: { token: token as string } })],
  [
    'healthHandler detailsAccess',
    (token) => healthHandler(new HealthChecks(), { detailsAccess: { token: token as string } }),
  ],
  ['statusHandler access', (token) => statusHandler(new Registry(), { access: { token: token as string } })],
  ['createAccessGuard', (token) => createAccessGuard({ token: token as string })],
];

describe('tokens', () => {
  it.each(['dG9rZW4=', 'a-b.c_d~e+f/g==', 'x'])(
    'token %j is accepted at start-up and the exact token gets in',
    async (token) => {
      const { url } = await serve({ token, trustedProxies: ['127.0.0.1'] });
      expect((await fetchRaw(url, forwardedFor('203.0.113.7', bearer(token).headers))).status).toBe(200);
      expect((await fetchRaw(url, forwardedFor('203.0.113.7', { Authorization: `bearer ${token}` }))).status).toBe(200);
      expect((await fetchRaw(url, forwardedFor('203.0.113.7', bearer(`${token}x`).headers))).status).toBe(401);
      expect((await fetchRaw(url, forwardedFor('203.0.113.7'))).status).toBe(401);
    },
  );

  for (const [taker, take] of TOKEN_TAKERS) {
    it.each(UNUSABLE_TOKENS)(`${taker} refuses a token holding %s, without quoting it`, async (_, token) => {
      const error = await failure(() => take(token));
      expect(error.message).toContain('"token"');
      expect(error.message).toContain('RFC 6750');
      if (token.trim() !== '') expect(error.message).not.toContain(token.trim());
    });

    it(`${taker} refuses a number as the token, naming its type only`, async () => {
      const error = await failure(() => take(12345));
      expect(error.message).toMatch(/"token" must be a string, got a number/);
      expect(error.message).not.toContain('12345');
    });
  }
});

describe('tokens from the environment', () => {
  const fromEnv = (env: Record<string, string>) => serve(loadMetricsConfig({ METRICS_PORT: '0', ...env }));

  it.each([
    ['LF', 'from-file\n'],
    ['CRLF', 'from-file\r\n'],
    ['no newline', 'from-file'],
  ])('a token file ending with %s: the exact token gets in', async (_, content) => {
    const { url } = await fromEnv({ METRICS_TOKEN_FILE: tokenFile(content) });
    expect((await fetchRaw(url, bearer('from-file'))).status).toBe(200);
    expect((await fetchRaw(url)).status).toBe(401);
  });

  it('an empty METRICS_TOKEN (docker compose, an unset TOKEN with a :- default) is no token: loopback only', async () => {
    const { url } = await fromEnv({ METRICS_TOKEN: '', METRICS_TRUSTED_PROXIES: '127.0.0.1' });
    expect((await fetchRaw(url, forwardedFor('127.0.0.1'))).status).toBe(200);
    expect((await fetchRaw(url, forwardedFor('203.0.113.7'))).status).toBe(403);
  });

  it('an empty METRICS_TOKEN beside METRICS_TOKEN_FILE: the file holds the token', async () => {
    const { url } = await fromEnv({ METRICS_TOKEN: '', METRICS_TOKEN_FILE: tokenFile('from-file\n') });
    expect((await fetchRaw(url, bearer('from-file'))).status).toBe(200);
    expect((await fetchRaw(url)).status).toBe(401);
  });

  it.each([
    ['two trailing spaces', 'secret-1  \n', 'whitespace'],
    ['a space inside', 'secr et-2\n', 'whitespace'],
    ['a byte-order mark', '\uFEFFsecret-3\n', 'byte-order mark'],
  ])('a token file holding %s is refused, naming the file and never its content', async (_, content, why) => {
    const path = tokenFile(content);
    const error = await failure(() => fromEnv({ METRICS_TOKEN_FILE: path }));
    expect(error.message).toContain(`METRICS_TOKEN_FILE=${JSON.stringify(path)}`);
    expect(error.message).toContain(why);
    expect(error.message).not.toMatch(/secr/);
  });

  it.each(UNUSABLE_TOKENS)(
    'METRICS_TOKEN holding %s is refused, naming the variable, never the token',
    async (_, token) => {
      const error = await failure(() => fromEnv({ METRICS_TOKEN: token }));
      expect(error.message).toMatch(/^METRICS_TOKEN: /);
      if (token.trim() !== '') expect(error.message).not.toContain(token.trim());
    },
  );
});

describe('plain-JavaScript access options', () => {
  it.each([
    [
      'trustedCidrs as a string',
      { trustedCidrs: '10.0.0.0/8' },
      /option "trustedCidrs" must be an array of strings, got "10\.0\.0\.0\/8"/,
    ],
    [
      'trustedProxies as a string',
      { trustedProxies: '127.0.0.1' },
      /option "trustedProxies" must be an array of strings, got "127\.0\.0\.1"/,
    ],
    [
      'trustedCidrs holding a number',
      { trustedCidrs: [10] },
      /option "trustedCidrs" must be an array of strings, got an array/,
    ],
    ['a token object', { token: { value: 'tok' } }, /option "token" must be a string, got an object/],
  ])(
    '%s: createAccessGuard and createMetricsServer both say which option and what was given',
    async (_, options, message) => {
      expect((await failure(() => createAccessGuard(options as never))).message).toMatch(message);
      expect((await failure(() => serve(options as never))).message).toMatch(message);
    },
  );
});

describe('trusted proxies', () => {
  it.each(['0.0.0.0/0', '::/0', '::ffff:0.0.0.0/96'])(
    '%j is refused at start-up: every client could choose its own address',
    async (entry) => {
      const error = await failure(() => serve({ trustedProxies: ['127.0.0.1', entry] }));
      expect(error.message).toContain(JSON.stringify(entry));
      expect(error.message).toContain('X-Forwarded-For');
      const fromEnv = await failure(() => loadMetricsConfig({ METRICS_TRUSTED_PROXIES: `127.0.0.1,${entry}` }));
      expect(fromEnv.message).toMatch(/^METRICS_TRUSTED_PROXIES: /);
    },
  );

  // docs/serving.md, "Behind a reverse proxy on the same host".
  it('a proxy on this host that is not listed makes every client look like loopback', async () => {
    const { url } = await serve();
    expect((await fetchRaw(url, forwardedFor('203.0.113.7'))).status).toBe(200);
  });

  it('listed, the proxy passes on the real client, and loopback-only refuses it', async () => {
    const { url } = await serve({ trustedProxies: ['127.0.0.1'] });
    expect((await fetchRaw(url, forwardedFor('203.0.113.7'))).status).toBe(403);
    expect((await fetchRaw(url, forwardedFor('127.0.0.1'))).status).toBe(200);
  });

  it('listed, a request from the proxy that names no client is refused by an address policy', async () => {
    // nginx without proxy_set_header X-Forwarded-For: its requests must not pass for loopback.
    const { url } = await serve({ trustedProxies: ['127.0.0.1'] });
    expect((await fetchRaw(url)).status).toBe(403);
    const withToken = await serve({ trustedProxies: ['127.0.0.1'], token: 's3cret' });
    expect((await fetchRaw(withToken.url, bearer('s3cret'))).status).toBe(200);
  });

  it('listed, with trustedCidrs: clients in the ranges get in, others do not', async () => {
    const { url } = await serve({ trustedProxies: ['127.0.0.1'], trustedCidrs: ['203.0.113.0/24'] });
    expect((await fetchRaw(url, forwardedFor('203.0.113.7'))).status).toBe(200);
    expect((await fetchRaw(url, forwardedFor('198.51.100.1'))).status).toBe(403);
    // A client cannot forge its way in: only the hop the proxy wrote is believed.
    expect((await fetchRaw(url, forwardedFor('203.0.113.7, 198.51.100.1'))).status).toBe(403);
  });

  it('listed, with a token: the token gets in from anywhere', async () => {
    const { url } = await serve({ trustedProxies: ['127.0.0.1'], token: 's3cret' });
    expect((await fetchRaw(url, forwardedFor('198.51.100.1'))).status).toBe(401);
    expect((await fetchRaw(url, forwardedFor('198.51.100.1', bearer('s3cret').headers))).status).toBe(200);
  });
});
