/** Completions are counted in one-second buckets over this window. */
const WINDOW_S = 10;
/** A tenant that finished nothing lately is assumed to manage this many a second. */
const MIN_RATE_PER_S = 1;
/** No deferred delivery is sent further ahead than this; past it they come back and queue again. */
export const MAX_DEFERRAL_MS = 5 * 60_000;

interface TenantPace {
  /** Completions per second, for the seconds `second - WINDOW_S + 1 … second`. */
  buckets: number[];
  second: number;
  /** When this tenant's next deferred delivery should come back (epoch ms). */
  horizon: number;
}

/**
 * When a delivery deferred for its tenant's fair share comes back. A fixed hold (5-10 s) is fine
 * for a short burst, but a tenant that keeps sending more than it can drain (endpoints that answer
 * after 10 s, say) would have the same deliveries deferred again and again, every few seconds:
 * the circulating backlog grows with every arrival, and its churn through the retry topic and
 * Postgres ends up loading the platform for every tenant (issue 13's hostile_tenant run: 52 CPU-s
 * of Postgres in a 60 s attack, good tenants' p99 61×).
 *
 * So each tenant's deferrals are spaced at the rate this process has lately been finishing its
 * attempts: deferred deliveries come back about as fast as the tenant can take them, each is
 * deferred about once, and the spacing follows the tenant's real throughput as it changes.
 * Pure: the caller passes the time and the randomness.
 */
export class DeferralPacer {
  private readonly tenants = new Map<string, TenantPace>();

  constructor(
    private readonly holdMs: number,
    private readonly maxTenants = 10_000,
  ) {}

  /** One of `tenant`'s attempts ended (whatever its outcome) at `now`. */
  finished(tenant: string, now: number): void {
    const pace = this.pace(tenant, now);
    pace.buckets[pace.buckets.length - 1] = (pace.buckets[pace.buckets.length - 1] ?? 0) + 1;
  }

  /** Attempts per second `tenant` finished over the last WINDOW_S seconds (at least MIN_RATE_PER_S). */
  ratePerSecond(tenant: string, now: number): number {
    const pace = this.tenants.get(tenant);
    if (!pace) return MIN_RATE_PER_S;
    this.roll(pace, now);
    return Math.max(MIN_RATE_PER_S, pace.buckets.reduce((a, b) => a + b, 0) / WINDOW_S);
  }

  /** When one more of `tenant`'s deferred deliveries comes back (epoch ms); `random` in [0, 1). */
  deferUntil(tenant: string, now: number, random: number): number {
    const hold = Math.max(1000, this.holdMs);
    const pace = this.pace(tenant, now);
    const at = Math.min(Math.max(now + hold + Math.floor(random * hold), pace.horizon), now + MAX_DEFERRAL_MS);
    pace.horizon = at + 1000 / this.ratePerSecond(tenant, now);
    return at;
  }

  private pace(tenant: string, now: number): TenantPace {
    let pace = this.tenants.get(tenant);
    if (!pace) {
      if (this.tenants.size >= this.maxTenants) this.forgetIdle(now);
      pace = { buckets: new Array<number>(WINDOW_S).fill(0), second: Math.floor(now / 1000), horizon: 0 };
      this.tenants.set(tenant, pace);
    }
    this.roll(pace, now);
    return pace;
  }

  private roll(pace: TenantPace, now: number): void {
    const second = Math.floor(now / 1000);
    const steps = Math.min(WINDOW_S, second - pace.second);
    for (let i = 0; i < steps; i++) {
      pace.buckets.shift();
      pace.buckets.push(0);
    }
    if (second > pace.second) pace.second = second;
  }

  /** Tenants whose deferrals have all come back and who finished nothing lately. */
  private forgetIdle(now: number): void {
    for (const [tenant, pace] of this.tenants) {
      this.roll(pace, now);
      if (pace.horizon <= now && pace.buckets.every((b) => b === 0)) this.tenants.delete(tenant);
    }
    // Still full: the oldest entries go (a Map iterates in insertion order).
    for (const tenant of this.tenants.keys()) {
      if (this.tenants.size < this.maxTenants) break;
      this.tenants.delete(tenant);
    }
  }
}
