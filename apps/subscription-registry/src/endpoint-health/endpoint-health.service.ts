import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type DeliveryStatusMessage, type EventEnvelope, type SubscriptionDisabledData, SYSTEM_EVENT_TYPES } from '@hookstream/contracts';
import { type DisableReason, disableVerdict, DomainError, healthSignal, subscriptionDisabledEventId } from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { DataSource } from 'typeorm';
import type { RegistryConfig } from '../config.js';
import { SUBSCRIPTION_DISABLED_TYPE, SUBSCRIPTION_RECOVERED_TYPE } from '../event-types/system-catalog.js';
import { ChangelogPublishWorker } from '../subscriptions/changelog-publish.worker.js';
import { DisabledEventsPublishWorker } from './disabled-events-publish.worker.js';
import { type DisabledSubscription, EndpointHealthRepository, type HealthOutcome, type SubscriptionHealth } from './endpoint-health.repository.js';
import type { SubscriptionHealthView } from './endpoint-health.dto.js';

/**
 * Reacts to delivery outcomes: keeps each subscription's failure streak, announces the end of
 * one (`subscription.recovered`), and disables a subscription whose endpoint is gone (410) or
 * has failed for AUTO_DISABLE_AFTER. A disablement
 * commits together with its changelog version and its `subscription.disabled` event (outbox),
 * and both are published after the commit.
 */
@Injectable()
export class EndpointHealthService {
  private readonly disabledTotal;
  private readonly recoveredTotal;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly repo: EndpointHealthRepository,
    private readonly changelog: ChangelogPublishWorker,
    private readonly events: DisabledEventsPublishWorker,
    @Inject(APP_CONFIG) private readonly config: RegistryConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.disabledTotal = metrics.counter('hookstream_subscriptions_disabled_total', 'Subscriptions disabled by the registry, by reason', ['reason']);
    this.recoveredTotal = metrics.counter('hookstream_subscriptions_recovered_total', 'Failing subscriptions whose endpoint succeeded again (a subscription.recovered event each)');
  }

  /** Records a batch of outcomes and disables what they condemn; returns the subscriptions disabled. */
  async record(statuses: readonly DeliveryStatusMessage[]): Promise<DisabledSubscription[]> {
    const outcomes: HealthOutcome[] = [];
    // By tenant and subscription: an outcome only speaks for a subscription of its own tenant.
    const lastGone = new Map<string, Date>();
    for (const s of statuses) {
      const signal = healthSignal(s);
      if (!signal) continue;
      outcomes.push({ subscriptionId: s.subscription_id, tenantId: s.tenant_id, at: s.at, ok: signal === 'success', statusCode: s.status_code, errorClass: s.error_class });
      const at = new Date(s.at);
      const key = ownKey(s.tenant_id, s.subscription_id);
      if (signal === 'gone' && at > (lastGone.get(key) ?? 0)) lastGone.set(key, at);
    }
    if (outcomes.length === 0) return [];
    // The streaks are one statement on their own, and redoing it (a batch redelivered after a
    // crash) changes nothing: it keeps times, not counts. So only a disablement, which must
    // commit with its changelog version and event, opens a transaction; most batches cost one
    // round trip instead of three.
    const health = await this.repo.record(this.db.manager, outcomes, SUBSCRIPTION_RECOVERED_TYPE);
    const recovered = health.filter((h) => h.recovered);
    if (recovered.length > 0) {
      this.recoveredTotal.inc(recovered.length);
      for (const h of recovered) this.logger.info({ tenant: h.tenantId, subscription: h.subscriptionId }, 'subscription recovered');
      await this.events.runNow().catch((err: unknown) => this.logger.warn({ err }, 'publishing subscription.recovered deferred; the publish worker will retry'));
    }
    const condemned = new Map<string, SubscriptionHealth & { reason: DisabledSubscription['reason'] }>();
    for (const h of health) {
      const reason = disableVerdict(h, lastGone.get(ownKey(h.tenantId, h.subscriptionId)) ?? null, this.config.AUTO_DISABLE_AFTER);
      if (reason) condemned.set(h.subscriptionId, { ...h, reason });
    }
    if (condemned.size === 0) return [];
    return this.disable([...condemned.values()].map((h) => ({ subscriptionId: h.subscriptionId, tenantId: h.tenantId, reason: h.reason, health: h })));
  }

  /**
   * Disables subscriptions, each with its changelog version and its `subscription.disabled` event
   * in one transaction, and publishes both after the commit. Answers those it disabled (those
   * already disabled or deleted are left alone).
   */
  async disable(targets: readonly { subscriptionId: string; tenantId: string; reason: DisableReason; health: SubscriptionHealth | null }[]): Promise<DisabledSubscription[]> {
    const byId = new Map(targets.map((t) => [t.subscriptionId, t]));
    const disabled = await this.db.transaction(async (em) => {
      const done = await this.repo.disable(em, targets);
      if (done.length === 0) return [];
      await this.repo.registerEventType(em, [...new Set(done.map((d) => d.tenantId))], SUBSCRIPTION_DISABLED_TYPE);
      await this.repo.enqueueEvents(
        em,
        done.map((d) => ({ subscriptionId: d.id, envelope: disabledEvent(d, byId.get(d.id)?.health ?? undefined) })),
      );
      return done;
    });
    if (disabled.length === 0) return disabled;
    for (const d of disabled) {
      this.disabledTotal.inc({ reason: d.reason });
      this.logger.warn({ tenant: d.tenantId, subscription: d.id, url: d.url, reason: d.reason }, 'subscription disabled');
    }
    if (this.config.FAULT_INJECTION === 'crash-after-disable') process.kill(process.pid, 'SIGKILL');
    const published = await Promise.allSettled([this.changelog.flush(), this.events.runNow()]);
    for (const p of published) {
      if (p.status === 'rejected') this.logger.warn({ err: p.reason as unknown }, 'publishing a disablement deferred; the publish workers will retry');
    }
    return disabled;
  }

  async view(tenantId: string, subscriptionId: string): Promise<SubscriptionHealthView> {
    const found = await this.repo.find(tenantId, subscriptionId);
    if (!found) throw new DomainError('not_found', `no subscription ${subscriptionId}`);
    const { health: h } = found;
    const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
    const failing = found.enabled && h.failingSince !== null;
    return {
      subscription_id: subscriptionId,
      status: !found.enabled ? 'disabled' : failing ? 'failing' : 'healthy',
      enabled: found.enabled,
      disabled_reason: found.disabledReason,
      last_success_at: iso(h.lastSuccessAt),
      failing_since: iso(h.failingSince),
      last_failure_at: iso(h.lastFailureAt),
      last_status_code: h.lastStatusCode,
      last_error_class: h.lastErrorClass,
      auto_disable_at: failing && h.failingSince ? new Date(new Date(h.failingSince).getTime() + this.config.AUTO_DISABLE_AFTER).toISOString() : null,
    };
  }
}

const ownKey = (tenantId: string, subscriptionId: string) => `${tenantId}\u0000${subscriptionId}`;

function disabledEvent(d: DisabledSubscription, health: SubscriptionHealth | undefined): EventEnvelope {
  const data: SubscriptionDisabledData = {
    subscription_id: d.id,
    name: d.name,
    url: d.url,
    reason: d.reason,
    disabled_at: d.disabledAt.toISOString(),
    failing_since: new Date(health?.failingSince ?? health?.lastFailureAt ?? d.disabledAt).toISOString(),
    last_status_code: health?.lastStatusCode ?? null,
    last_error_class: health?.lastErrorClass ?? null,
  };
  return {
    id: subscriptionDisabledEventId(d.id, d.version),
    type: SYSTEM_EVENT_TYPES.subscriptionDisabled,
    tenant_id: d.tenantId,
    occurred_at: data.disabled_at,
    data,
  };
}
