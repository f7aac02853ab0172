import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { RetryMessage } from '@hookstream/contracts';
import { createTestStack, type TestStack, waitFor } from '@hookstream/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { type DueRetry, RETRY_DUE_CHANNEL, ScheduledRetriesRepository } from '../src/retries/scheduled-retries.repository.js';

/** The durable retry list against real Postgres: idempotent upserts, tombstones, SKIP LOCKED claims, NOTIFY. */
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

  beforeEach(async () => {
    await stack.query('DELETE FROM scheduled_retries');
  });

  const retry = (attempt: number, dueInMs: number, deliveryId = randomUUID(), generation = 0): RetryMessage => ({
    delivery: {
      delivery_id: deliveryId,
      tenant_id: 'acme',
      subscription_id: randomUUID(),
      event_id: `evt_${deliveryId}`,
      event_type: 'order.placed',
      attempt,
      generation,
      body: '{}',
      origin: 'retry',
      first_attempt_at: new Date().toISOString(),
    },
    due_at: new Date(Date.now() + dueInMs).toISOString(),
    failure: { error_class: 'http_status', status_code: 500, message: 'endpoint answered 500' },
    expires_at: null,
  });
  const pending = (message: RetryMessage) => ({ message, traceparent: null });
  const rowOf = async (id: string) =>
    (await stack.query<{ generation: number; attempt: number; fired: boolean; has_message: boolean }>(
      'SELECT generation, attempt, fired_at IS NOT NULL AS fired, message IS NOT NULL AS has_message FROM scheduled_retries WHERE delivery_id = $1',
      [id],
    ))[0];
  const fireAllDue = async () => {
    const fired: string[] = [];
    while ((await repo.claimDue(100, (rows: DueRetry[]) => Promise.resolve(void fired.push(...rows.map((r) => r.delivery_id))))) > 0);
    return fired;
  };

  it('keeps one pending retry per delivery, and never lets an older attempt or generation overwrite a newer one', async () => {
    const id = randomUUID();
    await repo.upsert([pending(retry(3, 60_000, id))]);
    await repo.upsert([pending(retry(2, 1_000, id))]);
    expect(await rowOf(id)).toMatchObject({ generation: 0, attempt: 3 });
    // A replay's retries start again at attempt 2 in the next generation, and win.
    await repo.upsert([pending(retry(2, 1_000, id, 1))]);
    expect(await rowOf(id)).toMatchObject({ generation: 1, attempt: 2 });
    await repo.upsert([pending(retry(7, 1_000, id, 0))]);
    expect(await rowOf(id)).toMatchObject({ generation: 1, attempt: 2 });
    // Within one batch, the latest wins whatever the order.
    const other = randomUUID();
    await repo.upsert([pending(retry(4, 1_000, other)), pending(retry(5, 1_000, other)), pending(retry(2, 1_000, other))]);
    expect(await rowOf(other)).toMatchObject({ attempt: 5 });
  });

  it('keeps a fired retry as a tombstone: a redelivered copy is not stored again, a postponement or the next attempt is', async () => {
    const id = randomUUID();
    const original = retry(3, -10, id);
    await repo.upsert([pending(original)]);
    expect(await fireAllDue()).toEqual([id]);
    expect(await rowOf(id)).toEqual({ generation: 0, attempt: 3, fired: true, has_message: false });

    // The same message again (a consumer that stored it but crashed before committing its offset).
    await repo.upsert([pending(original), pending({ ...retry(2, -10, id) })]);
    expect(await rowOf(id)).toMatchObject({ fired: true });
    expect(await fireAllDue()).toEqual([]);

    // The dispatcher found the host's breaker open and postponed the same attempt.
    const postponed: RetryMessage = { ...original, delivery: { ...original.delivery, origin: 'breaker' }, due_at: new Date(Date.parse(original.due_at) + 5).toISOString() };
    await repo.upsert([pending(postponed)]);
    expect(await rowOf(id)).toEqual({ generation: 0, attempt: 3, fired: false, has_message: true });
    expect(await fireAllDue()).toEqual([id]);

    await repo.upsert([pending(retry(4, -10, id))]);
    expect(await fireAllDue()).toEqual([id]);
    expect(await repo.pendingCount()).toBe(0);
  });

  it('lets concurrent claimers share due rows without overlap, leaves future rows, and keeps rows whose produce failed', async () => {
    const due = Array.from({ length: 300 }, () => pending(retry(2, -1000)));
    const future = Array.from({ length: 20 }, () => pending(retry(2, 3_600_000)));
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
    const next = await repo.nextDueInMs();
    expect(next).toBeGreaterThan(3_500_000);
    expect(next).toBeLessThanOrEqual(3_600_000);
  });

  it('claims in due order', async () => {
    const ids = Array.from({ length: 5 }, () => randomUUID());
    await repo.upsert(ids.map((id, i) => pending(retry(2, -1000 + i * 100, id))).reverse());
    const order: string[] = [];
    while ((await repo.claimDue(2, (rows: DueRetry[]) => Promise.resolve(void order.push(...rows.map((r) => r.delivery_id))))) > 0);
    expect(order).toEqual(ids);
  });

  it('says how long until the next pending retry is due, and nothing when none is pending', async () => {
    expect(await repo.nextDueInMs()).toBeNull();
    await repo.upsert([pending(retry(2, 30_000)), pending(retry(2, 10_000))]);
    const ms = await repo.nextDueInMs();
    expect(ms).toBeGreaterThan(8_000);
    expect(ms).toBeLessThanOrEqual(10_000);
  });

  it('announces the earliest due time it stored on the wake-up channel, and nothing for a stale copy', async () => {
    const listener = new pg.Client({ connectionString: stack.databaseUrl });
    await listener.connect();
    const heard: number[] = [];
    listener.on('notification', (n) => heard.push(Number(n.payload)));
    await listener.query(`LISTEN ${RETRY_DUE_CHANNEL}`);
    try {
      const early = retry(2, 2_000);
      const late = retry(2, 9_000);
      await repo.upsert([pending(late), pending(early)]);
      await waitFor(() => heard.length === 1, 5_000, 'a notification');
      expect(heard).toEqual([Date.parse(early.due_at)]);

      await repo.upsert([pending(late)]);
      await repo.upsert([pending(retry(2, 1_000, randomUUID()))]);
      await waitFor(() => heard.length === 2, 5_000, 'a second notification');
      // The stale copy of `late` changed nothing and announced nothing.
      expect(heard[1]).not.toBe(Date.parse(late.due_at));
    } finally {
      await listener.end();
    }
  });

  it('sweeps only tombstones older than the retention, never pending rows', async () => {
    const old = randomUUID();
    const recent = randomUUID();
    const waiting = randomUUID();
    await repo.upsert([pending(retry(2, -10, old)), pending(retry(2, -10, recent)), pending(retry(2, -10, waiting))]);
    await stack.query(`UPDATE scheduled_retries SET fired_at = now() - interval '2 hours', message = NULL WHERE delivery_id = $1`, [old]);
    await stack.query(`UPDATE scheduled_retries SET fired_at = now() - interval '30 minutes', message = NULL WHERE delivery_id = $1`, [recent]);
    await stack.query(`UPDATE scheduled_retries SET created_at = now() - interval '3 hours' WHERE delivery_id = $1`, [waiting]);
    expect(await repo.sweepFired(3600, 100)).toBe(1);
    const left = await stack.query<{ delivery_id: string }>('SELECT delivery_id FROM scheduled_retries ORDER BY delivery_id');
    expect(left.map((r) => r.delivery_id).sort()).toEqual([recent, waiting].sort());
  });
});
