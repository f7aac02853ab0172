import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import { BacklogWorker } from '../backlog.worker.js';
import type { GatewayConfig } from '../config.js';
import { EventsRepository } from './events.repository.js';
import { IntakeService } from './intake.service.js';

/**
 * The events table doubles as an outbox: a row with no published_at was persisted but never
 * acknowledged by Kafka (the process died in between). This drains such rows at start and
 * then continuously, so an accepted event is always published eventually.
 */
@Injectable()
export class OutboxWorker extends BacklogWorker {
  private readonly depth;

  constructor(
    private readonly events: EventsRepository,
    private readonly intake: IntakeService,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    super({
      name: 'outbox drain',
      intervalMs: config.OUTBOX_INTERVAL_MS,
      pageSize: 500,
      graceMs: config.OUTBOX_GRACE_MS,
      drained: metrics.counter('hookstream_outbox_republished_total', 'Persisted events published by the outbox worker'),
      logger,
      message: 'published events left unpublished by an earlier failure',
    });
    this.depth = metrics.gauge('hookstream_outbox_depth', 'Outbox rows older than their grace period still waiting for Kafka', ['outbox']);
  }

  /** Drains, then reports what is left: above zero between passes means Kafka is refusing the outbox. */
  protected override async work(): Promise<number> {
    const drained = await super.work();
    this.depth.set({ outbox: 'events' }, await this.events.countUnpublished(this.config.OUTBOX_GRACE_MS));
    return drained;
  }

  protected drainPage(graceMs: number, limit: number): Promise<number> {
    return this.events.drainUnpublished(graceMs, limit, (page) => this.intake.publish(page));
  }
}
