import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack, waitFor } from '@hookstream/testing';

/**
 * Tenant JSON Schemas cannot hurt the gateway (issue 13, reproduction 3): patterns run on RE2,
 * every schema compiles in a namespace of its own, and a schema that cannot be run safely refuses
 * its events instead of failing the request.
 */
describe('ingress-gateway: tenant schemas', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    stack = await createTestStack('gw-schemas');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), RATE_LIMIT_PER_SECOND: '1000', RATE_LIMIT_BURST: '5000' });
    gateway.start();
    await gateway.waitReady();
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await stack?.close();
  });

  async function post(path: string, body: unknown, apiKey: string) {
    const res = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
      body: JSON.stringify(body),
      // On main this request took 47 s; fail fast instead of hanging the suite.
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  }

  const event = (type: string, data: unknown) => ({ id: `evt_${randomUUID()}`, type, occurred_at: '2026-11-22T10:00:00Z', data });

  async function strictTenant(tenant: string, types: Record<string, unknown>): Promise<string> {
    const key = await seedTenantKey(stack, tenant);
    await stack.query('UPDATE tenants SET strict_event_types = true WHERE id = $1', [tenant]);
    for (const [name, schema] of Object.entries(types)) {
      await stack.query('INSERT INTO event_types (tenant_id, name, schema) VALUES ($1, $2, $3)', [tenant, name, JSON.stringify(schema)]);
    }
    return key;
  }

  const detailPaths = (body: Record<string, unknown>) => (body['details'] as { path: string }[]).map((d) => d.path);

  it('answers /health/live within 100 ms (p90) while a catastrophic-backtracking pattern is validated, and the publish answers quickly', async () => {
    const key = await strictTenant('gw-redos', { 'text.sent': { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } } });
    let publishing = true;
    const healthMs: number[] = [];
    const poll = (async () => {
      while (publishing) {
        const t = performance.now();
        const res = await fetch(`${gateway.url}/health/live`, { signal: AbortSignal.timeout(10_000) });
        await res.arrayBuffer();
        healthMs.push(performance.now() - t);
        expect(res.status).toBe(200);
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const publishMs: number[] = [];
    try {
      // Up to the pattern work budget the pattern answers; past it (200k characters) the data is refused unrun.
      for (const [a, path] of [[30, 'data.s'], [40, 'data.s'], [3000, 'data.s'], [200_000, 'data']] as const) {
        const t = performance.now();
        const res = await post('/v1/events', event('text.sent', { s: `${'a'.repeat(a)}!` }), key);
        publishMs.push(performance.now() - t);
        expect(res).toMatchObject({ status: 422, body: { code: 'validation_failed' } });
        expect(detailPaths(res.body)).toEqual([path]);
      }
      const t = performance.now();
      const batch = await post('/v1/events/batch', { events: Array.from({ length: 200 }, (_, i) => event('text.sent', { s: `${'a'.repeat(40 + i)}!` })) }, key);
      publishMs.push(performance.now() - t);
      expect(batch.status).toBe(200);
      expect(new Set((batch.body['results'] as { status: string }[]).map((r) => r.status))).toEqual(new Set(['rejected']));
      expect((await post('/v1/events', event('text.sent', { s: 'aaaa' }), key)).status).toBe(202);
    } finally {
      publishing = false;
      await poll;
    }
    console.log(`health during adversarial validation: ${healthMs.length} polls, slowest ${Math.max(...healthMs).toFixed(1)} ms (all: ${healthMs.map((m) => m.toFixed(0)).join(' ')}); publishes ${publishMs.map((m) => m.toFixed(0)).join(', ')} ms`);
    // On main every poll during the validation waited ~46 s. The box these tests share runs at a
    // load of 10+ on 2 cores, so single polls can wait for a core: the 90th percentile is held to
    // 100 ms and no poll may reach half a second.
    const sorted = [...healthMs].sort((x, y) => x - y);
    expect(sorted.length).toBeGreaterThan(5);
    expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(100);
    expect(sorted[sorted.length - 1]).toBeLessThan(500);
    expect(Math.max(...publishMs)).toBeLessThan(2000);
  }, 60_000);

  it('keeps tenants apart: two tenants, and two versions of one type, may use the same $id', async () => {
    const id = 'https://schemas.example/order';
    const a = await strictTenant('gw-ids-a', { 'order.placed': { $id: id, type: 'object', required: ['a'] } });
    const b = await strictTenant('gw-ids-b', { 'order.placed': { $id: id, type: 'object', required: ['b'] } });
    expect((await post('/v1/events', event('order.placed', { a: 1 }), a)).status).toBe(202);
    expect((await post('/v1/events', event('order.placed', { b: 1 }), b)).status).toBe(202);
    const wrong = await post('/v1/events', event('order.placed', { a: 1 }), b);
    expect(wrong.status).toBe(422);
    expect(detailPaths(wrong.body)).toEqual(['data.b']);
    // A new version of the schema under the same $id replaces the old one within the catalog TTL.
    await stack.query(`UPDATE event_types SET schema = $2, updated_at = now() WHERE tenant_id = $1 AND name = 'order.placed'`, ['gw-ids-a', JSON.stringify({ $id: id, type: 'object', required: ['c'] })]);
    await waitFor(async () => (await post('/v1/events', event('order.placed', { c: 1 }), a)).status === 202, 15_000, 'the new schema version to apply');
    expect((await post('/v1/events', event('order.placed', { a: 1 }), a)).status).toBe(422);
  }, 60_000);

  it('refuses the events of a stored schema with a remote $ref (422, no fetch), never 500', async () => {
    const key = await strictTenant('gw-remote-ref', { 'order.placed': { type: 'object', properties: { x: { $ref: 'http://127.0.0.1:9/never.json' } } } });
    const res = await post('/v1/events', event('order.placed', { x: 1 }), key);
    expect(res).toMatchObject({ status: 422, body: { code: 'validation_failed' } });
    expect(detailPaths(res.body)).toEqual(['type']);
    expect(JSON.stringify(res.body['details'])).toContain('schema.properties.x.$ref');
  }, 30_000);
});
