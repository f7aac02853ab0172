import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import fc from 'fast-check';

/**
 * Property: whatever arrives (random JSON, broken JSON, odd headers, odd sizes) the gateway
 * answers with a 2xx or a 4xx carrying a code, never a 5xx, and stays up; every invalid Kafka
 * message is quarantined with a reason. Seeded, so a failure replays exactly.
 */
describe('ingress-gateway under hostile input', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let key: string;
  let rejected: TopicCollector<{ code: string; message: string; source: { offset: string } }>;

  beforeAll(async () => {
    stack = await createTestStack('hostile');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), MAX_EVENT_BYTES: '8192', MAX_BATCH_BYTES: '65536' });
    gateway.start();
    await gateway.waitReady();
    key = await seedTenantKey(stack, 'hostile-acme');
    rejected = await collectTopic(stack, 'hookstream.ingest.rejected', (v) => v as { code: string; message: string; source: { offset: string } });
  }, 120_000);

  afterAll(async () => {
    await rejected?.stop();
    await gateway?.stop();
    await stack?.close();
  });

  const validEvent = fc.record({
    id: fc.string({ minLength: 1, maxLength: 40 }).map((s) => `evt_${s.replace(/[^\x21-\x7e]/g, 'x')}`),
    type: fc.constantFrom('order.placed', 'invoice.paid', 'a.b.c'),
    occurred_at: fc.constant('2026-11-22T10:00:00Z'),
    data: fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 }),
  });
  const body = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
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
    const samples = fc.sample(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v))), { numRuns: 1000, seed: 7 });
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
      expect(r.code).toBe('validation_failed');
      expect(r.message.length).toBeGreaterThan(0);
    }
  }, 120_000);
});
