import { Injectable } from '@nestjs/common';
import { decideReplay, type ReplaySkipReason, replayDelivery } from '@hookstream/domain';
import { KafkaProducer, type OutgoingMessage } from '@hookstream/kafka';
import { endHopSpan, Metrics, type Span, startHopSpan, traceparentOf } from '@hookstream/platform';
import type { EntityManager } from 'typeorm';
import { ReplaysRepository } from './replays.repository.js';

export type LetterOutcome =
  | { delivery_id: string; tenant_id: string; kind: 'sent'; generation: number; dead_at: Date; sent_at: Date }
  | { delivery_id: string; tenant_id: string; kind: 'skipped'; reason: ReplaySkipReason; message: string; dead_at: Date };

export interface ReplayOptions {
  /** null: any tenant's letter (an operator's job). */
  tenantId: string | null;
  /** Replay a death that was already replayed. */
  force: boolean;
  via: 'single' | 'job';
  /** Told which replays were produced, and when production started, once the broker has them. */
  onProduced?: (deliveryIds: string[], at: number) => void;
}

/**
 * The one way a dead letter is replayed, by a single request or by a job: inside the caller's
 * transaction, lock the letters, decide (libs/domain decideReplay), mark them replayed, and
 * produce the replays to `hookstream.deliveries`. The caller commits only after the broker has
 * acknowledged, so a replay marked sent was sent; if the transaction is lost after producing, the
 * letters are unmarked and a retry sends them again as the same generation, which the dispatcher
 * recognises as a message it already acted on.
 */
@Injectable()
export class LetterReplayer {
  private readonly replays;

  constructor(
    private readonly repo: ReplaysRepository,
    private readonly producer: KafkaProducer,
    metrics: Metrics,
  ) {
    this.replays = metrics.counter('hookstream_replays_total', 'Dead-letter replays, by how they were asked for and what came of them', ['via', 'result']);
  }

  /** Outcomes for the letters found (a letter not found, or another tenant's, has none). */
  async replay(em: EntityManager, deliveryIds: readonly string[], options: ReplayOptions): Promise<LetterOutcome[]> {
    const letters = await this.repo.lockLetters(em, deliveryIds, options.tenantId);
    const now = new Date();
    const outcomes: LetterOutcome[] = [];
    const toSend: Array<{ delivery_id: string; generation: number }> = [];
    const messages: OutgoingMessage[] = [];
    const spans: Span[] = [];
    for (const l of letters) {
      const dead = l.message.delivery;
      const decision = decideReplay(
        {
          deadAt: new Date(l.dead_at),
          replayedDeadAt: l.replayed_dead_at ? new Date(l.replayed_dead_at) : null,
          generation: dead.generation,
          replayGeneration: l.replay_generation,
          subscription: l.subscription_enabled === null ? null : { enabled: l.subscription_enabled, disabledReason: l.subscription_disabled_reason },
        },
        options.force,
      );
      const base = { delivery_id: l.delivery_id, tenant_id: l.tenant_id, dead_at: new Date(l.dead_at) };
      if (!decision.replay) {
        outcomes.push({ ...base, kind: 'skipped', reason: decision.reason, message: decision.message });
        continue;
      }
      toSend.push({ delivery_id: l.delivery_id, generation: decision.generation });
      // A `dlq replay` span continues the trace the delivery died in.
      const span = startHopSpan('dlq replay', l.traceparent, { 'hookstream.delivery_id': l.delivery_id, 'hookstream.tenant_id': l.tenant_id, 'hookstream.generation': decision.generation, 'hookstream.replay_via': options.via });
      spans.push(span);
      messages.push({ key: dead.subscription_id, value: replayDelivery(dead, decision.generation, now), traceparent: traceparentOf(span) });
      outcomes.push({ ...base, kind: 'sent', generation: decision.generation, sent_at: now });
    }
    try {
      await this.repo.markReplayed(em, toSend);
      await this.producer.send('deliveries', messages);
    } catch (err) {
      for (const s of spans) endHopSpan(s, err);
      throw err;
    }
    for (const s of spans) endHopSpan(s);
    options.onProduced?.(
      toSend.map((s) => s.delivery_id),
      now.getTime(),
    );
    this.replays.inc({ via: options.via, result: 'sent' }, toSend.length);
    this.replays.inc({ via: options.via, result: 'skipped' }, outcomes.length - toSend.length);
    return outcomes;
  }
}
