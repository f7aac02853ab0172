import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, ServiceProcess, type TestStack } from '@hookstream/testing';

/**
 * Registration refuses what the gateway could not run safely (RE2-only patterns, size/depth/
 * keyword/weight limits, local $refs only), naming the schema path; the match dry-run judges
 * with the gateway's compiler, one namespace per schema.
 */
describe('subscription-registry: event type schemas', () => {
  let stack: TestStack;
  let registry: ServiceProcess;

  beforeAll(async () => {
    stack = await createTestStack('registry-schemas');
    registry = new ServiceProcess('subscription-registry', await freePort(), stack.env());
    registry.start();
    await registry.waitReady();
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await stack?.close();
  });

  async function call(method: string, path: string, key: string, body?: unknown) {
    const res = await fetch(`${registry.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  }

  async function tenant(): Promise<{ id: string; key: string }> {
    const id = `t_${randomBytes(4).toString('hex')}`;
    expect((await call('POST', '/v1/tenants', stack.adminKey, { id, name: id })).status).toBe(201);
    return { id, key: String((await call('POST', `/v1/tenants/${id}/api-keys`, stack.adminKey, { name: 'test' })).body['key']) };
  }

  const refused = async (key: string, schema: unknown) => {
    const res = await call('POST', '/v1/event-types', key, { name: `t.${randomBytes(3).toString('hex')}`, schema });
    expect(res).toMatchObject({ status: 422, body: { code: 'validation_failed' } });
    return (res.body['details'] as { path: string; message: string }[]).map((d) => d.path);
  };

  it('refuses, with the schema path, patterns RE2 cannot run, oversize schemas and remote or cyclic $refs', async () => {
    const { key } = await tenant();
    expect(await refused(key, { properties: { a: { type: 'string', pattern: '(x)\\1' } } })).toEqual(['schema.properties.a.pattern']);
    expect(await refused(key, { patternProperties: { '^(?!internal)': {} } })).toEqual(['schema.patternProperties.^(?!internal)']);
    expect(await refused(key, { properties: { a: { pattern: '[a-z]{1,1000}[0-9]{1,1000}' } } })).toEqual(['schema.properties.a.pattern']);
    expect(await refused(key, { description: 'x'.repeat(70_000) })).toEqual(['schema']);
    expect(await refused(key, { properties: { a: { $ref: 'https://schemas.example/remote.json' } } })).toEqual(['schema.properties.a.$ref']);
    expect(await refused(key, { $defs: { n: { type: 'array', items: { $ref: '#/$defs/n' } } }, $ref: '#/$defs/n' })).toHaveLength(1);
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) deep = { items: deep };
    expect(await refused(key, deep)).toHaveLength(1);
    // The same limits hold when a schema is changed.
    expect((await call('POST', '/v1/event-types', key, { name: 'ok.type', schema: { type: 'object' } })).status).toBe(201);
    const patch = await call('PATCH', '/v1/event-types/ok.type', key, { schema: { properties: { a: { pattern: '(?<=x)y' } } } });
    expect(patch).toMatchObject({ status: 422, body: { code: 'validation_failed', details: [{ path: 'schema.properties.a.pattern' }] } });
  });

  it('accepts a nested-quantifier pattern (RE2 runs it in linear time), and the dry-run answers at once', async () => {
    const { id, key } = await tenant();
    expect((await call('POST', '/v1/event-types', key, { name: 'text.sent', schema: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } } })).status).toBe(201);
    expect((await call('PUT', `/v1/tenants/${id}/catalog-mode`, key, { strict_event_types: true })).status).toBe(200);
    const t = performance.now();
    const dry = await call('POST', '/v1/subscriptions/match', key, { event_type: 'text.sent', data: { s: `${'a'.repeat(40)}!` } });
    expect(performance.now() - t).toBeLessThan(2000);
    expect(dry).toMatchObject({ status: 200, body: { accepted: false, errors: [{ path: 'data.s' }] } });
  });

  it('judges two tenants whose schemas share an $id each by its own schema in the dry-run', async () => {
    const id = 'https://schemas.example/order';
    const tenants = [await tenant(), await tenant()];
    for (const [i, t] of tenants.entries()) {
      expect((await call('POST', '/v1/event-types', t.key, { name: 'order.placed', schema: { $id: id, type: 'object', required: [`f${i}`] } })).status).toBe(201);
      expect((await call('PUT', `/v1/tenants/${t.id}/catalog-mode`, t.key, { strict_event_types: true })).status).toBe(200);
    }
    for (const [i, { key }] of tenants.entries()) {
      const ok = await call('POST', '/v1/subscriptions/match', key, { event_type: 'order.placed', data: { [`f${i}`]: 1 } });
      expect(ok).toMatchObject({ status: 200, body: { accepted: true } });
      const bad = await call('POST', '/v1/subscriptions/match', key, { event_type: 'order.placed', data: { other: 1 } });
      expect(bad).toMatchObject({ status: 200, body: { accepted: false, errors: [{ path: `data.f${i}` }] } });
    }
  });
});
