import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import CircuitBreaker from 'opossum';
import type { DispatcherConfig } from '../config.js';

export type BreakerState = 'closed' | 'open' | 'half_open';
const STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

interface Entry {
  breaker: CircuitBreaker<[() => Promise<unknown>]>;
  openedAt: number;
  state: BreakerState;
}

/** Whether an attempt to an origin may start now. */
export type BreakerGate =
  | { kind: 'go' }
  /** Open: come back when it half-opens. */
  | { kind: 'postpone'; retryAt: Date }
  /** Half-open and its one trial request is still running: wait for its verdict. */
  | { kind: 'wait' };

/** Marks a result that should count against the host without being an exception elsewhere. */
export class HostFailure<T> extends Error {
  constructor(readonly result: T) {
    super('attempt failed');
  }
}

/**
 * One opossum breaker per target origin (scheme, host, port), bounded in number. While a
 * breaker is open its deliveries are postponed to when it half-opens, spending no attempt.
 * Metrics stay bounded: per-state totals always, and a per-origin series only while a breaker
 * is not closed, for at most BREAKER_METRIC_MAX_HOSTS origins.
 */
@Injectable()
export class Breakers implements OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly reported = new Set<string>();
  private readonly listeners: Array<(origin: string, state: BreakerState) => void> = [];
  private readonly stateGauge;
  private readonly totals;
  private readonly transitions;

  constructor(
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.stateGauge = metrics.gauge('hookstream_breaker_state', 'Circuit breaker per target origin while not closed: 1 half-open, 2 open', ['origin']);
    this.totals = metrics.gauge('hookstream_breakers', 'Circuit breakers held, by state', ['state']);
    this.transitions = metrics.counter('hookstream_breaker_transitions_total', 'Breaker state changes', ['to']);
    for (const s of Object.keys(STATE_VALUE)) this.totals.set({ state: s }, 0);
  }

  /** Called on every state change, e.g. to resume work parked on a half-open breaker. */
  onChange(listener: (origin: string, state: BreakerState) => void): void {
    this.listeners.push(listener);
  }

  /** Decides without side effects whether an attempt to `origin` may start now. */
  gate(origin: string): BreakerGate {
    const e = this.entries.get(origin);
    if (!e) return { kind: 'go' };
    if (e.breaker.opened) return { kind: 'postpone', retryAt: this.reopensAt(e) };
    if (e.breaker.halfOpen && !e.breaker.pendingClose) return { kind: 'wait' };
    return { kind: 'go' };
  }

  /** Runs `fn` through the origin's breaker; `ran: false` means the breaker refused without calling it. */
  async run<T>(origin: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false; retryAt: Date }> {
    const entry = this.entry(origin);
    try {
      const value = (await entry.breaker.fire(fn)) as T;
      return { ran: true, value };
    } catch (err) {
      if (err instanceof HostFailure) return { ran: true, value: err.result as T };
      if ((err as { code?: string }).code === 'EOPENBREAKER') return { ran: false, retryAt: this.reopensAt(entry) };
      throw err;
    }
  }

  state(origin: string): BreakerState {
    return this.entries.get(origin)?.state ?? 'closed';
  }

  onModuleDestroy(): void {
    for (const e of this.entries.values()) e.breaker.shutdown();
    this.entries.clear();
  }

  private reopensAt(e: Entry): Date {
    return new Date(Math.max(Date.now(), e.openedAt + this.config.BREAKER_RESET_TIMEOUT_MS));
  }

  private entry(origin: string): Entry {
    const existing = this.entries.get(origin);
    if (existing) {
      this.entries.delete(origin);
      this.entries.set(origin, existing);
      return existing;
    }
    const breaker = new CircuitBreaker((fn: () => Promise<unknown>) => fn(), {
      timeout: false,
      errorThresholdPercentage: this.config.BREAKER_ERROR_THRESHOLD_PERCENT,
      volumeThreshold: this.config.BREAKER_VOLUME_THRESHOLD,
      resetTimeout: this.config.BREAKER_RESET_TIMEOUT_MS,
      rollingCountTimeout: 10_000,
      rollingCountBuckets: 10,
    });
    const entry: Entry = { breaker, openedAt: 0, state: 'closed' };
    this.totals.inc({ state: 'closed' });
    breaker.on('open', () => {
      entry.openedAt = Date.now();
      this.transition(origin, entry, 'open');
      this.logger.warn({ origin }, 'circuit opened');
    });
    breaker.on('halfOpen', () => this.transition(origin, entry, 'half_open'));
    breaker.on('close', () => {
      this.transition(origin, entry, 'closed');
      this.logger.info({ origin }, 'circuit closed');
    });
    this.entries.set(origin, entry);
    if (this.entries.size > this.config.BREAKER_MAX_HOSTS) {
      const [oldestOrigin, oldest] = this.entries.entries().next().value as [string, Entry];
      oldest.breaker.shutdown();
      this.entries.delete(oldestOrigin);
      this.totals.dec({ state: oldest.state });
      this.unreport(oldestOrigin);
    }
    return entry;
  }

  private transition(origin: string, entry: Entry, to: BreakerState): void {
    this.totals.dec({ state: entry.state });
    this.totals.inc({ state: to });
    entry.state = to;
    this.transitions.inc({ to });
    if (to === 'closed') this.unreport(origin);
    else if (this.reported.has(origin) || this.reported.size < this.config.BREAKER_METRIC_MAX_HOSTS) {
      this.reported.add(origin);
      this.stateGauge.set({ origin }, STATE_VALUE[to]);
    }
    for (const l of this.listeners) l(origin, to);
  }

  private unreport(origin: string): void {
    if (this.reported.delete(origin)) this.stateGauge.remove({ origin });
  }
}
