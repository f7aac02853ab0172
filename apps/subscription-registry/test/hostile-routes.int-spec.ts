import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertNoServerErrors, createTestStack, freePort, type HostileRoute, seedTenantKey, ServiceProcess, type TestStack } from '@hookstream/testing';

/**
 * Property: whatever a caller with a valid key sends to any registry route (NUL, lone surrogates,
 * years 0 and 10000, 2^31, 2^53+1, 1e400, 10,000 levels of nesting, duplicate keys, bodies near
 * the limit, in path, query or body) the answer is 2xx or 4xx with a code, never 5xx. Seeded.
 */
describe('subscription-registry under hostile input', () => {
  let stack: TestStack;
  let registry: ServiceProcess;
  let key: string;
  const tenant = 'hostile-reg';
  const subscription = { url: 'http://127.0.0.1:1/hook', event_types: ['order.placed'], name: 'n', description: 'd', timeout_ms: 5000, headers: { 'X-Team': 'a' }, metadata: { team: 'a' }, rate_limit_per_second: 10, max_concurrency: 5 };
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    stack = await createTestStack('hostilereg');
    registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1' });
    registry.start();
    await registry.waitReady();
    key = await seedTenantKey(stack, tenant);
    const create = async (path: string, body: unknown) => {
      const res = await fetch(`${registry.url}${path}`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(201);
      return (await res.json()) as { id: string; name: string };
    };
    ids['id'] = [(await create('/v1/subscriptions', subscription)).id, (await create('/v1/subscriptions', subscription)).id];
    await create('/v1/event-types', { name: 'order.placed', description: 'd', schema: { type: 'object' } });
    ids['name'] = ['order.placed'];
    ids['tenantId'] = [tenant];
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await stack?.close();
  });

  const tenantRoutes: HostileRoute[] = [
    { method: 'POST', path: '/v1/subscriptions', body: subscription },
    { method: 'POST', path: '/v1/subscriptions/match', body: { event_type: 'order.placed', data: { a: 1 } } },
    { method: 'GET', path: '/v1/subscriptions', query: ['tenant_id', 'limit', 'cursor'] },
    { method: 'GET', path: '/v1/subscriptions/:id' },
    { method: 'PATCH', path: '/v1/subscriptions/:id', body: { name: 'n', description: 'd', timeout_ms: 5000, enabled: true, metadata: { k: 'v' }, headers: { 'X-A': 'b' }, event_types: ['order.*'] } },
    { method: 'DELETE', path: '/v1/subscriptions/:victim' },
    { method: 'GET', path: '/v1/subscriptions/:id/secret' },
    { method: 'POST', path: '/v1/subscriptions/:id/secret/rotate', body: { overlap_seconds: 60 } },
    { method: 'POST', path: '/v1/subscriptions/:id/test', body: { event_type: 'order.placed', data: { a: 1 } } },
    { method: 'GET', path: '/v1/subscriptions/:id/health', query: ['tenant_id'] },
    { method: 'POST', path: '/v1/tenants/:tenantId/api-keys', body: { name: 'k', scope: 'tenant' } },
    { method: 'GET', path: '/v1/tenants/:tenantId/api-keys', query: ['limit', 'cursor'] },
    { method: 'POST', path: '/v1/tenants/:tenantId/api-keys/:keyId/revoke' },
    { method: 'POST', path: '/v1/event-types', body: { name: 'order.created', description: 'd', schema: { type: 'object', properties: { a: { type: 'string' } } }, deprecated: false } },
    { method: 'GET', path: '/v1/event-types', query: ['tenant_id', 'prefix', 'deprecated', 'limit', 'cursor'] },
    { method: 'GET', path: '/v1/event-types/:name' },
    { method: 'PATCH', path: '/v1/event-types/:name', body: { description: 'd', deprecated: false } },
    { method: 'PUT', path: '/v1/tenants/:tenantId/catalog-mode', body: { strict_event_types: false } },
    { method: 'GET', path: '/v1/tenants/:tenantId' },
  ];
  const adminRoutes: HostileRoute[] = [
    { method: 'POST', path: '/v1/tenants', body: { id: 'hostile-new', name: 'n' } },
    { method: 'PATCH', path: '/v1/tenants/:tenantId', body: { name: 'n', max_event_bytes: 2048, rate_limit_per_second: 10, rate_limit_burst: 10, retention_days: 30 } },
    { method: 'POST', path: '/v1/subscriptions', body: { ...subscription, tenant_id: tenant } },
    { method: 'GET', path: '/v1/event-types', query: ['tenant_id', 'prefix', 'limit', 'cursor'] },
  ];

  it('never answers 5xx on any route, with a tenant key or an admin key', async () => {
    const target = { url: registry.url, params: { ...ids, victim: ids['id']?.slice(0, 1) ?? [] }, bodyLimit: 1024 * 1024 };
    const seen = await assertNoServerErrors(tenantRoutes, { ...target, headers: { authorization: `Bearer ${key}` } }, { numRuns: 700, seed: 2026121 });
    const admin = await assertNoServerErrors(adminRoutes, { ...target, headers: { authorization: `Bearer ${stack.adminKey}` } }, { numRuns: 250, seed: 2026122 });
    for (const [status, n] of admin) seen.set(status, (seen.get(status) ?? 0) + n);
    expect((await fetch(`${registry.url}/health/live`)).status).toBe(200);
    // The generators reached both outcomes, or the property proves little.
    expect([...seen.keys()].some((s) => s < 300)).toBe(true);
    expect([...seen.keys()]).toEqual(expect.arrayContaining([404, 413, 422]));
  }, 90_000);
});
