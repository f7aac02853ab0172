import { describe, expect, it } from '@jest/globals';
import { checkSubscriptionUrl, classifyAddress } from './ssrf.js';

const none = { hosts: new Set<string>() };

describe('checkSubscriptionUrl refuses non-public targets however they are written', () => {
  it.each([
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://127.1/hook', 'loopback, short form'],
    ['https://2130706433/hook', 'loopback, decimal'],
    ['https://0x7f000001/hook', 'loopback, hex'],
    ['https://0177.0.0.1/hook', 'loopback, octal'],
    ['https://[::1]/hook', 'IPv6 loopback'],
    ['https://[::ffff:127.0.0.1]/hook', 'IPv4-mapped loopback'],
    ['https://[::ffff:7f00:1]/hook', 'IPv4-mapped loopback, hex'],
    ['https://localhost/hook', 'localhost'],
    ['https://localhost./hook', 'localhost, trailing dot'],
    ['https://api.localhost/hook', 'a .localhost name'],
    ['https://metadata.google.internal/computeMetadata', 'a .internal name'],
    ['https://10.0.0.1/hook', 'private 10/8'],
    ['https://172.16.0.1/hook', 'private 172.16/12, low'],
    ['https://172.31.255.254/hook', 'private 172.16/12, high'],
    ['https://192.168.1.10/hook', 'private 192.168/16'],
    ['https://169.254.169.254/latest/meta-data/', 'cloud metadata'],
    ['https://[fd00:ec2::254]/latest/meta-data/', 'AWS IPv6 metadata'],
    ['https://[::ffff:169.254.169.254]/', 'IPv4-mapped metadata'],
    ['https://100.64.0.1/hook', 'CGNAT'],
    ['https://0.0.0.0/hook', 'unspecified'],
    ['https://[::]/hook', 'IPv6 unspecified'],
    ['https://224.0.0.1/hook', 'multicast'],
    ['https://[ff02::1]/hook', 'IPv6 multicast'],
    ['https://255.255.255.255/hook', 'broadcast'],
    ['https://240.0.0.1/hook', 'reserved'],
    ['https://[fe80::1]/hook', 'IPv6 link-local'],
    ['https://[fc00::1]/hook', 'IPv6 unique local'],
    ['https://192.0.2.1/hook', 'documentation range'],
    ['https://198.18.0.1/hook', 'benchmarking range'],
    ['https://evil.example@127.0.0.1/hook', 'userinfo trick'],
    ['https://127.0.0.1%2f@evil.example/hook', 'encoded userinfo trick'],
    ['http://hooks.example.com/hook', 'plain http'],
    ['ftp://hooks.example.com/hook', 'another scheme'],
    ['https://user:pass@hooks.example.com/hook', 'credentials'],
    ['//hooks.example.com/hook', 'no scheme'],
  ])('%s (%s)', (url) => {
    expect(checkSubscriptionUrl(url, none).ok).toBe(false);
  });
});

describe('checkSubscriptionUrl accepts ordinary public https URLs', () => {
  it.each([
    'https://hooks.example.com/hook',
    'https://api.partner.co.za:8443/webhooks/hookstream?x=1',
    'https://93.184.216.34/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://xn--bcher-kva.example/hook',
  ])('%s', (url) => {
    const verdict = checkSubscriptionUrl(url, none);
    expect(verdict.ok).toBe(true);
  });

  it('lets loopback and http through only for allowlisted hosts', () => {
    const dev = { hosts: new Set(['127.0.0.1', 'localhost']) };
    expect(checkSubscriptionUrl('http://127.0.0.1:4000/webhooks', dev).ok).toBe(true);
    expect(checkSubscriptionUrl('http://localhost:4000/webhooks', dev).ok).toBe(true);
    expect(checkSubscriptionUrl('http://127.0.0.1:4000/webhooks', none).ok).toBe(false);
    expect(checkSubscriptionUrl('http://10.0.0.1/webhooks', dev).ok).toBe(false);
  });
});

describe('classifyAddress', () => {
  it.each([
    ['8.8.8.8', true],
    ['2606:4700::1111', true],
    ['127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:8.8.8.8', true],
    ['not-an-ip', false],
  ])('%s allowed=%s', (address, allowed) => {
    expect(classifyAddress(address).allowed).toBe(allowed);
  });
});
