import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { RetryMessage } from '@hookstream/contracts';
import { collectTopic, createTestStack, type ServiceProcess, TestReceiver, type TestStack, type TopicCollector, waitFor } from '@hookstream/testing';
import { event, metricValue, publishSubscriptions, scrape, startDispatcher, subscription } from './harness.js';

/**
 * One failing host and one healthy host, fed at a steady rate: the failing host's breaker opens
 * after its volume threshold, half-opens after each reset for one trial, and the healthy host
 * keeps receiving at the full publish rate throughout. Both rates are measured.
 */
describe('circuit breaker per host', () => {
  let stack: TestStack;
  let dispatcher: ServiceProcess;
  let failing: TestReceiver;
  let healthy: TestReceiver;
  let retries: TopicCollector<RetryMessage>;
  const tenant = 'breaker';
  const RESET_MS = 1500;

  beforeAll(async () => {
    stack = await createTestStack('breaker');
    failing = await TestReceiver.start({ respond: () => ({ status: 503, body: 'down' }) });
    healthy = await TestReceiver.start();
    await publishSubscriptions(stack, [
      subscription(tenant, `${failing.url}/hook`, { retry_policy: { kind: 'schedule', delays_seconds: [3600], max_attempts: 2 } }),
      subscription(tenant, `${healthy.url}/hook`),
    ]);
    retries = await collectTopic(stack, 'hookstream.retries', (v) => v as RetryMessage);
    dispatcher = await startDispatcher(stack, {
      BREAKER_VOLUME_THRESHOLD: '4',
      BREAKER_ERROR_THRESHOLD_PERCENT: '50',
      BREAKER_RESET_TIMEOUT_MS: String(RESET_MS),
      // Postpone every delivery behind the open breaker, none parked (breaker-parking.int-spec.ts parks).
      BREAKER_PARK_MAX_PER_SUBSCRIPTION: '0',
    });
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.stop();
    await retries?.stop();
    await Promise.all([failing?.close(), healthy?.close()]);
    await stack?.close();
  }, 60_000);

  it('opens on the failing host, half-opens after the reset, and leaves the healthy host at full rate', async () => {
    const producer = stack.kafka.producer();
    await producer.connect();
    const PER_SECOND = 25;
    const SECONDS = 6;
    const started = Date.now();
    try {
      for (let i = 0; i < PER_SECOND * SECONDS; i++) {
        const e = event(tenant);
        await producer.send({ topic: `${stack.topicPrefix}hookstream.events`, acks: -1, messages: [{ key: tenant, value: JSON.stringify(e) }] });
        const next = started + ((i + 1) * 1000) / PER_SECOND;
        await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
      }
    } finally {
      await producer.disconnect();
    }
    const published = PER_SECOND * SECONDS;
    await healthy.waitForRequests(published, 20_000);
    const ended = Date.now();

    // Healthy host: every delivery, at the publish rate (within 10 %), none late by more than a second.
    const healthyRate = healthy.requests.length / ((healthy.requests.at(-1)?.at ?? ended) - started) * 1000;
    expect(healthyRate).toBeGreaterThanOrEqual(PER_SECOND * 0.9);

    // Failing host: requests until the breaker opens (the volume threshold, plus any already in
    // flight when it tripped), then one half-open trial per reset period, each after the reset.
    const times = failing.requests.map((r) => r.at);
    const opened = times.findIndex((t, i) => i > 0 && t - (times[i - 1] ?? t) >= RESET_MS - 100);
    expect(opened).toBeGreaterThanOrEqual(4);
    expect(opened).toBeLessThanOrEqual(10);
    const afterOpen = times.slice(opened);
    for (let i = 1; i < afterOpen.length; i++) expect((afterOpen[i] ?? 0) - (afterOpen[i - 1] ?? 0)).toBeGreaterThanOrEqual(RESET_MS - 100);
    const trials = afterOpen.length;
    expect(trials).toBeGreaterThanOrEqual(2);
    expect(trials).toBeLessThanOrEqual(Math.ceil((ended - started) / RESET_MS) + 1);
    const failingRate = times.length / ((ended - started) / 1000);
    process.stdout.write(`breaker: healthy ${healthyRate.toFixed(1)} req/s (published ${PER_SECOND}/s), failing host ${failingRate.toFixed(2)} req/s (${times.length} requests, ${trials} half-open trials)\n`);
    expect(failingRate).toBeLessThan(PER_SECOND / 5);

    // The rest were postponed to when the breaker half-opens, spending no attempt.
    const postponed = await waitFor(() => {
      const p = retries.values.filter((r) => r.failure.error_class === 'breaker_open');
      return p.length >= published - times.length - 5 ? p : undefined;
    }, 10_000, 'the postponements');
    for (const p of postponed) {
      expect(p.delivery.attempt).toBe(1);
      expect(p.delivery.origin).toBe('breaker');
    }
    const metrics = await scrape(dispatcher);
    expect(metricValue(metrics, 'hookstream_breaker_transitions_total', { to: 'half_open' })).toBeGreaterThanOrEqual(2);
    expect(metricValue(metrics, 'hookstream_breaker_state', { origin: failing.url })).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'hookstream_breaker_state', { origin: healthy.url })).toBe(0);
  });
});
