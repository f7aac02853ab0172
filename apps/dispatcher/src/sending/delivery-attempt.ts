import { Inject, Injectable } from '@nestjs/common';
import type { SubscriptionSnapshot } from '@hookstream/contracts';
import { countsAgainstHost } from '@hookstream/domain';
import { buildWebhookRequest, EndpointAuthenticator } from '@hookstream/webhook-http';
import { SubscriptionIndexService } from '../subscriptions/subscription-index.service.js';
import { Breakers, HostFailure } from './breakers.js';
import type { DeliveryTask } from './delivery-task.js';
import { type Outcome, OutcomePlanner } from './outcomes.js';
import { ENDPOINT_AUTHENTICATOR } from './sending.tokens.js';

/**
 * One delivery attempt: the signed request (libs/webhook-http), sent through the origin's
 * breaker by the configured sender, authenticated as the subscription says, and its outcome planned (recorded, retried or dead-lettered
 * by the caller). A 410 marks the subscription gone at once, so its queued deliveries stop.
 */
@Injectable()
export class DeliveryAttempt {
  constructor(
    private readonly index: SubscriptionIndexService,
    private readonly breakers: Breakers,
    private readonly planner: OutcomePlanner,
    @Inject(ENDPOINT_AUTHENTICATOR) private readonly sender: EndpointAuthenticator,
  ) {}

  /** `onSent` fires once the request has been written to the connection (rate limits count from then). */
  async run(task: DeliveryTask, sub: SubscriptionSnapshot, origin: string, startedAt: Date, onSent: () => void): Promise<Outcome> {
    const { msg } = task;
    // Partner types reach the dispatcher only from verified callbacks (admission refuses them
    // from tenants), so their deliveries may say which integration verified them.
    const request = buildWebhookRequest(sub, { msgId: msg.event_id, eventType: msg.event_type, body: msg.body, traceparent: task.attemptTraceparent(), fromVerifiedCallback: true }, startedAt);
    request.onSent = onSent;
    task.describeRequest(request.url);
    const run = await this.breakers.run({ tenant: msg.tenant_id, origin }, async () => {
      const result = await this.sender.send(sub, request);
      if (countsAgainstHost(result)) throw new HostFailure(result);
      return result;
    });
    if (!run.ran) return this.planner.postponed(msg, sub, 'breaker_open', run.retryAt);
    const outcome = this.planner.concluded(msg, sub, startedAt, run.value, request.headers);
    if (outcome.status.error_class === 'gone') this.index.markGone(sub.id, sub.version);
    return outcome;
  }
}
