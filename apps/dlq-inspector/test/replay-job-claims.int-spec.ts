import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createTestStack, type TestStack } from '@hookstream/testing';
import { DataSource } from 'typeorm';
import { ReplayJobsRepository } from '../src/replay-jobs/replay-jobs.repository.js';

/**
 * The replay-job claim against real Postgres: tenants take turns. Tenant A queues 50 jobs, then
 * tenant B queues one; oldest-first would run every one of A's before B's.
 */
describe('ReplayJobsRepository.claim: fair across tenants', () => {
  let stack: TestStack;
  let db: DataSource;
  let repo: ReplayJobsRepository;

  beforeAll(async () => {
    stack = await createTestStack('replayclaims');
    db = new DataSource({ type: 'postgres', url: stack.databaseUrl, poolSize: 4 });
    await db.initialize();
    repo = new ReplayJobsRepository(db);
  });

  afterAll(async () => {
    await db?.destroy();
    await stack?.close();
  });

  beforeEach(async () => {
    await stack.query('DELETE FROM replay_jobs');
  });

  /** A queued job of `tenantId`, created `agoSeconds` ago. */
  async function queue(tenantId: string | null, agoSeconds: number): Promise<string> {
    const id = randomUUID();
    await stack.query(
      `INSERT INTO replay_jobs (id, tenant_id, kind, filter, rate_per_second, status, requested_by, request_hash, created_at)
       VALUES ($1, $2, 'bulk', '{}', 10, 'queued', 'key', 'hash', now() - $3 * interval '1 second')`,
      [id, tenantId, agoSeconds],
    );
    return id;
  }

  it("claims another tenant's newer job before the next of a tenant that already has one running", async () => {
    for (let i = 0; i < 50; i++) await queue('tenant-a', 1000 - i);
    const b = await queue('tenant-b', 10);
    const first = await repo.claim('replica-1', 60_000);
    expect(first?.tenant_id).toBe('tenant-a');
    const second = await repo.claim('replica-1', 60_000);
    expect(second?.id).toBe(b);
    // Both tenants have one running: turns alternate, A's oldest remaining next.
    const third = await repo.claim('replica-1', 60_000);
    expect(third?.tenant_id).toBe('tenant-a');
  });

  it('counts operators’ all-tenant jobs as a tenant of their own, and still takes the oldest among equals', async () => {
    const admin = await queue(null, 500);
    await queue(null, 400);
    const c = await queue('tenant-c', 100);
    expect((await repo.claim('replica-1', 60_000))?.id).toBe(admin);
    expect((await repo.claim('replica-1', 60_000))?.id).toBe(c);
  });

  it('does not count a running job whose lease expired: it is claimable again', async () => {
    const a = await queue('tenant-a', 100);
    await repo.claim('replica-1', 60_000);
    await stack.query(`UPDATE replay_jobs SET lease_expires_at = now() - interval '1 second' WHERE id = $1`, [a]);
    const b = await queue('tenant-b', 10);
    // A's job is unheld again, so A has nothing running: the older of the two goes first.
    expect((await repo.claim('replica-2', 60_000))?.id).toBe(a);
    expect((await repo.claim('replica-2', 60_000))?.id).toBe(b);
  });
});
