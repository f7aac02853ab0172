import type { TenantWeights } from '@hookstream/domain';
import { FairRing } from '@hookstream/domain';
import { breakerKey, type Breakers, type BreakerScope } from './breakers.js';
import { HostSlots } from './host-slots.js';

/** How often a wake pass looks at every origin with parked lanes, changed or not. */
const SWEEP_MS = 1000;

/** What the gate needs of a lane: whose it is, and where it may park. */
export interface GatedLane {
  subscriptionId: string;
  tenantId: string;
}

/** The gate's answer for a lane's next attempt. */
export type HostVerdict =
  | { kind: 'go' }
  /** The origin's breaker is open for this tenant: park the lane on it (parkOnBreaker) or postpone. */
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
  /**
   * Origins where a lane parked or an attempt finished since their last wake pass. Elsewhere a
   * pass would refuse the same lanes again: nothing it depends on has loosened (an attempt
   * starting only tightens it), except a quiet tenant ageing out of the recent ones, which the
   * sweep every SWEEP_MS catches.
   */
  private readonly changed = new Set<string>();
  private lastSweep = 0;

  constructor(
    private readonly capacity: number,
    reservePercent: number,
    weights: TenantWeights,
    private readonly breakers: Breakers,
    /** Called with each parked lane that may try again. */
    private readonly wake: (lane: L) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.slots = new HostSlots(capacity, reservePercent, weights);
    this.breakers.onChange((scope) => this.breakerChanged(breakerKey(scope)));
  }

  /** May the lane's next attempt go to `origin` now? Parks the lane when it must wait. */
  check(lane: L, origin: string): HostVerdict {
    const scope: BreakerScope = { tenant: lane.tenantId, origin };
    const gate = this.breakers.gate(scope);
    if (gate.kind === 'postpone') return { kind: 'postpone', retryAt: gate.retryAt };
    if (gate.kind === 'wait') return this.parkOnBreaker(lane, origin);
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
      this.changed.add(origin);
      return { kind: 'parked', on: 'host' };
    }
    return { kind: 'go' };
  }

  /**
   * Parks the lane on its tenant's breaker for `origin` until the breaker next changes state: its
   * half-open trial is running, or (the scheduler's choice) it is open and the lane's backlog
   * waits in memory for the trial instead of being postponed.
   */
  parkOnBreaker(lane: L, origin: string): Extract<HostVerdict, { kind: 'parked' }> {
    const key = breakerKey({ tenant: lane.tenantId, origin });
    let waiting = this.waitingForBreaker.get(key);
    if (!waiting) {
      waiting = new Set();
      this.waitingForBreaker.set(key, waiting);
    }
    waiting.add(lane);
    return { kind: 'parked', on: 'breaker' };
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
    if (this.waitingForHost.has(origin)) this.changed.add(origin);
  }

  /**
   * Wakes, in fair order, as many lanes waiting on each origin as it has free slots, skipping
   * those whose tenant is at its share of the origin while others wait; true if any woke.
   */
  wakeForFreeSlots(): boolean {
    let woke = false;
    const now = this.now();
    const sweep = now - this.lastSweep >= SWEEP_MS;
    if (sweep) this.lastSweep = now;
    for (const [origin, waiting] of this.waitingForHost) {
      let free = this.capacity - this.slots.active(origin);
      // With no slot free, only a finishing attempt (which marks the origin changed) can free one.
      if (free <= 0 || (!sweep && !this.changed.has(origin))) continue;
      this.changed.delete(origin);
      const tenants = waiting.groupKeys();
      const mayStart = this.slots.checker(origin, tenants);
      // Lanes woken in this pass start only after it: count them as started, or a tenant at one
      // below its share would have every parked lane woken, and all but one parked again, at
      // the back of the ring, behind lanes that had waited less (the ring's order lost).
      const promised = new Map<string, number>();
      let promisedTotal = 0;
      // Tenants take turns in the ring's order, one lane each per round, while slots are free.
      // The verdict depends on the tenant, not the lane: a tenant refused once sits out the pass,
      // its lanes untouched, so a pass costs O(tenants + lanes woken) however many lanes are
      // parked (taking each lane to look at it once made a big fan-out O(lanes²)).
      let turn = tenants;
      while (free > 0 && turn.length > 0) {
        const again: string[] = [];
        for (const tenant of turn) {
          if (free <= 0) break;
          const own = promised.get(tenant) ?? 0;
          if (!mayStart(tenant, { own, total: promisedTotal })) continue;
          const lane = waiting.takeFrom(tenant);
          if (!lane) continue;
          promised.set(tenant, own + 1);
          promisedTotal++;
          this.woken.add(lane);
          this.wake(lane);
          woke = true;
          free--;
          if (waiting.hasGroup(tenant)) again.push(tenant);
        }
        turn = again;
      }
      if (waiting.size === 0) {
        this.waitingForHost.delete(origin);
        this.changed.delete(origin);
      }
    }
    return woke;
  }

  /** Forgets every parked lane (shutdown). */
  clear(): void {
    this.waitingForHost.clear();
    this.changed.clear();
    this.waitingForBreaker.clear();
  }

  /** The breaker changed state (half-opened, or its trial decided): its parked lanes look again. */
  private breakerChanged(key: string): void {
    const waiting = this.waitingForBreaker.get(key);
    if (!waiting) return;
    this.waitingForBreaker.delete(key);
    for (const lane of waiting) this.wake(lane);
  }
}
