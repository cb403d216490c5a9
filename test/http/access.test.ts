import { describe, expect, it } from 'vitest';
import { AddressList, clientAddress, createAccessPolicy, decideAccess, type AccessDecision } from '../../src/index.js';

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

describe('clientAddress', () => {
  const proxies = new AddressList(['10.0.0.1', '10.0.0.2', 'fd00::/8']);
  it.each([
    ['untrusted peer: the peer, whatever the header says', '203.0.113.7', '127.0.0.1', '203.0.113.7'],
    ['untrusted peer without header', '203.0.113.7', undefined, '203.0.113.7'],
    ['trusted proxy: the forwarded client', '10.0.0.1', '198.51.100.4', '198.51.100.4'],
    ['trusted proxy: a forged entry left of the real client is ignored', '10.0.0.1', '127.0.0.1, 198.51.100.4', '198.51.100.4'],
    ['multi-hop: skips trusted proxies from the right', '10.0.0.1', '198.51.100.4, 10.0.0.2', '198.51.100.4'],
    ['multi-hop: stops at the first untrusted hop', '10.0.0.1', '10.0.0.2, 198.51.100.4, 10.0.0.2', '198.51.100.4'],
    ['IPv6 proxy', 'fd00::5', '2001:db8::9', '2001:db8::9'],
    ['trusted proxy, no header: the proxy itself', '10.0.0.1', undefined, '10.0.0.1'],
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
  it.each(['10.0.0.0/33', '10.0.0/8', 'example.com', '10.0.0.0/8/1', '::1/129', '', '10.0.0.0/-1', '10.0.0.0/x'])('rejects %j', (entry) => {
    expect(() => new AddressList([entry], 'METRICS_TRUSTED_CIDRS')).toThrow(`METRICS_TRUSTED_CIDRS: ${JSON.stringify(entry)} is not an IP address or CIDR range`);
  });

  it('contains nothing that is not an address', () => {
    expect(new AddressList(['0.0.0.0/0']).contains('not-an-ip')).toBe(false);
    expect(new AddressList(['0.0.0.0/0']).contains(undefined)).toBe(false);
  });
});
