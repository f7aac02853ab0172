import { type TenantWeights, weightOf } from '@hookstream/domain';

/**
 * Tenants that had deliveries in this process lately, with their total weight. They count as
 * competing for held deliveries even at a moment they hold none: a tenant whose deliveries finish
 * in milliseconds holds nothing most of the time, and its next ones may sit in Kafka behind a
 * batch that a slower tenant's full share would otherwise hold back.
 */
export class RecentTenants {
  private readonly lastSeen = new Map<string, number>();
  private weightSum = 0;

  constructor(
    private readonly weights: TenantWeights,
    private readonly windowMs: number,
  ) {}

  get size(): number {
    return this.lastSeen.size;
  }

  has(tenant: string): boolean {
    return this.lastSeen.has(tenant);
  }

  touch(tenant: string, now: number): void {
    if (!this.lastSeen.has(tenant)) this.weightSum += weightOf(this.weights, tenant);
    // Re-inserted so the map stays in last-seen order and pruning stops at the first recent one.
    this.lastSeen.delete(tenant);
    this.lastSeen.set(tenant, now);
  }

  /** Forgets tenants not seen for the window, unless `keep` says they still hold deliveries. */
  prune(now: number, keep: (tenant: string) => boolean): void {
    for (const [tenant, at] of this.lastSeen) {
      if (now - at < this.windowMs) break;
      if (keep(tenant)) {
        this.touch(tenant, now);
        continue;
      }
      this.lastSeen.delete(tenant);
      this.weightSum -= weightOf(this.weights, tenant);
    }
  }

  /** The weight of the recent tenants, plus that of `also` not among them. */
  weightWith(also: Iterable<string>): number {
    let sum = this.weightSum;
    for (const t of also) if (!this.lastSeen.has(t)) sum += weightOf(this.weights, t);
    return sum;
  }
}
