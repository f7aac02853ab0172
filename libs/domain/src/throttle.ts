/**
 * A subscription's rate limit as a sliding window of send times: a request may start only while
 * fewer than `perSecond` requests were sent in the last window, so no second ever holds more than
 * the limit (a token bucket would allow twice that across a window boundary). Memory is the
 * requests of the last window, not the limit.
 */
export class RateWindow {
  private readonly starts: number[] = [];
  private head = 0;
  /** Requests admitted but not yet on the wire: they hold a place until they are sent or fail. */
  private pending = 0;

  /**
   * `windowMs` is a second plus a margin for what happens between the wire and the endpoint's
   * clock (a new connection's handshake, the endpoint's own scheduling), so that the endpoint
   * never counts more than `perSecond` in any second of its own.
   */
  constructor(
    readonly perSecond: number,
    private readonly windowMs = 1000,
  ) {
    if (!Number.isInteger(perSecond) || perSecond < 1) throw new RangeError('a rate limit is a positive whole number per second');
    if (windowMs < 1000) throw new RangeError('a rate window spans at least a second');
  }

  /** Starts still inside the window at `now`. */
  recent(now: number): number {
    this.expire(now);
    return this.starts.length - this.head;
  }

  /**
   * Milliseconds until a request may start (0: now); Infinity while requests already admitted
   * fill the window and have not been sent yet (the wait ends when one of them settles).
   */
  waitMs(now: number): number {
    const recent = this.recent(now);
    if (recent + this.pending < this.perSecond) return 0;
    if (recent < this.perSecond) return Number.POSITIVE_INFINITY;
    const oldest = this.starts[this.starts.length - this.perSecond] ?? now;
    return Math.max(1, oldest + this.windowMs - now);
  }

  /** Admits a request that is about to be sent; it counts against the limit from now on. */
  reserve(): void {
    this.pending++;
  }

  /**
   * The reserved request reached the wire at `sentAt` (that is when the endpoint sees it, so
   * that is what the window measures), or never did (`sentAt` null: connection refused, DNS).
   */
  settle(sentAt: number | null): void {
    this.pending = Math.max(0, this.pending - 1);
    if (sentAt !== null) this.record(sentAt);
  }

  record(now: number): void {
    this.starts.push(now);
  }

  /** True once nothing in the window can hold a request back any more. */
  isIdle(now: number): boolean {
    return this.pending === 0 && this.recent(now) === 0;
  }

  private expire(now: number): void {
    while (this.head < this.starts.length && (this.starts[this.head] ?? 0) <= now - this.windowMs) this.head++;
    // Compact now and then so the array does not grow with every request ever made.
    if (this.head > 1024 && this.head * 2 > this.starts.length) {
      this.starts.splice(0, this.head);
      this.head = 0;
    }
  }
}

export interface ThrottleInput {
  /** Requests queued in this process ahead of the one being judged. */
  ahead: number;
  /** Requests of the subscription running now. */
  active: number;
  maxConcurrency: number | null;
  /** Requests the rate limit still sees in its window, and the limit itself. */
  rate: { perSecond: number; recent: number } | null;
  /** Typical duration of one of the subscription's attempts, for the concurrency estimate. */
  typicalDurationMs: number;
}

/**
 * How long a newly queued request would wait for its subscription's own limits (rate and
 * concurrency), estimated; the global and per-host limits are shared and left out.
 */
export function projectedWaitMs(input: ThrottleInput): number {
  let wait = 0;
  if (input.rate) {
    // Everything ahead, plus what the window still holds, must pass at perSecond first.
    const beyond = input.ahead + input.rate.recent + 1 - input.rate.perSecond;
    if (beyond > 0) wait = Math.max(wait, Math.ceil(beyond / input.rate.perSecond) * 1000);
  }
  if (input.maxConcurrency !== null) {
    const beyond = input.ahead + input.active + 1 - input.maxConcurrency;
    if (beyond > 0) wait = Math.max(wait, Math.ceil(beyond / input.maxConcurrency) * input.typicalDurationMs);
  }
  return wait;
}

export type ThrottleDecision = { kind: 'hold' } | { kind: 'defer'; untilMs: number };

/**
 * Hold a request in memory when its subscription will let it go soon; otherwise defer it to
 * when its turn is expected, spacing deferred requests at the rate the subscription can take
 * so they do not all come back at once. `nextDeferSlotMs` is the end of the previous deferral.
 */
export function decideThrottle(input: ThrottleInput & { now: number; holdMs: number; nextDeferSlotMs: number }): ThrottleDecision {
  const wait = projectedWaitMs(input);
  if (wait <= input.holdMs) return { kind: 'hold' };
  return { kind: 'defer', untilMs: Math.max(input.now + wait, input.nextDeferSlotMs) };
}

/** The gap left between two deferred requests of one subscription. */
export function deferSpacingMs(perSecond: number | null, maxConcurrency: number | null, typicalDurationMs: number): number {
  const byRate = perSecond ? 1000 / perSecond : 0;
  const byConcurrency = maxConcurrency ? typicalDurationMs / maxConcurrency : 0;
  return Math.max(byRate, byConcurrency);
}

export interface HostBacklogInput {
  /** The subscription's deliveries queued in this process ahead of the one being judged. */
  ahead: number;
  /** The subscription's attempts running now. */
  active: number;
  /** Its attempts' typical duration, or null while nothing has shown it. */
  typicalDurationMs: number | null;
  /** How long the first of those queued ahead has waited so far (0 when none is). */
  headWaitedMs: number;
  now: number;
  holdMs: number;
  nextDeferSlotMs: number;
}

/**
 * A delivery of a subscription waiting for its origin (its tenant's share of the origin's slots
 * full, or its breaker's trial running): hold what the subscription gets through within
 * `holdMs`, and defer the rest to when its turn is expected, spaced so they come back at that
 * pace. Two estimates, the larger wins: its own pace (running attempts per typical duration),
 * and what its queue has shown (each delivery ahead, per attempt it has running, takes at least
 * as long as the first has already waited; a subscription with fast attempts can still wait long
 * for a slot the tenant's slow ones hold). Without this, a tenant's ten-second endpoints held every delivery published to
 * them in memory (8,400 after 30 s in hostile_tenant), to be postponed all at once when a
 * breaker opened.
 */
export function decideHostBacklog(input: HostBacklogInput): ThrottleDecision {
  const wait = Math.max(paceWaitMs(input), queueWaitMs(input));
  if (wait <= input.holdMs) return { kind: 'hold' };
  return { kind: 'defer', untilMs: Math.max(input.now + wait, input.nextDeferSlotMs) };
}

/** The gap left between two deliveries a host backlog defers: the slower of the two paces. */
export function hostBacklogSpacingMs(input: Pick<HostBacklogInput, 'active' | 'typicalDurationMs' | 'headWaitedMs'>): number {
  const byPace = input.typicalDurationMs === null ? 0 : deferSpacingMs(null, hostPace(input.active), input.typicalDurationMs);
  return Math.max(byPace, input.headWaitedMs / hostPace(input.active));
}

function paceWaitMs(input: HostBacklogInput): number {
  if (input.typicalDurationMs === null) return 0;
  return projectedWaitMs({ ahead: input.ahead, active: input.active, maxConcurrency: hostPace(input.active), rate: null, typicalDurationMs: input.typicalDurationMs });
}

function queueWaitMs(input: HostBacklogInput): number {
  return input.ahead > 0 ? ((input.ahead + 1) * input.headWaitedMs) / hostPace(input.active) : 0;
}

/** Attempts the subscription gets through at once on a full origin: what it runs now, at least one. */
function hostPace(active: number): number {
  return Math.max(1, active);
}
