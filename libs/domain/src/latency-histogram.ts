/**
 * Fixed upper bounds (ms, inclusive) of the latency histogram kept per subscription per minute.
 * A histogram has one more bucket than bounds: the last counts attempts slower than the top bound
 * (the dispatcher's longest timeout is 30 s). Changing them would make stored rows unreadable;
 * add a new set under a new table instead.
 */
export const LATENCY_BOUNDS_MS: readonly number[] = [5, 10, 25, 50, 75, 100, 150, 250, 400, 600, 1000, 1500, 2500, 4000, 6000, 10_000, 15_000, 30_000];

export function emptyHistogram(): number[] {
  return new Array<number>(LATENCY_BOUNDS_MS.length + 1).fill(0);
}

/** The bucket an attempt of `durationMs` falls in. */
export function latencyBucket(durationMs: number): number {
  const i = LATENCY_BOUNDS_MS.findIndex((b) => durationMs <= b);
  return i === -1 ? LATENCY_BOUNDS_MS.length : i;
}

/** Adds histograms bucket by bucket (missing buckets count as 0). */
export function addHistograms(into: number[], h: readonly number[]): number[] {
  for (let i = 0; i < into.length; i++) into[i] = (into[i] ?? 0) + (h[i] ?? 0);
  return into;
}

/**
 * The q-quantile (0 < q <= 1) of the durations a histogram counts, interpolated linearly inside
 * the bucket that holds it, so the answer is never off by more than that bucket's width. Null
 * when it counts nothing. The open top bucket answers its lower bound: "at least this slow".
 */
export function histogramQuantile(h: readonly number[], q: number): number | null {
  const total = h.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < h.length; i++) {
    const n = h[i] ?? 0;
    if (n > 0 && seen + n >= rank) {
      const lower = i === 0 ? 0 : (LATENCY_BOUNDS_MS[i - 1] ?? 0);
      const upper = LATENCY_BOUNDS_MS[i];
      if (upper === undefined) return lower;
      return Math.round(lower + ((upper - lower) * (rank - seen)) / n);
    }
    seen += n;
  }
  return LATENCY_BOUNDS_MS[LATENCY_BOUNDS_MS.length - 1] ?? null;
}

/** One minute (or hour) of one subscription's attempts, as the aggregate table stores it. */
export interface HealthBucket {
  start: Date;
  attempts: number;
  successes: number;
  failures: number;
  latencyHistogram: readonly number[];
}

export interface WindowStats {
  attempts: number;
  successes: number;
  failures: number;
  /** successes / attempts, or null with no attempts. */
  success_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
}

/** Sums the buckets that start at or after `since` into the figures of one window. */
export function windowStats(buckets: readonly HealthBucket[], since: Date): WindowStats {
  const h = emptyHistogram();
  let attempts = 0;
  let successes = 0;
  let failures = 0;
  for (const b of buckets) {
    if (b.start < since) continue;
    attempts += b.attempts;
    successes += b.successes;
    failures += b.failures;
    addHistograms(h, b.latencyHistogram);
  }
  return {
    attempts,
    successes,
    failures,
    success_rate: attempts === 0 ? null : Math.round((successes / attempts) * 10_000) / 10_000,
    p50_ms: histogramQuantile(h, 0.5),
    p95_ms: histogramQuantile(h, 0.95),
  };
}

/** The spans endpoint health aggregates at: minutes for the last hour, hours for the last day. */
export type BucketSpan = 'minute' | 'hour';

export const SPAN_MS: Readonly<Record<BucketSpan, number>> = { minute: 60_000, hour: 3_600_000 };

/** The minute (or hour) an attempt is counted in. */
export function bucketStart(at: Date, span: BucketSpan = 'minute'): Date {
  return new Date(Math.floor(at.getTime() / SPAN_MS[span]) * SPAN_MS[span]);
}

/** One bucket of a health series: when it starts, and its window statistics. */
export interface SeriesPoint extends WindowStats {
  start: string;
}

/**
 * One point per `span` from the bucket holding `since` to the one holding `until`, oldest first,
 * an empty bucket as zero attempts: what a chart of the last hour (minutes) or day (hours) draws,
 * with no gap for a quiet minute to hide in.
 */
export function healthSeries(buckets: readonly HealthBucket[], since: Date, until: Date, span: BucketSpan): SeriesPoint[] {
  const byStart = new Map(buckets.map((b) => [b.start.getTime(), b]));
  const points: SeriesPoint[] = [];
  const last = bucketStart(until, span).getTime();
  for (let t = bucketStart(since, span).getTime(); t <= last; t += SPAN_MS[span]) {
    const b = byStart.get(t);
    const start = new Date(t);
    points.push({ start: start.toISOString(), ...windowStats(b ? [b] : [], start) });
  }
  return points;
}
