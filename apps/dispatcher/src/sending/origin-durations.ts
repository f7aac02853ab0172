/**
 * Each tenant's attempt durations at each origin, for its subscriptions that have not shown their
 * own yet: a tenant's fifty endpoints behind one slow host take turns for its slots, and one that
 * has not had its turn would otherwise count as fast and have its whole backlog held. Until an
 * attempt there has ended, the longest-running one is the best estimate (a ten-second endpoint
 * shows nothing for ten seconds otherwise). Bounded: the least recently updated pair of typical
 * durations is dropped past `max`; running attempts are forgotten as they end.
 */
export class OriginDurations {
  private readonly typical = new Map<string, number>();
  /** Start times of the attempts running now, by pair. */
  private readonly running = new Map<string, Map<object, number>>();

  constructor(private readonly max = 10_000) {}

  started(tenant: string, origin: string, attempt: object, at: number): void {
    const key = keyOf(tenant, origin);
    let starts = this.running.get(key);
    if (!starts) {
      starts = new Map();
      this.running.set(key, starts);
    }
    starts.set(attempt, at);
  }

  /** The attempt ended after `durationMs`, or without a duration (nothing was sent). */
  ended(tenant: string, origin: string, attempt: object, durationMs: number | null): void {
    const key = keyOf(tenant, origin);
    const starts = this.running.get(key);
    starts?.delete(attempt);
    if (starts?.size === 0) this.running.delete(key);
    if (durationMs === null) return;
    const previous = this.typical.get(key);
    // Re-inserted, so the Map's order is least recently updated first.
    this.typical.delete(key);
    this.typical.set(key, previous === undefined ? durationMs : 0.8 * previous + 0.2 * durationMs);
    if (this.typical.size > this.max) {
      const oldest = this.typical.keys().next();
      if (!oldest.done) this.typical.delete(oldest.value);
    }
  }

  /** The typical duration, or longer while an attempt has run longer; null before either shows. */
  get(tenant: string, origin: string, now: number): number | null {
    const key = keyOf(tenant, origin);
    let longest = 0;
    for (const at of this.running.get(key)?.values() ?? []) longest = Math.max(longest, now - at);
    const typical = this.typical.get(key);
    if (typical !== undefined) return Math.max(typical, longest);
    return longest > 0 ? longest : null;
  }
}

function keyOf(tenant: string, origin: string): string {
  return `${tenant}\n${origin}`;
}
