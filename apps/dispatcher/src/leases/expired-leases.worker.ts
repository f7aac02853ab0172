import { Inject, Injectable } from '@nestjs/common';
import { KafkaProducer } from '@hookstream/kafka';
import { APP_CONFIG, BackgroundWorker, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { LeasesRepository } from './leases.repository.js';

const PAGE = 500;

/**
 * Re-drives the leases of dead dispatchers (their heartbeat row expired), a claimed page at a
 * time: their messages go back on hookstream.deliveries, where the duplicate check lets through
 * only what was never recorded. Every dispatcher runs it; owners are claimed with SKIP LOCKED.
 */
@Injectable()
export class ExpiredLeasesWorker extends BackgroundWorker<number> {
  private readonly redriven;

  constructor(
    private readonly repo: LeasesRepository,
    private readonly producer: KafkaProducer,
    @Inject(APP_CONFIG) config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    super(config.LEASE_SWEEP_INTERVAL_MS, (err) => logger.error({ err }, 'sweeping expired delivery leases failed; trying again next interval'));
    this.redriven = metrics.counter('hookstream_delivery_leases_redriven_total', 'Expired leases whose messages were put back on hookstream.deliveries');
  }

  protected work(): Promise<number> {
    return this.drainPages(PAGE, async (limit) => {
      const swept = await this.repo.sweepExpired(limit, async (rows) => {
        await this.producer.send(
          'deliveries',
          rows.map((r) => ({ key: r.message.subscription_id, value: r.message, traceparent: r.traceparent })),
        );
      });
      if (swept.leases > 0) {
        this.redriven.inc(swept.leases);
        this.logger.warn({ count: swept.leases }, "re-drove a dead dispatcher's delivery leases");
      }
      // A dead owner done with: the next dead owner, if any, is looked for at once.
      return swept.owners > 0 ? limit : swept.leases;
    });
  }
}
