import { Inject } from '@nestjs/common';
import { endpointAuthSchema, type SnapshotAuth, type SubscriptionSnapshot, subscriptionSnapshotSchema } from '@hookstream/contracts';
import { compilePayloadFilter, ENDPOINT_AUTH_SEAL_ID, isSealedForChangelog, openFromChangelog, type SealingKey } from '@hookstream/domain';
import { type BatchContext, type BatchHandler, type ConsumedMessage, TopicConsumer } from '@hookstream/kafka';
import { APP_CONFIG, Metrics } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionIndexService } from './subscription-index.service.js';

/**
 * Every dispatcher process reads the whole compacted changelog into its own index. Signing
 * secrets arrive sealed (CHANGELOG_SECRETS_KEYS) and are opened here, once per snapshot, so
 * sending pays nothing for the sealing. A snapshot whose secrets cannot be opened (its key is not
 * in this dispatcher's keyring, or it was altered) is quarantined with the reason, and the index
 * keeps the subscription's previous version. A snapshot from before sealing (clear secrets) is
 * still read, and counted, until the registry has republished everything sealed. A payload
 * filter is compiled here too, once per version; one that does not compile (the registry checks
 * each with the same compiler, so only a foreign writer could send it) is quarantined alike, and
 * so is endpoint authentication that is not sealed or not credentials of its type.
 */
@TopicConsumer({
  topic: 'subscriptions',
  groupId: 'dispatcher-index',
  groupPerInstance: true,
  fromBeginning: true,
  tombstones: true,
  schema: subscriptionSnapshotSchema,
})
export class SubscriptionsConsumer implements BatchHandler<SubscriptionSnapshot | null> {
  private readonly keys: readonly SealingKey[];
  private readonly unsealed;

  constructor(
    private readonly index: SubscriptionIndexService,
    @Inject(APP_CONFIG) config: DispatcherConfig,
    metrics: Metrics,
  ) {
    this.keys = config.CHANGELOG_SECRETS_KEYS;
    this.unsealed = metrics.counter('hookstream_subscription_snapshots_unsealed_total', 'Changelog snapshots read with signing secrets in clear (written before sealing); the registry republishes them sealed');
  }

  handleBatch(messages: ConsumedMessage<SubscriptionSnapshot | null>[], ctx: BatchContext): Promise<void> {
    for (const m of messages) {
      const snapshot = m.value;
      if (snapshot === null) {
        this.index.apply(null, m.key);
        continue;
      }
      let opened: SubscriptionSnapshot;
      try {
        opened = this.open(snapshot);
      } catch (err) {
        ctx.quarantine(m, 'unopenable_secret', [{ path: 'secrets', message: (err as Error).message }]);
        continue;
      }
      if (snapshot.auth !== null) {
        const auth = this.openAuth(snapshot.id, snapshot.auth);
        if ('problem' in auth) {
          ctx.quarantine(m, 'unopenable_auth', [{ path: 'auth', message: auth.problem }]);
          continue;
        }
        opened = { ...opened, auth };
      }
      const filter = opened.filter === null ? null : compilePayloadFilter(opened.filter);
      if (filter && !filter.ok) {
        ctx.quarantine(m, 'invalid_filter', filter.problems.map((p) => ({ path: p.path ? `filter.${p.path}` : 'filter', message: p.message })));
        continue;
      }
      this.index.apply(opened, m.key, filter?.filter ?? null);
    }
    // The whole fetched batch counts toward catching up, its quarantined snapshots included.
    this.index.consumed(ctx.batch.partition, ctx.batch.lastOffset);
    return Promise.resolve();
  }

  /**
   * The endpoint credentials, opened and checked against their schema once per version (sending
   * only parses them); a foreign writer's clear or malformed credentials are refused.
   */
  private openAuth(subscriptionId: string, auth: SnapshotAuth): SnapshotAuth | { problem: string } {
    try {
      const clear = openFromChangelog(this.keys, subscriptionId, ENDPOINT_AUTH_SEAL_ID, auth.credentials);
      const parsed = endpointAuthSchema.safeParse(JSON.parse(clear));
      if (!parsed.success || parsed.data.type !== auth.type) return { problem: `the credentials are not ${auth.type} credentials` };
      return { type: auth.type, credentials: clear };
    } catch (err) {
      return { problem: (err as Error).message };
    }
  }

  private open(snapshot: SubscriptionSnapshot): SubscriptionSnapshot {
    if (!snapshot.secrets.some((s) => isSealedForChangelog(s.secret))) {
      this.unsealed.inc();
      return snapshot;
    }
    return { ...snapshot, secrets: snapshot.secrets.map((s) => ({ ...s, secret: isSealedForChangelog(s.secret) ? openFromChangelog(this.keys, snapshot.id, s.id, s.secret) : s.secret })) };
  }
}
