import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeliveryMessage } from '@hookstream/contracts';
import { classifyFailure } from '@hookstream/kafka';
import { createTestStack, type TestStack } from '@hookstream/testing';
import { DataSource } from 'typeorm';
import { type LeaseRow, LeasesRepository, OwnerLostError } from '../src/leases/leases.repository.js';

/**
 * LeasesRepository against real Postgres (migration 0025): a lease is written once and lives as
 * long as its owner's heartbeat row; beats touch that one row, never the leases; the sweeper
 * takes only dead owners' leases, removes the owner with its last page, and cannot race a hold.
 */
describe('LeasesRepository: leases kept alive by their owner heartbeat', () => {
  let stack: TestStack;
  let db: DataSource;
  let repo: LeasesRepository;
  const ttlMs = 30_000;

  beforeAll(async () => {
    stack = await createTestStack('leasesheartbeat');
    db = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 3 });
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
  const rows = (...ms: DeliveryMessage[]): LeaseRow[] => ms.map((m) => ({ message: m, traceparent: null }));
  const leasesOf = async (owner: string) =>
    (await stack.query<{ delivery_id: string; ctid: string }>(`SELECT delivery_id, ctid::text FROM delivery_leases WHERE owner = $1 ORDER BY delivery_id`, [owner])).map((r) => `${r.delivery_id}@${r.ctid}`);
  const expire = (owner: string) => stack.query(`UPDATE dispatcher_owners SET expires_at = now() - interval '1 second' WHERE owner = $1`, [owner]);
  const ownerExists = async (owner: string) => (await stack.query(`SELECT 1 FROM dispatcher_owners WHERE owner = $1`, [owner])).length === 1;
  const sweepAll = async () => {
    const redriven: string[] = [];
    for (;;) {
      const swept = await repo.sweepExpired(500, (page) => {
        redriven.push(...page.map((r) => r.message.delivery_id));
        return Promise.resolve();
      });
      if (swept.leases === 0 && swept.owners === 0) return redriven.sort();
    }
  };

  it('beats extend the owner row and never rewrite a lease', async () => {
    await repo.join('beater', ttlMs);
    await repo.hold('beater', rows(message(), message(), message()));
    const before = await leasesOf('beater');
    const [{ left_s: leftBefore } = { left_s: 0 }] = await stack.query<{ left_s: number }>(`SELECT extract(epoch FROM expires_at - now())::float8 AS left_s FROM dispatcher_owners WHERE owner = 'beater'`);
    await stack.query(`UPDATE dispatcher_owners SET expires_at = now() + interval '5 seconds' WHERE owner = 'beater'`);
    for (let i = 0; i < 5; i++) expect(await repo.beat('beater', ttlMs)).toBe(true);
    const [{ left_s: leftAfter } = { left_s: 0 }] = await stack.query<{ left_s: number }>(`SELECT extract(epoch FROM expires_at - now())::float8 AS left_s FROM dispatcher_owners WHERE owner = 'beater'`);
    expect(leftBefore).toBeGreaterThan(28);
    expect(leftAfter).toBeGreaterThan(28);
    // Same rows at the same places: five beats wrote nothing to the leases.
    expect(await leasesOf('beater')).toEqual(before);
    expect(before).toHaveLength(3);
  });

  it('refuses to hold, and answers false to a beat, once the owner row has expired', async () => {
    await repo.join('late', ttlMs);
    await repo.hold('late', rows(message()));
    await expire('late');
    expect(await repo.beat('late', ttlMs)).toBe(false);
    await expect(repo.hold('late', rows(message(), message()))).rejects.toBeInstanceOf(OwnerLostError);
    expect(await leasesOf('late')).toHaveLength(1);
    // The batch that met it is retried in place under the owner's new name, never quarantined.
    expect(classifyFailure(new OwnerLostError('late')).kind).toBe('transient');
    // An owner that never joined holds nothing either.
    await expect(repo.hold('stranger', rows(message()))).rejects.toBeInstanceOf(OwnerLostError);
    expect(await leasesOf('stranger')).toEqual([]);
  });

  it("sweeps only dead owners' leases, and removes a dead owner with its last page", async () => {
    const [a1, a2, b1] = [message(), message(), message()];
    await repo.join('dead-a', ttlMs);
    await repo.join('alive-b', ttlMs);
    await repo.hold('dead-a', rows(a1, a2));
    await repo.hold('alive-b', rows(b1));
    await stack.query(`DELETE FROM dispatcher_owners WHERE owner NOT IN ('dead-a', 'alive-b')`);
    await stack.query(`DELETE FROM delivery_leases WHERE owner NOT IN ('dead-a', 'alive-b')`);
    await expire('dead-a');

    expect(await sweepAll()).toEqual([a1.delivery_id, a2.delivery_id].sort());
    expect(await leasesOf('dead-a')).toEqual([]);
    expect(await ownerExists('dead-a')).toBe(false);
    expect(await leasesOf('alive-b')).toHaveLength(1);
    expect(await ownerExists('alive-b')).toBe(true);
  });

  it('takes leases written before migration 0025 by their own expiry, and keeps their owner until the last one lapses', async () => {
    const [expired, renewed] = [message(), message()];
    await stack.query(`DELETE FROM dispatcher_owners`);
    await stack.query(`DELETE FROM delivery_leases`);
    // What a dispatcher of the previous version writes and renews, and the row 0025 gave its owner.
    for (const [m, at] of [
      [expired, `now() - interval '1 second'`],
      [renewed, `now() + interval '1 minute'`],
    ] as const) {
      await stack.query(
        `INSERT INTO delivery_leases (delivery_id, generation, attempt, tenant_id, subscription_id, owner, expires_at, message) VALUES ($1, 0, 1, 'lease-tenant', $2, 'old-version', ${at}, $3)`,
        [m.delivery_id, m.subscription_id, JSON.stringify(m)],
      );
    }
    await stack.query(`INSERT INTO dispatcher_owners (owner, expires_at) VALUES ('old-version', now() - interval '1 second')`);

    expect(await sweepAll()).toEqual([expired.delivery_id]);
    expect(await leasesOf('old-version')).toHaveLength(1);
    const [{ waits_s } = { waits_s: 0 }] = await stack.query<{ waits_s: number }>(`SELECT extract(epoch FROM expires_at - now())::float8 AS waits_s FROM dispatcher_owners WHERE owner = 'old-version'`);
    expect(waits_s).toBeGreaterThan(50);
  });

  it('cannot race a sweeper: a hold that meets an owner being swept writes nothing', async () => {
    await repo.join('racer', ttlMs);
    await repo.hold('racer', rows(message()));
    const sweeper = db.createQueryRunner();
    await sweeper.connect();
    try {
      await sweeper.startTransaction();
      // A sweeper holds the owner's row (its claim, FOR UPDATE) while the owner, whose statement
      // still sees the row live, leases more: without the hold's key-share lock on the row,
      // those leases would land after the sweep under an owner about to be gone, and no sweeper
      // would ever take them.
      await sweeper.query(`SELECT owner FROM dispatcher_owners WHERE owner = 'racer' FOR UPDATE`);
      let settled = false;
      const hold = repo.hold('racer', rows(message(), message())).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 300));
      expect(settled).toBe(false);
      await sweeper.query(`DELETE FROM delivery_leases WHERE owner = 'racer'`);
      await sweeper.query(`DELETE FROM dispatcher_owners WHERE owner = 'racer'`);
      await sweeper.commitTransaction();
      await expect(hold).rejects.toBeInstanceOf(OwnerLostError);
    } finally {
      await sweeper.release();
    }
    expect(await leasesOf('racer')).toEqual([]);
  });
});
