import { readFile } from 'node:fs/promises';
import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { parseWith } from '@hookstream/contracts';
import { canonicalJson } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER } from '@hookstream/platform';
import { parse as parseYaml } from 'yaml';
import type { RegistryConfig } from '../config.js';
import { EventTypesService } from '../event-types/event-types.service.js';
import { SubscriptionsRepository } from '../subscriptions/subscriptions.repository.js';
import { SubscriptionsService } from '../subscriptions/subscriptions.service.js';
import { type DeclaredConfig, declaredConfigSchema } from './declared-config.js';
import { DeclaredConfigRepository } from './declared-config.repository.js';

export interface ApplyReport {
  tenants: number;
  event_types: number;
  created: string[];
  updated: string[];
  unchanged: string[];
}

/** Thrown at boot when the declared file cannot be applied; the message names the problem. */
export class DeclaredConfigError extends Error {}

/**
 * Applies DECLARATIVE_CONFIG_FILE at boot: tenants and event types are upserted, subscriptions
 * are created or updated by their key, and an unchanged entry is left alone (no version bump,
 * no changelog message). A file that does not validate stops the boot.
 */
/** `created_by` of the subscriptions the file declares. */
const DECLARED_BY = 'declarative-config';

@Injectable()
export class ConfigApplier implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: RegistryConfig,
    private readonly declared: DeclaredConfigRepository,
    private readonly subscriptions: SubscriptionsService,
    private readonly repo: SubscriptionsRepository,
    private readonly eventTypes: EventTypesService,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const file = this.config.DECLARATIVE_CONFIG_FILE;
    if (!file) return;
    const report = await this.apply(await this.read(file));
    this.logger.info({ file, ...report, unchanged: report.unchanged.length }, 'declared configuration applied');
  }

  async read(file: string): Promise<DeclaredConfig> {
    let raw: unknown;
    try {
      raw = parseYaml(await readFile(file, 'utf8'));
    } catch (err) {
      throw new DeclaredConfigError(`DECLARATIVE_CONFIG_FILE ${file}: ${(err as Error).message}`);
    }
    const parsed = parseWith(declaredConfigSchema, raw);
    if (!parsed.ok) {
      throw new DeclaredConfigError(`DECLARATIVE_CONFIG_FILE ${file} is invalid:\n${parsed.errors.map((e) => `  - ${e.path}: ${e.message}`).join('\n')}`);
    }
    return parsed.value;
  }

  async apply(config: DeclaredConfig): Promise<ApplyReport> {
    const report: ApplyReport = { tenants: 0, event_types: 0, created: [], updated: [], unchanged: [] };
    for (const [tenantId, tenant] of Object.entries(config.tenants)) {
      await this.declared.upsertTenant(tenantId, tenant.name, tenant.strict_event_types);
      if (tenant.strict_event_types) await this.eventTypes.registerSystemTypes(tenantId);
      report.tenants++;
      for (const t of tenant.event_types) {
        await this.declared.upsertEventType(tenantId, { name: t.name, description: t.description ?? null, schema: t.schema ?? null, deprecated: t.deprecated ?? false });
        report.event_types++;
      }
      for (const declared of tenant.subscriptions) {
        const { key, enabled, ...dto } = declared;
        const label = `${tenantId}/${key}`;
        const existingId = await this.declared.subscriptionIdByKey(tenantId, key);
        if (!existingId) {
          const created = await this.subscriptions.create(tenantId, dto, DECLARED_BY, key);
          if (!enabled) await this.subscriptions.update(tenantId, created.id, { enabled: false });
          report.created.push(label);
          continue;
        }
        const current = await this.repo.find(tenantId, existingId);
        const desired = {
          url: new URL(dto.url).toString(),
          name: dto.name ?? null,
          description: dto.description ?? null,
          event_types: [...new Set(dto.event_types)],
          excluded_event_types: [...new Set(dto.excluded_event_types ?? [])],
          filter: dto.filter ?? null,
          enabled,
          retry_policy: dto.retry_policy ?? null,
          timeout_ms: dto.timeout_ms ?? 15_000,
          headers: dto.headers ?? {},
          metadata: dto.metadata ?? {},
          rate_limit_per_second: dto.rate_limit_per_second ?? null,
          max_concurrency: dto.max_concurrency ?? null,
          signature_header: dto.signature_header ?? null,
          egress_proxy: dto.egress_proxy ?? null,
          ordering: dto.ordering,
          on_dead_letter: dto.on_dead_letter,
          ordering_backlog_max: dto.ordering_backlog_max,
          batch: dto.batch ?? null,
        };
        // Credentials are compared as the registry stores them (a token URL normalised), opened.
        const desiredAuth = dto.auth?.type === 'oauth2_client_credentials' ? { ...dto.auth, token_url: new URL(dto.auth.token_url).toString() } : (dto.auth ?? null);
        const currentAuth: unknown = current?.auth ? JSON.parse(current.auth.credentials) : null;
        const same =
          current &&
          canonicalJson(currentAuth) === canonicalJson(desiredAuth) &&
          (Object.keys(desired) as (keyof typeof desired)[]).every((k) => canonicalJson(current[k]) === canonicalJson(desired[k]));
        if (same) {
          report.unchanged.push(label);
          continue;
        }
        await this.subscriptions.update(tenantId, existingId, { ...desired, auth: desiredAuth });
        report.updated.push(label);
      }
    }
    return report;
  }
}
