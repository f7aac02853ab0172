import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { SubscriptionSnapshot } from '@hookstream/contracts';
import { createTestStack, type ServiceProcess, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import type { Producer } from 'kafkajs';
import { atSteadyRate, event, idOf, publishSubscriptions, quantile, startDispatcher, subscription } from './harness.js';

/**
 * One endpoint that never answers (each attempt runs into its 2 s timeout; 30 s in production,
 * where the point is the same) shares the only partition of hookstream.deliveries with healthy
 * endpoints of its own tenant and of another. The healthy endpoints' latency, published to
 * received, must stay within 10 % of what it is without the slow endpoint (or within a small
 * absolute floor, for latencies of a few milliseconds on a shared 2-core machine). A dispatcher
 * that waited for every attempt of a batch before committing would add up to 2 s per batch.
 */
describe('fairness: a slow endpoint does not slow healthy ones', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let healthy: TestReceiver;
  let slow: TestReceiver;
  let producer: Producer;
  let slowSub: SubscriptionSnapshot;
  const PER_SECOND = 20;
  const SECONDS = 4;

  beforeAll(async () => {
    stack = await createTestStack('fairness', { partitions: { deliveries: 1, events: 1 } });
    healthy = await TestReceiver.start();
    // Never answers: the dispatcher's timeout ends each attempt.
    slow = await TestReceiver.start({ respond: () => new Promise(() => undefined) });
    slowSub = subscription('tenant-a', `${slow.url}/slow`, { timeout_ms: 2000, enabled: false, disabled_reason: 'manual' });
    await publishSubscriptions(stack, [subscription('tenant-a', `${healthy.url}/a`), subscription('tenant-b', `${healthy.url}/b`), slowSub]);
    // The breaker would soon stop trying the slow host; the point here is the path without it.
    dispatcher = await startDispatcher(stack, { BREAKER_VOLUME_THRESHOLD: '1000000' });
    producer = stack.kafka.producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer?.disconnect();
    await dispatcher?.stop();
    await Promise.all([healthy?.close(), slow?.close()]);
    await stack?.close();
  }, 60_000);

  /** Publishes one event per tenant at a steady rate; returns each healthy delivery's latency by tenant. */
  async function run(phase: string): Promise<Record<'a' | 'b', number[]>> {
    const publishedAt = new Map<string, number>();
    await atSteadyRate(PER_SECOND, PER_SECOND * SECONDS, async () => {
      const batch = [event('tenant-a'), event('tenant-b')];
      const at = Date.now();
      await producer.send({ topic: `${stack.topicPrefix}hookstream.events`, acks: -1, messages: batch.map((e) => ({ key: e.tenant_id, value: JSON.stringify(e) })) });
      for (const e of batch) publishedAt.set(e.id, at);
    });
    const mine = () => healthy.requests.filter((r) => publishedAt.has(idOf(r.body)));
    await waitFor(() => mine().length === publishedAt.size, 30_000, `${phase}: every healthy delivery`);
    const latency = { a: [] as number[], b: [] as number[] };
    for (const r of mine()) latency[r.path === '/a' ? 'a' : 'b'].push(r.at - (publishedAt.get(idOf(r.body)) ?? r.at));
    return latency;
  }

  it('keeps healthy latency (same tenant and another tenant) within 10 % while a slow endpoint times out', async () => {
    const before = await run('baseline');
    // Tenant A turns the slow endpoint on; wait for the changelog to reach the dispatcher.
    await publishSubscriptions(stack, [{ ...slowSub, enabled: true, disabled_reason: null, version: 2 }]);
    await new Promise((r) => setTimeout(r, 1500));
    const slowBefore = slow.requests.length;
    const during = await run('with the slow endpoint');
    // The slow endpoint really was being tried, and each attempt really hung to its timeout.
    expect(slow.requests.length - slowBefore).toBeGreaterThanOrEqual(PER_SECOND * SECONDS * 0.9);
    // (The last ones are still running into their timeout when the healthy deliveries are in.)
    await waitFor(async () => {
      const rows = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM delivery_attempts WHERE subscription_id = $1 AND error_class = 'timeout' AND duration_ms >= 1900`, [slowSub.id]);
      return Number(rows[0]?.n) >= PER_SECOND * SECONDS * 0.9;
    }, 20_000, 'the slow attempts to time out and be recorded');

    const checks: { tenant: string; name: string; base: number; slowed: number; allowed: number }[] = [];
    for (const tenant of ['a', 'b'] as const) {
      // The floors absorb scheduling noise: the integration tier runs other files beside this one on
      // two cores, and a few of 80 samples can wait a few hundred ms for a core (p95 172 ms against
      // a 17 ms baseline in one clean-clone run, both tenants alike). What this test guards
      // against, a batch held for its slow attempt, adds the 2 s timeout, far above them.
      for (const [name, q, floorMs] of [['p50', 0.5, 60], ['p95', 0.95, 500]] as const) {
        const base = quantile(before[tenant], q);
        checks.push({ tenant, name, base, slowed: quantile(during[tenant], q), allowed: Math.max(base * 1.1, base + floorMs) });
      }
    }
    process.stdout.write(`fairness: ${checks.map((c) => `tenant ${c.tenant} ${c.name} ${c.base} ms -> ${c.slowed} ms`).join('; ')}\n`);
    for (const c of checks) expect({ ...c, within: c.slowed <= c.allowed }).toEqual({ ...c, within: true });
  });
});
