import ipaddr from 'ipaddr.js';

/** An address range, from `10.0.0.0/8`, `2001:db8::/32` or a single address. */
export type AddressRange = [ipaddr.IPv4 | ipaddr.IPv6, number];

/** IPv4-mapped IPv6 (`::ffff:1.2.3.4`, how a dual-stack socket reports IPv4 peers) as the IPv4 it is. */
function normalise(address: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  const trimmed = address.trim();
  if (!ipaddr.isValid(trimmed)) return null;
  const parsed = ipaddr.parse(trimmed);
  return parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress() ? (parsed as ipaddr.IPv6).toIPv4Address() : parsed;
}

/** Parses CIDR ranges or single addresses; the first invalid entry is named. */
export function parseAddressRanges(entries: readonly string[]): { ok: true; ranges: AddressRange[] } | { ok: false; invalid: string } {
  const ranges: AddressRange[] = [];
  for (const entry of entries) {
    try {
      if (entry.includes('/')) {
        const [addr, bits] = ipaddr.parseCIDR(entry.trim());
        const v4 = addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress();
        ranges.push(v4 ? [(addr as ipaddr.IPv6).toIPv4Address(), bits - 96] : [addr, bits]);
      } else {
        const addr = normalise(entry);
        if (!addr) return { ok: false, invalid: entry };
        ranges.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
      }
    } catch {
      return { ok: false, invalid: entry };
    }
  }
  return { ok: true, ranges };
}

export function addressInRanges(address: string, ranges: readonly AddressRange[]): boolean {
  const addr = normalise(address);
  if (!addr) return false;
  return ranges.some(([net, bits]) => {
    if (addr.kind() === 'ipv4' && net.kind() === 'ipv4') return (addr as ipaddr.IPv4).match(net, bits);
    if (addr.kind() === 'ipv6' && net.kind() === 'ipv6') return (addr as ipaddr.IPv6).match(net, bits);
    return false;
  });
}

/**
 * The address a request came from. X-Forwarded-For is believed only through proxies we trust:
 * starting from the socket's peer, while the current hop is a trusted proxy, step to the entry
 * it appended (right to left); the first untrusted hop is the client. With no trusted proxies
 * the header is ignored, so a caller cannot choose its own address.
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trustedProxies: readonly AddressRange[]): string {
  const hops = (forwardedFor ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  let current = peer;
  while (hops.length && addressInRanges(current, trustedProxies)) current = hops.pop() as string;
  const addr = normalise(current);
  return addr ? addr.toString() : current;
}
