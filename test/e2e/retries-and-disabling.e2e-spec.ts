import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { type DeadLetterMessage, type SubscriptionDisabledData, subscriptionDisabledDataSchema } from '@hookstream/contracts';
import {
  collectTopic,
  type ReceivedRequest,
  type ReceiverResponse,
  type TopicCollector,
  usePipeline,
  waitFor,
} from '@hookstream/testing';
import { Webhook } from 'standardwebhooks';

const AUTO_DISABLE_AFTER_MS = 6000;

/**
 * Retries and their consequences across the five services: a subscription's own schedule (and a
 * receiver's Retry-After) set the retry times; a 410, or failures for the auto-disable span,
 * disable the subscription, and the tenant's subscribers of subscription.disabled hear about it.
 */
describe('retries and disabling (five services, real Kafka/Postgres/Redis)', () => {
  let dlq: TopicCollector<DeadLetterMessage>;
  const answers = new Map<string, (req: ReceivedRequest, nth: number) => ReceiverResponse>();

  const fx = usePipeline('disabling', {
    receiver: {
      respond: (req) => {
        const answer = answers.get(req.path);
        const nth = fx.receiver.requests.filter((r) => r.path === req.path).length;
        return answer ? answer(req, nth) : { status: 200, body: 'ok' };
      },
    },
    env: {
      'subscription-registry': { AUTO_DISABLE_AFTER: `${AUTO_DISABLE_AFTER_MS}ms` },
      // Every path is on one host: keep its breaker shut, the failures here are meant to be seen.
      // Tenant switches seen within 300 ms; a paused tenant's pending deliveries look again every second.
      dispatcher: { RETRY_DELAYS: '1s,1s,1s,1s,1s,1s,1s,1s,1s,1s', BREAKER_VOLUME_THRESHOLD: '1000', TENANT_STATE_REFRESH_MS: '300', TENANT_PAUSE_RECHECK_MS: '1000', LEASE_SWEEP_INTERVAL_MS: '500' },
    },
  });

  beforeAll(async () => {
    dlq = await collectTopic(fx.stack, 'hookstream.dlq', (v) => v as DeadLetterMessage);
    fx.defer(() => dlq.stop());
  }, 60_000);


  async function subscribe(apiKey: string, path: string, eventTypes: string[], extra: Record<string, unknown> = {}) {
    const secret = `whsec_${randomBytes(24).toString('base64')}`;
    const res = await fx.pipeline.call<{ id: string }>('subscription-registry', 'POST', '/v1/subscriptions', apiKey, { url: `${fx.receiver.url}${path}`, event_types: eventTypes, secret, ...extra });
    expect(res.status).toBe(201);
    return { id: res.body.id, secret };
  }

  async function publish(tenantId: string, apiKey: string, type = 'order.placed') {
    const event = { id: `evt_${randomUUID()}`, type, tenant_id: tenantId, occurred_at: new Date().toISOString(), data: { order_id: 'ord_1' } };
    expect((await fx.pipeline.call('ingress-gateway', 'POST', '/v1/events', apiKey, event)).status).toBe(202);
    return event;
  }

  const at = (path: string) => fx.receiver.requests.filter((r) => r.path === path);

  /** The subscription.disabled delivery a watcher got for `subscriptionId`, signature checked. */
  async function announcement(path: string, secret: string, subscriptionId: string): Promise<{ id: string; data: SubscriptionDisabledData }> {
    const [req] = await waitFor(() => {
      const got = at(path).filter((r) => (JSON.parse(r.body) as { type: string; data: { subscription_id?: string } }).type === 'subscription.disabled' && r.body.includes(subscriptionId));
      return got.length ? got : undefined;
    }, 60_000, 'the subscription.disabled delivery');
    if (!req) throw new Error('no delivery');
    const body = new Webhook(secret).verify(req.body, {
      'webhook-id': String(req.headers['webhook-id']),
      'webhook-timestamp': String(req.headers['webhook-timestamp']),
      'webhook-signature': String(req.headers['webhook-signature']),
    }) as { id: string; type: string; data: unknown };
    expect(req.headers['webhook-id']).toBe(body.id);
    return { id: body.id, data: subscriptionDisabledDataSchema.parse(body.data) };
  }

  async function subscriptionOf(apiKey: string, id: string) {
    return (await fx.pipeline.call<{ enabled: boolean; disabled_reason: string | null; version: number }>('subscription-registry', 'GET', `/v1/subscriptions/${id}`, apiKey)).body;
  }

  it('retries on the subscription\'s own schedule, stretched by a Retry-After, then dead-letters', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    answers.set('/schedule', (_, nth) => (nth === 2 ? { status: 503, headers: { 'retry-after': '2' }, body: 'busy' } : { status: 503, body: 'down' }));
    const { id } = await subscribe(apiKey, '/schedule', ['order.*'], { retry_policy: { kind: 'schedule', delays_seconds: [1, 1, 2] } });
    const event = await publish(tenantId, apiKey);

    const attempts = await fx.receiver.waitForRequests(4, 30_000, (r) => r.path === '/schedule');
    const gaps = attempts.slice(1).map((r, i) => r.at - (attempts[i]?.at ?? 0));
    // 1 s; then 2 s, as the second answer's Retry-After asked (more than the 1 s scheduled); then 2 s.
    // Never early; late by less than 1.5 s even on a loaded machine.
    [1000, 2000, 2000].forEach((expected, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected);
      expect(gaps[i]).toBeLessThan(expected + 1500);
    });
    for (const a of attempts) expect(a.headers['webhook-id']).toBe(event.id);

    const letter = await waitFor(() => dlq.values.find((l) => l.delivery.event_id === event.id), 30_000, 'the dead letter');
    expect(letter).toMatchObject({ attempts: 4, failure: { status_code: 503 } });
    expect(letter.reason).toContain('503');
    await new Promise((r) => setTimeout(r, 1500));
    expect(at('/schedule')).toHaveLength(4);
    // Five seconds of failures is inside the six-second span: still enabled, and says so.
    expect((await subscriptionOf(apiKey, id)).enabled).toBe(true);
    const health = await fx.pipeline.call<{ status: string; last_status_code: number }>('subscription-registry', 'GET', `/v1/subscriptions/${id}/health`, apiKey);
    expect(health.body).toMatchObject({ status: 'failing', last_status_code: 503 });
  });

  it('holds a disabled tenant\'s deliveries (new events stored, pending retries waiting) and sends them all once it is enabled', async () => {
    const paused = await fx.pipeline.createTenant();
    const other = await fx.pipeline.createTenant();
    answers.set('/paused-retry', (_, nth) => (nth === 1 ? { status: 500, body: 'first attempt fails' } : { status: 200, body: 'ok' }));
    const retrying = await subscribe(paused.apiKey, '/paused-retry', ['order.retry']);
    await subscribe(paused.apiKey, '/paused', ['order.placed']);
    await subscribe(other.apiKey, '/not-paused', ['order.placed']);
    const setEnabled = (enabled: boolean, key = fx.stack.adminKey) => fx.pipeline.call<{ enabled: boolean; enabled_changed_at: string | null }>('subscription-registry', 'PATCH', `/v1/tenants/${paused.tenantId}`, key, { enabled });

    // A delivery whose first attempt failed: its retry is due in a second.
    const pending = await publish(paused.tenantId, paused.apiKey, 'order.retry');
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/paused-retry');
    expect((await setEnabled(false, paused.apiKey)).status).toBe(403);
    const off = await setEnabled(false);
    expect(off.body).toMatchObject({ enabled: false });
    expect(Date.parse(off.body.enabled_changed_at ?? '')).toBeGreaterThan(Date.now() - 10_000);
    await new Promise((r) => setTimeout(r, 600));

    // Accepted and stored while off; another tenant is not held up.
    const held = [await publish(paused.tenantId, paused.apiKey), await publish(paused.tenantId, paused.apiKey)];
    const free = await publish(other.tenantId, other.apiKey);
    await fx.receiver.waitForRequests(1, 30_000, (r) => r.path === '/not-paused' && r.body.includes(free.id));
    expect((await fx.stack.query('SELECT id FROM events WHERE id = ANY($1)', [held.map((e) => e.id)])).length).toBe(2);
    await new Promise((r) => setTimeout(r, 3000));
    expect(at('/paused')).toHaveLength(0);
    expect(at('/paused-retry')).toHaveLength(1);
    const waiting = await fx.stack.query<{ last_error: string }>('SELECT last_error FROM deliveries WHERE subscription_id = $1', [retrying.id]);
    expect(waiting[0]?.last_error).toMatch(/^its tenant is disabled; postponed to /);

    const on = await setEnabled(true);
    expect(on.body).toMatchObject({ enabled: true });
    const sent = await fx.receiver.waitForRequests(2, 30_000, (r) => r.path === '/paused');
    expect(sent.map((r) => r.headers['webhook-id']).sort()).toEqual(held.map((e) => e.id).sort());
    const retried = await fx.receiver.waitForRequests(2, 30_000, (r) => r.path === '/paused-retry');
    expect(retried[1]?.headers['webhook-id']).toBe(pending.id);
    // The pause spent no attempt and wrote no attempt rows: the failure, then the delivery.
    const rows = await waitFor(async () => {
      const r = await fx.stack.query<{ attempt: number; outcome: string }>('SELECT attempt, outcome FROM delivery_attempts WHERE subscription_id = $1 ORDER BY started_at', [retrying.id]);
      return r.length === 2 ? r : undefined;
    }, 10_000, 'two attempt rows');
    expect(rows).toEqual([{ attempt: 1, outcome: 'retry_scheduled' }, { attempt: 2, outcome: 'delivered' }]);
  });

  it('disables a subscription whose endpoint answers 410, and its tenant\'s subscribers of subscription.disabled hear it', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    answers.set('/gone', () => ({ status: 410, body: 'this endpoint is gone' }));
    const gone = await subscribe(apiKey, '/gone', ['order.*'], { name: 'Old ERP' });
    const watcher = await subscribe(apiKey, '/watch-gone', ['subscription.disabled']);
    await publish(tenantId, apiKey);

    const { id, data } = await announcement('/watch-gone', watcher.secret, gone.id);
    const sub = await subscriptionOf(apiKey, gone.id);
    expect(sub).toMatchObject({ enabled: false, disabled_reason: 'gone' });
    expect(id).toBe(`evt_subscription_disabled_${gone.id}_v${sub.version}`);
    expect(data).toMatchObject({ subscription_id: gone.id, name: 'Old ERP', url: `${fx.receiver.url}/gone`, reason: 'gone', last_status_code: 410, last_error_class: 'gone' });
    expect(Date.parse(data.failing_since)).toBeLessThanOrEqual(Date.parse(data.disabled_at));

    // Disabled, it gets nothing more; the watcher heard of it once.
    await publish(tenantId, apiKey);
    await new Promise((r) => setTimeout(r, 2000));
    expect(at('/gone')).toHaveLength(1);
    expect(at('/watch-gone').filter((r) => r.body.includes('"subscription.disabled"'))).toHaveLength(1);
  });

  it('auto-disables a subscription that failed for the whole span, and a strict catalog accepts the announcement', async () => {
    const { tenantId, apiKey } = await fx.pipeline.createTenant();
    expect((await fx.pipeline.call('subscription-registry', 'POST', '/v1/event-types', apiKey, { name: 'order.placed' })).status).toBe(201);
    expect((await fx.pipeline.call('subscription-registry', 'PUT', `/v1/tenants/${tenantId}/catalog-mode`, apiKey, { strict_event_types: true })).status).toBe(200);
    answers.set('/failing', () => ({ status: 500, body: 'internal error' }));
    const failing = await subscribe(apiKey, '/failing', ['order.placed']);
    // Before the first disablement the strict catalog has no subscription.disabled: `*` is how
    // a strict tenant listens to everything.
    const watcher = await subscribe(apiKey, '/watch-all', ['*']);
    await publish(tenantId, apiKey);

    const { data } = await announcement('/watch-all', watcher.secret, failing.id);
    expect(await subscriptionOf(apiKey, failing.id)).toMatchObject({ enabled: false, disabled_reason: 'auto_disabled' });
    const attempts = at('/failing');
    expect(data).toMatchObject({ subscription_id: failing.id, reason: 'auto_disabled', last_status_code: 500, last_error_class: 'http_status' });
    // The span runs from the first failed attempt to the one that completed it.
    expect(Math.abs(Date.parse(data.failing_since) - (attempts[0]?.at ?? 0))).toBeLessThan(1000);
    expect(Date.parse(data.disabled_at) - Date.parse(data.failing_since)).toBeGreaterThanOrEqual(AUTO_DISABLE_AFTER_MS);
    const sent = attempts.length;
    await new Promise((r) => setTimeout(r, 2500));
    expect(at('/failing')).toHaveLength(sent);
  });
});
