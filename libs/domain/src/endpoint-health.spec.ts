import { describe, expect, it } from '@jest/globals';
import { errorClassSchema, eventIdSchema } from '@hookstream/contracts';
import { disableVerdict, healthSignal, subscriptionDisabledEventId } from './endpoint-health.js';

describe('healthSignal', () => {
  it('reads a delivered attempt as a success', () => {
    expect(healthSignal({ outcome: 'delivered', error_class: null })).toBe('success');
  });

  it('reads a 410 as gone, whether it was dead-lettered or not', () => {
    expect(healthSignal({ outcome: 'dead_lettered', error_class: 'gone' })).toBe('gone');
    expect(healthSignal({ outcome: 'retry_scheduled', error_class: 'gone' })).toBe('gone');
  });

  it.each(['http_status', 'timeout', 'connection', 'dns', 'tls', 'certificate', 'ssrf_refused', 'invalid_url', 'unknown'] as const)(
    'reads a failed attempt of class %s as a failure, retried or dead-lettered',
    (errorClass) => {
      expect(healthSignal({ outcome: 'retry_scheduled', error_class: errorClass })).toBe('failure');
      expect(healthSignal({ outcome: 'dead_lettered', error_class: errorClass })).toBe('failure');
    },
  );

  it('ignores postponements by an open breaker: no request was made', () => {
    expect(healthSignal({ outcome: 'postponed', error_class: 'breaker_open' })).toBeNull();
    expect(healthSignal({ outcome: 'postponed', error_class: null })).toBeNull();
  });

  it('ignores dead letters written without an attempt', () => {
    expect(healthSignal({ outcome: 'dead_lettered', error_class: 'subscription_disabled' })).toBeNull();
    expect(healthSignal({ outcome: 'dead_lettered', error_class: 'subscription_missing' })).toBeNull();
  });

  it('has a verdict for every error class', () => {
    for (const errorClass of errorClassSchema.options) {
      expect(['failure', 'gone', null]).toContain(healthSignal({ outcome: 'dead_lettered', error_class: errorClass }));
    }
  });
});

describe('disableVerdict', () => {
  const DAY = 86_400_000;
  const t0 = new Date('2026-11-22T10:00:00Z');
  const later = (ms: number) => new Date(t0.getTime() + ms);
  const healthy = { lastSuccessAt: null, failingSince: null, lastFailureAt: null };

  it('disables a gone endpoint at once, however short its streak', () => {
    expect(disableVerdict({ ...healthy, failingSince: t0, lastFailureAt: t0 }, t0, 5 * DAY)).toBe('gone');
    expect(disableVerdict({ lastSuccessAt: t0, failingSince: later(1), lastFailureAt: later(1) }, later(1), 5 * DAY)).toBe('gone');
  });

  it('ignores a 410 answered before the endpoint\'s latest success', () => {
    expect(disableVerdict({ lastSuccessAt: later(1000), failingSince: null, lastFailureAt: t0 }, t0, 5 * DAY)).toBeNull();
    expect(disableVerdict({ lastSuccessAt: t0, failingSince: null, lastFailureAt: t0 }, t0, 5 * DAY)).toBeNull();
  });

  it('leaves a healthy endpoint alone', () => {
    expect(disableVerdict({ ...healthy, lastSuccessAt: later(10 * DAY), lastFailureAt: later(9 * DAY) }, null, 5 * DAY)).toBeNull();
  });

  it('disables once the failures span the configured time, not before', () => {
    const streak = (lastFailureMs: number) => ({ lastSuccessAt: later(-DAY), failingSince: t0, lastFailureAt: later(lastFailureMs) });
    expect(disableVerdict(streak(5 * DAY - 1), null, 5 * DAY)).toBeNull();
    expect(disableVerdict(streak(5 * DAY), null, 5 * DAY)).toBe('auto_disabled');
    expect(disableVerdict(streak(9 * DAY), null, 5 * DAY)).toBe('auto_disabled');
  });

  it('never disables on a single failure', () => {
    expect(disableVerdict({ ...healthy, failingSince: t0, lastFailureAt: t0 }, null, 1)).toBeNull();
  });
});

describe('subscriptionDisabledEventId', () => {
  const id = '6f1c2a4e-8d0b-4c55-9a43-2f9e5b1d7c10';

  it('is stable per disablement and differs between disablements', () => {
    expect(subscriptionDisabledEventId(id, 7)).toBe(subscriptionDisabledEventId(id, 7));
    expect(subscriptionDisabledEventId(id, 7)).not.toBe(subscriptionDisabledEventId(id, 9));
  });

  it('is a valid event id', () => {
    expect(eventIdSchema.safeParse(subscriptionDisabledEventId(id, 2_147_483_647)).success).toBe(true);
  });
});
