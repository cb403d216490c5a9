import { BlockList, isIP } from 'node:net';
import { PromliteError } from '../errors.js';

/**
 * A set of IP ranges (CIDRs or single addresses), IPv4 and IPv6. An IPv4-mapped IPv6 address
 * (`::ffff:10.0.0.1`) matches IPv4 ranges, as Node's `BlockList` does.
 */
export class AddressList {
  /** The entries as given, for messages and docs. */
  readonly entries: readonly string[];
  private readonly list = new BlockList();

  /**
   * @param entries `10.0.0.0/8`, `192.168.1.7`, `::1`, `fd00::/8`…
   * @param source names where the entries came from, for error messages (an env variable, an option).
   * @throws PromliteError `INVALID_CONFIG` naming the bad entry.
   */
  constructor(entries: readonly string[], source = 'address list') {
    this.entries = Object.freeze([...entries]);
    for (const entry of entries) {
      const [address = '', prefix, extra] = entry.trim().split('/');
      const family = isIP(address);
      const bits = family === 4 ? 32 : 128;
      const prefixLength = prefix === undefined ? bits : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
      if (family === 0 || extra !== undefined || !(prefixLength >= 0 && prefixLength <= bits)) {
        throw new PromliteError('INVALID_CONFIG', `${source}: ${JSON.stringify(entry)} is not an IP address or CIDR range`);
      }
      this.list.addSubnet(address, prefixLength, family === 4 ? 'ipv4' : 'ipv6');
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
