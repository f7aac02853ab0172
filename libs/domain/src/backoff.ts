/** Doubling delays, from `initialMs`, never above `maxMs`. */
export interface ExponentialBackoff {
  initialMs: number;
  maxMs: number;
}

/**
 * The delay before retry `attempt` (0-based) of work that keeps failing: initialMs · 2^attempt,
 * capped at maxMs. The one backoff every background loop and batch retry uses, so a reader
 * learns it once. (Webhook retries follow the subscription's retry policy instead: retry-policy.ts.)
 */
export function backoffDelayMs(attempt: number, policy: ExponentialBackoff): number {
  // 2^30 already exceeds any cap; clamping keeps the product finite for absurd attempt counts.
  const n = Math.max(0, Math.min(Math.floor(attempt), 30));
  return Math.min(policy.maxMs, policy.initialMs * 2 ** n);
}
