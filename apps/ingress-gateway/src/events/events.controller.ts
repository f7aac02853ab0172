import { Body, Controller, Headers, HttpCode, Inject, Post, Res } from '@nestjs/common';
import { type EventEnvelope, eventEnvelopeSchema, type FieldError, parseWith } from '@hookstream/contracts';
import { DomainError, reservedEventProblems } from '@hookstream/domain';
import { ApiDoc, APP_CONFIG, CurrentPrincipal, ItemProblems, PerItemBody, type Principal, RequireScope } from '@hookstream/platform';
import type { Response } from 'express';
import { z } from 'zod';
import type { GatewayConfig } from '../config.js';
import { CatalogValidator } from './catalog.validator.js';
import { IntakeService, type IntakeResult } from './intake.service.js';
import { type IntakeLimits, TenantSettings, type TenantSettingsView } from '../tenants/tenant-settings.js';
import { RateLimiter } from './rate-limiter.js';

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

@RequireScope('events:publish')
@Controller('v1/events')
export class EventsController {
  constructor(
    private readonly intake: IntakeService,
    private readonly catalog: CatalogValidator,
    private readonly limiter: RateLimiter,
    private readonly tenants: TenantSettings,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /**
   * 202 once the event is persisted and acknowledged by Kafka; a repeat of the same
   * (tenant, id) answers 200 with the original id and `"status": "duplicate"`.
   */
  @ApiDoc({ summary: 'Publish an event (202 accepted; 200 for a duplicate id)', body: publishBody, response: intakeResultSchema, example: { id: 'evt_01J', status: 'accepted' } })
  @Post()
  @HttpCode(202)
  async publish(
    @CurrentPrincipal() principal: Principal,
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Headers('traceparent') traceparent: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<IntakeResult> {
    const [limits] = await this.limits(principal, [body]);
    const tooLarge = oversize(body, limits);
    if (tooLarge) throw new DomainError(tooLarge.code, tooLarge.message, tooLarge.details);
    const parsed = this.envelope(body, principal, idempotencyKey);
    if (!parsed.ok) throw new DomainError(parsed.code, parsed.message, parsed.errors);
    await this.throttle(principal, 1, limits);
    const catalogErrors = (await this.catalog.validate([parsed.value])).get(0);
    if (catalogErrors) throw new DomainError('validation_failed', `event rejected by the catalog: ${catalogErrors.map((e) => e.path).join(', ')}`, catalogErrors);
    const [result] = await this.intake.accept([{ envelope: parsed.value, traceparent: traceparent ?? null }], 'http');
    if (!result) throw new DomainError('internal', 'no intake result');
    res.status(result.status === 'accepted' ? 202 : 200);
    return result;
  }

  /**
   * Up to MAX_BATCH_EVENTS events, a result per event in order: one bad event is rejected with
   * its reason and the others go on. Duplicates within the batch count once.
   */
  @ApiDoc({ summary: 'Publish a batch of events, a result per event', body: batchBody, response: batchResultSchema })
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
    const valid: { index: number; envelope: EventEnvelope }[] = [];
    const limits = await this.limits(principal, events);
    events.forEach((raw, index) => {
      // Unstorable text, duplicate keys or inexact numbers in this event alone (the input interceptor found them).
      const unstorable = hostile.get(index);
      if (unstorable) {
        results[index] = { index, id: idOf(raw), status: 'rejected', error: { code: 'validation_failed', message: `invalid event: ${unstorable.map((e) => e.path).join(', ')}`, details: unstorable } };
        return;
      }
      const tooLarge = oversize(raw, limits[index]);
      if (tooLarge) {
        results[index] = { index, id: null, status: 'rejected', error: tooLarge };
        return;
      }
      const parsed = this.envelope(raw, principal, undefined);
      if (parsed.ok) valid.push({ index, envelope: parsed.value });
      else results[index] = { index, id: idOf(raw), status: 'rejected', error: { code: parsed.code, message: parsed.message, details: parsed.errors } };
    });
    // Only a tenant key is throttled, so every event here is that tenant's.
    if (valid.length) await this.throttle(principal, valid.length, limits[0]);
    const refused = await this.catalog.validate(valid.map((v) => v.envelope));
    const admitted = valid.filter((v, i) => {
      const errors = refused.get(i);
      if (errors) results[v.index] = { index: v.index, id: v.envelope.id, status: 'rejected', error: { code: 'validation_failed', message: 'event rejected by the catalog', details: errors } };
      return !errors;
    });
    const accepted = await this.intake.accept(admitted.map((v) => ({ envelope: v.envelope, traceparent: traceparent ?? null })), 'http');
    admitted.forEach((v, i) => {
      const r = accepted[i];
      if (r) results[v.index] = { index: v.index, id: r.id, status: r.status };
    });
    return { results };
  }

  private envelope(
    body: unknown,
    principal: Principal,
    idempotencyKey: string | undefined,
  ): { ok: true; value: EventEnvelope } | { ok: false; code: 'validation_failed' | 'forbidden' | 'reserved_for_callbacks'; message: string; errors: FieldError[] } {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { ok: false, code: 'validation_failed', message: 'the event must be a JSON object', errors: [{ path: '(root)', message: 'expected an object' }] };
    }
    const candidate: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    if (idempotencyKey !== undefined) {
      if (candidate['id'] !== undefined && candidate['id'] !== idempotencyKey) {
        return { ok: false, code: 'validation_failed', message: 'Idempotency-Key and the body id differ', errors: [{ path: 'id', message: 'must equal the Idempotency-Key header' }] };
      }
      candidate['id'] = idempotencyKey;
    }
    if (principal.kind === 'tenant' && candidate['tenant_id'] === undefined) candidate['tenant_id'] = principal.tenantId;
    const parsed = parseWith(eventEnvelopeSchema, candidate);
    if (!parsed.ok) return { ok: false, code: 'validation_failed', message: `invalid event: ${parsed.errors.map((e) => e.path).join(', ')}`, errors: parsed.errors };
    if (principal.kind === 'tenant' && parsed.value.tenant_id !== principal.tenantId) {
      return { ok: false, code: 'forbidden', message: 'this API key cannot publish for another tenant', errors: [{ path: 'tenant_id', message: 'must be the key’s own tenant' }] };
    }
    const reserved = reservedEventProblems(parsed.value);
    if (reserved.length) return { ok: false, code: 'reserved_for_callbacks', message: `only verified partner callbacks may use this ${reserved.map((p) => p.path).join(' and ')}`, errors: reserved };
    return parsed;
  }

  /** The limits of the tenant each raw event is for: the key's own tenant, or the one an admin names. */
  private async limits(principal: Principal, raws: readonly unknown[]): Promise<IntakeLimits[]> {
    const tenantOf = (raw: unknown): string | null => {
      if (principal.kind === 'tenant') return principal.tenantId;
      const named = (raw as { tenant_id?: unknown } | null)?.tenant_id;
      return typeof named === 'string' ? named : null;
    };
    const tenants = raws.map(tenantOf);
    const settings = await this.tenants.get(tenants.filter((t): t is string => t !== null));
    return tenants.map((t) => (t === null ? this.tenants.defaults : (settings.get(t) as TenantSettingsView)).limits);
  }

  private async throttle(principal: Principal, cost: number, limits: IntakeLimits): Promise<void> {
    if (principal.kind === 'admin') return;
    const decision = await this.limiter.take(principal.keyId, cost, limits);
    if (!decision.allowed) {
      throw new DomainError('rate_limited', `rate limit exceeded; retry in ${decision.retryAfterSeconds} s`, { retry_after_seconds: decision.retryAfterSeconds });
    }
  }
}

/** 413 material when an event is over its tenant's limit (measured as compact JSON). */
function oversize(raw: unknown, limits: IntakeLimits): { code: 'payload_too_large'; message: string; details: { limit_bytes: number } } | null {
  const size = Buffer.byteLength(JSON.stringify(raw ?? null));
  if (size <= limits.maxEventBytes) return null;
  return { code: 'payload_too_large', message: `the event is ${size} bytes; the limit is ${limits.maxEventBytes}`, details: { limit_bytes: limits.maxEventBytes } };
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
