import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { checkCount, DomainError, effectiveQuotas, QUOTA_NAMES, QUOTAS, type QuotaLimits, quotaError, type QuotaName, type SubscriptionShape, subscriptionShapeProblems } from '@hookstream/domain';
import { APP_CONFIG, quotaDefaults, RateLimiter } from '@hookstream/platform';
import type { DataSource, EntityManager } from 'typeorm';
import type { RegistryConfig } from '../config.js';
import type { LimitsView, PutLimitsDto } from './quotas.dto.js';
import { type CountedQuota, QuotasRepository } from './quotas.repository.js';

/** Per-tenant quotas: the limits in force, the checks the registry's writes make, and the API's view. */
@Injectable()
export class QuotasService {
  private readonly defaults: QuotaLimits;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: QuotasRepository,
    private readonly limiter: RateLimiter,
    @Inject(APP_CONFIG) config: RegistryConfig,
  ) {
    this.defaults = quotaDefaults(config);
  }

  async limits(tenantId: string, em?: EntityManager): Promise<QuotaLimits> {
    const overrides = await this.repo.overrides(tenantId, em);
    if (!overrides) throw new DomainError('not_found', `no tenant ${tenantId}`);
    return effectiveQuotas(this.defaults, overrides);
  }

  /**
   * Inside the caller's transaction: takes the tenant's row lock (held until it commits, so two
   * concurrent creates cannot both take the last slot), then refuses one more `quota` if full.
   */
  async claim(em: EntityManager, tenantId: string, quota: CountedQuota): Promise<QuotaLimits> {
    const overrides = await this.repo.overrides(tenantId, em, true);
    if (!overrides) throw new DomainError('not_found', `no tenant ${tenantId}`);
    const limits = effectiveQuotas(this.defaults, overrides);
    checkCount(quota, await this.repo.count(quota, tenantId, em), limits);
    return limits;
  }

  /** Runs `work` in a transaction after claiming a slot of `quota`. */
  withSlot<T>(tenantId: string, quota: CountedQuota, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(async (em) => {
      await this.claim(em, tenantId, quota);
      return work(em);
    });
  }

  /** Filters, custom headers and metadata within the tenant's quotas (only the fields given). */
  async checkShape(tenantId: string, shape: SubscriptionShape): Promise<void> {
    const problems = subscriptionShapeProblems(shape, await this.limits(tenantId));
    if (problems.length) throw quotaError(problems);
  }

  /**
   * A rotation adds a signing secret while the previous ones sign until their overlap ends; every
   * active secret signs every attempt, so their number is capped. Counted after this rotation has
   * shortened the overlaps (overlap_seconds 0 ends them at once, so such a rotation always fits).
   */
  async checkRotation(em: EntityManager, tenantId: string, subscriptionId: string): Promise<void> {
    const limit = (await this.limits(tenantId, em)).active_secrets_per_subscription;
    const active = await this.repo.activeSecrets(subscriptionId, em);
    if (active.n + 1 <= limit) return;
    const retryAfter = active.nextExpiry ? Math.ceil((active.nextExpiry.getTime() - Date.now()) / 1000) : null;
    throw quotaError([
      {
        path: 'overlap_seconds',
        quota: 'active_secrets_per_subscription',
        limit,
        message: `${active.n} secrets still sign; at most ${limit} at once. Rotate with a shorter overlap_seconds (0 ends the others now)${retryAfter ? `, or after ${retryAfter} s` : ''}`,
      },
    ]);
  }

  /** The subscription test endpoint's rate, per tenant and per target origin (Redis token buckets). */
  async takeEndpointTest(tenantId: string, url: string): Promise<void> {
    const limits = await this.limits(tenantId);
    const origin = new URL(url).origin;
    const buckets: [QuotaName, string][] = [
      ['endpoint_tests_per_minute_per_origin', `endpoint-test:${tenantId}:${origin}`],
      ['endpoint_tests_per_minute', `endpoint-test:${tenantId}`],
    ];
    for (const [quota, bucket] of buckets) {
      const perMinute = limits[quota];
      const decision = perMinute > 0 ? await this.limiter.take(bucket, 1, { ratePerSecond: perMinute / 60, burst: perMinute }) : { allowed: false as const, retryAfterSeconds: 60 };
      if (!decision.allowed) {
        throw quotaError([{ path: '(root)', quota, limit: perMinute, message: `at most ${perMinute} test sends per minute${quota.endsWith('origin') ? ` to ${origin}` : ''}` }], decision.retryAfterSeconds);
      }
    }
  }

  /**
   * One change to the tenant's configuration (Redis token bucket: the quota per minute, bursts of
   * a sixth of it). Every write costs the registry, Postgres, the changelog and each dispatcher's
   * index, so one tenant scripting thousands of them cannot slow everyone else's deliveries.
   */
  async takeConfigWrite(tenantId: string): Promise<void> {
    const perMinute = (await this.limits(tenantId)).config_writes_per_minute;
    const decision = perMinute > 0 ? await this.limiter.take(`config-write:${tenantId}`, 1, { ratePerSecond: perMinute / 60, burst: Math.max(1, Math.ceil(perMinute / 6)) }) : { allowed: false as const, retryAfterSeconds: 60 };
    if (!decision.allowed) {
      throw quotaError([{ path: '(root)', quota: 'config_writes_per_minute', limit: perMinute, message: `at most ${perMinute} configuration changes per minute; try again in ${decision.retryAfterSeconds} s` }], decision.retryAfterSeconds);
    }
  }

  async view(tenantId: string): Promise<LimitsView> {
    const overrides = await this.repo.overrides(tenantId);
    if (!overrides) throw new DomainError('not_found', `no tenant ${tenantId}`);
    const limits = effectiveQuotas(this.defaults, overrides);
    const counted: CountedQuota[] = ['subscriptions', 'event_types', 'api_keys', 'replay_jobs'];
    const usage = new Map(await Promise.all(counted.map(async (q) => [q, await this.repo.count(q, tenantId)] as const)));
    const entries = QUOTA_NAMES.map((name) => {
      const override = overrides[name];
      return [
        name,
        {
          limit: limits[name],
          default: this.defaults[name],
          override: typeof override === 'number' ? override : null,
          usage: usage.get(name as CountedQuota) ?? null,
          kind: QUOTAS[name].kind,
          description: QUOTAS[name].description,
        },
      ] as const;
    });
    return { tenant_id: tenantId, limits: Object.fromEntries(entries) };
  }

  async setOverrides(tenantId: string, dto: PutLimitsDto): Promise<LimitsView> {
    const overrides = Object.fromEntries(Object.entries(dto).filter((e): e is [string, number] => typeof e[1] === 'number'));
    if (!(await this.repo.setOverrides(tenantId, overrides))) throw new DomainError('not_found', `no tenant ${tenantId}`);
    return this.view(tenantId);
  }
}
