import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BackgroundWorker, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { TenantStatesRepository } from './tenant-states.repository.js';

/**
 * Which tenants are disabled (tenants.enabled, the registry's switch), read at boot and every
 * TENANT_STATE_REFRESH_MS: the fan-out parks a disabled tenant's events, and sending holds its
 * deliveries, until it is enabled. Consumers wait for the first read, so a dispatcher that starts
 * while a tenant is off never delivers for it. A failed read keeps the last answer.
 */
@Injectable()
export class TenantStatesWorker extends BackgroundWorker<number> {
  private disabled: ReadonlySet<string> = new Set();
  private loadedResolve!: () => void;
  private readonly loaded = new Promise<void>((resolve) => {
    this.loadedResolve = resolve;
  });
  private readonly gauge;

  constructor(
    private readonly repo: TenantStatesRepository,
    @Inject(APP_CONFIG) config: DispatcherConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    super(config.TENANT_STATE_REFRESH_MS, (err) => logger.error({ err }, 'reading which tenants are disabled failed; keeping the last answer'));
    this.gauge = metrics.gauge('hookstream_tenants_disabled', 'Tenants switched off (their deliveries wait), as this dispatcher last read them');
  }

  isDisabled(tenantId: string): boolean {
    return this.disabled.has(tenantId);
  }

  /** Settles once the states have been read (at boot). */
  whenLoaded(): Promise<void> {
    return this.loaded;
  }

  protected async work(): Promise<number> {
    const now = new Set(await this.repo.disabledTenants());
    for (const t of now) if (!this.disabled.has(t)) this.logger.info({ tenant: t }, 'tenant disabled: its fan-outs park and its deliveries wait');
    for (const t of this.disabled) if (!now.has(t)) this.logger.info({ tenant: t }, 'tenant enabled: its parked fan-outs and waiting deliveries resume');
    this.disabled = now;
    this.gauge.set(now.size);
    this.loadedResolve();
    return now.size;
  }
}
