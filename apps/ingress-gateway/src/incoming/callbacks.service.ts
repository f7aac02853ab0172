import { Inject, Injectable } from '@nestjs/common';
import { type EventEnvelope, unstorableTextAt } from '@hookstream/contracts';
import {
  addressInRanges,
  type CallbackRequest,
  clientAddress,
  describePartnerEvent,
  DomainError,
  type ErrorCode,
  internalEventId,
  type PartnerEvent,
  type PartnerProvider,
  signatureHeaderOf,
  verifyPartnerSignature,
} from '@hookstream/domain';
import { APP_CONFIG, type Logger, LOGGER, Metrics } from '@hookstream/platform';
import type { GatewayConfig } from '../config.js';
import { DedupStore } from '../events/dedup.store.js';
import { EventAdmission } from '../events/event-admission.service.js';
import { RateLimiter } from '../events/rate-limiter.js';
import { TenantSettings } from '../tenants/tenant-settings.js';
import { IncomingWebhooksRepository, type PendingCallback, type ReceivedCallback } from './incoming-webhooks.repository.js';
import type { CallbackResult } from './integrations.dto.js';
import { type CallbackIntegration, IntegrationsService } from './integrations.service.js';

/** A partner callback as the HTTP layer hands it over. */
export interface IncomingCallback {
  provider: string;
  integrationId: string;
  /** The exact bytes received; null when no body parser took this content type. */
  rawBody: Buffer | null;
  contentType: string | null;
  header(name: string): string | undefined;
  peerAddress: string;
}

const SUPPORTED_MEDIA_TYPES = new Set(['application/json', 'application/x-www-form-urlencoded']);
const INTEGRATION_ID = /^int_[a-z2-7]{24}$/;

/**
 * Partner callbacks, from the door to hookstream.events:
 * 1. the integration named by the URL (404 if unknown or of another provider);
 * 2. checks that need no secret: disabled (403), media type (415), size (413), source address
 *    (PayFast's allowlist, 403); then the signature (401). Each refusal is stored as failed,
 *    counted, and the signature ones logged for alerting; refusals draw on a small per-integration
 *    bucket, so a flood of forgeries is neither stored without bound nor able to starve the
 *    genuine callbacks, which draw on their own bucket;
 * 3. a verified callback is stored as pending under (integration, provider event id): a re-send
 *    counts as a retry, and one already published answers 200 `duplicate` without publishing;
 * 4. it becomes `<provider>.<type>` and goes through the same EventAdmission as any event
 *    (envelope, catalog, dedup, persist, publish), and is marked succeeded. If that fails it stays pending and the
 *    provider gets 503, so it retries; the recovery job also re-drives it.
 */
@Injectable()
export class CallbacksService {
  private readonly outcomes;
  private readonly refusals;

  constructor(
    private readonly integrations: IntegrationsService,
    private readonly callbacks: IncomingWebhooksRepository,
    private readonly tenants: TenantSettings,
    private readonly limiter: RateLimiter,
    private readonly dedup: DedupStore,
    private readonly admission: EventAdmission,
    @Inject(APP_CONFIG) private readonly config: GatewayConfig,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: Metrics,
  ) {
    this.outcomes = metrics.counter('hookstream_incoming_callbacks_total', 'Partner callbacks by provider and outcome', ['provider', 'outcome']);
    this.refusals = metrics.counter('hookstream_incoming_verification_failures_total', 'Partner callbacks refused by signature, timestamp or source checks', ['provider', 'reason']);
  }

  async receive(req: IncomingCallback): Promise<CallbackResult> {
    const integration = INTEGRATION_ID.test(req.integrationId) ? await this.integrations.forCallback(req.integrationId) : null;
    if (!integration || integration.provider !== req.provider) throw new DomainError('not_found', 'no such integration');
    const { callback, event } = await this.admit(integration, req);
    return this.accept(integration, callback, event);
  }

  /** Every check a callback must pass before its event is trusted; each refusal is stored and thrown. */
  private async admit(integration: CallbackIntegration, req: IncomingCallback): Promise<{ callback: ReceivedCallback; event: PartnerEvent }> {
    const body = req.rawBody ?? Buffer.alloc(0);
    const received: ReceivedCallback = {
      tenantId: integration.tenantId,
      integrationId: integration.id,
      provider: integration.provider,
      payload: null,
      rawBody: body,
      contentType: req.contentType,
      signature: null,
      sourceIp: clientAddress(req.peerAddress, req.header('x-forwarded-for'), this.config.TRUST_PROXY),
    };
    if (integration.status === 'disabled') return this.refuse(integration, received, 'forbidden', 'integration_disabled', 'this integration is disabled');
    const mediaType = (req.contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!SUPPORTED_MEDIA_TYPES.has(mediaType)) {
      return this.refuse(integration, { ...received, rawBody: null }, 'unsupported_media_type', 'unsupported_media_type', 'send application/json or application/x-www-form-urlencoded');
    }
    const { limits } = await this.tenants.one(integration.tenantId);
    if (body.length > limits.maxEventBytes) {
      return this.refuse(integration, { ...received, rawBody: null }, 'payload_too_large', 'payload_too_large', `the body is ${body.length} bytes; the limit is ${limits.maxEventBytes}`);
    }
    if (!integration.verifier) throw new DomainError('unavailable', 'this integration cannot verify callbacks right now');
    const verifier = integration.verifier(new Date());
    const header = signatureHeaderOf(verifier);
    const callback: ReceivedCallback = { ...received, signature: header ? (req.header(header) ?? null) : null };
    const sourceIp = callback.sourceIp ?? '';
    if (integration.allowedSources.length && !addressInRanges(sourceIp, integration.allowedSources)) {
      return this.refuse(integration, callback, 'forbidden', 'source_ip_not_allowed', `callbacks for this integration may not come from ${sourceIp}`, true);
    }
    const request: CallbackRequest = { body, header: (name) => req.header(name) };
    const verification = verifyPartnerSignature(verifier, request, Math.floor(Date.now() / 1000));
    if (!verification.ok) return this.refuse(integration, callback, 'unauthenticated', verification.reason, verification.message, true);

    await this.throttle(integration, 'verified');
    const described = describePartnerEvent(integration.events, request);
    if (!described.ok) return this.refuse(integration, callback, 'validation_failed', 'invalid_payload', described.message);
    const unstorable = unstorableTextAt(described.event.payload);
    if (unstorable) return this.refuse(integration, callback, 'validation_failed', 'invalid_payload', `text at ${['payload', ...unstorable].join('.')} contains U+0000 or an unpaired surrogate`);
    return { callback: { ...callback, payload: described.event.payload }, event: described.event };
  }

  /** A verified event: deduplicated, stored, published through intake, and settled. */
  private async accept(integration: CallbackIntegration, callback: ReceivedCallback, event: PartnerEvent): Promise<CallbackResult> {
    const provider = integration.provider;
    const eventId = internalEventId(integration.id, event.providerEventId);
    const key = DedupStore.incomingKey(integration.id, event.providerEventId);
    const [claim] = await this.dedup.claim([key]);
    if (claim === 'in_progress') {
      await this.callbacks.countResend(integration.id, event.providerEventId);
      this.outcomes.inc({ provider, outcome: 'in_progress' });
      throw new DomainError('idempotency_in_progress', 'this event is being processed; retry shortly');
    }
    try {
      const { pending } = await this.callbacks.receiveVerified({
        ...callback,
        providerEventId: event.providerEventId,
        eventId,
        eventType: event.type,
        occurredAt: event.occurredAt ?? new Date().toISOString(),
      });
      if (!pending) {
        await this.dedup.markDone([key]);
        this.outcomes.inc({ provider, outcome: 'duplicate' });
        return { status: 'duplicate', event_id: eventId, event_type: event.type };
      }
      const [outcome] = await this.deliver([pending]);
      await this.callbacks.settle(outcome ? [outcome] : []);
      if (outcome?.failure) {
        await this.dedup.release([key]);
        this.outcomes.inc({ provider, outcome: 'rejected' });
        throw new DomainError('validation_failed', `the event was refused: ${outcome.failure}`, { reason: outcome.failure });
      }
      await this.dedup.markDone([key]);
      this.outcomes.inc({ provider, outcome: 'accepted' });
      return { status: 'accepted', event_id: eventId, event_type: event.type };
    } catch (err) {
      if (err instanceof DomainError) throw err;
      await this.dedup.release([key]);
      this.outcomes.inc({ provider, outcome: 'unavailable' });
      this.logger.error({ err, provider, integration_id: integration.id, event_id: eventId }, 'a verified callback could not be published; it stays pending');
      throw new DomainError('unavailable', 'the callback is stored but could not be published yet; retry later');
    }
  }

  /**
   * Publishes verified callbacks through the same EventAdmission as every event (used live and by the
   * recovery job). Each gets an outcome: null failure = published (or already was), else why
   * the tenant's catalog or the envelope refused it. Throws if intake itself fails.
   */
  async deliver(pending: readonly PendingCallback[]): Promise<{ id: string; failure: string | null }[]> {
    const verdicts = await this.admission.admit(
      pending.map((p) => ({ raw: envelopeOf(p), traceparent: null })),
      { source: 'incoming', principal: null },
    );
    return pending.map((p, i) => {
      const v = verdicts[i];
      if (v?.status !== 'rejected') return { id: p.id, failure: null };
      const why = v.refusal.errors.map((e) => `${e.path}: ${e.message}`).join('; ');
      return { id: p.id, failure: v.refusal.stage === 'catalog' ? `refused by the tenant's event-type catalog: ${why}` : `invalid event: ${why}` };
    });
  }

  private async refuse(
    integration: CallbackIntegration,
    callback: ReceivedCallback,
    code: ErrorCode,
    reason: string,
    message: string,
    alert = false,
  ): Promise<never> {
    await this.throttle(integration, 'unverified');
    await this.callbacks.recordRefused({ ...callback, payload: null }, `${reason}: ${message}`);
    this.outcomes.inc({ provider: integration.provider, outcome: alert ? 'unverified' : 'refused' });
    if (alert) {
      this.refusals.inc({ provider: integration.provider, reason });
      // `error` with alert: true, not `fatal`: the process is fine; someone may be forging
      // callbacks, or a secret is out of date, and a person should look.
      this.logger.error(
        { alert: true, provider: integration.provider, integration_id: integration.id, tenant_id: integration.tenantId, reason, source_ip: callback.sourceIp },
        'partner callback refused: it failed verification',
      );
    }
    throw new DomainError(code, message, { reason });
  }

  /** Verified callbacks and refused ones draw on separate buckets per integration. */
  private async throttle(integration: CallbackIntegration, kind: 'verified' | 'unverified'): Promise<void> {
    const c = this.config;
    const limit =
      kind === 'verified'
        ? { ratePerSecond: c.INCOMING_RATE_LIMIT_PER_SECOND, burst: c.INCOMING_RATE_LIMIT_BURST }
        : { ratePerSecond: c.INCOMING_UNVERIFIED_RATE_LIMIT_PER_SECOND, burst: c.INCOMING_UNVERIFIED_RATE_LIMIT_BURST };
    const decision = await this.limiter.take(`incoming-${kind}:${integration.id}`, 1, limit);
    if (!decision.allowed) {
      this.outcomes.inc({ provider: integration.provider, outcome: 'rate_limited' });
      throw new DomainError('rate_limited', `too many callbacks for this integration; retry in ${decision.retryAfterSeconds} s`, { retry_after_seconds: decision.retryAfterSeconds });
    }
  }
}

/** The internal event a verified callback becomes; the same from the live path and from recovery. */
export function envelopeOf(c: PendingCallback): EventEnvelope {
  return {
    id: c.eventId,
    type: c.eventType,
    tenant_id: c.tenantId,
    occurred_at: c.occurredAt,
    data: { provider: c.provider satisfies PartnerProvider, integration_id: c.integrationId, provider_event_id: c.providerEventId, payload: c.payload },
  };
}
