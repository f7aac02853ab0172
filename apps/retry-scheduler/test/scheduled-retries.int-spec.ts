import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RetryMessage } from '@hookstream/contracts';
import { createTestStack, type TestStack } from '@hookstream/testing';
import { DataSource } from 'typeorm';
import { type DueRetry, ScheduledRetriesRepository } from '../src/retries/scheduled-retries.repository.js';

/** The durable retry list against real Postgres: idempotent upserts and SKIP LOCKED claims. */
describe('ScheduledRetriesRepository', () => {
  let stack: TestStack;
  let db: DataSource;
  let repo: ScheduledRetriesRepository;

  beforeAll(async () => {
    stack = await createTestStack('retries');
    db = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 6 });
    await db.initialize();
    repo = new ScheduledRetriesRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await stack?.close();
  });

  const retry = (attempt: number, dueInMs: number, deliveryId = randomUUID()): RetryMessage => ({
    delivery: {
      delivery_id: deliveryId,
      tenant_id: 'acme',
      subscription_id: randomUUID(),
      event_id: `evt_${deliveryId}`,
      event_type: 'order.placed',
      attempt,
      body: '{}',
      origin: 'retry',
      first_attempt_at: new Date().toISOString(),
    },
    due_at: new Date(Date.now() + dueInMs).toISOString(),
    failure: { error_class: 'http_status', status_code: 500, message: 'endpoint answered 500' },
    expires_at: null,
  });

  it('keeps one pending retry per delivery, and never lets an older attempt overwrite a newer one', async () => {
    const id = randomUUID();
    await repo.upsert([{ message: retry(3, 60_000, id), traceparent: null }]);
    await repo.upsert([{ message: retry(2, 1_000, id), traceparent: null }]);
    const rows = await stack.query<{ attempt: number }>('SELECT attempt FROM scheduled_retries WHERE delivery_id = $1', [id]);
    expect(rows).toEqual([{ attempt: 3 }]);
  });

  it('lets concurrent claimers share due rows without overlap, leaves future rows, and keeps rows whose produce failed', async () => {
    await stack.query('DELETE FROM scheduled_retries');
    const due = Array.from({ length: 300 }, () => ({ message: retry(2, -1000), traceparent: null }));
    const future = Array.from({ length: 20 }, () => ({ message: retry(2, 3_600_000), traceparent: null }));
    await repo.upsert([...due, ...future]);

    await expect(
      repo.claimDue(50, () => {
        throw new Error('kafka unavailable');
      }),
    ).rejects.toThrow('kafka unavailable');
    expect(await repo.pendingCount()).toBe(320);

    const claimed: string[][] = [[], [], []];
    const claimer = async (i: number) => {
      for (;;) {
        const n = await repo.claimDue(40, async (rows: DueRetry[]) => {
          claimed[i]?.push(...rows.map((r) => r.delivery_id));
          await new Promise((r) => setTimeout(r, 5));
        });
        if (n === 0) return;
      }
    };
    await Promise.all([claimer(0), claimer(1), claimer(2)]);
    const all = claimed.flat();
    expect(all).toHaveLength(300);
    expect(new Set(all).size).toBe(300);
    expect(claimed.filter((c) => c.length > 0).length).toBeGreaterThan(1);
    expect(await repo.pendingCount()).toBe(20);
    const next = await repo.nextDueAt();
    expect(next && next.getTime()).toBeGreaterThan(Date.now() + 3_000_000);
  });
});
