import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkSubscriptionUrl, DomainError, formatSecret } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import type { RegistryConfig } from '../config.js';
import { ChangelogRelay } from './changelog.relay.js';
import type { CreateSubscriptionDto, RotateSecretDto, UpdateSubscriptionDto } from './subscriptions.dto.js';
import { type SubscriptionRecord, SubscriptionsRepository } from './subscriptions.repository.js';

/** What the API shows: never the secrets (one is shown once, at creation). */
export type SubscriptionView = Omit<SubscriptionRecord, 'secrets'>;

@Injectable()
export class SubscriptionsService {
  private readonly allow: { hosts: ReadonlySet<string> };

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: SubscriptionsRepository,
    private readonly changelog: ChangelogRelay,
    @Inject(APP_CONFIG) config: RegistryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.allow = { hosts: new Set(config.DELIVERY_ALLOWLIST_HOSTS.map((h) => h.toLowerCase())) };
  }

  async create(tenantId: string, dto: CreateSubscriptionDto): Promise<SubscriptionView & { secret: string }> {
    const url = this.checkUrl(dto.url);
    const tenant: unknown[] = await this.db.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    if (tenant.length === 0) throw new DomainError('not_found', `no tenant ${tenantId}`);
    const id = randomUUID();
    const secret = dto.secret ?? formatSecret(randomBytes(32));
    const record = await this.db.transaction(async (em) => {
      await em.query(
        `INSERT INTO subscriptions (id, tenant_id, url, description, event_types, retry_policy, timeout_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [id, tenantId, url, dto.description ?? null, dedupe(dto.event_types), dto.retry_policy ? JSON.stringify(dto.retry_policy) : null, dto.timeout_ms ?? 15_000],
      );
      await em.query('INSERT INTO subscription_secrets (id, subscription_id, secret) VALUES ($1, $2, $3)', [randomUUID(), id, secret]);
      return this.repo.find(tenantId, id, em);
    });
    if (!record) throw new DomainError('internal', 'subscription vanished during creation');
    await this.publish();
    return { ...view(record), secret };
  }

  async update(tenantId: string, id: string, dto: UpdateSubscriptionDto): Promise<SubscriptionView> {
    const url = dto.url === undefined ? undefined : this.checkUrl(dto.url);
    const record = await this.db.transaction(async (em) => {
      const current = await this.repo.find(tenantId, id, em);
      if (!current) throw new DomainError('not_found', `no subscription ${id}`);
      await em.query(
        `UPDATE subscriptions SET
           url = COALESCE($3, url),
           description = CASE WHEN $4::boolean THEN $5 ELSE description END,
           event_types = COALESCE($6, event_types),
           enabled = COALESCE($7, enabled),
           disabled_reason = CASE WHEN $7 IS NULL THEN disabled_reason WHEN $7 THEN NULL ELSE 'manual' END,
           retry_policy = CASE WHEN $8::boolean THEN $9::jsonb ELSE retry_policy END,
           timeout_ms = COALESCE($10, timeout_ms),
           version = version + 1,
           updated_at = now()
         WHERE tenant_id = $1 AND id = $2`,
        [
          tenantId,
          id,
          url ?? null,
          dto.description !== undefined,
          dto.description ?? null,
          dto.event_types ? dedupe(dto.event_types) : null,
          dto.enabled ?? null,
          dto.retry_policy !== undefined,
          dto.retry_policy ? JSON.stringify(dto.retry_policy) : null,
          dto.timeout_ms ?? null,
        ],
      );
      return this.repo.find(tenantId, id, em);
    });
    if (!record) throw new DomainError('not_found', `no subscription ${id}`);
    await this.publish();
    return view(record);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    const result: [unknown[], number] = await this.db.query(
      'UPDATE subscriptions SET deleted_at = now(), version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL',
      [tenantId, id],
    );
    if (result[1] === 0) throw new DomainError('not_found', `no subscription ${id}`);
    await this.publish();
  }

  /** The owner may read the secrets that currently sign (during a rotation, both). */
  async revealSecrets(tenantId: string, id: string): Promise<SecretView[]> {
    await this.get(tenantId, id);
    const rows: { id: string; secret: string; created_at: Date; expires_at: Date | null }[] = await this.db.query(
      `SELECT id, secret, created_at, expires_at FROM subscription_secrets
        WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > now()) ORDER BY created_at DESC`,
      [id],
    );
    return rows.map(secretView);
  }

  /**
   * A new secret signs from now on; the current one keeps signing beside it until the overlap
   * ends, so receivers can switch without dropping a delivery.
   */
  async rotateSecret(tenantId: string, id: string, dto: RotateSecretDto): Promise<{ secret: SecretView; previous_expires_at: string }> {
    const secret = dto.secret ?? formatSecret(randomBytes(32));
    const created = await this.db.transaction(async (em) => {
      const [, locked]: [unknown[], number] = await em.query(
        'UPDATE subscriptions SET version = version + 1, updated_at = now() WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL',
        [tenantId, id],
      );
      if (locked === 0) throw new DomainError('not_found', `no subscription ${id}`);
      await em.query(
        `UPDATE subscription_secrets SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(secs => $2))
          WHERE subscription_id = $1 AND (expires_at IS NULL OR expires_at > now())`,
        [id, dto.overlap_seconds],
      );
      const rows: { id: string; secret: string; created_at: Date; expires_at: Date | null }[] = await em.query(
        'INSERT INTO subscription_secrets (id, subscription_id, secret) VALUES ($1, $2, $3) RETURNING id, secret, created_at, expires_at',
        [randomUUID(), id, secret],
      );
      return rows[0];
    });
    if (!created) throw new DomainError('internal', 'the secret was not stored');
    await this.publish();
    this.logger.info({ subscription: id, overlapSeconds: dto.overlap_seconds }, 'signing secret rotated');
    return { secret: secretView(created), previous_expires_at: new Date(Date.now() + dto.overlap_seconds * 1000).toISOString() };
  }

  async get(tenantId: string, id: string): Promise<SubscriptionView> {
    const record = await this.repo.find(tenantId, id);
    if (!record) throw new DomainError('not_found', `no subscription ${id}`);
    return view(record);
  }

  async list(tenantId: string): Promise<SubscriptionView[]> {
    return (await this.repo.list(tenantId)).map(view);
  }

  private checkUrl(raw: string): string {
    const verdict = checkSubscriptionUrl(raw, this.allow);
    if (!verdict.ok) throw new DomainError(verdict.code, verdict.reason, [{ path: 'url', message: verdict.reason }]);
    return verdict.url.toString();
  }

  /**
   * The change is committed; the relay publishes it. Waiting here (briefly) means the dispatcher
   * usually knows about a change by the time the caller does. If Kafka is down the relay keeps
   * trying, and the change is not lost.
   */
  private async publish(): Promise<void> {
    try {
      await this.changelog.flush();
    } catch (err) {
      this.logger.warn({ err }, 'changelog publish deferred; the relay will retry');
    }
  }
}

export interface SecretView {
  id: string;
  secret: string;
  created_at: string;
  expires_at: string | null;
}

function secretView(r: { id: string; secret: string; created_at: Date; expires_at: Date | null }): SecretView {
  return { id: r.id, secret: r.secret, created_at: new Date(r.created_at).toISOString(), expires_at: r.expires_at ? new Date(r.expires_at).toISOString() : null };
}

function view(record: SubscriptionRecord): SubscriptionView {
  const { secrets: _secrets, ...rest } = record;
  return rest;
}

function dedupe(filters: string[]): string[] {
  return [...new Set(filters)];
}
