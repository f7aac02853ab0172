import type { LookupAddress } from 'node:dns';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestCa, type TestCa, TestConnectProxy, TestReceiver } from '@hookstream/testing';
import { GotSender, type HttpSender, NodeHttpSender, parseEgressProxy, type Resolver, type SenderOptions, UndiciSender } from '@hookstream/webhook-http';

/**
 * Deliveries through an egress proxy (EGRESS_PROXY_URL), every sender, against a CONNECT proxy on
 * loopback that records what it is asked for. DNS is stubbed: the dispatcher resolves and judges
 * each target itself and asks the proxy for the checked address, never the name, so a refused
 * address (private, metadata) never reaches the proxy at all; TLS runs end to end with the name.
 */
describe.each([
  ['GotSender', GotSender],
  ['NodeHttpSender', NodeHttpSender],
  ['UndiciSender', UndiciSender],
] as [string, new (options: SenderOptions) => HttpSender][])('egress proxy through %s', (_name, Sender) => {
  let ca: TestCa;
  let proxy: TestConnectProxy;
  let plain: TestReceiver;
  let secure: TestReceiver;
  let sender: HttpSender;
  const answers: Record<string, string[]> = {
    'hooks.partner.test': ['127.0.0.1'],
    'private.test': ['10.1.2.3'],
    'metadata.test': ['169.254.169.254'],
    'mixed.test': ['93.184.216.34', '10.0.0.9'],
  };
  const resolve: Resolver = (hostname, cb) => cb(null, (answers[hostname] ?? []).map((address): LookupAddress => ({ address, family: 4 })));

  beforeAll(async () => {
    ca = await createTestCa();
    proxy = await TestConnectProxy.start();
    plain = await TestReceiver.start();
    secure = await TestReceiver.start({ tls: await ca.issue({ hosts: ['hooks.partner.test'] }) });
    const egressProxy = parseEgressProxy(proxy.url.replace('http://', 'http://egress:s%40fe@'));
    sender = new Sender({ allow: { hosts: new Set(['hooks.partner.test']) }, connectTimeoutMs: 2000, maxHosts: 10, resolve, extraCaCertificates: ca.certificate, egressProxy });
  });

  afterAll(async () => {
    sender.close();
    await Promise.all([proxy.close(), plain.close(), secure.close()]);
    ca.dispose();
  });

  const port = (r: TestReceiver) => new URL(r.url).port;
  const post = (url: string) => sender.send({ url, headers: { 'content-type': 'application/json' }, body: '{"via":"proxy"}', timeoutMs: 3000 });

  it('tunnels to the checked address, with the proxy\'s credentials, keeping the Host header and reusing the tunnel', async () => {
    const before = proxy.connects.length;
    expect(await post(`http://hooks.partner.test:${port(plain)}/a`)).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(await post(`http://hooks.partner.test:${port(plain)}/b`)).toMatchObject({ kind: 'response', statusCode: 200 });
    const tunnels = proxy.connects.slice(before);
    // undici's pool opens a second socket on the first request after a connect; after that, none.
    expect(tunnels.length).toBeLessThanOrEqual(2);
    expect(new Set(tunnels.map((t) => JSON.stringify(t)))).toEqual(new Set([JSON.stringify({ target: `127.0.0.1:${port(plain)}`, authorization: `Basic ${Buffer.from('egress:s@fe').toString('base64')}` })]));
    for (let i = 0; i < 5; i++) await post(`http://hooks.partner.test:${port(plain)}/more`);
    expect(proxy.connects.length - before).toBe(tunnels.length);
    expect(plain.requests.slice(0, 2).map((r) => [r.path, r.headers.host, r.body])).toEqual([
      ['/a', `hooks.partner.test:${port(plain)}`, '{"via":"proxy"}'],
      ['/b', `hooks.partner.test:${port(plain)}`, '{"via":"proxy"}'],
    ]);
  });

  it('runs TLS through the tunnel, checking the certificate against the host name', async () => {
    const before = proxy.connects.length;
    expect(await post(`https://hooks.partner.test:${port(secure)}/tls`)).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(proxy.connects.slice(before).map((c) => c.target)).toEqual([`127.0.0.1:${port(secure)}`]);
    expect(secure.requests.at(-1)?.headers.host).toBe(`hooks.partner.test:${port(secure)}`);
  });

  it('refuses private, metadata and mixed answers, and literal private IPs, before asking the proxy anything', async () => {
    const before = proxy.connects.length;
    for (const url of ['http://private.test/x', 'https://metadata.test/latest/meta-data', 'https://mixed.test/x', 'http://10.0.0.7/x', 'http://[::ffff:169.254.169.254]/x']) {
      expect([url, await post(url)]).toEqual([url, expect.objectContaining({ kind: 'error', errorClass: 'ssrf_refused' })]);
    }
    expect(proxy.connects.slice(before)).toEqual([]);
  });

  it('sends a request that names another proxy through that one, and one naming an unknown proxy nowhere', async () => {
    const second = await TestConnectProxy.start();
    const both = new Sender({ allow: { hosts: new Set(['hooks.partner.test']) }, connectTimeoutMs: 2000, maxHosts: 10, resolve, egressProxy: parseEgressProxy(proxy.url), egressProxies: new Map([['eu', parseEgressProxy(second.url)]]) });
    try {
      const before = proxy.connects.length;
      const viaEu = await both.send({ url: `http://hooks.partner.test:${port(plain)}/eu`, headers: {}, body: '{}', timeoutMs: 3000, egressProxy: 'eu' });
      expect(viaEu).toMatchObject({ kind: 'response', statusCode: 200 });
      expect(second.connects.map((c) => c.target)).toEqual([`127.0.0.1:${port(plain)}`]);
      const unknown = await both.send({ url: `http://hooks.partner.test:${port(plain)}/us`, headers: {}, body: '{}', timeoutMs: 3000, egressProxy: 'us' });
      expect(unknown).toMatchObject({ kind: 'error', errorClass: 'egress_proxy', message: "no egress proxy named us in this process's EGRESS_PROXIES" });
      expect(proxy.connects.length).toBe(before);
      expect(second.connects).toHaveLength(1);
    } finally {
      both.close();
      await second.close();
    }
  });

  it('reports a proxy that refuses the tunnel, or is down, as egress_proxy', async () => {
    proxy.refuseWith = 403;
    try {
      const refused = await post(`http://hooks.partner.test:${port(secure)}/refused`);
      expect(refused).toMatchObject({ kind: 'error', errorClass: 'egress_proxy' });
      expect(refused.kind === 'error' && refused.message).toContain('refused CONNECT');
    } finally {
      proxy.refuseWith = null;
    }
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const deadPort = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const down = new Sender({ allow: { hosts: new Set(['hooks.partner.test']) }, connectTimeoutMs: 2000, maxHosts: 10, resolve, egressProxy: parseEgressProxy(`http://127.0.0.1:${deadPort}`) });
    try {
      expect(await down.send({ url: `http://hooks.partner.test:${port(plain)}/down`, headers: {}, body: '{}', timeoutMs: 3000 })).toMatchObject({ kind: 'error', errorClass: 'egress_proxy' });
    } finally {
      down.close();
    }
  });
});

describe('EGRESS_PROXY_URL', () => {
  it('takes http://[user:password@]host:port only', () => {
    expect(parseEgressProxy('http://proxy.internal:3128')).toEqual({ host: 'proxy.internal', port: 3128, authorization: null });
    expect(parseEgressProxy('http://[fd00::1]:8080').host).toBe('fd00::1');
    expect(() => parseEgressProxy('https://proxy.internal:3128')).toThrow('http://');
    expect(() => parseEgressProxy('http://proxy.internal:3128/path')).toThrow('only scheme, host and port');
    expect(() => parseEgressProxy('proxy.internal:3128')).toThrow();
  });
});
