export interface Quantiles {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank quantiles; NaN for an empty set. */
export function quantiles(values: ArrayLike<number>): Quantiles {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length ? (sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN) : Number.NaN);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.length ? (sorted[sorted.length - 1] ?? Number.NaN) : Number.NaN };
}

export interface WindowRate {
  perSecond: number;
  /** How many completions fell inside the window, and how long it lasted. */
  count: number;
  windowMs: number;
}

/**
 * Completions per second between the `from` and `to` fractions of all completions (by default
 * the 10th to the 90th percentile of completion times): the sustained rate once the pipeline is
 * full, without its ramp-up and its tail.
 */
export function steadyRate(completionTimes: ArrayLike<number>, from = 0.1, to = 0.9): WindowRate {
  const sorted = Float64Array.from(completionTimes).sort();
  const n = sorted.length;
  if (n < 2) return { perSecond: Number.NaN, count: n, windowMs: 0 };
  const first = Math.floor(from * (n - 1));
  const last = Math.ceil(to * (n - 1));
  const windowMs = (sorted[last] ?? 0) - (sorted[first] ?? 0);
  const count = last - first;
  return { perSecond: windowMs > 0 ? (count * 1000) / windowMs : Number.NaN, count, windowMs };
}

/** Rounds for reports: whole numbers above 100, otherwise `digits` significant decimals. */
export function round(n: number, digits = 2): number {
  if (!Number.isFinite(n)) return n;
  if (Math.abs(n) >= 100) return Math.round(n);
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export function roundQuantiles(q: Quantiles, digits = 1): Quantiles {
  return { count: q.count, p50: round(q.p50, digits), p95: round(q.p95, digits), p99: round(q.p99, digits), max: round(q.max, digits) };
}

export function median(values: readonly number[]): number {
  return quantiles(values).p50;
}

/** Smallest and largest value, for arrays of any length (spreading 300,000 into Math.max overflows the stack). */
export function extent(values: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] ?? Number.NaN;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return values.length ? { min, max } : { min: Number.NaN, max: Number.NaN };
}

/** The request-latency figures of a scenario that times requests one at a time, in ms to 0.1. */
export function latencyFigures(q: Quantiles): { requests: number; p50_ms: number; p95_ms: number; p99_ms: number; max_ms: number } {
  return { requests: q.count, p50_ms: round(q.p50, 1), p95_ms: round(q.p95, 1), p99_ms: round(q.p99, 1), max_ms: round(q.max, 1) };
}
