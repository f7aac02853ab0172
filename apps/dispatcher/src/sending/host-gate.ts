import type { TenantWeights } from '@hookstream/domain';
import { FairRing } from '@hookstream/domain';
import { breakerKey, type Breakers, type BreakerScope } from './breakers.js';
import { HostSlots } from './host-slots.js';

/** What the gate needs of a lane: whose it is, and where it may park. */
export interface GatedLane {
  subscriptionId: string;
  tenantId: string;
}

/** The gate's answer for a lane's next attempt. */
export type HostVerdict =
  | { kind: 'go' }
  /** The origin's breaker is open for this tenant: settle the attempt as postponed. */
  | { kind: 'postpone'; retryAt: Date }
  /** Parked until a slot frees on the origin or the breaker's trial decides; the gate wakes it. */
  | { kind: 'parked'; on: 'host' | 'breaker' };

/**
 * Everything that stands between a lane and an origin: the origin's HOST_CONCURRENCY slots,
 * shared by tenants by weight (HostSlots), and the (tenant, origin) breaker. A lane the gate
 * refuses is parked here and handed back through `wake` when it may try again: one lane per freed
 * slot in fair order, every parked lane of a breaker when its half-open trial decides.
 */
export class HostGate<L extends GatedLane> {
  private readonly slots: HostSlots;
  /** Lanes waiting for a slot on a saturated origin, in fair order. */
  private readonly waitingForHost = new Map<string, FairRing<L>>();
  /** Lanes waiting for a half-open breaker's trial request to decide, by breaker key (origin and tenant). */
  private readonly waitingForBreaker = new Map<string, Set<L>>();
  /** Lanes woken for a freed slot, which may take it ahead of their tenant's other parked lanes. */
  private readonly woken = new WeakSet<L>();

  constructor(
    private readonly capacity: number,
    reservePercent: number,
    weights: TenantWeights,
    private readonly breakers: Breakers,
    /** Called with each parked lane that may try again. */
    private readonly wake: (lane: L) => void,
  ) {
    this.slots = new HostSlots(capacity, reservePercent, weights);
    this.breakers.onChange((scope) => this.breakerChanged(breakerKey(scope)));
  }

  /** May the lane's next attempt go to `origin` now? Parks the lane when it must wait. */
  check(lane: L, origin: string): HostVerdict {
    const scope: BreakerScope = { tenant: lane.tenantId, origin };
    const gate = this.breakers.gate(scope);
    if (gate.kind === 'postpone') return { kind: 'postpone', retryAt: gate.retryAt };
    if (gate.kind === 'wait') {
      const key = breakerKey(scope);
      let waiting = this.waitingForBreaker.get(key);
      if (!waiting) {
        waiting = new Set();
        this.waitingForBreaker.set(key, waiting);
      }
      waiting.add(lane);
      return { kind: 'parked', on: 'breaker' };
    }
    const parked = this.waitingForHost.get(origin);
    const wokenForSlot = this.woken.delete(lane);
    // A tenant's subscriptions take turns at a full origin: a lane whose attempt just ended goes
    // behind the tenant's lanes already parked there instead of taking the freed slot again.
    // Without this, the first lanes to get slots kept them (each finishing attempt made its lane
    // ready before any parked one), and the tenant's other subscriptions never sent at all.
    const queueJumper = !wokenForSlot && parked?.hasGroup(lane.tenantId) === true;
    if (queueJumper || !this.slots.mayStart(origin, lane.tenantId, parked?.groupKeys() ?? [])) {
      let waiting = parked;
      if (!waiting) {
        waiting = new FairRing();
        this.waitingForHost.set(origin, waiting);
      }
      waiting.add(lane.tenantId, lane.subscriptionId, lane);
      return { kind: 'parked', on: 'host' };
    }
    return { kind: 'go' };
  }

  /** Whether another tenant sends to `origin` (now or in the last few seconds). */
  sharedWithOthers(origin: string, tenant: string): boolean {
    return this.slots.sharedWithOthers(origin, tenant);
  }

  started(origin: string, tenant: string): void {
    this.slots.started(origin, tenant);
  }

  finished(origin: string, tenant: string): void {
    this.slots.finished(origin, tenant);
  }

  /**
   * Wakes, in fair order, as many lanes waiting on each origin as it has free slots, skipping
   * those whose tenant is at its share of the origin while others wait; true if any woke.
   */
  wakeForFreeSlots(): boolean {
    let woke = false;
    for (const [origin, waiting] of this.waitingForHost) {
      let free = this.capacity - this.slots.active(origin);
      const tenants = waiting.groupKeys();
      const kept: L[] = [];
      // A tenant refused once is refused for all its lanes in this pass (the verdict depends on
      // the tenant, not the lane): stop when every waiting tenant is, instead of taking each of
      // its lanes in turn; with 10,000 lanes parked on one origin that scan made each freed slot
      // cost O(lanes), and a big fan-out O(lanes²).
      const refused = new Set<string>();
      // Lanes woken in this pass start only after it: count them as started, or a tenant at one
      // below its share would have every parked lane woken, and all but one parked again, at
      // the back of the ring, behind lanes that had waited less (the ring's order lost).
      const promised = new Map<string, number>();
      let promisedTotal = 0;
      for (let n = waiting.size; n > 0 && free > 0 && refused.size < tenants.length; n--) {
        const lane = waiting.take();
        if (!lane) break;
        if (refused.has(lane.tenantId) || !this.slots.mayStart(origin, lane.tenantId, tenants, { own: promised.get(lane.tenantId) ?? 0, total: promisedTotal })) {
          refused.add(lane.tenantId);
          kept.push(lane);
          continue;
        }
        promised.set(lane.tenantId, (promised.get(lane.tenantId) ?? 0) + 1);
        promisedTotal++;
        this.woken.add(lane);
        this.wake(lane);
        woke = true;
        free--;
      }
      for (const lane of kept) waiting.add(lane.tenantId, lane.subscriptionId, lane);
      if (waiting.size === 0) this.waitingForHost.delete(origin);
    }
    return woke;
  }

  /** Forgets every parked lane (shutdown). */
  clear(): void {
    this.waitingForHost.clear();
    this.waitingForBreaker.clear();
  }

  /** The breaker's half-open trial decided (or it changed otherwise): its parked lanes look again. */
  private breakerChanged(key: string): void {
    const waiting = this.waitingForBreaker.get(key);
    if (!waiting) return;
    this.waitingForBreaker.delete(key);
    for (const lane of waiting) this.wake(lane);
  }
}
