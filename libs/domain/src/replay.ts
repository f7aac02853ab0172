import type { DeliveryMessage } from '@hookstream/contracts';

/** What is known about a dead letter, under its row lock, when someone asks to replay it. */
export interface ReplayCandidate {
  deadAt: Date;
  /** The death last replayed; equal to deadAt when the latest death has been replayed. */
  replayedDeadAt: Date | null;
  /** The generation the delivery died in (letters from before generations existed: none, i.e. 0). */
  generation: number | undefined;
  /** The highest generation an earlier replay was sent as. */
  replayGeneration: number | null;
  /** The subscription as the registry has it now; null when it does not exist (or was deleted). */
  subscription: { enabled: boolean; disabledReason: string | null } | null;
}

export type ReplaySkipReason = 'already_replayed' | 'subscription_disabled' | 'subscription_missing';

export type ReplayDecision = { replay: true; generation: number } | { replay: false; reason: ReplaySkipReason; message: string };

/**
 * Whether to replay a dead letter now, and as which generation. A death is replayed once unless
 * forced: a second replay of the same death (a bulk job and a single replay racing, or a job
 * submitted twice) would send the partner the same event twice. A replay to a subscription that
 * is disabled or gone would only die again, so it waits for the subscription to be enabled.
 * Every replay gets a generation above any the delivery had, so the dispatcher treats it as a new
 * attempt series and not as a redelivery of one it has already made.
 */
export function decideReplay(c: ReplayCandidate, force: boolean): ReplayDecision {
  if (!c.subscription) return { replay: false, reason: 'subscription_missing', message: 'the subscription no longer exists' };
  if (!c.subscription.enabled) {
    const why = c.subscription.disabledReason ? ` (${c.subscription.disabledReason})` : '';
    return { replay: false, reason: 'subscription_disabled', message: `the subscription is disabled${why}; enable it first, or the replay dies again` };
  }
  if (!force && c.replayedDeadAt !== null && c.replayedDeadAt.getTime() === c.deadAt.getTime()) {
    return { replay: false, reason: 'already_replayed', message: `already replayed since it died at ${c.deadAt.toISOString()}` };
  }
  return { replay: true, generation: Math.max(c.generation ?? 0, c.replayGeneration ?? 0) + 1 };
}

/**
 * The delivery a replay sends: attempt 1 of a fresh schedule in a new generation, with the same
 * event id (so the same webhook-id: receivers dedupe on it) and the same body, byte for byte.
 */
export function replayDelivery(dead: DeliveryMessage, generation: number, now: Date): DeliveryMessage {
  return { ...dead, attempt: 1, generation, origin: 'replay', first_attempt_at: now.toISOString() };
}
