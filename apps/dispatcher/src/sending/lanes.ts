import { FairRing, RateWindow } from '@hookstream/domain';
import type { DeliveryTask } from './delivery-task.js';
import { Fifo } from './fifo.js';

/** Assumed duration of an attempt before a subscription has shown its own. */
const INITIAL_TYPICAL_MS = 500;

/** Why a lane with work is not runnable: its own limits, its origin's slots, its breaker, or its batch filling up. */
export type Blocked = 'none' | 'concurrency' | 'rate' | 'host' | 'breaker' | 'recorder' | 'batch';

/** A subscription's queue in this process, with what its own limits remember. */
export interface Lane {
  subscriptionId: string;
  tenantId: string;
  tasks: Fifo<DeliveryTask>;
  active: number;
  /** Attempts of this subscription in flight now. */
  running: Set<DeliveryTask>;
  /** Whether `typicalMs` comes from attempts this process saw, rather than the initial guess. */
  observed: boolean;
  window: RateWindow | null;
  blocked: Blocked;
  timer: NodeJS.Timeout | null;
  /** Moving average of this subscription's attempt durations, for concurrency estimates. */
  typicalMs: number;
  /** Where the next throttled deferral goes, so deferred deliveries come back spread out. */
  nextDeferSlotMs: number;
  /** A batched subscription's latest deferral slot and how many deliveries share it (see DeliveryScheduler.deferSlot). */
  deferredBatch: { untilMs: number; count: number } | null;
}

/**
 * The lanes (one per subscription with work here) and fair turn-taking among the runnable ones:
 * tenants take turns, and within a tenant its subscriptions take turns, so a tenant's 10,000-way
 * fan-out or one slow endpoint never queues anyone else behind it.
 */
export class Lanes {
  private readonly lanes = new Map<string, Lane>();
  /** Runnable lanes: tenants in turn order, each with its subscriptions in turn order. */
  private readonly ready = new FairRing<Lane>();

  constructor(private readonly rateMarginMs: number) {}

  get(subscriptionId: string): Lane | undefined {
    return this.lanes.get(subscriptionId);
  }

  /** The subscription's lane, made on first use. */
  of(subscriptionId: string, tenantId: string): Lane {
    let lane = this.lanes.get(subscriptionId);
    if (!lane) {
      lane = { subscriptionId, tenantId, tasks: new Fifo(), active: 0, running: new Set(), observed: false, window: null, blocked: 'none', timer: null, typicalMs: INITIAL_TYPICAL_MS, nextDeferSlotMs: 0, deferredBatch: null };
      this.lanes.set(subscriptionId, lane);
    }
    return lane;
  }

  /** The lane's rate window, rebuilt when the subscription's limit changes. */
  windowFor(lane: Lane, ratePerSecond: number | null): RateWindow | null {
    if (ratePerSecond === null) return (lane.window = null);
    if (lane.window?.perSecond !== ratePerSecond) lane.window = new RateWindow(ratePerSecond, 1000 + this.rateMarginMs);
    return lane.window;
  }

  /** Back in its tenant's turn, if it has work and nothing blocks it. */
  makeReady(lane: Lane): void {
    if (lane.blocked === 'none' && lane.tasks.size > 0) this.ready.add(lane.tenantId, lane.subscriptionId, lane);
  }

  /** The runnable lane whose turn it is, taken out of the turn order. */
  take(): Lane | undefined {
    return this.ready.take();
  }

  /** Puts a lane taken by `take` back in the turn order, untouched (the send limit was reached). */
  putBack(lane: Lane): void {
    this.ready.add(lane.tenantId, lane.subscriptionId, lane);
  }

  /** Whether a tenant other than `tenant` has a runnable lane. */
  othersReady(tenant: string): boolean {
    return this.ready.hasGroupOtherThan(tenant);
  }

  /** Folds an attempt's duration into the lane's typical duration. */
  observe(lane: Lane, durationMs: number): void {
    lane.typicalMs = lane.observed ? 0.8 * lane.typicalMs + 0.2 * durationMs : durationMs;
    lane.observed = true;
  }

  /**
   * How long the lane's attempts take, as far as anything shows it: its typical duration once
   * observed, or longer while one of its attempts has been running longer; null before either.
   */
  durationSoFar(lane: Lane, now: number): number | null {
    let longestRunning = 0;
    for (const t of lane.running) if (t.startedAt !== null) longestRunning = Math.max(longestRunning, now - t.startedAt);
    if (lane.observed) return Math.max(lane.typicalMs, longestRunning);
    return longestRunning > 0 ? longestRunning : null;
  }

  /** Empties every lane (shutdown): answers the tasks that had not started. */
  drain(): DeliveryTask[] {
    const queued: DeliveryTask[] = [];
    for (const lane of this.lanes.values()) {
      if (lane.timer) clearTimeout(lane.timer);
      lane.timer = null;
      for (let t = lane.tasks.shift(); t; t = lane.tasks.shift()) queued.push(t);
    }
    this.ready.clear();
    return queued;
  }

  clearTimers(): void {
    for (const lane of this.lanes.values()) if (lane.timer) clearTimeout(lane.timer);
  }

  /** Lanes with nothing queued, running or remembered are dropped, so memory follows activity. */
  forgetIdle(now: number): void {
    for (const [id, lane] of this.lanes) {
      const remembers = (lane.window && !lane.window.isIdle(now)) || lane.nextDeferSlotMs > now;
      if (lane.tasks.size === 0 && lane.active === 0 && lane.blocked === 'none' && !remembers) this.lanes.delete(id);
    }
  }
}
