import { type EventMessage, eventMessageSchema, type SubscriptionSnapshot } from '@hookstream/contracts';
import { interleaveRounds } from '@hookstream/domain';
import { type BatchContext, type BatchHandler, type ConsumedMessage, TopicConsumer } from '@hookstream/kafka';
import { Inject } from '@nestjs/common';
import { APP_CONFIG, type Logger, LOGGER, Metrics, startProcessSpan, withHopSpans } from '@hookstream/platform';
import type { DispatcherConfig } from '../config.js';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';
import { FanoutEmitter, type Planned } from './fanout-emitter.js';
import type { FanoutJob } from './fanout-jobs.repository.js';
import { FairShares } from '../sending/fair-shares.js';
import { FanoutJobsWorker } from './fanout-jobs.worker.js';
import { TenantStatesWorker } from '../tenant-states/tenant-states.worker.js';

/**
 * `hookstream.events` → one delivery row and one `hookstream.deliveries` message per matching
 * subscription; delivery ids are derived from (tenant, event, subscription), so a batch redone
 * after a crash creates nothing twice. Each event's first FANOUT_CHUNK_SIZE deliveries go out
 * with the batch, in rounds shared by its events; the rest of a larger fan-out is recorded as a
 * job and continues in the background, so the partition moves on to the next tenant's events.
 * Deliveries of ordered subscriptions all go with the batch, positioned in its order (docs/adr/0009).
 * A disabled tenant's events are parked as jobs that have done nothing yet, resumed by any
 * dispatcher once the tenant is enabled (fanout-jobs.repository.ts). The events of a tenant far
 * above its fair share of held deliveries (FairShares.overShare) are held back much the same
 * way: jobs claimed as a dispatcher has room, that wait until the tenant is back within its
 * share. That is one row per event, where fanning it out would have deferred each of its
 * deliveries through hookstream.retries (a row, a message and a trip through the retry-scheduler
 * each: 300 a second in hostile_tenant, for 10 events a second).
 */
@TopicConsumer({ topic: 'events', groupId: 'dispatcher-fanout', schema: eventMessageSchema, partitionsConsumedConcurrently: 3 })
export class FanoutConsumer implements BatchHandler<EventMessage> {
  private readonly unmatched;
  private readonly heldBack;

  constructor(
    private readonly index: SubscriptionIndexService,
    private readonly emitter: FanoutEmitter,
    private readonly runner: FanoutJobsWorker,
    private readonly tenants: TenantStatesWorker,
    private readonly shares: FairShares,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(APP_CONFIG) private readonly config: DispatcherConfig,
    metrics: Metrics,
  ) {
    this.unmatched = metrics.counter('hookstream_fanout_unmatched_events_total', 'Events no subscription matched');
    this.heldBack = metrics.counter('hookstream_fanout_held_back_total', "Events whose fan-out waits as a job because their tenant holds far more than its fair share of held deliveries");
  }

  async handleBatch(messages: ConsumedMessage<EventMessage>[], ctx: BatchContext): Promise<void> {
    await this.index.whenReady(ctx);
    await this.tenants.whenLoaded();
    // One `dispatcher fan-out` span per event; its deliveries (now or from a background job) are its children.
    await withHopSpans(
      messages,
      (m) => startProcessSpan('dispatcher fan-out', m, { 'hookstream.tenant_id': m.value.tenant_id, 'hookstream.event_id': m.value.id, 'hookstream.event_type': m.value.type }),
      async (traceparents, spans) => {
        const now = new Date().toISOString();
        const chunk = this.config.FANOUT_CHUNK_SIZE;
        const perEvent: Planned[][] = [];
        const jobs: FanoutJob[] = [];
        const parked: { event: EventMessage; traceparent: string | null }[] = [];
        const heldBack: { event: EventMessage; traceparent: string | null }[] = [];
        const ordered: Planned[] = [];
        messages.forEach((m, i) => {
          const event = m.value;
          if (this.tenants.isDisabled(event.tenant_id)) {
            // Matched when the tenant is enabled again, against the subscriptions it has then.
            parked.push({ event, traceparent: traceparents[i] ?? null });
            spans[i]?.setAttribute('hookstream.parked', true);
            return;
          }
          const subs = this.emitter.match(event);
          spans[i]?.setAttribute('hookstream.subscriptions_matched', subs.length);
          if (subs.length === 0) {
            this.unmatched.inc();
            return;
          }
          const traceparent = traceparents[i] ?? null;
          // Every ordered delivery goes with its batch: a background job could run after a later event's fan-out.
          const orderedSubs: SubscriptionSnapshot[] = [];
          const others: SubscriptionSnapshot[] = [];
          for (const s of subs) (this.emitter.orderingKey(event, s) === null ? others : orderedSubs).push(s);
          if (orderedSubs.length > 0) ordered.push(...this.emitter.plan(event, orderedSubs, traceparent, now));
          if (others.length > 0 && this.shares.overShare(event.tenant_id)) {
            // Its job waits in Postgres for the tenant's share (FanoutJobsWorker); ordered ones go now, as always.
            heldBack.push({ event, traceparent });
            spans[i]?.setAttribute('hookstream.held_back', true);
            this.heldBack.inc();
            return;
          }
          const first = others.slice(0, chunk);
          perEvent.push(this.emitter.plan(event, first, traceparent, now));
          if (others.length > chunk) jobs.push({ event, traceparent, after_id: first[first.length - 1]?.id ?? '' });
        });
        // Positions follow the batch's order, and every ordered row is written before any of their
        // messages goes out, so a claim never sees a key's later event without its earlier ones.
        if (ordered.length > 0) {
          await this.emitter.place(ordered);
          await this.emitter.emit(ordered);
          await ctx.heartbeat();
        }
        for (const round of interleaveRounds(perEvent, chunk)) {
          await this.emitter.emit(round);
          await ctx.heartbeat();
        }
        await this.runner.park(parked);
        await this.runner.holdBack(heldBack);
        await this.runner.start(jobs);
      },
    );
  }
}
