import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeliveryMessage } from '@hookstream/contracts';
import { createTestStack, type TestStack } from '@hookstream/testing';
import { DataSource } from 'typeorm';
import { type LeaseKey, LeasesRepository } from '../src/leases/leases.repository.js';

/**
 * LeasesRepository.renew against real Postgres: it extends only the leases with less than two
 * thirds of the TTL left, leaves the others' rows untouched, and answers every lease the owner
 * still holds, but not one a sweeper deleted.
 */
describe('LeasesRepository.renew', () => {
  let stack: TestStack;
  let db: DataSource;
  let repo: LeasesRepository;
  const ttlMs = 30_000;

  beforeAll(async () => {
    stack = await createTestStack('leasesrenew');
    db = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 2 });
    await db.initialize();
    repo = new LeasesRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await stack?.close();
  });

  const message = (): DeliveryMessage => ({
    delivery_id: randomUUID(),
    tenant_id: 'lease-tenant',
    subscription_id: randomUUID(),
    event_id: `evt_${randomUUID()}`,
    event_type: 'order.placed',
    attempt: 1,
    generation: 0,
    body: '{}',
    origin: 'fanout',
    first_attempt_at: new Date().toISOString(),
  });
  const keyOf = (m: DeliveryMessage): LeaseKey => ({ delivery_id: m.delivery_id, generation: m.generation, attempt: m.attempt });
  const byId = (keys: readonly LeaseKey[]) => [...keys].sort((a, b) => a.delivery_id.localeCompare(b.delivery_id));
  const row = async (m: DeliveryMessage) =>
    (await stack.query<{ ctid: string; left_s: number }>(`SELECT ctid::text, extract(epoch FROM expires_at - now())::float8 AS left_s FROM delivery_leases WHERE delivery_id = $1`, [m.delivery_id]))[0];

  it('extends only what has less than two thirds left, and answers every lease still held', async () => {
    const [fresh, due, lapsed, others] = [message(), message(), message(), message()];
    if (!fresh || !due || !lapsed || !others) throw new Error('four messages');
    await repo.hold('me', ttlMs, [fresh, due, lapsed].map((m) => ({ message: m, traceparent: null })));
    await repo.hold('other', ttlMs, [{ message: others, traceparent: null }]);
    await stack.query(`UPDATE delivery_leases SET expires_at = now() + interval '15 seconds' WHERE delivery_id = $1`, [due.delivery_id]);
    await stack.query(`UPDATE delivery_leases SET expires_at = now() - interval '1 second' WHERE delivery_id = $1`, [lapsed.delivery_id]);
    const before = await row(fresh);

    const kept = await repo.renew('me', ttlMs);

    expect(byId(kept)).toEqual(byId([fresh, due, lapsed].map(keyOf)));
    // The fresh lease's row was not rewritten; the others were extended to a full TTL.
    expect((await row(fresh))?.ctid).toBe(before?.ctid);
    expect((await row(due))?.left_s).toBeGreaterThan(28);
    expect((await row(lapsed))?.left_s).toBeGreaterThan(28);
    expect((await row(others))?.left_s).toBeLessThanOrEqual(30);
  });

  it('does not answer a lease a sweeper took, whether it was due for renewal or not', async () => {
    const [kept1, swept] = [message(), message()];
    if (!kept1 || !swept) throw new Error('two messages');
    await repo.hold('me2', ttlMs, [kept1, swept].map((m) => ({ message: m, traceparent: null })));
    await stack.query(`DELETE FROM delivery_leases WHERE delivery_id = $1`, [swept.delivery_id]);
    expect(await repo.renew('me2', ttlMs)).toEqual([keyOf(kept1)]);
    await stack.query(`UPDATE delivery_leases SET expires_at = now() + interval '1 second' WHERE owner = 'me2'`);
    await stack.query(`DELETE FROM delivery_leases WHERE delivery_id = $1`, [kept1.delivery_id]);
    expect(await repo.renew('me2', ttlMs)).toEqual([]);
  });
});
