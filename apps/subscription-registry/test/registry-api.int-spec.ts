import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, ServiceProcess, TestReceiver, type TestStack } from '@hookstream/testing';
import { registryClient } from './registry-client.js';

/** The registry's HTTP API as a process against real Postgres and Kafka. */
describe('subscription-registry API', () => {
  let stack: TestStack;
  let registry: ServiceProcess;

  beforeAll(async () => {
    stack = await createTestStack('registry');
    registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), DELIVERY_ALLOWLIST_HOSTS: 'receiver.test,127.0.0.1' });
    registry.start();
    await registry.waitReady();
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await stack?.close();
  });

  const { call, tenantWithKey } = registryClient(
    () => registry.url,
    () => stack.adminKey,
  );

  it('refuses requests without a key (401), with an unknown key (401), and tenant keys on admin routes (403)', async () => {
    expect(await call('GET', '/v1/subscriptions', null)).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    expect(await call('GET', '/v1/subscriptions', `hsk_${'a'.repeat(16)}_${'b'.repeat(43)}`)).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    const t = await tenantWithKey();
    expect(await call('POST', '/v1/tenants', t.key, { id: 'evil', name: 'x' })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('stores only a hash of API keys', async () => {
    const t = await tenantWithKey();
    const rows = await stack.query<{ key_hash: Buffer }>('SELECT key_hash FROM api_keys WHERE tenant_id = $1', [t.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.key_hash.toString('utf8')).not.toContain(t.key.slice(4, 20));
    expect(rows[0]?.key_hash.length).toBe(32);
  });

  async function patchTenant(tenantId: string, key: string, body: unknown) {
    return call('PATCH', `/v1/tenants/${tenantId}`, key, body);
  }

  it('lets an admin set, show and reset a tenant’s intake limits, which the tenant sees but cannot change', async () => {
    const t = await tenantWithKey();
    const set = await patchTenant(t.id, stack.adminKey, { max_event_bytes: 524_288, rate_limit_per_second: 12.5, rate_limit_burst: 40 });
    expect(set).toMatchObject({ status: 200, body: { id: t.id, max_event_bytes: 524_288, rate_limit_per_second: 12.5, rate_limit_burst: 40 } });
    const rows = await stack.query('SELECT max_event_bytes, rate_limit_per_second, rate_limit_burst FROM tenants WHERE id = $1', [t.id]);
    expect(rows).toEqual([{ max_event_bytes: 524_288, rate_limit_per_second: 12.5, rate_limit_burst: 40 }]);
    expect((await call('GET', `/v1/tenants/${t.id}`, t.key)).body).toMatchObject({ max_event_bytes: 524_288, rate_limit_burst: 40 });
    expect(await patchTenant(t.id, t.key, { max_event_bytes: 1_000_000 })).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    // Omitted fields stay; null goes back to the gateway default.
    const reset = await patchTenant(t.id, stack.adminKey, { rate_limit_burst: null, name: 'Acme' });
    expect(reset.body).toMatchObject({ name: 'Acme', max_event_bytes: 524_288, rate_limit_per_second: 12.5, rate_limit_burst: null, retention_days: null });
  });

  it('lets an admin give a tenant its own retention, read by the services’ retention jobs', async () => {
    const t = await tenantWithKey();
    expect(await patchTenant(t.id, stack.adminKey, { retention_days: 400 })).toMatchObject({ status: 200, body: { retention_days: 400 } });
    expect(await stack.query('SELECT retention_days FROM tenants WHERE id = $1', [t.id])).toEqual([{ retention_days: 400 }]);
    expect(await patchTenant(t.id, t.key, { retention_days: 1 })).toMatchObject({ status: 403 });
    expect(await patchTenant(t.id, stack.adminKey, { retention_days: 0 })).toMatchObject({ status: 422 });
    expect(await patchTenant(t.id, stack.adminKey, { retention_days: null })).toMatchObject({ status: 200, body: { retention_days: null } });
  });

  it('names each invalid tenant limit, refuses one above MAX_EVENT_BYTES_CEILING, and answers 404 for an unknown tenant', async () => {
    const t = await tenantWithKey();
    const invalid = await patchTenant(t.id, stack.adminKey, { max_event_bytes: 10, rate_limit_per_second: 0, rate_limit_burst: 1.5, colour: 'red' });
    expect(invalid.status).toBe(422);
    expect((invalid.body['details'] as { path: string }[]).map((d) => d.path).sort()).toEqual(['(root)', 'max_event_bytes', 'rate_limit_burst', 'rate_limit_per_second']);
    const over = await patchTenant(t.id, stack.adminKey, { max_event_bytes: 1_048_577 });
    expect(over).toMatchObject({ status: 422, body: { code: 'validation_failed', details: [{ path: 'max_event_bytes', message: 'must be at most 1048576 (MAX_EVENT_BYTES_CEILING)' }] } });
    expect((await patchTenant(t.id, stack.adminKey, { max_event_bytes: 1_048_576 })).status).toBe(200);
    expect(await patchTenant('no-such-tenant', stack.adminKey, { rate_limit_burst: 5 })).toMatchObject({ status: 404, body: { code: 'not_found' } });
  });

  it('creates a subscription with a generated whsec_ secret shown once, and publishes it to the changelog', async () => {
    const t = await tenantWithKey();
    const created = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/in', event_types: ['order.*', '*'] });
    expect(created.status).toBe(201);
    expect(String(created.body['secret'])).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    // Who made it: the id of the calling key (seed 003's created_by); an operator's is its own.
    const keys = await call('GET', `/v1/tenants/${t.id}/api-keys`, t.key);
    expect(created.body['created_by']).toBe((keys.body['data'] as { id: string }[])[0]?.id);
    const byAdmin = await call('POST', '/v1/subscriptions', stack.adminKey, { tenant_id: t.id, url: 'https://hooks.partner.example/admin', event_types: ['*'] });
    expect(byAdmin.body['created_by']).toBe('admin:bootstrap');
    expect((await call('DELETE', `/v1/subscriptions/${String(byAdmin.body['id'])}`, t.key)).status).toBe(204);
    const list = await call('GET', '/v1/subscriptions', t.key);
    expect(JSON.stringify(list.body)).not.toContain('whsec_');
    expect((list.body['data'] as unknown[]).length).toBe(1);

    const consumer = stack.kafka.consumer({ groupId: `registry-test-${randomBytes(4).toString('hex')}` });
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${stack.topicPrefix}hookstream.subscriptions`, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        seen.push(message.key?.toString() ?? '');
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + 20_000;
    while (!seen.includes(String(created.body['id'])) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    expect(seen).toContain(String(created.body['id']));
  });

  it('hides another tenant’s subscription behind a 404', async () => {
    const a = await tenantWithKey();
    const b = await tenantWithKey();
    const created = await call('POST', '/v1/subscriptions', a.key, { url: 'https://hooks.partner.example/a', event_types: ['*'] });
    expect((await call('GET', `/v1/subscriptions/${String(created.body['id'])}`, b.key)).status).toBe(404);
    expect((await call('DELETE', `/v1/subscriptions/${String(created.body['id'])}`, b.key)).status).toBe(404);
    expect((await call('GET', `/v1/subscriptions/${String(created.body['id'])}`, a.key)).status).toBe(200);
  });

  it.each([
    ['http://hooks.partner.example/x', 'only https'],
    ['https://127.0.0.2/x', 'loopback'],
    ['https://169.254.169.254/latest/meta-data', 'linkLocal'],
    ['https://10.0.0.8/x', 'private'],
    ['https://user:pw@hooks.partner.example/x', 'credentials'],
    ['https://localhost/x', 'not a public host'],
    ['not a url', 'not an absolute URL'],
  ])('refuses the subscription URL %s (%s)', async (url, why) => {
    const t = await tenantWithKey();
    const res = await call('POST', '/v1/subscriptions', t.key, { url, event_types: ['*'] });
    expect(res.status).toBe(422);
    expect(String(res.body['message'])).toContain(why);
  });

  it('allows http only for an allowlisted development host', async () => {
    const t = await tenantWithKey();
    expect((await call('POST', '/v1/subscriptions', t.key, { url: 'http://receiver.test:8080/in', event_types: ['*'] })).status).toBe(201);
  });

  it('names each invalid field, and answers malformed JSON with 400', async () => {
    const t = await tenantWithKey();
    const res = await call('POST', '/v1/subscriptions', t.key, { url: 'https://a.example', event_types: ['Bad Filter'], timeout_ms: 60_000, extra: 1 });
    expect(res.status).toBe(422);
    const paths = (res.body['details'] as { path: string }[]).map((d) => d.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['event_types.0', 'timeout_ms']));
    expect(await call('POST', '/v1/subscriptions', t.key, '{"url":')).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
  });

  it('publishes a change committed by a process that died before publishing (the outbox)', async () => {
    const t = await tenantWithKey();
    const created = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/o', event_types: ['*'] });
    const id = String(created.body['id']);
    // What a crash between COMMIT and publish leaves: a version the changelog has not seen.
    await stack.query(`UPDATE subscriptions SET description = 'changed behind the relay', version = version + 1 WHERE id = $1`, [id]);

    const consumer = stack.kafka.consumer({ groupId: `registry-outbox-${randomBytes(4).toString('hex')}` });
    const versions: number[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic: `${stack.topicPrefix}hookstream.subscriptions`, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        if (message.key?.toString() === id && message.value) versions.push((JSON.parse(message.value.toString()) as { version: number }).version);
        return Promise.resolve();
      },
    });
    const deadline = Date.now() + 20_000;
    while (!versions.includes(2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await consumer.disconnect();
    expect(versions).toContain(2);
    const rows = await stack.query<{ published_version: number }>('SELECT published_version FROM subscriptions WHERE id = $1', [id]);
    expect(rows[0]?.published_version).toBe(2);
  });

  it('lists keys without secrets, notes when each was last used, and revokes them (403 afterwards)', async () => {
    const t = await tenantWithKey();
    // A tenant may add keys for itself, but never an admin key.
    const second = await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'deploy bot' });
    expect(second.status).toBe(201);
    expect((await call('POST', `/v1/tenants/${t.id}/api-keys`, t.key, { name: 'x', scope: 'admin' })).status).toBe(403);
    expect((await call('GET', '/v1/subscriptions', String(second.body['key']))).status).toBe(200);

    const list = await call('GET', `/v1/tenants/${t.id}/api-keys`, t.key);
    expect(list.status).toBe(200);
    const keys = list.body['data'] as { id: string; name: string; last_used_at: string | null }[];
    expect(keys.map((k) => k.name).sort()).toEqual(['deploy bot', 'test']);
    expect(JSON.stringify(list.body)).not.toMatch(/hsk_|key_hash/);
    expect(keys.find((k) => k.id === second.body['id'])?.last_used_at).not.toBeNull();

    const other = await tenantWithKey();
    expect((await call('GET', `/v1/tenants/${t.id}/api-keys`, other.key)).status).toBe(404);
    expect((await call('POST', `/v1/tenants/${t.id}/api-keys/${String(second.body['id'])}/revoke`, other.key)).status).toBe(404);

    const revoked = await call('POST', `/v1/tenants/${t.id}/api-keys/${String(second.body['id'])}/revoke`, t.key);
    expect(revoked.status).toBe(200);
    expect(revoked.body['revoked_at']).not.toBeNull();
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline) {
      status = (await call('GET', '/v1/subscriptions', String(second.body['key']))).status;
      if (status === 403) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(status).toBe(403);
  });

  it('stores name, metadata, custom headers, limits and scheme, and refuses unsafe headers', async () => {
    const t = await tenantWithKey();
    const created = await call('POST', '/v1/subscriptions', t.key, {
      url: 'https://hooks.partner.example/full',
      name: 'Partner ERP',
      event_types: ['order.*'],
      headers: { 'X-Partner-Token': 'abc' },
      metadata: { team: 'payments' },
      rate_limit_per_second: 50,
      max_concurrency: 4,
      timeout_ms: 10_000,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Partner ERP', headers: { 'X-Partner-Token': 'abc' }, metadata: { team: 'payments' }, rate_limit_per_second: 50, max_concurrency: 4, signature_scheme: 'standard' });
    for (const bad of [{ Host: 'x' }, { 'Transfer-Encoding': 'chunked' }, { 'webhook-signature': 'v1,forged' }, { 'X-Evil': 'a\r\nb' }]) {
      const res = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/bad', event_types: ['*'], headers: bad });
      expect(res.status).toBe(422);
      expect(JSON.stringify(res.body['details'])).toContain('headers');
    }
    const noHeader = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/l', event_types: ['*'], signature_scheme: 'legacy_sha256' });
    expect(noHeader.status).toBe(422);
    const ed = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/ed', event_types: ['*'], signature_scheme: 'ed25519' });
    expect(ed.body['secret']).toBeNull();
    const revealed = await call('GET', `/v1/subscriptions/${String(ed.body['id'])}/secret`, t.key);
    expect(JSON.stringify(revealed.body)).not.toContain('whsk_');
    expect(JSON.stringify(revealed.body)).toContain(String(ed.body['public_key']));
  });

  it('keeps a legacy_sha256_raw secret as the string its receivers hold: generated, brought, revealed and rotated', async () => {
    const t = await tenantWithKey();
    const base = { url: 'https://hooks.partner.example/raw', event_types: ['*'], signature_scheme: 'legacy_sha256_raw', signature_header: 'X-Beema-Signature' };
    const generated = await call('POST', '/v1/subscriptions', t.key, base);
    expect(generated.status).toBe(201);
    expect(String(generated.body['secret'])).toMatch(/^[0-9a-f]{64}$/);
    const own = 'beema-secret-0123456789abcdef';
    const brought = await call('POST', '/v1/subscriptions', t.key, { ...base, secret: own });
    expect(brought.body['secret']).toBe(own);
    const id = String(brought.body['id']);
    expect((await call('GET', `/v1/subscriptions/${id}/secret`, t.key)).body['data']).toEqual([expect.objectContaining({ secret: own })]);
    const rotated = await call('POST', `/v1/subscriptions/${id}/secret/rotate`, t.key, { secret: 'beema-secret-rotated-000000001', overlap_seconds: 60 });
    expect(rotated.status).toBe(200);
    expect((rotated.body['secret'] as { secret: string }).secret).toBe('beema-secret-rotated-000000001');
    // Stored as whsec_ + base64 of the string, never as given.
    const rows = await stack.query<{ secret: string | null }>('SELECT secret FROM subscription_secrets WHERE subscription_id = $1', [id]);
    expect(JSON.stringify(rows)).not.toContain(own);

    const refused = await call('POST', '/v1/subscriptions', t.key, { ...base, secret: 'has spaces in it, which no header holds' });
    expect(refused.status).toBe(422);
    expect(refused.body['details']).toEqual([expect.objectContaining({ path: 'secret', message: 'must be 24-500 printable ASCII characters without spaces' })]);
    expect((await call('POST', `/v1/subscriptions/${id}/secret/rotate`, t.key, { secret: 'short' })).status).toBe(422);
    // The whsec_ schemes still take only whsec_ secrets, and every legacy scheme needs its header.
    expect((await call('POST', '/v1/subscriptions', t.key, { ...base, signature_scheme: 'legacy_sha256', secret: own })).status).toBe(422);
    expect((await call('POST', '/v1/subscriptions', t.key, { url: base.url, event_types: ['*'], signature_scheme: 'legacy_sha256_raw' })).status).toBe(422);
  });

  it('takes a retry policy: a schedule, or exponential backoff with cap, jitter, attempts and age', async () => {
    const t = await tenantWithKey();
    const policy = { kind: 'exponential', base_seconds: 2, cap_seconds: 600, jitter: 'full', max_attempts: 12, max_age_seconds: 86_400 };
    const created = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/r', event_types: ['*'], retry_policy: policy });
    expect(created.status).toBe(201);
    expect(created.body['retry_policy']).toEqual(policy);
    const schedule = await call('PATCH', `/v1/subscriptions/${String(created.body['id'])}`, t.key, { retry_policy: { kind: 'schedule', delays_seconds: [1, 60], max_attempts: 2 } });
    expect(schedule.body['retry_policy']).toEqual({ kind: 'schedule', delays_seconds: [1, 60], max_attempts: 2 });
    const bad = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/r', event_types: ['*'], retry_policy: { kind: 'exponential', base_seconds: 2 } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.body['details'])).toContain('retry_policy');
  });

  it('takes batch settings with defaults, names each bad bound, and turns batching off with null (the e2e test follows it to the dispatcher)', async () => {
    const t = await tenantWithKey();
    const created = await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/b', event_types: ['*'], batch: { max_events: 50 } });
    expect(created).toMatchObject({ status: 201, body: { batch: { max_events: 50, max_bytes: 1_048_576, max_wait_ms: 1000 } } });
    const id = String(created.body['id']);
    const changed = await call('PATCH', `/v1/subscriptions/${id}`, t.key, { batch: { max_events: 1000, max_bytes: 1024, max_wait_ms: 0 } });
    expect(changed.body['batch']).toEqual({ max_events: 1000, max_bytes: 1024, max_wait_ms: 0 });
    // A PATCH without batch leaves it alone.
    expect((await call('PATCH', `/v1/subscriptions/${id}`, t.key, { name: 'b' })).body['batch']).toEqual({ max_events: 1000, max_bytes: 1024, max_wait_ms: 0 });
    const rows = await stack.query<{ batch: unknown }>('SELECT batch FROM subscriptions WHERE id = $1', [id]);
    expect(rows[0]?.batch).toEqual({ max_events: 1000, max_bytes: 1024, max_wait_ms: 0 });

    const bad = await call('POST', '/v1/subscriptions', t.key, {
      url: 'https://hooks.partner.example/b',
      event_types: ['*'],
      batch: { max_events: 0, max_bytes: 2 ** 31, max_wait_ms: -1, size: 5 },
    });
    expect(bad.status).toBe(422);
    expect((bad.body['details'] as { path: string }[]).map((d) => d.path).sort()).toEqual(['batch', 'batch.max_bytes', 'batch.max_events', 'batch.max_wait_ms']);
    for (const batch of [{ max_events: 1001 }, { max_events: 1.5 }, { max_wait_ms: 60_001 }, { max_bytes: 1023 }, { max_events: '10' }, [10], 'on']) {
      const r = await call('PATCH', `/v1/subscriptions/${id}`, t.key, { batch });
      expect({ batch, status: r.status, code: r.body['code'] }).toEqual({ batch, status: 422, code: 'validation_failed' });
    }

    const off = await call('PATCH', `/v1/subscriptions/${id}`, t.key, { batch: null });
    expect(off.body['batch']).toBeNull();
    expect((await call('GET', `/v1/subscriptions/${id}`, t.key)).body['batch']).toBeNull();
    // A subscription made without it sends one event per request.
    expect((await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/c', event_types: ['*'] })).body['batch']).toBeNull();
  });

  it('tests an endpoint: sends a signed sample event now and reports status, latency and body', async () => {
    const t = await tenantWithKey();
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const receiver = await TestReceiver.start({ secret, respond: (r) => (r.path === '/down' ? { status: 503, body: 'maintenance' } : { status: 200, body: 'thanks' }) });
    try {
      const up = await call('POST', '/v1/subscriptions', t.key, { url: `${receiver.url}/up`, event_types: ['order.placed'], secret });
      const res = await call('POST', `/v1/subscriptions/${String(up.body['id'])}/test`, t.key, { data: { hello: 'world' } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ ok: true, status_code: 200, response_body: 'thanks', error_class: null });
      expect(typeof res.body['latency_ms']).toBe('number');
      const [req] = await receiver.waitForRequests(1, 5000);
      expect(req?.signatureValid).toBe(true);
      expect(JSON.parse(req?.body ?? '{}')).toMatchObject({ type: 'order.placed', data: { hello: 'world' } });

      const down = await call('POST', '/v1/subscriptions', t.key, { url: `${receiver.url}/down`, event_types: ['*'] });
      expect((await call('POST', `/v1/subscriptions/${String(down.body['id'])}/test`, t.key, {})).body).toMatchObject({ ok: false, status_code: 503, response_body: 'maintenance' });
      const other = await tenantWithKey();
      expect((await call('POST', `/v1/subscriptions/${String(up.body['id'])}/test`, other.key, {})).status).toBe(404);
    } finally {
      await receiver.close();
    }
  });

  it('pages subscriptions with a cursor and refuses a forged one', async () => {
    const t = await tenantWithKey();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push(String((await call('POST', '/v1/subscriptions', t.key, { url: `https://hooks.partner.example/p${i}`, event_types: ['*'] })).body['id']));
    }
    const first = await call('GET', '/v1/subscriptions?limit=2', t.key);
    expect((first.body['data'] as { id: string }[]).map((s) => s.id)).toEqual(ids.slice(0, 2));
    const second = await call('GET', `/v1/subscriptions?limit=2&cursor=${String(first.body['next_cursor'])}`, t.key);
    expect((second.body['data'] as { id: string }[]).map((s) => s.id)).toEqual(ids.slice(2));
    expect(second.body['next_cursor']).toBeNull();
    expect(await call('GET', '/v1/subscriptions?cursor=garbage', t.key)).toMatchObject({ status: 422, body: { code: 'validation_failed' } });
  });

  it('records why a subscription is disabled, and clears it on enable', async () => {
    const t = await tenantWithKey();
    const id = String((await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/d', event_types: ['*'] })).body['id']);
    expect((await call('PATCH', `/v1/subscriptions/${id}`, t.key, { enabled: false })).body).toMatchObject({ enabled: false, disabled_reason: 'manual' });
    expect((await call('PATCH', `/v1/subscriptions/${id}`, t.key, { enabled: false, disabled_reason: 'gone' })).body).toMatchObject({ enabled: false, disabled_reason: 'gone' });
    expect((await call('PATCH', `/v1/subscriptions/${id}`, t.key, { enabled: true })).body).toMatchObject({ enabled: true, disabled_reason: null });
    expect((await call('PATCH', `/v1/subscriptions/${id}`, t.key, { enabled: false, disabled_reason: 'bored' })).status).toBe(422);
  });

  it('gives every strict catalog Hookstream\'s own event types, so a tenant can subscribe to subscription.disabled by name', async () => {
    const t = await tenantWithKey();
    expect((await call('PUT', `/v1/tenants/${t.id}/catalog-mode`, t.key, { strict_event_types: true })).status).toBe(200);
    const entry = await call('GET', '/v1/event-types/subscription.disabled', t.key);
    expect(entry).toMatchObject({ status: 200, body: { name: 'subscription.disabled', schema: { type: 'object' } } });
    expect((await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/ops', event_types: ['subscription.disabled'] })).status).toBe(201);
    expect((await call('POST', '/v1/subscriptions', t.key, { url: 'https://hooks.partner.example/ops', event_types: ['invoice.paid'] })).status).toBe(422);
    // A tenant's own description of the type survives switching strict mode off and on again.
    expect((await call('PATCH', '/v1/event-types/subscription.disabled', t.key, { description: 'ours' })).status).toBe(200);
    expect((await call('PUT', `/v1/tenants/${t.id}/catalog-mode`, t.key, { strict_event_types: false })).status).toBe(200);
    expect((await call('PUT', `/v1/tenants/${t.id}/catalog-mode`, t.key, { strict_event_types: true })).status).toBe(200);
    expect((await call('GET', '/v1/event-types/subscription.disabled', t.key)).body['description']).toBe('ours');
  });
});
