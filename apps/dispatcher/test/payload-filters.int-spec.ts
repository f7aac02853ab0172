import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EventMessage } from '@hookstream/contracts';
import { collectTopic, createTestStack, type QuarantinedView, quarantinedView, type ServiceProcess, TestReceiver, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { event, publishEvents, publishSubscriptions, startDispatcher, subscription } from './harness.js';

/**
 * Payload filters in the dispatcher: each subscription receives exactly the events its filter
 * passes, a filter change applies from its version on, and a snapshot whose filter does not
 * compile is quarantined while the subscription keeps its previous version.
 */
describe('payload filters route events by their content', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let receiver: TestReceiver;
  let quarantined: TopicCollector<QuarantinedView>;
  const tenant = 'tenant-filters';

  const big = subscription(tenant, '', { filter: { 'data.amount': { $gte: 100 } } });
  const vipOrRefund = subscription(tenant, '', { filter: { $or: [{ 'data.tags': 'vip' }, { type: 'order.refunded' }] } });
  const unfiltered = subscription(tenant, '');
  const nothing = subscription(tenant, '', { filter: { 'data.amount': { $lt: 0 } } });
  const loosened = subscription(tenant, '', { filter: { 'data.amount': { $gte: 100 } } });
  const inbox = new Map<string, string>();

  beforeAll(async () => {
    stack = await createTestStack('payload-filters', { partitions: { events: 1 } });
    receiver = await TestReceiver.start();
    for (const [name, sub] of Object.entries({ big, vipOrRefund, unfiltered, nothing, loosened })) {
      sub.url = `${receiver.url}/${name}`;
      inbox.set(sub.id, name);
    }
    quarantined = await collectTopic(stack, 'hookstream.subscriptions.quarantine', (_v, _k, m) => quarantinedView(m));
    await publishSubscriptions(stack, [
      big,
      vipOrRefund,
      unfiltered,
      nothing,
      loosened,
      // A foreign writer's filter the registry would refuse (no root field): quarantined, v1 stays.
      { ...nothing, version: 2, filter: { amount: { $lt: 0 } } },
      // Version 2 drops the filter: every event of its types from now on.
      { ...loosened, version: 2, filter: null },
    ]);
    dispatcher = await startDispatcher(stack);
  }, 180_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await quarantined?.stop();
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  it('delivers each event to the subscriptions whose filter it passes, and creates no delivery for the others', async () => {
    const at = (data: Record<string, unknown>, type = 'order.placed'): EventMessage => ({ ...event(tenant, type), data });
    const small = at({ amount: 50, tags: ['new'] });
    const large = at({ amount: 150 });
    const refund = at({ amount: 10 }, 'order.refunded');
    const vip = at({ amount: 20, tags: ['new', 'vip'] });
    await publishEvents(stack, [small, large, refund, vip]);

    // 1 + 2 + 4 + 0 + 4 deliveries in all.
    await receiver.waitForRequests(11, 60_000);
    const rows = await waitFor(async () => {
      const r = await stack.query<{ subscription_id: string; event_id: string }>(`SELECT subscription_id, event_id FROM deliveries WHERE tenant_id = $1 AND status = 'delivered'`, [tenant]);
      return r.length >= 11 ? r : undefined;
    }, 30_000, 'the deliveries to be recorded');
    // Anything sent late would have had time to arrive with the rest.
    await new Promise((r) => setTimeout(r, 1000));

    const received = (name: string): string[] =>
      receiver.requests
        .filter((r) => r.path === `/${name}`)
        .map((r) => (JSON.parse(r.body) as { id: string }).id)
        .sort();
    const ids = (...events: EventMessage[]) => events.map((e) => e.id).sort();
    expect(received('big')).toEqual(ids(large));
    expect(received('vipOrRefund')).toEqual(ids(refund, vip));
    expect(received('unfiltered')).toEqual(ids(small, large, refund, vip));
    expect(received('nothing')).toEqual([]);
    expect(received('loosened')).toEqual(ids(small, large, refund, vip));
    expect(receiver.requests).toHaveLength(11);
    expect(rows).toHaveLength(11);
    expect(rows.filter((r) => inbox.get(r.subscription_id) === 'nothing')).toEqual([]);
  }, 120_000);

  it('quarantines the snapshot whose filter does not compile, naming the field', async () => {
    const [q] = await waitFor(() => (quarantined.values.length > 0 ? quarantined.values : undefined), 30_000, 'the quarantined snapshot');
    expect(q?.code).toBe('invalid_filter');
    expect(JSON.stringify(q?.details)).toContain('filter.amount');
    expect(JSON.parse(q?.value?.toString() ?? '{}')).toMatchObject({ id: nothing.id, version: 2 });
    expect(quarantined.values).toHaveLength(1);
  });
});
