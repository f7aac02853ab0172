import { randomBytes, randomUUID } from 'node:crypto';
import type { SubscriptionSnapshot } from '@hookstream/contracts';
import { formatSecret } from '@hookstream/domain';

/**
 * A subscription as the registry's changelog carries it, for tests that write the changelog
 * themselves: every event type, a fresh signing secret, no limits; `fields` override any of it.
 */
export function subscriptionSnapshot(tenantId: string, url: string, fields: Partial<SubscriptionSnapshot> = {}): SubscriptionSnapshot {
  return {
    id: randomUUID(),
    tenant_id: tenantId,
    url,
    name: null,
    description: null,
    event_types: ['*'],
    excluded_event_types: [],
    filter: null,
    enabled: true,
    disabled_reason: null,
    retry_policy: null,
    timeout_ms: 5000,
    headers: {},
    metadata: {},
    rate_limit_per_second: null,
    max_concurrency: null,
    signature_scheme: 'standard',
    signature_header: null,
    egress_proxy: null,
    ordering: 'none',
    on_dead_letter: 'skip',
    ordering_backlog_max: 10_000,
    batch: null,
    secrets: [{ id: randomUUID(), secret: formatSecret(randomBytes(24)), expires_at: null }],
    auth: null,
    version: 1,
    updated_at: new Date().toISOString(),
    ...fields,
  };
}
