import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseWith } from '@hookstream/contracts';
import {
  type AddressRange,
  DomainError,
  openSecret,
  parseAddressRanges,
  type PartnerEventSource,
  type PartnerProvider,
  type PartnerVerifier,
  type SealingKey,
  sealSecret,
} from '@hookstream/domain';
import { APP_CONFIG, decodeCursor, type Logger, LOGGER, nextCursor } from '@hookstream/platform';
import type { z } from 'zod';
import type { GatewayConfig } from '../config.js';
import {
  type CallbackView,
  type CreateIntegrationDto,
  type IntegrationView,
  type ProviderSecrets,
  type ProviderSettings,
  providerSecretsSchemas,
  providerSettingsSchemas,
  type UpdateIntegrationDto,
} from './integrations.dto.js';
import { type CallbackRow, IncomingWebhooksRepository } from './incoming-webhooks.repository.js';
import { type IntegrationRow, IntegrationsRepository } from './integrations.repository.js';

/** What is sealed: the current secrets, and the replaced ones while they still verify. */
interface SealedSecrets {
  current: ProviderSecrets;
  previous?: ProviderSecrets;
}

/** An integration as the callback route needs it: secrets opened, settings turned into checks. */
export interface CallbackIntegration {
  id: string;
  tenantId: string;
  provider: PartnerProvider;
  status: 'active' | 'disabled';
  /** Null when its secrets cannot be opened (their key is not configured); callbacks then get 503. */
  verifier: ((now: Date) => PartnerVerifier) | null;
  events: PartnerEventSource;
  /** Where callbacks may come from; empty means anywhere. */
  allowedSources: AddressRange[];
}

const CACHE_TTL_MS = 5000;
const MAX_CACHED = 10_000;
const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

/**
 * Partner integrations: a tenant's provider, settings and secrets. Secrets are sealed with
 * AES-256-GCM under the first INTEGRATION_SECRETS_KEYS key, bound to the row (id and tenant),
 * and never returned. The callback route reads integrations through a 5 s cache, so a change
 * (disable, new secret) reaches every replica within that.
 */
@Injectable()
export class IntegrationsService implements OnApplicationBootstrap {
  private readonly cache = new Map<string, { value: CallbackIntegration | null; until: number }>();
  private readonly keys: readonly SealingKey[];

  constructor(
    private readonly repo: IntegrationsRepository,
    private readonly audit: IncomingWebhooksRepository,
    @Inject(APP_CONFIG) config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.keys = config.INTEGRATION_SECRETS_KEYS ?? [];
  }

  /** Completes a key rotation in the background: secrets sealed with an older key are re-sealed with the first. */
  onApplicationBootstrap(): void {
    this.resealAll().catch((err: unknown) => this.logger.error({ err }, 're-sealing integration secrets failed; will retry at the next start'));
  }

  async create(tenantId: string, dto: CreateIntegrationDto): Promise<IntegrationView> {
    const key = this.sealingKey();
    const settings = validate(providerSettingsSchemas[dto.provider], dto.settings ?? {}, 'settings');
    const id = `int_${[...randomBytes(24)].map((b) => ID_ALPHABET[b % 32]).join('')}`;
    try {
      const row = await this.repo.insert({
        id,
        tenant_id: tenantId,
        provider: dto.provider,
        name: dto.name ?? null,
        settings,
        secrets: sealSecret(key, JSON.stringify({ current: dto.secrets } satisfies SealedSecrets), context(id, tenantId)),
        secrets_key_id: key.id,
      });
      return view(row);
    } catch (err) {
      if ((err as { code?: string }).code === '23503') throw new DomainError('not_found', `no tenant ${tenantId}`);
      throw err;
    }
  }

  async get(tenantId: string, id: string): Promise<IntegrationView> {
    return view(await this.row(tenantId, id));
  }

  async list(
    tenantId: string,
    q: { provider?: PartnerProvider | undefined; status?: 'active' | 'disabled' | undefined; limit: number; cursor?: string | undefined },
  ): Promise<{ data: IntegrationView[]; next_cursor: string | null }> {
    const after = q.cursor ? (decodeCursor(q.cursor, ['micros', 'text']) as [string, string]) : null;
    const rows = await this.repo.list(tenantId, { provider: q.provider, status: q.status }, q.limit, after);
    return { data: rows.map(view), next_cursor: nextCursor(rows, q.limit, (r) => [r.created_micros, r.id]) };
  }

  /**
   * Settings are merged into the current ones; secrets replace the current set, and with
   * `secret_overlap_seconds` the replaced ones still verify for that long (both sides of a
   * provider's secret change then succeed, whichever is switched first).
   */
  async update(tenantId: string, id: string, dto: UpdateIntegrationDto): Promise<IntegrationView> {
    const row = await this.row(tenantId, id);
    if (dto.secret_overlap_seconds !== undefined && !dto.secrets) {
      throw new DomainError('validation_failed', 'invalid request: secret_overlap_seconds', [{ path: 'secret_overlap_seconds', message: 'applies only when secrets are replaced' }]);
    }
    const settings = dto.settings ? validate(providerSettingsSchemas[row.provider], { ...row.settings, ...dto.settings }, 'settings') : undefined;
    let sealed: { secrets: Buffer; keyId: string; previousUntil: Date | null } | undefined;
    if (dto.secrets) {
      const secrets = validate(providerSecretsSchemas[row.provider], dto.secrets, 'secrets') as ProviderSecrets;
      const key = this.sealingKey();
      const overlap = dto.secret_overlap_seconds ?? 0;
      const blob: SealedSecrets = overlap > 0 ? { current: secrets, previous: this.open(row).current } : { current: secrets };
      sealed = { secrets: sealSecret(key, JSON.stringify(blob), context(row.id, row.tenant_id)), keyId: key.id, previousUntil: overlap > 0 ? new Date(Date.now() + overlap * 1000) : null };
    }
    const updated = await this.repo.update(tenantId, id, { name: dto.name, status: dto.status, settings, sealed });
    if (!updated) throw new DomainError('not_found', `no integration ${id}`);
    this.cache.delete(id);
    return view(updated);
  }

  /** An integration's audit trail, newest first; another tenant's integration is a 404. */
  async callbacks(
    tenantId: string,
    id: string,
    q: { status?: 'pending' | 'succeeded' | 'failed' | undefined; limit: number; cursor?: string | undefined },
  ): Promise<{ data: CallbackView[]; next_cursor: string | null }> {
    await this.row(tenantId, id);
    const before = q.cursor ? (decodeCursor(q.cursor, ['micros', 'uuid']) as [string, string]) : null;
    const rows = await this.audit.list(tenantId, id, q.status, q.limit, before);
    return { data: rows.map(callbackView), next_cursor: nextCursor(rows, q.limit, (r) => [r.received_micros, r.id]) };
  }

  /** The integration behind a callback URL, or null if there is none. */
  async forCallback(id: string): Promise<CallbackIntegration | null> {
    const now = Date.now();
    const hit = this.cache.get(id);
    if (hit && hit.until > now) return hit.value;
    const row = await this.repo.forCallback(id);
    const value = row ? this.callbackIntegration(row) : null;
    if (this.cache.size >= MAX_CACHED) this.cache.clear();
    this.cache.set(id, { value, until: now + CACHE_TTL_MS });
    return value;
  }

  private callbackIntegration(row: IntegrationRow): CallbackIntegration {
    const settings = validate(providerSettingsSchemas[row.provider], row.settings, 'settings');
    let verifier: CallbackIntegration['verifier'] = null;
    try {
      const sealed = this.open(row);
      const previousUntil = row.previous_secrets_until?.getTime() ?? 0;
      verifier = (now) => verifierFor(row.provider, settings, sealed.previous && previousUntil > now.getTime() ? [sealed.current, sealed.previous] : [sealed.current]);
    } catch (err) {
      this.logger.error({ alert: true, integration_id: row.id, tenant_id: row.tenant_id, err: (err as Error).message }, 'cannot open an integration’s secrets; its callbacks get 503');
    }
    const sources = row.provider === 'payfast' ? parseAddressRanges((settings as ProviderSettings['payfast']).allowed_source_ips) : { ok: true as const, ranges: [] };
    return {
      id: row.id,
      tenantId: row.tenant_id,
      provider: row.provider,
      status: row.status,
      verifier,
      events: eventSourceFor(row.provider, settings),
      allowedSources: sources.ok ? sources.ranges : [],
    };
  }

  private async row(tenantId: string, id: string): Promise<IntegrationRow> {
    const row = await this.repo.get(tenantId, id);
    if (!row) throw new DomainError('not_found', `no integration ${id}`);
    return row;
  }

  private sealingKey(): SealingKey {
    const key = this.keys[0];
    if (!key) throw new DomainError('unavailable', 'integration secrets cannot be stored: INTEGRATION_SECRETS_KEYS is not configured');
    return key;
  }

  private open(row: IntegrationRow): SealedSecrets {
    const key = this.keys.find((k) => k.id === row.secrets_key_id);
    if (!key) throw new DomainError('unavailable', `the key "${row.secrets_key_id}" that sealed this integration’s secrets is not in INTEGRATION_SECRETS_KEYS`);
    return JSON.parse(openSecret(key, row.secrets, context(row.id, row.tenant_id))) as SealedSecrets;
  }

  private async resealAll(): Promise<void> {
    const active = this.keys[0];
    if (!active) return;
    let after = '';
    let resealed = 0;
    let unopenable = 0;
    for (;;) {
      const rows = await this.repo.sealedWithOtherKeys(active.id, after, 100);
      if (rows.length === 0) break;
      after = (rows[rows.length - 1]).id;
      const batch: { id: string; fromKeyId: string; secrets: Buffer }[] = [];
      for (const row of rows) {
        try {
          batch.push({ id: row.id, fromKeyId: row.secrets_key_id, secrets: sealSecret(active, JSON.stringify(this.open(row)), context(row.id, row.tenant_id)) });
        } catch {
          unopenable++;
        }
      }
      resealed += await this.repo.reseal(batch, active.id);
    }
    if (resealed) this.logger.info({ resealed, key_id: active.id }, 're-sealed integration secrets with the current key');
    if (unopenable) this.logger.error({ alert: true, count: unopenable }, 'integration secrets sealed with a key that is not configured; their callbacks get 503');
  }
}

/** The associated data that binds a sealed value to its row. */
function context(id: string, tenantId: string): string {
  return `integration_configs:${id}:${tenantId}`;
}

function validate<S extends z.ZodType>(schema: S, input: unknown, path: string): z.output<S> {
  const parsed = parseWith(schema, input);
  if (parsed.ok) return parsed.value as z.output<S>;
  const errors = parsed.errors.map((e) => ({ path: e.path === '(root)' ? path : `${path}.${e.path}`, message: e.message }));
  throw new DomainError('validation_failed', `invalid request: ${errors.map((e) => e.path).join(', ')}`, errors);
}

function view(row: IntegrationRow): IntegrationView {
  const until = row.previous_secrets_until && row.previous_secrets_until.getTime() > Date.now() ? row.previous_secrets_until.toISOString() : null;
  return {
    id: row.id,
    tenant_id: row.tenant_id,
    provider: row.provider,
    name: row.name,
    status: row.status,
    settings: row.settings,
    secret_fields: Object.keys(providerSecretsSchemas[row.provider].shape),
    previous_secrets_valid_until: until,
    callback_path: `/v1/incoming/${row.provider}/${row.id}`,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
  };
}

function callbackView(r: CallbackRow): CallbackView {
  const { received_micros: _cursor, received_at, last_received_at, processed_at, ...rest } = r;
  return { ...rest, received_at: received_at.toISOString(), last_received_at: last_received_at.toISOString(), processed_at: processed_at?.toISOString() ?? null };
}

function verifierFor(provider: PartnerProvider, settings: ProviderSettings[PartnerProvider], sets: readonly ProviderSecrets[]): PartnerVerifier {
  const all = (field: string) => sets.map((s) => s[field] ?? '').filter(Boolean);
  switch (provider) {
    case 'stripe':
      return { provider, secrets: all('signing_secret'), toleranceSeconds: (settings as ProviderSettings['stripe']).tolerance_seconds };
    case 'github':
      return { provider, secrets: all('secret') };
    case 'payfast':
      return { provider, passphrases: all('passphrase') };
    case 'standard-webhooks':
      return { provider, secrets: all('secret'), toleranceSeconds: (settings as ProviderSettings['standard-webhooks']).tolerance_seconds };
    case 'hmac': {
      const s = settings as ProviderSettings['hmac'];
      return { provider, secrets: all('secret'), scheme: { header: s.header, algorithm: s.algorithm, encoding: s.encoding, prefix: s.prefix } };
    }
  }
}

function eventSourceFor(provider: PartnerProvider, settings: ProviderSettings[PartnerProvider]): PartnerEventSource {
  if (provider !== 'hmac') return { provider };
  const s = settings as ProviderSettings['hmac'];
  // Unsigned headers name the event only where the tenant accepted the replay risk (the DTO
  // refuses header locators without it; migration 0020 kept it for integrations made before).
  const trusted = s.trust_unsigned_headers;
  const idHeader = trusted ? (s.event_id_header ?? null) : null;
  const typeHeader = trusted ? (s.event_type_header ?? null) : null;
  return {
    provider,
    locate: {
      idHeader,
      idPath: idHeader ? null : (s.event_id_path ?? 'id'),
      typeHeader,
      typePath: typeHeader ? null : (s.event_type_path ?? 'type'),
    },
  };
}
