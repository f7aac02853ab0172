import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { DomainError } from '@hookstream/domain';
import { APP_CONFIG } from '@hookstream/platform';
import { buildWebhookRequest, createSender, EndpointAuthenticator, type HttpSender, senderOptionsFrom } from '@hookstream/webhook-http';
import type { RegistryConfig } from '../config.js';
import { QuotasService } from '../quotas/quotas.service.js';
import { SubscriptionsRepository } from './subscriptions.repository.js';

export interface EndpointTestResult {
  event_id: string;
  ok: boolean;
  status_code: number | null;
  latency_ms: number;
  response_body: string | null;
  error_class: string | null;
  message: string | null;
}

/**
 * Sends one signed sample event to a subscription's endpoint, right now, and reports what the
 * receiver answered. The request is built and signed as a real delivery's (buildWebhookRequest),
 * authenticated as the subscription says (an OAuth token is fetched for it), and sent by the
 * client the dispatchers use (HTTP_CLIENT, with the SSRF-checked lookup, the timeouts, the
 * trusted CAs and no redirects), but nothing is recorded or retried, and the sample never claims a
 * verified partner origin.
 */
@Injectable()
export class EndpointTestService implements OnModuleDestroy {
  private readonly sender: HttpSender;
  private readonly authenticator: EndpointAuthenticator;

  constructor(
    private readonly repo: SubscriptionsRepository,
    private readonly quotas: QuotasService,
    @Inject(APP_CONFIG) config: RegistryConfig,
  ) {
    // Tests are rare and one at a time per tenant and origin (quota): a small pool is plenty.
    this.sender = createSender(config.HTTP_CLIENT, senderOptionsFrom(config, { maxHosts: 100 }));
    this.authenticator = new EndpointAuthenticator(this.sender);
  }

  onModuleDestroy(): void {
    this.sender.close();
  }

  async test(tenantId: string, id: string, sample: { event_type?: string | undefined; data?: Record<string, unknown> | undefined }): Promise<EndpointTestResult> {
    const sub = await this.repo.find(tenantId, id);
    if (!sub) throw new DomainError('not_found', `no subscription ${id}`);
    await this.quotas.takeEndpointTest(tenantId, sub.url);
    const now = new Date();
    const eventId = `evt_test_${randomUUID()}`;
    const type = sample.event_type ?? sub.event_types.find((t) => !t.includes('*')) ?? 'hookstream.test';
    const body = JSON.stringify({ id: eventId, type, timestamp: now.toISOString(), data: sample.data ?? { test: true } });
    const request = buildWebhookRequest(sub, { msgId: eventId, eventType: type, body, traceparent: null, fromVerifiedCallback: false }, now);
    const result = await this.authenticator.send(sub, request);
    if (result.kind === 'response') {
      return {
        event_id: eventId,
        ok: result.statusCode >= 200 && result.statusCode < 300,
        status_code: result.statusCode,
        latency_ms: result.durationMs,
        response_body: result.responseBody,
        error_class: null,
        message: null,
      };
    }
    return { event_id: eventId, ok: false, status_code: null, latency_ms: result.durationMs, response_body: null, error_class: result.errorClass, message: result.message };
  }
}
