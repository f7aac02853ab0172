import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RetryMessage } from '@hookstream/contracts';
import { collectTopic, createTestStack, type ServiceProcess, TestReceiver, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import type { Producer } from 'kafkajs';
import { atSteadyRate, event, idOf, metricValue, publishSubscriptions, scrape, startDispatcher, subscription } from './harness.js';

/**
 * A tenant whose endpoint takes 1 s, on an origin with 4 slots it shares with another tenant,
 * publishes 25 events a second:
 * six times what the origin carries. What its slots serve within THROTTLE_HOLD_MS (5 s) is held;
 * the rest is deferred through hookstream.retries, spaced at the pace the slots drain (250 ms),
 * instead of piling up in memory (with leases to renew) to be postponed all at once when a
 * breaker opens: 8,400 held after 30 s in hostile_tenant, and a 1.9 s stall for every tenant.
 */
describe('a backlog behind a full origin is deferred at its pace, not held', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let slow: TestReceiver;
  let alone: TestReceiver;
  let retries: TopicCollector<RetryMessage>;
  let producer: Producer;

  beforeAll(async () => {
    stack = await createTestStack('hostbacklog', { partitions: { deliveries: 1, events: 1 } });
    // Tenant G's endpoint on the same origin answers at once: the origin is shared, as a chat or
    // CRM webhook host is (a tenant alone at an origin keeps its backlog held).
    slow = await TestReceiver.start({ respond: (req) => (req.path === '/g' ? { status: 200, body: 'ok' } : new Promise((r) => setTimeout(() => r({ status: 200, body: 'ok' }), 1000))) });
    alone = await TestReceiver.start({ respond: () => new Promise((r) => setTimeout(() => r({ status: 200, body: 'ok' }), 200)) });
    await publishSubscriptions(stack, [subscription('tenant-h', `${slow.url}/h`, { timeout_ms: 10_000 }), subscription('tenant-g', `${slow.url}/g`), subscription('tenant-l', `${alone.url}/l`)]);
    retries = await collectTopic(stack, 'hookstream.retries', (v) => v as RetryMessage);
    dispatcher = await startDispatcher(stack, { HOST_CONCURRENCY: '4', BREAKER_VOLUME_THRESHOLD: '1000000', DEFER_HOST_BACKLOG: 'true' });
    producer = stack.kafka.producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await dispatcher?.stop();
    await retries?.stop();
    await Promise.all([slow?.close(), alone?.close()]);
    await stack?.close();
  }, 60_000);

  it('holds what 5 s of the origin serves and defers the rest, spaced, losing nothing', async () => {
    const published = new Set<string>();
    let maxHeld = 0;
    let sampling = true;
    const deferred = () => retries.values.filter((r) => r.delivery.tenant_id === 'tenant-h' && r.failure.error_class === 'throttled');
    const received = () => new Set(slow.requests.filter((r) => r.path === '/h').map((r) => idOf(r.body)));
    async function publishAndDrain(): Promise<void> {
      await atSteadyRate(25, 150, async (i) => {
        const e = event('tenant-h');
        const others = i % 5 === 0 ? [event('tenant-g')] : [];
        await producer.send({ topic: `${stack.topicPrefix}hookstream.events`, acks: -1, messages: [e, ...others].map((m) => ({ key: m.tenant_id, value: JSON.stringify(m) })) });
        published.add(e.id);
      });
      // Every event was either sent or deferred once what was held has drained.
      await waitFor(() => received().size + deferred().length >= published.size, 20_000, 'each event sent or deferred');
    }
    const sampler = (async () => {
      while (sampling) {
        maxHeld = Math.max(maxHeld, metricValue(await scrape(dispatcher), 'hookstream_deliveries_held'));
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    try {
      await publishAndDrain();
    } finally {
      sampling = false;
      await sampler;
    }
    const due = deferred()
      .map((r) => Date.parse(r.due_at))
      .sort((a, b) => a - b);
    const gaps = due.slice(1).map((t, i) => t - (due[i] ?? t));
    process.stdout.write(`host backlog: ${published.size} published, ${received().size} sent, ${due.length} deferred, at most ${maxHeld} held; deferral gaps ${Math.min(...gaps)}..${Math.max(...gaps)} ms\n`);
    // Held: the 4 running and what they serve in 5 s (20), with room for the estimate's warm-up.
    expect(maxHeld).toBeLessThanOrEqual(50);
    expect(due.length).toBeGreaterThanOrEqual(60);
    // Spaced at the slots' pace (1 s / 4 running), not all due at once.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(200);
    // Nothing sent and deferred both, nothing of anyone else's, nothing lost.
    const deferredIds = new Set(deferred().map((r) => r.delivery.event_id));
    expect([...received()].filter((id) => deferredIds.has(id))).toEqual([]);
    expect([...received(), ...deferredIds].every((id) => published.has(id))).toBe(true);
    expect(received().size + deferredIds.size).toBe(published.size);
  });

  it('keeps a lone tenant\'s burst held: nobody shares its origin, and the consumer\'s backpressure bounds it', async () => {
    const events = Array.from({ length: 80 }, () => event('tenant-l'));
    await atSteadyRate(40, events.length, async (i) => {
      const e = events[i];
      if (e) await producer.send({ topic: `${stack.topicPrefix}hookstream.events`, acks: -1, messages: [{ key: e.tenant_id, value: JSON.stringify(e) }] });
    });
    // 80 deliveries of 200 ms through 4 slots, twice what they carry: about 4 s, all sent, none deferred.
    await waitFor(() => alone.requests.length >= events.length, 20_000, "every one of tenant L's deliveries");
    expect(retries.values.filter((r) => r.delivery.tenant_id === 'tenant-l')).toEqual([]);
    expect(new Set(alone.requests.map((r) => idOf(r.body)))).toEqual(new Set(events.map((e) => e.id)));
  });
});
