import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BackgroundWorker, type Logger, LOGGER } from '@hookstream/platform';
import type { RegistryConfig } from '../config.js';
import { EndpointHealthRepository } from './endpoint-health.repository.js';
import { EndpointHealthService } from './endpoint-health.service.js';

/**
 * Bounds ordered delivery's backlog (docs/adr/0009): a subscription holding more events behind
 * its keys' heads than its ordering_backlog_max is disabled with reason `ordering_backlog` and a
 * `subscription.disabled` event, never reordered. Its held events stay where they are; the
 * dispatchers send them, in order, once it is enabled again.
 */
@Injectable()
export class OrderingBacklogWorker extends BackgroundWorker<number> {
  constructor(
    private readonly repo: EndpointHealthRepository,
    private readonly health: EndpointHealthService,
    @Inject(APP_CONFIG) config: RegistryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super(config.ORDERING_BACKLOG_CHECK_MS, (err) => logger.error({ err }, 'checking ordered backlogs failed; trying again next interval'));
  }

  protected async work(): Promise<number> {
    const over = await this.repo.overOrderingBacklog();
    if (over.length === 0) return 0;
    for (const o of over) this.logger.warn({ tenant: o.tenant_id, subscription: o.subscription_id, waiting: o.waiting, max: o.max }, 'ordered backlog past ordering_backlog_max; pausing the subscription');
    const disabled = await this.health.disable(over.map((o) => ({ subscriptionId: o.subscription_id, tenantId: o.tenant_id, reason: 'ordering_backlog' as const, health: null })));
    return disabled.length;
  }
}
