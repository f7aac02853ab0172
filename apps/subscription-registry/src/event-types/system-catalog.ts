import { subscriptionDisabledDataSchema, SYSTEM_EVENT_TYPES } from '@hookstream/contracts';
import { z } from 'zod';

export interface CatalogEntry {
  name: string;
  description: string;
  schema: Record<string, unknown>;
}

/** The catalog entry that lets a strict catalog accept `subscription.disabled`. */
export const SUBSCRIPTION_DISABLED_TYPE: CatalogEntry = {
  name: SYSTEM_EVENT_TYPES.subscriptionDisabled,
  description: 'Hookstream disabled one of your subscriptions: its endpoint answered 410 Gone, or every attempt to it failed for the auto-disable span.',
  // Without `format`: the gateway's validator knows no formats, and the patterns check the same.
  schema: z.toJSONSchema(subscriptionDisabledDataSchema, {
    override: (ctx) => {
      delete ctx.jsonSchema.format;
    },
  }),
};

/**
 * Hookstream's own event types. Every strict catalog holds them, so a tenant can subscribe to
 * them by name before the first one is ever published.
 */
export const SYSTEM_CATALOG: readonly CatalogEntry[] = [SUBSCRIPTION_DISABLED_TYPE];
