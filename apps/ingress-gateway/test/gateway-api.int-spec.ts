import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { collectTopic, createTestStack, eventId, freePort, seedTenantKey, ServiceProcess, type TestStack } from '@hookstream/testing';

/** The gateway's HTTP API as a process against real Postgres, Redis and Kafka. */
describe('ingress-gateway API', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let key: string;

  beforeAll(async () => {
    stack = await createTestStack('gateway');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), MAX_EVENT_BYTES: '4096', RATE_LIMIT_PER_SECOND: '1', RATE_LIMIT_BURST: '40' });
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
    for (let i = 0; i < 45; i++) {
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

  it('keeps accepting with Redis unreachable: rate limiting fails open and Postgres still dedups', async () => {
    const noRedis = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), REDIS_URL: `redis://127.0.0.1:${await freePort()}`, RATE_LIMIT_BURST: '1', RATE_LIMIT_PER_SECOND: '0.1' });
    noRedis.start();
    try {
      // Not ready (Redis is down) but alive and serving.
      for (let i = 0; i < 100 && (await fetch(`${noRedis.url}/health/live`).catch(() => null))?.status !== 200; i++) await new Promise((r) => setTimeout(r, 200));
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
    const crashing = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), FAULT_INJECTION: 'crash-after-persist', OUTBOX_GRACE_MS: '0', OUTBOX_INTERVAL_MS: '500' });
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
    const restarted = new ServiceProcess('ingress-gateway', crashing.port, { ...stack.env(), OUTBOX_GRACE_MS: '0', OUTBOX_INTERVAL_MS: '500' });
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
