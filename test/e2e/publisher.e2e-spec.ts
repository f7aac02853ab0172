import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { eventIdTime, HookstreamPublisher, HookstreamPublishError, HookstreamValidationError } from '@hookstream/publisher';
import { usePipeline } from '@hookstream/testing';

/** The events a typed publisher may send: type → data. */
type OrderEvents = {
  'order.placed': { order_id: string; total_cents: number };
  'order.shipped': { order_id: string; carrier: string };
};

/**
 * The producer SDK end to end: events published with it, over Kafka and over HTTP, reach a
 * receiver through the five services, signed, once each.
 */
describe('@hookstream/publisher (five services, real Kafka/Postgres/Redis)', () => {
  let tenantId: string;
  let apiKey: string;
  const secret = `whsec_${randomBytes(24).toString('base64')}`;

  const fx = usePipeline('publisher', { receiver: { secret } });

  beforeAll(async () => {
    ({ tenantId, apiKey } = await fx.pipeline.createTenant());
    const sub = await fx.pipeline.call('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/orders`, event_types: ['order.*'], secret });
    expect(sub.status).toBe(201);
  }, 60_000);


  const delivered = (orderId: string) => fx.receiver.requests.filter((r) => (JSON.parse(r.body) as { data: { order_id?: string } }).data.order_id === orderId);

  it('publishes over Kafka with an idempotent producer: one event and a batch reach the fx.receiver, signed, once each', async () => {
    const hooks = new HookstreamPublisher<OrderEvents>({ brokers: fx.stack.brokers, topicPrefix: fx.stack.topicPrefix, tenantId });
    const run = randomUUID().slice(0, 8);
    const one = await hooks.publish({ type: 'order.placed', data: { order_id: `k1-${run}`, total_cents: 4200 } });
    expect(one.status).toBe('queued');
    expect(Math.abs(eventIdTime(one.id) - Date.now())).toBeLessThan(60_000);
    const batch = await hooks.publishBatch([
      { type: 'order.placed', data: { order_id: `k2-${run}`, total_cents: 100 } },
      { type: 'order.shipped', data: { order_id: `k2-${run}`, carrier: 'dhl' } },
      // The same id again is a duplicate at the gateway: delivered once.
      { type: 'order.placed', data: { order_id: `k1-${run}`, total_cents: 4200 }, id: one.id },
    ]);
    expect(batch.map((r) => r.status)).toEqual(['queued', 'queued', 'queued']);
    const ids = batch.map((r) => r.id);
    expect([...ids.slice(0, 2)].sort()).toEqual(ids.slice(0, 2));
    await hooks.close();

    const got = await fx.receiver.waitForRequests(3, 30_000, (r) => r.body.includes(run));
    expect(got.every((r) => r.signatureValid === true)).toBe(true);
    const first = delivered(`k1-${run}`)[0];
    expect(first?.headers['webhook-id']).toBe(one.id);
    expect(JSON.parse(first?.body ?? '{}')).toMatchObject({ id: one.id, type: 'order.placed', data: { order_id: `k1-${run}`, total_cents: 4200 } });
    expect(delivered(`k2-${run}`).map((r) => r.headers['webhook-id']).sort()).toEqual([...ids.slice(0, 2)].sort());
    await new Promise((r) => setTimeout(r, 1500));
    expect(delivered(`k1-${run}`)).toHaveLength(1);

    await expect(hooks.publish({ type: 'order.placed', data: { order_id: 'late', total_cents: 1 } })).rejects.toMatchObject({ code: 'closed' });
  });

  it('posts to the gateway in HTTP mode: accepted, then duplicate for the same id; batches carry a result per event', async () => {
    const hooks = new HookstreamPublisher<OrderEvents>({ url: fx.pipeline.url('ingress-gateway'), apiKey, tenantId });
    const run = randomUUID().slice(0, 8);
    const first = await hooks.publish({ type: 'order.placed', data: { order_id: `h1-${run}`, total_cents: 1 }, id: `order-${run}-placed` });
    expect(first).toEqual({ id: `order-${run}-placed`, status: 'accepted' });
    expect(await hooks.publish({ type: 'order.placed', data: { order_id: `h1-${run}`, total_cents: 1 }, id: `order-${run}-placed` })).toEqual({ id: `order-${run}-placed`, status: 'duplicate' });
    const batch = await hooks.publishBatch([
      { type: 'order.shipped', data: { order_id: `h2-${run}`, carrier: 'ups' } },
      { type: 'order.placed', data: { order_id: `h1-${run}`, total_cents: 1 }, id: `order-${run}-placed` },
    ]);
    expect(batch.map((r) => r.status)).toEqual(['accepted', 'duplicate']);
    await hooks.close();

    await fx.receiver.waitForRequests(2, 30_000, (r) => r.body.includes(run));
    await new Promise((r) => setTimeout(r, 1500));
    expect(delivered(`h1-${run}`)).toHaveLength(1);
    expect(delivered(`h2-${run}`)).toHaveLength(1);
  });

  it('refuses invalid events locally, sending nothing, and reports the gateway’s refusals with their code', async () => {
    const hooks = new HookstreamPublisher<OrderEvents>({ url: fx.pipeline.url('ingress-gateway'), apiKey, tenantId });
    const run = randomUUID().slice(0, 8);
    const invalid = hooks.publishBatch([
      { type: 'order.placed', data: { order_id: `v1-${run}`, total_cents: 1 } },
      { type: 'order.placed', data: { order_id: `v2-${run}`, total_cents: 1 }, id: 'has a space' },
    ]);
    await expect(invalid).rejects.toBeInstanceOf(HookstreamValidationError);
    await expect(invalid).rejects.toMatchObject({ errors: [{ index: 1, path: 'id' }] });

    const stranger = new HookstreamPublisher<OrderEvents>({ url: fx.pipeline.url('ingress-gateway'), apiKey: 'hsk_0000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', tenantId, maxRetries: 0 });
    const refused = stranger.publish({ type: 'order.placed', data: { order_id: `v3-${run}`, total_cents: 1 } });
    await expect(refused).rejects.toBeInstanceOf(HookstreamPublishError);
    await expect(refused).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });
    await Promise.all([hooks.close(), stranger.close()]);

    await new Promise((r) => setTimeout(r, 1500));
    expect(fx.receiver.requests.filter((r) => r.body.includes(run))).toHaveLength(0);
    expect(() => new HookstreamPublisher({ brokers: fx.stack.brokers, tenantId: 'not a tenant!' })).toThrow(HookstreamValidationError);
  });
});
