import { BackgroundWorker, type Logger } from '@hookstream/platform';
import type { Counter } from 'prom-client';

export interface BacklogOptions {
  name: string;
  intervalMs: number;
  pageSize: number;
  /** Only work older than this is taken: younger work may still be finishing in its request. */
  graceMs: number;
  drained: Counter;
  logger: Logger;
  /** Logged (warn) with the count when a pass found work: something upstream had failed. */
  message: string;
}

/**
 * Work that a request should have finished but may have left behind (persisted, not yet
 * published): drained a page at a time, at start and then every interval. Each page is claimed
 * with SKIP LOCKED by the subclass, so replicas share the backlog.
 */
export abstract class BacklogWorker extends BackgroundWorker<number> {
  protected constructor(private readonly options: BacklogOptions) {
    super(options.intervalMs, (err) => options.logger.error({ err }, `${options.name} failed; retrying at the next tick`));
  }

  /** Claims, finishes and settles at most `limit` items older than `graceMs`; returns how many. */
  protected abstract drainPage(graceMs: number, limit: number): Promise<number>;

  /** One pass over the whole backlog (cut short by shutdown, between pages). */
  protected async work(): Promise<number> {
    const total = await this.drainPages(this.options.pageSize, (limit) => this.drainPage(this.options.graceMs, limit));
    if (total) {
      this.options.drained.inc(total);
      this.options.logger.warn({ count: total }, this.options.message);
    }
    return total;
  }
}
