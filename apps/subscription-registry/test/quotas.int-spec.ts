import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, ServiceProcess, TestReceiver, type TestStack } from '@hookstream/testing';
import { registryClient } from './registry-client.js';

type Json = Record<string, unknown>;
interface Problem {
  path: string;
  quota: string;
  limit: number;
}

/** Per-tenant quotas in the registry, with small defaults so each edge is reached quickly. */
describe('tenant quotas (registry)', () => {
  let stack: TestStack;
  let registry: ServiceProcess;

  beforeAll(async () => {
    stack = await createTestStack('quotas');
    registry = new ServiceProcess('subscription-registry', await freePort(), {
      ...stack.env(),
      DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1',
      QUOTA_SUBSCRIPTIONS: '3',
      QUOTA_EVENT_TYPES: '2',
      QUOTA_API_KEYS: '2',
      QUOTA_ACTIVE_SECRETS_PER_SUBSCRIPTION: '2',
      QUOTA_FILTERS_PER_SUBSCRIPTION: '3',
      QUOTA_FILTER_LENGTH: '20',
      QUOTA_HEADERS_PER_SUBSCRIPTION: '2',
      QUOTA_HEADER_BYTES: '64',
      QUOTA_METADATA_BYTES: '64',
      QUOTA_ENDPOINT_TESTS_PER_MINUTE: '3',
      QUOTA_ENDPOINT_TESTS_PER_MINUTE_PER_ORIGIN: '2',
    });
    registry.start();
    await registry.waitReady();
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await stack?.close();
  });

  const client = registryClient(
    () => registry.url,
    () => stack.adminKey,
  );
  const call = client.call;
  const tenantWithKey = () => client.tenantWithKey('q');

  const subscription = (i: number, extra: Json = {}) => ({ url: `https://hooks.partner.example/q${i}`, event_types: ['*'], ...extra });

  function expectQuota(res: { status: number; body: Json }, status: number, quota: string, limit: number, path: string) {
    expect(res.status).toBe(status);
    expect(res.body['code']).toBe(status === 429 ? 'quota_rate_limited' : 'quota_exceeded');
    const details = res.body['details'] as Problem[] | { problems: Problem[] };
    const problems = Array.isArray(details) ? details : details.problems;
    expect(problems).toContainEqual(expect.objectContaining({ quota, limit, path }));
  }

  it('refuses a subscription beyond the quota; an admin override raises it; the limits endpoint shows both', async () => {
    const t = await tenantWithKey();
    for (let i = 0; i < 3; i++) expect((await call('POST', '/v1/subscriptions', t.key, subscription(i))).status).toBe(201);
    expectQuota(await call('POST', '/v1/subscriptions', t.key, subscription(3)), 422, 'subscriptions', 3, '(root)');

    expect(await call('PUT', `/v1/tenants/${t.id}/limits`, t.key, { subscriptions: 100 })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    const put = await call('PUT', `/v1/tenants/${t.id}/limits`, stack.adminKey, { subscriptions: 4 });
    expect(put.status).toBe(200);
    expect((await call('POST', '/v1/subscriptions', t.key, subscription(3))).status).toBe(201);
    expectQuota(await call('POST', '/v1/subscriptions', t.key, subscription(4)), 422, 'subscriptions', 4, '(root)');

    const own = await call('GET', `/v1/tenants/${t.id}/limits`, t.key);
    expect(own.status).toBe(200);
    const limits = own.body['limits'] as Record<string, Json>;
    expect(limits['subscriptions']).toMatchObject({ limit: 4, default: 3, override: 4, usage: 4, kind: 'count' });
    expect(limits['api_keys']).toMatchObject({ limit: 2, override: null, usage: 1 });
    expect(limits['endpoint_tests_per_minute']).toMatchObject({ limit: 3, kind: 'rate', usage: null });
    expect(Object.keys(limits).sort()).toEqual([
      'active_secrets_per_subscription', 'api_keys', 'config_writes_per_minute', 'endpoint_tests_per_minute', 'endpoint_tests_per_minute_per_origin', 'event_types', 'filter_length',
      'filters_per_subscription', 'header_bytes', 'headers_per_subscription', 'metadata_bytes', 'replay_jobs', 'subscriptions',
    ]);

    // Another tenant's limits are not found; an admin sees any; PUT replaces (left out: the default).
    const other = await tenantWithKey();
    expect((await call('GET', `/v1/tenants/${t.id}/limits`, other.key)).status).toBe(404);
    expect((await call('GET', `/v1/tenants/${t.id}/limits`, stack.adminKey)).status).toBe(200);
    const reset = await call('PUT', `/v1/tenants/${t.id}/limits`, stack.adminKey, {});
    expect((reset.body['limits'] as Record<string, Json>)['subscriptions']).toMatchObject({ limit: 3, override: null });
    expect(await call('PUT', '/v1/tenants/no-such-tenant/limits', stack.adminKey, {})).toMatchObject({ status: 404 });
    const invalid = await call('PUT', `/v1/tenants/${t.id}/limits`, stack.adminKey, { subscriptions: -1, active_secrets_per_subscription: 50, colour: 1 });
    expect(invalid.status).toBe(422);
    expect((invalid.body['details'] as { path: string }[]).map((d) => d.path).sort()).toEqual(['(root)', 'active_secrets_per_subscription', 'subscriptions']);
  });

  it('lets only one of two concurrent creates take the last slot', async () => {
    const t = await tenantWithKey();
    expect((await call('POST', '/v1/subscriptions', t.key, subscription(0))).status).toBe(201);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => call('POST', '/v1/subscriptions', t.key, subscription(10 + i))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status === 422 && r.body['code'] === 'quota_exceeded')).toHaveLength(4);
    expect(await stack.query('SELECT count(*)::int AS n FROM subscriptions WHERE tenant_id = $1 AND deleted_at IS NULL', [t.id])).toEqual([{ n: 3 }]);
    // A deleted subscription frees its slot.
    const list = await call('GET', '/v1/subscriptions', t.key);
    const first = (list.body['data'] as { id: string }[])[0];
    expect((await call('DELETE', `/v1/subscriptions/${first?.id ?? ''}`, t.key)).status).toBe(204);
    expect((await call('POST', '/v1/subscriptions', t.key, subscription(20))).status).toBe(201);
  });

  it('caps event types, concurrently too', async () => {
    const t = await tenantWithKey();
    const results = await Promise.all(['a.one', 'a.two', 'a.three', 'a.four'].map((name) => call('POST', '/v1/event-types', t.key, { name })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused).toHaveLength(2);
    for (const r of refused) expectQuota(r, 422, 'event_types', 2, '(root)');
    await call('PUT', `/v1/tenants/${t.id}/limits`, stack.adminKey, { event_types: 3 });
    expect((await call('POST', '/v1/event-types', t.key, { name: 'a.five' })).status).toBe(201);
  });

  it('caps API keys not revoked', async () => {
    const t = await tenantWithKey();
    const second = await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'second' });
    expect(second.status).toBe(201);
    expectQuota(await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'third' }), 422, 'api_keys', 2, '(root)');
    expect((await call('POST', `/v1/tenants/${t.id}/api-keys/${String(second.body['id'])}/revoke`, t.key, {})).status).toBeLessThan(300);
    expect((await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'third' })).status).toBe(201);
  });

  it('caps signing secrets active at once: a rotation beyond it is refused; overlap 0 always fits', async () => {
    const t = await tenantWithKey();
    const sub = await call('POST', '/v1/subscriptions', t.key, subscription(0));
    const rotate = (overlap: number) => call('POST', `/v1/subscriptions/${String(sub.body['id'])}/secret/rotate`, t.key, { overlap_seconds: overlap });
    expect((await rotate(3600)).status).toBe(200);
    expectQuota(await rotate(3600), 422, 'active_secrets_per_subscription', 2, 'overlap_seconds');
    expect(((await call('GET', `/v1/subscriptions/${String(sub.body['id'])}/secret`, t.key)).body['data'] as unknown[]).length).toBe(2);
    expect((await rotate(0)).status).toBe(200);
    expect(((await call('GET', `/v1/subscriptions/${String(sub.body['id'])}/secret`, t.key)).body['data'] as unknown[]).length).toBe(1);
  });

  it('caps filters, filter length, custom headers and metadata, on create and on update, naming each field', async () => {
    const t = await tenantWithKey();
    expectQuota(await call('POST', '/v1/subscriptions', t.key, subscription(0, { event_types: ['a', 'b', 'c', 'd'] })), 422, 'filters_per_subscription', 3, 'event_types');
    expectQuota(await call('POST', '/v1/subscriptions', t.key, subscription(0, { excluded_event_types: [`a.${'x'.repeat(30)}`] })), 422, 'filter_length', 20, 'excluded_event_types.0');
    expectQuota(await call('POST', '/v1/subscriptions', t.key, subscription(0, { headers: { 'x-a': '1', 'x-b': '2', 'x-c': '3' } })), 422, 'headers_per_subscription', 2, 'headers');
    expectQuota(await call('POST', '/v1/subscriptions', t.key, subscription(0, { headers: { 'x-a': 'v'.repeat(70) } })), 422, 'header_bytes', 64, 'headers');
    expectQuota(await call('POST', '/v1/subscriptions', t.key, subscription(0, { metadata: { note: 'm'.repeat(70) } })), 422, 'metadata_bytes', 64, 'metadata');
    const ok = await call('POST', '/v1/subscriptions', t.key, subscription(0, { event_types: ['a', 'b', 'c'], headers: { 'x-a': '1' }, metadata: { team: 'x' } }));
    expect(ok.status).toBe(201);
    expectQuota(await call('PATCH', `/v1/subscriptions/${String(ok.body['id'])}`, t.key, { event_types: ['a', 'b', 'c', 'd'] }), 422, 'filters_per_subscription', 3, 'event_types');
    await call('PUT', `/v1/tenants/${t.id}/limits`, stack.adminKey, { filters_per_subscription: 4 });
    expect((await call('PATCH', `/v1/subscriptions/${String(ok.body['id'])}`, t.key, { event_types: ['a', 'b', 'c', 'd'] })).status).toBe(200);
  });

  it('throttles the endpoint test per target origin and per tenant (429 with Retry-After)', async () => {
    const t = await tenantWithKey();
    const first = await TestReceiver.start();
    const second = await TestReceiver.start();
    try {
      const a = await call('POST', '/v1/subscriptions', t.key, { url: `${first.url}/in`, event_types: ['*'] });
      const b = await call('POST', '/v1/subscriptions', t.key, { url: `${second.url}/in`, event_types: ['*'] });
      const test = (id: unknown) => call('POST', `/v1/subscriptions/${String(id)}/test`, t.key, {});
      expect((await test(a.body['id'])).status).toBe(200);
      expect((await test(a.body['id'])).status).toBe(200);
      const perOrigin = await test(a.body['id']);
      expectQuota(perOrigin, 429, 'endpoint_tests_per_minute_per_origin', 2, '(root)');
      expect(Number(perOrigin.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(first.requests).toHaveLength(2);
      // Another origin has its own bucket, but the tenant's (3 a minute) is now spent.
      expect((await test(b.body['id'])).status).toBe(200);
      expectQuota(await test(b.body['id']), 429, 'endpoint_tests_per_minute', 3, '(root)');
      expect(second.requests).toHaveLength(1);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('documents the limits routes in the OpenAPI document', async () => {
    type Op = { requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> }; responses: Record<string, { content?: Record<string, { schema?: unknown }> }> };
    const doc = (await (await fetch(`${registry.url}/docs/openapi.json`)).json()) as { paths: Record<string, Record<string, Op>> };
    const route = doc.paths['/v1/tenants/{tenantId}/limits'];
    expect(Object.keys(route ?? {}).sort()).toEqual(['get', 'put']);
    expect(Object.keys(route?.['put']?.requestBody?.content['application/json']?.schema.properties ?? {})).toEqual(expect.arrayContaining(['subscriptions', 'replay_jobs', 'endpoint_tests_per_minute']));
    expect(route?.['get']?.responses['200']?.content?.['application/json']?.schema).toBeDefined();
  });
});
