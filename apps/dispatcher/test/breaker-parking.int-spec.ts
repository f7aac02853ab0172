import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DeadLetterMessage, RetryMessage } from '@hookstream/contracts';
import { collectTopic, createTestStack, type ServiceProcess, TestReceiver, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { event, idOf, metricValue, produce, publishEvents, publishSubscriptions, scrape, startDispatcher, subscription } from './harness.js';

const RESET_MS = 3000;
const PARK_MAX = 20;

/**
 * A backlog behind a tenant's open breaker waits in memory for the half-open trial
 * (BREAKER_PARK_MAX_PER_SUBSCRIPTION per subscription) instead of each delivery being postponed
 * through hookstream.retries: once the trial succeeds the parked deliveries go, each once, and
 * only what arrived past the limit was postponed. Parked deliveries still spend their age: past
 * it they are dead-lettered, `breaker_open_expired`, without ever being postponed.
 */
describe('deliveries parked behind an open breaker', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let receiver: TestReceiver;
  let retries: TopicCollector<RetryMessage>;
  let dead: TopicCollector<DeadLetterMessage>;
  let flakyDown = true;

  beforeAll(async () => {
    stack = await createTestStack('breakerparking', { partitions: { deliveries: 2, events: 1 } });
    receiver = await TestReceiver.start({
      respond: (req) => {
        if (req.path === '/aging' || (req.path === '/flaky' && flakyDown)) return { status: 503, body: 'down' };
        return { status: 200, body: 'ok' };
      },
    });
    const never = { kind: 'schedule' as const, delays_seconds: [3600], max_age_seconds: 7200 };
    await publishSubscriptions(stack, [
      subscription('tenant-p', `${receiver.url}/flaky`, { retry_policy: never }),
        subscription('tenant-q', `${receiver.url}/aging`, { retry_policy: { kind: 'schedule', delays_seconds: [1, 3600], max_age_seconds: 60 } }),
    ]);
    retries = await collectTopic(stack, 'hookstream.retries', (v) => v as RetryMessage);
    dead = await collectTopic(stack, 'hookstream.dlq', (v) => v as DeadLetterMessage);
    dispatcher = await startDispatcher(stack, {
      BREAKER_VOLUME_THRESHOLD: '4',
      BREAKER_ERROR_THRESHOLD_PERCENT: '50',
      BREAKER_RESET_TIMEOUT_MS: String(RESET_MS),
      BREAKER_PARK_MAX_PER_SUBSCRIPTION: String(PARK_MAX),
    });
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await Promise.all([retries?.stop(), dead?.stop()]);
    await receiver?.close();
    await stack?.close();
  }, 60_000);

  const breakerState = async (tenant: string) => metricValue(await scrape(dispatcher), 'hookstream_breaker_state', { origin: receiver.url, tenant });
  const postponedOf = (tenant: string) => retries.values.filter((r) => r.delivery.tenant_id === tenant && r.failure.error_class === 'breaker_open');

  it('holds the backlog while the breaker is open, postpones only what exceeds the limit, and sends the rest once the trial succeeds', async () => {
    // Four failures open tenant P's breaker.
    await publishEvents(stack, Array.from({ length: 4 }, () => event('tenant-p')));
    await waitFor(async () => (await breakerState('tenant-p')) === 2, 20_000, "tenant P's breaker to open");
    const backlog = Array.from({ length: 2 * PARK_MAX }, () => event('tenant-p'));
    await publishEvents(stack, backlog);
    // Everything past the limit is postponed, and nothing else is.
    await waitFor(() => postponedOf('tenant-p').length >= PARK_MAX, 15_000, 'the postponements past the limit');
    await new Promise((r) => setTimeout(r, 500));
    expect(postponedOf('tenant-p')).toHaveLength(PARK_MAX);
    const postponed = new Set(postponedOf('tenant-p').map((r) => r.delivery.event_id));
    const fromBacklog = new Set(backlog.map((e) => e.id));
    expect([...postponed].every((id) => fromBacklog.has(id))).toBe(true);
    expect(receiver.requests.filter((r) => r.path === '/flaky')).toHaveLength(4);

    // The endpoint recovers; the next half-open trial succeeds and the parked deliveries follow it.
    flakyDown = false;
    const parked = backlog.filter((e) => !postponed.has(e.id)).map((e) => e.id);
    const received = () => receiver.requests.filter((r) => r.path === '/flaky').slice(4).map((r) => idOf(r.body));
    await waitFor(() => received().length >= parked.length, 3 * RESET_MS + 10_000, 'the parked deliveries');
    await new Promise((r) => setTimeout(r, 500));
    expect(received().sort()).toEqual([...parked].sort());
    expect(postponedOf('tenant-p')).toHaveLength(PARK_MAX);
    expect(await breakerState('tenant-p')).toBe(0);
  });

  it('dead-letters parked deliveries that outlive their age limit behind the open breaker, never postponing them', async () => {
    // Ten failures open tenant Q's breaker; each schedules its retry a second later.
    await publishEvents(stack, Array.from({ length: 10 }, () => event('tenant-q')));
    await waitFor(async () => (await breakerState('tenant-q')) === 2, 20_000, "tenant Q's breaker to open");
    const due = await waitFor(() => {
      const r = retries.values.filter((m) => m.delivery.tenant_id === 'tenant-q' && m.delivery.origin === 'retry');
      return r.length >= 10 ? r : undefined;
    }, 15_000, "tenant Q's retries");
    // The retry-scheduler's part, for deliveries first attempted 54 s ago: their 60 s age limit
    // ends about two reset periods after the breaker opened, while they wait parked behind it.
    const firstAttemptAt = new Date(Date.now() - 54_000).toISOString();
    await produce(stack, 'hookstream.deliveries', due.map((m) => ({ key: m.delivery.subscription_id, value: { ...m.delivery, first_attempt_at: firstAttemptAt } })));
    const ids = new Set(due.map((m) => m.delivery.delivery_id));
    const deadOf = () => dead.values.filter((d) => ids.has(d.delivery.delivery_id) && d.delivery.attempt === 2);
    await waitFor(() => deadOf().length >= ids.size, 30_000, 'every parked delivery dead-lettered');
    const expired = deadOf().filter((d) => d.reason.startsWith('breaker_open_expired'));
    // A half-open trial sends one of them (its failed retry outlives the age limit too); the rest expire parked.
    expect(expired.length).toBeGreaterThanOrEqual(ids.size - 3);
    for (const d of expired) {
      expect(d.failure.error_class).toBe('breaker_open');
      expect(d.reason).toContain('60 s age limit');
      expect(d.attempts).toBe(1);
    }
    expect(postponedOf('tenant-q')).toEqual([]);
  });
});
