import type { RetryMessage } from '@hookstream/contracts';

/**
 * Delays before attempts 2, 3, …: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
 * (about 27.5 h in all, eight attempts), as Svix and Standard Webhooks users expect.
 */
export const DEFAULT_RETRY_DELAYS_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 36000];

export type BackoffPolicy =
  | { kind: 'schedule'; delaysSeconds: readonly number[]; maxAttempts?: number | undefined }
  | { kind: 'exponential'; baseSeconds: number; capSeconds: number; jitter: 'full' | 'none'; maxAttempts: number };

export interface RetryPlanInput {
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  policy: BackoffPolicy;
  now: Date;
  /** A Retry-After the receiver asked for, already parsed to milliseconds. */
  retryAfterMs?: number | null;
  /** Retry-After is honoured only up to this bound, so a receiver cannot park a delivery for a year. */
  maxRetryAfterMs: number;
  /** Source of randomness for jitter, in [0, 1); injected so plans are reproducible in tests. */
  random?: () => number;
}

export type RetryPlan = { kind: 'retry'; nextAttempt: number; dueAt: Date } | { kind: 'exhausted'; attempts: number };

/** Delay before the attempt after `attempt`, in seconds, or null when the budget is spent. */
export function backoffSeconds(policy: BackoffPolicy, attempt: number, random: () => number = Math.random): number | null {
  if (policy.kind === 'schedule') {
    const budget = Math.min(policy.maxAttempts ?? Number.POSITIVE_INFINITY, policy.delaysSeconds.length + 1);
    if (attempt >= budget) return null;
    return policy.delaysSeconds[attempt - 1] ?? null;
  }
  if (attempt >= policy.maxAttempts) return null;
  const ceiling = Math.min(policy.capSeconds, policy.baseSeconds * 2 ** (attempt - 1));
  // Full jitter (AWS architecture blog): uniform in [0, ceiling], which spreads retries of many
  // deliveries that failed together instead of re-synchronising them.
  return policy.jitter === 'full' ? random() * ceiling : ceiling;
}

export function planRetry(input: RetryPlanInput): RetryPlan {
  const delaySeconds = backoffSeconds(input.policy, input.attempt, input.random);
  if (delaySeconds === null) return { kind: 'exhausted', attempts: input.attempt };
  let delayMs = Math.round(delaySeconds * 1000);
  if (input.retryAfterMs != null && input.retryAfterMs > delayMs) {
    delayMs = Math.min(input.retryAfterMs, Math.max(input.maxRetryAfterMs, delayMs));
  }
  return { kind: 'retry', nextAttempt: input.attempt + 1, dueAt: new Date(input.now.getTime() + delayMs) };
}

/** When a delivery stops being retried or postponed: its first attempt plus its age limit. */
export function deliveryExpiresAt(firstAttemptAt: string, maxAgeMs: number): Date {
  return new Date(Date.parse(firstAttemptAt) + maxAgeMs);
}

/**
 * Whether a postponement (an open breaker) would bring the delivery back only at or after its
 * expiry: postponements spend no attempt, but they spend the delivery's age like retries do, so
 * a breaker that stays open ends the delivery in the DLQ instead of cycling it until the
 * endpoint is disabled.
 */
export function postponementExpires(retryAt: Date, expiresAt: Date): boolean {
  return retryAt.getTime() >= expiresAt.getTime();
}

/**
 * Whether retry `a` supersedes retry `b` of the same delivery. A replay starts a new generation,
 * a failed attempt schedules the next attempt, and a breaker postponement repeats its attempt
 * with a later due time; so (generation, attempt, due time) only grows along one delivery's
 * life, and a message that does not exceed what is known is a redelivered copy or a stale one.
 */
export function supersedesRetry(a: RetryMessage, b: RetryMessage): boolean {
  const ka = retryOrder(a);
  const kb = retryOrder(b);
  for (let i = 0; i < ka.length; i++) {
    if (ka[i] !== kb[i]) return (ka[i] ?? 0) > (kb[i] ?? 0);
  }
  return false;
}

function retryOrder(m: RetryMessage): [number, number, number] {
  return [m.delivery.generation, m.delivery.attempt, Date.parse(m.due_at)];
}

/** The domain view of a stored policy (snake_case from the contracts). */
export function toBackoffPolicy(
  stored:
    | { kind: 'schedule'; delays_seconds: number[]; max_attempts?: number | undefined }
    | { kind: 'exponential'; base_seconds: number; cap_seconds: number; jitter: 'full' | 'none'; max_attempts: number }
    | null
    | undefined,
  defaultDelaysSeconds: readonly number[],
): BackoffPolicy {
  if (!stored) return { kind: 'schedule', delaysSeconds: defaultDelaysSeconds };
  if (stored.kind === 'schedule') return { kind: 'schedule', delaysSeconds: stored.delays_seconds, maxAttempts: stored.max_attempts };
  return { kind: 'exponential', baseSeconds: stored.base_seconds, capSeconds: stored.cap_seconds, jitter: stored.jitter, maxAttempts: stored.max_attempts };
}

/** Parses Retry-After (delta seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now.getTime());
}

/** Parses `0,5s,5m,30m,2h` or plain seconds into a list of delays in seconds. */
export function parseDelayList(spec: string): number[] {
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(part);
      if (!m) throw new RangeError(`"${part}" is not a delay such as 5s, 5m or 2h`);
      const n = Number(m[1]);
      const unit = m[2] ?? 's';
      const factor = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[unit] ?? 1;
      return n * factor;
    });
}
