import { Inject, Injectable } from '@nestjs/common';
import { BackgroundWorker, KeyUsage, type Logger, LOGGER } from '@hookstream/platform';
import { ApiKeysRepository } from './api-keys.repository.js';

const PERSIST_EVERY_MS = 60_000;

/**
 * Copies the last-used times that every service notes in Redis (cheap, on each request) into
 * api_keys, which this service owns, once a minute. Nothing is lost at shutdown: the times stay in
 * Redis until the next registry copies them.
 */
@Injectable()
export class KeyUsageWorker extends BackgroundWorker<number> {
  constructor(
    private readonly repo: ApiKeysRepository,
    private readonly usage: KeyUsage,
    @Inject(LOGGER) logger: Logger,
  ) {
    super(PERSIST_EVERY_MS, (err) => logger.warn({ err }, 'could not persist key usage'));
  }

  protected async work(): Promise<number> {
    const used = await this.usage.read(await this.repo.activeIds());
    if (used.size === 0) return 0;
    await this.repo.recordLastUsed(used);
    return used.size;
  }
}
