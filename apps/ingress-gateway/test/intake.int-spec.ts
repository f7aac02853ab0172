import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, eventId, freePort, type TopicCollector, type TestStack, waitFor } from '@hookstream/testing';
import { DedupStore } from '../src/events/dedup.store.js';
import { startIntake } from './intake-module.js';

/**
 * Intake against real Postgres, Redis and Kafka: every id is accepted and published once,
 * whether Redis is up, down, or comes back empty.
 */
describe('IntakeService', () => {
  let stack: TestStack;
  let published: TopicCollector<string>;

  const intake = (redisUrl: string) => startIntake(stack, { REDIS_URL: redisUrl });

  const envelope = (tenant: string, id = `evt_${randomUUID()}`) => ({
    envelope: { id, type: 'order.placed', tenant_id: tenant, occurred_at: '2026-11-22T10:00:00Z', data: { n: 1 } },
  });

  beforeAll(async () => {
    stack = await createTestStack('intake');
    published = await collectTopic(stack, 'hookstream.events', eventId);
  });

  afterAll(async () => {
    await published?.stop();
    await stack?.close();
  });

  const publishedCount = (id: string) => published.count(id);

  it('accepts an id once, answers duplicates, and dedups within a batch', async () => {
    const { module, service } = await intake(stack.redisUrl);
    try {
      const a = envelope('tenant-a');
      const b = envelope('tenant-a');
      expect(await service.accept([a, b, a], 'http')).toEqual([
        { id: a.envelope.id, status: 'accepted' },
        { id: b.envelope.id, status: 'accepted' },
        { id: a.envelope.id, status: 'duplicate' },
      ]);
      expect(await service.accept([a], 'kafka')).toEqual([{ id: a.envelope.id, status: 'duplicate' }]);
      // The same id under another tenant is another event.
      expect(await service.accept([{ envelope: { ...a.envelope, tenant_id: 'tenant-b' } }], 'http')).toEqual([{ id: a.envelope.id, status: 'accepted' }]);
      await waitFor(() => publishedCount(b.envelope.id) === 1 && publishedCount(a.envelope.id) === 2, 20_000, 'publication');
      const rows = await stack.query<{ published_at: Date | null }>('SELECT published_at FROM events WHERE id = $1', [a.envelope.id]);
      expect(rows).toHaveLength(2);
      expect(rows.every((r) => r.published_at !== null)).toBe(true);
    } finally {
      await module.close();
    }
  });

  it('keeps accepting with Redis down, and Postgres still refuses duplicates', async () => {
    const deadRedis = `redis://127.0.0.1:${await freePort()}`;
    const { module, service, redis } = await intake(deadRedis);
    try {
      expect(redis.available).toBe(false);
      const e = envelope('tenant-c');
      expect(await service.accept([e], 'http')).toEqual([{ id: e.envelope.id, status: 'accepted' }]);
      expect(await service.accept([e], 'http')).toEqual([{ id: e.envelope.id, status: 'duplicate' }]);
      await waitFor(() => publishedCount(e.envelope.id) === 1, 20_000, 'publication');
    } finally {
      await module.close();
    }
  });

  it('publishes nothing twice when Redis comes back empty', async () => {
    const { module, service, redis } = await intake(stack.redisUrl);
    try {
      const e = envelope('tenant-d');
      expect((await service.accept([e], 'http'))[0]?.status).toBe('accepted');
      await redis.redis.del(DedupStore.key('tenant-d', e.envelope.id));
      expect((await service.accept([e], 'http'))[0]?.status).toBe('duplicate');
      await waitFor(() => publishedCount(e.envelope.id) === 1, 20_000, 'publication');
      await new Promise((r) => setTimeout(r, 1000));
      expect(publishedCount(e.envelope.id)).toBe(1);
    } finally {
      await module.close();
    }
  });

  it('publishes an event a crashed attempt persisted but never published, when its producer retries', async () => {
    const { module, service } = await intake(stack.redisUrl);
    try {
      const e = envelope('tenant-e');
      // What a process killed between INSERT and publish leaves behind: the key and the event row.
      await stack.query(
        `WITH k AS (INSERT INTO event_keys (tenant_id, id, received_at) VALUES ($1, $2, date_trunc('milliseconds', now())) RETURNING *)
         INSERT INTO events (tenant_id, id, type, occurred_at, received_at, data, source) SELECT tenant_id, id, 'order.placed', now(), received_at, '{}', 'http' FROM k`,
        ['tenant-e', e.envelope.id],
      );
      expect((await service.accept([e], 'http'))[0]?.status).toBe('duplicate');
      await waitFor(() => publishedCount(e.envelope.id) === 1, 20_000, 'the orphan to be published');
    } finally {
      await module.close();
    }
  });
});
