import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, freePort, type QuarantinedView, quarantinedView, seedTenantKey, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';

/**
 * Issue 14: a tenant could publish `stripe.charge.succeeded` (or an event with a callback's
 * `int_…` id), and its subscribers could not tell it from a callback Hookstream had verified.
 * Partner types and callback ids are now refused over HTTP (422 reserved_for_callbacks with the
 * field) and quarantined from hookstream.ingest, while other events go on.
 */
describe('partner event types are reserved for verified callbacks', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let key: string;
  let rejected: TopicCollector<QuarantinedView>;
  const tenant = `reserved_${randomUUID().slice(0, 8)}`;
  const now = new Date().toISOString();
  const ev = (type: string, id = `evt_${randomUUID()}`) => ({ id, type, occurred_at: now, data: { amount: 100 } });

  beforeAll(async () => {
    stack = await createTestStack('reservedtypes');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), stack.env());
    gateway.start();
    await gateway.waitReady();
    key = await seedTenantKey(stack, tenant);
    rejected = await collectTopic(stack, 'hookstream.ingest.rejected', (_v, _k, m) => quarantinedView(m));
  }, 120_000);

  afterAll(async () => {
    await rejected?.stop();
    await gateway?.stop();
    await stack?.close();
  });

  async function post(path: string, body: unknown, apiKey = key): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  it('refuses a partner type or a callback id over HTTP, with the field, from a tenant or an admin key', async () => {
    for (const type of ['stripe.charge.succeeded', 'github.push', 'payfast.payment.complete', 'standard-webhooks.invoice.paid', 'hmac.received', 'stripe']) {
      const r = await post('/v1/events', ev(type));
      expect(r.status).toBe(422);
      expect(r.body).toMatchObject({ code: 'reserved_for_callbacks', details: [expect.objectContaining({ path: 'type' })] });
    }
    const forgedId = await post('/v1/events', ev('order.placed', 'int_0123456789abcdef:evt_1'));
    expect(forgedId).toMatchObject({ status: 422, body: { code: 'reserved_for_callbacks', details: [expect.objectContaining({ path: 'id' })] } });
    const byAdmin = await post('/v1/events', { ...ev('stripe.charge.succeeded'), tenant_id: tenant }, stack.adminKey);
    expect(byAdmin.status).toBe(422);
    expect(await stack.query('SELECT id FROM events WHERE tenant_id = $1', [tenant])).toEqual([]);
  });

  it('answers per item in a batch: the forged one is rejected, its neighbours accepted', async () => {
    const good = ev('order.placed');
    const r = await post('/v1/events/batch', { events: [good, ev('stripe.charge.succeeded'), ev('billing.stripe_charge')] });
    expect(r.status).toBe(200);
    const results = r.body['results'] as Array<{ status: string; error?: { code: string } }>;
    expect(results.map((x) => x.status)).toEqual(['accepted', 'rejected', 'accepted']);
    expect(results[1]?.error?.code).toBe('reserved_for_callbacks');
  });

  it('quarantines a partner type produced to hookstream.ingest, and accepts the event behind it', async () => {
    const forged = { ...ev('stripe.charge.succeeded'), tenant_id: tenant };
    const good = { ...ev('order.placed'), tenant_id: tenant };
    const producer = stack.kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: `${stack.topicPrefix}hookstream.ingest`, messages: [{ key: tenant, value: JSON.stringify(forged) }, { key: tenant, value: JSON.stringify(good) }] });
    } finally {
      await producer.disconnect();
    }
    await waitFor(async () => (await stack.query('SELECT 1 FROM events WHERE id = $1', [good.id])).length === 1, 10_000, 'the event behind the forged one');
    const [q] = await waitFor(() => (rejected.values.length ? rejected.values : undefined), 10_000, 'the forged event in quarantine');
    expect(q).toMatchObject({ code: 'reserved_for_callbacks', tenantId: tenant });
    expect(q?.reason).toMatch(/reserved for verified partner callbacks/);
    expect(await stack.query('SELECT 1 FROM events WHERE id = $1', [forged.id])).toEqual([]);
  }, 30_000);
});
