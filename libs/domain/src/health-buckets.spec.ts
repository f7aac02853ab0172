import { describe, expect, it } from '@jest/globals';
import { type AttemptFact, breakerState, foldAttempts } from './health-buckets.js';
import { latencyBucket } from './latency-histogram.js';

const subA = '00000000-0000-4000-8000-00000000000a';
const subB = '00000000-0000-4000-8000-00000000000b';
const at = (iso: string) => new Date(iso);
const fact = (over: Partial<AttemptFact>): AttemptFact => ({
  subscription_id: subA,
  tenant_id: 'acme',
  outcome: 'delivered',
  status_code: 200,
  error_class: null,
  error_message: null,
  started_at: at('2026-11-23T12:00:10Z'),
  duration_ms: 30,
  ...over,
});

describe('foldAttempts', () => {
  it('counts successes, failures and latencies per subscription per minute, in upsert order', () => {
    const deltas = foldAttempts(
      [
      fact({ subscription_id: subB }),
      fact({ started_at: at('2026-11-23T12:01:05Z'), outcome: 'retry_scheduled', status_code: 500, error_class: 'http_status', error_message: 'HTTP 500', duration_ms: 700 }),
      fact({}),
      fact({ started_at: at('2026-11-23T12:00:50Z'), duration_ms: 31 }),
      ],
      ['minute'],
    );
    expect(deltas.map((d) => [d.subscription_id, d.bucket_start.toISOString(), d.attempts, d.successes, d.failures])).toEqual([
      [subA, '2026-11-23T12:00:00.000Z', 2, 2, 0],
      [subA, '2026-11-23T12:01:00.000Z', 1, 0, 1],
      [subB, '2026-11-23T12:00:00.000Z', 1, 1, 0],
    ]);
    expect(deltas[0]?.latency_histogram[latencyBucket(30)]).toBe(2);
    expect(deltas[0]?.last_success_at?.toISOString()).toBe('2026-11-23T12:00:50.000Z');
    expect(deltas[1]).toMatchObject({ last_failure_status: 500, last_failure_class: 'http_status', last_failure_message: 'HTTP 500' });
  });

  it('counts the same attempts per hour too, hours after minutes for each subscription', () => {
    const deltas = foldAttempts([fact({ started_at: at('2026-11-23T12:59:59Z') }), fact({ started_at: at('2026-11-23T12:01:00Z'), subscription_id: subB }), fact({})]);
    expect(deltas.map((d) => [d.subscription_id, d.span, d.bucket_start.toISOString(), d.attempts])).toEqual([
      [subA, 'hour', '2026-11-23T12:00:00.000Z', 2],
      [subA, 'minute', '2026-11-23T12:00:00.000Z', 1],
      [subA, 'minute', '2026-11-23T12:59:00.000Z', 1],
      [subB, 'hour', '2026-11-23T12:00:00.000Z', 1],
      [subB, 'minute', '2026-11-23T12:01:00.000Z', 1],
    ]);
  });

  it('keeps the latest failure of a minute as its reason', () => {
    const [d] = foldAttempts(
      [
        fact({ started_at: at('2026-11-23T12:00:40Z'), outcome: 'dead_lettered', status_code: 410, error_class: 'gone', error_message: 'gone' }),
        fact({ started_at: at('2026-11-23T12:00:20Z'), outcome: 'retry_scheduled', status_code: null, error_class: 'timeout', error_message: 'timed out' }),
      ],
      ['minute'],
    );
    expect(d).toMatchObject({ failures: 2, last_failure_class: 'gone', last_failure_status: 410 });
  });

  it('counts a postponement apart: no attempt, no latency, but the breaker is remembered', () => {
    const [d] = foldAttempts([fact({ outcome: 'postponed', error_class: 'breaker_open', status_code: null, duration_ms: 0 })], ['minute']);
    expect(d).toMatchObject({ attempts: 0, successes: 0, failures: 0, postponements: 1, last_attempt_at: null });
    expect(d?.last_breaker_open_at?.toISOString()).toBe('2026-11-23T12:00:10.000Z');
    expect(d?.latency_histogram.every((n) => n === 0)).toBe(true);
  });
});

describe('breakerState', () => {
  it('is open while postponements by the breaker are the latest news, closed once an attempt was made since', () => {
    expect(breakerState(at('2026-11-23T12:00:10Z'), at('2026-11-23T12:00:00Z'))).toBe('open');
    expect(breakerState(at('2026-11-23T12:00:10Z'), null)).toBe('open');
    expect(breakerState(at('2026-11-23T12:00:10Z'), at('2026-11-23T12:00:20Z'))).toBe('closed');
    expect(breakerState(null, at('2026-11-23T12:00:20Z'))).toBe('closed');
    expect(breakerState(null, null)).toBe('unknown');
  });
});
