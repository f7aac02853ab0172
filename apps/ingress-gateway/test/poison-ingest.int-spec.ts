import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, freePort, type QuarantinedView, quarantinedView, seedTenantKey, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';

/**
 * Issue 13, reproduction 1: a message on hookstream.ingest that Postgres refuses (year 0000)
 * used to stall its partition forever. Now it is quarantined on hookstream.ingest.rejected with
 * its reason and source offset, and the valid event behind it is accepted within 5 s.
 */
describe('ingress-gateway ingest consumer and a poison message', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let rejected: TopicCollector<QuarantinedView & { offset: string }>;
  const tenant = `poison_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    stack = await createTestStack('poisoningest');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), stack.env());
    gateway.start();
    await gateway.waitReady();
    await seedTenantKey(stack, tenant);
    rejected = await collectTopic(stack, 'hookstream.ingest.rejected', (_v, _k, m) => ({ ...quarantinedView(m), offset: m.offset }));
  }, 120_000);

  afterAll(async () => {
    await rejected?.stop();
    await gateway?.stop();
    await stack?.close();
  });

  it('quarantines the year-0000 event and accepts the valid one after it on the same partition within 5 s', async () => {
    const poison = { id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: tenant, occurred_at: '0000-01-01T00:00:00Z', data: { n: 1 } };
    const good = { id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: tenant, occurred_at: '2026-11-22T10:00:00Z', data: { n: 2 } };
    const producer = stack.kafka.producer();
    await producer.connect();
    let poisonOffset: string | undefined;
    const started = Date.now();
    try {
      // One key, so one partition: the valid event is behind the poison one.
      const [meta] = await producer.send({ topic: `${stack.topicPrefix}hookstream.ingest`, messages: [{ key: tenant, value: JSON.stringify(poison), headers: { 'x-producer': 'billing' } }] });
      poisonOffset = meta?.baseOffset;
      await producer.send({ topic: `${stack.topicPrefix}hookstream.ingest`, messages: [{ key: tenant, value: JSON.stringify(good) }] });
    } finally {
      await producer.disconnect();
    }
    await waitFor(async () => (await stack.query('SELECT 1 FROM events WHERE id = $1', [good.id])).length === 1, 5000, 'the valid event behind the poison one');
    const tookMs = Date.now() - started;
    const [q] = await waitFor(() => (rejected.values.length ? rejected.values : undefined), 5000, 'the poison event in quarantine');
    // Year 0000 is refused by Postgres (pg_22008), or by the envelope schema once the edge checks it.
    expect(['pg_22008', 'validation_failed']).toContain(q?.code);
    expect(q?.reason).toMatch(/occurred_at|out of range/);
    expect(q).toMatchObject({ tenantId: tenant, source: { topic: `${stack.topicPrefix}hookstream.ingest`, offset: poisonOffset } });
    expect(q?.value?.toString()).toBe(JSON.stringify(poison));
    expect(q?.headers['x-producer']).toBe('billing');
    expect(await stack.query('SELECT 1 FROM events WHERE id = $1', [poison.id])).toEqual([]);
    expect(rejected.values).toHaveLength(1);
    process.stdout.write(`ingest: valid event after the poison one accepted in ${tookMs} ms\n`);
  }, 30_000);
});
