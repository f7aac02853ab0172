/**
 * A subscription's retry policy in words, as the delivery and subscription pages show it. The
 * API's two kinds: a fixed schedule of delays, or exponential backoff; none means the service's
 * own default schedule.
 */
export type RetryPolicy =
  | { kind: 'schedule'; delays_seconds: readonly number[]; max_attempts?: number; max_age_seconds?: number }
  | { kind: 'exponential'; base_seconds: number; cap_seconds: number; jitter?: 'full' | 'none'; max_attempts: number; max_age_seconds?: number }
  | null
  | undefined;

/** 5 s, 5 min, 2 h, 1 d: the largest whole unit. */
export function showSeconds(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '–';
  for (const [size, unit] of [[86_400, 'd'], [3600, 'h'], [60, 'min']] as const) {
    if (seconds >= size && seconds % size === 0) return `${String(seconds / size)} ${unit}`;
  }
  return seconds >= 120 ? `${String(Math.round(seconds / 60))} min` : `${String(Math.round(seconds * 10) / 10)} s`;
}

export function retryScheduleText(policy: RetryPolicy): string {
  if (!policy) return "the service's default schedule";
  const age = policy.max_age_seconds ? `; given up after ${showSeconds(policy.max_age_seconds)}` : '';
  if (policy.kind === 'schedule') {
    const delays = policy.delays_seconds.slice(0, 12).map(showSeconds);
    const more = policy.delays_seconds.length > 12 ? `, … (${String(policy.delays_seconds.length)} retries)` : '';
    const attempts = policy.max_attempts ?? policy.delays_seconds.length + 1;
    return delays.length ? `retries after ${delays.join(', ')}${more}; at most ${String(attempts)} attempts${age}` : `no retries${age}`;
  }
  return `exponential from ${showSeconds(policy.base_seconds)}, at most ${showSeconds(policy.cap_seconds)} apart${policy.jitter === 'none' ? '' : ', with jitter'}; at most ${String(policy.max_attempts)} attempts${age}`;
}
