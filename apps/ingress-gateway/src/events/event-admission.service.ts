import { Injectable } from '@nestjs/common';
import { type EventEnvelope, eventEnvelopeSchema, type FieldError, parseWith } from '@hookstream/contracts';
import { DomainError, reservedEventProblems } from '@hookstream/domain';
import type { MessagePlace, Principal } from '@hookstream/platform';
import { type IntakeLimits, TenantSettings } from '../tenants/tenant-settings.js';
import { CatalogValidator } from './catalog.validator.js';
import type { EventSource } from './events.repository.js';
import { IntakeService } from './intake.service.js';
import { RateLimiter } from './rate-limiter.js';

/**
 * One event offered for admission: what an HTTP producer sent (not yet checked), or an envelope
 * already parsed (a Kafka message the consumer host validated, a verified partner callback).
 */
export type Candidate = { raw: unknown; traceparent: string | null } | { envelope: EventEnvelope; traceparent: string | null; place?: MessagePlace };

/** Which rule refused an event: callers word their records by it. */
export type RefusalStage = 'size' | 'envelope' | 'reserved' | 'catalog';

export interface Refusal {
  stage: RefusalStage;
  code: 'validation_failed' | 'payload_too_large' | 'reserved_for_callbacks' | 'forbidden';
  message: string;
  /** The failing fields, each with its path (relative to the event). */
  errors: FieldError[];
  /** What an HTTP answer carries as `details`: the field errors, or the byte limit for a size refusal. */
  details: FieldError[] | { limit_bytes: number };
}

export type Verdict = { status: 'accepted' | 'duplicate'; id: string } | { status: 'rejected'; id: string | null; refusal: Refusal };

export interface AdmissionContext {
  source: EventSource;
  /** The API key publishing over HTTP (its tenant, its rate limit); null for Kafka producers and verified callbacks. */
  principal: Principal | null;
  /** HTTP's Idempotency-Key: the event's id. */
  idempotencyKey?: string;
}

/**
 * The one door every event goes through, whether it came over HTTP, from `hookstream.ingest` or
 * from a verified partner callback. In order, for each event:
 * 1. size: at most the tenant's `max_event_bytes` as compact JSON (HTTP and Kafka; a callback's
 *    body is bounded by INCOMING_MAX_BODY_BYTES before it is verified);
 * 2. envelope: the schema, the key's own tenant, Idempotency-Key = id (HTTP);
 * 3. reserved: partner types and callback ids only from verified callbacks;
 * 4. throttle: a tenant key's token bucket, charged for the events left (HTTP; a refusal fails
 *    the whole request with 429);
 * 5. catalog: a strict tenant's event types and their schemas;
 * 6. intake: deduplicated, persisted, published (IntakeService).
 * A refusal is per event: callers answer it (HTTP 4xx with code and field paths), quarantine it
 * (Kafka) or record it (callbacks), and the other events go on.
 */
@Injectable()
export class EventAdmission {
  constructor(
    private readonly intake: IntakeService,
    private readonly catalog: CatalogValidator,
    private readonly limiter: RateLimiter,
    private readonly tenants: TenantSettings,
  ) {}

  async admit(candidates: readonly Candidate[], ctx: AdmissionContext): Promise<Verdict[]> {
    const verdicts: Verdict[] = candidates.map(() => ({ status: 'duplicate', id: '' }));
    const limits = ctx.source === 'incoming' ? null : await this.limits(candidates, ctx.principal);
    const valid: { index: number; envelope: EventEnvelope; traceparent: string | null; place?: MessagePlace }[] = [];
    candidates.forEach((c, index) => {
      const decided = this.precheck(c, ctx, limits?.[index]);
      if ('refusal' in decided) verdicts[index] = { status: 'rejected', id: decided.id, refusal: decided.refusal };
      else valid.push({ index, envelope: decided.envelope, traceparent: c.traceparent, ...('place' in c && c.place ? { place: c.place } : {}) });
    });
    const principal = ctx.principal;
    if (valid.length && principal?.kind === 'tenant') await this.throttle(principal.keyId, valid.length, limits?.[valid[0]?.index ?? 0] ?? this.tenants.defaults.limits);
    const refused = await this.catalog.validate(valid.map((v) => v.envelope));
    const admitted = valid.filter((v, i) => {
      const errors = refused.get(i);
      if (!errors) return true;
      const message = `event rejected by the catalog: ${errors.map((e) => e.path).join(', ')}`;
      verdicts[v.index] = { status: 'rejected', id: v.envelope.id, refusal: { stage: 'catalog', code: 'validation_failed', message, errors, details: errors } };
      return false;
    });
    if (admitted.length === 0) return verdicts;
    const accepted = await this.intake.accept(admitted.map((v) => ({ envelope: v.envelope, traceparent: v.traceparent, ...(v.place ? { place: v.place } : {}) })), ctx.source);
    admitted.forEach((v, i) => {
      const r = accepted[i];
      if (r) verdicts[v.index] = r;
    });
    return verdicts;
  }

  /** Size, envelope and reserved names: the checks that need nothing but the event and its tenant's limits. */
  private precheck(c: Candidate, ctx: AdmissionContext, limit: IntakeLimits | undefined): { envelope: EventEnvelope } | { refusal: Refusal; id: string | null } {
    const body = 'envelope' in c ? c.envelope : c.raw;
    const tooLarge = limit ? oversize(body, limit) : null;
    if (tooLarge) return { refusal: tooLarge, id: null };
    const parsed = 'envelope' in c ? ({ ok: true, value: c.envelope } as const) : envelope(c.raw, ctx);
    if (!parsed.ok) return { refusal: parsed.refusal, id: idOf(body) };
    if (ctx.source !== 'incoming') {
      const reserved = reservedEventProblems(parsed.value);
      if (reserved.length) {
        const message = `only verified partner callbacks may use this ${reserved.map((p) => p.path).join(' and ')}`;
        return { refusal: { stage: 'reserved', code: 'reserved_for_callbacks', message, errors: reserved, details: reserved }, id: parsed.value.id };
      }
    }
    return { envelope: parsed.value };
  }

  /** The limits of the tenant each event is for: the key's own tenant, or the one the event names. */
  private async limits(candidates: readonly Candidate[], principal: Principal | null): Promise<IntakeLimits[]> {
    const tenantOf = (c: Candidate): string | null => {
      if (principal?.kind === 'tenant') return principal.tenantId;
      const named = 'envelope' in c ? c.envelope.tenant_id : (c.raw as { tenant_id?: unknown } | null)?.tenant_id;
      return typeof named === 'string' ? named : null;
    };
    const tenants = candidates.map(tenantOf);
    const settings = await this.tenants.get(tenants.filter((t): t is string => t !== null));
    return tenants.map((t) => (t === null ? this.tenants.defaults : (settings.get(t) ?? this.tenants.defaults)).limits);
  }

  private async throttle(keyId: string, cost: number, limits: IntakeLimits): Promise<void> {
    const decision = await this.limiter.take(keyId, cost, limits);
    if (!decision.allowed) {
      throw new DomainError('rate_limited', `rate limit exceeded; retry in ${decision.retryAfterSeconds} s`, { retry_after_seconds: decision.retryAfterSeconds });
    }
  }
}

/** A size refusal when an event is over its tenant's limit (measured as compact JSON). */
function oversize(body: unknown, limits: IntakeLimits): Refusal | null {
  const size = Buffer.byteLength(JSON.stringify(body ?? null));
  if (size <= limits.maxEventBytes) return null;
  const message = `the event is ${size} bytes; the limit is ${limits.maxEventBytes}`;
  return { stage: 'size', code: 'payload_too_large', message, errors: [{ path: '(root)', message }], details: { limit_bytes: limits.maxEventBytes } };
}

/** An HTTP body as an envelope: the key's tenant by default, the Idempotency-Key as its id. */
function envelope(body: unknown, ctx: AdmissionContext): { ok: true; value: EventEnvelope } | { ok: false; refusal: Refusal } {
  const refuse = (code: 'validation_failed' | 'forbidden', message: string, errors: FieldError[]) => ({ ok: false, refusal: { stage: 'envelope', code, message, errors, details: errors } }) as const;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refuse('validation_failed', 'the event must be a JSON object', [{ path: '(root)', message: 'expected an object' }]);
  }
  const candidate: Record<string, unknown> = { ...(body as Record<string, unknown>) };
  const { principal, idempotencyKey } = ctx;
  if (idempotencyKey !== undefined) {
    if (candidate['id'] !== undefined && candidate['id'] !== idempotencyKey) {
      return refuse('validation_failed', 'Idempotency-Key and the body id differ', [{ path: 'id', message: 'must equal the Idempotency-Key header' }]);
    }
    candidate['id'] = idempotencyKey;
  }
  if (principal?.kind === 'tenant' && candidate['tenant_id'] === undefined) candidate['tenant_id'] = principal.tenantId;
  const parsed = parseWith(eventEnvelopeSchema, candidate);
  if (!parsed.ok) return refuse('validation_failed', `invalid event: ${parsed.errors.map((e) => e.path).join(', ')}`, parsed.errors);
  if (principal?.kind === 'tenant' && parsed.value.tenant_id !== principal.tenantId) {
    return refuse('forbidden', 'this API key cannot publish for another tenant', [{ path: 'tenant_id', message: 'must be the key’s own tenant' }]);
  }
  return parsed;
}

function idOf(raw: unknown): string | null {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
