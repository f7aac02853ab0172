import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, freePort, type QuarantinedView, quarantinedView, seedTenantKey, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';

/**
 * Property: whatever arrives (random JSON, broken JSON, text Postgres cannot store, odd headers,
 * media types and sizes, forged or valid partner signatures over junk) the gateway answers with
 * a 2xx or a 4xx carrying a code, never a 5xx, and stays up; every invalid Kafka message is
 * quarantined with a reason. Seeded, so a failure replays exactly.
 */
describe('ingress-gateway under hostile input', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let key: string;
  let rejected: TopicCollector<QuarantinedView>;

  beforeAll(async () => {
    stack = await createTestStack('hostile');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), {
      ...stack.env(),
      MAX_EVENT_BYTES: '8192',
      MAX_BATCH_BYTES: '65536',
      INTEGRATION_SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      // The property is about answers, not throttling: let every request reach the checks.
      INCOMING_RATE_LIMIT_BURST: '1000000',
      INCOMING_UNVERIFIED_RATE_LIMIT_BURST: '1000000',
    });
    gateway.start();
    await gateway.waitReady();
    key = await seedTenantKey(stack, 'hostile-acme');
    rejected = await collectTopic(stack, 'hookstream.ingest.rejected', (_v, _k, m) => quarantinedView(m));
  }, 120_000);

  afterAll(async () => {
    await rejected?.stop();
    await gateway?.stop();
    await stack?.close();
  });

  /** Any text, with U+0000 and lone surrogates (valid JSON, unstorable in Postgres) mixed in. */
  const hostileUnit = fc.oneof(fc.constantFrom('\u0000', '\ud800', '\udfff', '"', '\\', '%', '&', '='), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }));
  const hostileText = (maxLength: number) => fc.string({ unit: hostileUnit, maxLength });
  const hostileJson = (maxDepth: number) => fc.jsonValue({ maxDepth, stringUnit: hostileUnit });
  const validEvent = fc.record({
    id: fc.string({ minLength: 1, maxLength: 40 }).map((s) => `evt_${s.replace(/[^\x21-\x7e]/g, 'x')}`),
    type: fc.constantFrom('order.placed', 'invoice.paid', 'a.b.c'),
    occurred_at: fc.constant('2026-11-22T10:00:00Z'),
    data: fc.dictionary(hostileText(8), hostileJson(2), { maxKeys: 5 }),
  });
  const body = fc.oneof(
    hostileJson(4).map((v) => JSON.stringify(v)),
    validEvent.map((e) => JSON.stringify(e)),
    validEvent.chain((e) => fc.jsonValue({ maxDepth: 2 }).map((junk) => JSON.stringify({ ...e, [Object.keys(e)[0] ?? 'id']: junk }))),
    fc.string({ maxLength: 300 }),
    fc.string({ maxLength: 20 }).map((s) => `{"id": ${s}`),
    fc.integer({ min: 8000, max: 20_000 }).map((n) => JSON.stringify({ id: 'evt_big', type: 'a.b', occurred_at: '2026-11-22T10:00:00Z', data: { x: 'y'.repeat(n) } })),
  );
  const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1');
  const path = fc.constantFrom('/v1/events', '/v1/events/batch');

  it('never answers 5xx to random bodies, headers and sizes on both HTTP routes', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(path, body, contentType, fc.option(fc.string({ maxLength: 60 }), { nil: undefined }), async (route, payload, type, idem) => {
        const wrapped = route === '/v1/events/batch' && payload.startsWith('{') ? `{"events":[${payload}]}` : payload;
        const res = await fetch(`${gateway.url}${route}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': type, ...(idem !== undefined && /^[\x21-\x7e]*$/.test(idem) ? { 'idempotency-key': idem } : {}) },
          body: wrapped,
        });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const text = await res.text();
        if (res.status >= 500) throw new Error(`${res.status} for ${route} ${type}: ${wrapped.slice(0, 200)} → ${text.slice(0, 300)}`);
        if (res.status >= 400) expect(typeof (JSON.parse(text) as { code?: unknown }).code).toBe('string');
      }),
      { numRuns: 2500, seed: 20261122 },
    );
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    // The generators must reach both outcomes, or the property proves little.
    expect([...seen.keys()].some((s) => s < 300)).toBe(true);
    expect([...seen.keys()].some((s) => s >= 400)).toBe(true);
  }, 120_000);

  it('quarantines every invalid ingest message with a reason and keeps consuming', async () => {
    const samples = [
      ...fc.sample(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))), { numRuns: 1000, seed: 7 }),
      // Well-formed envelopes whose data Postgres could not store.
      ...fc
        .sample(fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud800', 'ok\udfff')), { numRuns: 50, seed: 8 })
        .map(([text, bad]) => JSON.stringify({ id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: 'hostile-acme', occurred_at: '2026-11-22T10:00:00Z', data: { note: `${text}${bad}` } })),
    ];
    const producer = stack.kafka.producer();
    await producer.connect();
    const good = { id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: 'hostile-acme', occurred_at: '2026-11-22T10:00:00Z', data: {} };
    try {
      await producer.send({ topic: `${stack.topicPrefix}hookstream.ingest`, messages: [...samples.map((v) => ({ key: 'hostile-acme', value: v })), { key: 'hostile-acme', value: JSON.stringify(good) }] });
    } finally {
      await producer.disconnect();
    }
    await waitFor(async () => (await stack.query('SELECT 1 FROM events WHERE id = $1', [good.id])).length === 1, 60_000, 'the valid message behind the junk to be accepted');
    await waitFor(() => (rejected.values.length >= samples.length ? true : undefined), 30_000, `${samples.length} quarantined messages`);
    expect(rejected.values).toHaveLength(samples.length);
    for (const r of rejected.values) {
      // Not JSON at all, or JSON that is not an envelope.
      expect(['malformed_json', 'validation_failed']).toContain(r.code);
      expect(r.reason.length).toBeGreaterThan(0);
    }
    expect(rejected.values.filter((r) => r.reason.includes('data.note: text must not contain U+0000 or unpaired surrogates'))).toHaveLength(50);
  }, 120_000);

  it('never answers 5xx to random partner callbacks: providers, ids, bodies, media types, sizes, headers and signatures', async () => {
    const secrets = { stripe: 'whsec_hostile_stripe_secret', github: 'hostile-github-secret', passphrase: 'hostile pass/phrase', standard: `whsec_${randomBytes(24).toString('base64')}`, hmac: 'hostile-hmac-secret' };
    const create = async (body: unknown) => {
      const res = await fetch(`${gateway.url}/v1/integrations`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; provider: string; callback_path: string };
    };
    const integrations = [
      await create({ provider: 'stripe', secrets: { signing_secret: secrets.stripe } }),
      await create({ provider: 'github', secrets: { secret: secrets.github } }),
      await create({ provider: 'payfast', secrets: { passphrase: secrets.passphrase } }),
      await create({ provider: 'standard-webhooks', secrets: { secret: secrets.standard } }),
      await create({ provider: 'hmac', secrets: { secret: secrets.hmac }, settings: { header: 'X-Sig', event_id_path: 'data.id' } }),
    ];
    const stripe = new Stripe('sk_test_unused');
    // PHP's urlencode, for PayFast signatures made here (a lone surrogate goes as U+FFFD, as UTF-8 would).
    const urlencode = (v: string) => encodeURIComponent(v.replace(/\p{Cs}/gu, '\ufffd')).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).replace(/%20/g, '+');
    /** A correct signature for this integration over these bytes, made as the provider would. */
    const sign = (provider: string, body: Buffer, id: string): Record<string, string> => {
      const now = Math.floor(Date.now() / 1000);
      switch (provider) {
        case 'stripe':
          return { 'stripe-signature': stripe.webhooks.generateTestHeaderString({ payload: body.toString('utf8'), secret: secrets.stripe }) };
        case 'github':
          return { 'x-hub-signature-256': `sha256=${createHmac('sha256', secrets.github).update(body).digest('hex')}` };
        case 'standard-webhooks':
          return { 'webhook-id': id, 'webhook-timestamp': String(now), 'webhook-signature': new Webhook(secrets.standard).sign(id, new Date(now * 1000), body) };
        default:
          return { 'x-sig': createHmac('sha256', secrets.hmac).update(body).digest('hex') };
      }
    };
    const printable = (max: number) => fc.string({ maxLength: max }).map((v) => v.replace(/[^\x20-\x7e]/g, ''));
    const formFields = fc.array(fc.tuple(printable(12).filter((k) => k.length > 0), hostileText(20)), { maxLength: 8 });
    const body = fc.oneof(
      hostileJson(3).map((v) => ({ kind: 'json' as const, text: JSON.stringify(v) })),
      fc.record({ id: hostileText(30), type: hostileText(40), created: fc.oneof(fc.integer(), fc.string()), data: hostileJson(2) }).map((v) => ({ kind: 'json' as const, text: JSON.stringify(v) })),
      formFields.map((fields) => ({ kind: 'form' as const, fields })),
      hostileText(300).map((text) => ({ kind: 'text' as const, text })),
      fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'bytes' as const, bytes })),
      fc.integer({ min: 8000, max: 40_000 }).map((n) => ({ kind: 'json' as const, text: JSON.stringify({ id: 'evt_big', type: 'big.one', blob: 'z'.repeat(n) }) })),
    );
    const target = fc.oneof(
      fc.constantFrom(...integrations).map((i) => ({ integration: i, path: i.callback_path })),
      fc.tuple(fc.constantFrom(...integrations), fc.constantFrom('stripe', 'github', 'payfast', 'hmac', 'standard-webhooks', 'paypal')).map(([i, p]) => ({ integration: i, path: `/v1/incoming/${p}/${i.id}` })),
      printable(40).map((id) => ({ integration: null, path: `/v1/incoming/stripe/${encodeURIComponent(id) || 'x'}` })),
    );
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/x-www-form-urlencoded', 'text/plain', 'application/json; charset=latin1', 'application/octet-stream', 'multipart/form-data; boundary=x', '');
    const signature = fc.constantFrom('valid', 'junk', 'none');
    const extraHeaders = fc.dictionary(
      fc.constantFrom('x-github-event', 'x-github-delivery', 'webhook-id', 'webhook-timestamp', 'webhook-signature', 'stripe-signature', 'x-hub-signature-256', 'x-sig', 'x-forwarded-for'),
      printable(60),
      { maxKeys: 4 },
    );

    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(target, body, contentType, signature, extraHeaders, async (t, b, type, signing, extra) => {
        let bytes: Buffer;
        if (b.kind === 'form') {
          const params = b.fields.map(([k, v]) => `${k}=${urlencode(v)}`).join('&');
          const signed = signing === 'valid' && t.integration?.provider === 'payfast';
          bytes = Buffer.from(signed ? `${params}&signature=${createHash('md5').update(`${params}&passphrase=${urlencode(secrets.passphrase)}`).digest('hex')}` : params);
        } else bytes = b.kind === 'bytes' ? Buffer.from(b.bytes) : Buffer.from(b.text);
        const headers: Record<string, string> = { ...(type ? { 'content-type': type } : {}), ...extra };
        if (signing === 'valid' && t.integration && t.integration.provider !== 'payfast') Object.assign(headers, sign(t.integration.provider, bytes, `msg_${randomUUID()}`));
        if (signing === 'junk') Object.assign(headers, { 'stripe-signature': `t=${Date.now()},v1=${'ab'.repeat(32)}`, 'x-hub-signature-256': `sha256=${'cd'.repeat(32)}`, 'x-sig': 'ef'.repeat(32), 'webhook-signature': 'v1,AAAA' });
        const res = await fetch(`${gateway.url}${t.path}`, { method: 'POST', headers, body: bytes });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const text = await res.text();
        if (res.status >= 500) throw new Error(`${res.status} for ${t.path} ${type} ${signing}: ${bytes.toString('utf8').slice(0, 200)} → ${text.slice(0, 300)}`);
        if (res.status >= 400) expect(typeof (JSON.parse(text) as { code?: unknown }).code).toBe('string');
      }),
      { numRuns: 2000, seed: 20261123 },
    );
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    // Every kind of answer was reached, verified junk included, or the property proves little.
    expect([...seen.keys()].sort()).toEqual(expect.arrayContaining([200, 401, 404, 413, 415, 422]));
    const audit = await stack.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM incoming_webhooks GROUP BY status ORDER BY status');
    expect(audit.map((r) => r.status)).toEqual(['failed', 'succeeded']);
  }, 180_000);
});
