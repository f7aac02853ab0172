import type { DeliveryMessage } from '@hookstream/contracts';

export interface RetryBasis {
  delivery_id: string;
  tenant_id: string;
  subscription_id: string;
  event_id: string;
  event_type: string;
  /** Every generation the delivery is known to have had: its row's, its dead letter's, earlier replays' and retries'. */
  generations: ReadonlyArray<number | null>;
  /** The exact bytes the receiver got before. */
  body: string;
}

/**
 * A manual retry of any delivery: attempt 1 of a fresh schedule, in a generation above every one
 * the delivery had (so the dispatcher neither mistakes it for a redelivery nor lets a stale
 * in-flight copy of an older generation through), with the same event id, hence the same
 * webhook-id, and the same body.
 */
export function manualRetryDelivery(basis: RetryBasis, now: Date): DeliveryMessage {
  const generation = Math.max(0, ...basis.generations.map((g) => g ?? 0)) + 1;
  return {
    delivery_id: basis.delivery_id,
    tenant_id: basis.tenant_id,
    subscription_id: basis.subscription_id,
    event_id: basis.event_id,
    event_type: basis.event_type,
    attempt: 1,
    generation,
    body: basis.body,
    origin: 'replay',
    first_attempt_at: now.toISOString(),
  };
}
