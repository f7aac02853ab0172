import { subscriptionDisabledDataSchema, subscriptionRecoveredDataSchema, SYSTEM_EVENT_TYPES } from '@hookstream/contracts';
import { z } from 'zod';

export interface CatalogEntry {
  name: string;
  description: string;
  schema: Record<string, unknown>;
}

// Without `format`: the gateway's validator knows no formats, and the patterns check the same.
const catalogSchema = (schema: z.ZodType): Record<string, unknown> =>
  z.toJSONSchema(schema, {
    override: (ctx) => {
      delete ctx.jsonSchema.format;
    },
  });

/** The catalog entry that lets a strict catalog accept `subscription.disabled`. */
export const SUBSCRIPTION_DISABLED_TYPE: CatalogEntry = {
  name: SYSTEM_EVENT_TYPES.subscriptionDisabled,
  description: 'Hookstream disabled one of your subscriptions: its endpoint answered 410 Gone, or every attempt to it failed for the auto-disable span.',
  schema: catalogSchema(subscriptionDisabledDataSchema),
};

/** The catalog entry that lets a strict catalog accept `subscription.recovered`. */
export const SUBSCRIPTION_RECOVERED_TYPE: CatalogEntry = {
  name: SYSTEM_EVENT_TYPES.subscriptionRecovered,
  description: 'One of your endpoints that was failing answered with a success again.',
  schema: catalogSchema(subscriptionRecoveredDataSchema),
};

/**
 * Hookstream's own event types. Every strict catalog holds them, so a tenant can subscribe to
 * them by name before the first one is ever published.
 */
export const SYSTEM_CATALOG: readonly CatalogEntry[] = [SUBSCRIPTION_DISABLED_TYPE, SUBSCRIPTION_RECOVERED_TYPE];
