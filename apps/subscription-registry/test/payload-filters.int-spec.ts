import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, freePort, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { registryClient } from './registry-client.js';

/** Payload filters through the registry's API: stored, validated with paths, published, explained. */
describe('subscription payload filters in the registry', () => {
  let stack: TestStack;
  let registry: ServiceProcess;
  let changelog: TopicCollector<{ id: string; version: number; filter: unknown }>;

  beforeAll(async () => {
    stack = await createTestStack('registry-filters');
    registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1' });
    registry.start();
    await registry.waitReady();
    changelog = await collectTopic(stack, 'hookstream.subscriptions', (v) => (v === null ? undefined : (v as { id: string; version: number; filter: unknown })));
  }, 120_000);

  afterAll(async () => {
    await changelog?.stop();
    await registry?.stop();
    await stack?.close();
  });

  const { call, tenantWithKey } = registryClient(
    () => registry.url,
    () => stack.adminKey,
  );
  const published = (id: string, version: number) =>
    waitFor(() => changelog.values.find((s) => s.id === id && s.version === version), 20_000, `version ${String(version)} of ${id} on the changelog`);

  it('stores a filter, publishes it on the changelog, replaces it whole and clears it with null', async () => {
    const t = await tenantWithKey();
    const filter = { 'data.amount': { $gte: 100 }, $or: [{ 'data.currency': 'EUR' }, { 'data.tags': 'vip' }] };
    const created = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/f', event_types: ['order.*'], filter });
    expect(created.status).toBe(201);
    expect(created.body['filter']).toEqual(filter);
    const id = String(created.body['id']);
    expect((await published(id, 1)).filter).toEqual(filter);

    const narrowed = await call('PATCH', `/v1/subscriptions/${id}`, t.key, { filter: { type: 'order.placed' } });
    expect(narrowed.body['filter']).toEqual({ type: 'order.placed' });
    expect((await published(id, 2)).filter).toEqual({ type: 'order.placed' });
    // A change that does not name the filter keeps it.
    expect((await call('PATCH', `/v1/subscriptions/${id}`, t.key, { name: 'renamed' })).body['filter']).toEqual({ type: 'order.placed' });
    const cleared = await call('PATCH', `/v1/subscriptions/${id}`, t.key, { filter: null });
    expect(cleared.body['filter']).toBeNull();
    expect((await published(id, 4)).filter).toBeNull();
    expect((await call('GET', `/v1/subscriptions/${id}`, t.key)).body['filter']).toBeNull();
  });

  it.each([
    [{ amount: 5 }, 'filter.amount', 'a field path starts with data'],
    [{ 'data.x': { $regex: '^(a+)+$' } }, 'filter.data.x.$regex', 'unknown operator $regex'],
    [{ 'data.x': { $gt: 2 ** 53 + 2 } }, 'filter.data.x.$gt', '2^53'],
    [{ 'data.x': 'a\u0000b' }, 'filter.data.x', ''],
    [{}, 'filter', 'send null to remove the filter'],
    [[1], 'filter', ''],
  ])('refuses the filter %j with a 422 naming %s', async (filter, path, message) => {
    const t = await tenantWithKey();
    const res = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/f', event_types: ['*'], filter });
    expect(res.status).toBe(422);
    expect(res.body['code']).toBe('validation_failed');
    const details = res.body['details'] as { path: string; message: string }[];
    expect(details).toEqual(expect.arrayContaining([expect.objectContaining({ path, message: expect.stringContaining(message) as unknown })]));
  });

  it('refuses a filter nested deeper than its limit without a 5xx', async () => {
    const t = await tenantWithKey();
    // Built as text: the test's own JSON.stringify would run out of stack first.
    const body = `{"url":"https://hooks.partner.example/f","event_types":["*"],"filter":{"data":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`;
    const res = await call('POST', '/v1/subscriptions', t.key, body);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });

  it('explains in the match dry-run which clause of a filter the sample fails', async () => {
    const t = await tenantWithKey();
    const rich = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/rich', event_types: ['order.*'], filter: { 'data.amount': { $gte: 100 } } });
    const all = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/all', event_types: ['order.*'] });
    const answer = await call('POST', '/v1/subscriptions/match', t.key, { event_type: 'order.placed', data: { amount: 20 } });
    expect(answer.status).toBe(200);
    expect(answer.body['receivers']).toEqual([expect.objectContaining({ subscription_id: all.body['id'] })]);
    expect(answer.body['skipped']).toEqual([
      expect.objectContaining({ subscription_id: rich.body['id'], reasons: [{ code: 'payload_filter', message: 'filter.data.amount.$gte: data.amount is 20, not ≥ 100' }] }),
    ]);
    const passes = await call('POST', '/v1/subscriptions/match', t.key, { event_type: 'order.placed', data: { amount: 120 } });
    expect((passes.body['receivers'] as unknown[]).length).toBe(2);
    // Without a sample, data is empty: the filter's field is missing.
    const bare = await call('POST', '/v1/subscriptions/match', t.key, { event_type: 'order.placed' });
    expect(JSON.stringify(bare.body['skipped'])).toContain('data.amount is missing');
  });
});
