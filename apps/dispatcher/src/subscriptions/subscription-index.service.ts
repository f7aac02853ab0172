import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { type EventMessage, physicalTopic, type SubscriptionSnapshot, TOPICS } from '@hookstream/contracts';
import { type CompiledPayloadFilter, SubscriptionIndex } from '@hookstream/domain';
import { KafkaAdmin, KAFKA_OPTIONS, type BatchContext, type KafkaModuleOptions } from '@hookstream/kafka';
import { HealthRegistry, type Logger, LOGGER, Metrics } from '@hookstream/platform';

/**
 * The whole subscription changelog, in memory. Senders and fan-out wait until it has caught up
 * with the end of the changelog as it stood at boot, so a restart never mistakes a known
 * subscription for a missing one; readiness reports the same.
 */
@Injectable()
export class SubscriptionIndexService implements OnModuleInit {
  readonly index = new SubscriptionIndex<SubscriptionSnapshot>();
  /** The compiled payload filter of each subscription that has one, for the version in the index. */
  private readonly filters = new Map<string, CompiledPayloadFilter>();
  /** Subscriptions whose endpoint answered 410, with the version it answered at. */
  private readonly gone = new Map<string, number>();
  private targets = new Map<number, bigint>();
  private readyResolve!: () => void;
  private readonly ready = new Promise<void>((resolve) => {
    this.readyResolve = resolve;
  });
  private isReady = false;
  private readonly sizeGauge;

  constructor(
    private readonly admin: KafkaAdmin,
    @Inject(KAFKA_OPTIONS) private readonly options: KafkaModuleOptions,
    private readonly health: HealthRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.sizeGauge = metrics.gauge('hookstream_subscription_index_size', 'Subscriptions held in memory');
  }

  async onModuleInit(): Promise<void> {
    this.health.register('subscription-index', () => {
      if (!this.isReady) throw new Error('still reading the subscription changelog');
    });
    const offsets = await this.admin.topicOffsets(physicalTopic(this.options.topicPrefix, TOPICS.subscriptions));
    // Caught up means: consumed everything below the high watermark seen now.
    for (const p of offsets) if (p.high > p.low) this.targets.set(p.partition, p.high);
    this.checkCaughtUp();
  }

  /** `filter`: the snapshot's payload filter, compiled (null when it has none). */
  apply(snapshot: SubscriptionSnapshot | null, key: string | null, filter: CompiledPayloadFilter | null = null): void {
    if (snapshot === null) {
      if (key) {
        this.index.remove(key);
        this.gone.delete(key);
        this.filters.delete(key);
      }
    } else {
      const current = this.index.get(snapshot.id);
      if (!current || current.version <= snapshot.version) {
        this.index.upsert(snapshot);
        if (filter) this.filters.set(snapshot.id, filter);
        else this.filters.delete(snapshot.id);
      }
    }
    this.sizeGauge.set(this.index.size);
  }

  /**
   * The endpoint answered 410 Gone while the subscription was at `version`: stop sending to it
   * here at once, before the registry's disabling reaches the changelog. A later version (the
   * registry disabling it, or a tenant re-enabling it) lifts the mark.
   */
  markGone(id: string, version: number): void {
    this.gone.set(id, Math.max(version, this.gone.get(id) ?? 0));
  }

  isGone(snapshot: SubscriptionSnapshot): boolean {
    const at = this.gone.get(snapshot.id);
    if (at === undefined) return false;
    if (snapshot.version > at) {
      this.gone.delete(snapshot.id);
      return false;
    }
    return true;
  }

  consumed(partition: number, offset: string): void {
    const target = this.targets.get(partition);
    if (target !== undefined && BigInt(offset) + 1n >= target) this.targets.delete(partition);
    this.checkCaughtUp();
  }

  /** Whether the index has caught up with the changelog as it stood at boot. */
  get caughtUp(): boolean {
    return this.isReady;
  }

  /**
   * The subscriptions of the event's tenant that its type matches and whose payload filter it
   * passes (enabled ones; disabled ones too with `includeDisabled`). Refused before the catch-up: a fan-out planned from a partial index would skip the
   * subscriptions not read yet, for good (its job would end, its offset would commit).
   */
  match(event: EventMessage, includeDisabled = false): SubscriptionSnapshot[] {
    if (!this.isReady) throw new Error('the subscription index has not caught up with the changelog yet');
    const subs = this.index.match(event.tenant_id, event.type, includeDisabled);
    if (this.filters.size === 0) return subs;
    return subs.filter((s) => this.filters.get(s.id)?.matches(event) ?? true);
  }

  /** Waits for the index, heartbeating so a long catch-up does not cost the caller its partitions. */
  async whenReady(ctx: BatchContext): Promise<void> {
    while (!this.isReady) {
      await Promise.race([this.ready, new Promise((r) => setTimeout(r, 1000))]);
      if (!this.isReady) await ctx.heartbeat();
    }
  }

  private checkCaughtUp(): void {
    if (this.isReady || this.targets.size > 0) return;
    this.isReady = true;
    this.readyResolve();
    this.logger.info({ subscriptions: this.index.size }, 'subscription index caught up');
  }
}
