import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { usePipeline, waitFor } from '@hookstream/testing';

interface MatchResult {
  accepted: boolean;
  errors: Array<{ path: string; message: string }>;
  receivers: Array<{ subscription_id: string; matched_filter: string }>;
  skipped: Array<{ subscription_id: string; reasons: Array<{ code: string; message: string }> }>;
}

/**
 * `POST /v1/subscriptions/match`, the routing dry-run: its answer must be what the dispatcher
 * really does. Random subscriptions (filters, exclusions, payload filters, some disabled) and
 * random events are run through both, the dry-run and the real pipeline, and compared delivery
 * by delivery.
 */
describe('routing dry-run (five services, real Kafka/Postgres/Redis)', () => {
  const fx = usePipeline('match');

  const match = (apiKey: string, body: unknown) => fx.pipeline.call<MatchResult & { code?: string; details?: Array<{ path: string }> }>('subscription-registry', 'POST', '/v1/subscriptions/match', apiKey, body);

  it('agrees with the dispatcher’s real routing on random subscriptions and event types', async () => {
    const { apiKey } = await fx.pipeline.createTenant();
    const segment = fc.constantFrom('order', 'invoice', 'item', 'paid');
    const type = fc.array(segment, { minLength: 1, maxLength: 3 }).map((p) => p.join('.'));
    const filter = fc.oneof({ weight: 3, arbitrary: type }, { weight: 3, arbitrary: type.map((t) => `${t}.*`) }, { weight: 1, arbitrary: fc.constant('*') });
    // Payload filters, and payloads for them to pass or not.
    const payloadFilter = fc.constantFrom<Record<string, unknown> | null>(
      null,
      null,
      { 'data.amount': { $gte: 50 } },
      { 'data.tags': 'vip' },
      { $or: [{ 'data.region': 'eu' }, { 'data.amount': { $lt: 10 } }] },
      { 'data.region': { $nin: ['us'] }, $not: { 'data.tags': 'new' } },
    );
    const payload = fc.record({ amount: fc.integer({ min: 0, max: 100 }), tags: fc.subarray(['vip', 'new']), region: fc.constantFrom('eu', 'us') }, { requiredKeys: ['amount', 'tags'] });
    const [subs, types, payloads] = fc.sample(
      fc.tuple(
        fc.array(
          fc.record({ event_types: fc.uniqueArray(filter, { minLength: 1, maxLength: 3 }), excluded: fc.uniqueArray(type, { maxLength: 1 }), enabled: fc.constantFrom(true, true, true, false), filter: payloadFilter }),
          { minLength: 12, maxLength: 12 },
        ),
        fc.uniqueArray(type, { minLength: 8, maxLength: 8 }),
        fc.array(payload, { minLength: 8, maxLength: 8 }),
      ),
      { seed: 20261123, numRuns: 1 },
    )[0] ?? [[], [], []];

    const pathOf = new Map<string, string>();
    for (const [i, s] of subs.entries()) {
      const created = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/r/${i}`, event_types: s.event_types, excluded_event_types: s.excluded, filter: s.filter });
      expect(created.status).toBe(201);
      pathOf.set(created.body.id, `/r/${i}`);
      if (!s.enabled) expect((await fx.pipeline.call('subscription-registry', 'PATCH', `/v1/subscriptions/${created.body.id}`, apiKey, { enabled: false })).status).toBe(200);
    }
    // The changelog has one partition: once a subscription created last receives, the dispatcher
    // has read every change before it.
    const sentinel = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/sentinel`, event_types: ['sentinel.ping'] });
    expect(sentinel.status).toBe(201);
    await waitFor(
      async () => {
        await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, { id: `ping_${randomUUID()}`, type: 'sentinel.ping', occurred_at: new Date().toISOString(), data: {} });
        return fx.receiver.requests.some((r) => r.path === '/sentinel');
      },
      30_000,
      'the dispatcher to read the whole changelog',
      500,
    );

    const expected = new Map<string, string[]>();
    let filteredOut = 0;
    for (const [n, t] of types.entries()) {
      const data = payloads[n] ?? {};
      const dry = await match(apiKey, { event_type: t, data });
      expect(dry.status).toBe(200);
      expect(dry.body.receivers.length + dry.body.skipped.length).toBe(subs.length + 1);
      for (const s of dry.body.skipped) expect(s.reasons.length).toBeGreaterThan(0);
      filteredOut += dry.body.skipped.filter((s) => s.reasons.some((r) => r.code === 'payload_filter')).length;
      const id = `evt_${randomUUID()}`;
      expected.set(id, dry.body.receivers.map((r) => pathOf.get(r.subscription_id) ?? '?').sort());
      expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, { id, type: t, occurred_at: new Date().toISOString(), data })).status).toBe(202);
    }
    const total = [...expected.values()].reduce((n, paths) => n + paths.length, 0);
    // Not a vacuous comparison: the draw routes events to different sets of subscriptions, and
    // payload filters turn some events away from subscriptions whose types they match.
    expect(total).toBeGreaterThan(3);
    expect(filteredOut).toBeGreaterThan(0);
    expect(new Set([...expected.values()].map((paths) => paths.join())).size).toBeGreaterThan(2);
    await fx.receiver.waitForRequests(total, 30_000, (r) => r.path.startsWith('/r/'));
    await new Promise((r) => setTimeout(r, 1500));
    for (const [id, paths] of expected) {
      const got = fx.receiver.requests.filter((r) => r.headers['webhook-id'] === id).map((r) => r.path).sort();
      expect({ id, got }).toEqual({ id, got: paths });
    }
  });

  it('says why the others would not receive it, and what a strict catalog would refuse', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const schema = { type: 'object', required: ['order_id'], properties: { order_id: { type: 'string' } } };
    expect((await fx.pipeline.call('subscription-registry', 'POST', '/v1/event-types', apiKey, { name: 'order.placed', schema })).status).toBe(201);
    const sub = (body: Record<string, unknown>) => fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: 'https://hooks.partner.example/in', ...body });
    const all = (await sub({ event_types: ['order.*'], name: 'all orders' })).body.id;
    const invoices = (await sub({ event_types: ['invoice.*'] })).body.id;
    const excluding = (await sub({ event_types: ['*'], excluded_event_types: ['order.placed'] })).body.id;
    const off = (await sub({ event_types: ['order.placed'] })).body.id;
    expect((await fx.pipeline.call('subscription-registry', 'PATCH', `/v1/subscriptions/${off}`, apiKey, { enabled: false, disabled_reason: 'gone' })).status).toBe(200);

    const open = await match(apiKey, { event_type: 'order.placed', data: { anything: true } });
    expect(open.status).toBe(200);
    expect(open.body).toMatchObject({ accepted: true, errors: [], receivers: [{ subscription_id: all, matched_filter: 'order.*', name: 'all orders' }] });
    const reasons = Object.fromEntries(open.body.skipped.map((s) => [s.subscription_id, s.reasons.map((r) => r.code)]));
    expect(reasons).toEqual({ [invoices]: ['no_matching_filter'], [excluding]: ['excluded'], [off]: ['disabled'] });
    expect(open.body.skipped.find((s) => s.subscription_id === off)?.reasons[0]?.message).toContain('(gone)');

    expect((await fx.pipeline.call('subscription-registry', 'PUT', `/v1/tenants/${tenantId}/catalog-mode`, apiKey, { strict_event_types: true })).status).toBe(200);
    const invalid = await match(apiKey, { event_type: 'order.placed', data: { order_id: 42 } });
    expect(invalid.body).toMatchObject({ accepted: false, errors: [{ path: 'data.order_id' }], receivers: [] });
    expect(invalid.body.skipped.find((s) => s.subscription_id === all)?.reasons.map((r) => r.code)).toEqual(['event_refused']);
    expect((await match(apiKey, { event_type: 'order.placed', data: {} })).body.errors).toEqual([{ path: 'data.order_id', message: "must have required property 'order_id'" }]);
    expect((await match(apiKey, { event_type: 'order.placed', data: { order_id: 'ord_1' } })).body).toMatchObject({ accepted: true, receivers: [{ subscription_id: all }] });
    expect((await match(apiKey, { event_type: 'order.unknown' })).body).toMatchObject({ accepted: false, errors: [{ path: 'type' }] });

    const bad = await match(apiKey, { event_type: 'Not A Type', extra: 1 });
    expect(bad.status).toBe(422);
    expect(bad.body.details?.map((d) => d.path).sort()).toEqual(['(root)', 'event_type']);
    // An admin names the tenant; without one the question has no subject.
    expect((await match(fx.stack.adminKey, { event_type: 'order.placed' })).status).toBe(422);
    expect((await match(fx.stack.adminKey, { tenant_id: tenantId, event_type: 'order.placed', data: { order_id: 'x' } })).body.receivers).toHaveLength(1);
  });
});
