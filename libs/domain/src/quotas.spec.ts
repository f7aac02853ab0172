import { describe, expect, it } from '@jest/globals';
import { DomainError } from './errors.js';
import { checkCount, effectiveQuotas, type QuotaLimits, quotaError, subscriptionShapeProblems } from './quotas.js';

const defaults: QuotaLimits = {
  subscriptions: 5,
  event_types: 5,
  api_keys: 2,
  active_secrets_per_subscription: 3,
  filters_per_subscription: 3,
  filter_length: 10,
  headers_per_subscription: 2,
  header_bytes: 20,
  metadata_bytes: 30,
  replay_jobs: 1,
  endpoint_tests_per_minute: 6,
  endpoint_tests_per_minute_per_origin: 2,
  config_writes_per_minute: 60,
};

describe('quotas', () => {
  it('applies whole-number overrides up to the ceiling and ignores anything else', () => {
    const limits = effectiveQuotas(defaults, { subscriptions: 9, api_keys: -1, event_types: 2.5, replay_jobs: '7', active_secrets_per_subscription: 999, colour: 3 });
    expect(limits).toMatchObject({ subscriptions: 9, api_keys: 2, event_types: 5, replay_jobs: 1, active_secrets_per_subscription: 5 });
  });

  it('refuses one more when the count fills the limit, naming the quota, limit and path', () => {
    expect(() => checkCount('subscriptions', 4, defaults)).not.toThrow();
    try {
      checkCount('subscriptions', 5, defaults);
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ code: 'quota_exceeded', details: [{ quota: 'subscriptions', limit: 5, path: '(root)' }] });
    }
  });

  it('answers rates and concurrency with 429 and a retry hint', () => {
    const err = quotaError([{ path: '(root)', quota: 'replay_jobs', limit: 1, message: 'x' }], 2.2);
    expect(err.httpStatus).toBe(429);
    expect(err).toMatchObject({ code: 'quota_rate_limited', details: { retry_after_seconds: 3 } });
  });

  it('finds each filter, header and metadata problem with its field path', () => {
    const problems = subscriptionShapeProblems(
      {
        event_types: ['a', 'b', 'c', 'd'],
        excluded_event_types: ['x', 'much.too.long.filter'],
        headers: { 'x-a': '1234567890', 'x-b': '1234567890', 'x-c': '1' },
        metadata: { team: 'a-rather-long-label-value' },
      },
      defaults,
    );
    expect(problems.map((p) => [p.path, p.quota])).toEqual([
      ['event_types', 'filters_per_subscription'],
      ['excluded_event_types.1', 'filter_length'],
      ['headers', 'headers_per_subscription'],
      ['headers', 'header_bytes'],
      ['metadata', 'metadata_bytes'],
    ]);
    expect(subscriptionShapeProblems({ event_types: ['a'], headers: { 'x-a': '1' }, metadata: {} }, defaults)).toEqual([]);
  });
});
