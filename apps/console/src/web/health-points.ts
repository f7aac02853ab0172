/** A bucket of GET /v1/endpoint-health's series. */
export interface HealthPoint {
  start: string;
  attempts: number;
  success_rate: number | null;
  p50_ms: number | null;
  p95_ms: number | null;
}

export interface ChartPoint {
  /** The bucket's start in the browser's zone: HH:MM. */
  time: string;
  /** Percent, one decimal; null for a bucket with no attempts (drawn as a gap). */
  success: number | null;
  p50: number | null;
  p95: number | null;
  attempts: number;
}

/** The series as the charts draw them: the hour's minutes or the day's hours, each labelled HH:MM. */
export function chartPoints(points: readonly HealthPoint[], timeZone?: string): ChartPoint[] {
  const format = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false, ...(timeZone ? { timeZone } : {}) });
  return points.map((p) => ({
    time: format.format(new Date(p.start)),
    success: p.success_rate === null ? null : Math.round(p.success_rate * 1000) / 10,
    p50: p.attempts > 0 ? p.p50_ms : null,
    p95: p.attempts > 0 ? p.p95_ms : null,
    attempts: p.attempts,
  }));
}
