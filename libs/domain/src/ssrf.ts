import ipaddr from 'ipaddr.js';

/**
 * Only ipaddr.js's `unicast` range is reachable; everything else (loopback, private, link-local
 * where cloud metadata lives, CGNAT, multicast, reserved, …) is refused. IPv4-mapped IPv6
 * addresses are judged as the IPv4 address they carry.
 */
export type AddressVerdict = { allowed: true; address: string } | { allowed: false; address: string; range: string };

const IPV4_COMPATIBLE: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('::'), 96];

export function classifyAddress(address: string): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, address, range: 'invalid' };
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  const range = parsed.range();
  // ipaddr.js calls the deprecated IPv4-compatible block ::/96 (RFC 4291 §2.5.5.1) plain unicast,
  // so `::127.0.0.1` would pass; stacks with automatic tunnels route it to the IPv4 address it carries.
  if (range === 'unicast' && parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).match(IPV4_COMPATIBLE)) {
    return { allowed: false, address, range: 'ipv4Compatible' };
  }
  return range === 'unicast' ? { allowed: true, address } : { allowed: false, address, range };
}

export interface AllowList {
  /** Hostnames or literal IPs allowed even though their addresses are not public (dev and tests). */
  hosts: ReadonlySet<string>;
}

/** Decides one resolved address for one hostname; the allowlist is matched on the name asked for. */
export function isAddressAllowed(hostname: string, address: string, allow: AllowList): AddressVerdict {
  const verdict = classifyAddress(address);
  if (verdict.allowed) return verdict;
  const host = normaliseHost(hostname);
  if (allow.hosts.has(host) || allow.hosts.has(address)) return { allowed: true, address };
  return verdict;
}

export function normaliseHost(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, '').replace(/^\[(.*)\]$/, '$1');
}

export type UrlVerdict = { ok: true; url: URL } | { ok: false; code: 'invalid_url' | 'url_not_allowed'; reason: string };

/**
 * Static checks made when a subscription is saved: https only (unless allowlisted), no
 * credentials in the URL, and literal IPs judged like resolved ones. Hostnames are judged
 * again, on every connection, by the dispatcher's DNS hook.
 */
export function checkSubscriptionUrl(raw: string, allow: AllowList): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, code: 'invalid_url', reason: 'not an absolute URL' };
  }
  const host = normaliseHost(url.hostname);
  const allowlisted = allow.hosts.has(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowlisted)) {
    return { ok: false, code: 'url_not_allowed', reason: 'only https URLs are accepted' };
  }
  if (url.username || url.password) {
    return { ok: false, code: 'url_not_allowed', reason: 'URLs with credentials are not accepted' };
  }
  if (!host) return { ok: false, code: 'invalid_url', reason: 'the URL has no host' };
  if (ipaddr.isValid(host) && !allowlisted) {
    const verdict = classifyAddress(host);
    if (!verdict.allowed) {
      return { ok: false, code: 'url_not_allowed', reason: `${host} is in the ${verdict.range} range` };
    }
  }
  if (!allowlisted && (host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.internal'))) {
    return { ok: false, code: 'url_not_allowed', reason: `${host} is not a public host` };
  }
  return { ok: true, url };
}
