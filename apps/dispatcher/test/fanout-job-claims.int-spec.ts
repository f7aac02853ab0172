import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestStack, type TestStack } from '@hookstream/testing';
import { DataSource } from 'typeorm';
import { FanoutJobsRepository } from '../src/fanout/fanout-jobs.repository.js';
import { event } from './harness.js';

/**
 * Resuming abandoned fan-out jobs against real Postgres: tenants take turns within the claim's
 * limit, so one tenant's pile of expired 10,000-way fan-outs never fills it ahead of another's.
 */
describe('FanoutJobsRepository.claimExpired: fair across tenants', () => {
  let stack: TestStack;
  let db: DataSource;
  let repo: FanoutJobsRepository;

  beforeAll(async () => {
    stack = await createTestStack('fanoutclaims');
    db = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 4 });
    await db.initialize();
    repo = new FanoutJobsRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await stack?.close();
  });

  beforeEach(async () => {
    await stack.query('DELETE FROM fanout_jobs');
  });

  /** Records a job for `tenantId` and lets it expire `agoSeconds` ago (its owner died). */
  async function abandoned(tenantId: string, agoSeconds: number): Promise<string> {
    const e = event(tenantId);
    await repo.start('dead-owner', 60_000, [{ event: e, traceparent: null, after_id: randomUUID() }]);
    await stack.query(`UPDATE fanout_jobs SET expires_at = now() - $2 * interval '1 second' WHERE event_id = $1`, [e.id, agoSeconds]);
    return e.id;
  }

  it('gives every tenant a turn before any tenant a second one', async () => {
    for (let i = 0; i < 30; i++) await abandoned('tenant-a', 1000 - i);
    const b = await abandoned('tenant-b', 5);
    const c = await abandoned('tenant-c', 1);
    const claimed = await repo.claimExpired('me', 60_000, 3);
    expect(claimed.map((j) => j.event.tenant_id).sort()).toEqual(['tenant-a', 'tenant-b', 'tenant-c']);
    expect(claimed.map((j) => j.event.id)).toEqual(expect.arrayContaining([b, c]));
    // The rest of A's are still there for the next claim, oldest first.
    const next = await repo.claimExpired('me', 60_000, 100);
    expect(next).toHaveLength(29);
    expect(next.every((j) => j.event.tenant_id === 'tenant-a')).toBe(true);
  });

  it('leaves jobs that have not expired, and jobs another claimer holds', async () => {
    const e = event('tenant-a');
    await repo.start('alive-owner', 60_000, [{ event: e, traceparent: null, after_id: randomUUID() }]);
    await abandoned('tenant-b', 1);
    const claimed = await repo.claimExpired('me', 60_000, 10);
    expect(claimed.map((j) => j.event.tenant_id)).toEqual(['tenant-b']);
    expect(await repo.claimExpired('other', 60_000, 10)).toEqual([]);
  });
});
