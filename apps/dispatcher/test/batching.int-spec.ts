import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BatchSettings, DeadLetterMessage, EventMessage, SubscriptionSnapshot } from '@hookstream/contracts';
import { formatSecret } from '@hookstream/domain';
import { collectTopic, createTestStack, freePort, type ReceivedRequest, ServiceProcess, TestReceiver, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { event, publishEvents, publishSubscriptions, startDispatcher, subscription } from './harness.js';

type Envelope = { id: string; data: { key?: string; seq?: number; pad?: string } };

/**
 * Batched delivery (docs/guides/batching.md) against a receiver on loopback, with the retry
 * scheduler: one signed request per batch within its bounds; a failed batch retries and
 * dead-letters as a unit, with one attempt row per event; with ordering, order holds inside and
 * across batches.
 */
describe('batched delivery', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let scheduler: ServiceProcess;
  let receiver: TestReceiver;
  let dead: TopicCollector<DeadLetterMessage>;
  const tenant = 'batching';
  const secret = formatSecret(randomBytes(24));
  /** Batch ids (webhook-id) the receiver has answered 503 once already, for /flaky. */
  const failedOnce = new Set<string>();
  const orderedSeen = new Set<string>();
  const subs: Record<string, SubscriptionSnapshot> = {};

  const envelopes = (r: ReceivedRequest): Envelope[] => JSON.parse(r.body) as Envelope[];
  const at = (path: string) => receiver.requests.filter((r) => r.path === path);
  const batchOf = (max: Partial<BatchSettings>): BatchSettings => ({ max_events: 10, max_bytes: 1024 * 1024, max_wait_ms: 300, ...max });

  beforeAll(async () => {
    stack = await createTestStack('batching', { partitions: { deliveries: 2 } });
    receiver = await TestReceiver.start({
      secret,
      respond: (req) => {
        const id = String(req.headers['webhook-id']);
        if (req.path === '/down') return { status: 500, body: 'down' };
        if (req.path === '/flaky' && !failedOnce.has(id)) {
          failedOnce.add(id);
          return { status: 503, body: 'try again' };
        }
        // Every other new batch fails once, so retries and fresh batches interleave.
        if (req.path === '/ordered' && !orderedSeen.has(id)) {
          orderedSeen.add(id);
          if (orderedSeen.size % 2 === 1) return { status: 503, body: 'try again' };
        }
        return { status: 204 };
      },
    });
    const secrets = [{ id: randomUUID(), secret, expires_at: null }];
    subs['counted'] = subscription(tenant, `${receiver.url}/counted`, { event_types: ['counted.*'], secrets, batch: batchOf({}) });
    subs['sized'] = subscription(tenant, `${receiver.url}/sized`, { event_types: ['sized.*'], secrets, batch: batchOf({ max_events: 1000, max_bytes: 2048 }) });
    subs['waited'] = subscription(tenant, `${receiver.url}/waited`, { event_types: ['waited.*'], secrets, batch: batchOf({ max_wait_ms: 1500 }) });
    subs['flaky'] = subscription(tenant, `${receiver.url}/flaky`, { event_types: ['flaky.*'], secrets, batch: batchOf({}) });
    subs['down'] = subscription(tenant, `${receiver.url}/down`, { event_types: ['down.*'], secrets, batch: batchOf({}) });
    subs['paced'] = subscription(tenant, `${receiver.url}/paced`, { event_types: ['paced.*'], secrets, batch: batchOf({ max_events: 10, max_wait_ms: 100 }), rate_limit_per_second: 1 });
    subs['ordered'] = subscription(tenant, `${receiver.url}/ordered`, { event_types: ['ordered.*'], secrets, batch: batchOf({ max_events: 5, max_wait_ms: 100 }), ordering: 'key' });
    await publishSubscriptions(stack, Object.values(subs));
    dead = await collectTopic(stack, 'hookstream.dlq', (v) => v as DeadLetterMessage);
    scheduler = new ServiceProcess('retry-scheduler', await freePort(), { ...stack.env(), MAX_IDLE_SLEEP_MS: '200' });
    scheduler.start();
    dispatcher = await startDispatcher(stack, { BREAKER_VOLUME_THRESHOLD: '100000', RETRY_DELAYS: '1s', SEND_BATCH_WAIT_MS: '50', ORDERED_RELEASE_AFTER_MS: '2000', THROTTLE_HOLD_MS: '1000' });
    await scheduler.waitReady();
  }, 180_000);

  afterAll(async () => {
    await Promise.all([dispatcher?.stop(), scheduler?.stop()]);
    await dead?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  const attemptsOf = (sub: SubscriptionSnapshot) =>
    stack.query<{ delivery_id: string; attempt: number; outcome: string; status_code: number | null; webhook_id: string; batch_size: string }>(
      `SELECT delivery_id, attempt, outcome, status_code, request_headers->>'webhook-id' AS webhook_id, request_headers->>'webhook-batch-size' AS batch_size
         FROM delivery_attempts WHERE subscription_id = $1 ORDER BY started_at, attempt`,
      [sub.id],
    );

  it('sends at most max_events per signed request, every event once, with an attempt row per event', async () => {
    const events = Array.from({ length: 25 }, () => event(tenant, 'counted.placed'));
    await publishEvents(stack, events);
    await waitFor(() => at('/counted').reduce((n, r) => n + envelopes(r).length, 0) >= 25, 30_000, 'all 25 envelopes at /counted');

    const requests = at('/counted');
    for (const r of requests) {
      expect(r.signatureValid).toBe(true);
      expect(r.headers['content-type']).toBe('application/json');
      expect(String(r.headers['webhook-id'])).toMatch(/^batch_[0-9a-f-]{36}$/);
      expect(Number(r.headers['webhook-batch-size'])).toBe(envelopes(r).length);
      expect(envelopes(r).length).toBeLessThanOrEqual(10);
    }
    // Published together, so full batches: 10, 10 and 5 (at most one more if a Kafka batch split them).
    expect(requests.length).toBeGreaterThanOrEqual(3);
    expect(requests.length).toBeLessThanOrEqual(4);
    const received = requests.flatMap((r) => envelopes(r).map((e) => e.id));
    expect(received.sort()).toEqual(events.map((e) => e.id).sort());

    const rows = await waitFor(async () => {
      const r = await attemptsOf(subs['counted']);
      return r.length === 25 ? r : undefined;
    }, 10_000, 'an attempt row per event');
    expect(rows.every((r) => r.outcome === 'delivered' && r.status_code === 204 && r.attempt === 1)).toBe(true);
    // Each row names the request it went in.
    expect(new Set(rows.map((r) => r.webhook_id))).toEqual(new Set(requests.map((r) => String(r.headers['webhook-id']))));
    const delivered = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1 AND status = 'delivered'`, [subs['counted']?.id]);
    expect(Number(delivered[0]?.n)).toBe(25);
  });

  it('keeps each request within max_bytes, and sends an envelope larger than that alone', async () => {
    const padded = (n: number): EventMessage => ({ ...event(tenant, 'sized.placed'), data: { pad: 'x'.repeat(n) } });
    const events = [...Array.from({ length: 8 }, () => padded(500)), padded(3000)];
    await publishEvents(stack, events);
    await waitFor(() => at('/sized').reduce((n, r) => n + envelopes(r).length, 0) >= events.length, 30_000, 'every envelope at /sized');
    for (const r of at('/sized')) {
      if (envelopes(r).length > 1) expect(Buffer.byteLength(r.body)).toBeLessThanOrEqual(2048);
      expect(r.signatureValid).toBe(true);
    }
    const big = at('/sized').find((r) => r.body.length > 3000);
    expect(big && envelopes(big)).toHaveLength(1);
    // About 600 bytes per envelope: three fit in 2 KiB, so at least three requests carry the eight.
    expect(at('/sized').filter((r) => envelopes(r).length > 1).length).toBeGreaterThanOrEqual(3);
  });

  it('waits up to max_wait_ms for a batch to fill, then sends what it has', async () => {
    const first = event(tenant, 'waited.placed');
    await publishEvents(stack, [first]);
    await new Promise((r) => setTimeout(r, 400));
    const second = event(tenant, 'waited.placed');
    await publishEvents(stack, [second]);
    const [request] = await receiver.waitForRequests(1, 20_000, (r) => r.path === '/waited');
    // Both went in the one request: the first waited for the second rather than leaving alone.
    expect(request && envelopes(request).map((e) => e.id).sort()).toEqual([first.id, second.id].sort());
  });

  it('retries a failed batch as a unit: the same webhook-id and the same events, one request', async () => {
    const events = Array.from({ length: 7 }, () => event(tenant, 'flaky.placed'));
    await publishEvents(stack, events);
    const requests = await receiver.waitForRequests(2, 30_000, (r) => r.path === '/flaky');
    const [first, retry] = requests;
    expect(String(retry?.headers['webhook-id'])).toBe(String(first?.headers['webhook-id']));
    expect(retry && envelopes(retry).map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(first && envelopes(first).map((e) => e.id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(retry?.signatureValid).toBe(true);

    const rows = await waitFor(async () => {
      const r = await attemptsOf(subs['flaky']);
      return r.length === 14 ? r : undefined;
    }, 15_000, 'two attempt rows per event');
    expect(rows.filter((r) => r.webhook_id === String(first?.headers['webhook-id']))).toHaveLength(14);
    expect(new Set(rows.map((r) => r.delivery_id))).toEqual(new Set(rows.filter((r) => r.attempt === 2).map((r) => r.delivery_id)));
    expect(rows.filter((r) => r.attempt === 1).every((r) => r.outcome === 'retry_scheduled' && r.status_code === 503 && r.batch_size === '7')).toBe(true);
    expect(rows.filter((r) => r.attempt === 2).every((r) => r.outcome === 'delivered')).toBe(true);
    expect(at('/flaky')).toHaveLength(2);
  });

  it('dead-letters a batch that keeps failing as a unit: a dead letter per event, all at the same attempt', async () => {
    const events = Array.from({ length: 4 }, () => event(tenant, 'down.placed'));
    await publishEvents(stack, events);
    const letters = await waitFor(() => {
      const mine = dead.values.filter((d) => d.delivery.subscription_id === subs['down']?.id);
      return mine.length >= 4 ? mine : undefined;
    }, 30_000, 'a dead letter per event');
    expect(letters.map((d) => d.delivery.event_id).sort()).toEqual(events.map((e) => e.id).sort());
    expect(new Set(letters.map((d) => d.attempts))).toEqual(new Set([2]));
    // Two requests in all (the first and its one retry), each carrying the four.
    expect(at('/down').map((r) => envelopes(r).length)).toEqual([4, 4]);
    // The letters and the rows are written by the same outcomes, the rows in their own transaction.
    const rows = await waitFor(async () => {
      const r = (await attemptsOf(subs['down'])).filter((x) => x.outcome === 'dead_lettered');
      return r.length === 4 ? r : undefined;
    }, 10_000, 'a dead_lettered row per event');
    expect(new Set(rows.map((r) => r.webhook_id)).size).toBe(1);
    const statuses = await stack.query<{ status: string; attempts: number }>('SELECT status, attempts FROM deliveries WHERE subscription_id = $1', [subs['down']?.id]);
    expect(statuses).toHaveLength(4);
    expect(statuses.every((s) => s.status === 'dead' && s.attempts === 2)).toBe(true);
  });

  it('defers what its rate limit holds back in shared slots, so it comes back as batches, not one event per request', async () => {
    const events = Array.from({ length: 40 }, () => event(tenant, 'paced.placed'));
    await publishEvents(stack, events);
    await waitFor(() => at('/paced').reduce((n, r) => n + envelopes(r).length, 0) >= 40, 30_000, 'all 40 envelopes at /paced');
    const postponed = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM delivery_attempts WHERE subscription_id = $1 AND outcome = 'postponed' AND error_class = 'throttled'`, [subs['paced']?.id]);
    // One request a second holds 10 events: most of the 40 were deferred past THROTTLE_HOLD_MS.
    expect(Number(postponed[0]?.n)).toBeGreaterThan(0);
    // Sent one per slot, the deferred ones would take about 30 requests.
    expect(at('/paced').length).toBeLessThanOrEqual(8);
    expect(at('/paced').flatMap((r) => envelopes(r).map((e) => e.id)).sort()).toEqual(events.map((e) => e.id).sort());
  });

  it('with ordering by key, keeps each key in order inside and across batches, through retries', async () => {
    const keys = ['k1', 'k2', 'k3', 'k4'];
    const events: EventMessage[] = [];
    for (let seq = 0; seq < 6; seq++) for (const key of keys) events.push({ ...event(tenant, 'ordered.updated'), ordering_key: key, data: { key, seq } });
    await publishEvents(stack, events);
    await waitFor(async () => {
      const rows = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1 AND status = 'delivered'`, [subs['ordered']?.id]);
      return Number(rows[0]?.n) === events.length;
    }, 60_000, 'all 24 ordered events delivered');

    // Per key: the sequence of envelopes as they arrived, inside each request and across requests.
    const requests = at('/ordered').sort((a, b) => a.at - b.at);
    expect(requests.some((r) => envelopes(r).length > 1)).toBe(true);
    const seen = new Map<string, number[]>();
    for (const r of requests) {
      for (const e of envelopes(r)) {
        const list = seen.get(e.data.key ?? '') ?? [];
        list.push(e.data.seq ?? -1);
        seen.set(e.data.key ?? '', list);
      }
    }
    for (const key of keys) {
      const list = seen.get(key) ?? [];
      // In order, where a failed batch's repeat may send the latest again but never an earlier one after a later one.
      for (let i = 1; i < list.length; i++) expect((list[i] ?? 0) >= (list[i - 1] ?? 0)).toBe(true);
      expect(new Set(list)).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    }
  });
});
