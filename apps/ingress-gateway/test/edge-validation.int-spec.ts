import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack } from '@hookstream/testing';

/**
 * Issue 13, reproduction 2: what Postgres would refuse is refused at the edge with a code and a
 * field path (never 500), and in a batch only the bad event is rejected; its neighbours are stored.
 */
describe('ingress-gateway edge validation', () => {
  let stack: TestStack;
  let gateway: ServiceProcess;
  let key: string;

  beforeAll(async () => {
    stack = await createTestStack('edge');
    gateway = new ServiceProcess('ingress-gateway', await freePort(), { ...stack.env(), RATE_LIMIT_BURST: '100000' });
    gateway.start();
    await gateway.waitReady();
    key = await seedTenantKey(stack, 'edge-acme');
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await stack?.close();
  });

  async function post(path: string, body: unknown) {
    const res = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { code?: string; details?: { path: string; message: string }[]; results?: BatchItem[] } };
  }
  interface BatchItem {
    index: number;
    id: string | null;
    status: string;
    error?: { code: string; details: { path: string; message: string }[] };
  }
  const event = (over: Record<string, unknown> = {}) => ({ id: `evt_${randomUUID()}`, type: 'order.placed', occurred_at: '2026-11-22T10:00:00Z', data: { n: 1 }, ...over });
  const stored = async (ids: string[]) => (await stack.query<{ id: string }>('SELECT id FROM events WHERE id = ANY($1) ORDER BY id', [ids])).map((r) => r.id);

  it('answers the year 0000 with 422 and the field path, not 500', async () => {
    const res = await post('/v1/events', event({ occurred_at: '0000-01-01T00:00:00Z' }));
    expect(res.status).toBe(422);
    expect(res.body.code).toBe('validation_failed');
    expect(res.body.details).toEqual([{ path: 'occurred_at', message: 'must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z' }]);
  });

  it('rejects the year-0000 event of a batch alone, and accepts and stores its neighbours', async () => {
    const [a, bad, b] = [event(), event({ occurred_at: '0000-01-01T00:00:00Z' }), event()];
    const res = await post('/v1/events/batch', { events: [a, bad, b] });
    expect(res.status).toBe(200);
    expect(res.body.results?.map((r) => [r.index, r.id, r.status])).toEqual([
      [0, a.id, 'accepted'],
      [1, bad.id, 'rejected'],
      [2, b.id, 'accepted'],
    ]);
    expect(res.body.results?.[1]?.error).toMatchObject({ code: 'validation_failed', details: [{ path: 'occurred_at' }] });
    expect(await stored([a.id, bad.id, b.id])).toEqual([a.id, b.id].sort());
  });

  it('rejects per event what only the JSON text shows: duplicate keys, inexact numbers, unstorable keys', async () => {
    const good = event();
    const ids = [good.id, `evt_${randomUUID()}`, `evt_${randomUUID()}`, `evt_${randomUUID()}`, `evt_${randomUUID()}`];
    const base = (id: string) => `"id":"${id}","type":"order.placed","occurred_at":"2026-11-22T10:00:00Z"`;
    const text = `{"events":[${JSON.stringify(good)},{${base(ids[1])},"data":{"n":1,"n":2}},{${base(ids[2])},"data":{"big":9007199254740993}},{${base(ids[3])},"data":{"inf":1e400}},{${base(ids[4])},"data":{"k\\u0000":1}}]}`;
    const res = await post('/v1/events/batch', text);
    expect(res.status).toBe(200);
    expect(res.body.results?.map((r) => [r.status, r.error?.details.map((d) => d.path)])).toEqual([
      ['accepted', undefined],
      ['rejected', ['data.n']],
      ['rejected', ['data.big']],
      ['rejected', ['data.inf']],
      ['rejected', ['data.k\u0000']],
    ]);
    expect(await stored(ids)).toEqual([good.id]);
  });

  it('refuses the same on the single-event route with 422 and the path', async () => {
    const base = `"id":"evt_${randomUUID()}","type":"order.placed","occurred_at":"2026-11-22T10:00:00Z"`;
    for (const [data, path] of [
      ['{"x":1,"x":2}', 'data.x'],
      ['{"x":-9007199254740993}', 'data.x'],
      ['{"x":[1e400]}', 'data.x.0'],
      ['{"x":"\\ud800"}', 'data.x'],
    ] as const) {
      const res = await post('/v1/events', `{${base},"data":${data}}`);
      expect([res.status, res.body.code, res.body.details?.[0]?.path]).toEqual([422, 'validation_failed', path]);
    }
    for (const occurred of ['10000-01-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-06-30T23:59:60Z', '2026-01-01T00:00:00+20:00', '1969-12-31T23:59:59Z']) {
      const res = await post('/v1/events', event({ occurred_at: occurred }));
      expect([occurred, res.status, res.body.details?.[0]?.path]).toEqual([occurred, 422, 'occurred_at']);
    }
  });

  it('refuses nesting past the limits with 422: data past 32 levels per event, a body past 64 levels before parsing it', async () => {
    const nest = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
    const deepData = await post('/v1/events', `{"id":"evt_${randomUUID()}","type":"order.placed","occurred_at":"2026-11-22T10:00:00Z","data":${nest(33)}}`);
    expect([deepData.status, deepData.body.details?.[0]?.message]).toEqual([422, 'nested deeper than 32 levels']);
    const good = event();
    const batch = await post('/v1/events/batch', `{"events":[${JSON.stringify(good)},{"id":"evt_${randomUUID()}","type":"order.placed","occurred_at":"2026-11-22T10:00:00Z","data":${nest(40)}}]}`);
    expect(batch.body.results?.map((r) => r.status)).toEqual(['accepted', 'rejected']);
    const huge = await post('/v1/events', `{"data":${'['.repeat(10_000)}${']'.repeat(10_000)}}`);
    expect([huge.status, huge.body.code, huge.body.details?.[0]?.message]).toEqual([422, 'validation_failed', 'nested deeper than 64 levels']);
    expect((await fetch(`${gateway.url}/health/live`)).status).toBe(200);
  });
});
