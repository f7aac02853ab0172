import type { DeliveryStatusMessage, ErrorClass, SubscriptionDisabledData } from '@hookstream/contracts';

/** What one attempt outcome says about a subscription's endpoint. */
export type HealthSignal = 'success' | 'failure' | 'gone';

export type DisableReason = SubscriptionDisabledData['reason'];

/** No request reached the endpoint: these outcomes say nothing about it. */
const NOT_ABOUT_THE_ENDPOINT: ReadonlySet<ErrorClass> = new Set(['breaker_open', 'subscription_missing', 'subscription_disabled']);

/**
 * A delivered attempt is a success; a failed one a failure, and a 410 says the endpoint is gone.
 * A postponement by an open breaker, or a dead letter written without an attempt (the
 * subscription was missing or disabled), says nothing and gives null.
 */
export function healthSignal(status: Pick<DeliveryStatusMessage, 'outcome' | 'error_class'>): HealthSignal | null {
  if (status.outcome === 'delivered') return 'success';
  if (status.outcome === 'postponed') return null;
  if (status.error_class && NOT_ABOUT_THE_ENDPOINT.has(status.error_class)) return null;
  return status.error_class === 'gone' ? 'gone' : 'failure';
}

export interface FailureStreak {
  lastSuccessAt: Date | null;
  /** The first failed attempt after the last success; null while the endpoint is healthy. */
  failingSince: Date | null;
  lastFailureAt: Date | null;
}

/**
 * Whether to disable a subscription: at once when its endpoint answered 410 (`lastGoneAt`) after
 * its last success, or once its attempts have all failed for `failingForMs`. The span is measured
 * between attempts (the first failure and the latest one), not against this process's clock, so
 * a registry catching up on a backlog judges by what happened, and sees a success later in the
 * backlog before it is too late.
 */
export function disableVerdict(streak: FailureStreak, lastGoneAt: Date | null, failingForMs: number): DisableReason | null {
  if (lastGoneAt && (!streak.lastSuccessAt || lastGoneAt > streak.lastSuccessAt)) return 'gone';
  if (!streak.failingSince || !streak.lastFailureAt) return null;
  return streak.lastFailureAt.getTime() - streak.failingSince.getTime() >= failingForMs ? 'auto_disabled' : null;
}

/**
 * The id of the `subscription.disabled` event for one disablement. The subscription's version
 * after the change names the disablement, so publishing it again (after a crash) repeats the id
 * and the gateway drops the copy, while a later disablement gets a new one.
 */
export function subscriptionDisabledEventId(subscriptionId: string, version: number): string {
  return `evt_subscription_disabled_${subscriptionId}_v${version}`;
}
