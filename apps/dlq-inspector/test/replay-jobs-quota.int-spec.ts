import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack } from '@hookstream/testing';
import { deadLetter, produceDeadLetters, seedSubscription, waitForStored } from './dead-letter-seed.js';

interface Answer {
  id?: string;
  status?: string;
  code?: string;
  details?: { problems: { quota: string; limit: number; path: string }[]; retry_after_seconds: number };
}

/** The replay_jobs quota: jobs queued or running at once, per tenant, checked where jobs are created. */
describe('dlq-inspector replay jobs quota', () => {
  let stack: TestStack;
  let inspector: ServiceProcess;
  let key: string;
  const tenant = `jobq_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    stack = await createTestStack('replayquota');
    inspector = new ServiceProcess('dlq-inspector', await freePort(), { ...stack.env(), QUOTA_REPLAY_JOBS: '2', REPLAY_JOB_POLL_MS: '200' });
    inspector.start();
    key = await seedTenantKey(stack, tenant);
    await inspector.waitReady();
  }, 120_000);

  afterAll(async () => {
    await inspector?.stop();
    await stack?.close();
  });

  async function call(method: string, path: string, body?: unknown) {
    const res = await fetch(`${inspector.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Answer };
  }

  /** A subscription with dead letters enough to keep a job at 1/s busy for the whole test. */
  async function subscriptionWithLetters(): Promise<string> {
    const subscriptionId = await seedSubscription(stack, tenant);
    const letters = Array.from({ length: 60 }, () => deadLetter({ tenantId: tenant, subscriptionId }));
    await produceDeadLetters(stack, letters);
    await waitForStored(stack, letters);
    return subscriptionId;
  }

  it('lets two concurrent jobs in and refuses the rest with 429; an override or a cancel makes room', async () => {
    const subs = await Promise.all(Array.from({ length: 5 }, () => subscriptionWithLetters()));
    const jobs = await Promise.all(subs.slice(0, 4).map((s) => call('POST', '/v1/replay-jobs', { filter: { subscription_id: s }, rate_per_second: 1 })));
    const accepted = jobs.filter((j) => j.status === 202);
    const refused = jobs.filter((j) => j.status === 429);
    // The refused jobs' letters are still untouched: a job for them would have work to do.
    const waiting = subs.slice(0, 4).filter((_, i) => jobs[i]?.status === 429);
    expect(accepted).toHaveLength(2);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r.body.code).toBe('quota_rate_limited');
      expect(r.body.details?.problems).toEqual([expect.objectContaining({ quota: 'replay_jobs', limit: 2, path: '(root)' })]);
      expect(Number(r.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    expect(await stack.query(`SELECT count(*)::int AS n FROM replay_jobs WHERE tenant_id = $1`, [tenant])).toEqual([{ n: 2 }]);

    // An operator's override (PUT /v1/tenants/:id/limits on the registry writes this column).
    await stack.query(`UPDATE tenants SET quota_overrides = '{"replay_jobs": 3}' WHERE id = $1`, [tenant]);
    expect((await call('POST', '/v1/replay-jobs', { filter: { subscription_id: waiting[0] }, rate_per_second: 1 })).status).toBe(202);
    expect((await call('POST', '/v1/replay-jobs', { filter: { subscription_id: waiting[1] }, rate_per_second: 1 })).status).toBe(429);

    // A cancelled job no longer counts.
    expect((await call('POST', `/v1/replay-jobs/${String(accepted[0]?.body.id)}/cancel`)).status).toBe(200);
    expect((await call('POST', '/v1/replay-jobs', { filter: { subscription_id: subs[4] }, rate_per_second: 1 })).status).toBe(202);
  }, 120_000);
});
