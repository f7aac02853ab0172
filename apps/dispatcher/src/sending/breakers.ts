import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import CircuitBreaker from 'opossum';
import type { DispatcherConfig } from '../config.js';

export type BreakerState = 'closed' | 'open' | 'half_open';
const STATE_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

interface Entry {
  breaker: CircuitBreaker<[() => Promise<unknown>]>;
  openedAt: number;
}

/** Marks a result that should count against the host without being an exception elsewhere. */
export class HostFailure<T> extends Error {
  constructor(readonly result: T) {
    super('attempt failed');
  }
}

/**
 * One opossum breaker per target origin (scheme, host, port), bounded in number. While a
 * breaker is open its deliveries are postponed to when it half-opens, spending no attempt.
 */
@Injectable()
export class Breakers implements OnModuleDestroy {
  private readonly entries = new Map<string, Entry>();
  private readonly stateGauge;
  private readonly transitions;

  constructor(
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.stateGauge = metrics.gauge('hookstream_breaker_state', 'Circuit breaker per target origin: 0 closed, 1 half-open, 2 open', ['origin']);
    this.transitions = metrics.counter('hookstream_breaker_transitions_total', 'Breaker state changes', ['to']);
  }

  /** Runs `fn` through the origin's breaker; null means the breaker refused without calling it. */
  async run<T>(origin: string, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false; retryAt: Date }> {
    const entry = this.entry(origin);
    try {
      const value = (await entry.breaker.fire(fn)) as T;
      return { ran: true, value };
    } catch (err) {
      if (err instanceof HostFailure) return { ran: true, value: err.result as T };
      if ((err as { code?: string }).code === 'EOPENBREAKER') {
        return { ran: false, retryAt: new Date(Math.max(Date.now(), entry.openedAt + this.config.BREAKER_RESET_TIMEOUT_MS)) };
      }
      throw err;
    }
  }

  state(origin: string): BreakerState {
    const e = this.entries.get(origin);
    if (!e) return 'closed';
    return e.breaker.opened ? 'open' : e.breaker.halfOpen ? 'half_open' : 'closed';
  }

  onModuleDestroy(): void {
    for (const e of this.entries.values()) e.breaker.shutdown();
    this.entries.clear();
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
    const entry: Entry = { breaker, openedAt: 0 };
    const set = (state: BreakerState) => {
      this.stateGauge.set({ origin }, STATE_VALUE[state]);
      this.transitions.inc({ to: state });
    };
    breaker.on('open', () => {
      entry.openedAt = Date.now();
      set('open');
      this.logger.warn({ origin }, 'circuit opened');
    });
    breaker.on('halfOpen', () => set('half_open'));
    breaker.on('close', () => {
      set('closed');
      this.logger.info({ origin }, 'circuit closed');
    });
    this.entries.set(origin, entry);
    if (this.entries.size > this.config.BREAKER_MAX_HOSTS) {
      const [oldestOrigin, oldest] = this.entries.entries().next().value as [string, Entry];
      oldest.breaker.shutdown();
      this.entries.delete(oldestOrigin);
      this.stateGauge.remove({ origin: oldestOrigin });
    }
    return entry;
  }
}
