import { tenantIdSchema } from '@hookstream/contracts';
import { z } from 'zod';
import { createEventTypeSchema } from '../event-types/event-types.dto.js';
import { checkNewSubscription, createSubscriptionFields } from '../subscriptions/subscriptions.dto.js';

/**
 * The GitOps file: per tenant, its event types and subscriptions. Subscriptions are identified by
 * `key` within their tenant, so applying the same file twice changes nothing and editing an
 * entry updates that subscription in place.
 *
 *   tenants:
 *     acme:
 *       name: Acme Inc
 *       strict_event_types: false
 *       event_types:
 *         - { name: order.placed, description: An order was placed }
 *       subscriptions:
 *         - key: erp
 *           url: https://erp.acme.example/hooks
 *           event_types: ["*"]
 *           excluded_events: [order.internal]
 *           headers: { X-Api-Key: from-the-partner }
 *           enabled: true
 */
const declaredSubscription = z.preprocess(
  // Seed 002's TenantWebhookConfig names: endpoint, excluded_events.
  (v) => {
    if (!v || typeof v !== 'object') return v;
    const { endpoint, excluded_events, ...rest } = v as Record<string, unknown>;
    return { ...rest, ...(endpoint !== undefined ? { url: endpoint } : {}), ...(excluded_events !== undefined ? { excluded_event_types: excluded_events } : {}) };
  },
  createSubscriptionFields
    .omit({ tenant_id: true })
    .extend({
      key: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a short lowercase key'),
      enabled: z.boolean().default(true),
    })
    .superRefine(checkNewSubscription),
);

export const declaredConfigSchema = z.strictObject({
  tenants: z.record(
    tenantIdSchema,
    z.strictObject({
      name: z.string().min(1).max(200),
      strict_event_types: z.boolean().default(false),
      event_types: z.array(createEventTypeSchema).default([]),
      subscriptions: z.array(declaredSubscription).default([]),
    }),
  ),
});

export type DeclaredConfig = z.infer<typeof declaredConfigSchema>;
