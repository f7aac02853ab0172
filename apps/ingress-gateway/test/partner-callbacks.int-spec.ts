import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sign as githubSign } from '@octokit/webhooks-methods';
import type { EventMessage } from '@hookstream/contracts';
import { collectTopic, createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { Redis } from 'ioredis';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

/**
 * Partner callbacks through a gateway process against real Postgres, Redis and Kafka. Every
 * signature comes from the provider's own library (stripe, @octokit/webhooks-methods,
 * standardwebhooks); PayFast has none, so its ITNs are signed here from PayFast's documented
 * algorithm, independently of the gateway's code, and checked against PHP's own output.
 */
describe('partner callbacks', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let key: string;
  let redis: Redis;
  let published: TopicCollector<EventMessage>;
  const stripe = new Stripe('sk_test_unused');

  beforeAll(async () => {
    stack = await createTestStack('callbacks');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), {
      ...stack.env(),
      INTEGRATION_SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      // The test client stands in for a load balancer on loopback.
      TRUST_PROXY: '127.0.0.1',
      // Buckets that refill too slowly to matter during a test, however loaded the machine.
      INCOMING_RATE_LIMIT_PER_SECOND: '0.1',
      INCOMING_RATE_LIMIT_BURST: '20',
      INCOMING_UNVERIFIED_RATE_LIMIT_PER_SECOND: '0.01',
      INCOMING_UNVERIFIED_RATE_LIMIT_BURST: '6',
      INCOMING_RECOVERY_GRACE_MS: '1000',
      OUTBOX_INTERVAL_MS: '500',
    });
    gateway.start();
    await gateway.waitReady();
    key = await seedTenantKey(stack, 'cb-acme');
    redis = new Redis(stack.redisUrl);
    published = await collectTopic(stack, 'hookstream.events', (v) => v as EventMessage);
  }, 120_000);

  afterAll(async () => {
    await published?.stop();
    redis?.disconnect();
    await gateway?.stop();
    await stack?.close();
  });

  type Json = Record<string, unknown>;
  async function api(method: string, path: string, body?: unknown, apiKey = key) {
    const res = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  }

  type Integration = { id: string; provider: string; callback_path: string };
  async function integration(provider: string, secrets: Json, settings?: Json, apiKey = key): Promise<Integration> {
    const res = await api('POST', '/v1/integrations', { provider, name: `${provider} test`, secrets, ...(settings ? { settings } : {}) }, apiKey);
    expect(res.status).toBe(201);
    return res.body as Integration;
  }

  async function post(target: Integration | string, body: string | Buffer, headers: Record<string, string>) {
    const path = typeof target === 'string' ? target : target.callback_path;
    const res = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const text = await res.text();
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (text ? JSON.parse(text) : null) as Json };
  }

  const rows = (integrationId: string) =>
    stack.query<{ status: string; failure_reason: string | null; retry_count: number; provider_event_id: string | null; event_id: string | null; signature: string | null; raw_body: Buffer | null }>(
      'SELECT status, failure_reason, retry_count, provider_event_id, event_id, signature, raw_body FROM incoming_webhooks WHERE integration_id = $1 ORDER BY received_at',
      [integrationId],
    );
  const publishedEvent = (id: string) => waitFor(() => published.values.find((e) => e.id === id), 20_000, `event ${id} on hookstream.events`);
  const stripeEvent = (over: Json = {}) => JSON.stringify({ id: `evt_${randomBytes(8).toString('hex')}`, object: 'event', type: 'payment_intent.succeeded', created: 1_795_000_000, data: { object: { amount: 2000 } }, ...over });
  const idOf = (body: string) => String((JSON.parse(body) as Json)['id']);
  const stripeSign = (payload: string, secret: string, timestamp?: number) => stripe.webhooks.generateTestHeaderString({ payload, secret, ...(timestamp ? { timestamp } : {}) });

  it('registers integrations per tenant, keeps their secrets sealed, and shows them to no other tenant', async () => {
    const created = await api('POST', '/v1/integrations', { provider: 'stripe', name: 'Stripe live', secrets: { signing_secret: 'whsec_sealed_secret_value_123' } });
    expect(created).toMatchObject({
      status: 201,
      body: { provider: 'stripe', name: 'Stripe live', status: 'active', settings: { tolerance_seconds: 300 }, secret_fields: ['signing_secret'], tenant_id: 'cb-acme' },
    });
    const id = String(created.body['id']);
    expect(created.body['callback_path']).toBe(`/v1/incoming/stripe/${id}`);
    expect(JSON.stringify(created.body)).not.toContain('whsec_sealed');
    const [stored] = await stack.query<{ secrets: Buffer; secrets_key_id: string }>('SELECT secrets, secrets_key_id FROM integration_configs WHERE id = $1', [id]);
    expect(stored?.secrets_key_id).toBe('k1');
    expect(stored?.secrets.includes(Buffer.from('whsec_sealed'))).toBe(false);

    expect((await api('GET', `/v1/integrations/${id}`)).body).toMatchObject({ id, name: 'Stripe live' });
    expect(((await api('GET', '/v1/integrations?provider=stripe')).body['data'] as Json[]).map((i) => i['id'])).toContain(id);
    expect(await api('PATCH', `/v1/integrations/${id}`, { name: 'Stripe (renamed)', settings: { tolerance_seconds: 120 } })).toMatchObject({ status: 200, body: { name: 'Stripe (renamed)', settings: { tolerance_seconds: 120 } } });

    const invalid = await api('POST', '/v1/integrations', { provider: 'hmac', secrets: { secret: 'short' }, settings: { algorithm: 'md5' } });
    expect(invalid.status).toBe(422);
    expect((invalid.body['details'] as { path: string }[]).map((d) => d.path).sort()).toEqual(['secrets.secret', 'settings.algorithm', 'settings.header']);
    expect((await api('POST', '/v1/integrations', { provider: 'paypal', secrets: {} })).status).toBe(422);
    expect((await api('PATCH', `/v1/integrations/${id}`, { settings: { tolerance_seconds: 0 } })).body).toMatchObject({ code: 'validation_failed', details: [{ path: 'settings.tolerance_seconds' }] });

    const intruder = await seedTenantKey(stack, 'cb-intruder');
    for (const [method, path, body] of [
      ['GET', `/v1/integrations/${id}`, undefined],
      ['PATCH', `/v1/integrations/${id}`, { status: 'disabled' }],
      ['GET', `/v1/integrations/${id}/callbacks`, undefined],
      ['GET', '/v1/integrations?tenant_id=cb-acme', undefined],
    ] as const) {
      const res = await api(method, path, body, intruder);
      expect({ path: `${method} ${path}`, status: res.status }).toEqual({ path: `${method} ${path}`, status: 404 });
    }
    expect((await api('GET', '/v1/integrations', undefined, intruder)).body['data']).toEqual([]);
    // An admin names the tenant.
    expect((await api('GET', `/v1/integrations/${id}?tenant_id=cb-acme`, undefined, stack.adminKey)).status).toBe(200);
  });

  it('publishes a Stripe callback signed by the stripe library as stripe.<type>, once, however often Stripe re-sends it', async () => {
    const secret = 'whsec_stripe_test_secret_0001';
    const stripeIntegration = await integration('stripe', { signing_secret: secret });
    const body = stripeEvent();
    const eventId = `${stripeIntegration.id}:${idOf(body)}`;

    const first = await post(stripeIntegration, body, { 'stripe-signature': stripeSign(body, secret) });
    expect(first).toMatchObject({ status: 200, body: { status: 'accepted', event_id: eventId, event_type: 'stripe.payment_intent.succeeded' } });
    const event = await publishedEvent(eventId);
    expect(event).toMatchObject({
      tenant_id: 'cb-acme',
      type: 'stripe.payment_intent.succeeded',
      occurred_at: new Date(1_795_000_000_000).toISOString(),
      data: { provider: 'stripe', integration_id: stripeIntegration.id, provider_event_id: idOf(body), payload: JSON.parse(body) as Json },
    });

    // Stripe re-signs each retry with a new timestamp; the event is the same.
    const again = await post(stripeIntegration, body, { 'stripe-signature': stripeSign(body, secret, Math.floor(Date.now() / 1000) - 5) });
    expect(again).toMatchObject({ status: 200, body: { status: 'duplicate', event_id: eventId } });
    expect((await post(stripeIntegration, body, { 'stripe-signature': stripeSign(body, secret) })).body['status']).toBe('duplicate');
    const [row] = await rows(stripeIntegration.id);
    expect(row).toMatchObject({ status: 'succeeded', retry_count: 2, event_id: eventId, failure_reason: null });
    expect(row?.raw_body?.equals(Buffer.from(body))).toBe(true);
    expect(row?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const audit = await api('GET', `/v1/integrations/${stripeIntegration.id}/callbacks`);
    expect(audit.body['data']).toEqual([expect.objectContaining({ status: 'succeeded', retry_count: 2, provider_event_id: idOf(body), event_type: 'stripe.payment_intent.succeeded' })]);
    // Redis holds the id (with its TTL) in front of the Postgres unique key.
    expect(await redis.ttl(`hs:dedup-incoming:${stripeIntegration.id}:${idOf(body)}`)).toBeGreaterThan(3600);
    await new Promise((r) => setTimeout(r, 1000));
    expect(published.values.filter((e) => e.id === eventId)).toHaveLength(1);
  });

  it('refuses a tampered body, a wrong secret, a stale timestamp and no signature with 401; stores, counts and alerts on each', async () => {
    const secret = 'whsec_stripe_test_secret_0002';
    const target = await integration('stripe', { signing_secret: secret });
    const body = stripeEvent();
    const cases: Array<[string, string, Record<string, string>]> = [
      ['signature_mismatch', body.replace('2000', '1'), { 'stripe-signature': stripeSign(body, secret) }],
      ['signature_mismatch', body, { 'stripe-signature': stripeSign(body, 'whsec_not_the_secret') }],
      ['stale_timestamp', body, { 'stripe-signature': stripeSign(body, secret, Math.floor(Date.now() / 1000) - 301) }],
      ['missing_signature', body, {}],
    ];
    for (const [reason, payload, headers] of cases) {
      expect(await post(target, payload, headers)).toMatchObject({ status: 401, body: { code: 'unauthenticated', details: { reason } } });
    }
    const stored = await rows(target.id);
    expect(stored.map((r) => [r.status, r.failure_reason?.split(':')[0], r.provider_event_id])).toEqual(cases.map(([reason]) => ['failed', reason, null]));
    expect(stored[0]?.raw_body?.toString()).toBe(body.replace('2000', '1'));
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(Number(/hookstream_incoming_verification_failures_total\{provider="stripe",reason="signature_mismatch"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(/hookstream_incoming_verification_failures_total\{provider="stripe",reason="stale_timestamp"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(1);
    const alerts = gateway.output.map((l) => JSON.parse(l) as Json).filter((l) => l['alert'] === true && l['integration_id'] === target.id);
    expect(alerts).toHaveLength(4);
    for (const line of alerts) expect(line).toMatchObject({ level: 'error', provider: 'stripe', tenant_id: 'cb-acme', source_ip: '127.0.0.1' });
    // The genuine event still goes through afterwards.
    expect((await post(target, body, { 'stripe-signature': stripeSign(body, secret) })).status).toBe(200);
  });

  it('does not let a forged callback claim an event id ahead of the genuine event', async () => {
    const secret = 'whsec_stripe_test_secret_0003';
    const target = await integration('stripe', { signing_secret: secret });
    const body = stripeEvent({ id: 'evt_to_be_shadowed' });
    expect((await post(target, body, { 'stripe-signature': stripeSign(body, 'whsec_forger') })).status).toBe(401);
    expect(await post(target, body, { 'stripe-signature': stripeSign(body, secret) })).toMatchObject({ status: 200, body: { status: 'accepted' } });
    await publishedEvent(`${target.id}:evt_to_be_shadowed`);
  });

  it('verifies GitHub deliveries signed by @octokit/webhooks-methods, JSON or form-encoded', async () => {
    const secret = 'github-webhook-secret-1';
    const target = await integration('github', { secret });
    const body = JSON.stringify({ action: 'opened', number: 7, pull_request: { title: 'Add webhooks' } });
    const headers = { 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID() };
    // The event id is bound to the signed body, not to the unsigned X-GitHub-Delivery header.
    const eventId = `${target.id}:sha256:${createHash('sha256').update(body).digest('hex')}`;
    expect(await post(target, body, { ...headers, 'x-hub-signature-256': await githubSign(secret, body) })).toMatchObject({
      status: 200,
      body: { status: 'accepted', event_id: eventId, event_type: 'github.pull_request.opened' },
    });
    expect((await publishedEvent(eventId)).data).toMatchObject({ provider: 'github', payload: { number: 7 } });

    const form = `payload=${encodeURIComponent(JSON.stringify({ ref: 'refs/heads/main' }))}`;
    const push = { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'content-type': 'application/x-www-form-urlencoded' };
    expect(await post(target, form, { ...push, 'x-hub-signature-256': await githubSign(secret, form) })).toMatchObject({ status: 200, body: { event_type: 'github.push' } });

    expect((await post(target, `${body} `, { ...headers, 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await githubSign(secret, body) })).body).toMatchObject({ details: { reason: 'signature_mismatch' } });
    expect((await post(target, body, { ...headers, 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await githubSign('wrong', body) })).status).toBe(401);
  });

  it('does not let a captured GitHub delivery be replayed under a fresh delivery id as another event type', async () => {
    const secret = 'github-webhook-secret-2';
    const target = await integration('github', { secret });
    const body = JSON.stringify({ action: 'created', comment: { id: 42, body: 'LGTM' } });
    const signature = await githubSign(secret, body);
    const first = await post(target, body, { 'x-github-event': 'issue_comment', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signature });
    expect(first).toMatchObject({ status: 200, body: { status: 'accepted', event_type: 'github.issue_comment.created' } });
    // The same signed body, a new delivery id and another event name: the same event, once.
    const replay = await post(target, body, { 'x-github-event': 'deployment_status', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signature });
    expect(replay).toMatchObject({ status: 200, body: { status: 'duplicate', event_id: first.body['event_id'] } });
    const events = await stack.query<{ type: string }>(`SELECT type FROM events WHERE tenant_id = $1 AND id LIKE $2`, ['cb-acme', `${target.id}:%`]);
    expect(events.map((e) => e.type)).toEqual(['github.issue_comment.created']);
  });

  describe('PayFast ITN', () => {
    // PHP's urlencode, written here from PayFast's documentation, independent of the gateway.
    const urlencode = (s: string) =>
      encodeURIComponent(s)
        .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
        .replace(/%20/g, '+');
    const itn = (fields: [string, string][], passphrase: string) => {
      const params = fields.map(([k, v]) => `${k}=${urlencode(v)}`).join('&');
      return `${params}&signature=${createHash('md5').update(`${params}&passphrase=${urlencode(passphrase)}`).digest('hex')}`;
    };
    // Signed by PHP 8.2 (urlencode + md5), as PayFast's own ITN example does.
    const knownGood =
      'm_payment_id=SuperUnique1&pf_payment_id=1089250&payment_status=COMPLETE&item_name=Jet+Ski+%28Blue%29+%E2%80%93+%22Deluxe%22+50%25+off%2A' +
      '&item_description=Bob%27s+%7Etilde+%26+%3Cangle%3E+%21&amount_gross=200.00&amount_fee=-4.60&amount_net=195.40&custom_str1=&custom_int1=' +
      '&name_first=Zo%C3%AB&name_last=O%27Brien&email_address=zoe%2Btest%40example.com&merchant_id=10000100&signature=46ea05a400dce943ff95e959b313cece';
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const fields = (id: string, amount = '100.00'): [string, string][] => [
      ['m_payment_id', `order-${id}`],
      ['pf_payment_id', id],
      ['payment_status', 'COMPLETE'],
      ['item_name', "Bob's (red) ~widget~ *deluxe*"],
      ['amount_gross', amount],
      ['name_first', 'Zoë'],
      ['merchant_id', '10000100'],
    ];

    it('accepts a known-good ITN signed by PHP, and ITNs signed per the documented algorithm', async () => {
      const passphrase = 'salt & pepper/2024';
      const target = await integration('payfast', { passphrase });
      // The test's own signer agrees with PHP on the known-good example.
      expect(itn([...new URLSearchParams(knownGood).entries()].filter(([k]) => k !== 'signature'), passphrase)).toBe(knownGood);
      expect(await post(target, knownGood, form)).toMatchObject({ status: 200, body: { status: 'accepted', event_id: `${target.id}:1089250:complete`, event_type: 'payfast.payment.complete' } });
      expect((await publishedEvent(`${target.id}:1089250:complete`)).data).toMatchObject({ payload: { amount_gross: '200.00', name_first: 'Zoë', item_name: 'Jet Ski (Blue) – "Deluxe" 50% off*' } });
      const id = String(Date.now());
      expect((await post(target, itn(fields(id), passphrase), form)).body).toMatchObject({ status: 'accepted', event_type: 'payfast.payment.complete' });
      expect((await post(target, itn(fields(id), passphrase), form)).body).toMatchObject({ status: 'duplicate' });
    });

    it('refuses a changed amount and a wrong passphrase', async () => {
      const target = await integration('payfast', { passphrase: 'right-passphrase' });
      const signed = itn(fields('2001'), 'right-passphrase');
      expect((await post(target, signed.replace('amount_gross=100.00', 'amount_gross=1.00'), form)).body).toMatchObject({ code: 'unauthenticated', details: { reason: 'signature_mismatch' } });
      expect((await post(target, itn(fields('2002'), 'wrong-passphrase'), form)).status).toBe(401);
    });

    it('takes ITNs only from allowed addresses, reading X-Forwarded-For through a trusted proxy', async () => {
      const target = await integration('payfast', { passphrase: 'pp' }, { allowed_source_ips: ['197.97.145.144/28', '41.74.179.194'] });
      const refused = await post(target, itn(fields('3001'), 'pp'), form);
      expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden', details: { reason: 'source_ip_not_allowed' } } });
      expect((await rows(target.id))[0]).toMatchObject({ status: 'failed', failure_reason: expect.stringContaining('source_ip_not_allowed') as unknown });
      expect((await post(target, itn(fields('3002'), 'pp'), { ...form, 'x-forwarded-for': '197.97.145.150' })).status).toBe(200);
      expect((await post(target, itn(fields('3003'), 'pp'), { ...form, 'x-forwarded-for': '197.97.145.150, 203.0.113.9' })).status).toBe(403);
    });
  });

  it('verifies Standard Webhooks signed by the standardwebhooks package, refusing tampering and stale timestamps', async () => {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const target = await integration('standard-webhooks', { secret });
    const sign = (id: string, body: string, at = new Date(), key = secret) => ({ 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': new Webhook(key).sign(id, at, body) });
    const body = JSON.stringify({ type: 'invoice.paid', timestamp: '2026-11-22T10:00:00Z', data: { invoice: 'in_1' } });
    expect(await post(target, body, sign('msg_1', body))).toMatchObject({ status: 200, body: { event_type: 'standard-webhooks.invoice.paid', event_id: `${target.id}:msg_1` } });
    expect((await publishedEvent(`${target.id}:msg_1`)).occurred_at).toBe('2026-11-22T10:00:00.000Z');
    expect((await post(target, body.replace('in_1', 'in_2'), sign('msg_2', body))).body).toMatchObject({ details: { reason: 'signature_mismatch' } });
    expect((await post(target, body, sign('msg_3', body, new Date(Date.now() - 400_000)))).body).toMatchObject({ details: { reason: 'stale_timestamp' } });
    expect((await post(target, body, sign('msg_4', body, new Date(), `whsec_${randomBytes(24).toString('base64')}`))).body).toMatchObject({ details: { reason: 'signature_mismatch' } });
  });

  it('verifies a generic HMAC as configured, and takes the event id and type from the configured headers', async () => {
    const secret = 'shpss_generic_hmac_secret';
    // Refused without the explicit opt-in: those headers are not covered by the signature.
    const refused = await api('POST', '/v1/integrations', { provider: 'hmac', secrets: { secret }, settings: { header: 'X-Shopify-Hmac-Sha256', event_id_header: 'X-Shopify-Webhook-Id' } });
    expect(refused).toMatchObject({ status: 422, body: { details: [expect.objectContaining({ path: 'settings.trust_unsigned_headers' })] } });
    const target = await integration('hmac', { secret }, { header: 'X-Shopify-Hmac-Sha256', encoding: 'base64', event_id_header: 'X-Shopify-Webhook-Id', event_type_header: 'X-Shopify-Topic', trust_unsigned_headers: true });
    const body = JSON.stringify({ id: 820982911946154500, total_price: '10.00' });
    const headers = { 'x-shopify-hmac-sha256': createHmac('sha256', secret).update(body).digest('base64'), 'x-shopify-webhook-id': 'b54557e4', 'x-shopify-topic': 'orders/create' };
    expect(await post(target, body, headers)).toMatchObject({ status: 200, body: { event_type: 'hmac.orders.create', event_id: `${target.id}:b54557e4` } });
    expect((await post(target, body, { ...headers, 'x-shopify-hmac-sha256': createHmac('sha256', 'nope').update(body).digest('base64') })).status).toBe(401);
    expect((await post(target, body.replace('10.00', '0.01'), headers)).body).toMatchObject({ code: 'unauthenticated', details: { reason: 'signature_mismatch' } });
  });

  it('reads a generic HMAC event id and type from the signed body, whatever the headers say', async () => {
    const secret = 'generic_hmac_secret_body_only';
    const target = await integration('hmac', { secret }, { header: 'X-Signature', event_id_path: 'event.id', event_type_path: 'event.kind' });
    const body = JSON.stringify({ event: { id: 'e-77', kind: 'invoice/paid' }, amount: 5 });
    const signed = { 'x-signature': createHmac('sha256', secret).update(body).digest('hex') };
    expect(await post(target, body, { ...signed, 'x-event-id': 'forged', 'x-event-type': 'refund/issued' })).toMatchObject({ status: 200, body: { status: 'accepted', event_id: `${target.id}:e-77`, event_type: 'hmac.invoice.paid' } });
    expect(await post(target, body, signed)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
  });

  it('answers 404 for an unknown integration or another provider, 403 when disabled, 413 over the tenant’s limit, 415 for other media types', async () => {
    const secret = 'whsec_stripe_test_secret_0004';
    const target = await integration('stripe', { signing_secret: secret });
    const body = stripeEvent();
    const signed = { 'stripe-signature': stripeSign(body, secret) };
    expect(await post('/v1/incoming/stripe/int_aaaaaaaaaaaaaaaaaaaaaaaa', body, signed)).toMatchObject({ status: 404, body: { code: 'not_found' } });
    expect((await post('/v1/incoming/stripe/not-an-id', body, signed)).status).toBe(404);
    expect((await post(`/v1/incoming/github/${target.id}`, body, signed)).status).toBe(404);
    expect((await post(target, body, { ...signed, 'content-type': 'text/plain' })).body).toMatchObject({ code: 'unsupported_media_type' });

    expect((await api('PATCH', `/v1/integrations/${target.id}`, { status: 'disabled' })).body['status']).toBe('disabled');
    expect(await post(target, body, signed)).toMatchObject({ status: 403, body: { code: 'forbidden', details: { reason: 'integration_disabled' } } });
    expect((await api('PATCH', `/v1/integrations/${target.id}`, { status: 'active' })).status).toBe(200);
    expect((await post(target, body, signed)).status).toBe(200);

    const smallKey = await seedTenantKey(stack, 'cb-small');
    await stack.query('UPDATE tenants SET max_event_bytes = 2048 WHERE id = $1', ['cb-small']);
    const small = await integration('stripe', { signing_secret: secret }, undefined, smallKey);
    const big = stripeEvent({ data: { object: { blob: 'x'.repeat(3000) } } });
    expect(await post(small, big, { 'stripe-signature': stripeSign(big, secret) })).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect((await rows(small.id)).map((r) => [r.status, r.failure_reason?.split(':')[0], r.raw_body])).toEqual([['failed', 'payload_too_large', null]]);
    expect((await rows(target.id)).map((r) => r.failure_reason?.split(':')[0] ?? r.status)).toEqual(['unsupported_media_type', 'integration_disabled', 'succeeded']);
  });

  it('rate-limits refused callbacks per integration without starving genuine ones, which have their own bucket', async () => {
    const secret = 'whsec_stripe_test_secret_0005';
    const target = await integration('stripe', { signing_secret: secret });
    const forged = stripeEvent();
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await post(target, forged, { 'stripe-signature': stripeSign(forged, 'whsec_forger') })).status);
    expect(statuses.slice(0, 6)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(statuses.slice(6)).toEqual([429, 429, 429, 429]);
    expect(await rows(target.id)).toHaveLength(6); // the flood beyond the bucket is not stored
    const genuine = stripeEvent();
    expect((await post(target, genuine, { 'stripe-signature': stripeSign(genuine, secret) })).status).toBe(200);

    const verified: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 40 && !retryAfter; i++) {
      const e = stripeEvent();
      const res = await post(target, e, { 'stripe-signature': stripeSign(e, secret) });
      verified.push(res.status);
      retryAfter = res.retryAfter;
    }
    expect(verified.at(-1)).toBe(429);
    // The burst of 20, less the genuine callback above, went through before the first refusal.
    expect(verified.filter((s) => s === 200).length).toBeGreaterThanOrEqual(19);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
  });

  it('refuses an event type a strict catalog does not know (422, stored), and accepts the provider’s re-send once the type is added', async () => {
    const strictKey = await seedTenantKey(stack, 'cb-strict');
    await stack.query('UPDATE tenants SET strict_event_types = true WHERE id = $1', ['cb-strict']);
    const secret = 'whsec_stripe_test_secret_0006';
    const target = await integration('stripe', { signing_secret: secret }, undefined, strictKey);
    const body = stripeEvent({ type: 'charge.refunded' });
    const refused = await post(target, body, { 'stripe-signature': stripeSign(body, secret) });
    expect(refused).toMatchObject({ status: 422, body: { code: 'validation_failed' } });
    expect((await rows(target.id))[0]).toMatchObject({ status: 'failed', failure_reason: expect.stringContaining('catalog') as unknown });

    await stack.query(`INSERT INTO event_types (tenant_id, name) VALUES ('cb-strict', 'stripe.charge.refunded')`);
    // Polled once a second: each re-send draws on the integration's verified bucket.
    await waitFor(async () => (await post(target, body, { 'stripe-signature': stripeSign(body, secret) })).status === 200, 12_000, 'the re-send to be accepted', 1000);
    const [row] = await rows(target.id);
    expect(row?.status).toBe('succeeded');
    expect(row?.retry_count).toBeGreaterThanOrEqual(1);
  });

  it('answers 409 while the same event is in flight, and still refuses a duplicate when Redis has forgotten it', async () => {
    const secret = 'whsec_stripe_test_secret_0007';
    const target = await integration('stripe', { signing_secret: secret });
    const body = stripeEvent();
    const providerId = idOf(body);
    const redisKey = `hs:dedup-incoming:${target.id}:${providerId}`;
    expect((await post(target, body, { 'stripe-signature': stripeSign(body, secret) })).status).toBe(200);

    await redis.set(redisKey, 'pending', 'EX', 30);
    expect(await post(target, body, { 'stripe-signature': stripeSign(body, secret) })).toMatchObject({ status: 409, body: { code: 'idempotency_in_progress' } });
    await redis.del(redisKey);
    expect((await post(target, body, { 'stripe-signature': stripeSign(body, secret) })).body['status']).toBe('duplicate');
    expect((await rows(target.id))[0]?.retry_count).toBe(2);
    await new Promise((r) => setTimeout(r, 1000));
    expect(published.values.filter((e) => e.id === `${target.id}:${providerId}`)).toHaveLength(1);
  });

  it('answers 503 and keeps the callback pending when it cannot be published, then publishes it without the provider', async () => {
    const brokenKey = await seedTenantKey(stack, 'cb-broken');
    const secret = 'whsec_stripe_test_secret_0008';
    const target = await integration('stripe', { signing_secret: secret }, undefined, brokenKey);
    // Postgres refuses this tenant's events for a while: intake fails after the callback is stored.
    await stack.query(`CREATE FUNCTION refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await stack.query(`CREATE TRIGGER refuse_broken BEFORE INSERT ON event_keys FOR EACH ROW WHEN (NEW.tenant_id = 'cb-broken') EXECUTE FUNCTION refuse_event()`);
    const body = stripeEvent();
    const eventId = `${target.id}:${idOf(body)}`;
    try {
      expect(await post(target, body, { 'stripe-signature': stripeSign(body, secret) })).toMatchObject({ status: 503, body: { code: 'unavailable' } });
      expect((await rows(target.id))[0]?.status).toBe('pending');
    } finally {
      await stack.query('DROP TRIGGER refuse_broken ON event_keys');
    }
    // No re-send: the gateway's recovery publishes it (GitHub, for one, never retries).
    await publishedEvent(eventId);
    await waitFor(async () => (await rows(target.id))[0]?.status === 'succeeded', 10_000, 'the callback to be marked succeeded');
    expect((await post(target, body, { 'stripe-signature': stripeSign(body, secret) })).body['status']).toBe('duplicate');
    expect(published.values.filter((e) => e.id === eventId)).toHaveLength(1);
  });

  it('replaces a secret at once, or with an overlap during which both verify', async () => {
    const target = await integration('github', { secret: 'first-secret-123' });
    const send = async (secret: string) => {
      const body = JSON.stringify({ zen: randomUUID() });
      return (await post(target, body, { 'x-github-event': 'ping', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': await githubSign(secret, body) })).status;
    };
    const overlap = await api('PATCH', `/v1/integrations/${target.id}`, { secrets: { secret: 'second-secret-123' }, secret_overlap_seconds: 3600 });
    expect(overlap.body['previous_secrets_valid_until']).not.toBeNull();
    expect([await send('first-secret-123'), await send('second-secret-123')]).toEqual([200, 200]);
    expect((await api('PATCH', `/v1/integrations/${target.id}`, { secrets: { secret: 'third-secret-123' } })).body['previous_secrets_valid_until']).toBeNull();
    expect([await send('second-secret-123'), await send('third-secret-123')]).toEqual([401, 200]);
    expect((await api('PATCH', `/v1/integrations/${target.id}`, { secret_overlap_seconds: 60 })).status).toBe(422);
  });
});
