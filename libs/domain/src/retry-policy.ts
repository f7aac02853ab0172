/**
 * Delays before attempts 2, 3, …: immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h
 * (about 27.5 h in all, eight attempts), as Svix and Standard Webhooks users expect.
 */
export const DEFAULT_RETRY_DELAYS_SECONDS: readonly number[] = [5, 300, 1800, 7200, 18000, 36000, 36000];

export interface RetryPlanInput {
  /** The attempt that just failed (1 = the first). */
  attempt: number;
  delaysSeconds: readonly number[];
  now: Date;
  /** A Retry-After the receiver asked for, already parsed to milliseconds. */
  retryAfterMs?: number | null;
  /** Retry-After is honoured only up to this bound, so a receiver cannot park a delivery for a year. */
  maxRetryAfterMs: number;
}

export type RetryPlan = { kind: 'retry'; nextAttempt: number; dueAt: Date } | { kind: 'exhausted'; attempts: number };

export function planRetry(input: RetryPlanInput): RetryPlan {
  const delaySeconds = input.delaysSeconds[input.attempt - 1];
  if (delaySeconds === undefined) return { kind: 'exhausted', attempts: input.attempt };
  let delayMs = delaySeconds * 1000;
  if (input.retryAfterMs != null && input.retryAfterMs > delayMs) {
    delayMs = Math.min(input.retryAfterMs, Math.max(input.maxRetryAfterMs, delayMs));
  }
  return { kind: 'retry', nextAttempt: input.attempt + 1, dueAt: new Date(input.now.getTime() + delayMs) };
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
