import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type DeliveryStatusMessage,
  type EventEnvelope,
  type SubscriptionDisabledData,
  subscriptionDisabledDataSchema,
  subscriptionRecoveredDataSchema,
  type SubscriptionSnapshot,
} from '@hookstream/contracts';
import { collectTopic, createTestStack, freePort, ServiceProcess, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import type { Producer } from 'kafkajs';

const DAY = 86_400_000;

function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The registry's reaction to hookstream.delivery-status, as a process against real Postgres and
 * Kafka, with the production span (5 days): the outcomes carry their own times, so days pass in
 * the messages, not in the test.
 */
describe('subscription-registry: auto-disable and 410', () => {
  let stack: TestStack;
  let registry: ServiceProcess;
  let producer: Producer;
  let ingest: TopicCollector<{ key: string | null; envelope: EventEnvelope }>;
  let changelog: TopicCollector<SubscriptionSnapshot>;

  beforeAll(async () => {
    stack = await createTestStack('health');
    registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), DELIVERY_ALLOWLIST_HOSTS: 'receiver.test', ORDERING_BACKLOG_CHECK_MS: '500' });
    registry.start();
    producer = stack.kafka.producer();
    await producer.connect();
    ingest = await collectTopic(stack, 'hookstream.ingest', (v, key) => ({ key, envelope: v as EventEnvelope }));
    changelog = await collectTopic(stack, 'hookstream.subscriptions', (v) => (v ? (v as SubscriptionSnapshot) : undefined));
    await registry.waitReady(90_000);
  }, 120_000);

  afterAll(async () => {
    await registry?.stop();
    await Promise.all([ingest?.stop(), changelog?.stop(), producer?.disconnect()]);
    await stack?.close();
  });

  async function call<T = Record<string, unknown>>(method: string, path: string, key: string, body?: unknown, url = registry.url) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  async function tenant() {
    const id = `t_${randomBytes(4).toString('hex')}`;
    expect((await call('POST', '/v1/tenants', stack.adminKey, { id, name: id })).status).toBe(201);
    const key = await call<{ key: string }>('POST', `/v1/tenants/${id}/api-keys`, stack.adminKey, { name: 'test' });
    return { id, key: key.body.key };
  }

  async function subscription(t: { key: string }, name = 'partner') {
    const res = await call<{ id: string }>('POST', '/v1/subscriptions', t.key, { url: `https://receiver.test/${name}`, name, event_types: ['order.*'] });
    expect(res.status).toBe(201);
    return res.body.id;
  }

  const t0 = Date.parse('2026-11-01T00:00:00Z');
  const status = (tenantId: string, subscriptionId: string, atMs: number, outcome: DeliveryStatusMessage['outcome'], errorClass: DeliveryStatusMessage['error_class'] = null, statusCode: number | null = null): DeliveryStatusMessage => ({
    delivery_id: randomUUID(),
    tenant_id: tenantId,
    subscription_id: subscriptionId,
    event_id: `evt_${randomUUID()}`,
    attempt: 1,
    outcome,
    status_code: statusCode,
    error_class: errorClass,
    duration_ms: outcome === 'postponed' ? null : 12,
    at: new Date(atMs).toISOString(),
  });
  const failed = (tenantId: string, subscriptionId: string, atMs: number, code = 503) => status(tenantId, subscriptionId, atMs, 'retry_scheduled', 'http_status', code);
  const delivered = (tenantId: string, subscriptionId: string, atMs: number) => status(tenantId, subscriptionId, atMs, 'delivered', null, 200);

  /** As the dispatcher does: to hookstream.delivery-status, keyed by tenant, in this order. */
  async function publish(...statuses: DeliveryStatusMessage[]): Promise<void> {
    await producer.send({ topic: `${stack.topicPrefix}hookstream.delivery-status`, messages: statuses.map((s) => ({ key: s.tenant_id, value: JSON.stringify(s) })) });
  }

  type Health = { status: string; failing_since: string | null; last_success_at: string | null; last_failure_at: string | null; last_status_code: number | null; auto_disable_at: string | null };
  const health = async (t: { key: string }, id: string) => (await call<Health>('GET', `/v1/subscriptions/${id}/health`, t.key)).body;
  /** The registry has consumed everything published so far once this marker subscription shows its failure. */
  async function settled(t: { id: string; key: string }): Promise<void> {
    const marker = await subscription(t, `marker-${randomUUID()}`);
    const at = Date.now();
    await publish(failed(t.id, marker, at));
    await waitFor(async () => (await health(t, marker)).last_failure_at === new Date(at).toISOString(), 20_000, 'the registry to catch up');
  }
  const systemEvents = (type: string, subscriptionId: string) => ingest.values.filter((v) => v.envelope.type === type && (v.envelope.data as { subscription_id?: string }).subscription_id === subscriptionId);
  const disabledEvents = (subscriptionId: string) => systemEvents('subscription.disabled', subscriptionId);

  it('disables a subscription at once when its endpoint answers 410, publishes the snapshot, and announces it once to the tenant', async () => {
    const t = await tenant();
    const id = await subscription(t, 'gone');
    await publish(failed(t.id, id, t0), status(t.id, id, t0 + 1000, 'dead_lettered', 'gone', 410));

    const sub = await waitFor(async () => {
      const res = await call<{ enabled: boolean; disabled_reason: string | null; version: number }>('GET', `/v1/subscriptions/${id}`, t.key);
      return res.body.enabled ? undefined : res.body;
    }, 20_000, 'the subscription to be disabled');
    expect(sub.disabled_reason).toBe('gone');
    expect(await health(t, id)).toMatchObject({ status: 'disabled', auto_disable_at: null });

    const snapshot = await waitFor(() => changelog.values.find((s) => s.id === id && !s.enabled), 20_000, 'the disabled snapshot on the changelog');
    expect(snapshot).toMatchObject({ enabled: false, disabled_reason: 'gone', version: sub.version });

    const [event] = await waitFor(() => (disabledEvents(id).length ? disabledEvents(id) : undefined), 20_000, 'the subscription.disabled event');
    expect(event?.key).toBe(t.id);
    expect(event?.envelope).toMatchObject({ id: `evt_subscription_disabled_${id}_v${sub.version}`, type: 'subscription.disabled', tenant_id: t.id });
    const data = subscriptionDisabledDataSchema.parse(event?.envelope.data);
    const expected: SubscriptionDisabledData = {
      subscription_id: id,
      name: 'gone',
      url: 'https://receiver.test/gone',
      reason: 'gone',
      disabled_at: data.disabled_at,
      failing_since: new Date(t0).toISOString(),
      last_status_code: 410,
      last_error_class: 'gone',
    };
    expect(data).toEqual(expected);
    expect(Date.parse(data.disabled_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(event?.envelope.occurred_at).toBe(data.disabled_at);

    // The catalog now knows the type, so a strict catalog accepts the event.
    const type = await call<{ name: string; schema: unknown }>('GET', '/v1/event-types/subscription.disabled', t.key);
    expect(type.status).toBe(200);
    expect(type.body.schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['subscription_id', 'reason', 'failing_since']) as unknown });

    // More 410s for the disabled subscription change nothing and announce nothing.
    await publish(status(t.id, id, t0 + 2000, 'dead_lettered', 'gone', 410));
    await settled(t);
    expect(disabledEvents(id)).toHaveLength(1);
  });

  it('pauses an ordered subscription holding more than its ordering_backlog_max, and leaves one within it alone', async () => {
    const t = await tenant();
    const create = (name: string, max: number) =>
      call<{ id: string; ordering: string; ordering_backlog_max: number }>('POST', '/v1/subscriptions', t.key, { url: `https://receiver.test/${name}`, name, event_types: ['order.*'], ordering: 'key', ordering_backlog_max: max });
    const over = await create('over', 3);
    const within = await create('within', 5);
    expect(over.body).toMatchObject({ ordering: 'key', ordering_backlog_max: 3 });
    // What the dispatchers hold: five waiting entries each (the dispatcher's ordered_entries, written here directly).
    for (const sub of [over.body.id, within.body.id]) {
      for (let i = 0; i < 5; i++) {
        await stack.query(
          `INSERT INTO ordered_entries (delivery_id, tenant_id, subscription_id, ordering_key, position, message) VALUES ($1, $2, $3, 'k', $4, '{}')`,
          [randomUUID(), t.id, sub, i],
        );
      }
    }
    const sub = await waitFor(async () => {
      const res = await call<{ enabled: boolean; disabled_reason: string | null; version: number }>('GET', `/v1/subscriptions/${over.body.id}`, t.key);
      return res.body.enabled ? undefined : res.body;
    }, 20_000, 'the subscription over its backlog to be paused');
    expect(sub.disabled_reason).toBe('ordering_backlog');
    const [event] = await waitFor(() => (disabledEvents(over.body.id).length ? disabledEvents(over.body.id) : undefined), 20_000, 'the subscription.disabled event');
    expect(subscriptionDisabledDataSchema.parse(event?.envelope.data)).toMatchObject({ reason: 'ordering_backlog', last_status_code: null });
    // The held entries stay where they are, in order, for when it is enabled again.
    expect(await stack.query(`SELECT position FROM ordered_entries WHERE subscription_id = $1 ORDER BY position`, [over.body.id])).toHaveLength(5);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await call<{ enabled: boolean }>('GET', `/v1/subscriptions/${within.body.id}`, t.key)).body.enabled).toBe(true);
    // Nonsense bounds are refused on the field.
    const bad = await call('POST', '/v1/subscriptions', t.key, { url: 'https://receiver.test/x', event_types: ['order.*'], ordering: 'key', ordering_backlog_max: 0 });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ code: 'validation_failed', details: [{ path: 'ordering_backlog_max' }] });
  });

  it('disables a subscription whose attempts have all failed for 5 days; a success, or a change to it, starts the span again', async () => {
    const t = await tenant();
    const id = await subscription(t, 'failing');
    await publish(failed(t.id, id, t0), failed(t.id, id, t0 + 2 * DAY), delivered(t.id, id, t0 + 3 * DAY));
    await publish(failed(t.id, id, t0 + 3.5 * DAY, 500), failed(t.id, id, t0 + 6 * DAY, 502));
    // Another dispatcher's success, produced a moment before the failure above but read after it,
    // ends nothing: it is older than the streak.
    await publish(delivered(t.id, id, t0 + 3.2 * DAY), failed(t.id, id, t0 + 8.4 * DAY, 504));
    await settled(t);
    expect(await health(t, id)).toEqual({
      subscription_id: id,
      status: 'failing',
      enabled: true,
      disabled_reason: null,
      last_success_at: new Date(t0 + 3.2 * DAY).toISOString(),
      failing_since: new Date(t0 + 3.5 * DAY).toISOString(),
      last_failure_at: new Date(t0 + 8.4 * DAY).toISOString(),
      last_status_code: 504,
      last_error_class: 'http_status',
      auto_disable_at: new Date(t0 + 8.5 * DAY).toISOString(),
    });

    await publish(failed(t.id, id, t0 + 8.5 * DAY, 500));
    const sub = await waitFor(async () => {
      const res = await call<{ enabled: boolean; disabled_reason: string | null }>('GET', `/v1/subscriptions/${id}`, t.key);
      return res.body.enabled ? undefined : res.body;
    }, 20_000, 'the subscription to be disabled');
    expect(sub.disabled_reason).toBe('auto_disabled');
    const [event] = await waitFor(() => (disabledEvents(id).length ? disabledEvents(id) : undefined), 20_000, 'the subscription.disabled event');
    expect(event?.envelope.data).toMatchObject({ reason: 'auto_disabled', failing_since: new Date(t0 + 3.5 * DAY).toISOString(), last_status_code: 500 });

    // Enabled again by its owner, it starts with a clean record: old failures do not count.
    expect((await call('PATCH', `/v1/subscriptions/${id}`, t.key, { enabled: true })).status).toBe(200);
    expect(await health(t, id)).toMatchObject({ status: 'healthy', failing_since: null, last_failure_at: null });
    await publish(failed(t.id, id, t0 + 9 * DAY));
    await settled(t);
    expect(await health(t, id)).toMatchObject({ status: 'failing', failing_since: new Date(t0 + 9 * DAY).toISOString() });
    expect((await call<{ enabled: boolean }>('GET', `/v1/subscriptions/${id}`, t.key)).body.enabled).toBe(true);
    // So does any other change (a new URL, say): it may be what fixes the endpoint.
    expect((await call('PATCH', `/v1/subscriptions/${id}`, t.key, { url: 'https://receiver.test/failing-fixed' })).status).toBe(200);
    await publish(failed(t.id, id, t0 + 15 * DAY));
    await settled(t);
    expect(await health(t, id)).toMatchObject({ status: 'failing', failing_since: new Date(t0 + 15 * DAY).toISOString() });
    expect((await call<{ enabled: boolean }>('GET', `/v1/subscriptions/${id}`, t.key)).body.enabled).toBe(true);
  });

  it('announces subscription.recovered once when a failing endpoint succeeds again, and again after a new streak', async () => {
    const t = await tenant();
    const id = await subscription(t, 'flapping');
    await publish(failed(t.id, id, t0, 503));
    await settled(t);
    expect(await health(t, id)).toMatchObject({ status: 'failing' });
    await publish(failed(t.id, id, t0 + 3_600_000, 502), delivered(t.id, id, t0 + 7_200_000));
    const [first] = await waitFor(() => (systemEvents('subscription.recovered', id).length ? systemEvents('subscription.recovered', id) : undefined), 20_000, 'the subscription.recovered event');
    expect(first?.key).toBe(t.id);
    expect(first?.envelope).toMatchObject({ type: 'subscription.recovered', tenant_id: t.id, occurred_at: new Date(t0 + 7_200_000).toISOString() });
    expect(first?.envelope.data).toEqual({
      subscription_id: id,
      name: 'flapping',
      url: 'https://receiver.test/flapping',
      failing_since: new Date(t0).toISOString(),
      recovered_at: new Date(t0 + 7_200_000).toISOString(),
      last_status_code: 502,
      last_error_class: 'http_status',
    });
    expect(subscriptionRecoveredDataSchema.safeParse(first?.envelope.data).success).toBe(true);
    // A strict catalog accepts it: the type was registered for the tenant.
    expect((await call('GET', '/v1/event-types/subscription.recovered', t.key)).status).toBe(200);

    // More successes end nothing; a new streak and its end make a new event.
    await publish(delivered(t.id, id, t0 + 8_000_000));
    await publish(failed(t.id, id, t0 + 9_000_000, 500));
    await settled(t);
    await publish(delivered(t.id, id, t0 + 9_500_000));
    await waitFor(() => (systemEvents('subscription.recovered', id).length >= 2 ? true : undefined), 20_000, 'the second subscription.recovered event');
    await settled(t);
    const all = systemEvents('subscription.recovered', id);
    expect(all.map((e) => (e.envelope.data as { failing_since: string }).failing_since)).toEqual([new Date(t0).toISOString(), new Date(t0 + 9_000_000).toISOString()]);
    expect(new Set(all.map((e) => e.envelope.id)).size).toBe(2);
  });

  it('counts neither breaker postponements nor dead letters written without an attempt, nor another tenant\'s outcomes', async () => {
    const t = await tenant();
    const intruder = await tenant();
    const id = await subscription(t, 'quiet');
    await publish(
      failed(t.id, id, t0),
      status(t.id, id, t0 + 6 * DAY, 'postponed', 'breaker_open'),
      status(t.id, id, t0 + 6 * DAY, 'dead_lettered', 'subscription_disabled'),
      status(t.id, id, t0 + 6 * DAY, 'dead_lettered', 'subscription_missing'),
      // Outcomes naming the subscription under another tenant are not about it.
      failed(intruder.id, id, t0 + 7 * DAY),
      status(intruder.id, id, t0 + 7 * DAY, 'dead_lettered', 'gone', 410),
    );
    await settled(t);
    expect(await health(t, id)).toMatchObject({ status: 'failing', failing_since: new Date(t0).toISOString(), last_failure_at: new Date(t0).toISOString() });
    expect((await call<{ enabled: boolean }>('GET', `/v1/subscriptions/${id}`, t.key)).body.enabled).toBe(true);
    // And another tenant cannot read it.
    expect((await call('GET', `/v1/subscriptions/${id}/health`, intruder.key)).status).toBe(404);
  });

  it('still announces a disablement when the registry dies between the commit and the publish', async () => {
    const t = await tenant();
    const id = await subscription(t, 'crash');
    expect(await registry.stop()).toBe(0);
    const crashing = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env(), FAULT_INJECTION: 'crash-after-disable' });
    crashing.start();
    await crashing.waitReady(90_000);
    await publish(status(t.id, id, t0, 'dead_lettered', 'gone', 410));
    await waitFor(async () => !(await stack.query<{ enabled: boolean }>('SELECT enabled FROM subscriptions WHERE id = $1', [id]))[0]?.enabled, 20_000, 'the disablement to commit');
    await waitFor(() => !isAlive(crashing.pid), 10_000, 'the registry to crash');
    expect(await crashing.stop()).not.toBe(0);
    const [outbox] = await stack.query<{ id: string; published_at: Date | null }>('SELECT id, published_at FROM subscription_disabled_events WHERE subscription_id = $1', [id]);
    expect(outbox?.published_at).toBeNull();
    expect(disabledEvents(id)).toEqual([]);

    // Live is enough: the relay runs at boot, while the consumer may still wait out the killed member.
    registry = new ServiceProcess('subscription-registry', await freePort(), { ...stack.env() });
    registry.start();
    const [event] = await waitFor(() => (disabledEvents(id).length ? disabledEvents(id) : undefined), 30_000, 'the event after the restart');
    expect(event?.envelope.id).toBe(outbox?.id);
    await waitFor(async () => (await stack.query<{ published_at: Date | null }>('SELECT published_at FROM subscription_disabled_events WHERE id = $1', [outbox?.id]))[0]?.published_at, 10_000, 'the outbox row to be marked');
    expect(disabledEvents(id)).toHaveLength(1);
    const snapshot = await waitFor(() => changelog.values.find((s) => s.id === id && !s.enabled), 20_000, 'the disabled snapshot on the changelog');
    expect(snapshot.disabled_reason).toBe('gone');
    // Its consumer may still be waiting out the killed member; nothing is left to commit.
    await registry.kill();
  }, 120_000);
});
