import { describe, expect, it } from 'vitest';
import { PromliteError, type AccessOptions } from '../../src/index.js';
import { AddressList } from '../../src/serve/access/address-list.js';
import { clientAddress } from '../../src/serve/access/client-address.js';
import { createAccessGuard } from '../../src/serve/access/guard.js';
import { createAccessPolicy, decideAccess, type AccessDecision } from '../../src/serve/access/policy.js';
import { thrown } from '../support/thrown.js';

const TOKEN = 'correct-horse-battery-staple';
const OK: AccessDecision = { allowed: true };
const DENY_401: AccessDecision = { allowed: false, status: 401 };
const DENY_403: AccessDecision = { allowed: false, status: 403 };

const none = createAccessPolicy(undefined, undefined);
const tokenOnly = createAccessPolicy(TOKEN, undefined);
const cidrOnly = createAccessPolicy(undefined, new AddressList(['10.0.0.0/8', '2001:db8::/32']));
const both = createAccessPolicy(TOKEN, new AddressList(['10.0.0.0/8']));
const open = createAccessPolicy(undefined, new AddressList(['0.0.0.0/0', '::/0']));

describe('decideAccess', () => {
  it.each([
    ['no auth: IPv4 loopback', none, '127.0.0.1', undefined, OK],
    ['no auth: other 127/8 address', none, '127.0.0.2', undefined, OK],
    ['no auth: IPv6 loopback', none, '::1', undefined, OK],
    ['no auth: IPv4-mapped loopback', none, '::ffff:127.0.0.1', undefined, OK],
    ['no auth: a LAN client', none, '192.168.1.20', undefined, DENY_403],
    ['no auth: a token does not open it', none, '192.168.1.20', `Bearer ${TOKEN}`, DENY_403],
    ['no auth: unknown address', none, undefined, undefined, DENY_403],
    ['token: right', tokenOnly, '203.0.113.9', `Bearer ${TOKEN}`, OK],
    ['token: lower-case scheme', tokenOnly, '203.0.113.9', `bearer ${TOKEN}`, OK],
    ['token: upper-case scheme', tokenOnly, '203.0.113.9', `BEARER ${TOKEN}`, OK],
    ['token: wrong', tokenOnly, '203.0.113.9', 'Bearer wrong', DENY_401],
    ['token: other length', tokenOnly, '203.0.113.9', `Bearer ${TOKEN}x`, DENY_401],
    ['token: prefix of the right one', tokenOnly, '203.0.113.9', `Bearer ${TOKEN.slice(0, 5)}`, DENY_401],
    ['token: missing', tokenOnly, '203.0.113.9', undefined, DENY_401],
    ['token: other scheme', tokenOnly, '203.0.113.9', `Basic ${TOKEN}`, DENY_401],
    ['token: no token after the scheme', tokenOnly, '203.0.113.9', 'Bearer ', DENY_401],
    ['token: case matters in the token', tokenOnly, '203.0.113.9', `Bearer ${TOKEN.toUpperCase()}`, DENY_401],
    ['token: loopback needs it too', tokenOnly, '127.0.0.1', undefined, DENY_401],
    ['cidr: inside', cidrOnly, '10.1.2.3', undefined, OK],
    ['cidr: outside', cidrOnly, '11.1.2.3', undefined, DENY_403],
    ['cidr: IPv6 inside', cidrOnly, '2001:db8::42', undefined, OK],
    ['cidr: IPv6 outside', cidrOnly, '2001:db9::42', undefined, DENY_403],
    ['cidr: IPv4-mapped IPv6 inside an IPv4 range', cidrOnly, '::ffff:10.9.9.9', undefined, OK],
    ['cidr: loopback is not special once configured', cidrOnly, '127.0.0.1', undefined, DENY_403],
    ['both: token alone', both, '203.0.113.9', `Bearer ${TOKEN}`, OK],
    ['both: address alone', both, '10.0.0.5', undefined, OK],
    ['both: address with a wrong token', both, '10.0.0.5', 'Bearer wrong', OK],
    ['both: neither', both, '203.0.113.9', 'Bearer wrong', DENY_401],
    ['open to all: IPv4', open, '198.51.100.1', undefined, OK],
    ['open to all: IPv6', open, '2001:db8::1', undefined, OK],
  ])('%s', (_, policy, address, authorization, expected) => {
    expect(decideAccess(policy, address, authorization)).toEqual(expected);
  });

  it('refuses an empty token', () => {
    expect(() => createAccessPolicy('', undefined)).toThrow(/must not be empty/);
  });
});

/** Asserts a PromliteError `INVALID_CONFIG` whose message holds every one of `parts` and never `secret`. */
function expectConfigError(build: () => unknown, parts: readonly string[], secret?: string): void {
  const error = thrown(build);
  expect(error).toBeInstanceOf(PromliteError);
  expect((error as PromliteError).code).toBe('INVALID_CONFIG');
  const { message } = error as PromliteError;
  for (const part of parts) expect(message).toContain(part);
  if (secret !== undefined) expect(message).not.toContain(secret);
}

// What `Authorization: Bearer` can carry: RFC 6750 §2.1 b64token.
describe('bearer tokens', () => {
  it.each([
    ['letters and digits', 'abcXYZ019'],
    ['every punctuation b64token allows', 'a-b.c_d~e+f/g'],
    ['base64 padding', 'dG9rZW4='],
    ['double padding', 'dG9rZQ=='],
    ['one character', 'x'],
  ])('accepts %s', (_, token) => {
    const policy = createAccessPolicy(token, undefined);
    expect(decideAccess(policy, '203.0.113.9', `Bearer ${token}`)).toEqual(OK);
  });

  it.each([
    ['only spaces', '   ', 'whitespace'],
    ['a space inside', 'has sp4ce', 'whitespace'],
    ['a tab', 'tab\there', 'whitespace'],
    ['a trailing space', 'tra1l ', 'whitespace'],
    ['a leading space', ' l3ad', 'whitespace'],
    ['a newline', 'two\nlines', 'whitespace'],
    ['non-ASCII letters', 'pässwörd', 'non-ASCII'],
    ['a byte-order mark', '\uFEFFt0k3n', 'byte-order mark'],
    ['a control character', 'nul\u0000x', 'control character'],
    ['a quote', 'say"what', 'A-Z a-z 0-9'],
    ['a comma', 'one,two', 'A-Z a-z 0-9'],
    ['"=" not at the end', 'a=b', '"="'],
    ['only "="', '==', '"="'],
  ])('refuses a token with %s, without quoting it', (_, token, why) => {
    expectConfigError(
      () => createAccessPolicy(token, undefined),
      ['bearer token', why, 'RFC 6750'],
      token.trim() || undefined,
    );
  });

  it.each([
    ['a number', 12345, 'a number'],
    ['null', null, 'null'],
    ['an array', ['tok'], 'an array'],
  ])('refuses %s as a token, naming the type only', (_, token, given) => {
    expectConfigError(
      () => createAccessPolicy(token as unknown as string, undefined),
      ['bearer token', 'a string', given],
      '12345',
    );
  });
});

describe('createAccessGuard', () => {
  const guard = (options: unknown) => () => createAccessGuard(options as AccessOptions);

  it.each([
    ['token: a number', { token: 12345 }, ['option "token"', 'a string', 'got a number'], '12345'],
    ['token: an object', { token: { value: 'zq9' } }, ['option "token"', 'a string', 'got an object'], 'zq9'],
    [
      'trustedCidrs: a string',
      { trustedCidrs: '10.0.0.0/8' },
      ['option "trustedCidrs"', 'an array of strings', 'got "10.0.0.0/8"'],
    ],
    ['trustedCidrs: numbers inside', { trustedCidrs: [10] }, ['option "trustedCidrs"', 'an array of strings']],
    [
      'trustedProxies: a string',
      { trustedProxies: '10.0.0.1' },
      ['option "trustedProxies"', 'an array of strings', 'got "10.0.0.1"'],
    ],
    ['options: a string', 'token', ['options must be an object']],
    ['token: has a space', { token: 'has sp4ce' }, ['option "token"', 'whitespace'], 'has sp4ce'],
    ['token: non-ASCII', { token: 'pässwörd' }, ['option "token"', 'non-ASCII'], 'pässwörd'],
    [
      'trustedCidrs: a bad range',
      { trustedCidrs: ['10.0.0.0/33'] },
      ['createAccessGuard: trustedCidrs: "10.0.0.0/33" is not an IP address or CIDR range'],
    ],
  ])('refuses %s', (_, options, parts, secret?: string) => {
    expectConfigError(guard(options), parts, secret);
  });

  it('names the caller it is given', () => {
    expectConfigError(
      () => createAccessGuard({ token: 'has sp4ce' }, 'metricsHandler'),
      ['metricsHandler: option "token"'],
      'has sp4ce',
    );
  });

  it('reads only its own keys from a larger option bag', () => {
    expect(typeof createAccessGuard({ token: 'tok', path: '/metrics', gzip: false } as AccessOptions)).toBe('function');
  });

  it.each([['0.0.0.0/0'], ['::/0'], ['::ffff:0.0.0.0/96'], ['::/80'], ['::/1']])(
    'refuses trusted proxy %j: every client could then choose its own address',
    (entry) => {
      expectConfigError(guard({ trustedProxies: ['10.0.0.1', entry] }), [
        'trustedProxies',
        JSON.stringify(entry),
        'X-Forwarded-For',
      ]);
    },
  );

  it.each([['0.0.0.0/1'], ['10.0.0.0/8'], ['8000::/1'], ['fd00::/8'], ['::ffff:10.0.0.0/104']])(
    'accepts trusted proxy range %j',
    (entry) => {
      expect(typeof createAccessGuard({ trustedProxies: [entry] })).toBe('function');
    },
  );

  it('still accepts 0.0.0.0/0 and ::/0 as trustedCidrs: that is how one opens the endpoint to all', () => {
    expect(typeof createAccessGuard({ trustedCidrs: ['0.0.0.0/0', '::/0'] })).toBe('function');
  });
});

describe('clientAddress', () => {
  const proxies = new AddressList(['10.0.0.1', '10.0.0.2', 'fd00::/8']);
  it.each([
    ['untrusted peer: the peer, whatever the header says', '203.0.113.7', '127.0.0.1', '203.0.113.7'],
    ['untrusted peer without header', '203.0.113.7', undefined, '203.0.113.7'],
    ['trusted proxy: the forwarded client', '10.0.0.1', '198.51.100.4', '198.51.100.4'],
    [
      'trusted proxy: a forged entry left of the real client is ignored',
      '10.0.0.1',
      '127.0.0.1, 198.51.100.4',
      '198.51.100.4',
    ],
    ['multi-hop: skips trusted proxies from the right', '10.0.0.1', '198.51.100.4, 10.0.0.2', '198.51.100.4'],
    ['multi-hop: stops at the first untrusted hop', '10.0.0.1', '10.0.0.2, 198.51.100.4, 10.0.0.2', '198.51.100.4'],
    ['IPv6 proxy', 'fd00::5', '2001:db8::9', '2001:db8::9'],
    [
      'trusted proxy, no header: nobody (a proxy that names no client must not pass for one)',
      '10.0.0.1',
      undefined,
      undefined,
    ],
    ['trusted proxy, empty header: nobody', '10.0.0.1', '', undefined],
    ['trusted proxy, only proxies listed: the leftmost', '10.0.0.1', '10.0.0.2', '10.0.0.2'],
    ['trusted proxy, garbage hop: no address', '10.0.0.1', 'not-an-ip', undefined],
    ['trusted proxy, several headers', '10.0.0.1', ['127.0.0.1', '198.51.100.4'], '198.51.100.4'],
  ])('%s', (_, peer, forwardedFor, expected) => {
    expect(clientAddress(peer, forwardedFor, proxies)).toBe(expected);
  });

  it('a forged header from an untrusted peer never reaches loopback-only metrics', () => {
    const policy = createAccessPolicy(undefined, undefined);
    const address = clientAddress('203.0.113.7', '127.0.0.1', new AddressList([]));
    expect(decideAccess(policy, address, undefined)).toEqual(DENY_403);
  });
});

describe('AddressList', () => {
  it.each(['10.0.0.0/33', '10.0.0/8', 'example.com', '10.0.0.0/8/1', '::1/129', '', '10.0.0.0/-1', '10.0.0.0/x'])(
    'rejects %j',
    (entry) => {
      expect(() => new AddressList([entry], 'METRICS_TRUSTED_CIDRS')).toThrow(
        `METRICS_TRUSTED_CIDRS: ${JSON.stringify(entry)} is not an IP address or CIDR range`,
      );
    },
  );

  it.each([
    ['a string', '10.0.0.0/8', 'got "10.0.0.0/8"'],
    ['undefined', undefined, 'got undefined'],
    ['an object', { 0: '10.0.0.1' }, 'got an object'],
  ])('refuses %s instead of an array, naming the source', (_, entries, given) => {
    expectConfigError(
      () => new AddressList(entries as unknown as string[], 'trustedCidrs'),
      ['trustedCidrs: expected an array of addresses or CIDR ranges', given],
    );
  });

  it('refuses an entry that is not a string, naming the source', () => {
    expectConfigError(
      () => new AddressList(['10.0.0.1', 42 as unknown as string], 'trustedProxies'),
      ['trustedProxies: 42 is not an IP address or CIDR range'],
    );
  });

  it('contains nothing that is not an address', () => {
    expect(new AddressList(['0.0.0.0/0']).contains('not-an-ip')).toBe(false);
    expect(new AddressList(['0.0.0.0/0']).contains(undefined)).toBe(false);
  });
});
