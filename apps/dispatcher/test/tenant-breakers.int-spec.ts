import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeadLetterMessage, RetryMessage } from '@hookstream/contracts';
import { collectTopic, createTestStack, type ServiceProcess, TestReceiver, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import type { Producer } from 'kafkajs';
import { atSteadyRate, event, idOf, metricValue, publishSubscriptions, scrape, startDispatcher, subscription } from './harness.js';

/**
 * Breakers are per (tenant, origin): tenant A's failing endpoint and its endpoint with a timeout
 * shorter than the host takes trip A's breaker on a shared origin, while tenant B's healthy
 * endpoint on that very origin (same host and port, another path) keeps receiving everything,
 * never postponed. And a postponement spends the delivery's age: tenant C's deliveries behind an
 * open breaker that outlasts their max age end in the DLQ, `breaker_open_expired`.
 */
describe('breakers no tenant can trip for another, and postponements that expire', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let shared: TestReceiver;
  let down: TestReceiver;
  let slow: TestReceiver;
  let retries: TopicCollector<RetryMessage>;
  let dead: TopicCollector<DeadLetterMessage>;
  let producer: Producer;

  beforeAll(async () => {
    stack = await createTestStack('tenantbreakers', { partitions: { deliveries: 2, events: 1 } });
    shared = await TestReceiver.start({
      respond: async (req) => {
        if (req.path === '/a/fail') return { status: 503, body: 'no' };
        // Slower than tenant A's 1 s timeout on this path.
        if (req.path === '/a/slow') await new Promise((r) => setTimeout(r, 1500));
        return { status: 200, body: 'ok' };
      },
    });
    down = await TestReceiver.start({ respond: () => ({ status: 503, body: 'down' }) });
    // Slower than tenant D's 1 s timeout: its backlog parks on the origin's slots.
    slow = await TestReceiver.start({ respond: async () => new Promise((r) => setTimeout(() => r({ status: 200, body: 'late' }), 1500)) });
    await publishSubscriptions(stack, [
      subscription('tenant-a', `${shared.url}/a/fail`),
      subscription('tenant-a', `${shared.url}/a/slow`, { timeout_ms: 1000 }),
      subscription('tenant-b', `${shared.url}/b`),
      subscription('tenant-c', `${down.url}/c`, { retry_policy: { kind: 'schedule', delays_seconds: [5], max_age_seconds: 60 } }),
      subscription('tenant-d', `${slow.url}/d`, { timeout_ms: 1000 }),
      subscription('tenant-e', `${down.url}/e`, {
        batch: { max_events: 3, max_bytes: 1024 * 1024, max_wait_ms: 200 },
        retry_policy: { kind: 'schedule', delays_seconds: [3600], max_age_seconds: 7200 },
      }),
    ]);
    retries = await collectTopic(stack, 'hookstream.retries', (v) => v as RetryMessage);
    dead = await collectTopic(stack, 'hookstream.dlq', (v) => v as DeadLetterMessage);
    // The reset outlasts tenant C's 60 s age limit: its first postponement already ends it.
    // THROTTLE_HOLD_MS holds any backlog (none is deferred for waiting on its origin), so tenant
    // D's reaches its open breaker whole.
    // Deliveries behind an open breaker are all postponed here, none parked in memory
    // (breaker-parking.int-spec.ts parks them).
    dispatcher = await startDispatcher(stack, { BREAKER_VOLUME_THRESHOLD: '4', BREAKER_ERROR_THRESHOLD_PERCENT: '50', BREAKER_RESET_TIMEOUT_MS: '120000', THROTTLE_HOLD_MS: '600000', BREAKER_PARK_MAX_PER_SUBSCRIPTION: '0' });
    producer = stack.kafka.producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await dispatcher?.stop();
    await Promise.all([retries?.stop(), dead?.stop()]);
    await Promise.all([shared?.close(), down?.close(), slow?.close()]);
    await stack?.close();
  }, 60_000);

  async function publish(tenants: readonly string[], perSecond: number, seconds: number): Promise<Set<string>> {
    const ids = new Set<string>();
    await atSteadyRate(perSecond, perSecond * seconds, async () => {
      const batch = tenants.map((t) => event(t));
      await producer.send({ topic: `${stack.topicPrefix}hookstream.events`, acks: -1, messages: batch.map((e) => ({ key: e.tenant_id, value: JSON.stringify(e) })) });
      for (const e of batch) ids.add(e.id);
    });
    return ids;
  }

  it("keeps tenant B's healthy endpoint on the shared origin receiving while tenant A trips its own breaker there", async () => {
    const published = await publish(['tenant-a', 'tenant-b'], 10, 4);
    const toB = () => shared.requests.filter((r) => r.path === '/b');
    await waitFor(() => toB().length >= 40, 20_000, "every one of tenant B's deliveries");
    // A's breaker opened: its later deliveries were postponed, not sent.
    const postponedA = await waitFor(() => {
      const p = retries.values.filter((r) => r.delivery.tenant_id === 'tenant-a' && r.failure.error_class === 'breaker_open');
      return p.length >= 10 ? p : undefined;
    }, 15_000, "tenant A's postponements");
    const sentByA = shared.requests.filter((r) => r.path.startsWith('/a/')).length;
    process.stdout.write(`tenant breakers: tenant A sent ${sentByA} of 80 and postponed ${postponedA.length}; tenant B received ${toB().length} of 40\n`);
    expect(sentByA).toBeLessThan(40);
    // Nothing of B's was ever postponed, and each of its events arrived once.
    expect(retries.values.filter((r) => r.delivery.tenant_id === 'tenant-b')).toEqual([]);
    const idsB = toB().map((r) => idOf(r.body));
    expect(new Set(idsB).size).toBe(40);
    expect(idsB.every((id) => published.has(id))).toBe(true);
    const metrics = await scrape(dispatcher);
    expect(metricValue(metrics, 'hookstream_breaker_state', { origin: shared.url, tenant: 'tenant-a' })).toBe(2);
    expect(metricValue(metrics, 'hookstream_breaker_state', { origin: shared.url, tenant: 'tenant-b' })).toBe(0);
  });

  it('dead-letters a postponed delivery whose breaker stays open past its max age, with the reason', async () => {
    await publish(['tenant-c'], 10, 1.5);
    const expired = await waitFor(() => {
      const d = dead.values.filter((m) => m.delivery.tenant_id === 'tenant-c' && m.reason.startsWith('breaker_open_expired'));
      return d.length >= 5 ? d : undefined;
    }, 20_000, "tenant C's expired postponements in the DLQ");
    for (const d of expired) {
      expect(d.failure.error_class).toBe('breaker_open');
      expect(d.reason).toContain('60 s age limit');
      // No attempt was spent on it.
      expect(d.attempts).toBe(d.delivery.attempt - 1);
    }
    // None of them was also postponed to cycle on.
    const expiredIds = new Set(expired.map((d) => d.delivery.delivery_id));
    expect(retries.values.filter((r) => expiredIds.has(r.delivery.delivery_id) && r.failure.error_class === 'breaker_open')).toEqual([]);
    await waitFor(async () => {
      const rows = await stack.query<{ status: string }>(`SELECT status FROM deliveries WHERE id = ANY($1::uuid[])`, [[...expiredIds]]);
      return rows.length === expiredIds.size && rows.every((r) => r.status === 'dead');
    }, 10_000, 'their deliveries to be dead');
  });

  it("postpones a failed batch behind its open breaker as one batch: one due time, and the batch's age limit on every member", async () => {
    // Four batches of three fail at tenant E's endpoint and open its breaker (volume 4, 50 %).
    const events = Array.from({ length: 12 }, () => event('tenant-e'));
    await producer.send({ topic: `${stack.topicPrefix}hookstream.events`, acks: -1, messages: events.map((e) => ({ key: e.tenant_id, value: JSON.stringify(e) })) });
    await waitFor(async () => metricValue(await scrape(dispatcher), 'hookstream_breaker_state', { origin: down.url, tenant: 'tenant-e' }) === 2, 20_000, "tenant E's breaker to open");
    const failed = retries.values.filter((r) => r.delivery.tenant_id === 'tenant-e' && r.delivery.origin === 'retry' && r.delivery.batch);
    const byBatch = new Map<string, RetryMessage[]>();
    for (const r of failed) byBatch.set(r.delivery.batch?.id ?? '', [...(byBatch.get(r.delivery.batch?.id ?? '') ?? []), r]);
    const members = [...byBatch.values()].find((m) => m.length > 1 && m.length === m[0]?.delivery.batch?.size);
    if (!members) throw new Error(`no whole failed batch among ${failed.length} retries`);
    const limit = members[0]?.delivery.batch?.expires_at;
    // The batch's age limit is its oldest member's, and every member carries it.
    expect(limit).toBe(members.map((m) => m.expires_at).sort()[0]);
    expect(members.every((m) => m.delivery.batch?.expires_at === limit)).toBe(true);

    // The retry scheduler's part: the members come due while the breaker is still open.
    await producer.send({
      topic: `${stack.topicPrefix}hookstream.deliveries`,
      acks: -1,
      messages: members.map((m) => ({ key: m.delivery.subscription_id, value: JSON.stringify(m.delivery) })),
    });
    const batchId = members[0]?.delivery.batch?.id;
    const postponed = await waitFor(() => {
      const p = retries.values.filter((r) => r.delivery.batch?.id === batchId && r.failure.error_class === 'breaker_open');
      return p.length >= members.length ? p : undefined;
    }, 15_000, "the batch's postponement");
    // Postponed one by one, each drew its own due time within the reset period, and the batch
    // came back apart: its first member went alone after max_wait_ms under the batch's webhook-id.
    expect(new Set(postponed.map((p) => p.due_at)).size).toBe(1);
    expect(postponed.map((p) => p.delivery.delivery_id).sort()).toEqual(members.map((m) => m.delivery.delivery_id).sort());
    for (const p of postponed) {
      expect(p.delivery.batch?.expires_at).toBe(limit);
      expect(p.expires_at).toBe(limit);
      expect(p.delivery.attempt).toBe(2);
    }
  });

  it("postpones a tenant's parked backlog in groups when its breaker opens, while another tenant's sends go on", async () => {
    // 64 attempts at once (HOST_CONCURRENCY) time out after 1 s; the rest park on the origin's
    // slots, and the breaker those timeouts open then postpones the whole backlog. Tenant B
    // publishes meanwhile: each of its admissions and finished sends runs the scheduler's pump,
    // and before settling was paced by the recorder's queue, every such run settled another
    // turn of D's backlog into the group being formed (groups of 2,400 in hostile_tenant).
    const events = Array.from({ length: 1200 }, () => event('tenant-d'));
    const steady = publish(['tenant-b'], 50, 10);
    for (let i = 0; i < events.length; i += 300) {
      await producer.send({ topic: `${stack.topicPrefix}hookstream.events`, acks: -1, messages: events.slice(i, i + 300).map((e) => ({ key: e.tenant_id, value: JSON.stringify(e) })) });
    }
    const postponed = () => retries.values.filter((r) => r.delivery.tenant_id === 'tenant-d' && r.failure.error_class === 'breaker_open').length;
    await waitFor(() => postponed() >= 1000, 30_000, "tenant D's postponed backlog");
    const sentB = await steady;
    const metrics = await scrape(dispatcher);
    const groups = metricValue(metrics, 'hookstream_outcome_group_size_count');
    const upTo250 = metricValue(metrics, 'hookstream_outcome_group_size_bucket', { le: '250' });
    process.stdout.write(`parked backlog: ${postponed()} postponed; ${groups} outcome groups, ${groups - upTo250} of them over 250\n`);
    // Unpaced, the backlog went out in groups of many hundreds, stalling every other tenant's records behind them.
    expect(groups - upTo250).toBe(0);
    const toB = () => new Set(shared.requests.filter((r) => r.path === '/b').map((r) => idOf(r.body)));
    await waitFor(() => [...sentB].every((id) => toB().has(id)), 30_000, "every one of tenant B's deliveries during the postponements");
  });
});
