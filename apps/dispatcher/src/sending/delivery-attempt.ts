import { Inject, Injectable } from '@nestjs/common';
import type { SubscriptionSnapshot } from '@hookstream/contracts';
import { batchBody, countsAgainstHost } from '@hookstream/domain';
import { buildWebhookRequest, EndpointAuthenticator, type OutgoingRequest } from '@hookstream/webhook-http';
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
    const [outcome] = await this.deliver([task], null, request, sub, origin, startedAt, onSent);
    if (!outcome) throw new Error('no outcome planned');
    return outcome;
  }

  /**
   * One request for several deliveries of a batched subscription (docs/guides/batching.md): their
   * envelopes in a JSON array, signed as one message whose id is the batch's. The outcomes (one
   * per task, in order) share one decision. The request's span is the first task's.
   */
  async runBatch(tasks: readonly DeliveryTask[], batch: { id: string; size: number }, sub: SubscriptionSnapshot, origin: string, startedAt: Date, onSent: () => void): Promise<Outcome[]> {
    const [head] = tasks;
    if (!head) return [];
    const body = batchBody(tasks.map((t) => t.msg.body));
    const request = buildWebhookRequest(sub, { msgId: `batch_${batch.id}`, eventType: head.msg.event_type, body, traceparent: head.attemptTraceparent(), fromVerifiedCallback: true, batchSize: tasks.length }, startedAt);
    return this.deliver(tasks, batch, request, sub, origin, startedAt, onSent);
  }

  /**
   * Sends one request on behalf of `tasks` and plans one outcome each, from one decision: all
   * postponed while the breaker is open, or all concluded from the answer. A 410 marks the
   * subscription gone.
   */
  private async deliver(tasks: readonly DeliveryTask[], batch: { id: string; size: number } | null, request: OutgoingRequest, sub: SubscriptionSnapshot, origin: string, startedAt: Date, onSent: () => void): Promise<Outcome[]> {
    request.onSent = onSent;
    for (const t of tasks) t.describeRequest(request.url);
    const msgs = tasks.map((t) => t.msg);
    const tenant = msgs[0]?.tenant_id ?? sub.tenant_id;
    const run = await this.send(tenant, origin, sub, request);
    if (!run.ran) return this.planner.postponedAll(msgs, sub, 'breaker_open', run.retryAt);
    const outcomes = this.planner.concludedAll(msgs, sub, startedAt, run.value, request.headers, batch);
    if (outcomes[0]?.status.error_class === 'gone') this.index.markGone(sub.id, sub.version);
    return outcomes;
  }

  /** Through the (tenant, origin) breaker: a failure that counts against the host trips it. */
  private send(tenant: string, origin: string, sub: SubscriptionSnapshot, request: OutgoingRequest) {
    return this.breakers.run({ tenant, origin }, async () => {
      const result = await this.sender.send(sub, request);
      if (countsAgainstHost(result)) throw new HostFailure(result);
      return result;
    });
  }
}
