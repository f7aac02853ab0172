import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertNoServerErrors, createTestStack, freePort, type HostileRoute, seedTenantKey, ServiceProcess, type TestStack } from '@hookstream/testing';

/**
 * Property: whatever a caller with a valid key sends to any dlq-inspector route (NUL, lone
 * surrogates, years 0 and 10000, 2^31, 2^53+1, 1e400, deep nesting, duplicate keys, forged
 * cursors, bodies near the limit; in path, query or body) the answer is never 5xx. Seeded.
 */
describe('dlq-inspector under hostile input', () => {
  let stack: TestStack;
  let inspector: ServiceProcess;
  let key: string;
  const tenant = 'hostile-dlq';
  const params: Record<string, string[]> = { id: [randomUUID()], subscriptionId: [randomUUID()], eventId: ['evt_1'] };

  beforeAll(async () => {
    stack = await createTestStack('hostiledlq');
    inspector = new ServiceProcess('dlq-inspector', await freePort(), stack.env());
    inspector.start();
    await inspector.waitReady();
    key = await seedTenantKey(stack, tenant);
    const res = await fetch(`${inspector.url}/v1/replay-jobs`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ filter: { event_type: 'order.*' } }) });
    expect(res.status).toBe(202);
    params['jobId'] = [((await res.json()) as { id: string }).id];
  }, 120_000);

  afterAll(async () => {
    await inspector?.stop();
    await stack?.close();
  });

  const filter = { event_type: 'order.*', since: '2026-01-01T00:00:00Z', until: '2026-12-01T00:00:00Z', status_code: 503, subscription_id: randomUUID() };
  const listFilter = ['tenant_id', 'subscription_id', 'event_type', 'since', 'until', 'status_code', 'error_class', 'limit', 'cursor'];
  const routes: HostileRoute[] = [
    { method: 'GET', path: '/v1/dead-letters', query: [...listFilter, 'replayed'] },
    { method: 'GET', path: '/v1/dead-letters/:id', query: ['tenant_id'] },
    { method: 'POST', path: '/v1/dead-letters/:id/replay', query: ['tenant_id', 'force'] },
    { method: 'GET', path: '/v1/deliveries', query: [...listFilter, 'status'] },
    { method: 'GET', path: '/v1/deliveries/stream', query: ['tenant_id', 'subscription_id'] },
    { method: 'GET', path: '/v1/deliveries/:id', query: ['tenant_id'] },
    { method: 'POST', path: '/v1/deliveries/:id/retry', query: ['tenant_id'], body: { reason: 'r' } },
    { method: 'GET', path: '/v1/events', query: ['tenant_id', 'type', 'since', 'until', 'limit', 'cursor'] },
    { method: 'GET', path: '/v1/events/:eventId/deliveries', query: ['tenant_id', 'limit', 'cursor'] },
    { method: 'GET', path: '/v1/endpoint-health/:subscriptionId', query: ['tenant_id'] },
    { method: 'POST', path: '/v1/replay-jobs', body: { filter, rate_per_second: 5, dry_run: true } },
    { method: 'POST', path: '/v1/replay-jobs/recover', body: { subscription_id: randomUUID(), since: '2026-01-01T00:00:00Z', rate_per_second: 5, dry_run: true } },
    { method: 'GET', path: '/v1/replay-jobs', query: ['tenant_id', 'status', 'limit', 'cursor'] },
    { method: 'GET', path: '/v1/replay-jobs/:jobId', query: ['tenant_id'] },
    { method: 'POST', path: '/v1/replay-jobs/:jobId/cancel', query: ['tenant_id'] },
    { method: 'GET', path: '/v1/replay-jobs/:jobId/replays', query: ['tenant_id', 'status', 'limit', 'cursor'] },
  ];

  it('never answers 5xx on any route', async () => {
    const seen = await assertNoServerErrors(routes, { url: inspector.url, headers: { authorization: `Bearer ${key}` }, params, bodyLimit: 1024 * 1024 }, { numRuns: 1200, seed: 2026151 });
    expect((await fetch(`${inspector.url}/health/live`)).status).toBe(200);
    expect([...seen.keys()].some((s) => s < 300)).toBe(true);
    expect([...seen.keys()]).toEqual(expect.arrayContaining([404, 413, 422]));
  }, 90_000);
});
