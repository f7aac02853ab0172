import type { RetryMessage } from '@hookstream/contracts';

/** What a retry's spans (scheduling and firing) say about it, to find them by delivery. */
export function retryAttributes(r: RetryMessage): Record<string, string | number> {
  return {
    'hookstream.delivery_id': r.delivery.delivery_id,
    'hookstream.tenant_id': r.delivery.tenant_id,
    'hookstream.subscription_id': r.delivery.subscription_id,
    'hookstream.attempt': r.delivery.attempt,
    'hookstream.due_at': r.due_at,
  };
}
