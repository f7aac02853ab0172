import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { BatchSettings, SubscriptionSnapshot } from '@hookstream/contracts';
import { batchGroup, decideHostBacklog, decideThrottle, deferSpacingMs, hostBacklogSpacingMs, planBatch, type RateWindow } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';
import { Breakers } from './breakers.js';
import { TenantStatesWorker } from '../tenant-states/tenant-states.worker.js';
import { DeliveryAttempt } from './delivery-attempt.js';
import type { DeliveryTask } from './delivery-task.js';
import { FairShares } from './fair-shares.js';
import { HostGate } from './host-gate.js';
import { type Blocked, type Lane, Lanes } from './lanes.js';
import { OriginDurations } from './origin-durations.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { type Outcome, OutcomePlanner } from './outcomes.js';

/**
 * How many outcomes may wait for the recorder's next group before a held delivery is settled
 * without sending. A breaker that opens on a tenant's parked backlog postpones all of it, and
 * each postponement is an outcome to record (a Kafka message and a row). Settled as fast as the
 * pump could, a backlog of 9,000 went out in groups of about 2,400, each over a second to write
 * (hostile_tenant); every batch holding an outcome in such a group waited for it before its
 * offsets could move, which stalled every other tenant's deliveries for up to 7 s. Past this
 * many, the settling lane waits (blocked 'recorder') until the recorder takes what waits into a
 * group, while other lanes go on starting sends.
 */
const SETTLE_WHILE_WAITING = 200;

/**
 * Decides which held delivery goes next, and starts it. Fair by construction (Lanes: tenants
 * take turns, then their subscriptions). A delivery starts only within the global limit
 * (SEND_CONCURRENCY) and its tenant's share of it (FairShares), its origin's slots and breaker
 * (HostGate), and its subscription's max concurrency and rate limit (which hold across batches
 * and retries, since a subscription's messages all reach this process). What a subscription's
 * limits would hold longer than THROTTLE_HOLD_MS, or a tenant above its share of a full
 * dispatcher, or queued behind its tenant's share of a full origin for longer than that, is
 * deferred through hookstream.retries without spending an attempt. The attempt
 * itself is DeliveryAttempt's; its outcome goes to the OutcomeRecorder.
 */
@Injectable()
export class DeliveryScheduler implements OnModuleDestroy {
  private readonly lanes: Lanes;
  private readonly gate: HostGate<Lane>;
  private readonly originDurations = new OriginDurations();
  private get defersHostBacklog(): boolean {
    return this.config.DEFER_HOST_BACKLOG === 'true';
  }
  /** Every task this process holds, by (delivery, generation, attempt), until its outcome is durable. */
  private readonly held = new Map<string, DeliveryTask>();
  private readonly roomWaiters: Array<() => void> = [];
  /** Lanes waiting for the recorder to take the outcomes already waiting (see maySettle). */
  private readonly waitingForRecorder = new Set<Lane>();
  private readonly idleWaiters: Array<() => void> = [];
  private active = 0;
  private stopped = false;
  private pumping = false;
  private readonly cleanup: NodeJS.Timeout;
  private readonly inFlightGauge;
  private readonly queuedGauge;

  constructor(
    private readonly index: SubscriptionIndexService,
    private readonly breakers: Breakers,
    private readonly shares: FairShares,
    private readonly planner: OutcomePlanner,
    private readonly recorder: OutcomeRecorder,
    private readonly attempt: DeliveryAttempt,
    private readonly tenants: TenantStatesWorker,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.lanes = new Lanes(config.RATE_LIMIT_MARGIN_MS);
    this.gate = new HostGate<Lane>(config.HOST_CONCURRENCY, config.FAIR_SHARE_RESERVE_PERCENT, config.TENANT_WEIGHTS, breakers, (lane) => {
      if (lane.blocked === 'host' || lane.blocked === 'breaker') this.unblock(lane);
    });
    this.inFlightGauge = metrics.gauge('hookstream_deliveries_in_flight', 'HTTP delivery attempts in flight');
    this.queuedGauge = metrics.gauge('hookstream_deliveries_held', 'Deliveries held in this process (queued, in flight or being recorded)');
    this.cleanup = setInterval(() => this.lanes.forgetIdle(Date.now()), 5000);
    this.cleanup.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.cleanup);
    this.lanes.clearTimers();
  }

  /** The task this process already holds for the same planned attempt, if any. */
  holding(key: string): DeliveryTask | undefined {
    return this.held.get(key);
  }

  /**
   * Whether the task will most likely still be unfinished after `withinMs`: its subscription's
   * attempts typically take longer, one of them is already running longer, or it is held back by
   * its limits or its host. Such a task is leased at once instead of keeping its batch waiting.
   */
  expectsSlow(task: DeliveryTask, withinMs: number): boolean {
    const lane = this.lanes.get(task.msg.subscription_id);
    if (!lane) return false;
    if (lane.blocked !== 'none') return true;
    if (lane.observed && lane.typicalMs > withinMs) return true;
    const now = Date.now();
    for (const t of lane.running) if (t.startedAt !== null && now - t.startedAt > withinMs) return true;
    return false;
  }

  /**
   * Resolves once every tenant of a batch (`tenants`, one per delivery) may have its deliveries
   * held or deferred (backpressure on the consumer): a full MAX_HELD_DELIVERIES holds the batch
   * back, unless the tenants filling it are above their fair share, whose deliveries are then
   * deferred instead (see FairShares).
   */
  async whenRoom(tenants: readonly string[]): Promise<void> {
    const arriving = new Set(tenants);
    const blocked = () => [...arriving].some((t) => this.shares.holdVerdict(t, arriving) === 'wait');
    while (!this.stopped && blocked()) {
      await new Promise<void>((resolve) => this.roomWaiters.push(resolve));
    }
  }

  /** Queues tasks (or defers those their subscription's limits would hold too long) and starts what may start. */
  admit(tasks: readonly DeliveryTask[]): void {
    const now = Date.now();
    const arriving = new Set(tasks.map((t) => t.msg.tenant_id));
    for (const task of tasks) {
      const sub = this.index.index.get(task.msg.subscription_id);
      const verdict = sub ? this.shares.holdVerdict(task.msg.tenant_id, arriving) : 'hold';
      if (!this.held.has(task.key)) this.shares.holding(task.msg.tenant_id);
      this.held.set(task.key, task);
      void task.done.then(() => this.release(task));
      const lane = this.lanes.of(task.msg.subscription_id, task.msg.tenant_id);
      if (verdict === 'defer' && sub) {
        const until = this.deferSlot(lane, sub, now, () => this.shares.deferUntil(task.msg.tenant_id, now).getTime());
        this.recorder.submit(task, this.planner.fairShareDeferred(task.msg, sub, new Date(until)));
        continue;
      }
      if (sub && (sub.rate_limit_per_second !== null || sub.max_concurrency !== null)) {
        const window = this.lanes.windowFor(lane, sub.rate_limit_per_second);
        const decision = decideThrottle({
          // Limits count requests. A batched subscription's queue goes max_events to a request, and
          // this delivery joins the last one while it has room: so many whole requests are ahead.
          ahead: sub.batch ? Math.floor(lane.tasks.size / sub.batch.max_events) : lane.tasks.size,
          active: lane.active,
          maxConcurrency: sub.max_concurrency,
          rate: window ? { perSecond: window.perSecond, recent: window.recent(now) } : null,
          typicalDurationMs: lane.typicalMs,
          now,
          holdMs: this.config.THROTTLE_HOLD_MS,
          nextDeferSlotMs: lane.nextDeferSlotMs,
        });
        if (decision.kind === 'defer') {
          const until = this.deferSlot(lane, sub, now, () => {
            lane.nextDeferSlotMs = decision.untilMs + deferSpacingMs(sub.rate_limit_per_second, sub.max_concurrency, lane.typicalMs);
            return decision.untilMs;
          });
          this.recorder.submit(task, this.planner.postponed(task.msg, sub, 'throttled', new Date(until)));
          continue;
        }
      }
      if (sub && this.postponedPastParking(task, sub, lane)) continue;
      if (sub && this.waitsForOrigin(lane, sub) && this.deferredBehindHost(task, sub, lane, now)) continue;
      lane.tasks.push(task);
      if (lane.blocked === 'batch' && sub?.batch && mayFill(lane, sub.batch, task)) this.unblock(lane, false);
      this.lanes.makeReady(lane);
    }
    this.queuedGauge.set(this.held.size);
    this.pump();
  }

  /**
   * Stops starting attempts and hands back what has not started: the caller returns those to
   * Kafka. Attempts in flight go on; `whenIdle` waits for them.
   */
  stop(): DeliveryTask[] {
    this.stopped = true;
    for (const r of this.roomWaiters.splice(0)) r();
    const queued = this.lanes.drain();
    this.gate.clear();
    return queued;
  }

  /**
   * Whether the lane waits for its origin's breaker trial, or for the origin's slots while another
   * tenant shares them. A tenant alone at an origin keeps its backlog held: the consumer's
   * backpressure (MAX_HELD_DELIVERIES) bounds it, and deferring it would only add a trip through
   * hookstream.retries to every delivery (a lone bench tenant's burst was deferred minutes ahead).
   */
  private waitsForOrigin(lane: Lane, sub: SubscriptionSnapshot): boolean {
    if (!this.defersHostBacklog) return false;
    if (lane.blocked === 'breaker') return true;
    return lane.blocked === 'host' && this.gate.sharedWithOthers(originOf(sub.url), lane.tenantId);
  }

  /**
   * Defers the task when its lane waits for its origin (the tenant holds its share of the slots
   * there, or its breaker's half-open trial is still running) and the lane's pace would not reach
   * it within THROTTLE_HOLD_MS (see decideHostBacklog): by its own typical duration (or its
   * tenant's at that origin while it has not shown one), or by how long its queue's first
   * delivery has already waited.
   */
  private deferredBehindHost(task: DeliveryTask, sub: SubscriptionSnapshot, lane: Lane, now: number): boolean {
    const head = lane.tasks.peek();
    const pace = {
      active: lane.active,
      typicalDurationMs: this.lanes.durationSoFar(lane, now) ?? this.originDurations.get(lane.tenantId, originOf(sub.url), now),
      headWaitedMs: head ? now - head.heldSince : 0,
    };
    const decision = decideHostBacklog({ ...pace, ahead: lane.tasks.size, now, holdMs: this.config.THROTTLE_HOLD_MS, nextDeferSlotMs: lane.nextDeferSlotMs });
    if (decision.kind === 'hold') return false;
    const until = this.deferSlot(lane, sub, now, () => {
      lane.nextDeferSlotMs = decision.untilMs + hostBacklogSpacingMs(pace);
      return decision.untilMs;
    });
    this.recorder.submit(task, this.planner.postponed(task.msg, sub, 'throttled', new Date(until), "its origin's slots, full with its tenant's share"));
    return true;
  }

  /**
   * When a deferred delivery comes back (ms since epoch). `next` takes the next slot of the pacing
   * that applies. A batched subscription's deferrals share a slot, up to max_events of them, so
   * they come back together as one request, as the pacing meant one delivery to. Each taking a
   * slot of its own would come back alone, wait max_wait_ms for company, and go alone: a burst's
   * deferred tail then drained at about one request per slot.
   */
  private deferSlot(lane: Lane, sub: SubscriptionSnapshot, now: number, next: () => number): number {
    if (!sub.batch) return next();
    const shared = lane.deferredBatch;
    if (shared && shared.count < sub.batch.max_events && shared.untilMs > now) {
      shared.count++;
      return shared.untilMs;
    }
    const untilMs = next();
    lane.deferredBatch = { untilMs, count: 1 };
    return untilMs;
  }

  /** Resolves when no attempt is in flight (or at `deadline`, whichever is first). */
  async whenIdle(deadline: number): Promise<void> {
    if (this.active === 0) return;
    await Promise.race([
      new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
      new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref()),
    ]);
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    try {
      let again: boolean;
      do {
        // Lanes of tenants at their share of send slots while another tenant's work waits sit
        // out this round; they come back when it ends (or an attempt finishes).
        const heldBack: Lane[] = [];
        let steppedAfterHoldingBack = false;
        for (let lane = this.lanes.take(); lane && !this.stopped; lane = this.lanes.take()) {
          if (this.active >= this.config.SEND_CONCURRENCY) {
            this.lanes.putBack(lane);
            for (const held of heldBack) this.lanes.makeReady(held);
            return;
          }
          if (!this.shares.mayStart(lane.tenantId, this.lanes.othersReady(lane.tenantId))) {
            heldBack.push(lane);
            continue;
          }
          if (heldBack.length > 0) steppedAfterHoldingBack = true;
          this.step(lane);
          // Turns rotate: the lane goes to the back of its tenant's turn if it still has work.
          this.lanes.makeReady(lane);
        }
        for (const lane of heldBack) this.lanes.makeReady(lane);
        // Held-back lanes look again once the others they yielded to have been served.
        again = steppedAfterHoldingBack;
        if (this.gate.wakeForFreeSlots()) again = true;
      } while (again && !this.stopped);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Starts the lane's next task, or settles it without sending (a record to write), or else finds
   * the lane empty, blocks it until it can go, or drops a task whose lease was lost.
   */
  private step(lane: Lane): void {
    const task = lane.tasks.peek();
    if (!task) return;
    if (task.lease?.lost) {
      lane.tasks.shift();
      task.finish();
      return;
    }
    const sub = this.index.index.get(lane.subscriptionId);
    if (!sub || !sub.enabled || this.index.isGone(sub)) {
      if (!this.maySettle(lane)) return;
      lane.tasks.shift();
      this.recorder.submit(task, this.planner.deadWithoutAttempt(task.msg, unavailable(sub, this.index)));
      return;
    }
    if (this.tenants.isDisabled(task.msg.tenant_id)) {
      // Checked as it would start, so deliveries already queued here stop too.
      if (!this.maySettle(lane)) return;
      lane.tasks.shift();
      this.recorder.submit(task, this.planner.postponed(task.msg, sub, 'tenant_disabled', new Date(Date.now() + this.config.TENANT_PAUSE_RECHECK_MS)));
      return;
    }
    const origin = originOf(sub.url);
    const verdict = this.gate.check(lane, origin);
    if (verdict.kind === 'postpone') {
      if (this.parkedBehindOpenBreaker(lane, sub, origin, verdict.retryAt)) return;
      if (!this.maySettle(lane)) return;
      // A failed batch's members here are postponed with it, to one due time and on one age
      // verdict, so the breaker never splits the batch (docs/guides/batching.md).
      const members = task.msg.batch && sub.batch ? this.groupOf(lane, task, sub.batch.max_events) : [task];
      if (members.length === 1) lane.tasks.shift();
      else lane.tasks.remove(new Set(members));
      this.submitAll(members, this.planner.postponedAll(members.map((t) => t.msg), sub, 'breaker_open', verdict.retryAt));
      return;
    }
    if (verdict.kind === 'parked') {
      // Parked on the origin's slots or its breaker's trial: the gate wakes it (see constructor).
      lane.blocked = verdict.on;
      return;
    }
    if (sub.max_concurrency !== null && lane.active >= sub.max_concurrency) {
      this.block(lane, 'concurrency');
      return;
    }
    const now = Date.now();
    const window = this.lanes.windowFor(lane, sub.rate_limit_per_second);
    const wait = window?.waitMs(now) ?? 0;
    if (wait > 0) {
      this.block(lane, 'rate');
      // An infinite wait ends when an admitted request of the lane is sent or fails (see start).
      if (Number.isFinite(wait)) {
        lane.timer = setTimeout(() => {
          lane.timer = null;
          this.unblock(lane);
        }, wait);
      }
      return;
    }
    if (sub.batch) {
      const batch = this.takeBatch(lane, sub.batch, now);
      if (batch) this.start(lane, batch, sub, origin, window);
      return;
    }
    lane.tasks.shift();
    this.start(lane, [task], sub, origin, window);
  }

  /**
   * Parks the lane on its tenant's open breaker for `origin`, its backlog held in memory (leased,
   * so its batches commit) until the breaker half-opens, when the trial goes and the rest follow
   * its verdict; true if it parked (or settles first). Postponing instead cost every delivery a
   * record, a retry and a trip back through Kafka, and a backlog reaching a breaker that opens is
   * postponed in one burst: 10,300 outcomes in 5 s in hostile_tenant, every other tenant's p99
   * over 400 ms for 10 s. A backlog over BREAKER_PARK_MAX_PER_SUBSCRIPTION is postponed, head
   * first, down to it (false), so a dead endpoint never takes a large part of its tenant's share
   * of held deliveries. Each time the lane parks, those whose postponement would now outlive
   * their age limit are dead-lettered (breaker_open_expired), as a postponement would be.
   */
  private parkedBehindOpenBreaker(lane: Lane, sub: SubscriptionSnapshot, origin: string, retryAt: Date): boolean {
    if (lane.tasks.size > this.config.BREAKER_PARK_MAX_PER_SUBSCRIPTION) return false;
    const expired: DeliveryTask[] = [];
    for (const t of lane.tasks) if (!t.lease?.lost && this.planner.breakerPostponementExpires(t.msg, sub, retryAt)) expired.push(t);
    if (expired.length > 0) {
      if (!this.maySettle(lane)) return true;
      lane.tasks.remove(new Set(expired));
      for (const t of expired) this.recorder.submit(t, this.planner.postponed(t.msg, sub, 'breaker_open', retryAt));
    }
    if (lane.tasks.size > 0) {
      this.gate.parkOnBreaker(lane, origin);
      lane.blocked = 'breaker';
    }
    return true;
  }

  /**
   * Postpones a delivery arriving at a lane parked on its open breaker that already holds
   * BREAKER_PARK_MAX_PER_SUBSCRIPTION (see parkedBehindOpenBreaker). A failed batch's member
   * joins its lane, so its batch is parked or postponed whole.
   */
  private postponedPastParking(task: DeliveryTask, sub: SubscriptionSnapshot, lane: Lane): boolean {
    if (lane.blocked !== 'breaker' || task.msg.batch || lane.tasks.size < this.config.BREAKER_PARK_MAX_PER_SUBSCRIPTION) return false;
    const gate = this.breakers.gate({ tenant: lane.tenantId, origin: originOf(sub.url) });
    if (gate.kind !== 'postpone') return false;
    this.recorder.submit(task, this.planner.postponed(task.msg, sub, 'breaker_open', gate.retryAt));
    return true;
  }

  /**
   * The lane's next batch (docs/guides/batching.md), taken off its queue: its head and the queued
   * deliveries that may share its request (batchGroup), as planBatch says. Null when the head
   * waits for more: the lane is blocked until its max_wait_ms is up, or admit fills it sooner.
   */
  private takeBatch(lane: Lane, bounds: BatchSettings, now: number): DeliveryTask[] | null {
    const head = lane.tasks.peek();
    if (!head) return null;
    const candidates = this.groupOf(lane, head, bounds.max_events + 1);
    const plan = planBatch(candidates.map((t) => t.bytes), bounds, head.msg.batch?.size ?? null, head.heldSince, now);
    if (plan.kind === 'wait') {
      lane.blocked = 'batch';
      lane.timer = setTimeout(() => {
        lane.timer = null;
        this.unblock(lane);
      }, plan.untilMs - now);
      return null;
    }
    const batch = candidates.slice(0, plan.count);
    lane.tasks.remove(new Set(batch));
    return batch;
  }

  /**
   * The queued deliveries that may share a request with `head` (batchGroup), in queue order, head
   * first, at most `limit`. One whose lease was lost is left to be dropped at the head (see step).
   */
  private groupOf(lane: Lane, head: DeliveryTask, limit: number): DeliveryTask[] {
    const group = batchGroup(head.msg);
    const members: DeliveryTask[] = [];
    for (const t of lane.tasks) {
      if (members.length >= limit) break;
      if (t === head || (!t.lease?.lost && batchGroup(t.msg) === group)) members.push(t);
    }
    return members;
  }

  /** Hands each task's planned outcome to the recorder; a task without one is dead-lettered, never dropped. */
  private submitAll(tasks: readonly DeliveryTask[], outcomes: readonly Outcome[]): void {
    tasks.forEach((t, i) => {
      const planned = outcomes[i];
      if (planned) this.recorder.submit(t, planned);
      else this.recorder.submit(t, this.planner.deadWithoutAttempt(t.msg, { error_class: 'unknown', status_code: null, message: 'no outcome was planned for this delivery of its batch' }));
    });
  }

  /** Starts one request for `tasks`: one delivery, or a batched subscription's batch. */
  private start(lane: Lane, tasks: readonly DeliveryTask[], sub: SubscriptionSnapshot, origin: string, window: RateWindow | null): void {
    const [task] = tasks;
    if (!task) return;
    const startedMs = Date.now();
    for (const t of tasks) {
      t.state = 'running';
      t.startedAt = startedMs;
      lane.running.add(t);
    }
    // The rate limit counts the request from when it is written to the connection, which is when
    // the endpoint sees it: a new connection's handshake must not let the next second's requests
    // arrive inside this one.
    let reserved = window !== null;
    const settle = (sentAt: number | null) => {
      if (!reserved || !window) return;
      reserved = false;
      window.settle(sentAt);
      if (lane.blocked === 'rate' && lane.timer === null) this.unblock(lane);
    };
    window?.reserve();
    this.active++;
    this.shares.started(lane.tenantId);
    lane.active++;
    this.gate.started(origin, lane.tenantId);
    // Only the host-backlog rule reads these; without it they are bookkeeping per attempt for nothing.
    if (this.defersHostBacklog) this.originDurations.started(lane.tenantId, origin, task, startedMs);
    this.inFlightGauge.set(this.active);
    const startedAt = new Date();
    const onSent = () => settle(Date.now());
    const sending = sub.batch
      ? this.attempt.runBatch(tasks, { id: task.msg.batch?.id ?? randomUUID(), size: tasks.length }, sub, origin, startedAt, onSent)
      : this.attempt.run(task, sub, origin, startedAt, onSent).then((outcome) => [outcome]);
    void sending
      .catch((err: unknown): Outcome[] => {
        // Only a failure to build the request lands here (the sender never throws).
        this.logger.error({ err, delivery: task.msg.delivery_id, deliveries: tasks.length }, 'could not attempt delivery');
        return tasks.map((t) => this.planner.deadWithoutAttempt(t.msg, { error_class: 'unknown', status_code: null, message: `could not build the request: ${(err as Error).message}` }));
      })
      .then((outcomes) => {
        const outcome = outcomes[0];
        const durationMs = outcome?.status.duration_ms ?? null;
        // 'finish' can go unseen when a response overtakes the write callback; a request that may
        // have reached the endpoint then counts from now, later than it was sent, which is safe.
        settle(!outcome || neverLeft(outcome) ? null : Date.now());
        this.active--;
        this.shares.finished(lane.tenantId);
        lane.active--;
        for (const t of tasks) lane.running.delete(t);
        this.gate.finished(origin, lane.tenantId);
        this.inFlightGauge.set(this.active);
        if (this.defersHostBacklog) this.originDurations.ended(lane.tenantId, origin, task, durationMs);
        if (durationMs !== null) this.lanes.observe(lane, durationMs);
        if (lane.blocked === 'concurrency') lane.blocked = 'none';
        this.lanes.makeReady(lane);
        this.submitAll(tasks, outcomes);
        if (this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
        this.pump();
      });
  }

  /**
   * Whether the lane may settle its next task without sending now (see SETTLE_WHILE_WAITING);
   * if not, it waits until the recorder takes the outcomes waiting into a group.
   */
  private maySettle(lane: Lane): boolean {
    if (this.recorder.waiting < SETTLE_WHILE_WAITING) return true;
    lane.blocked = 'recorder';
    this.waitingForRecorder.add(lane);
    if (this.waitingForRecorder.size === 1) {
      void this.recorder.nextGroupTaken().then(() => {
        for (const l of this.waitingForRecorder) {
          if (l.blocked !== 'recorder') continue;
          l.blocked = 'none';
          this.lanes.makeReady(l);
        }
        this.waitingForRecorder.clear();
        this.pump();
      });
    }
    return false;
  }

  /** The lane waits for its own limits (concurrency: an attempt's end; rate: its timer). */
  private block(lane: Lane, why: Exclude<Blocked, 'none' | 'host' | 'breaker'>): void {
    lane.blocked = why;
  }

  private unblock(lane: Lane, pump = true): void {
    if (lane.timer) clearTimeout(lane.timer);
    lane.timer = null;
    lane.blocked = 'none';
    this.lanes.makeReady(lane);
    if (pump) this.pump();
  }

  private release(task: DeliveryTask): void {
    if (this.held.delete(task.key)) this.shares.released(task.msg.tenant_id);
    this.queuedGauge.set(this.held.size);
    // Whether a waiting batch may go depends on its tenants' shares: each waiter looks again.
    for (const r of this.roomWaiters.splice(0)) r();
  }
}

// A refused certificate ends the handshake before a byte of the request is written; without an
// OAuth token the request is never sent.
const NEVER_CONNECTED = new Set(['ssrf_refused', 'invalid_url', 'dns', 'certificate', 'auth_token', 'egress_proxy']);

/** True when the attempt provably never reached the endpoint. */
function neverLeft(outcome: Outcome): boolean {
  return outcome.attempt === null || outcome.status.outcome === 'postponed' || NEVER_CONNECTED.has(outcome.status.error_class ?? '');
}

/**
 * Whether a batch waiting in the lane may be full now that `arrived` joined the queue: as many
 * queued as a request takes, or as many as its failed batch had. The scheduler's step decides
 * exactly (planBatch); this only wakes it early.
 */
function mayFill(lane: Lane, bounds: BatchSettings, arrived: DeliveryTask): boolean {
  return lane.tasks.size >= bounds.max_events || (arrived.msg.batch != null && lane.tasks.size >= arrived.msg.batch.size);
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function unavailable(sub: SubscriptionSnapshot | undefined, index: SubscriptionIndexService) {
  if (!sub) return { error_class: 'subscription_missing' as const, status_code: null, message: 'the subscription no longer exists' };
  const why = index.isGone(sub) ? 'gone: its endpoint answered 410' : (sub.disabled_reason ?? 'disabled');
  return { error_class: 'subscription_disabled' as const, status_code: null, message: `the subscription is disabled (${why})` };
}
