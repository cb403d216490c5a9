import { BlockList, isIP } from 'node:net';
import { PromliteError } from '../../errors.js';
import { describeValue } from '../../options.js';

/**
 * A set of IP ranges (CIDRs or single addresses), IPv4 and IPv6. An IPv4-mapped IPv6 address
 * (`::ffff:10.0.0.1`) matches IPv4 ranges, as Node's `BlockList` does.
 */
export class AddressList {
  /** The entries as given, for messages and docs. */
  readonly entries: readonly string[];
  private readonly list = new BlockList();

  /**
   * @param entries `10.0.0.0/8`, `192.168.1.7`, `::1`, `fd00::/8`…; the array is copied.
   * @param source names where the entries came from, for error messages (an env variable, an option).
   * @throws PromliteError `INVALID_CONFIG` naming `source` and the bad entry, or what was given
   *   instead of an array.
   */
  constructor(entries: readonly string[], source = 'address list') {
    // Plain-JavaScript callers may pass one string: iterating it would complain about "1".
    if (!Array.isArray(entries)) {
      throw new PromliteError(
        'INVALID_CONFIG',
        `${source}: expected an array of addresses or CIDR ranges, got ${describeValue(entries)}`,
      );
    }
    this.entries = Object.freeze([...entries]);
    for (const entry of this.entries) {
      const range = parseRange(entry);
      if (range === undefined)
        throw new PromliteError(
          'INVALID_CONFIG',
          `${source}: ${describeValue(entry)} is not an IP address or CIDR range`,
        );
      this.list.addSubnet(range.address, range.prefixLength, range.family);
    }
  }

  /** Whether `address` falls in any range. An empty list contains nothing. Never throws. */
  contains(address: string | undefined): boolean {
    if (address === undefined) return false;
    const family = isIP(address);
    if (family === 0) return false;
    return this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

/** Loopback: `127.0.0.0/8` and `::1` (and their IPv4-mapped form). */
export const LOOPBACK = new AddressList(['127.0.0.0/8', '::1/128'], 'loopback');

interface Range {
  readonly address: string;
  readonly prefixLength: number;
  readonly family: 'ipv4' | 'ipv6';
}

/** Reads `10.0.0.0/8`, `10.0.0.1`, `fd00::/8`…; `undefined` when it is none of these. */
function parseRange(entry: unknown): Range | undefined {
  if (typeof entry !== 'string') return undefined;
  const [address = '', prefix, extra] = entry.trim().split('/');
  const family = isIP(address);
  const bits = family === 4 ? 32 : 128;
  const prefixLength = prefix === undefined ? bits : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
  if (family === 0 || extra !== undefined || !(prefixLength >= 0 && prefixLength <= bits)) return undefined;
  return { address, prefixLength, family: family === 4 ? 'ipv4' : 'ipv6' };
}

/**
 * The peers an entry holds all of: `IPv4` for `0.0.0.0/0` and for IPv6 ranges that hold every
 * IPv4-mapped address (`::ffff:0.0.0.0/96`, `::/80`…, which Node's `BlockList` matches against
 * IPv4 peers), `IPv6` for ranges holding every IPv6 address, `all` for `::/0`; `undefined`
 * otherwise and for invalid entries. A range is one block: holding both ends of a family means
 * holding all of it.
 */
function familyCoveredBy(entry: string): 'IPv4' | 'IPv6' | 'all' | undefined {
  const range = parseRange(entry);
  if (range === undefined) return undefined;
  const list = new BlockList();
  list.addSubnet(range.address, range.prefixLength, range.family);
  const ipv4 = list.check('0.0.0.0', 'ipv4') && list.check('255.255.255.255', 'ipv4');
  const ipv6 = list.check('::', 'ipv6') && list.check('ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', 'ipv6');
  return ipv4 && ipv6 ? 'all' : ipv4 ? 'IPv4' : ipv6 ? 'IPv6' : undefined;
}

/**
 * Builds the list of proxies whose `X-Forwarded-For` is believed. A range holding every IPv4 or
 * every IPv6 address is refused: every client could then write its own address in the header
 * and pass for loopback or an allowed range.
 * @throws PromliteError `INVALID_CONFIG` naming `source` and the entry, or a bad entry.
 */
export function trustedProxyList(entries: readonly string[], source: string): AddressList {
  const list = new AddressList(entries, source);
  for (const entry of list.entries) {
    const family = familyCoveredBy(entry);
    if (family !== undefined) {
      throw new PromliteError(
        'INVALID_CONFIG',
        `${source}: ${JSON.stringify(entry)} trusts every ${family === 'all' ? '' : `${family} `}peer as a proxy, so every client could choose its own address with X-Forwarded-For; list only your proxies' addresses`,
      );
    }
  }
  return list;
}
