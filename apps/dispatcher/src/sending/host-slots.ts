import { fairShare, mayTake, reserveOf, type TenantWeights } from '@hookstream/domain';
import { RecentTenants } from './recent-tenants.js';
import { TenantUsage } from './tenant-usage.js';

/** Attempts granted and about to start (lanes woken in this pass): the tenant's own, and everyone's. */
export interface Promised {
  own: number;
  total: number;
}
const NONE_PROMISED: Promised = { own: 0, total: 0 };

/** How long a tenant that started an attempt at an origin still counts as sharing it. */
const RECENT_MS = 10_000;

/**
 * Each origin's HOST_CONCURRENCY slots (its keep-alive pool), shared by the tenants sending
 * there by weight, with the same rules as the dispatcher's send slots (libs/domain fair-share):
 * one tenant's slow endpoints on a shared origin (a chat or CRM webhook host) fill at most its
 * share of that origin while other tenants wait, and the reserve lets a tenant below its share
 * start at once, so another tenant's fast deliveries to the same host never queue behind them.
 * A tenant that sent there in the last RECENT_MS counts as sharing the origin even at a moment
 * it has nothing waiting: its deliveries finish in milliseconds and arrive in batches, so it is
 * rarely caught waiting, and without this the slow tenant would grow into the whole pool between
 * its batches (all but the reserve, attempts that each hold a slot for seconds).
 */
export class HostSlots {
  private readonly byOrigin = new Map<string, TenantUsage>();
  private readonly recentByOrigin = new Map<string, RecentTenants>();
  private readonly reserve: number;

  constructor(
    private readonly capacity: number,
    reservePercent: number,
    private readonly weights: TenantWeights,
    private readonly now: () => number = Date.now,
  ) {
    this.reserve = reserveOf(capacity, reservePercent);
  }

  /** Attempts in flight at `origin`, all tenants together. */
  active(origin: string): number {
    return this.byOrigin.get(origin)?.total ?? 0;
  }

  /**
   * Whether `tenant` may start one more attempt at `origin`, while the tenants in `waiting` (it
   * may be among them) have work waiting for a slot there. `promised` counts attempts already
   * granted and about to start (lanes woken for free slots in this pass): the tenant's own, and
   * everyone's.
   */
  mayStart(origin: string, tenant: string, waiting: readonly string[], promised: Promised = NONE_PROMISED): boolean {
    return this.checker(origin, waiting)(tenant, promised);
  }

  /**
   * mayStart for any tenant against one set of waiting tenants. The weight they share is summed
   * once: a wake pass asks for lane after lane against the same set, and summing per lane made
   * each pass O(tenants²) (about a tenth of the dispatcher's CPU in the bench's pipeline).
   */
  checker(origin: string, waiting: readonly string[]): (tenant: string, promised?: Promised) => boolean {
    const usage = this.byOrigin.get(origin) ?? new TenantUsage(this.weights);
    const recent = this.recentAt(origin, usage);
    // Every tenant in use at the origin is recent (started() touches it, prune keeps it).
    const sharers = recent ?? usage;
    const waitingSet = new Set(waiting);
    const sharingWaiting = sharers.weightWith(waitingSet);
    return (tenant, promised = NONE_PROMISED) => {
      const sharing = sharingWaiting + (waitingSet.has(tenant) || sharers.has(tenant) ? 0 : usage.weightOf(tenant));
      const othersRecent = recent !== null && recent.size - (recent.has(tenant) ? 1 : 0) > 0;
      return mayTake({
        capacity: this.capacity,
        reserve: this.reserve,
        total: usage.total + promised.total,
        used: usage.of(tenant) + promised.own,
        share: fairShare(this.capacity, usage.weightOf(tenant), sharing),
        othersWaiting: othersRecent || waitingSet.size - (waitingSet.has(tenant) ? 1 : 0) > 0,
      });
    };
  }

  /** Whether another tenant sends to `origin`, or did in the last RECENT_MS. */
  sharedWithOthers(origin: string, tenant: string): boolean {
    const usage = this.byOrigin.get(origin) ?? new TenantUsage(this.weights);
    const recent = this.recentAt(origin, usage);
    return recent !== null && recent.size - (recent.has(tenant) ? 1 : 0) > 0;
  }

  started(origin: string, tenant: string): void {
    let usage = this.byOrigin.get(origin);
    if (!usage) {
      usage = new TenantUsage(this.weights);
      this.byOrigin.set(origin, usage);
    }
    usage.add(tenant);
    let recent = this.recentByOrigin.get(origin);
    if (!recent) {
      recent = new RecentTenants(this.weights, RECENT_MS);
      this.recentByOrigin.set(origin, recent);
    }
    recent.touch(tenant, this.now());
  }

  /** The origin's recent tenants, pruned; null (and forgotten) once none is left. */
  private recentAt(origin: string, usage: TenantUsage): RecentTenants | null {
    const recent = this.recentByOrigin.get(origin);
    if (!recent) return null;
    recent.prune(this.now(), (t) => usage.of(t) > 0);
    if (recent.size > 0) return recent;
    this.recentByOrigin.delete(origin);
    return null;
  }

  finished(origin: string, tenant: string): void {
    const usage = this.byOrigin.get(origin);
    if (!usage) return;
    usage.remove(tenant);
    if (usage.total === 0) this.byOrigin.delete(origin);
  }
}
