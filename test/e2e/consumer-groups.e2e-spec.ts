import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SERVICES, usePipeline } from '@hookstream/testing';
import type { Admin } from 'kafkajs';
import { metricValue, scrape } from '../../apps/dispatcher/test/harness.js';

const RESTARTS = 5;

/**
 * Consumer groups must not pile up on the broker as processes come and go. Groups whose offsets
 * mean something (the services' shared groups) keep one static name. Groups that exist only so
 * that a process reads every partition (the dispatcher's subscription index, the dlq-inspector's
 * status stream) commit nothing and are deleted when their process stops; after a crash they hold
 * no offsets, so the broker's periodic clean-up removes them.
 */
describe('consumer groups across restarts', () => {
  const fx = usePipeline('groups', { env: { all: { LOG_LEVEL: 'warn' } } });
  let admin: Admin;

  beforeAll(async () => {
    admin = fx.stack.kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect();
  });

  /** This stack's groups, with the number of members of each. */
  async function groups(): Promise<Array<{ groupId: string; members: number }>> {
    const ids = (await admin.listGroups()).groups.map((g) => g.groupId).filter((id) => id.startsWith(fx.stack.topicPrefix));
    if (ids.length === 0) return [];
    const described = await admin.describeGroups(ids);
    return described.groups.map((g) => ({ groupId: g.groupId, members: g.members.length })).sort((a, b) => a.groupId.localeCompare(b.groupId));
  }

  async function committed(groupId: string): Promise<Array<{ topic: string; partition: number; offset: string }>> {
    const offsets = await admin.fetchOffsets({ groupId });
    return offsets.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.offset }))).filter((p) => p.offset !== '-1');
  }

  const perInstance = (groupId: string) => /\.[^.]+\.\d+$/.test(groupId.slice(fx.stack.topicPrefix.length));

  it(`leaves no group behind when every service is stopped and started ${RESTARTS} times`, async () => {
    const before = await groups();
    // Every service consumes something, and every group listed is a running process's.
    expect(before.length).toBeGreaterThanOrEqual(SERVICES.length);
    expect(before.filter((g) => g.members === 0)).toEqual([]);

    for (let i = 0; i < RESTARTS; i++) await Promise.all(SERVICES.map((s) => fx.pipeline.restart(s, 'stop')));

    const after = await groups();
    expect(after.filter((g) => g.members === 0)).toEqual([]);
    expect(after.length).toBe(before.length);
  }, 600_000);

  it('commits nothing for a per-instance group, so a crashed process leaves nothing the broker keeps', async () => {
    // A subscription (a changelog snapshot for the dispatcher's index) and a delivery (a status
    // message for the dlq-inspector's stream): each per-instance group has read something.
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    const sub = await fx.pipeline.call('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}/groups`, event_types: ['order.*'] });
    expect(sub.status).toBe(201);
    const event = { id: `evt_${randomUUID()}`, type: 'order.placed', tenant_id: tenantId, occurred_at: '2026-12-06T10:00:00Z', data: {} };
    // The index may not hold the subscription yet: publish until a delivery arrives.
    for (let i = 0; fx.receiver.requests.every((r) => r.path !== '/groups'); i++) {
      if (i === 20) throw new Error('no delivery arrived');
      expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, { ...event, id: `evt_${randomUUID()}` })).status).toBe(202);
      await fx.receiver.waitForRequests(1, 1500, (r) => r.path === '/groups').catch(() => undefined);
    }
    const stream = fx.pipeline.services['dlq-inspector'];
    const dispatcher = fx.pipeline.services.dispatcher;
    for (const [service, group] of [[dispatcher, 'dispatcher-index'], [stream, 'dlq-inspector-status-stream']] as const) {
      const deadline = Date.now() + 30_000;
      while (metricValue(await scrape(service), 'hookstream_kafka_messages_consumed_total', { group }) === 0) {
        if (Date.now() > deadline) throw new Error(`${group} consumed nothing`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }

    const instanceGroups = (await groups()).filter((g) => perInstance(g.groupId));
    expect(instanceGroups.map((g) => g.groupId.slice(fx.stack.topicPrefix.length).split('.')[0]).sort()).toEqual(['dispatcher-index', 'dlq-inspector-status-stream']);
    for (const g of instanceGroups) expect({ group: g.groupId, committed: await committed(g.groupId) }).toEqual({ group: g.groupId, committed: [] });

    // SIGKILL (last in this file, so it is not started again): the group outlives the process
    // until the broker's clean-up, holding no offsets.
    await fx.pipeline.services.dispatcher.kill();
    const index = instanceGroups.find((g) => g.groupId.includes('dispatcher-index'));
    expect(await committed(String(index?.groupId))).toEqual([]);
    // The static groups did commit: the check above is not blind.
    expect(await committed(`${fx.stack.topicPrefix}dispatcher-fanout`)).not.toEqual([]);
  }, 180_000);

});
