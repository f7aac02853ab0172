import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventMessage } from '@hookstream/contracts';
import { createTestStack, freePort, ServiceProcess, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import type { Producer } from 'kafkajs';
import { event, publishSubscriptions, startDispatcher, subscription } from '../../apps/dispatcher/test/harness.js';

const TENANTS = 4;
const KEYS_PER_TENANT = 5;
const EVENTS_PER_KEY = 30;

interface Receipt {
  key: string;
  seq: number;
  ok: boolean;
}

/**
 * Ordered delivery across a consumer group (docs/adr/0009): three dispatchers and the retry
 * scheduler, an endpoint that fails one request in eight, and one dispatcher SIGKILLed mid-run.
 * At the receiver, every key's sequence is complete and in order. At-least-once still holds, so
 * an event may arrive twice, but a repeat is only ever of the key's latest event: never an
 * earlier one after a later one, never one before its predecessor was answered 2xx.
 */
describe('ordered delivery through a dispatcher crash', () => {
  let stack: TestStack;
  let receiver: TestReceiver;
  let scheduler: ServiceProcess;
  let producer: Producer;
  const dispatchers: ServiceProcess[] = [];
  const log: Receipt[] = [];
  const env = {
    KAFKA_SESSION_TIMEOUT_MS: '10000',
    LEASE_TTL_MS: '6000',
    LEASE_SWEEP_INTERVAL_MS: '1000',
    ORDERED_RELEASE_AFTER_MS: '2000',
    RETRY_DELAYS: '1s,1s,2s,2s,5s',
    BREAKER_VOLUME_THRESHOLD: '1000000',
    LOG_LEVEL: 'warn',
  };

  beforeAll(async () => {
    stack = await createTestStack('orderede2e', { partitions: { events: 6, deliveries: 6 } });
    receiver = await TestReceiver.start({
      respond: async (req) => {
        const body = JSON.parse(req.body) as { id: string; data: { key: string; seq: number } };
        const roll = createHash('sha256').update(`${body.id}/${log.filter((l) => l.key === body.data.key && l.seq === body.data.seq).length}`).digest()[0] ?? 0;
        const ok = roll % 8 !== 0;
        log.push({ key: body.data.key, seq: body.data.seq, ok });
        // Some answers take a while, so attempts are in flight when the dispatcher dies.
        await new Promise((r) => setTimeout(r, roll % 40));
        return ok ? { status: 204 } : { status: 503, body: 'try again' };
      },
    });
    producer = stack.kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    scheduler = new ServiceProcess('retry-scheduler', await freePort(), { ...stack.env(), MAX_IDLE_SLEEP_MS: '200' });
    scheduler.start();
    await scheduler.waitReady();
  }, 120_000);

  afterAll(async () => {
    await Promise.all([...dispatchers.map((d) => d.stop()), scheduler?.stop()]);
    await producer?.disconnect();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  it('delivers every key complete and in order when one of three dispatchers is SIGKILLed mid-run', async () => {
    const tenants = Array.from({ length: TENANTS }, (_, i) => `ordered${i}`);
    const subs = tenants.map((t) => subscription(t, `${receiver.url}/${t}`, { ordering: 'key', timeout_ms: 10_000 }));
    await publishSubscriptions(stack, subs);
    dispatchers.push(...(await Promise.all([0, 1, 2].map(() => startDispatcher(stack, env)))));

    // Keys interleaved within each tenant, produced in order (a tenant's events share a partition).
    const events: EventMessage[] = [];
    for (let seq = 0; seq < EVENTS_PER_KEY; seq++) {
      for (const t of tenants) {
        for (let k = 0; k < KEYS_PER_TENANT; k++) {
          const key = `${t}-k${k}`;
          events.push({ ...event(t, 'order.updated'), ordering_key: key, data: { key, seq } });
        }
      }
    }
    const TICKS = 10;
    const perTick = Math.ceil(events.length / TICKS);
    for (let i = 0; i < TICKS; i++) {
      const batch = events.slice(i * perTick, (i + 1) * perTick);
      await producer.send({ topic: `${stack.topicPrefix}hookstream.events`, acks: -1, messages: batch.map((e) => ({ key: e.tenant_id, value: JSON.stringify(e) })) });
      // Mid-run, while heads are claimed and attempts in flight: no shutdown, no lease hand-back.
      if (i === 3) await dispatchers[0]?.kill();
      await new Promise((r) => setTimeout(r, 300));
    }

    const total = events.length;
    await waitFor(async () => {
      const rows = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE status = 'delivered'`);
      return Number(rows[0]?.n) === total ? true : undefined;
    }, 150_000, `all ${total} deliveries delivered`);

    const byKey = new Map<string, Receipt[]>();
    for (const r of log) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    expect(byKey.size).toBe(TENANTS * KEYS_PER_TENANT);
    const violations: string[] = [];
    let duplicates = 0;
    let failures = 0;
    for (const [key, receipts] of byKey) {
      let latestSent = -1;
      let delivered = -1;
      for (const r of receipts) {
        if (r.seq < latestSent) violations.push(`${key}: ${r.seq} after ${latestSent}`);
        if (r.seq > delivered + 1) violations.push(`${key}: ${r.seq} before ${delivered + 1} was delivered`);
        if (r.ok && r.seq <= delivered) duplicates++;
        if (!r.ok) failures++;
        latestSent = Math.max(latestSent, r.seq);
        if (r.ok) delivered = Math.max(delivered, r.seq);
      }
      if (delivered !== EVENTS_PER_KEY - 1) violations.push(`${key}: delivered up to ${delivered} only`);
    }
    process.stdout.write(`ordered e2e: ${total} events, ${log.length} requests, ${failures} answered 503, ${duplicates} duplicates of the latest, ${violations.length} order violations\n`);
    expect(violations).toEqual([]);
    // The failures were real: order held through retries, not for want of them.
    expect(failures).toBeGreaterThan(10);
    // Nothing is held any more.
    expect(await stack.query(`SELECT delivery_id, state FROM ordered_entries`)).toEqual([]);
  }, 240_000);
});
