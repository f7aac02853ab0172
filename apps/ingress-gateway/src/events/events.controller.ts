import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { eventEnvelopeSchema, type FieldError } from '@hookstream/contracts';
import { DomainError } from '@hookstream/domain';
import { ApiDoc, APP_CONFIG, BodyLimit, CurrentPrincipal, ItemProblems, PerItemBody, type Principal, RequireScope } from '@hookstream/platform';
import type { Response } from 'express';
import { z } from 'zod';
import type { GatewayConfig } from '../config.js';
import { type Candidate, EventAdmission } from './event-admission.service.js';
import type { IntakeResult } from './intake.service.js';

const publishBody = eventEnvelopeSchema.partial({ id: true, tenant_id: true });
const intakeResultSchema = z.object({ id: z.string(), status: z.enum(['accepted', 'duplicate']) });
const batchBody = z.object({ events: z.array(publishBody).min(1).max(500) });
const batchResultSchema = z.object({
  results: z.array(
    z.object({
      index: z.number(),
      id: z.string().nullable(),
      status: z.enum(['accepted', 'duplicate', 'rejected']),
      error: z.object({ code: z.string(), message: z.string(), details: z.unknown() }).optional(),
    }),
  ),
});
type BatchResult = z.infer<typeof batchResultSchema>['results'][number];

/** The HTTP face of EventAdmission: a refusal becomes a 4xx (one event) or a rejected result (batch). */
@RequireScope('events:publish')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly admission: EventAdmission,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * 202 once the event is persisted and acknowledged by Kafka; a repeat of the same
   * (tenant, id) answers 200 with the original id and `"status": "duplicate"`.
   */
  @ApiDoc({ summary: 'Publish an event (202 accepted; 200 for a duplicate id)', body: publishBody, response: intakeResultSchema, example: { id: 'evt_01J', status: 'accepted' }, rateLimited: true })
  @Post()
  @HttpCode(202)
  @BodyLimit('event')
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IntakeResult> {
    const ctx = { source: 'http' as const, principal, ...(idempotencyKey === undefined ? {} : { idempotencyKey }) };
    const [verdict] = await this.admission.admit([{ raw: body, traceparent: traceparent ?? null }], ctx);
    if (!verdict) throw new DomainError('internal', 'no admission verdict');
    if (verdict.status === 'rejected') throw new DomainError(verdict.refusal.code, verdict.refusal.message, verdict.refusal.details);
    res.status(verdict.status === 'accepted' ? 202 : 200);
    return { id: verdict.id, status: verdict.status };
  }

  /**
   * Up to MAX_BATCH_EVENTS events, a result per event in order: one bad event is rejected with
   * its reason and the others go on. Duplicates within the batch count once.
   */
  @ApiDoc({ summary: 'Publish a batch of events, a result per event', body: batchBody, response: batchResultSchema, rateLimited: true })
  @Post('batch')
  @HttpCode(200)
  @PerItemBody('events')
  async publishBatch(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('traceparent') traceparent: string | undefined,
    @ItemProblems() hostile: Map<number, FieldError[]>,
  ): Promise<{ results: BatchResult[] }> {
    const events = (body as { events?: unknown } | null)?.events;
    if (!Array.isArray(events) || events.length === 0) {
      throw new DomainError('validation_failed', 'the body must be {"events": [ … ]} with at least one event', [{ path: 'events', message: 'expected a non-empty array' }]);
    }
    if (events.length > this.config.MAX_BATCH_EVENTS) {
      throw new DomainError('payload_too_large', `at most ${this.config.MAX_BATCH_EVENTS} events per batch`, { max_events: this.config.MAX_BATCH_EVENTS });
    }
    const results: BatchResult[] = events.map((_, index) => ({ index, id: null, status: 'rejected' }));
    const offered: { index: number; candidate: Candidate }[] = [];
    events.forEach((raw, index) => {
      // Unstorable text, duplicate keys or inexact numbers in this event alone (the input guard found them).
      const unstorable = hostile.get(index);
      if (!unstorable) {
        offered.push({ index, candidate: { raw, traceparent: traceparent ?? null } });
        return;
      }
      const id = (raw as { id?: unknown } | null)?.id;
      results[index] = { index, id: typeof id === 'string' ? id : null, status: 'rejected', error: { code: 'validation_failed', message: `invalid event: ${unstorable.map((e) => e.path).join(', ')}`, details: unstorable } };
    });
    const verdicts = await this.admission.admit(
      offered.map((o) => o.candidate),
      { source: 'http', principal },
    );
    offered.forEach(({ index }, i) => {
      const v = verdicts[i];
      if (!v) return;
      results[index] =
        v.status === 'rejected'
          ? { index, id: v.id, status: 'rejected', error: { code: v.refusal.code, message: v.refusal.message, details: v.refusal.details } }
          : { index, id: v.id, status: v.status };
    });
    return { results };
  }
}
