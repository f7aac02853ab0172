import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { GatewayConfig } from '../config.js';
import { EventsRepository } from './events.repository.js';
import { IntakeService } from './intake.service.js';

/**
 * The events table doubles as an outbox: a row with no published_at was persisted but never
 * acknowledged by Kafka (the process died in between). This drains such rows at start and
 * then continuously, so an accepted event is always published eventually.
 */
@Injectable()
export class OutboxDrainer implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly drained;

  constructor(
    private readonly events: EventsRepository,
    private readonly intake: IntakeService,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.drained = metrics.counter('hookstream_outbox_republished_total', 'Persisted events published by the outbox drainer');
  }

  onApplicationBootstrap(): void {
    this.schedule(0);
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass: publishes every stale unpublished event, a page at a time. */
  async drainOnce(graceMs = this.config.OUTBOX_GRACE_MS): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.events.drainUnpublished(graceMs, 500, (page) => this.intake.publish(page));
      total += n;
      if (n < 500) break;
    }
    if (total) {
      this.drained.inc(total);
      this.logger.warn({ count: total }, 'published events left unpublished by an earlier failure');
    }
    return total;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.drainOnce()
        .then(() => undefined)
        .catch((err: unknown) => this.logger.error({ err }, 'outbox drain failed'))
        .finally(() => {
          this.running = null;
          if (this.timer) this.schedule(this.config.OUTBOX_INTERVAL_MS);
        });
    }, delayMs);
  }
}
