import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeadLetterMessage, DeliveryMessage, DeliveryStatusMessage, RetryMessage, SubscriptionSnapshot } from '@hookstream/contracts';
import { collectTopic, createTestStack, type ReceiverResponse, type ServiceProcess, TestReceiver, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { event, metricValue, produce, publishEvents, publishSubscriptions, scrape, startDispatcher, subscription } from './harness.js';

/**
 * Every outcome class against real endpoints on loopback: what the receiver saw, the attempt
 * row, the delivery's summary, and the follow-up messages on Kafka.
 */
describe('dispatcher outcome classes', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let receiver: TestReceiver;
  let resetServer: Server;
  let goneAnswer = 410;
  const subs: Record<string, SubscriptionSnapshot> = {};
  let statuses: TopicCollector<DeliveryStatusMessage>;
  let retries: TopicCollector<RetryMessage>;
  let dead: TopicCollector<DeadLetterMessage>;
  const tenant = 'outcomes';

  beforeAll(async () => {
    stack = await createTestStack('outcomes');
    receiver = await TestReceiver.start({
      respond: async (req): Promise<ReceiverResponse> => {
        switch (req.path) {
          case '/redirect':
            return { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } };
          case '/gone':
            return { status: goneAnswer, body: 'no such endpoint' };
          case '/busy':
            return { status: 429, headers: { 'retry-after': '120' }, body: 'slow down' };
          case '/error':
            return { status: 500, body: 'internal error' };
          case '/slow':
            await new Promise((r) => setTimeout(r, 3000));
            return { status: 200 };
          case '/huge':
            return { status: 200, body: `${'é'.repeat(1000)}${'x'.repeat(64 * 1024)}` };
          default:
            return { status: 204 };
        }
      },
    });
    // Answers nothing: every connection is torn down as soon as the request arrives.
    resetServer = createServer((req) => req.socket.destroy());
    await new Promise<void>((r) => resetServer.listen(0, '127.0.0.1', () => r()));
    const resetUrl = `http://127.0.0.1:${(resetServer.address() as AddressInfo).port}/reset`;
    for (const name of ['ok', 'redirect', 'gone', 'busy', 'error', 'slow', 'huge']) {
      subs[name] = subscription(tenant, `${receiver.url}/${name}`, { event_types: [`case.${name}`], ...(name === 'slow' ? { timeout_ms: 1000 } : {}) });
    }
    subs['reset'] = subscription(tenant, resetUrl, { event_types: ['case.reset'] });
    // Refused by the SSRF guard before any socket exists (10.0.0.0/8 is not allowlisted).
    subs['private'] = subscription(tenant, 'http://10.0.0.1/hook', { event_types: ['case.private'] });
    await publishSubscriptions(stack, Object.values(subs));
    statuses = await collectTopic(stack, 'hookstream.delivery-status', (v) => v as DeliveryStatusMessage);
    retries = await collectTopic(stack, 'hookstream.retries', (v) => v as RetryMessage);
    dead = await collectTopic(stack, 'hookstream.dlq', (v) => v as DeadLetterMessage);
    dispatcher = await startDispatcher(stack, { RETRY_DELAYS: '5s,5m', BREAKER_VOLUME_THRESHOLD: '1000' });
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await Promise.all([statuses?.stop(), retries?.stop(), dead?.stop()]);
    await receiver?.close();
    resetServer?.closeAllConnections();
    await new Promise((r) => resetServer?.close(r));
    await stack?.close();
  }, 60_000);

  type AttemptRow = { attempt: number; outcome: string; status_code: number | null; error_class: string | null; error_message: string | null; response_body: string | null; duration_ms: number };
  const attemptsOf = (sub: SubscriptionSnapshot) =>
    stack.query<AttemptRow>('SELECT attempt, outcome, status_code, error_class, error_message, response_body, duration_ms FROM delivery_attempts WHERE subscription_id = $1 ORDER BY started_at', [sub.id]);
  const statusOf = (sub: SubscriptionSnapshot, eventId: string) => statuses.values.find((s) => s.subscription_id === sub.id && s.event_id === eventId);

  it('classifies 2xx, 3xx, 410, 429 with Retry-After, 500, a timeout, a reset, an oversized body and an SSRF refusal', async () => {
    const events = Object.fromEntries(Object.keys(subs).map((name) => [name, event(tenant, `case.${name}`)]));
    const publishedAt = Date.now();
    await publishEvents(stack, Object.values(events));
    await waitFor(() => Object.entries(subs).every(([name, sub]) => statusOf(sub, events[name]?.id ?? '')), 30_000, 'an outcome for every case');

    const expected: Record<string, { outcome: string; status_code: number | null; error_class: string | null }> = {
      ok: { outcome: 'delivered', status_code: 204, error_class: null },
      redirect: { outcome: 'retry_scheduled', status_code: 302, error_class: 'http_status' },
      gone: { outcome: 'dead_lettered', status_code: 410, error_class: 'gone' },
      busy: { outcome: 'retry_scheduled', status_code: 429, error_class: 'http_status' },
      error: { outcome: 'retry_scheduled', status_code: 500, error_class: 'http_status' },
      slow: { outcome: 'retry_scheduled', status_code: null, error_class: 'timeout' },
      reset: { outcome: 'retry_scheduled', status_code: null, error_class: 'connection' },
      huge: { outcome: 'delivered', status_code: 200, error_class: null },
      private: { outcome: 'dead_lettered', status_code: null, error_class: 'ssrf_refused' },
    };
    for (const [name, sub] of Object.entries(subs)) {
      const rows = await waitFor(async () => {
        const r = await attemptsOf(sub);
        return r.length === 1 ? r : undefined;
      }, 10_000, `the attempt row of ${name}`);
      expect({ name, ...pick(rows[0]) }).toEqual({ name, attempt: 1, ...expected[name] });
      expect({ name, status: pick(statusOf(sub, events[name]?.id ?? '')) }).toEqual({ name, status: { attempt: 1, ...expected[name] } });
    }

    // A 3xx is not followed: the receiver saw only the redirecting request.
    expect(receiver.requests.filter((r) => r.path === '/elsewhere')).toHaveLength(0);
    // The timeout is the subscription's own (1 s), not the receiver's 3 s.
    const [slow] = await attemptsOf(subs['slow']);
    expect(slow?.duration_ms).toBeGreaterThanOrEqual(900);
    expect(slow?.duration_ms).toBeLessThan(2500);
    expect(slow?.error_message).toContain('timeout');
    // Only the first 4 KiB of the body are stored, cut on a character boundary.
    const [huge] = await attemptsOf(subs['huge']);
    expect(Buffer.byteLength(huge?.response_body ?? '')).toBe(4096);
    expect(huge?.response_body?.startsWith('éé')).toBe(true);
    const [error] = await attemptsOf(subs['error']);
    expect(error?.response_body).toBe('internal error');

    // 429 honours Retry-After (120 s) over the schedule's 5 s; 500 follows the schedule.
    const retryOf = (name: string) => retries.values.find((r) => r.delivery.subscription_id === subs[name]?.id);
    const busy = await waitFor(() => retryOf('busy'), 10_000, 'the 429 retry');
    expect(busy.delivery.attempt).toBe(2);
    expect(Date.parse(busy.due_at) - publishedAt).toBeGreaterThanOrEqual(119_000);
    expect(Date.parse(busy.due_at) - publishedAt).toBeLessThan(135_000);
    const err = await waitFor(() => retryOf('error'), 10_000, 'the 500 retry');
    expect(Date.parse(err.due_at) - publishedAt).toBeGreaterThanOrEqual(4_000);
    expect(Date.parse(err.due_at) - publishedAt).toBeLessThan(20_000);
    for (const name of ['redirect', 'slow', 'reset']) expect(retryOf(name)?.failure.error_class).toBe(expected[name]?.error_class);

    // 410 is dead-lettered at once with its reason, and reported as `gone` for the registry.
    const goneLetter = await waitFor(() => dead.values.find((d) => d.delivery.subscription_id === subs['gone']?.id), 10_000, 'the 410 dead letter');
    expect(goneLetter.failure).toMatchObject({ error_class: 'gone', status_code: 410 });
    expect(goneLetter.reason).toContain('410');
    expect(retryOf('gone')).toBeUndefined();
    // An SSRF refusal is permanent: straight to the DLQ with the reason.
    const refused = await waitFor(() => dead.values.find((d) => d.delivery.subscription_id === subs['private']?.id), 10_000, 'the SSRF dead letter');
    expect(refused.reason).toContain('private');
    expect(retryOf('private')).toBeUndefined();

    const summary = await stack.query<{ subscription_id: string; status: string; attempts: number }>('SELECT subscription_id, status, attempts FROM deliveries WHERE tenant_id = $1', [tenant]);
    const statusBySub = Object.fromEntries(summary.map((s) => [s.subscription_id, s.status]));
    expect(statusBySub[subs['ok']?.id ?? '']).toBe('delivered');
    expect(statusBySub[subs['gone']?.id ?? '']).toBe('dead');
    expect(statusBySub[subs['error']?.id ?? '']).toBe('failing');

    const metrics = await scrape(dispatcher);
    expect(metricValue(metrics, 'hookstream_deliveries_total', { status: 'delivered' })).toBe(2);
    expect(metricValue(metrics, 'hookstream_delivery_retries_total')).toBe(5);
    expect(metricValue(metrics, 'hookstream_delivery_http_responses_total', { code: '410' })).toBe(1);
    expect(metricValue(metrics, 'hookstream_delivery_duration_seconds_count')).toBe(9);
    expect(metrics).toMatch(/^hookstream_deliveries_in_flight \d+$/m);
    // Consumer lag per group and partition, read from the broker every second in these tests.
    await waitFor(async () => {
      const text = await scrape(dispatcher);
      const lines = text.split('\n').filter((l) => l.startsWith('hookstream_kafka_consumer_lag{'));
      const send = lines.filter((l) => l.includes('group="dispatcher-send"'));
      return send.length === 6 && lines.some((l) => l.includes('group="dispatcher-fanout"')) && send.every((l) => l.endsWith(' 0'));
    }, 15_000, 'consumer lag of every deliveries partition to be reported, and caught up');
  });

  it('stops sending to a subscription that answered 410 at once, until a newer version of it arrives', async () => {
    const gone = subs['gone'];
    const before = receiver.requests.filter((r) => r.path === '/gone').length;
    const burst = Array.from({ length: 5 }, () => event(tenant, 'case.gone'));
    await publishEvents(stack, burst);
    const letters = await waitFor(() => {
      const l = dead.values.filter((d) => burst.some((e) => e.id === d.delivery.event_id));
      return l.length === burst.length ? l : undefined;
    }, 20_000, 'the burst to be dead-lettered');
    for (const l of letters) expect(l.failure).toMatchObject({ error_class: 'subscription_disabled', status_code: null });
    expect(letters[0]?.reason).toContain('410');
    expect(receiver.requests.filter((r) => r.path === '/gone')).toHaveLength(before);

    // The tenant re-enables it (the registry bumps the version); the endpoint is back.
    goneAnswer = 200;
    await publishSubscriptions(stack, [{ ...gone, version: gone.version + 1 }]);
    await new Promise((r) => setTimeout(r, 1500));
    const again = event(tenant, 'case.gone');
    await publishEvents(stack, [again]);
    await receiver.waitForRequests(1, 20_000, (r) => r.path === '/gone' && bodyId(r.body) === again.id);
  });

  it('never sends one planned attempt twice, and sends a replay generation again', async () => {
    const ok = subs['ok'];
    const e = event(tenant, 'case.ok');
    await publishEvents(stack, [e]);
    const [first] = await receiver.waitForRequests(1, 20_000, (r) => r.path === '/ok' && bodyId(r.body) === e.id);
    const rows = await waitFor(async () => {
      const r = await stack.query<{ id: string; status: string }>('SELECT id, status FROM deliveries WHERE event_id = $1', [e.id]);
      return r[0]?.status === 'delivered' ? r : undefined;
    }, 10_000, 'the delivery to be recorded');
    const planned: DeliveryMessage = {
      delivery_id: rows[0]?.id ?? '',
      tenant_id: tenant,
      subscription_id: ok.id,
      event_id: e.id,
      event_type: e.type,
      attempt: 1,
      generation: 0,
      body: first?.body ?? '',
      origin: 'fanout',
      first_attempt_at: new Date().toISOString(),
    };
    // The same planned attempt three times (a redelivery, a retry-scheduler repeat), twice in one batch.
    await produce(stack, 'hookstream.deliveries', [planned, planned, planned].map((p) => ({ key: ok.id, value: p })));
    await waitFor(async () => metricValue(await scrape(dispatcher), 'hookstream_delivery_duplicates_skipped_total') >= 3, 15_000, 'the repeats to be skipped');
    expect(receiver.requests.filter((r) => bodyId(r.body) === e.id)).toHaveLength(1);

    await produce(stack, 'hookstream.deliveries', [{ key: ok.id, value: { ...planned, generation: 1, origin: 'replay' } }]);
    await receiver.waitForRequests(2, 20_000, (r) => bodyId(r.body) === e.id);
    const summary = await waitFor(async () => {
      const r = await stack.query<{ generation: number; attempts: number }>('SELECT generation, attempts FROM deliveries WHERE id = $1', [planned.delivery_id]);
      return r[0]?.generation === 1 ? r[0] : undefined;
    }, 10_000, 'generation 1 to be recorded');
    expect(summary).toEqual({ generation: 1, attempts: 1 });
  });
});

function pick(v: { attempt: number; outcome: string; status_code: number | null; error_class: string | null } | undefined) {
  return v ? { attempt: v.attempt, outcome: v.outcome, status_code: v.status_code, error_class: v.error_class } : undefined;
}

const bodyId = (body: string): string => (JSON.parse(body) as { id: string }).id;
