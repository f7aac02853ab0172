import type { LookupAddress } from 'node:dns';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestCa, type TestCa, TestReceiver } from '@hookstream/testing';
import { GotSender, type HttpSender, NodeHttpSender, type Resolver, type SenderOptions, UndiciSender } from '@hookstream/webhook-http';

/**
 * The delivery senders of libs/webhook-http (here, beside the test CA of libs/testing, which a
 * lib may not import) against real HTTPS receivers on loopback whose certificates come from a test CA:
 * trusted through `extraCaCertificates` (DELIVERY_CA_FILE), and refused, each in its own words,
 * when expired, for another host, or from a CA nobody configured.
 */
describe.each([
  ['GotSender', GotSender],
  ['NodeHttpSender', NodeHttpSender],
  ['UndiciSender', UndiciSender],
] as [string, new (options: SenderOptions) => HttpSender][])('TLS through %s', (_name, Sender) => {
  let ca: TestCa;
  let stranger: TestCa;
  const receivers: Record<'good' | 'expired' | 'wrongHost' | 'unknownCa' | 'named', TestReceiver | null> = { good: null, expired: null, wrongHost: null, unknownCa: null, named: null };
  let plain: TestReceiver;
  let trusting: HttpSender;
  let defaultTrust: HttpSender;
  // hooks.partner.test answers loopback: the certificate is checked against the name, not the address.
  const resolve: Resolver = (hostname, cb) => cb(null, hostname === 'hooks.partner.test' ? [{ address: '127.0.0.1', family: 4 } satisfies LookupAddress] : []);

  beforeAll(async () => {
    ca = await createTestCa();
    stranger = await createTestCa('someone else');
    receivers.good = await TestReceiver.start({ tls: await ca.issue() });
    receivers.expired = await TestReceiver.start({ tls: await ca.issue({ expired: true }) });
    receivers.wrongHost = await TestReceiver.start({ tls: await ca.issue({ hosts: ['elsewhere.test'] }) });
    receivers.unknownCa = await TestReceiver.start({ tls: await stranger.issue() });
    receivers.named = await TestReceiver.start({ tls: await ca.issue({ hosts: ['hooks.partner.test'] }) });
    plain = await TestReceiver.start();
    const allow = { hosts: new Set(['127.0.0.1', 'hooks.partner.test']) };
    trusting = new Sender({ allow, connectTimeoutMs: 2000, maxHosts: 10, resolve, extraCaCertificates: ca.certificate });
    defaultTrust = new Sender({ allow, connectTimeoutMs: 2000, maxHosts: 10, resolve });
  });

  afterAll(async () => {
    trusting.close();
    defaultTrust.close();
    await Promise.all([...Object.values(receivers), plain].flatMap((r) => (r ? [r.close()] : [])));
    ca.dispose();
    stranger.dispose();
  });

  const url = (r: TestReceiver | null) => `${r?.url ?? ''}/hook`;
  const post = (target: string, sender = trusting) => sender.send({ url: target, headers: { 'content-type': 'application/json' }, body: '{"a":1}', timeoutMs: 3000 });

  it('delivers over TLS to an endpoint whose CA is configured', async () => {
    const first = await post(url(receivers.good));
    const second = await post(url(receivers.good));
    expect(first).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(second).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(receivers.good?.requests.map((r) => r.body)).toEqual(['{"a":1}', '{"a":1}']);
  });

  it('checks the certificate against the URL\'s host name, connecting to the address it resolved', async () => {
    const port = new URL(receivers.named?.url ?? '').port;
    expect(await post(`https://hooks.partner.test:${port}/hook`)).toMatchObject({ kind: 'response', statusCode: 200 });
    expect(receivers.named?.requests[0]?.headers.host).toBe(`hooks.partner.test:${port}`);
  });

  it('refuses an expired certificate as a certificate error, sending nothing', async () => {
    const r = await post(url(receivers.expired));
    expect(r).toMatchObject({ kind: 'error', errorClass: 'certificate' });
    expect(r.kind === 'error' && r.message).toContain('CERT_HAS_EXPIRED');
    expect(receivers.expired?.requests).toHaveLength(0);
  });

  it('refuses a certificate for another host', async () => {
    const r = await post(url(receivers.wrongHost));
    expect(r).toMatchObject({ kind: 'error', errorClass: 'certificate' });
    expect(r.kind === 'error' && r.message).toContain('ERR_TLS_CERT_ALTNAME_INVALID');
    expect(receivers.wrongHost?.requests).toHaveLength(0);
  });

  it('refuses a certificate from a CA that is not configured, and the test CA without DELIVERY_CA_FILE', async () => {
    const stray = await post(url(receivers.unknownCa));
    expect(stray).toMatchObject({ kind: 'error', errorClass: 'certificate' });
    expect(stray.kind === 'error' && stray.message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
    expect(await post(url(receivers.good), defaultTrust)).toMatchObject({ kind: 'error', errorClass: 'certificate' });
    expect(receivers.unknownCa?.requests).toHaveLength(0);
  });

  it('calls a handshake with a server that does not speak TLS a tls error, not a certificate one', async () => {
    const r = await post(plain.url.replace('http:', 'https:') + '/hook');
    expect(r).toMatchObject({ kind: 'error', errorClass: 'tls' });
  });
});
