import { Inject, Injectable } from '@nestjs/common';
import type { SubscriptionSnapshot } from '@hookstream/contracts';
import { ENDPOINT_AUTH_SEAL_ID, openAtRest, type SealedAtRest, sealAtRest, sealForChangelog, type SealingKey } from '@hookstream/domain';
import { APP_CONFIG } from '@hookstream/platform';
import type { RegistryConfig } from '../config.js';

/** A secret's row as stored: sealed, or (before the re-seal job has run) legacy clear text. */
export interface StoredSecret {
  id: string;
  secret: string | null;
  sealed: Buffer | null;
  sealed_key_id: string | null;
}

/**
 * The registry's two keyrings: SUBSCRIPTION_SECRETS_KEYS for Postgres, CHANGELOG_SECRETS_KEYS for
 * hookstream.subscriptions. Clear secrets exist only in memory, between these two.
 */
@Injectable()
export class SecretSealer {
  private readonly rest: readonly SealingKey[];
  private readonly changelog: readonly SealingKey[];

  constructor(@Inject(APP_CONFIG) config: RegistryConfig) {
    this.rest = config.SUBSCRIPTION_SECRETS_KEYS;
    this.changelog = config.CHANGELOG_SECRETS_KEYS;
  }

  /** The key new rows are sealed with; rows under any other are re-sealed. */
  get primaryKeyId(): string {
    return this.rest[0]?.id ?? '';
  }

  seal(subscriptionId: string, secretId: string, secret: string): SealedAtRest {
    return sealAtRest(this.rest, subscriptionId, secretId, secret);
  }

  open(subscriptionId: string, row: StoredSecret): string {
    if (row.sealed && row.sealed_key_id) return openAtRest(this.rest, subscriptionId, row.id, { sealed: row.sealed, keyId: row.sealed_key_id });
    if (row.secret !== null) return row.secret;
    throw new Error(`secret ${row.id} has neither a sealed nor a legacy value`);
  }

  /** Endpoint credentials (their JSON) for subscription_endpoint_auth. */
  sealAuth(subscriptionId: string, credentials: string): SealedAtRest {
    return sealAtRest(this.rest, subscriptionId, ENDPOINT_AUTH_SEAL_ID, credentials);
  }

  openAuth(subscriptionId: string, row: SealedAtRest): string {
    return openAtRest(this.rest, subscriptionId, ENDPOINT_AUTH_SEAL_ID, row);
  }

  /** The snapshot as it goes on the changelog: every secret, and the endpoint credentials, sealed for the dispatchers. */
  forChangelog(snapshot: SubscriptionSnapshot): SubscriptionSnapshot {
    return {
      ...snapshot,
      secrets: snapshot.secrets.map((s) => ({ ...s, secret: sealForChangelog(this.changelog, snapshot.id, s.id, s.secret) })),
      auth: snapshot.auth && { type: snapshot.auth.type, credentials: sealForChangelog(this.changelog, snapshot.id, ENDPOINT_AUTH_SEAL_ID, snapshot.auth.credentials) },
    };
  }
}
