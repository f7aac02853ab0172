import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';

/**
 * Background work of a service (an outbox relay, a sweeper): run once at boot, then again
 * `intervalMs` after each run ends, never two runs at once, and stopped (waiting for the run in
 * hand) at shutdown. `runNow()` serves a caller that just made work: it waits for a run under way,
 * runs at once and hands over the result or the error. Failures of scheduled runs go to
 * `onError`, and the schedule carries on.
 */
export abstract class BackgroundWorker<T> implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<T> | null = null;
  private stopped = false;

  protected constructor(
    private readonly intervalMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** One run of the work. */
  protected abstract work(): Promise<T>;

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  async runNow(): Promise<T> {
    while (this.running) await this.running.catch(() => undefined);
    this.running = this.work();
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  /** True once shutdown began: long runs stop between pages. */
  protected get stopping(): boolean {
    return this.stopped;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.runNow()
        .catch(this.onError)
        .finally(() => this.schedule(this.intervalMs));
    }, delayMs);
  }
}
