import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, eventId, freePort, quarantinedView, seedTenantKey, ServiceProcess, type TestStack, waitFor } from '@hookstream/testing';

/** The gateway's HTTP API as a process against real Postgres, Redis and Kafka. */
describe('ingress-gateway API', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let key: string;

  beforeAll(async () => {
    stack = await createTestStack('gateway');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), MAX_EVENT_BYTES: '4096', MAX_EVENT_BYTES_CEILING: '16384', RATE_LIMIT_PER_SECOND: '0.1', RATE_LIMIT_BURST: '40' });
    gateway.start();
    await gateway.waitReady();
    key = await seedTenantKey(stack, 'gw-acme');
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await stack?.close();
  });

  async function post(path: string, body: unknown, apiKey: string | null = key, url = gateway.url) {
    const res = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  }

  /** Sends only the headers of a POST declaring `length` bytes of body, and reads the answer. */
  function declaredOnly(path: string, length: number, apiKey: string): Promise<{ status: number; body: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
      const req = request(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(length), authorization: `Bearer ${apiKey}` } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          // The body was never sent: drop the request rather than leave its socket open.
          req.destroy();
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> });
        });
      });
      req.on('error', reject);
      req.setTimeout(5000, () => req.destroy(new Error('no answer within 5 s: the gateway waited for the body')));
      req.flushHeaders();
    });
  }

  const event = (over: Record<string, unknown> = {}) => ({ id: `evt_${randomUUID()}`, type: 'order.placed', occurred_at: '2026-11-22T10:00:00Z', data: { n: 1 }, ...over });

  it('answers every kind of bad input with its own status and code', async () => {
    expect(await post('/v1/events', '{"id":', key)).toMatchObject({ status: 400, body: { code: 'malformed_json' } });
    const missing = await post('/v1/events', { type: 'Not Valid' });
    expect(missing.status).toBe(422);
    expect((missing.body['details'] as { path: string }[]).map((d) => d.path).sort()).toEqual(['data', 'id', 'occurred_at', 'type']);
    expect(await post('/v1/events', event({ data: { blob: 'x'.repeat(5000) } }))).toMatchObject({ status: 413, body: { code: 'payload_too_large' } });
    expect(await post('/v1/events', event(), null)).toMatchObject({ status: 401, body: { code: 'unauthenticated' } });
    expect(await post('/v1/events', event(), `hsk_${'a'.repeat(16)}_${'b'.repeat(43)}`)).toMatchObject({ status: 401 });
    expect(await post('/v1/events', event({ tenant_id: 'someone-else' }))).toMatchObject({ status: 403, body: { code: 'forbidden' } });
  });

  it('takes an Idempotency-Key in place of the body id: a repeat answers the original id as a duplicate', async () => {
    const { id: _none, ...withoutId } = event();
    const idem = `order-${randomUUID()}`;
    const post2 = (body: unknown, key2: string) =>
      fetch(`${gateway.url}/v1/events`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'idempotency-key': key2 }, body: JSON.stringify(body) });
    const first = await post2(withoutId, idem);
    expect([first.status, await first.json()]).toEqual([202, { id: idem, status: 'accepted' }]);
    const again = await post2({ ...withoutId, data: { changed: true } }, idem);
    expect([again.status, await again.json()]).toEqual([200, { id: idem, status: 'duplicate' }]);
    const conflicting = await post2({ ...withoutId, id: 'evt_other' }, idem);
    expect(conflicting.status).toBe(422);
    expect(((await conflicting.json()) as { details: { path: string }[] }).details.map((d) => d.path)).toEqual(['id']);
    expect(await stack.query('SELECT data FROM events WHERE id = $1', [idem])).toEqual([{ data: { n: 1 } }]);
  });

  it('answers a revoked key with 403', async () => {
    const revoked = await seedTenantKey(stack, 'gw-revoked');
    expect((await post('/v1/events', event(), revoked)).status).toBe(202);
    await stack.query('UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1', ['gw-revoked']);
    // Keys are cached for up to 5 s at the gateway.
    await waitFor(async () => (await post('/v1/events', event(), revoked)).status === 403, 10_000, 'the revocation to apply');
    expect(await post('/v1/events', event(), revoked)).toMatchObject({ status: 403, body: { code: 'forbidden', message: 'this API key has been revoked' } });
  });

  it('enforces a strict catalog on both routes: unknown types and JSON Schema violations are 422 with the failing paths', async () => {
    const strict = await seedTenantKey(stack, 'gw-strict');
    await stack.query('UPDATE tenants SET strict_event_types = true WHERE id = $1', ['gw-strict']);
    await stack.query(`INSERT INTO event_types (tenant_id, name, schema) VALUES ('gw-strict', 'order.placed', $1)`, [
      JSON.stringify({ type: 'object', required: ['order_id'], properties: { order_id: { type: 'string' }, total: { type: 'number', minimum: 0 } } }),
    ]);
    const unknown = await post('/v1/events', event({ type: 'invoice.paid' }), strict);
    expect(unknown).toMatchObject({ status: 422, body: { code: 'validation_failed', details: [{ path: 'type' }] } });
    const invalid = await post('/v1/events', event({ data: { total: -1 } }), strict);
    expect(invalid.status).toBe(422);
    expect((invalid.body['details'] as { path: string }[]).map((d) => d.path).sort()).toEqual(['data.order_id', 'data.total']);
    expect((await post('/v1/events', event({ data: { order_id: 'ord_1', total: 3 } }), strict)).status).toBe(202);
    const batch = await post('/v1/events/batch', { events: [event({ data: { order_id: 'ord_2' } }), event({ type: 'invoice.paid' })] }, strict);
    expect((batch.body['results'] as { status: string }[]).map((r) => r.status)).toEqual(['accepted', 'rejected']);
  });

  it('takes a batch and answers a result per event, in order', async () => {
    const a = event();
    const b = event();
    const res = await post('/v1/events/batch', { events: [a, { type: 'bad' }, b, a, event({ data: { blob: 'y'.repeat(5000) } })] });
    expect(res.status).toBe(200);
    expect(res.body['results']).toEqual([
      { index: 0, id: a.id, status: 'accepted' },
      { index: 1, id: null, status: 'rejected', error: expect.objectContaining({ code: 'validation_failed' }) as unknown },
      { index: 2, id: b.id, status: 'accepted' },
      { index: 3, id: a.id, status: 'duplicate' },
      { index: 4, id: null, status: 'rejected', error: expect.objectContaining({ code: 'payload_too_large' }) as unknown },
    ]);
    const rows = await stack.query<{ n: string }>('SELECT count(*) AS n FROM events WHERE id = ANY($1)', [[a.id, b.id]]);
    expect(rows[0]?.n).toBe('2');
    expect((await post('/v1/events/batch', { events: [] })).status).toBe(422);
  });

  it('rate-limits per API key with 429 and Retry-After', async () => {
    const limitedKey = await seedTenantKey(stack, 'gw-limited');
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    // Burst 40 at 0.1/s: the refusal comes right after the burst, however slowly requests run.
    for (let i = 0; i < 60; i++) {
      const r = await post('/v1/events', event(), limitedKey);
      statuses.push(r.status);
      if (r.status === 429) {
        retryAfter = r.headers.get('retry-after');
        expect(r.body['code']).toBe('rate_limited');
        break;
      }
    }
    expect(statuses.filter((s) => s === 202).length).toBeGreaterThanOrEqual(39);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    // Another key has its own bucket.
    expect((await post('/v1/events', event(), key)).status).toBe(202);
  });

  it('applies each tenant’s own body limit (capped at the ceiling) and rate limit, on both routes and the ingest topic', async () => {
    const limited = async (tenant: string, limits: { max_event_bytes?: number; rate_limit_per_second?: number; rate_limit_burst?: number }) => {
      const apiKey = await seedTenantKey(stack, tenant);
      await stack.query('UPDATE tenants SET max_event_bytes = $2, rate_limit_per_second = $3, rate_limit_burst = $4 WHERE id = $1', [
        tenant,
        limits.max_event_bytes ?? null,
        limits.rate_limit_per_second ?? null,
        limits.rate_limit_burst ?? null,
      ]);
      return apiKey;
    };
    const sized = (bytes: number) => {
      const e = event();
      return { ...e, data: { blob: 'x'.repeat(bytes - JSON.stringify({ ...e, data: { blob: '' } }).length) } };
    };
    const small = await limited('gw-small', { max_event_bytes: 2048 });
    const big = await limited('gw-big', { max_event_bytes: 8192 });
    const huge = await limited('gw-huge', { max_event_bytes: 65536 });

    expect(await post('/v1/events', sized(3000), small)).toMatchObject({ status: 413, body: { code: 'payload_too_large', details: { limit_bytes: 2048 } } });
    expect((await post('/v1/events', sized(3000), key)).status).toBe(202); // the default, 4096
    expect((await post('/v1/events', sized(6000), big)).status).toBe(202);
    expect(await post('/v1/events', sized(6000), key)).toMatchObject({ status: 413, body: { details: { limit_bytes: 4096 } } });
    // 65536 is more than MAX_EVENT_BYTES_CEILING allows: the ceiling applies.
    expect(await post('/v1/events', sized(20_000), huge)).toMatchObject({ status: 413, body: { details: { limit_bytes: 16384 } } });
    expect((await post('/v1/events', sized(15_000), huge)).status).toBe(202);
    const batch = await post('/v1/events/batch', { events: [sized(1000), sized(3000)] }, small);
    expect((batch.body['results'] as { status: string; error?: { code: string } }[]).map((r) => r.error?.code ?? r.status)).toEqual(['accepted', 'payload_too_large']);

    // A single event's body over the ceiling is refused on its declared length, unread: the
    // gateway answers while the body is still to come (a batch may be larger: MAX_BATCH_BYTES).
    const unread = await declaredOnly('/v1/events', 2 * 1024 * 1024, huge);
    expect(unread).toMatchObject({ status: 413, body: { code: 'payload_too_large', details: { limit_bytes: 16384 } } });

    // The same limit on hookstream.ingest: quarantined with its reason.
    const rejected = await collectTopic(stack, 'hookstream.ingest.rejected', (_v, _k, m) => quarantinedView(m));
    const producer = stack.kafka.producer();
    await producer.connect();
    const oversized = { ...sized(3000), tenant_id: 'gw-small' };
    const fits = { ...sized(1000), tenant_id: 'gw-small' };
    // Over the ceiling, a value is refused unread: not even parsed, so this one is not called malformed.
    const overCeiling = `{"tenant_id":"gw-small","data":"${'x'.repeat(20_000)}`;
    try {
      await producer.send({ topic: `${stack.topicPrefix}hookstream.ingest`, messages: [...[oversized, fits].map((e) => JSON.stringify(e)), overCeiling].map((value) => ({ key: 'gw-small', value })) });
      const [quarantined, unparsed] = await waitFor(() => (rejected.values.length >= 2 ? rejected.values : undefined), 30_000, 'the oversized ingest messages to be quarantined');
      expect(quarantined).toMatchObject({ code: 'payload_too_large', reason: expect.stringContaining('the limit is 2048') as unknown, value: Buffer.from(JSON.stringify(oversized)) });
      expect(unparsed).toMatchObject({ code: 'payload_too_large', reason: expect.stringContaining('at most 16384') as unknown, value: Buffer.from(overCeiling) });
      await waitFor(async () => (await stack.query('SELECT 1 FROM events WHERE id = $1', [fits.id])).length === 1, 30_000, 'the message that fits');
      expect(await stack.query('SELECT 1 FROM events WHERE id = $1', [oversized.id])).toEqual([]);
    } finally {
      await producer.disconnect();
      await rejected.stop();
    }

    const tight = await limited('gw-tight', { rate_limit_per_second: 0.1, rate_limit_burst: 3 });
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await post('/v1/events', event(), tight)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    // A raised limit takes effect within the 5 s the gateway caches tenant settings.
    await stack.query('UPDATE tenants SET rate_limit_per_second = 1000 WHERE id = $1', ['gw-tight']);
    await waitFor(async () => (await post('/v1/events', event(), tight)).status === 202, 10_000, 'the new rate to apply');
  }, 90_000);

  it('stores events in the day’s partition, which the gateway created at boot', async () => {
    const e = event();
    expect((await post('/v1/events', e)).status).toBe(202);
    const [row] = await stack.query<{ part: string }>('SELECT tableoid::regclass::text AS part FROM events WHERE id = $1', [e.id]);
    expect(row?.part).toBe(`events_p${new Date().toISOString().slice(0, 10).replaceAll('-', '')}`);
    const parts = await stack.query(`SELECT 1 FROM pg_inherits WHERE inhparent = 'events'::regclass`);
    expect(parts).toHaveLength(1 + 8); // the default, today and 7 days ahead
  });

  it('keeps accepting with Redis unreachable: rate limiting fails open and Postgres still dedups', async () => {
    const noRedis = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), REDIS_URL: `redis://127.0.0.1:${await freePort()}`, RATE_LIMIT_BURST: '1', RATE_LIMIT_PER_SECOND: '0.1' });
    noRedis.start();
    try {
      // Redis is a fast path: without it the gateway stays ready (degraded), so a load balancer keeps routing to it.
      await noRedis.waitReady();
      const ready = await fetch(`${noRedis.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { postgres: 'ok', redis: expect.stringMatching(/^degraded: /) as unknown } });
      const e = event();
      expect((await post('/v1/events', e, key, noRedis.url)).status).toBe(202);
      expect((await post('/v1/events', event(), key, noRedis.url)).status).toBe(202);
      expect(await post('/v1/events', e, key, noRedis.url)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
      const metrics = await (await fetch(`${noRedis.url}/metrics`)).text();
      expect(metrics).toMatch(/hookstream_rate_limit_fail_open_total [1-9]/);
      expect(metrics).toMatch(/hookstream_dedup_redis_fallback_total [1-9]/);
    } finally {
      await noRedis.stop();
    }
  });

  it('loses no accepted event when SIGKILLed between persisting and publishing: the outbox publishes it after restart', async () => {
    // A 10 s session: the killed member holds up its group's next rebalance (the restarted
    // process's join, and its stop) for that long, not the default 30 s.
    const session = { KAFKA_SESSION_TIMEOUT_MS: '10000' };
    const crashing = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), ...session, FAULT_INJECTION: 'crash-after-persist', OUTBOX_GRACE_MS: '0', OUTBOX_INTERVAL_MS: '500' });
    crashing.start();
    await crashing.waitReady();
    const e = event();
    const outcome = await post('/v1/events', e, key, crashing.url).then(
      (r) => `answered ${r.status}`,
      () => 'connection dropped',
    );
    expect(outcome).toBe('connection dropped');
    expect(await crashing.stop()).not.toBe(0);
    const [row] = await stack.query<{ published_at: Date | null }>('SELECT published_at FROM events WHERE id = $1', [e.id]);
    expect(row?.published_at).toBeNull();

    const published = await collectTopic(stack, 'hookstream.events', eventId);
    const restarted = new ServiceProcess('ingress-gateway', crashing.port, { ...stack.env(), ...session, OUTBOX_GRACE_MS: '0', OUTBOX_INTERVAL_MS: '500' });
    restarted.start();
    try {
      // Live is enough: the drainer runs at boot, while the ingest consumer may still wait out
      // the killed member's session before its group lets it in.
      for (let i = 0; i < 150 && (await fetch(`${restarted.url}/health/live`).catch(() => null))?.status !== 200; i++) await new Promise((r) => setTimeout(r, 200));
      const deadline = Date.now() + 20_000;
      while (published.count(e.id) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(published.count(e.id)).toBe(1);
      // The producer's retry of the same id is a duplicate, not a second publication.
      expect(await post('/v1/events', e, key, restarted.url)).toMatchObject({ status: 200, body: { status: 'duplicate' } });
      await new Promise((r) => setTimeout(r, 1500));
      expect(published.count(e.id)).toBe(1);
    } finally {
      await published.stop();
      await restarted.stop();
    }
  }, 120_000);
});
