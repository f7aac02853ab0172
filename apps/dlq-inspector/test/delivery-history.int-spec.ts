import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeliveryDetail, DeliveryRetryView, DeliveryStatusMessage, DeliveryView, EndpointHealthView, EventMessage, EventView, SubscriptionSnapshot } from '@hookstream/contracts';
import { deliveryId } from '@hookstream/domain';
import { createTestStack, freePort, type ReceivedRequest, REPO_ROOT, seedTenantKey, ServiceProcess, subscriptionSnapshot, TestReceiver, type TestStack, waitFor } from '@hookstream/testing';
import { EventSource } from 'eventsource';
import { deadLetter, produceDeadLetters, waitForStored } from './dead-letter-seed.js';

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

interface Received {
  status: DeliveryStatusMessage;
  at: number;
}

/**
 * Delivery history against the real stack: the dispatcher (a process) sends to a loopback
 * receiver and records attempts, headers and health aggregates; the dlq-inspector (a process)
 * answers the history, events, health, retry and live stream routes from what was recorded.
 */
describe('dlq-inspector delivery history', () => {
  let stack: TestStack;
  let receiver: TestReceiver;
  let dispatcher: ServiceProcess;
  let inspector: ServiceProcess;
  const tenantA = `ha_${randomUUID().slice(0, 8)}`;
  const tenantB = `hb_${randomUUID().slice(0, 8)}`;
  let keyA: string;
  let keyB: string;
  let okA: SubscriptionSnapshot;
  let failA: SubscriptionSnapshot;
  let okB: SubscriptionSnapshot;
  const streams: EventSource[] = [];
  let tail: ChildProcess | null = null;
  const partnerSecret = `ptk_${randomBytes(8).toString('hex')}`;
  // The events of the live-stream test, reused by the history tests after it.
  let eventA: EventMessage;
  let eventB: EventMessage;

  beforeAll(async () => {
    stack = await createTestStack('history');
    receiver = await TestReceiver.start({ respond: (req) => (req.path === '/fail' ? { status: 500, body: 'nope: database down' } : { status: 200, body: 'thanks' }) });
    keyA = await seedTenantKey(stack, tenantA);
    keyB = await seedTenantKey(stack, tenantB);
    okA = snapshot(tenantA, `${receiver.url}/ok`, { headers: { 'X-Api-Key': partnerSecret, 'X-Team': 'payments' } });
    failA = snapshot(tenantA, `${receiver.url}/fail`);
    okB = snapshot(tenantB, `${receiver.url}/ok`);
    for (const s of [okA, failA, okB]) await seedSubscriptionRow(s);
    await produce('hookstream.subscriptions', [okA, failA, okB].map((s) => ({ key: s.id, value: s })));
    // Aggregates past their retention (hours: 8 days by default; minutes: 2 days) and within it: the dispatcher prunes the first at boot.
    for (const [span, daysAgo] of [['hour', 9], ['minute', 3], ['hour', 3]] as const) {
      await stack.query(
        `INSERT INTO endpoint_health_buckets (subscription_id, span, bucket_start, tenant_id, attempts, successes, latency_histogram, last_success_at, last_attempt_at)
         VALUES ($1, $2, date_trunc($2, now()) - $3 * interval '1 day', $4, 1, 1, $5, now() - $3 * interval '1 day', now() - $3 * interval '1 day')`,
        [okB.id, span, daysAgo, tenantB, [1]],
      );
    }
    inspector = new ServiceProcess('dlq-inspector', await freePort(), { ...stack.env(), STATUS_STREAM_HEARTBEAT_MS: '200' });
    dispatcher = new ServiceProcess('dispatcher', await freePort(), { ...stack.env(), DELIVERY_ALLOWLIST_HOSTS: '127.0.0.1', RETRY_DELAYS: '10m' });
    inspector.start();
    dispatcher.start();
    await Promise.all([inspector.waitReady(90_000), dispatcher.waitReady(90_000)]);
  }, 150_000);

  afterAll(async () => {
    for (const s of streams) s.close();
    tail?.kill('SIGKILL');
    await Promise.all([dispatcher?.stop(), inspector?.stop()]);
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  const snapshot = (tenantId: string, url: string, fields: Partial<SubscriptionSnapshot> = {}) => subscriptionSnapshot(tenantId, url, { event_types: ['order.*'], ...fields });

  /** The registry's row of a subscription (the inspector checks it exists and is enabled). */
  async function seedSubscriptionRow(s: SubscriptionSnapshot): Promise<void> {
    await stack.query(`INSERT INTO subscriptions (id, tenant_id, url, event_types, enabled) VALUES ($1, $2, $3, $4, true)`, [s.id, s.tenant_id, s.url, s.event_types]);
  }

  async function produce(topic: string, messages: ReadonlyArray<{ key: string; value: unknown }>): Promise<void> {
    const producer = stack.kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: `${stack.topicPrefix}${topic}`, acks: -1, messages: messages.map((m) => ({ key: m.key, value: JSON.stringify(m.value), headers: { 'hs-schema-version': '1' } })) });
    } finally {
      await producer.disconnect();
    }
  }

  /** An event as the gateway accepts it: persisted in events, then published to hookstream.events. */
  async function accept(tenantId: string, type: string): Promise<EventMessage> {
    const now = new Date().toISOString();
    const e: EventMessage = { id: `evt_${randomUUID()}`, tenant_id: tenantId, type, occurred_at: now, received_at: now, data: { order: randomBytes(3).toString('hex') } };
    await stack.query(`INSERT INTO events (tenant_id, id, type, occurred_at, received_at, data, source, published_at) VALUES ($1, $2, $3, $4, $5, $6, 'http', now())`, [
      e.tenant_id,
      e.id,
      e.type,
      e.occurred_at,
      e.received_at,
      JSON.stringify(e.data),
    ]);
    await produce('hookstream.events', [{ key: tenantId, value: e }]);
    return e;
  }

  async function call<T>(method: string, path: string, apiKey: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${inspector.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** A plain EventSource on the live stream, recording each outcome with its arrival time. */
  async function watch(apiKey: string, query = ''): Promise<Received[]> {
    const received: Received[] = [];
    const source = new EventSource(`${inspector.url}/v1/deliveries/stream${query}`, {
      fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, authorization: `Bearer ${apiKey}` } }),
    });
    streams.push(source);
    source.onmessage = (m) => received.push({ status: JSON.parse(m.data as string) as DeliveryStatusMessage, at: Date.now() });
    await new Promise<void>((resolve, reject) => {
      source.onopen = () => resolve();
      source.onerror = (e) => reject(new Error(`stream failed: ${e.message ?? 'unknown'}`));
    });
    source.onerror = null;
    return received;
  }

  const requestsFor = (e: EventMessage, path: string): ReceivedRequest[] => receiver.requests.filter((r) => r.path === path && r.headers['webhook-id'] === e.id);

  it('streams each outcome to the tenant within 1 s of the attempt, filtered by subscription, never another tenant’s', async () => {
    const allA = await watch(keyA);
    const onlyOkA = await watch(keyA, `?subscription_id=${okA.id}`);
    const allB = await watch(keyB);
    // The CLI, as on-call runs it: one JSON line per outcome.
    const tailed: string[] = [];
    tail = spawn(process.execPath, [`${REPO_ROOT}apps/cli/dist/main.js`, 'tail', '--json', '--subscription', failA.id, '--dlq-url', inspector.url], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, HOOKSTREAM_API_KEY: keyA } });
    tail.stdout?.setEncoding('utf8').on('data', (text: string) => tailed.push(...text.split('\n').filter(Boolean)));
    await waitFor(async () => /^hookstream_status_stream_clients 4$/m.test(await (await fetch(`${inspector.url}/metrics`)).text()), 15_000, 'four streams connected');
    // A tenant naming another tenant's scope is refused before any stream opens.
    const foreign = await fetch(`${inspector.url}/v1/deliveries/stream?tenant_id=${tenantB}`, { headers: { authorization: `Bearer ${keyA}` } });
    expect(foreign.status).toBe(404);
    await foreign.body?.cancel();

    eventA = await accept(tenantA, 'order.placed');
    eventB = await accept(tenantB, 'order.placed');
    const expected = [deliveryId(tenantA, eventA.id, okA.id), deliveryId(tenantA, eventA.id, failA.id)];
    await waitFor(() => expected.every((id) => allA.some((r) => r.status.delivery_id === id)) && allB.length > 0, 30_000, 'outcomes streamed');

    for (const r of allA) {
      const path = r.status.subscription_id === okA.id ? '/ok' : '/fail';
      const [request] = requestsFor(eventA, path);
      if (!request) throw new Error(`no request for ${path}`);
      expect(r.at - request.at).toBeLessThan(1000);
      expect(r.at - Date.parse(r.status.at)).toBeLessThan(1000);
    }
    expect(allA.map((r) => r.status.tenant_id)).toEqual(allA.map(() => tenantA));
    expect(allA.map((r) => r.status.outcome).sort()).toEqual(['delivered', 'retry_scheduled']);
    expect(allB.map((r) => [r.status.tenant_id, r.status.delivery_id])).toEqual([[tenantB, deliveryId(tenantB, eventB.id, okB.id)]]);
    // The subscription filter: wait for the heartbeat-paced stream to have had its chance.
    await waitFor(() => onlyOkA.length > 0, 5000, 'filtered outcome');
    expect(onlyOkA.map((r) => r.status.subscription_id)).toEqual([okA.id]);
    await waitFor(() => tailed.length > 0, 5000, 'hookstream tail printed the outcome');
    expect(tailed.map((line) => JSON.parse(line) as DeliveryStatusMessage)).toEqual([expect.objectContaining({ subscription_id: failA.id, outcome: 'retry_scheduled', status_code: 500 })]);
    const exited = new Promise<number | null>((resolve) => tail?.once('exit', (code) => resolve(code)));
    tail.kill('SIGINT');
    expect(await exited).toBe(0);
    tail = null;
  }, 60_000);

  it('lists deliveries by subscription, status, status code, event type and time, newest first, with a cursor', async () => {
    const later = await accept(tenantA, 'order.shipped');
    const ids = { okFirst: deliveryId(tenantA, eventA.id, okA.id), failFirst: deliveryId(tenantA, eventA.id, failA.id), okLater: deliveryId(tenantA, later.id, okA.id), failLater: deliveryId(tenantA, later.id, failA.id) };
    await waitFor(async () => (await stack.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status <> 'pending'`, [Object.values(ids)]))[0]?.n === 4, 30_000, 'four deliveries attempted');
    const list = async (query: string, key = keyA) => {
      const res = await call<Page<DeliveryView>>('GET', `/v1/deliveries?${query}`, key);
      expect({ query, status: res.status }).toEqual({ query, status: 200 });
      return res.body;
    };
    const idsOf = (p: Page<DeliveryView>) => p.data.map((d) => d.id);
    const all = await list('');
    expect(new Set(idsOf(all))).toEqual(new Set(Object.values(ids)));
    // Newest first: the later event's deliveries come before the first event's.
    expect(idsOf(all).slice(2).sort()).toEqual([ids.okFirst, ids.failFirst].sort());
    expect(idsOf(await list(`subscription_id=${failA.id}`)).sort()).toEqual([ids.failFirst, ids.failLater].sort());
    expect(idsOf(await list('status=delivered')).sort()).toEqual([ids.okFirst, ids.okLater].sort());
    expect(idsOf(await list('status=failing&status_code=5xx')).sort()).toEqual([ids.failFirst, ids.failLater].sort());
    expect(idsOf(await list('status_code=500&event_type=order.shipped'))).toEqual([ids.failLater]);
    expect(idsOf(await list('event_type=order.*'))).toHaveLength(4);
    expect(idsOf(await list(`since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`))).toEqual([]);
    expect((await call('GET', '/v1/deliveries?status=lost', keyA)).status).toBe(422);

    const pages: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const page: Page<DeliveryView> = await list(`limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      pages.push(...idsOf(page));
      cursor = page.next_cursor;
    }
    expect(pages).toEqual(idsOf(all));

    // Tenant scope: B sees only its own; an admin sees both, or the one it names.
    expect(idsOf(await list('', keyB))).toEqual([deliveryId(tenantB, eventB.id, okB.id)]);
    expect(idsOf(await list(`tenant_id=${tenantA}`, stack.adminKey)).sort()).toEqual(Object.values(ids).sort());
    expect(new Set((await list('limit=500', stack.adminKey)).data.map((d) => d.tenant_id))).toEqual(new Set([tenantA, tenantB]));
  }, 60_000);

  it('shows every attempt with the headers sent, signatures and secrets redacted, the answer, duration and error class', async () => {
    // The retry-scheduler's pending row, as it would store it (it does not run here).
    const dueAt = await stack.query<{ due_at: Date }>(
      `INSERT INTO scheduled_retries (delivery_id, tenant_id, subscription_id, attempt, due_at, message) VALUES ($1, $2, $3, 2, now() + interval '1 hour', '{}')
       ON CONFLICT (delivery_id) DO UPDATE SET due_at = EXCLUDED.due_at RETURNING due_at`,
      [deliveryId(tenantA, eventA.id, failA.id), tenantA, failA.id],
    );
    const failed = await call<DeliveryDetail>('GET', `/v1/deliveries/${deliveryId(tenantA, eventA.id, failA.id)}`, keyA);
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: 'failing', attempts: 1, generation: 0, last_status_code: 500, event_id: eventA.id, subscription_id: failA.id, delivered_at: null });
    expect(failed.body.next_retry_at).toBe(dueAt[0]?.due_at.toISOString());
    const [attempt] = failed.body.attempt_history;
    expect(attempt).toMatchObject({ attempt: 1, origin: 'fanout', outcome: 'retry_scheduled', status_code: 500, error_class: 'http_status', response_body: 'nope: database down', request_url: `${receiver.url}/fail` });
    expect(attempt?.duration_ms).toEqual(expect.any(Number));
    expect(attempt?.request_headers).toMatchObject({ 'webhook-id': eventA.id, 'webhook-signature': '[redacted]', 'content-type': 'application/json' });

    const ok = await call<DeliveryDetail>('GET', `/v1/deliveries/${deliveryId(tenantA, eventA.id, okA.id)}`, keyA);
    expect(ok.body).toMatchObject({ status: 'delivered', next_retry_at: null });
    expect(Date.parse(ok.body.delivered_at ?? '')).toBeGreaterThanOrEqual(Date.parse(ok.body.created_at));
    const headers = ok.body.attempt_history[0]?.request_headers ?? {};
    expect(headers).toMatchObject({ 'x-api-key': '[redacted]', 'x-team': 'payments', 'webhook-signature': '[redacted]' });
    // What the receiver really got was signed and carried the secret; none of it was stored.
    const [sent] = requestsFor(eventA, '/ok');
    expect(sent?.headers['x-api-key']).toBe(partnerSecret);
    expect(sent?.headers['webhook-signature']).toMatch(/^v1,/);
    const leaked = await stack.query<{ n: number }>(`SELECT count(*)::int AS n FROM delivery_attempts WHERE request_headers::text LIKE $1 OR request_headers::text LIKE '%v1,%'`, [`%${partnerSecret}%`]);
    expect(leaked[0]?.n).toBe(0);

    expect((await call('GET', `/v1/deliveries/${deliveryId(tenantA, eventA.id, okA.id)}`, keyB)).status).toBe(404);
    expect((await call('GET', `/v1/deliveries/${randomUUID()}`, keyA)).status).toBe(404);
    expect((await call('GET', `/v1/deliveries/${deliveryId(tenantA, eventA.id, okA.id)}?tenant_id=${tenantA}`, stack.adminKey)).status).toBe(200);
  }, 30_000);

  it('lists events and the deliveries each one caused', async () => {
    const events = await call<Page<EventView>>('GET', '/v1/events?type=order.*', keyA);
    expect(events.status).toBe(200);
    expect(events.body.data.map((e) => e.type)).toEqual(['order.shipped', 'order.placed']);
    expect(events.body.data[1]).toMatchObject({ id: eventA.id, tenant_id: tenantA, data: eventA.data, source: 'http' });
    const first = await call<Page<EventView>>('GET', '/v1/events?limit=1', keyA);
    const second = await call<Page<EventView>>('GET', `/v1/events?limit=1&cursor=${first.body.next_cursor ?? ''}`, keyA);
    expect([...first.body.data, ...second.body.data].map((e) => e.id)).toEqual(events.body.data.map((e) => e.id));
    expect((await call<Page<EventView>>('GET', `/v1/events?since=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`, keyA)).body.data).toEqual([]);
    expect((await call<Page<EventView>>('GET', '/v1/events', keyB)).body.data.map((e) => e.id)).toEqual([eventB.id]);

    const caused = await call<Page<DeliveryView>>('GET', `/v1/events/${eventA.id}/deliveries`, keyA);
    expect(caused.status).toBe(200);
    expect(caused.body.data.map((d) => d.subscription_id).sort()).toEqual([okA.id, failA.id].sort());
    expect((await call('GET', `/v1/events/${eventA.id}/deliveries`, keyB)).status).toBe(404);
    expect((await call('GET', `/v1/events/evt_${randomUUID()}/deliveries`, keyA)).status).toBe(404);
  }, 30_000);

  it('retries a delivered delivery now with the same webhook-id and body, audited, once per Idempotency-Key', async () => {
    const id = deliveryId(tenantA, eventA.id, okA.id);
    const before = requestsFor(eventA, '/ok');
    expect(before).toHaveLength(1);
    const retried = await call<DeliveryRetryView>('POST', `/v1/deliveries/${id}/retry`, keyA, { reason: 'partner lost it in a deploy' }, { 'idempotency-key': 'retry-1' });
    expect(retried.status).toBe(202);
    expect(retried.body).toMatchObject({ delivery_id: id, kind: 'retry', status: 'sent', generation: 1, reason: 'partner lost it in a deploy', created: true });
    const [again] = (await receiver.waitForRequests(2, 30_000, (r) => r.path === '/ok' && r.headers['webhook-id'] === eventA.id)).slice(1);
    expect(again?.body).toBe(before[0]?.body);

    const repeat = await call<DeliveryRetryView>('POST', `/v1/deliveries/${id}/retry`, keyA, { reason: 'partner lost it in a deploy' }, { 'idempotency-key': 'retry-1' });
    expect(repeat.body).toMatchObject({ retry_id: retried.body.retry_id, created: false });

    await waitFor(async () => (await call<DeliveryDetail>('GET', `/v1/deliveries/${id}`, keyA)).body.generation === 1 || undefined, 30_000, 'retry recorded');
    const detail = await call<DeliveryDetail>('GET', `/v1/deliveries/${id}`, keyA);
    expect(detail.body).toMatchObject({ status: 'delivered', generation: 1, attempts: 1 });
    expect(detail.body.attempt_history.map((a) => a.origin)).toEqual(['fanout', 'replay']);
    expect(detail.body.retries).toEqual([expect.objectContaining({ retry_id: retried.body.retry_id, kind: 'retry', status: 'sent', generation: 1, reason: 'partner lost it in a deploy', requested_by: expect.any(String) })]);
    expect(requestsFor(eventA, '/ok')).toHaveLength(2);

    // Another tenant cannot retry it; a disabled subscription's delivery is refused, not sent.
    expect((await call('POST', `/v1/deliveries/${id}/retry`, keyB, {})).status).toBe(404);
    await stack.query(`UPDATE subscriptions SET enabled = false, disabled_reason = 'manual' WHERE id = $1`, [failA.id]);
    const refused = await call<{ code: string }>('POST', `/v1/deliveries/${deliveryId(tenantA, eventA.id, failA.id)}/retry`, keyA, {});
    expect(refused).toMatchObject({ status: 409, body: { code: 'conflict' } });
    await stack.query(`UPDATE subscriptions SET enabled = true, disabled_reason = NULL WHERE id = $1`, [failA.id]);
  }, 60_000);

  it('answers endpoint health from the aggregates: rates, latency, last success and failure, breaker, pending retries, dead letters', async () => {
    // A pending retry and a dead letter of the failing subscription, as their owners store them.
    const failing = deliveryId(tenantA, eventA.id, failA.id);
    await stack.query(`INSERT INTO scheduled_retries (delivery_id, tenant_id, subscription_id, attempt, due_at, message) VALUES ($1, $2, $3, 2, now() + interval '1 hour', '{}') ON CONFLICT DO NOTHING`, [failing, tenantA, failA.id]);
    const letter = deadLetter({ tenantId: tenantA, subscriptionId: failA.id });
    await produceDeadLetters(stack, [letter]);
    await waitForStored(stack, [letter]);

    const bad = await call<EndpointHealthView>('GET', `/v1/endpoint-health/${failA.id}`, keyA);
    expect(bad.status).toBe(200);
    expect(bad.body).toMatchObject({
      subscription_id: failA.id,
      tenant_id: tenantA,
      last_hour: { attempts: 2, successes: 0, failures: 2, success_rate: 0 },
      last_day: { attempts: 2, failures: 2 },
      last_success_at: null,
      last_failure: { status_code: 500, error_class: 'http_status' },
      breaker: { state: 'closed' },
      pending_retries: expect.any(Number),
      dead_letters: 1,
    });
    expect(bad.body.pending_retries).toBeGreaterThanOrEqual(1);
    expect(bad.body.last_hour.p50_ms).toEqual(expect.any(Number));

    const good = await call<EndpointHealthView>('GET', `/v1/endpoint-health/${okA.id}`, keyA);
    expect(good.body).toMatchObject({ last_hour: { attempts: 3, successes: 3, failures: 0, success_rate: 1 }, last_failure: null, pending_retries: 0, dead_letters: 0 });
    expect(Date.parse(good.body.last_success_at ?? '')).toBeGreaterThan(Date.now() - 120_000);
    expect(good.body.last_hour.p95_ms).toBeGreaterThanOrEqual(good.body.last_hour.p50_ms ?? 0);
    // The same figures over time, for charts: every minute of the hour and hour of the day, quiet ones as 0.
    const { minutes, hours } = good.body.series;
    expect([minutes.length >= 60 && minutes.length <= 61, hours.length]).toEqual([true, 24]);
    expect(minutes.reduce((n, p) => n + p.attempts, 0)).toBe(3);
    expect(hours.reduce((n, p) => n + p.successes, 0)).toBe(3);
    expect(minutes.map((p) => Date.parse(p.start)).every((t, i, all) => i === 0 || t - (all[i - 1] ?? 0) === 60_000)).toBe(true);
    expect(minutes.find((p) => p.attempts > 0)).toMatchObject({ success_rate: 1, p50_ms: expect.any(Number) });

    // Only the last day counts; the dispatcher keeps a week of buckets, so older news still shows.
    const old = () => stack.query<{ span: string }>(`SELECT span FROM endpoint_health_buckets WHERE subscription_id = $1 AND bucket_start < now() - interval '2 days'`, [okB.id]);
    await waitFor(async () => (await old()).length === 1, 30_000, 'old buckets pruned');
    expect(await old()).toEqual([{ span: 'hour' }]);
    const b = await call<EndpointHealthView>('GET', `/v1/endpoint-health/${okB.id}`, keyB);
    expect(b.body).toMatchObject({ last_hour: { attempts: 1 }, last_day: { attempts: 1 } });

    expect((await call('GET', `/v1/endpoint-health/${okA.id}`, keyB)).status).toBe(404);
    expect((await call('GET', `/v1/endpoint-health/${okA.id}?tenant_id=${tenantA}`, stack.adminKey)).status).toBe(200);
    expect((await call('GET', `/v1/endpoint-health/${randomUUID()}`, keyA)).status).toBe(404);
  }, 60_000);

  it('keeps an idle stream open with heartbeat comments', async () => {
    const stop = new AbortController();
    const deadline = setTimeout(() => stop.abort(), 5000);
    const res = await fetch(`${inspector.url}/v1/deliveries/stream?subscription_id=${randomUUID()}`, { headers: { authorization: `Bearer ${keyB}` }, signal: stop.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    let text = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body ?? []) {
        text += decoder.decode(chunk as Uint8Array, { stream: true });
        if (text.includes(': heartbeat')) break;
      }
    } catch (err) {
      if (!stop.signal.aborted) throw err;
    } finally {
      clearTimeout(deadline);
      stop.abort();
    }
    expect(text).toMatch(/^retry: \d+\n: connected\n\n/);
    expect(text).toContain(': heartbeat');
    expect(text).not.toContain('data:');
  }, 15_000);

  it('ends every live stream when it shuts down', async () => {
    const source = streams[0];
    if (!source) throw new Error('no stream');
    const ended = new Promise<void>((resolve) => {
      source.onerror = () => resolve();
    });
    await inspector.stop();
    await ended;
    expect(source.readyState).not.toBe(EventSource.OPEN);
  }, 30_000);
});
