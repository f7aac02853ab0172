/**
 * Each tenant's typical attempt duration at each origin, for its subscriptions that have not
 * shown their own yet: a tenant's fifty endpoints behind one slow host take turns for its slots,
 * and one that has not had its turn would otherwise count as fast and have its whole backlog
 * held. Bounded: the least recently updated pair is dropped past `max`.
 */
export class OriginDurations {
  private readonly typical = new Map<string, number>();

  constructor(private readonly max = 10_000) {}

  observe(tenant: string, origin: string, durationMs: number): void {
    const key = `${tenant}\n${origin}`;
    const previous = this.typical.get(key);
    // Re-inserted, so the Map's order is least recently updated first.
    this.typical.delete(key);
    this.typical.set(key, previous === undefined ? durationMs : 0.8 * previous + 0.2 * durationMs);
    if (this.typical.size > this.max) {
      const oldest = this.typical.keys().next();
      if (!oldest.done) this.typical.delete(oldest.value);
    }
  }

  get(tenant: string, origin: string): number | null {
    return this.typical.get(`${tenant}\n${origin}`) ?? null;
  }
}
