import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, ServiceProcess, type TestStack, waitFor } from '@hookstream/testing';
import { registryClient } from './registry-client.js';

/**
 * Issue 14: any tenant key could do everything its tenant can (reveal secrets, re-point URLs,
 * mint and revoke keys), keys never expired, and a tenant could revoke a key an operator made.
 * Keys now hold scopes, a route refuses a key without its scope (403 naming it), keys may expire,
 * and a key an operator created is the operator's to revoke.
 */
describe('API key scopes, expiry and ownership (registry)', () => {
  let stack: TestStack;
  let registry: ServiceProcess;

  beforeAll(async () => {
    stack = await createTestStack('keyscopes');
    registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1' });
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
  const { call } = client;

  it('refuses a route to a key without its scope, naming the scope; allows it with the scope', async () => {
    const t = await client.tenantWithKey('sc');
    const sub = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/in', event_types: ['*'] });
    expect(sub.status).toBe(201);
    const id = String(sub.body['id']);
    const readOnly = await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'dashboard', scopes: ['subscriptions:read'] });
    expect(readOnly.status).toBe(201);
    expect(readOnly.body).toMatchObject({ scopes: ['subscriptions:read'], created_by_admin: false, expires_at: null });
    const ro = String(readOnly.body['key']);

    expect((await call('GET', `/v1/subscriptions/${id}`, ro)).status).toBe(200);
    for (const [method, path, body, scope] of [
      ['GET', `/v1/subscriptions/${id}/secret`, undefined, 'secrets:reveal'],
      ['POST', `/v1/subscriptions/${id}/secret/rotate`, { overlap_seconds: 0 }, 'secrets:reveal'],
      ['PATCH', `/v1/subscriptions/${id}`, { url: 'https://evil.example/steal' }, 'subscriptions:write'],
      ['POST', `/v1/tenants/${t.id}/api-keys`, { name: 'escalate' }, 'keys:manage'],
      ['GET', `/v1/tenants/${t.id}/api-keys`, undefined, 'keys:manage'],
    ] as const) {
      const r = await call(method, path, ro, body);
      expect([path, r.status, r.body['code']]).toEqual([path, 403, 'forbidden']);
      expect([path, (r.body['details'] as { missing_scope?: string }).missing_scope]).toEqual([path, scope]);
      expect(String(r.body['message'])).toContain(scope);
    }
    // Nothing changed behind the refusals.
    expect((await call('GET', `/v1/subscriptions/${id}`, t.key)).body['url']).toBe('https://hooks.partner.example/in');
  });

  it('tells any valid key what it is (its tenant and scopes), whatever its scopes, and no one else', async () => {
    const t = await client.tenantWithKey('who');
    const made = await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'read only', scopes: ['deliveries:read'] });
    const ro = String(made.body['key']);
    const me = await call('GET', '/v1/api-keys/current', ro);
    expect({ status: me.status, body: me.body }).toEqual({ status: 200, body: { key_id: made.body['id'], kind: 'tenant', tenant_id: t.id, scopes: ['deliveries:read'] } });
    const admin = await call('GET', '/v1/api-keys/current', stack.adminKey);
    expect(admin.body).toMatchObject({ key_id: 'admin:bootstrap', kind: 'admin', tenant_id: null });
    expect((admin.body['scopes'] as string[]).length).toBeGreaterThanOrEqual(8);
    // Never for a missing, unknown or revoked key.
    expect((await call('GET', '/v1/api-keys/current', '')).status).toBe(401);
    expect((await call('GET', '/v1/api-keys/current', 'hsk_nothing_like_a_key')).status).toBe(401);
    expect((await call('POST', `/v1/tenants/${t.id}/api-keys/${String(made.body['id'])}/revoke`, t.key)).status).toBe(200);
    // A revocation takes effect within the verifier's cache TTL (libs/db).
    const refused = await waitFor(async () => {
      const r = await call('GET', '/v1/api-keys/current', ro);
      return r.status === 403 ? r : undefined;
    }, 15_000, 'the revoked key to be refused', 250);
    expect(refused.body).toMatchObject({ code: 'forbidden' });
    // The route reveals nothing of other keys or tenants, and takes no parameter that could ask.
    expect((await call('GET', `/v1/api-keys/current?tenant_id=${t.id}`, stack.adminKey)).body['tenant_id']).toBeNull();
  });

  it('does not let a key mint a key with scopes it lacks', async () => {
    const t = await client.tenantWithKey('esc');
    const limited = await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'keys only', scopes: ['keys:manage'] });
    const r = await call('POST', `/v1/tenants/${t.id}/api-keys`, String(limited.body['key']), { name: 'more', scopes: ['keys:manage', 'secrets:reveal'] });
    expect(r.status).toBe(403);
    expect(r.body['details']).toMatchObject({ missing_scope: 'secrets:reveal' });
    // Without scopes it would get every scope: refused just the same.
    expect((await call('POST', `/v1/tenants/${t.id}/api-keys`, String(limited.body['key']), { name: 'all' })).status).toBe(403);
  });

  it('refuses a key once it has expired, and shows when a key was last used', async () => {
    const t = await client.tenantWithKey('exp');
    const soon = new Date(Date.now() + 2000).toISOString();
    const made = await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'short-lived', expires_at: soon });
    expect(made.status).toBe(201);
    expect(made.body['expires_at']).toBe(soon);
    const key = String(made.body['key']);
    expect((await call('GET', '/v1/subscriptions', key)).status).toBe(200);
    await waitFor(async () => ((await call('GET', '/v1/subscriptions', key)).status === 401 ? true : undefined), 15_000, 'the key to expire', 250);
    const refused = await call('GET', '/v1/subscriptions', key);
    expect(refused.body).toMatchObject({ code: 'unauthenticated' });
    expect(String(refused.body['message'])).toMatch(/expired/);
    expect((await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'past', expires_at: '2020-01-01T00:00:00Z' })).status).toBe(422);

    const listed = await call('GET', `/v1/tenants/${t.id}/api-keys`, t.key);
    const row = (listed.body['data'] as Array<{ id: string; last_used_at: string | null }>).find((k) => k.id === made.body['id']);
    expect(row?.last_used_at).not.toBeNull();
  }, 30_000);

  it("keeps an operator's key out of the tenant's reach, and names the acting key", async () => {
    const t = await client.tenantWithKey('own');
    // tenantWithKey's key was made by the admin: the tenant cannot revoke it.
    const keys = await call('GET', `/v1/tenants/${t.id}/api-keys`, t.key);
    const operatorMade = (keys.body['data'] as Array<{ id: string; created_by: string; created_by_admin: boolean }>)[0];
    expect(operatorMade).toMatchObject({ created_by: 'admin:bootstrap', created_by_admin: true });
    const refused = await call('POST', `/v1/tenants/${t.id}/api-keys/${operatorMade?.id}/revoke`, t.key);
    expect(refused).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(String(refused.body['message'])).toMatch(/created by an operator/);
    // A key the tenant made itself, it revokes; the operator revokes its own.
    const own = await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'mine' });
    expect(own.body).toMatchObject({ created_by_admin: false });
    expect((await call('POST', `/v1/tenants/${t.id}/api-keys/${String(own.body['id'])}/revoke`, t.key)).status).toBe(200);
    expect((await call('POST', `/v1/tenants/${t.id}/api-keys/${operatorMade?.id}/revoke`, stack.adminKey)).status).toBe(200);
    // The line reaches us through the child's stdout pipe, possibly after the HTTP answer.
    const revokedBy = /"by":"admin:bootstrap".*"msg":"api key revoked"|"msg":"api key revoked".*"by":"admin:bootstrap"/;
    const log = await waitFor(() => Promise.resolve(registry.output.find((l) => revokedBy.test(l))), 10_000, 'the revocation log line');
    expect(log).toMatch(revokedBy);
  });
});
