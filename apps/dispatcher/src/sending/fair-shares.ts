import { Inject, Injectable } from '@nestjs/common';
import { DeferralPacer, fairShare, holdVerdict, type HoldVerdict, mayTake, reserveOf } from '@hookstream/domain';
import { APP_CONFIG, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { RecentTenants } from './recent-tenants.js';
import { TenantUsage } from './tenant-usage.js';

/** How long a tenant that had deliveries here still counts as competing for held deliveries. */
const RECENT_MS = 10_000;

/**
 * Which tenant may hold one more delivery, and start one more attempt, in this process: tenants
 * share MAX_HELD_DELIVERIES and SEND_CONCURRENCY by weight (TENANT_WEIGHTS), with
 * FAIR_SHARE_RESERVE_PERCENT of each kept for tenants below their share (rules in
 * libs/domain/src/fair-share.ts). Within a tenant, its subscriptions take turns (the scheduler's
 * FairRing). Tenants holding deliveries compete for send slots; tenants that held any in the
 * last RECENT_MS compete for held deliveries.
 */
@Injectable()
export class FairShares {
  private readonly held: TenantUsage;
  private readonly sending: TenantUsage;
  private readonly recent: RecentTenants;
  private readonly heldReserve: number;
  private readonly sendReserve: number;
  private readonly deferrals;
  private readonly pacer: DeferralPacer;

  constructor(
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    metrics: Metrics,
  ) {
    this.held = new TenantUsage(config.TENANT_WEIGHTS);
    this.sending = new TenantUsage(config.TENANT_WEIGHTS);
    this.recent = new RecentTenants(config.TENANT_WEIGHTS, RECENT_MS);
    this.heldReserve = reserveOf(config.MAX_HELD_DELIVERIES, config.FAIR_SHARE_RESERVE_PERCENT);
    this.sendReserve = reserveOf(config.SEND_CONCURRENCY, config.FAIR_SHARE_RESERVE_PERCENT);
    this.pacer = new DeferralPacer(config.THROTTLE_HOLD_MS);
    this.deferrals = metrics.counter('hookstream_fair_share_deferrals_total', 'Deliveries deferred because their tenant held more than its fair share while other tenants competed');
  }

  /** Whether one more of `tenant`'s deliveries may be held, arriving together with deliveries of `arriving` (it included). */
  holdVerdict(tenant: string, arriving: ReadonlySet<string>): HoldVerdict {
    this.recent.prune(Date.now(), (t) => this.held.of(t) > 0);
    const capacity = this.config.MAX_HELD_DELIVERIES;
    const othersRecent = this.recent.size - (this.recent.has(tenant) ? 1 : 0) > 0;
    const othersArrive = arriving.size > (arriving.has(tenant) ? 1 : 0);
    return holdVerdict({
      capacity,
      reserve: this.heldReserve,
      total: this.held.total,
      used: this.held.of(tenant),
      share: fairShare(capacity, this.held.weightOf(tenant), this.recent.weightWith(arriving)),
      othersCompete: othersRecent || othersArrive,
    });
  }

  /**
   * Whether `tenant` holds so far above its share while others compete that its next delivery
   * would be deferred (holdVerdict 'defer'): the fan-out holds its events back meanwhile.
   */
  overShare(tenant: string): boolean {
    return this.holdVerdict(tenant, new Set([tenant])) === 'defer';
  }

  holding(tenant: string): void {
    this.held.add(tenant);
    this.recent.touch(tenant, Date.now());
  }

  released(tenant: string): void {
    this.held.remove(tenant);
    this.recent.touch(tenant, Date.now());
  }

  started(tenant: string): void {
    this.sending.add(tenant);
  }

  finished(tenant: string): void {
    this.sending.remove(tenant);
    this.pacer.finished(tenant, Date.now());
  }

  /** Whether `tenant` may start one more attempt now; `othersWaiting` when another tenant's work is ready to start. */
  mayStart(tenant: string, othersWaiting: boolean): boolean {
    const capacity = this.config.SEND_CONCURRENCY;
    return mayTake({
      capacity,
      reserve: this.sendReserve,
      total: this.sending.total,
      used: this.sending.of(tenant),
      share: fairShare(capacity, this.sending.weightOf(tenant), this.held.weightWith([tenant])),
      othersWaiting,
    });
  }

  /**
   * When one of `tenant`'s deferred deliveries comes back: THROTTLE_HOLD_MS to twice that, or
   * later when the tenant already has deferrals coming back at the rate it drains (DeferralPacer).
   */
  deferUntil(tenant: string, now: number): Date {
    this.deferrals.inc();
    return new Date(this.pacer.deferUntil(tenant, now, Math.random()));
  }
}
