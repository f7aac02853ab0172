import { describe, expect, it } from '@jest/globals';
import { addressInRanges, clientAddress, parseAddressRanges } from './client-address.js';

const ranges = (...entries: string[]) => {
  const parsed = parseAddressRanges(entries);
  if (!parsed.ok) throw new Error(parsed.invalid);
  return parsed.ranges;
};

describe('address ranges', () => {
  it('matches IPv4 and IPv6 CIDRs and single addresses, IPv4-mapped peers as IPv4', () => {
    const allow = ranges('197.97.145.144/28', '2001:db8::/32', '41.74.179.194');
    expect(addressInRanges('197.97.145.150', allow)).toBe(true);
    expect(addressInRanges('::ffff:197.97.145.150', allow)).toBe(true);
    expect(addressInRanges('197.97.145.160', allow)).toBe(false);
    expect(addressInRanges('2001:db8::1', allow)).toBe(true);
    expect(addressInRanges('41.74.179.194', allow)).toBe(true);
    expect(addressInRanges('41.74.179.195', allow)).toBe(false);
    expect(addressInRanges('not an ip', allow)).toBe(false);
  });

  it('names the first invalid entry', () => {
    expect(parseAddressRanges(['10.0.0.0/8', '10.0.0.0/33', 'x'])).toEqual({ ok: false, invalid: '10.0.0.0/33' });
    expect(parseAddressRanges(['example.com'])).toEqual({ ok: false, invalid: 'example.com' });
  });
});

describe('clientAddress', () => {
  it('ignores X-Forwarded-For unless the peer is a trusted proxy', () => {
    expect(clientAddress('203.0.113.7', '1.2.3.4', [])).toBe('203.0.113.7');
    expect(clientAddress('::ffff:203.0.113.7', undefined, [])).toBe('203.0.113.7');
  });

  it('walks back through trusted proxies only, so a client cannot prepend its own address', () => {
    const proxies = ranges('10.0.0.0/8');
    expect(clientAddress('10.0.0.2', '197.97.145.150', proxies)).toBe('197.97.145.150');
    // The caller wrote "197.97.145.150" itself; the proxy appended the real peer, 203.0.113.9.
    expect(clientAddress('10.0.0.2', '197.97.145.150, 203.0.113.9', proxies)).toBe('203.0.113.9');
    expect(clientAddress('10.0.0.2', '203.0.113.9, 10.0.0.7', proxies)).toBe('203.0.113.9');
    // Only proxies all the way: the last address we could see.
    expect(clientAddress('10.0.0.2', '10.0.0.3', proxies)).toBe('10.0.0.3');
  });
});
