import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, ServiceProcess, type TestStack } from '@hookstream/testing';
import { registryClient } from './registry-client.js';

/**
 * A tenant's configuration changes are rate limited (config_writes_per_minute), so a tenant
 * scripting thousands of subscription creates or rotations cannot load the registry, Postgres and
 * every dispatcher's index for everyone. Reads, other tenants and operator keys are not limited.
 */
describe('config_writes_per_minute (registry)', () => {
  let stack: TestStack;
  let registry: ServiceProcess;

  beforeAll(async () => {
    stack = await createTestStack('writerate');
    // 12 a minute: bursts of 2, then one every 5 s.
    registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), QUOTA_CONFIG_WRITES_PER_MINUTE: '12' });
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
  const sub = (i: number) => ({ url: `https://hooks.partner.example/w${i}`, event_types: ['*'] });

  it("refuses a tenant's writes past its burst with 429 and Retry-After, and nothing else", async () => {
    const a = await client.tenantWithKey('wa');
    const b = await client.tenantWithKey('wb');
    expect((await client.call('POST', '/v1/subscriptions', a.key, sub(1))).status).toBe(201);
    expect((await client.call('POST', '/v1/subscriptions', a.key, sub(2))).status).toBe(201);

    const refused = await client.call('POST', '/v1/subscriptions', a.key, sub(3));
    expect(refused.status).toBe(429);
    expect(refused.body['code']).toBe('quota_rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(refused.body['details'])).toContain('config_writes_per_minute');
    // The refused create made nothing.
    const listed = await client.call('GET', '/v1/subscriptions', a.key);
    expect(listed.status).toBe(200);
    expect((listed.body['data'] as unknown[]).length).toBe(2);

    // Another tenant has its own bucket; an operator acting for the limited tenant is not limited.
    expect((await client.call('POST', '/v1/subscriptions', b.key, sub(4))).status).toBe(201);
    expect((await client.call('POST', '/v1/subscriptions', stack.adminKey, { ...sub(5), tenant_id: a.id })).status).toBe(201);

    // The limits endpoint shows the quota.
    const limits = await client.call('GET', `/v1/tenants/${a.id}/limits`, a.key);
    expect((limits.body['limits'] as Record<string, { limit: number }>)['config_writes_per_minute']?.limit).toBe(12);
  }, 60_000);
});
