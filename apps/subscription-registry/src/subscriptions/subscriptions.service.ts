import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type EndpointAuth, endpointAuthSchema, type EndpointAuthView } from '@hookstream/contracts';
import { checkSubscriptionUrl, DomainError, ed25519KeyPair, endpointAuthView, formatSecret, rawSecretToStored, type SignatureScheme, storedToRawSecret } from '@hookstream/domain';
import { APP_CONFIG, decodeCursor, encodeCursor, type Logger, LOGGER } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import type { RegistryConfig } from '../config.js';
import { EventTypesService } from '../event-types/event-types.service.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { ChangelogPublishWorker } from './changelog-publish.worker.js';
import { authorizationClash, type CreateSubscriptionDto, type RotateSecretDto, secretProblem, type UpdateSubscriptionDto } from './subscriptions.dto.js';
import { SecretSealer } from './secret-sealer.js';
import { type SubscriptionRecord, SubscriptionsRepository } from './subscriptions.repository.js';

/** What the API shows: never the secrets (one is shown once, at creation), and of the endpoint credentials only what is not secret. */
export type SubscriptionView = Omit<SubscriptionRecord, 'secrets' | 'auth'> & { auth: EndpointAuthView | null };

@Injectable()
export class SubscriptionsService {
  private readonly allow: { hosts: ReadonlySet<string> };
  private readonly egressProxies: ReadonlySet<string>;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: SubscriptionsRepository,
    private readonly sealer: SecretSealer,
    private readonly changelog: ChangelogPublishWorker,
    private readonly eventTypes: EventTypesService,
    private readonly quotas: QuotasService,
    @Inject(APP_CONFIG) config: RegistryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.allow = { hosts: new Set(config.DELIVERY_ALLOWLIST_HOSTS.map((h) => h.toLowerCase())) };
    this.egressProxies = new Set(config.EGRESS_PROXIES.keys());
  }

  /** `createdBy`: the API key id of the caller, or `declarative-config`. */
  async create(tenantId: string, dto: CreateSubscriptionDto, createdBy: string, configKey: string | null = null): Promise<SubscriptionView & { secret: string | null; public_key: string | null }> {
    const url = this.checkUrl(dto.url);
    const auth = this.checkAuth(dto.auth ?? null);
    this.checkEgressProxy(dto.egress_proxy);
    if (!(await this.repo.tenantExists(tenantId))) throw new DomainError('not_found', `no tenant ${tenantId}`);
    await this.eventTypes.checkFilters(tenantId, dto.event_types);
    await this.quotas.checkShape(tenantId, dto);
    const id = randomUUID();
    const key = newKey(dto.signature_scheme, dto.secret);
    const record = await this.db.transaction(async (em) => {
      await this.quotas.claim(em, tenantId, 'subscriptions');
      await this.repo.insert(em, {
        id,
        tenantId,
        url,
        name: dto.name ?? null,
        description: dto.description ?? null,
        eventTypes: dedupe(dto.event_types),
        retryPolicy: dto.retry_policy ?? null,
        timeoutMs: dto.timeout_ms ?? 15_000,
        headers: dto.headers ?? {},
        metadata: dto.metadata ?? {},
        rateLimitPerSecond: dto.rate_limit_per_second ?? null,
        maxConcurrency: dto.max_concurrency ?? null,
        signatureScheme: dto.signature_scheme,
        signatureHeader: dto.signature_header ?? null,
        excludedEventTypes: dedupe(dto.excluded_event_types ?? []),
        filter: dto.filter ?? null,
        egressProxy: dto.egress_proxy ?? null,
        ordering: dto.ordering,
        onDeadLetter: dto.on_dead_letter,
        orderingBacklogMax: dto.ordering_backlog_max,
        batch: dto.batch ?? null,
        configKey,
        createdBy,
      });
      await this.repo.insertSecret(em, id, randomUUID(), key.secret, key.publicKey);
      if (auth) await this.repo.setAuth(em, id, auth);
      return this.repo.find(tenantId, id, em);
    });
    if (!record) throw new DomainError('internal', 'subscription vanished during creation');
    await this.publish();
    // An HMAC secret is shown once, here; an ed25519 private key never is.
    return { ...view(record), secret: key.publicKey ? null : key.shown, public_key: key.publicKey };
  }

  async update(tenantId: string, id: string, dto: UpdateSubscriptionDto): Promise<SubscriptionView> {
    const url = dto.url === undefined ? undefined : this.checkUrl(dto.url);
    const auth = dto.auth === undefined ? undefined : this.checkAuth(dto.auth);
    this.checkEgressProxy(dto.egress_proxy);
    if (dto.event_types) await this.eventTypes.checkFilters(tenantId, dto.event_types);
    await this.quotas.checkShape(tenantId, dto);
    const record = await this.db.transaction(async (em) => {
      const current = await this.repo.find(tenantId, id, em);
      if (!current) throw new DomainError('not_found', `no subscription ${id}`);
      const scheme = current.signature_scheme;
      if (dto.signature_header === null && (scheme === 'legacy_sha256' || scheme === 'legacy_sha256_raw')) {
        throw new DomainError('validation_failed', 'the legacy scheme needs a signature header', [{ path: 'signature_header', message: `required for ${scheme}` }]);
      }
      // Against what the subscription will be: new headers with old credentials, or the reverse.
      const clash = authorizationClash(dto.headers ?? current.headers, auth === undefined ? current.auth : auth);
      if (clash) throw new DomainError('validation_failed', 'Authorization is set twice', [{ path: `headers.${clash}`, message: 'the endpoint authentication sets Authorization; remove one of them' }]);
      if (auth !== undefined) await this.repo.setAuth(em, id, auth);
      await this.repo.update(em, tenantId, id, {
        ...dto,
        ...(url === undefined ? {} : { url }),
        ...(dto.event_types ? { event_types: dedupe(dto.event_types) } : {}),
        ...(dto.excluded_event_types ? { excluded_event_types: dedupe(dto.excluded_event_types) } : {}),
      });
      return this.repo.find(tenantId, id, em);
    });
    if (!record) throw new DomainError('not_found', `no subscription ${id}`);
    await this.publish();
    return view(record);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    if (!(await this.repo.softDelete(tenantId, id))) throw new DomainError('not_found', `no subscription ${id}`);
    await this.publish();
  }

  /** The owner may read the secrets that currently sign (during a rotation, both). */
  async revealSecrets(tenantId: string, id: string): Promise<SecretView[]> {
    const sub = await this.get(tenantId, id);
    const rows = await this.repo.storedSecrets(id);
    return rows.map((r) => secretView(sub.signature_scheme, { id: r.id, secret: this.sealer.open(id, r), public_key: r.public_key, created_at: r.created_at, expires_at: r.expires_at }));
  }

  /**
   * A new secret signs from now on; the current one keeps signing beside it until the overlap
   * ends, so receivers can switch without dropping a delivery.
   */
  async rotateSecret(tenantId: string, id: string, dto: RotateSecretDto): Promise<{ secret: SecretView; previous_expires_at: string }> {
    const current = await this.repo.find(tenantId, id);
    if (!current) throw new DomainError('not_found', `no subscription ${id}`);
    if (current.signature_scheme === 'ed25519' && dto.secret) {
      throw new DomainError('validation_failed', 'ed25519 keys are generated', [{ path: 'secret', message: 'not accepted for ed25519 subscriptions' }]);
    }
    const problem = dto.secret === undefined ? null : secretProblem(current.signature_scheme, dto.secret);
    if (problem) throw new DomainError('validation_failed', 'invalid secret', [{ path: 'secret', message: problem }]);
    const key = newKey(current.signature_scheme, dto.secret);
    const created = await this.db.transaction(async (em) => {
      if (!(await this.repo.bumpVersion(em, tenantId, id))) throw new DomainError('not_found', `no subscription ${id}`);
      await this.repo.expireSecretsAfter(em, id, dto.overlap_seconds);
      await this.quotas.checkRotation(em, tenantId, id);
      const secretId = randomUUID();
      const stored = await this.repo.insertSecret(em, id, secretId, key.secret, key.publicKey);
      const row: SecretRow = { id: secretId, secret: key.secret, public_key: key.publicKey, created_at: stored.created_at, expires_at: stored.expires_at };
      return row;
    });
    if (!created) throw new DomainError('internal', 'the secret was not stored');
    await this.publish();
    this.logger.info({ subscription: id, overlapSeconds: dto.overlap_seconds }, 'signing secret rotated');
    return { secret: secretView(current.signature_scheme, created), previous_expires_at: new Date(Date.now() + dto.overlap_seconds * 1000).toISOString() };
  }

  async get(tenantId: string, id: string): Promise<SubscriptionView> {
    const record = await this.repo.find(tenantId, id);
    if (!record) throw new DomainError('not_found', `no subscription ${id}`);
    return view(record);
  }

  async list(tenantId: string, limit: number, cursor?: string): Promise<{ data: SubscriptionView[]; next_cursor: string | null }> {
    const after = cursor ? decodeCursor(cursor, ['micros', 'uuid']) : null;
    const page = await this.repo.list(tenantId, limit, after ? { createdMicros: after[0] ?? '', id: after[1] ?? '' } : null);
    return { data: page.records.map(view), next_cursor: page.last && page.records.length === limit ? encodeCursor(page.last) : null };
  }

  /** Only a proxy the operator named: a tenant never supplies a proxy address. */
  private checkEgressProxy(name: string | null | undefined): void {
    if (name === undefined || name === null || this.egressProxies.has(name)) return;
    const known = [...this.egressProxies].join(', ') || 'none are configured';
    throw new DomainError('validation_failed', `no egress proxy named ${name}`, [{ path: 'egress_proxy', message: `must be one of EGRESS_PROXIES (${known})` }]);
  }

  /** The token URL of OAuth credentials obeys the endpoint URL rules (https, public, or allowlisted). */
  private checkAuth(auth: EndpointAuth | null): EndpointAuth | null {
    if (auth?.type !== 'oauth2_client_credentials') return auth;
    const verdict = checkSubscriptionUrl(auth.token_url, this.allow);
    if (!verdict.ok) throw new DomainError(verdict.code, verdict.reason, [{ path: 'auth.token_url', message: verdict.reason }]);
    return { ...auth, token_url: verdict.url.toString() };
  }

  private checkUrl(raw: string): string {
    const verdict = checkSubscriptionUrl(raw, this.allow);
    if (!verdict.ok) throw new DomainError(verdict.code, verdict.reason, [{ path: 'url', message: verdict.reason }]);
    return verdict.url.toString();
  }

  /**
   * The change is committed; ChangelogPublishWorker publishes it. Waiting here (briefly) means the dispatcher
   * usually knows about a change by the time the caller does. If Kafka is down that worker keeps
   * trying, and the change is not lost.
   */
  private async publish(): Promise<void> {
    try {
      await this.changelog.flush();
    } catch (err) {
      this.logger.warn({ err }, 'changelog publish deferred; the publish worker will retry');
    }
  }
}

interface SecretRow {
  id: string;
  secret: string;
  public_key: string | null;
  created_at: Date;
  expires_at: Date | null;
}

/** An HMAC secret, or for ed25519 only the public key: the private key never leaves. */
export interface SecretView {
  id: string;
  secret: string | null;
  public_key: string | null;
  created_at: string;
  expires_at: string | null;
}

/** A secret as its owner configures it: a legacy_sha256_raw receiver holds the string itself. */
function secretView(scheme: SignatureScheme, r: SecretRow): SecretView {
  return {
    id: r.id,
    secret: r.public_key ? null : scheme === 'legacy_sha256_raw' ? storedToRawSecret(r.secret) : r.secret,
    public_key: r.public_key,
    created_at: new Date(r.created_at).toISOString(),
    expires_at: r.expires_at ? new Date(r.expires_at).toISOString() : null,
  };
}

/** A new key: `secret` as stored (whsec_/whsk_), `shown` as its owner configures it. */
function newKey(scheme: SignatureScheme, ownSecret?: string): { secret: string; shown: string; publicKey: string | null } {
  if (scheme === 'ed25519') {
    const pair = ed25519KeyPair(randomBytes(32));
    return { secret: pair.secret, shown: pair.secret, publicKey: pair.publicKey };
  }
  if (scheme === 'legacy_sha256_raw') {
    // 64 hex characters (32 random bytes), the kind of string seed 004's receivers store.
    const raw = ownSecret ?? randomBytes(32).toString('hex');
    return { secret: rawSecretToStored(raw), shown: raw, publicKey: null };
  }
  const secret = ownSecret ?? formatSecret(randomBytes(32));
  return { secret, shown: secret, publicKey: null };
}

function view(record: SubscriptionRecord): SubscriptionView {
  const { secrets: _secrets, auth, ...rest } = record;
  return { ...rest, auth: auth && endpointAuthView(endpointAuthSchema.parse(JSON.parse(auth.credentials))) };
}

function dedupe(filters: string[]): string[] {
  return [...new Set(filters)];
}
