import { PARTNER_PROVIDERS } from './partner-signatures.js';

/**
 * Event types and ids only a verified partner callback may carry. A callback becomes an event of
 * type `<provider>.<type>` with id `<integration id>:<provider's id>` (see partner-events.ts);
 * subscribers trust `stripe.*` events because Hookstream checked Stripe's signature. If a tenant
 * could publish them too, a subscriber could not tell a forged `stripe.charge.succeeded` from a
 * verified one, and a tenant could pre-empt a future callback's id (its dedup would then drop the
 * real callback as a duplicate).
 *
 * Every provider's prefix is reserved for every tenant, whether or not it has an integration of
 * that provider: an integration created later must not inherit look-alike events. The envelope's
 * type syntax is lower-case ASCII only, so there is no case or look-alike variant to fold; the
 * check lower-cases anyway, in case that syntax is ever widened.
 */
export const RESERVED_TYPE_PREFIXES: readonly string[] = PARTNER_PROVIDERS.map((p) => `${p}.`);

/** Integration ids start with this; a callback's event id starts with its integration's id. */
export const CALLBACK_ID_PREFIX = 'int_';

export interface ReservedProblem {
  path: 'type' | 'id';
  message: string;
}

/** Why an event published by a tenant (HTTP or hookstream.ingest) may not use its type or id; empty when it may. */
export function reservedEventProblems(event: { type: string; id: string }): ReservedProblem[] {
  const problems: ReservedProblem[] = [];
  const type = event.type.toLowerCase();
  const prefix = RESERVED_TYPE_PREFIXES.find((p) => type.startsWith(p) || type === p.slice(0, -1));
  if (prefix) {
    problems.push({ path: 'type', message: `types beginning with "${prefix}" are reserved for verified partner callbacks; name your own events otherwise (e.g. "billing.${type.slice(prefix.length) || 'event'}")` });
  }
  if (event.id.toLowerCase().startsWith(CALLBACK_ID_PREFIX)) {
    problems.push({ path: 'id', message: `ids beginning with "${CALLBACK_ID_PREFIX}" are reserved for events made from partner callbacks` });
  }
  return problems;
}

/** The delivery header naming the integration that verified a callback-made event. */
export const VERIFIED_BY_HEADER = 'webhook-verified-by';

/**
 * `<provider>; integration=<id>` for a delivery of an event made from a verified callback, null
 * for any other. Only callbacks can carry a partner type (see reservedEventProblems), so the type
 * says whether; the body's `data.provider` and `data.integration_id` (which the signature covers)
 * say which. The body is parsed only for partner types, so other deliveries pay one prefix test.
 */
export function verifiedByHeader(eventType: string, body: string): string | null {
  const type = eventType.toLowerCase();
  if (!RESERVED_TYPE_PREFIXES.some((p) => type.startsWith(p))) return null;
  let data: unknown;
  try {
    data = (JSON.parse(body) as { data?: unknown }).data;
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { provider, integration_id: integrationId } = data as { provider?: unknown; integration_id?: unknown };
  if (typeof provider !== 'string' || !type.startsWith(`${provider}.`)) return null;
  if (typeof integrationId !== 'string' || !/^int_[A-Za-z0-9_-]{1,64}$/.test(integrationId)) return null;
  return `${provider}; integration=${integrationId}`;
}
