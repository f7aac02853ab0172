import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeadLetterMessage, DeliveryMessage, EventMessage } from '@hookstream/contracts';
import { collectTopic, createTestStack, freePort, type ReceivedRequest, ServiceProcess, TestReceiver, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { DataSource } from 'typeorm';
import { OrderedEntriesRepository } from '../src/ordering/ordered-entries.repository.js';
import { event, produce, publishEvents, publishSubscriptions, startDispatcher, subscription } from './harness.js';

/**
 * Ordered delivery (docs/adr/0009) with two dispatchers and the retry scheduler: an endpoint that
 * fails at random still receives each key's events in order, one at a time; a dead letter lets
 * its key move on (`skip`) or stops it until a replay (`block`), and no key holds up another.
 */
describe('ordered delivery', () => {
  let stack: TestStack;
  let dispatchers: ServiceProcess[] = [];
  let scheduler: ServiceProcess;
  let receiver: TestReceiver;
  let dead: TopicCollector<DeadLetterMessage>;
  const tenant = 'ordered';
  /** Events whose every attempt fails until `healed` holds their id. */
  const poisoned = new Set<string>();
  const healed = new Set<string>();
  const tries = new Map<string, number>();

  const ordered = (key: string, seq: number, type = 'order.updated'): EventMessage => ({ ...event(tenant, type), ordering_key: key, data: { key, seq } });
  const bodyOf = (r: ReceivedRequest) => JSON.parse(r.body) as { id: string; data: { key: string; seq: number } };

  beforeAll(async () => {
    stack = await createTestStack('ordered', { partitions: { deliveries: 4 } });
    receiver = await TestReceiver.start({
      respond: (req) => {
        const { id } = bodyOf(req);
        const n = (tries.get(id) ?? 0) + 1;
        tries.set(id, n);
        if (poisoned.has(id) && !healed.has(id)) return { status: 500, body: 'poisoned' };
        if (req.path !== '/by-key' && req.path !== '/plain') return { status: 204 };
        // A third of first and second attempts fail, decided by the event: the same on every run.
        const roll = createHash('sha256').update(`${id}/${n}`).digest()[0] ?? 0;
        return n <= 2 && roll % 3 === 0 ? { status: 503, body: 'try again' } : { status: 204 };
      },
    });
    dead = await collectTopic(stack, 'hookstream.dlq', (v) => v as DeadLetterMessage);
    scheduler = new ServiceProcess('retry-scheduler', await freePort(), { ...stack.env(), MAX_IDLE_SLEEP_MS: '200' });
    scheduler.start();
    // The breaker stays out of it: its postponements are tested elsewhere, and the failures here are the receiver's on purpose.
    const env = { BREAKER_VOLUME_THRESHOLD: '100000', RETRY_DELAYS: '1s,1s,1s', SEND_BATCH_WAIT_MS: '50', ORDERED_RELEASE_AFTER_MS: '2000', LEASE_SWEEP_INTERVAL_MS: '1000' };
    dispatchers = await Promise.all([startDispatcher(stack, env), startDispatcher(stack, env)]);
    await scheduler.waitReady();
  }, 180_000);

  afterAll(async () => {
    await Promise.all([...dispatchers.map((d) => d.stop()), scheduler?.stop()]);
    await dead?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  /** Each key's requests at `path` in arrival order, as (seq, status answered). */
  function receipts(path: string): Map<string, { seq: number; ok: boolean }[]> {
    const byKey = new Map<string, { seq: number; ok: boolean }[]>();
    for (const r of receiver.requests.filter((x) => x.path === path).sort((a, b) => a.at - b.at)) {
      const { id, data } = bodyOf(r);
      const ok = !(poisoned.has(id) && !healed.has(id));
      const list = byKey.get(data.key) ?? [];
      list.push({ seq: data.seq, ok });
      byKey.set(data.key, list);
    }
    return byKey;
  }

  /**
   * Violations of order in one key's receipts: a request for an event while an earlier one was
   * still unsettled (settled: its 2xx was seen, or it is in `skipped`). Repeats of the latest are allowed.
   */
  function violations(list: readonly { seq: number }[], delivered: (seq: number) => boolean, skipped: ReadonlySet<number> = new Set()): string[] {
    const out: string[] = [];
    const seqs = [...new Set(list.map((l) => l.seq))].sort((a, b) => a - b);
    let seenMax = -1;
    for (const l of list) {
      for (const earlier of seqs.filter((s) => s < l.seq)) {
        if (!skipped.has(earlier) && !delivered(earlier)) out.push(`${l.seq} sent before ${earlier} was settled`);
      }
      if (l.seq < seenMax) out.push(`${l.seq} sent after ${seenMax}`);
      seenMax = Math.max(seenMax, l.seq);
    }
    return out;
  }

  it('delivers each key in order through random failures and retries, keys side by side', async () => {
    const sub = subscription(tenant, `${receiver.url}/by-key`, { ordering: 'key', event_types: ['order.updated'] });
    const plain = subscription(tenant, `${receiver.url}/plain`, { event_types: ['order.updated'] });
    await publishSubscriptions(stack, [sub, plain]);
    await new Promise((r) => setTimeout(r, 1500));
    const KEYS = 6;
    const PER_KEY = 15;
    const events: EventMessage[] = [];
    for (let seq = 0; seq < PER_KEY; seq++) for (let k = 0; k < KEYS; k++) events.push(ordered(`key-${k}`, seq));
    // One event without a key: a subscription ordering by key does not hold it.
    const loose = { ...event(tenant, 'order.updated'), data: { key: 'none', seq: 0 } };
    await publishEvents(stack, [...events.slice(0, 40), loose]);
    await publishEvents(stack, events.slice(40));

    const deliveredAt = (path: string) => {
      const set = new Set<string>();
      for (const r of receiver.requests) if (r.path === path && !(tries.get(bodyOf(r).id) === undefined)) set.add(bodyOf(r).id);
      return set;
    };
    await waitFor(async () => {
      const rows = await stack.query<{ n: string }>(`SELECT count(*) AS n FROM deliveries WHERE subscription_id = $1 AND status = 'delivered'`, [sub.id]);
      return Number(rows[0]?.n) === KEYS * PER_KEY + 1 ? true : undefined;
    }, 120_000, 'every ordered delivery delivered');
    expect(deliveredAt('/by-key').size).toBe(KEYS * PER_KEY + 1);

    const byKey = receipts('/by-key');
    let retried = 0;
    for (let k = 0; k < KEYS; k++) {
      const list = byKey.get(`key-${k}`) ?? [];
      // Every event of the key arrived, and the last request of each is the one answered 2xx.
      expect(new Set(list.map((l) => l.seq)).size).toBe(PER_KEY);
      retried += list.length - PER_KEY;
      const okAt = new Map<number, number>();
      list.forEach((l, i) => okAt.set(l.seq, i));
      const firstAt = (seq: number) => list.findIndex((l) => l.seq === seq);
      const order: string[] = [];
      for (let seq = 1; seq < PER_KEY; seq++) if (firstAt(seq) < (okAt.get(seq - 1) ?? Infinity)) order.push(`${seq} before ${seq - 1} was delivered`);
      expect(order).toEqual([]);
    }
    // The receiver failed some: the order held through retries, not for want of them.
    expect(retried).toBeGreaterThan(5);
    // Nothing is left behind in ordered_entries: delivered entries are deleted.
    expect(await stack.query(`SELECT delivery_id FROM ordered_entries WHERE subscription_id = $1`, [sub.id])).toEqual([]);
    // The unordered subscription got everything too, owing nothing to the ordered one.
    await waitFor(() => (deliveredAt('/plain').size === KEYS * PER_KEY + 1 ? true : undefined), 60_000, 'every unordered delivery');
  }, 180_000);

  it('lets a key move on past a dead letter under skip, and holds it under block until a replay', async () => {
    const skip = subscription(tenant, `${receiver.url}/skip`, { ordering: 'key', on_dead_letter: 'skip', event_types: ['item.changed'] });
    const block = subscription(tenant, `${receiver.url}/block`, { ordering: 'subscription', on_dead_letter: 'block', event_types: ['item.changed'] });
    await publishSubscriptions(stack, [skip, block]);
    await new Promise((r) => setTimeout(r, 1500));
    const seq = [0, 1, 2, 3, 4].map((n) => ordered('item-1', n, 'item.changed'));
    const other = [0, 1, 2].map((n) => ordered('item-2', n, 'item.changed'));
    poisoned.add(seq[1]?.id ?? '');
    await publishEvents(stack, [...seq, ...other]);

    // skip: event 1 dies after its four attempts, and 2..4 follow it.
    await waitFor(() => (receipts('/skip').get('item-1')?.some((l) => l.seq === 4) && receipts('/skip').get('item-2')?.length === 3 ? true : undefined), 60_000, 'both keys past the dead letter');
    const skipKey = receipts('/skip').get('item-1') ?? [];
    expect(skipKey.filter((l) => l.seq === 1)).toHaveLength(4);
    expect(violations(skipKey, () => true)).toEqual([]);
    expect(skipKey.findIndex((l) => l.seq === 2)).toBeGreaterThan(skipKey.map((l) => l.seq).lastIndexOf(1));
    expect(receipts('/skip').get('item-2')?.map((l) => l.seq)).toEqual([0, 1, 2]);

    // block (the subscription is one key): nothing after the dead letter goes out, not even item-2's.
    const deadLetter = await waitFor(() => dead.values.find((d) => d.delivery.subscription_id === block.id && d.delivery.event_id === seq[1]?.id), 60_000, 'the dead letter of the blocking subscription');
    await new Promise((r) => setTimeout(r, 3000));
    const blocked = receiver.requests.filter((r) => r.path === '/block').map((r) => bodyOf(r).data);
    expect(blocked.filter((d) => d.key === 'item-1').map((d) => d.seq)).toEqual([0, 1, 1, 1, 1]);
    expect(blocked.filter((d) => d.key === 'item-2')).toEqual([]);
    const held = await stack.query<{ state: string; n: string }>(`SELECT state, count(*) AS n FROM ordered_entries WHERE subscription_id = $1 GROUP BY state ORDER BY state`, [block.id]);
    expect(held.map((h) => [h.state, Number(h.n)])).toEqual([['dead', 1], ['waiting', 6]]);

    // A replay (what the dlq-inspector produces) makes the dead head the head again; the rest follow in order.
    healed.add(seq[1]?.id ?? '');
    const replay: DeliveryMessage = { ...deadLetter.delivery, attempt: 1, generation: deadLetter.delivery.generation + 1, origin: 'replay', first_attempt_at: new Date().toISOString() };
    await produce(stack, 'hookstream.deliveries', [{ key: replay.subscription_id, value: replay }]);
    await waitFor(() => (receiver.requests.filter((r) => r.path === '/block').length >= 5 + 1 + 3 + 3 ? true : undefined), 60_000, 'the blocked key after the replay');
    const after = receiver.requests.filter((r) => r.path === '/block').map((r) => bodyOf(r).data);
    expect(after.slice(5).map((d) => `${d.key}/${d.seq}`)).toEqual(['item-1/1', 'item-1/2', 'item-1/3', 'item-1/4', 'item-2/0', 'item-2/1', 'item-2/2']);
  }, 180_000);

  it('pauses a disabled ordered subscription without dead-lettering what it holds, and resumes it in order', async () => {
    const sub = subscription(tenant, `${receiver.url}/paused`, { ordering: 'key', event_types: ['pause.check'] });
    await publishSubscriptions(stack, [sub]);
    await new Promise((r) => setTimeout(r, 1500));
    const seq = [0, 1, 2, 3].map((n) => ordered('p-1', n, 'pause.check'));
    poisoned.add(seq[0]?.id ?? '');
    await publishEvents(stack, seq);
    await receiver.waitForRequests(2, 30_000, (r) => r.path === '/paused');
    // Disabled (by hand, or by the registry for its backlog) while its head is retrying.
    await publishSubscriptions(stack, [{ ...sub, enabled: false, disabled_reason: 'ordering_backlog', version: 2 }]);
    await new Promise((r) => setTimeout(r, 5000));
    const sentWhilePaused = receiver.requests.filter((r) => r.path === '/paused').length;
    expect(dead.values.filter((d) => d.delivery.subscription_id === sub.id)).toEqual([]);
    const held = await stack.query<{ state: string }>(`SELECT state FROM ordered_entries WHERE subscription_id = $1 ORDER BY position`, [sub.id]);
    expect(held.map((h) => h.state)).toEqual(['waiting', 'waiting', 'waiting', 'waiting']);
    await new Promise((r) => setTimeout(r, 2000));
    expect(receiver.requests.filter((r) => r.path === '/paused')).toHaveLength(sentWhilePaused);

    healed.add(seq[0]?.id ?? '');
    await publishSubscriptions(stack, [{ ...sub, enabled: true, disabled_reason: null, version: 3 }]);
    await waitFor(() => (new Set(receipts('/paused').get('p-1')?.map((l) => l.seq)).size === 4 && receipts('/paused').get('p-1')?.at(-1)?.seq === 3 ? true : undefined), 30_000, 'the paused key after it was enabled');
    const list = receipts('/paused').get('p-1') ?? [];
    expect(list.filter((l) => l.seq > 0).map((l) => l.seq)).toEqual([1, 2, 3]);
    expect(list.findIndex((l) => l.seq === 1)).toBeGreaterThan(list.map((l) => l.seq).lastIndexOf(0));
    await waitFor(async () => ((await stack.query(`SELECT 1 FROM ordered_entries WHERE subscription_id = $1`, [sub.id])).length === 0 ? true : undefined), 10_000, 'the entries settled');
  }, 90_000);

  it('lets one claimer through for a head, none for what is behind it, re-releases what a crash left, and lets go at shutdown', async () => {
    const db = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 4 });
    await db.initialize();
    try {
      const repo = new OrderedEntriesRepository(db);
      const subId = randomUUID();
      await stack.query(`INSERT INTO dispatcher_owners (owner, expires_at) VALUES ('race-a', now() + interval '1 hour'), ('race-b', now() + interval '1 hour')`);
      const ids = [randomUUID(), randomUUID()];
      for (const [i, id] of ids.entries()) {
        const message: DeliveryMessage = { delivery_id: id, tenant_id: tenant, subscription_id: subId, event_id: `evt_race_${i}`, event_type: 'race.run', attempt: 1, generation: 0, body: '{}', origin: 'fanout', first_attempt_at: new Date().toISOString(), ordering_key: 'k' };
        await stack.query(`INSERT INTO deliveries (id, tenant_id, event_id, subscription_id, event_type) VALUES ($1, $2, $3, $4, 'race.run')`, [id, tenant, `evt_race_${i}`, subId]);
        await stack.query(`INSERT INTO ordered_entries (delivery_id, tenant_id, subscription_id, ordering_key, position, message) VALUES ($1, $2, $3, 'k', $4, $5)`, [id, tenant, subId, 100 + i, JSON.stringify(message)]);
      }
      const [head, next] = ids as [string, string];
      const ask = (id: string) => [{ delivery_id: id, generation: 0, attempt: 1, skip_dead: true }];
      // Two dispatchers holding the head's message at once (a rebalance): exactly one may send it.
      const [a, b] = await Promise.all([repo.claim(ask(head), 'race-a'), repo.claim(ask(head), 'race-b')]);
      expect([a.has(head), b.has(head)].filter(Boolean)).toHaveLength(1);
      // The next event of the key is held while its head is out, whoever asks.
      expect((await repo.claim(ask(next), 'race-a')).has(next)).toBe(false);
      // The head is delivered: the transaction that records it releases the next one.
      const released = await db.transaction((em) => repo.settle(em, [{ delivery_id: head, subscription_id: subId, ordering_key: 'k', generation: 0, attempt: 1, result: 'delivered', skip_dead: true }]));
      expect(released.map((r) => r.message.delivery_id)).toEqual([next]);
      // Say the process died before producing it: the sweep finds the head waiting and produces it again.
      const swept = await repo.sweep(0, 100, []);
      expect(swept.map((r) => r.message.delivery_id)).toContain(next);
      // Claimed by a dispatcher that then died without recording anything: its attempt may be claimed again.
      expect((await repo.claim(ask(next), 'race-gone')).has(next)).toBe(true);
      expect((await repo.claim(ask(next), 'race-b')).has(next)).toBe(true);
      // ... but not from a live claimer.
      expect((await repo.claim(ask(next), 'race-a')).has(next)).toBe(false);
      // Unless it lets go, handing the attempt back unstarted at shutdown: then the next consumer claims it at once.
      await repo.letGo([{ delivery_id: next, generation: 0, attempt: 1 }], 'race-b');
      expect((await repo.claim(ask(next), 'race-a')).has(next)).toBe(true);
    } finally {
      await db.destroy();
    }
  }, 60_000);
});
