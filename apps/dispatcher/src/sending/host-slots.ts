import { fairShare, mayTake, reserveOf, type TenantWeights } from '@hookstream/domain';
import { TenantUsage } from './tenant-usage.js';

/**
 * Each origin's HOST_CONCURRENCY slots (its keep-alive pool), shared by the tenants sending
 * there by weight, with the same rules as the dispatcher's send slots (libs/domain fair-share):
 * one tenant's slow endpoints on a shared origin (a chat or CRM webhook host) fill at most its
 * share of that origin while other tenants wait, and the reserve lets a tenant below its share
 * start at once, so another tenant's fast deliveries to the same host never queue behind them.
 */
export class HostSlots {
  private readonly byOrigin = new Map<string, TenantUsage>();
  private readonly reserve: number;

  constructor(
    private readonly capacity: number,
    reservePercent: number,
    private readonly weights: TenantWeights,
  ) {
    this.reserve = reserveOf(capacity, reservePercent);
  }

  /** Attempts in flight at `origin`, all tenants together. */
  active(origin: string): number {
    return this.byOrigin.get(origin)?.total ?? 0;
  }

  /**
   * Whether `tenant` may start one more attempt at `origin`, while the tenants in `waiting` (it
   * may be among them) have work waiting for a slot there.
   */
  mayStart(origin: string, tenant: string, waiting: readonly string[]): boolean {
    const usage = this.byOrigin.get(origin) ?? new TenantUsage(this.weights);
    return mayTake({
      capacity: this.capacity,
      reserve: this.reserve,
      total: usage.total,
      used: usage.of(tenant),
      share: fairShare(this.capacity, usage.weightOf(tenant), usage.weightWith([tenant, ...waiting])),
      othersWaiting: waiting.some((t) => t !== tenant),
    });
  }

  started(origin: string, tenant: string): void {
    let usage = this.byOrigin.get(origin);
    if (!usage) {
      usage = new TenantUsage(this.weights);
      this.byOrigin.set(origin, usage);
    }
    usage.add(tenant);
  }

  finished(origin: string, tenant: string): void {
    const usage = this.byOrigin.get(origin);
    if (!usage) return;
    usage.remove(tenant);
    if (usage.total === 0) this.byOrigin.delete(origin);
  }
}
