import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import { BacklogWorker } from '../backlog.worker.js';
import type { GatewayConfig } from '../config.js';
import { CallbacksService } from './callbacks.service.js';
import { IncomingWebhooksRepository } from './incoming-webhooks.repository.js';

/**
 * A verified callback is stored before it is published. If its request died in between, or
 * publishing failed and the provider does not retry (GitHub, for one, does not), the row stays
 * pending; this publishes such rows once INCOMING_RECOVERY_GRACE_MS has passed.
 */
@Injectable()
export class CallbackRecoveryWorker extends BacklogWorker {
  constructor(
    private readonly repo: IncomingWebhooksRepository,
    private readonly callbacks: CallbacksService,
    @Inject(APP_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) logger: Logger,
    metrics: Metrics,
  ) {
    super({
      name: 'callback recovery',
      intervalMs: config.OUTBOX_INTERVAL_MS,
      pageSize: 200,
      graceMs: config.INCOMING_RECOVERY_GRACE_MS,
      drained: metrics.counter('hookstream_incoming_recovered_total', 'Pending verified callbacks published by the recovery job'),
      logger,
      message: 'published verified callbacks an earlier request left pending',
    });
  }

  protected drainPage(graceMs: number, limit: number): Promise<number> {
    return this.repo.recoverPending(graceMs, limit, (pending) => this.callbacks.deliver(pending));
  }
}
