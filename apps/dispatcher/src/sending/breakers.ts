import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import CircuitBreaker from 'opossum';
import type { DispatcherConfig } from '../config.js';

export type BreakerState = 'closed' | 'open' | 'half_open';
const STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

interface Entry {
  scope: BreakerScope;
  breaker: CircuitBreaker<[() => Promise<unknown>]>;
  openedAt: number;
  state: BreakerState;
}

/** Whether an attempt to an origin may start now. */
export type BreakerGate =
  | { kind: 'go' }
  /** Open: come back once it has half-opened (spread over a reset period; see reopensAt). */
  | { kind: 'postpone'; retryAt: Date }
  /** Half-open and its one trial request is still running: wait for its verdict. */
  | { kind: 'wait' };

/** Whose breaker: a tenant's view of one origin (scheme, host, port). */
export interface BreakerScope {
  tenant: string;
  origin: string;
}

/** Marks a result that should count against the host without being an exception elsewhere. */
export class HostFailure<T> extends Error {
  constructor(readonly result: T) {
    super('attempt failed');
  }
}

/**
 * One opossum breaker per (tenant, target origin), bounded in number (BREAKER_MAX_HOSTS, least
 * recently used dropped). While a breaker is open its deliveries are postponed, spending no
 * attempt, to a time spread over the reset period after it half-opens (reopensAt).
 *
 * Why per tenant: many tenants share popular origins (a chat or CRM webhook host), and what
 * fails there is often one tenant's own doing: a 1 s timeout, a header the host refuses, a path
 * that answers 5xx. Telling origin-level failures from tenant-level ones by error class is
 * guesswork (a 503 or a reset can be path- or account-specific), so instead no tenant's failures
 * are ever counted against another tenant's breaker: tenant A can only postpone its own
 * deliveries. The price is that an origin that is really down is tripped once per tenant
 * (BREAKER_VOLUME_THRESHOLD attempts each), which is small.
 *
 * Metrics stay bounded: per-state totals always, and a per-(origin, tenant) series only while a
 * breaker is not closed, for at most BREAKER_METRIC_MAX_HOSTS of them.
 */
@Injectable()
export class Breakers implements OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly reported = new Set<string>();
  private readonly listeners: Array<(scope: BreakerScope, state: BreakerState) => void> = [];
  private readonly stateGauge;
  private readonly totals;
  private readonly transitions;

  constructor(
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.stateGauge = metrics.gauge('hookstream_breaker_state', 'Circuit breaker per (target origin, tenant) while not closed: 1 half-open, 2 open', ['origin', 'tenant']);
    this.totals = metrics.gauge('hookstream_breakers', 'Circuit breakers held, by state', ['state']);
    this.transitions = metrics.counter('hookstream_breaker_transitions_total', 'Breaker state changes', ['to']);
    for (const s of Object.keys(STATE_VALUE)) this.totals.set({ state: s }, 0);
  }

  /** Called on every state change (and when a breaker not closed is forgotten), e.g. to resume work parked on it. */
  onChange(listener: (scope: BreakerScope, state: BreakerState) => void): void {
    this.listeners.push(listener);
  }

  /** Decides without side effects whether an attempt of `scope.tenant` to `scope.origin` may start now. */
  gate(scope: BreakerScope): BreakerGate {
    const e = this.entries.get(breakerKey(scope));
    if (!e) return { kind: 'go' };
    if (e.breaker.opened) return { kind: 'postpone', retryAt: this.reopensAt(e) };
    if (e.breaker.halfOpen && !e.breaker.pendingClose) return { kind: 'wait' };
    return { kind: 'go' };
  }

  /** Runs `fn` through the scope's breaker; `ran: false` means the breaker refused without calling it. */
  async run<T>(scope: BreakerScope, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false; retryAt: Date }> {
    const entry = this.entry(scope);
    try {
      const value = (await entry.breaker.fire(fn)) as T;
      return { ran: true, value };
    } catch (err) {
      if (err instanceof HostFailure) return { ran: true, value: err.result as T };
      if ((err as { code?: string }).code === 'EOPENBREAKER') return { ran: false, retryAt: this.reopensAt(entry) };
      throw err;
    }
  }

  state(scope: BreakerScope): BreakerState {
    return this.entries.get(breakerKey(scope))?.state ?? 'closed';
  }

  onModuleDestroy(): void {
    for (const e of this.entries.values()) e.breaker.shutdown();
    this.entries.clear();
  }

  /**
   * When a postponed delivery comes back: some time in the reset period after the breaker
   * half-opens, not at that instant. A backlog all due at the half-open moment would come back as
   * one burst that the trial request turns away again, and the burst, through the retry topic and
   * the send consumer's partitions, held up other tenants' deliveries every reset period (issue
   * 13's hostile_tenant run: spikes 30 s apart). Spread out, the first of them is the trial, and
   * once the breaker closes the rest follow within one reset period.
   */
  private reopensAt(e: Entry): Date {
    const halfOpen = Math.max(Date.now(), e.openedAt + this.config.BREAKER_RESET_TIMEOUT_MS);
    return new Date(halfOpen + Math.floor(Math.random() * this.config.BREAKER_RESET_TIMEOUT_MS));
  }

  private entry(scope: BreakerScope): Entry {
    const key = breakerKey(scope);
    const existing = this.entries.get(key);
    if (existing) {
      this.entries.delete(key);
      this.entries.set(key, existing);
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
    const entry: Entry = { scope: { tenant: scope.tenant, origin: scope.origin }, breaker, openedAt: 0, state: 'closed' };
    this.totals.inc({ state: 'closed' });
    breaker.on('open', () => {
      entry.openedAt = Date.now();
      this.transition(key, entry, 'open');
      this.logger.warn(entry.scope, 'circuit opened');
    });
    breaker.on('halfOpen', () => this.transition(key, entry, 'half_open'));
    breaker.on('close', () => {
      this.transition(key, entry, 'closed');
      this.logger.info(entry.scope, 'circuit closed');
    });
    this.entries.set(key, entry);
    if (this.entries.size > this.config.BREAKER_MAX_HOSTS) {
      const [oldestKey, oldest] = this.entries.entries().next().value as [string, Entry];
      oldest.breaker.shutdown();
      this.entries.delete(oldestKey);
      this.totals.dec({ state: oldest.state });
      this.unreport(oldestKey, oldest.scope);
      // Forgotten is closed: work parked on it (HostGate) would otherwise wait for an event that never comes.
      if (oldest.state !== 'closed') for (const l of this.listeners) l(oldest.scope, 'closed');
    }
    return entry;
  }

  private transition(key: string, entry: Entry, to: BreakerState): void {
    this.totals.dec({ state: entry.state });
    this.totals.inc({ state: to });
    entry.state = to;
    this.transitions.inc({ to });
    if (to === 'closed') this.unreport(key, entry.scope);
    else if (this.reported.has(key) || this.reported.size < this.config.BREAKER_METRIC_MAX_HOSTS) {
      this.reported.add(key);
      this.stateGauge.set({ ...entry.scope }, STATE_VALUE[to]);
    }
    for (const l of this.listeners) l(entry.scope, to);
  }

  private unreport(key: string, scope: BreakerScope): void {
    if (this.reported.delete(key)) this.stateGauge.remove({ ...scope });
  }
}

/** An origin never contains a space, so the key is unambiguous whatever the tenant id holds. */
export function breakerKey(scope: BreakerScope): string {
  return `${scope.origin} ${scope.tenant}`;
}
