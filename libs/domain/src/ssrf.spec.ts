import { describe, expect, it } from '@jest/globals';
import { type AllowList, checkSubscriptionUrl, classifyAddress, isAddressAllowed, normaliseHost } from './ssrf.js';

// Pure string decisions only: nothing here resolves names or opens sockets.
const none: AllowList = { hosts: new Set<string>() };

describe('classifyAddress refuses every non-public address', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'linkLocal'],
    ['fe80::1%eth0', 'linkLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['64:ff9b::a9fe:a9fe', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['2001::1', 'teredo'],
  ])('%s (%s)', (address, range) => {
    expect(classifyAddress(address)).toEqual({ allowed: false, address, range });
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['0:0:0:0:0:ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:a9fe:a9fe', 'linkLocal'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:192.168.0.1', 'private'],
    ['::ffff:100.64.0.1', 'carrierGradeNat'],
  ])('judges the IPv4-mapped %s as the IPv4 address it carries (%s)', (address, range) => {
    expect(classifyAddress(address)).toEqual({ allowed: false, address, range });
  });

  it.each(['::7f00:1', '::a9fe:a9fe', '::a00:1', '::808:808', '0:0:0:0:0:0:7f00:1'])('refuses the deprecated IPv4-compatible %s', (address) => {
    // ipaddr.js calls ::/96 plain unicast; this is the form WHATWG URL and DNS answers produce.
    expect(classifyAddress(address)).toEqual({ allowed: false, address, range: 'ipv4Compatible' });
  });

  it('refuses ::127.0.0.1, which ipaddr.js reads as IPv4-mapped', () => {
    expect(classifyAddress('::127.0.0.1')).toEqual({ allowed: false, address: '::127.0.0.1', range: 'loopback' });
    expect(classifyAddress('::169.254.169.254')).toEqual({ allowed: false, address: '::169.254.169.254', range: 'linkLocal' });
  });

  it.each(['not-an-ip', '', 'localhost', '256.0.0.1', '1.2.3.4.5', '::g', 'example.com'])('calls %j invalid', (address) => {
    expect(classifyAddress(address)).toEqual({ allowed: false, address, range: 'invalid' });
  });
});

describe('classifyAddress allows public unicast addresses', () => {
  it.each(['93.184.216.34', '8.8.8.8', '1.1.1.1', '172.15.255.255', '172.32.0.1', '100.63.255.255', '100.128.0.1', '11.0.0.1', '2606:4700::1111', '2a00:1450:4001:80b::200e', '::ffff:8.8.8.8'])(
    '%s',
    (address) => {
      expect(classifyAddress(address)).toEqual({ allowed: true, address });
    },
  );
});

describe('isAddressAllowed', () => {
  const dev: AllowList = { hosts: new Set(['localhost', 'receiver.test', '10.0.0.5']) };

  it('allows a public address for any name', () => {
    expect(isAddressAllowed('hooks.example.com', '93.184.216.34', none)).toEqual({ allowed: true, address: '93.184.216.34' });
  });

  it('refuses a private address behind an ordinary name (DNS rebinding)', () => {
    expect(isAddressAllowed('hooks.example.com', '127.0.0.1', dev)).toEqual({ allowed: false, address: '127.0.0.1', range: 'loopback' });
    expect(isAddressAllowed('hooks.example.com', '169.254.169.254', dev)).toMatchObject({ allowed: false, range: 'linkLocal' });
  });

  it('allows a private address for an allowlisted name, however the name is written', () => {
    expect(isAddressAllowed('localhost', '127.0.0.1', dev).allowed).toBe(true);
    expect(isAddressAllowed('LOCALHOST.', '::1', dev).allowed).toBe(true);
    expect(isAddressAllowed('Receiver.Test', '172.18.0.3', dev).allowed).toBe(true);
  });

  it('allows an allowlisted literal address', () => {
    expect(isAddressAllowed('10.0.0.5', '10.0.0.5', dev).allowed).toBe(true);
    expect(isAddressAllowed('10.0.0.6', '10.0.0.6', dev).allowed).toBe(false);
  });
});

describe('normaliseHost', () => {
  it.each([
    ['Example.COM', 'example.com'],
    ['example.com.', 'example.com'],
    ['localhost..', 'localhost'],
    ['[::1]', '::1'],
    ['[FE80::1]', 'fe80::1'],
  ])('%s → %s', (raw, expected) => {
    expect(normaliseHost(raw)).toBe(expected);
  });
});

describe('checkSubscriptionUrl refuses non-public literal addresses however they are written', () => {
  it.each([
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://127.1/hook', 'loopback'],
    ['https://2130706433/hook', 'loopback'],
    ['https://0x7f000001/hook', 'loopback'],
    ['https://0x7f.1/hook', 'loopback'],
    ['https://0177.0.0.1/hook', 'loopback'],
    ['https://127.0.0.1./hook', 'loopback'],
    ['https://%31%32%37.0.0.1/hook', 'loopback'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['https://[::ffff:7f00:1]/hook', 'loopback'],
    ['https://[0:0:0:0:0:ffff:7f00:1]/hook', 'loopback'],
    ['https://[::127.0.0.1]/hook', 'ipv4Compatible'],
    ['https://evil.com@127.0.0.1/', null],
    ['https://10.0.0.1/hook', 'private'],
    ['https://172.16.0.1/hook', 'private'],
    ['https://172.31.255.254/hook', 'private'],
    ['https://192.168.1.10/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'linkLocal'],
    ['https://2852039166/latest/meta-data', 'linkLocal'],
    ['https://0xa9fea9fe/latest/meta-data', 'linkLocal'],
    ['https://[::ffff:169.254.169.254]/', 'linkLocal'],
    ['https://[::ffff:a9fe:a9fe]/', 'linkLocal'],
    ['https://[fd00:ec2::254]/latest/meta-data/', 'uniqueLocal'],
    ['https://100.64.0.1/hook', 'carrierGradeNat'],
    ['https://0.0.0.0/hook', 'unspecified'],
    ['https://0/hook', 'unspecified'],
    ['https://[::]/hook', 'unspecified'],
    ['https://224.0.0.1/hook', 'multicast'],
    ['https://[ff02::1]/hook', 'multicast'],
    ['https://255.255.255.255/hook', 'broadcast'],
    ['https://240.0.0.1/hook', 'reserved'],
    ['https://[fe80::1]/hook', 'linkLocal'],
    ['https://[fc00::1]/hook', 'uniqueLocal'],
    ['https://[64:ff9b::7f00:1]/hook', 'rfc6052'],
    ['https://192.0.2.1/hook', 'reserved'],
    ['https://198.18.0.1/hook', 'reserved'],
  ])('%s (%s)', (url, range) => {
    const verdict = checkSubscriptionUrl(url, none);
    expect(verdict).toMatchObject({ ok: false, code: 'url_not_allowed' });
    // The userinfo trick is refused for its credentials before the address is even looked at.
    if (range) expect(!verdict.ok && verdict.reason).toContain(`${range} range`);
  });

  it('refuses decimal and hex loopback over plain http too', () => {
    expect(checkSubscriptionUrl('http://2130706433/', none)).toMatchObject({ ok: false, code: 'url_not_allowed' });
    expect(checkSubscriptionUrl('http://0x7f000001/', none)).toMatchObject({ ok: false, code: 'url_not_allowed' });
  });
});

describe('checkSubscriptionUrl refuses local names', () => {
  it.each([
    'https://localhost/hook',
    'https://LOCALHOST/hook',
    'https://localhost./hook',
    'https://localhost../hook',
    'https://api.localhost/hook',
    'https://api.localhost./hook',
    'https://metadata.google.internal/computeMetadata/v1/',
  ])('%s', (url) => {
    const verdict = checkSubscriptionUrl(url, none);
    expect(verdict).toMatchObject({ ok: false, code: 'url_not_allowed' });
    expect(!verdict.ok && verdict.reason).toContain('is not a public host');
  });
});

describe('checkSubscriptionUrl refuses other unsafe or malformed URLs', () => {
  it.each([
    ['http://hooks.example.com/hook', 'only https URLs are accepted'],
    ['ftp://hooks.example.com/hook', 'only https URLs are accepted'],
    ['file:///etc/passwd', 'only https URLs are accepted'],
    ['gopher://127.0.0.1:6379/_INFO', 'only https URLs are accepted'],
    ['https://user:pass@hooks.example.com/hook', 'URLs with credentials are not accepted'],
    ['https://user@hooks.example.com/hook', 'URLs with credentials are not accepted'],
    ['https://:pass@hooks.example.com/hook', 'URLs with credentials are not accepted'],
    ['https://evil.com@127.0.0.1/', 'URLs with credentials are not accepted'],
    ['https://127.0.0.1%2f@evil.example/hook', 'URLs with credentials are not accepted'],
  ])('%s', (url, reason) => {
    expect(checkSubscriptionUrl(url, none)).toEqual({ ok: false, code: 'url_not_allowed', reason });
  });

  it.each(['//hooks.example.com/hook', 'hooks.example.com/hook', '', 'https://', 'https://exa mple.com/', 'https://[::1/'])('%j is not a URL', (url) => {
    expect(checkSubscriptionUrl(url, none)).toEqual({ ok: false, code: 'invalid_url', reason: 'not an absolute URL' });
  });
});

describe('checkSubscriptionUrl accepts ordinary public https URLs', () => {
  it.each([
    'https://hooks.example.com/hook',
    'https://HOOKS.Example.com./hook',
    'https://api.partner.co.za:8443/webhooks/hookstream?x=1#frag',
    'https://93.184.216.34/hook',
    'https://8.8.8.8/hook',
    'https://[2606:4700::1111]/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://xn--bcher-kva.example/hook',
    'https://bücher.example/hook',
    'https://localhost.example.com/hook',
    'https://internal.example.com/hook',
  ])('%s', (url) => {
    const verdict = checkSubscriptionUrl(url, none);
    expect(verdict.ok).toBe(true);
    expect(verdict.ok && verdict.url.href).toBe(new URL(url).href);
  });
});

describe('checkSubscriptionUrl with an allowlist (dev and tests)', () => {
  const dev: AllowList = { hosts: new Set(['127.0.0.1', 'localhost', 'receiver.internal']) };

  it('lets allowlisted hosts through over http or https', () => {
    expect(checkSubscriptionUrl('http://127.0.0.1:4000/webhooks', dev).ok).toBe(true);
    expect(checkSubscriptionUrl('https://127.0.0.1:4000/webhooks', dev).ok).toBe(true);
    expect(checkSubscriptionUrl('http://localhost:4000/webhooks', dev).ok).toBe(true);
    expect(checkSubscriptionUrl('http://LOCALHOST.:4000/webhooks', dev).ok).toBe(true);
    expect(checkSubscriptionUrl('http://receiver.internal/webhooks', dev).ok).toBe(true);
  });

  it('matches the literal address, not the number it denotes', () => {
    // 2130706433 normalises to 127.0.0.1, which is allowlisted.
    expect(checkSubscriptionUrl('http://2130706433/', dev).ok).toBe(true);
    expect(checkSubscriptionUrl('http://127.0.0.2/', dev)).toMatchObject({ ok: false, code: 'url_not_allowed' });
  });

  it('still refuses plain http and private addresses for hosts not on the list', () => {
    expect(checkSubscriptionUrl('http://127.0.0.1:4000/webhooks', none)).toMatchObject({ ok: false, reason: 'only https URLs are accepted' });
    expect(checkSubscriptionUrl('http://10.0.0.1/webhooks', dev)).toMatchObject({ ok: false, reason: 'only https URLs are accepted' });
    expect(checkSubscriptionUrl('https://10.0.0.1/webhooks', dev)).toMatchObject({ ok: false, reason: '10.0.0.1 is in the private range' });
    expect(checkSubscriptionUrl('http://hooks.example.com/', dev)).toMatchObject({ ok: false, reason: 'only https URLs are accepted' });
  });

  it('still refuses credentials on allowlisted hosts', () => {
    expect(checkSubscriptionUrl('http://user:pw@localhost/', dev)).toMatchObject({ ok: false, reason: 'URLs with credentials are not accepted' });
  });
});
