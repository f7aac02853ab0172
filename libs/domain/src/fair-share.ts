/**
 * Fair sharing of one capacity (send slots, held deliveries) among tenants, by weight. The
 * decisions are pure: the dispatcher counts, these rules decide.
 *
 * A tenant's share is its weight's part of the capacity among the tenants competing for it now.
 * The last `reserve` units are kept for tenants below their share, so a tenant that arrives while
 * another has taken everything it could (many slow endpoints) starts at once instead of waiting
 * for the other's work to finish; alone, a tenant uses all but the reserve.
 */

/** Weights by tenant; a tenant not listed weighs `DEFAULT_TENANT_WEIGHT`. */
export type TenantWeights = ReadonlyMap<string, number>;

export const DEFAULT_TENANT_WEIGHT = 1;

/** Parses `tenant=weight,tenant=weight` (weights positive, at most 1000); throws naming the bad entry. */
export function parseTenantWeights(spec: string): Map<string, number> {
  const weights = new Map<string, number>();
  for (const raw of spec.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.lastIndexOf('=');
    const tenant = entry.slice(0, eq).trim();
    const weight = Number(entry.slice(eq + 1).trim());
    if (eq <= 0 || tenant === '' || !Number.isFinite(weight) || weight <= 0 || weight > 1000) {
      throw new RangeError(`"${entry}" is not tenant=weight with a weight above 0 and at most 1000`);
    }
    if (weights.has(tenant)) throw new RangeError(`tenant "${tenant}" is weighted twice`);
    weights.set(tenant, weight);
  }
  return weights;
}

export function weightOf(weights: TenantWeights, tenant: string): number {
  return weights.get(tenant) ?? DEFAULT_TENANT_WEIGHT;
}

/** Units of `capacity` a tenant of `weight` may use while tenants weighing `totalWeight` in all compete (at least 1). */
export function fairShare(capacity: number, weight: number, totalWeight: number): number {
  if (totalWeight <= 0) return capacity;
  return Math.max(1, Math.floor((capacity * weight) / totalWeight));
}

/** Units kept for tenants below their share: `percent` of the capacity, rounded down. */
export function reserveOf(capacity: number, percent: number): number {
  return Math.floor((capacity * percent) / 100);
}

export interface ShareState {
  capacity: number;
  reserve: number;
  /** Units in use, all tenants together. */
  total: number;
  /** Units the asking tenant uses. */
  used: number;
  /** The asking tenant's fair share (see `fairShare`). */
  share: number;
  /** Whether another tenant is waiting for a unit right now. */
  othersWaiting: boolean;
}

/**
 * Whether the tenant may take one more unit now: never beyond the capacity; not at or above its
 * share while another tenant waits; freely below `capacity - reserve`; in the reserve only while
 * below its share (and, alone, never into the reserve).
 */
export function mayTake(s: ShareState): boolean {
  if (s.total >= s.capacity) return false;
  const atShare = s.used >= s.share;
  if (atShare && s.othersWaiting) return false;
  const pool = s.capacity - s.reserve;
  if (s.total < pool) return true;
  return !atShare && s.used < pool;
}

/** What to do with a delivery arriving for a tenant: hold it, defer it for later, or wait for room. */
export type HoldVerdict = 'hold' | 'defer' | 'wait';

/**
 * How far above its share a tenant must be before its deliveries are deferred rather than waited
 * for. Tenants with steady traffic hover around their shares of a full dispatcher; deferring
 * whoever was one above it at the moment sent each such delivery through the retry path and back
 * (the full bench's pipeline deferred 121,324 of 300,000 deliveries that way, and the churn cost
 * it a third of its throughput). A tenant holding far more than its share, the case deferral is
 * for, is still deferred at once.
 */
export const DEFER_ABOVE_SHARE = 1.25;

/**
 * Held deliveries (queued or in flight). A tenant well above its share (DEFER_ABOVE_SHARE) while
 * other tenants compete has its new deliveries deferred, so it never keeps the others' deliveries
 * out; without competition, or near its share, a full capacity waits (backpressure on the
 * consumer) as it always did.
 */
export function holdVerdict(s: Omit<ShareState, 'othersWaiting'> & { othersCompete: boolean }): HoldVerdict {
  if (mayTake({ ...s, othersWaiting: false })) return 'hold';
  if (s.used > s.share * DEFER_ABOVE_SHARE && s.othersCompete) return 'defer';
  return 'wait';
}
