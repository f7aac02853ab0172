import { setTimeout as sleep } from 'node:timers/promises';
import { context, ROOT_CONTEXT } from '@opentelemetry/api';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

export interface BackgroundLoopOptions<T> {
  /** Delay between the end of one run and the start of the next, unless `nextDelayMs` says otherwise. */
  intervalMs: number;
  /** One run of the work. `signal` aborts at shutdown: long runs stop between pages, sleeps end. */
  work: (signal: AbortSignal) => Promise<T>;
  /** Failures of scheduled runs land here; the schedule carries on. */
  onError: (err: unknown) => void;
  /** The delay after a run that returned `result` (a timer sleeping until the next due row). */
  nextDelayMs?: (result: T) => number;
  /** The delay after a failed run, `failures` in a row counting this one (default: intervalMs). */
  failureDelayMs?: (failures: number) => number;
}

/**
 * The one shape of background work (outbox relays, sweepers, timers, lease renewals): run at
 * start, then again `nextDelayMs` after each run ends, never two runs at once, stopped at
 * shutdown after the run in hand. `wake(at)` brings the next run forward (a row due sooner, a job
 * just created); a wake-up asked for during a run is kept, since the run may have missed its
 * cause. `runNow()` serves a caller that just made work: it waits for a run under way, runs at
 * once and hands over the result or the error.
 *
 * Providers extend BackgroundWorker; a service that keeps several schedules (leases renewed every
 * third of their TTL, expired ones swept every few seconds) holds BackgroundLoops.
 */
export class BackgroundLoop<T = unknown> {
  private timer: NodeJS.Timeout | null = null;
  /** When the armed timer fires (ms since the epoch); +∞ when none is armed. */
  private timerAt = Number.POSITIVE_INFINITY;
  private running: Promise<T> | null = null;
  /** The earliest wake-up asked for while a run was under way. */
  private askedDuringRun = Number.POSITIVE_INFINITY;
  private failures = 0;
  private started = false;
  private readonly abort = new AbortController();

  constructor(private readonly options: BackgroundLoopOptions<T>) {}

  /** Aborted at shutdown. */
  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get stopping(): boolean {
    return this.abort.signal.aborted;
  }

  /** Starts the schedule with a run now (or after `delayMs`). Starting twice is harmless. */
  start(delayMs = 0): void {
    if (this.started || this.stopping) return;
    this.started = true;
    this.wake(Date.now() + delayMs);
  }

  /** Runs no more; resolves once the run under way (if any) has ended. */
  async stop(): Promise<void> {
    this.abort.abort();
    this.disarm();
    await this.running?.catch(() => undefined);
  }

  /** Makes sure a run starts by `at` (ms since the epoch; default now). */
  wake(at = Date.now()): void {
    if (this.stopping || !this.started) return;
    if (this.running) {
      this.askedDuringRun = Math.min(this.askedDuringRun, at);
      return;
    }
    if (at >= this.timerAt) return;
    this.arm(at);
  }

  async runNow(): Promise<T> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.options.work(this.abort.signal);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  /** Sleeps `ms`, or less if shutdown begins meanwhile; true if the whole sleep passed. */
  async sleep(ms: number): Promise<boolean> {
    return sleep(ms, true, { signal: this.abort.signal }).catch(() => false);
  }

  private arm(at: number): void {
    this.disarm();
    this.timerAt = at;
    // A timer keeps the trace context it was armed in: woken from a traced request, every later run
    // (and each of its queries, once pg is instrumented) would join that request's trace. Runs start from none.
    this.timer = setTimeout(() => void context.with(ROOT_CONTEXT, () => this.tick()), Math.max(0, at - Date.now()));
  }

  private disarm(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private async tick(): Promise<void> {
    this.timer = null;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.askedDuringRun = Number.POSITIVE_INFINITY;
    let delayMs: number;
    try {
      const result = await this.runNow();
      this.failures = 0;
      delayMs = this.options.nextDelayMs?.(result) ?? this.options.intervalMs;
    } catch (err) {
      this.failures++;
      this.options.onError(err);
      delayMs = this.options.failureDelayMs?.(this.failures) ?? this.options.intervalMs;
    }
    if (this.stopping) return;
    const asked = this.askedDuringRun;
    this.askedDuringRun = Number.POSITIVE_INFINITY;
    this.arm(Math.min(Date.now() + Math.max(0, delayMs), asked));
  }
}

/**
 * A Nest provider whose whole job is one background schedule (see BackgroundLoop): it starts
 * when the application has bootstrapped and stops when its module is destroyed. Subclasses name
 * themselves `…Worker`, in a `….worker.ts` file.
 */
export abstract class BackgroundWorker<T = unknown> implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: BackgroundLoop<T>;

  protected constructor(intervalMs: number, onError: (err: unknown) => void) {
    this.loop = new BackgroundLoop<T>({
      intervalMs,
      onError,
      work: (signal) => this.work(signal),
      nextDelayMs: (result) => this.nextDelayMs(result, intervalMs),
      failureDelayMs: (failures) => this.failureDelayMs(failures, intervalMs),
    });
  }

  /** One run of the work. */
  protected abstract work(signal: AbortSignal): Promise<T>;

  /** The delay before the next run after one that returned `result`. */
  protected nextDelayMs(_result: T, intervalMs: number): number {
    return intervalMs;
  }

  /** The delay before the next run after `failures` failed runs in a row. */
  protected failureDelayMs(_failures: number, intervalMs: number): number {
    return intervalMs;
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /** Runs now (after a run under way), handing over the result or the error. */
  runNow(): Promise<T> {
    return this.loop.runNow();
  }

  /** Makes sure a run starts by `at` (ms since the epoch; default now). */
  wake(at?: number): void {
    this.loop.wake(at);
  }

  /** True once shutdown began: long runs stop between pages. */
  protected get stopping(): boolean {
    return this.loop.stopping;
  }

  protected sleep(ms: number): Promise<boolean> {
    return this.loop.sleep(ms);
  }

  /** Drains a backlog a page at a time until a page comes back short or shutdown begins (drainPages). */
  protected drainPages(pageSize: number, page: (limit: number) => Promise<number>): Promise<number> {
    return drainPages(pageSize, page, this.loop.signal);
  }
}

/**
 * Drains a backlog a page at a time: `page(limit)` claims, finishes and settles at most `limit`
 * items and says how many; pages follow while they come back full and `signal` has not aborted.
 */
export async function drainPages(pageSize: number, page: (limit: number) => Promise<number>, signal: AbortSignal): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await page(pageSize);
    total += n;
    if (n < pageSize || signal.aborted) return total;
  }
}
