import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeadLetterMessage, DeliveryMessage } from '@hookstream/contracts';
import { collectTopic, createTestStack, freePort, seedTenantKey, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { deadLetter, produceDeadLetters, seedSubscription, waitForStored } from './dead-letter-seed.js';

interface Letter {
  id: string;
  event_id: string;
  subscription_id: string;
  tenant_id: string;
  reason: string;
  generation: number;
  replayed: boolean;
  replay_count: number;
}

/** The dlq-inspector's dead-letter API as a process against real Postgres and Kafka. */
describe('dlq-inspector dead letters', () => {
  let stack: TestStack;
  let inspector: ServiceProcess;
  let replays: TopicCollector<DeliveryMessage>;
  let key: string;
  const tenant = `dl_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    stack = await createTestStack('dlqapi');
    inspector = new ServiceProcess('dlq-inspector', await freePort(), { ...stack.env(), REPLAY_IN_FLIGHT_TIMEOUT_MS: '0', REPLAY_JOB_POLL_MS: '200' });
    inspector.start();
    key = await seedTenantKey(stack, tenant);
    replays = await collectTopic(stack, 'hookstream.deliveries', (v) => (v as DeliveryMessage | null) ?? undefined);
    await inspector.waitReady();
  }, 120_000);

  afterAll(async () => {
    await replays?.stop();
    await inspector?.stop();
    await stack?.close();
  });

  async function call<T = Record<string, unknown>>(method: string, path: string, apiKey: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${inspector.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  const sentFor = (deliveryId: string) => replays.values.filter((m) => m.delivery_id === deliveryId);

  async function seed(letters: DeadLetterMessage[]): Promise<void> {
    await produceDeadLetters(stack, letters);
    await waitForStored(stack, letters);
  }

  it('stores what hookstream.dlq carries, keeps the later of two deaths in one batch, and skips junk', async () => {
    const sub = await seedSubscription(stack, tenant);
    const first = deadLetter({ tenantId: tenant, subscriptionId: sub, deadAt: new Date(Date.now() - 60_000), statusCode: 503 });
    const again: DeadLetterMessage = { ...first, reason: 'died again after a replay', dead_at: new Date().toISOString(), delivery: { ...first.delivery, generation: 1 } };
    await produceDeadLetters(stack, [again, first], ['{"not":"a dead letter"}']);
    await waitForStored(stack, [again]);
    const got = await call<Letter>('GET', `/v1/dead-letters/${first.delivery.delivery_id}`, key);
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({ reason: 'died again after a replay', generation: 1, replayed: false });
  });

  it('filters by subscription, event type, time of death, status code and error class, and pages with a cursor', async () => {
    const t = `flt_${randomUUID().slice(0, 8)}`;
    const k = await seedTenantKey(stack, t);
    const [a, b] = [await seedSubscription(stack, t), await seedSubscription(stack, t)];
    const base = Date.parse('2026-11-20T00:00:00Z');
    const at = (minutes: number) => new Date(base + minutes * 60_000);
    const letters = [
      deadLetter({ tenantId: t, subscriptionId: a, eventType: 'order.placed', deadAt: at(1), statusCode: 500 }),
      deadLetter({ tenantId: t, subscriptionId: a, eventType: 'order.item.added', deadAt: at(2), statusCode: 503 }),
      deadLetter({ tenantId: t, subscriptionId: a, eventType: 'invoice.paid', deadAt: at(3), statusCode: 404 }),
      deadLetter({ tenantId: t, subscriptionId: b, eventType: 'order.placed', deadAt: at(4), statusCode: null, errorClass: 'timeout' }),
      deadLetter({ tenantId: t, subscriptionId: b, eventType: 'order_placed', deadAt: at(5), statusCode: 410, errorClass: 'gone' }),
      ...Array.from({ length: 7 }, (_, i) => deadLetter({ tenantId: t, subscriptionId: b, eventType: 'user.created', deadAt: at(10 + i), statusCode: 502 })),
    ];
    await seed(letters);
    const ids = (i: number[]) => i.map((n) => letters[n]?.delivery.delivery_id);
    const list = async (query: string) => {
      const res = await call<{ data: Letter[]; next_cursor: string | null }>('GET', `/v1/dead-letters?${query}`, k);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      return res.body.data.map((l) => l.id);
    };
    // Newest first.
    expect(await list(`subscription_id=${a}`)).toEqual(ids([2, 1, 0]));
    expect(await list('event_type=order.placed')).toEqual(ids([3, 0]));
    expect(await list('event_type=order.*')).toEqual(ids([3, 1, 0]));
    expect(await list(`since=${at(2).toISOString()}&until=${at(5).toISOString()}`)).toEqual(ids([3, 2, 1]));
    expect(await list('status_code=503')).toEqual(ids([1]));
    expect(await list('status_code=5xx&limit=3')).toEqual(ids([11, 10, 9]));
    expect(await list('error_class=timeout')).toEqual(ids([3]));
    expect(await list(`error_class=gone&subscription_id=${b}`)).toEqual(ids([4]));
    expect(await list('replayed=true')).toEqual([]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { body: { data: Letter[]; next_cursor: string | null } } = await call('GET', `/v1/dead-letters?limit=5${cursor ? `&cursor=${cursor}` : ''}`, k);
      seen.push(...res.body.data.map((l) => l.id));
      cursor = res.body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]));

    // A tenant sees only its own; an admin sees every tenant's, or one.
    expect(await list(`subscription_id=${a}`)).toHaveLength(3);
    expect((await call<{ data: Letter[] }>('GET', `/v1/dead-letters?subscription_id=${a}`, key)).body.data).toEqual([]);
    expect((await call<{ data: Letter[] }>('GET', `/v1/dead-letters?event_type=order.*&limit=500`, stack.adminKey)).body.data.map((l) => l.tenant_id)).toEqual(expect.arrayContaining([t, tenant]));
    expect((await call<{ data: Letter[] }>('GET', `/v1/dead-letters?tenant_id=${t}&limit=500`, stack.adminKey)).body.data).toHaveLength(12);
    expect((await call('GET', `/v1/dead-letters?tenant_id=${tenant}`, k)).status).toBe(404);
  });

  it('answers bad filters with 422 naming the field', async () => {
    const bad = async (query: string, path: string) => {
      const res = await call<{ code: string; details: { path: string }[] }>('GET', `/v1/dead-letters?${query}`, key);
      expect({ query, status: res.status, code: res.body.code, paths: res.body.details.map((d) => d.path) }).toEqual({ query, status: 422, code: 'validation_failed', paths: [path] });
    };
    await bad('status_code=5x', 'status_code');
    await bad('status_code=700', 'status_code');
    await bad('error_class=flaky', 'error_class');
    await bad('event_type=Order', 'event_type');
    await bad('since=yesterday', 'since');
    await bad('since=2026-11-22T00:00:00Z&until=2026-11-21T00:00:00Z', 'until');
    await bad('subscription=abc', '(root)');
    await bad('cursor=bm9wZQ', 'cursor');
    await bad('replayed=maybe', 'replayed');
  });

  it('shows one dead letter with its payload, its attempt history and its replays', async () => {
    const sub = await seedSubscription(stack, tenant);
    const letter = deadLetter({ tenantId: tenant, subscriptionId: sub, statusCode: 500 });
    await seed([letter]);
    const d = letter.delivery;
    const started = Date.parse('2026-11-22T10:00:00Z');
    // The dispatcher's attempt rows (this test plays the dispatcher).
    for (const [i, status] of [500, 502, 500].entries()) {
      await stack.query(
        `INSERT INTO delivery_attempts (id, delivery_id, tenant_id, subscription_id, attempt, origin, outcome, status_code, error_class, error_message, response_body, request_url, started_at, duration_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'http_status', $9, 'upstream down', 'https://hooks.partner.example/in', $10, 42)`,
        [randomUUID(), d.delivery_id, tenant, sub, i + 1, i === 0 ? 'fanout' : 'retry', i === 2 ? 'dead_lettered' : 'retry_scheduled', status, `endpoint answered ${status}`, new Date(started + i * 5000)],
      );
    }
    expect((await call('POST', `/v1/dead-letters/${d.delivery_id}/replay`, key, undefined, { 'idempotency-key': `show-${d.delivery_id}` })).status).toBe(202);

    const res = await call<{
      payload: unknown;
      attempt_history: Array<{ attempt: number; origin: string; outcome: string; status_code: number; response_body: string; started_at: string }>;
      replays: Array<{ status: string; generation: number; job_id: string | null; requested_by: string }>;
      replayed: boolean;
      replay_count: number;
    }>('GET', `/v1/dead-letters/${d.delivery_id}`, key);
    expect(res.status).toBe(200);
    expect(res.body.payload).toEqual(JSON.parse(d.body));
    expect(res.body.attempt_history.map((a) => [a.attempt, a.origin, a.outcome, a.status_code])).toEqual([
      [1, 'fanout', 'retry_scheduled', 500],
      [2, 'retry', 'retry_scheduled', 502],
      [3, 'retry', 'dead_lettered', 500],
    ]);
    expect(res.body.attempt_history[0]).toMatchObject({ response_body: 'upstream down', started_at: '2026-11-22T10:00:00.000Z' });
    expect(res.body.replays).toEqual([expect.objectContaining({ status: 'sent', generation: 1, job_id: null })]);
    expect(res.body).toMatchObject({ replayed: true, replay_count: 1 });

    const other = await seedTenantKey(stack, `other_${randomUUID().slice(0, 8)}`);
    expect((await call('GET', `/v1/dead-letters/${d.delivery_id}`, other)).status).toBe(404);
    expect((await call('GET', `/v1/dead-letters/${randomUUID()}`, key)).status).toBe(404);
  });

  it('replays with the same webhook-id and body in a new generation; a key sends once; a replayed death needs force', async () => {
    const sub = await seedSubscription(stack, tenant);
    const letter = deadLetter({ tenantId: tenant, subscriptionId: sub });
    await seed([letter]);
    const id = letter.delivery.delivery_id;
    const replay = (headers: Record<string, string>, query = '') => call<{ created: boolean; generation: number; status: string; code?: string }>('POST', `/v1/dead-letters/${id}/replay${query}`, key, undefined, headers);

    const first = await replay({ 'idempotency-key': `k1-${id}` });
    expect(first).toMatchObject({ status: 202, body: { created: true, generation: 1, status: 'sent' } });
    expect((await replay({ 'idempotency-key': `k1-${id}` })).body).toMatchObject({ created: false, generation: 1 });
    const sent = await waitFor(() => (sentFor(id).length ? sentFor(id) : undefined), 10_000, 'the replay on hookstream.deliveries');
    expect(sent[0]).toEqual({ ...letter.delivery, attempt: 1, generation: 1, origin: 'replay', first_attempt_at: expect.any(String) as unknown });

    const again = await replay({ 'idempotency-key': `k2-${id}` });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'conflict' });
    expect((await replay({}, '?force=true')).status).toBe(422);
    expect((await replay({ 'idempotency-key': 'has spaces' })).status).toBe(422);
    expect((await replay({ 'idempotency-key': `k3-${id}` }, '?force=true')).body).toMatchObject({ created: true, generation: 2 });

    // It dies again (as generation 2): replayable without force, and above every generation it had.
    await seed([{ ...letter, delivery: { ...letter.delivery, generation: 2 }, dead_at: new Date(Date.now() + 1000).toISOString() }]);
    expect((await replay({})).body).toMatchObject({ created: true, generation: 3 });
    expect((await replay({})).body).toMatchObject({ created: false, generation: 3 });

    await new Promise((r) => setTimeout(r, 500));
    expect(sentFor(id).map((m) => m.generation)).toEqual([1, 2, 3]);
    expect(new Set(sentFor(id).map((m) => m.event_id))).toEqual(new Set([letter.delivery.event_id]));
  });

  it('holds replays for a disabled subscription', async () => {
    const sub = await seedSubscription(stack, tenant, { enabled: false, disabledReason: 'auto_disabled' });
    const letter = deadLetter({ tenantId: tenant, subscriptionId: sub });
    await seed([letter]);
    const res = await call<{ code: string; message: string }>('POST', `/v1/dead-letters/${letter.delivery.delivery_id}/replay`, key);
    expect(res.status).toBe(409);
    expect(res.body.message).toContain('disabled (auto_disabled)');
    const job = await call<{ code: string }>('POST', '/v1/replay-jobs', key, { filter: { subscription_id: sub } });
    expect(job).toMatchObject({ status: 409, body: { code: 'conflict' } });
    expect(sentFor(letter.delivery.delivery_id)).toEqual([]);
  });

  it('sends a letter once when single replays race a bulk job for it', async () => {
    const sub = await seedSubscription(stack, tenant);
    const letters = Array.from({ length: 60 }, () => deadLetter({ tenantId: tenant, subscriptionId: sub }));
    await seed(letters);
    const created = await call<{ id: string }>('POST', '/v1/replay-jobs', key, { filter: { subscription_id: sub }, rate_per_second: 50 });
    expect(created.status).toBe(202);
    const progress = () => call<{ status: string; sent: number; skipped: number; total: number }>('GET', `/v1/replay-jobs/${created.body.id}`, key);
    await waitFor(async () => (await progress()).body.sent > 0, 10_000, 'the job to start sending');
    // The job goes oldest first; two single replays per letter (different keys) come from the other end.
    const singles: Array<{ status: number }> = [];
    const fromTheEnd = [...letters].reverse();
    for (let i = 0; i < fromTheEnd.length; i += 4) {
      const batch = fromTheEnd.slice(i, i + 4).flatMap((l) => ['a', 'b'].map((k) => call('POST', `/v1/dead-letters/${l.delivery.delivery_id}/replay`, key, undefined, { 'idempotency-key': `race-${k}-${l.delivery.delivery_id}` })));
      singles.push(...(await Promise.all(batch)));
    }
    const done = await waitFor(async () => {
      const j = await progress();
      return j.body.status === 'completed' ? j.body : undefined;
    }, 30_000, 'the job to complete');
    const won = singles.filter((s) => s.status === 202).length;
    expect(singles.filter((s) => s.status === 409)).toHaveLength(120 - won);
    // Every letter was sent exactly once, by one side or the other, and each side knows which.
    expect(done).toMatchObject({ total: 60, sent: 60 - won, skipped: won });
    expect(done.sent).toBeGreaterThan(0);
    expect(won).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 500));
    for (const l of letters) expect({ id: l.delivery.delivery_id, sent: sentFor(l.delivery.delivery_id).length }).toEqual({ id: l.delivery.delivery_id, sent: 1 });
    process.stdout.write(`race: ${won} letters replayed singly, ${done.sent} by the job\n`);
  });
});
