import { isIP } from 'node:net';
import type { AddressList } from './address-list.js';

/**
 * The address a request came from: the socket peer, unless that peer is a trusted proxy; then
 * `X-Forwarded-For` is walked from the right (the hop nearest to us) and the first address that
 * is not a trusted proxy is the client. Entries left of it are the client's own word and never
 * believed, so a forged header cannot get anyone in. Returns `undefined` when a trusted proxy
 * sent no usable address, or none at all. Pure.
 */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | readonly string[] | undefined,
  trustedProxies: AddressList,
): string | undefined {
  if (peer === undefined || !trustedProxies.contains(peer)) return peer;
  // Several X-Forwarded-For headers count as one list, in order.
  const hops = (typeof forwardedFor === 'string' ? [forwardedFor] : (forwardedFor ?? []))
    .flatMap((header) => header.split(','))
    .map((hop) => hop.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] as string;
    if (isIP(hop) === 0) return undefined; // garbage from here on cannot be trusted
    if (!trustedProxies.contains(hop)) return hop;
  }
  // Every hop is a proxy we trust: the leftmost is the origin. A trusted proxy that names no
  // client at all must not pass for the client itself: behind a proxy on the same host that
  // forgets the header, every request would look like loopback.
  return hops[0];
}
