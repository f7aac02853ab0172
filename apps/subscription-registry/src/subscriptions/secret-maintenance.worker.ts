import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, BackgroundWorker, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { RegistryConfig } from '../config.js';
import { ChangelogPublishWorker } from './changelog-publish.worker.js';
import { SecretSealer } from './secret-sealer.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

const PAGE = 200;
const NONE = '00000000-0000-0000-0000-000000000000';

/**
 * Keeps subscription_secrets sealed under the current key and free of dead secrets, at boot and
 * every SECRET_MAINTENANCE_INTERVAL_MS:
 * - seals rows still in clear (written before sealing existed) and re-seals rows (and endpoint
 *   credentials) under a key that is no longer first in SUBSCRIPTION_SECRETS_KEYS, so the old key can be removed afterwards
 *   (`hookstream_subscription_secrets_unsealed` says when none is left);
 * - deletes secrets whose rotation overlap has ended.
 * Each write is conditional on the row being as it was read, so registries of two versions
 * (a rolling deploy) can both run it; subscriptions it changed get a new version and are
 * republished on the changelog, whose older records compaction then drops.
 */
@Injectable()
export class SecretMaintenanceWorker extends BackgroundWorker<{ resealed: number; purged: number }> {
  private readonly resealed;
  private readonly purged;
  private readonly left;

  constructor(
    private readonly repo: SubscriptionsRepository,
    private readonly sealer: SecretSealer,
    private readonly changelog: ChangelogPublishWorker,
    @Inject(APP_CONFIG) config: RegistryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    super(config.SECRET_MAINTENANCE_INTERVAL_MS, (err) => logger.error({ err }, 'sealing or purging signing secrets failed; will retry'));
    this.resealed = metrics.counter('hookstream_subscription_secrets_resealed_total', 'Signing secrets sealed (legacy clear rows) or re-sealed under the current key');
    this.purged = metrics.counter('hookstream_subscription_secrets_purged_total', 'Signing secrets deleted after their rotation overlap ended');
    this.left = metrics.gauge('hookstream_subscription_secrets_unsealed', 'Signing secrets still in clear or under a key other than the first of SUBSCRIPTION_SECRETS_KEYS, at the last pass');
  }

  protected async work(): Promise<{ resealed: number; purged: number }> {
    const resealed = await this.resealAll();
    let purged = 0;
    for (let n = PAGE; n === PAGE && !this.stopping; ) {
      n = await this.repo.purgeExpired(0, PAGE);
      purged += n;
    }
    this.purged.inc(purged);
    if (resealed || purged) {
      this.logger.info({ resealed, purged }, 'signing secrets re-sealed and purged');
      await this.changelog.flush();
    }
    return { resealed, purged };
  }

  /** Endpoint credentials under a retired key, re-sealed under the first (they are never in clear). */
  private async resealAuth(keyId: string): Promise<number> {
    let after = NONE;
    let total = 0;
    while (!this.stopping) {
      const rows = await this.repo.staleAuth(keyId, after, PAGE);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]?.subscription_id ?? after;
      const resealed = [];
      for (const row of rows) {
        try {
          const clear = this.sealer.openAuth(row.subscription_id, { sealed: row.sealed, keyId: row.sealed_key_id });
          resealed.push({ subscriptionId: row.subscription_id, fromKeyId: row.sealed_key_id, sealed: this.sealer.sealAuth(row.subscription_id, clear).sealed });
        } catch (err) {
          this.logger.error({ err, subscription: row.subscription_id, key: row.sealed_key_id }, 'endpoint credentials cannot be opened with SUBSCRIPTION_SECRETS_KEYS; put their key back');
        }
      }
      const n = await this.repo.resealAuth(resealed, keyId);
      total += n;
      this.resealed.inc(n);
      if (rows.length < PAGE) break;
    }
    return total;
  }

  private async resealAll(): Promise<number> {
    const keyId = this.sealer.primaryKeyId;
    let after = NONE;
    let total = 0;
    while (!this.stopping) {
      const rows = await this.repo.unsealedOrStale(keyId, after, PAGE);
      if (rows.length === 0) break;
      after = rows[rows.length - 1]?.id ?? after;
      const resealed = [];
      for (const row of rows) {
        try {
          const secret = this.sealer.open(row.subscription_id, row);
          const { sealed } = this.sealer.seal(row.subscription_id, row.id, secret);
          resealed.push({ id: row.id, subscriptionId: row.subscription_id, fromKeyId: row.sealed_key_id, sealed, keyId, wasClear: row.sealed === null });
        } catch (err) {
          // Its key was removed from the keyring too early: the row stays as it is, and says so.
          this.logger.error({ err, secret: row.id, subscription: row.subscription_id, key: row.sealed_key_id }, 'a signing secret cannot be opened with SUBSCRIPTION_SECRETS_KEYS; put its key back');
        }
      }
      const n = await this.repo.reseal(resealed);
      total += n;
      this.resealed.inc(n);
      if (rows.length < PAGE) break;
    }
    total += await this.resealAuth(keyId);
    // What is left, whoever left it (a key missing here, rows a newer writer changed meanwhile):
    // the gauge reaches 0 only when nothing is in clear or under a retired key.
    this.left.set(await this.repo.countUnsealedOrStale(keyId));
    return total;
  }
}
