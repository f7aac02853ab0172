import type { SubscriptionSnapshot } from '@hookstream/contracts';
import { activeSecrets, signDelivery, VERIFIED_BY_HEADER, verifiedByHeader } from '@hookstream/domain';
import type { OutgoingRequest } from './http-sender.js';

export const USER_AGENT = 'Hookstream/0.1 (+https://github.com/hookstream)';

/**
 * Names the subscription an attempt is for. Seed 003 put it in the body's metadata; a header says
 * the same and keeps the body one string per event, signed and stored once for every subscription.
 */
export const SUBSCRIPTION_ID_HEADER = 'webhook-subscription-id';

/**
 * Set on a batched request (docs/guides/batching.md): how many envelopes its JSON array holds.
 * Its `webhook-id` is then the batch's id, the same on every attempt of the batch.
 */
export const BATCH_SIZE_HEADER = 'webhook-batch-size';

/** What a webhook request is made of: the subscription's endpoint and signing, and the message. */
export interface WebhookMessage {
  /** The event id: the receiver's `webhook-id`, the same on every attempt. */
  msgId: string;
  eventType: string;
  /** The exact bytes signed and sent. */
  body: string;
  traceparent: string | null;
  /**
   * Whether a partner-type event may say which integration verified it. Only deliveries of
   * events admitted from verified callbacks may; the endpoint test's sample, whose type and data
   * the tenant chooses, never does.
   */
  fromVerifiedCallback: boolean;
  /** For a batch: how many envelopes `body`'s array holds. */
  batchSize?: number;
}

export type WebhookTarget = Pick<SubscriptionSnapshot, 'id' | 'url' | 'headers' | 'secrets' | 'signature_scheme' | 'signature_header' | 'timeout_ms' | 'egress_proxy'>;

/**
 * The request one attempt sends (real deliveries and the registry's endpoint test alike): our
 * User-Agent unless the subscription names its own, the subscription's custom headers, then the
 * content type, signing headers and `webhook-subscription-id` (which subscription sent it, for
 * receivers behind one URL that several subscriptions share), which always win (the registry
 * refuses custom `webhook-*` headers), signed at `at` with every secret in force then (a rotation signs with
 * both), and `webhook-verified-by` for events that came from a verified partner callback.
 */
export function buildWebhookRequest(target: WebhookTarget, message: WebhookMessage, at: Date): OutgoingRequest {
  const signed = signDelivery({
    scheme: target.signature_scheme,
    secrets: activeSecrets(target.secrets, at),
    msgId: message.msgId,
    timestampSeconds: Math.floor(at.getTime() / 1000),
    body: message.body,
    signatureHeader: target.signature_header,
  });
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...target.headers, 'content-type': 'application/json', ...signed, [SUBSCRIPTION_ID_HEADER]: target.id };
  if (message.traceparent) headers['traceparent'] = message.traceparent;
  if (message.batchSize !== undefined) headers[BATCH_SIZE_HEADER] = String(message.batchSize);
  // A batch's events each came their own way; the header speaks for one event only.
  const verifiedBy = message.fromVerifiedCallback && message.batchSize === undefined ? verifiedByHeader(message.eventType, message.body) : null;
  if (verifiedBy) headers[VERIFIED_BY_HEADER] = verifiedBy;
  return { url: target.url, headers, body: message.body, timeoutMs: target.timeout_ms, egressProxy: target.egress_proxy };
}
