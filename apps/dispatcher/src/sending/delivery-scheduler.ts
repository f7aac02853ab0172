import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { SubscriptionSnapshot } from '@hookstream/contracts';
import { activeSecrets, countsAgainstHost, decideThrottle, deferSpacingMs, RateWindow, signDelivery, VERIFIED_BY_HEADER, verifiedByHeader } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { HttpSender, OutgoingRequest } from '@hookstream/webhook-http';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';
import { breakerKey, Breakers, type BreakerScope, HostFailure } from './breakers.js';
import type { DeliveryTask } from './delivery-task.js';
import { FairRing } from '@hookstream/domain';
import { FairShares } from './fair-shares.js';
import { HostSlots } from './host-slots.js';
import { Fifo } from './fifo.js';
import { OutcomeRecorder } from './outcome-recorder.js';
import { type Outcome, OutcomePlanner } from './outcomes.js';
import { HTTP_SENDER } from './sending.tokens.js';

const USER_AGENT = 'Hookstream/0.1 (+https://github.com/hookstream)';
/** Assumed duration of an attempt before a subscription has shown its own. */
const INITIAL_TYPICAL_MS = 500;

type Blocked = 'none' | 'concurrency' | 'rate' | 'host' | 'breaker';

/** A subscription's queue in this process, with what its own limits remember. */
interface Lane {
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
}

/**
 * Decides which held delivery goes next, and sends it. Fair by construction: tenants take turns,
 * and within a tenant its subscriptions take turns, so a tenant's 10,000-way fan-out or one slow
 * endpoint never queues anyone else behind it. A delivery starts only within the global limit
 * (SEND_CONCURRENCY), its origin's (HOST_CONCURRENCY), its subscription's max concurrency and
 * rate limit (which hold across batches and retries, since a subscription's messages all reach
 * this process), and its origin's breaker. What a subscription's limits would hold longer than
 * THROTTLE_HOLD_MS is deferred through hookstream.retries without spending an attempt.
 */
@Injectable()
export class DeliveryScheduler implements OnModuleDestroy {
  private readonly lanes = new Map<string, Lane>();
  /** Runnable lanes: tenants in turn order, each with its subscriptions in turn order. */
  private readonly ready = new FairRing<Lane>();
  private readonly hostSlots: HostSlots;
  /** Lanes waiting for a slot on a saturated origin, woken one per free slot in the same fair order. */
  private readonly waitingForHost = new Map<string, FairRing<Lane>>();
  /** Lanes waiting for a half-open breaker's trial request to decide, by breaker key (origin and tenant). */
  private readonly waitingForBreaker = new Map<string, Set<Lane>>();
  /** Every task this process holds, by (delivery, generation, attempt), until its outcome is durable. */
  private readonly held = new Map<string, DeliveryTask>();
  private readonly roomWaiters: Array<() => void> = [];
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
    @Inject(HTTP_SENDER) private readonly sender: HttpSender,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.hostSlots = new HostSlots(config.HOST_CONCURRENCY, config.FAIR_SHARE_RESERVE_PERCENT, config.TENANT_WEIGHTS);
    this.inFlightGauge = metrics.gauge('hookstream_deliveries_in_flight', 'HTTP delivery attempts in flight');
    this.queuedGauge = metrics.gauge('hookstream_deliveries_held', 'Deliveries held in this process (queued, in flight or being recorded)');
    this.breakers.onChange((scope) => this.breakerChanged(breakerKey(scope)));
    this.cleanup = setInterval(() => this.forgetIdleLanes(), 5000);
    this.cleanup.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.cleanup);
    for (const lane of this.lanes.values()) if (lane.timer) clearTimeout(lane.timer);
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
      if (verdict === 'defer' && sub) {
        this.recorder.submit(task, this.planner.postponed(task.msg, sub, 'throttled', this.shares.deferUntil(task.msg.tenant_id, now), "its tenant's fair share of the dispatcher"));
        continue;
      }
      const lane = this.lane(task.msg.subscription_id, task.msg.tenant_id);
      if (sub && (sub.rate_limit_per_second !== null || sub.max_concurrency !== null)) {
        const window = this.windowFor(lane, sub);
        const decision = decideThrottle({
          ahead: lane.tasks.size,
          active: lane.active,
          maxConcurrency: sub.max_concurrency,
          rate: window ? { perSecond: window.perSecond, recent: window.recent(now) } : null,
          typicalDurationMs: lane.typicalMs,
          now,
          holdMs: this.config.THROTTLE_HOLD_MS,
          nextDeferSlotMs: lane.nextDeferSlotMs,
        });
        if (decision.kind === 'defer') {
          lane.nextDeferSlotMs = decision.untilMs + deferSpacingMs(sub.rate_limit_per_second, sub.max_concurrency, lane.typicalMs);
          this.recorder.submit(task, this.planner.postponed(task.msg, sub, 'throttled', new Date(decision.untilMs)));
          continue;
        }
      }
      lane.tasks.push(task);
      this.makeReady(lane);
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
    const queued: DeliveryTask[] = [];
    for (const lane of this.lanes.values()) {
      if (lane.timer) clearTimeout(lane.timer);
      while (lane.tasks.size > 0) queued.push(lane.tasks.shift() as DeliveryTask);
    }
    this.ready.clear();
    this.waitingForHost.clear();
    this.waitingForBreaker.clear();
    return queued;
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
        for (let lane = this.ready.take(); lane && !this.stopped; lane = this.ready.take()) {
          if (this.active >= this.config.SEND_CONCURRENCY) {
            this.ready.add(lane.tenantId, lane.subscriptionId, lane);
            for (const held of heldBack) this.makeReady(held);
            return;
          }
          if (!this.shares.mayStart(lane.tenantId, this.ready.hasGroupOtherThan(lane.tenantId))) {
            heldBack.push(lane);
            continue;
          }
          if (heldBack.length > 0) steppedAfterHoldingBack = true;
          this.step(lane);
          // Turns rotate: the lane goes to the back of its tenant's turn if it still has work.
          this.makeReady(lane);
        }
        for (const lane of heldBack) this.makeReady(lane);
        // Held-back lanes look again once the others they yielded to have been served.
        again = steppedAfterHoldingBack;
        if (this.wakeForFreeHostSlots()) again = true;
      } while (again && !this.stopped);
    } finally {
      this.pumping = false;
    }
  }

  /**
   * Wakes, in fair order, as many lanes waiting on each origin as it has free slots, skipping
   * those whose tenant is at its share of the origin while others wait; true if any woke.
   */
  private wakeForFreeHostSlots(): boolean {
    let woke = false;
    for (const [origin, waiting] of this.waitingForHost) {
      let free = this.config.HOST_CONCURRENCY - this.hostSlots.active(origin);
      const tenants = waiting.groupKeys();
      const kept: Lane[] = [];
      for (let n = waiting.size; n > 0 && free > 0; n--) {
        const lane = waiting.take();
        if (!lane) break;
        if (!this.hostSlots.mayStart(origin, lane.tenantId, tenants)) {
          kept.push(lane);
          continue;
        }
        lane.blocked = 'none';
        this.makeReady(lane);
        woke = true;
        free--;
      }
      for (const lane of kept) waiting.add(lane.tenantId, lane.subscriptionId, lane);
      if (waiting.size === 0) this.waitingForHost.delete(origin);
    }
    return woke;
  }

  /** Starts the lane's next task, or settles it without sending, or blocks the lane until it can. */
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
      lane.tasks.shift();
      this.recorder.submit(task, this.planner.deadWithoutAttempt(task.msg, unavailable(sub, this.index)));
      return;
    }
    const origin = originOf(sub.url);
    const scope: BreakerScope = { tenant: lane.tenantId, origin };
    const gate = this.breakers.gate(scope);
    if (gate.kind === 'postpone') {
      lane.tasks.shift();
      this.recorder.submit(task, this.planner.postponed(task.msg, sub, 'breaker_open', gate.retryAt));
      return;
    }
    if (gate.kind === 'wait') return this.block(lane, 'breaker', breakerKey(scope));
    if (!this.hostSlots.mayStart(origin, lane.tenantId, this.waitingForHost.get(origin)?.groupKeys() ?? [])) return this.block(lane, 'host', origin);
    if (sub.max_concurrency !== null && lane.active >= sub.max_concurrency) return this.block(lane, 'concurrency', null);
    const now = Date.now();
    const window = this.windowFor(lane, sub);
    const wait = window?.waitMs(now) ?? 0;
    if (wait > 0) {
      this.block(lane, 'rate', null);
      // An infinite wait ends when an admitted request of the lane is sent or fails (see start).
      if (Number.isFinite(wait)) {
        lane.timer = setTimeout(() => {
          lane.timer = null;
          this.unblock(lane);
        }, wait);
      }
      return;
    }
    lane.tasks.shift();
    this.start(lane, task, sub, origin, window);
  }

  private start(lane: Lane, task: DeliveryTask, sub: SubscriptionSnapshot, origin: string, window: RateWindow | null): void {
    task.state = 'running';
    task.startedAt = Date.now();
    lane.running.add(task);
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
    this.hostSlots.started(origin, lane.tenantId);
    this.inFlightGauge.set(this.active);
    const startedAt = new Date();
    void this.attempt(task, sub, origin, startedAt, () => settle(Date.now()))
      .catch((err: unknown): Outcome => {
        // Only a failure to build the request lands here (the sender never throws).
        this.logger.error({ err, delivery: task.msg.delivery_id }, 'could not attempt delivery');
        return this.planner.deadWithoutAttempt(task.msg, { error_class: 'unknown', status_code: null, message: `could not build the request: ${(err as Error).message}` });
      })
      .then((outcome) => {
        // 'finish' can go unseen when a response overtakes the write callback; a request that may
        // have reached the endpoint then counts from now, later than it was sent, which is safe.
        settle(neverLeft(outcome) ? null : Date.now());
        this.active--;
        this.shares.finished(lane.tenantId);
        lane.active--;
        lane.running.delete(task);
        this.hostSlots.finished(origin, lane.tenantId);
        this.inFlightGauge.set(this.active);
        if (outcome.status.duration_ms !== null) {
          lane.typicalMs = lane.observed ? 0.8 * lane.typicalMs + 0.2 * outcome.status.duration_ms : outcome.status.duration_ms;
          lane.observed = true;
        }
        if (lane.blocked === 'concurrency') lane.blocked = 'none';
        this.makeReady(lane);
        this.recorder.submit(task, outcome);
        if (this.active === 0) for (const w of this.idleWaiters.splice(0)) w();
        this.pump();
      });
  }

  private async attempt(task: DeliveryTask, sub: SubscriptionSnapshot, origin: string, startedAt: Date, onSent: () => void): Promise<Outcome> {
    const request = { ...buildRequest(task, sub, startedAt), onSent };
    const run = await this.breakers.run({ tenant: task.msg.tenant_id, origin }, async () => {
      const result = await this.sender.send(request);
      if (countsAgainstHost(result)) throw new HostFailure(result);
      return result;
    });
    if (!run.ran) return this.planner.postponed(task.msg, sub, 'breaker_open', run.retryAt);
    const outcome = this.planner.concluded(task.msg, sub, startedAt, run.value, request.headers);
    if (outcome.status.error_class === 'gone') this.index.markGone(sub.id, sub.version);
    return outcome;
  }

  private lane(subscriptionId: string, tenantId: string): Lane {
    let lane = this.lanes.get(subscriptionId);
    if (!lane) {
      lane = { subscriptionId, tenantId, tasks: new Fifo(), active: 0, running: new Set(), observed: false, window: null, blocked: 'none', timer: null, typicalMs: INITIAL_TYPICAL_MS, nextDeferSlotMs: 0 };
      this.lanes.set(subscriptionId, lane);
    }
    return lane;
  }

  /** The lane's rate window, rebuilt when the subscription's limit changes. */
  private windowFor(lane: Lane, sub: SubscriptionSnapshot): RateWindow | null {
    const limit = sub.rate_limit_per_second;
    if (limit === null) return (lane.window = null);
    if (lane.window?.perSecond !== limit) lane.window = new RateWindow(limit, 1000 + this.config.RATE_LIMIT_MARGIN_MS);
    return lane.window;
  }

  private makeReady(lane: Lane): void {
    if (lane.blocked === 'none' && lane.tasks.size > 0) this.ready.add(lane.tenantId, lane.subscriptionId, lane);
  }

  /** `on` is the origin a lane blocked on 'host' waits for, or the breaker key one blocked on 'breaker' does. */
  private block(lane: Lane, why: Blocked, on: string | null): void {
    lane.blocked = why;
    if (on === null) return;
    const origin = on;
    if (why === 'host') {
      let waiting = this.waitingForHost.get(origin);
      if (!waiting) {
        waiting = new FairRing();
        this.waitingForHost.set(origin, waiting);
      }
      waiting.add(lane.tenantId, lane.subscriptionId, lane);
    } else {
      let waiting = this.waitingForBreaker.get(origin);
      if (!waiting) {
        waiting = new Set();
        this.waitingForBreaker.set(origin, waiting);
      }
      waiting.add(lane);
    }
  }

  private unblock(lane: Lane): void {
    lane.blocked = 'none';
    this.makeReady(lane);
    this.pump();
  }

  /** The breaker's half-open trial decided (or it changed otherwise): its parked lanes look again. */
  private breakerChanged(key: string): void {
    const waiting = this.waitingForBreaker.get(key);
    if (!waiting) return;
    this.waitingForBreaker.delete(key);
    for (const lane of waiting) if (lane.blocked === 'breaker') this.unblock(lane);
  }

  private release(task: DeliveryTask): void {
    if (this.held.delete(task.key)) this.shares.released(task.msg.tenant_id);
    this.queuedGauge.set(this.held.size);
    // Whether a waiting batch may go depends on its tenants' shares: each waiter looks again.
    for (const r of this.roomWaiters.splice(0)) r();
  }

  /** Lanes with nothing queued, running or remembered are dropped, so memory follows activity. */
  private forgetIdleLanes(): void {
    const now = Date.now();
    for (const [id, lane] of this.lanes) {
      const remembers = (lane.window && !lane.window.isIdle(now)) || lane.nextDeferSlotMs > now;
      if (lane.tasks.size === 0 && lane.active === 0 && lane.blocked === 'none' && !remembers) this.lanes.delete(id);
    }
  }
}

const NEVER_CONNECTED = new Set(['ssrf_refused', 'invalid_url', 'dns']);

/** True when the attempt provably never reached the endpoint. */
function neverLeft(outcome: Outcome): boolean {
  return outcome.attempt === null || outcome.status.outcome === 'postponed' || NEVER_CONNECTED.has(outcome.status.error_class ?? '');
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

function buildRequest(task: DeliveryTask, sub: SubscriptionSnapshot, at: Date): OutgoingRequest {
  const { msg } = task;
  const traceparent = task.attemptTraceparent();
  const signed = signDelivery({
    scheme: sub.signature_scheme,
    secrets: activeSecrets(sub.secrets, at),
    msgId: msg.event_id,
    timestampSeconds: Math.floor(at.getTime() / 1000),
    body: msg.body,
    signatureHeader: sub.signature_header,
  });
  // The registry refuses custom headers that collide with these, so ours always win.
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...sub.headers, 'content-type': 'application/json', ...signed };
  if (traceparent) headers['traceparent'] = traceparent;
  const verifiedBy = verifiedByHeader(msg.event_type, msg.body);
  if (verifiedBy) headers[VERIFIED_BY_HEADER] = verifiedBy;
  return { url: sub.url, headers, body: msg.body, timeoutMs: sub.timeout_ms };
}
