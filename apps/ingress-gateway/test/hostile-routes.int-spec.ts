import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { assertNoServerErrors, createTestStack, freePort, type HostileRoute, PLATFORM_ROUTES, seedTenantKey, ServiceProcess, type TestStack } from '@hookstream/testing';

/**
 * Property: the values Postgres and JSON.parse refuse or change (NUL, lone surrogates, years 0 and
 * 10000, 2^31, 2^53+1, 1e400, 10,000 levels of nesting, duplicate keys, bodies near the limit),
 * in any field, path or query of any gateway route, never answer 5xx. hostile-input.int-spec.ts
 * covers random bodies and partner signatures; this one aims at each field. Seeded.
 */
describe('ingress-gateway routes under hostile values', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let key: string;
  const params: Record<string, string[]> = { provider: ['stripe', 'hmac'] };

  beforeAll(async () => {
    stack = await createTestStack('hostilegw');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), {
      ...stack.env(),
      MAX_BATCH_BYTES: String(1024 * 1024),
      INTEGRATION_SECRETS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      RATE_LIMIT_BURST: '1000000',
      INCOMING_RATE_LIMIT_BURST: '1000000',
      INCOMING_UNVERIFIED_RATE_LIMIT_BURST: '1000000',
    });
    gateway.start();
    await gateway.waitReady();
    key = await seedTenantKey(stack, 'hostile-gw');
    const res = await fetch(`${gateway.url}/v1/integrations`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ provider: 'hmac', secrets: { secret: 'hostile-hmac-secret' }, settings: { header: 'X-Sig' } }) });
    expect(res.status).toBe(201);
    params['id'] = [((await res.json()) as { id: string }).id];
    params['integrationId'] = params['id'];
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await stack?.close();
  });

  const event = () => ({ id: `evt_${randomUUID()}`, type: 'order.placed', occurred_at: '2026-11-22T10:00:00Z', data: { n: 1, s: 'x', list: [1, { k: 'v' }] } });
  const routes: HostileRoute[] = [
    ...PLATFORM_ROUTES,
    { method: 'POST', path: '/v1/events', body: event() },
    { method: 'POST', path: '/v1/events/batch', body: { events: [event(), event()] } },
    { method: 'POST', path: '/v1/integrations', body: { provider: 'hmac', name: 'n', secrets: { secret: 'hostile-hmac-secret' }, settings: { header: 'X-Sig', event_id_path: 'data.id', prefix: 'p' } } },
    { method: 'GET', path: '/v1/integrations', query: ['tenant_id', 'provider', 'status', 'limit', 'cursor'] },
    { method: 'GET', path: '/v1/integrations/:id', query: ['tenant_id'] },
    { method: 'PATCH', path: '/v1/integrations/:id', body: { name: 'n', status: 'active', settings: { prefix: 'q' }, secrets: { secret: 'another-hmac-secret' }, secret_overlap_seconds: 60 } },
    { method: 'GET', path: '/v1/integrations/:id/callbacks', query: ['tenant_id', 'status', 'limit', 'cursor'] },
    { method: 'POST', path: '/v1/incoming/:provider/:integrationId', body: { id: 'evt_1', type: 'order.placed', data: { id: 'x' } } },
  ];

  it('never answers 5xx on any route', async () => {
    const seen = await assertNoServerErrors(routes, { url: gateway.url, headers: { authorization: `Bearer ${key}` }, params, bodyLimit: 1024 * 1024 }, { numRuns: 1200, seed: 2026161 });
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
    expect([...seen.keys()]).toEqual(expect.arrayContaining([200, 202, 404, 413, 422]));
  }, 90_000);
});
