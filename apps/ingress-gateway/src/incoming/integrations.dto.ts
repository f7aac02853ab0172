import { HMAC_ALGORITHMS, isValidHeaderName, PARTNER_PROVIDERS, parseAddressRanges, type PartnerProvider, SIGNATURE_ENCODINGS } from '@hookstream/domain';
import { z } from 'zod';

const headerName = z.string().max(100).refine(isValidHeaderName, 'must be a valid header name');
const jsonPath = z.string().max(200).regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dot path such as "data.id"');
const tolerance = z.number().int().min(1).max(3600).default(300);
const cidr = z.string().max(64).refine((s) => parseAddressRanges([s]).ok, 'must be an IP address or CIDR range');

/** Non-secret settings per provider; stored as given, defaults filled in. */
export const providerSettingsSchemas = {
  stripe: z.strictObject({ tolerance_seconds: tolerance }),
  github: z.strictObject({}),
  payfast: z.strictObject({
    /** Where ITNs may come from; empty allows any address (the signature still must match). */
    allowed_source_ips: z.array(cidr).max(50).default([]),
  }),
  'standard-webhooks': z.strictObject({ tolerance_seconds: tolerance }),
  hmac: z
    .strictObject({
      header: headerName,
      algorithm: z.enum(HMAC_ALGORITHMS).default('sha256'),
      encoding: z.enum(SIGNATURE_ENCODINGS).default('hex'),
      prefix: z.string().max(32).default(''),
      /** The event id: a header, or a dot path into the JSON body (default `id`). */
      event_id_header: headerName.optional(),
      event_id_path: jsonPath.optional(),
      /** The event type: a header, or a dot path into the JSON body (default `type`). */
      event_type_header: headerName.optional(),
      event_type_path: jsonPath.optional(),
      /**
       * The signature covers the body only: an id or type read from a header can be changed by
       * whoever captured one callback, who can then replay it as a new event of another type.
       * Headers are used only when the tenant says it accepts that (docs/guides/partner-callbacks.md).
       */
      trust_unsigned_headers: z.boolean().default(false),
    })
    .refine((s) => s.trust_unsigned_headers || !(s.event_id_header || s.event_type_header), {
      path: ['trust_unsigned_headers'],
      message: 'event_id_header and event_type_header are not signed: set trust_unsigned_headers to true to accept that a captured callback can be replayed under another id or type, or use event_id_path and event_type_path',
    })
    .refine((s) => !(s.event_id_header && s.event_id_path), { path: ['event_id_path'], message: 'give event_id_header or event_id_path, not both' })
    .refine((s) => !(s.event_type_header && s.event_type_path), { path: ['event_type_path'], message: 'give event_type_header or event_type_path, not both' }),
} satisfies Record<PartnerProvider, z.ZodType>;

const base64Key = z
  .string()
  .max(200)
  .refine((s) => {
    const b64 = s.startsWith('whsec_') ? s.slice(6) : s;
    return /^[A-Za-z0-9+/]+={0,2}$/.test(b64) && Buffer.from(b64, 'base64').length >= 16;
  }, 'must be whsec_ + base64 of at least 16 bytes');

/** Secrets per provider: sealed at rest, never shown again. */
export const providerSecretsSchemas = {
  stripe: z.strictObject({ signing_secret: z.string().regex(/^whsec_\S{8,}$/, 'must be the endpoint’s whsec_… signing secret').max(200) }),
  github: z.strictObject({ secret: z.string().min(8).max(200) }),
  // PayFast signs with MD5 over public fields; without a passphrase anyone could forge an ITN.
  payfast: z.strictObject({ passphrase: z.string().min(1).max(200) }),
  'standard-webhooks': z.strictObject({ secret: base64Key }),
  hmac: z.strictObject({ secret: z.string().min(8).max(500) }),
} satisfies Record<PartnerProvider, z.ZodType>;

export type ProviderSettings = { [P in PartnerProvider]: z.output<(typeof providerSettingsSchemas)[P]> };
export type ProviderSecrets = Record<string, string>;

const name = z.string().min(1).max(200).nullable().optional();
const tenantId = z.string().optional();

const createVariant = <P extends PartnerProvider>(provider: P) =>
  z.strictObject({
    provider: z.literal(provider),
    name,
    tenant_id: tenantId,
    settings: providerSettingsSchemas[provider].optional(),
    secrets: providerSecretsSchemas[provider],
  });

export const createIntegrationSchema = z.discriminatedUnion('provider', [
  createVariant('stripe'),
  createVariant('github'),
  createVariant('payfast'),
  createVariant('standard-webhooks'),
  createVariant('hmac'),
]);
export type CreateIntegrationDto = z.infer<typeof createIntegrationSchema>;

export const updateIntegrationSchema = z.strictObject({
  name,
  status: z.enum(['active', 'disabled']).optional(),
  /** Merged into the current settings, then validated as the provider's settings. */
  settings: z.record(z.string(), z.unknown()).optional(),
  /** The provider's full set of secrets; replaces the current one. */
  secrets: z.record(z.string(), z.string()).optional(),
  /** How long the replaced secrets still verify (default 0: at once), for a switch-over without refusals. */
  secret_overlap_seconds: z.number().int().min(0).max(7 * 24 * 3600).optional(),
});
export type UpdateIntegrationDto = z.infer<typeof updateIntegrationSchema>;

export const tenantQuerySchema = z.object({ tenant_id: z.string().optional() });
export const listIntegrationsQuerySchema = tenantQuerySchema.extend({
  provider: z.enum(PARTNER_PROVIDERS).optional(),
  status: z.enum(['active', 'disabled']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});

export const integrationViewSchema = z.object({
  id: z.string(),
  tenant_id: z.string(),
  provider: z.enum(PARTNER_PROVIDERS),
  name: z.string().nullable(),
  status: z.enum(['active', 'disabled']),
  settings: z.record(z.string(), z.unknown()),
  /** Which secrets are set (never their values), and until when replaced ones still verify. */
  secret_fields: z.array(z.string()),
  previous_secrets_valid_until: z.string().nullable(),
  /** Give the provider this path on the gateway's public address. */
  callback_path: z.string(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type IntegrationView = z.infer<typeof integrationViewSchema>;
export const integrationPageSchema = z.object({ data: z.array(integrationViewSchema), next_cursor: z.string().nullable() });

export const listCallbacksQuerySchema = tenantQuerySchema.extend({
  status: z.enum(['pending', 'succeeded', 'failed']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(300).optional(),
});

export const callbackViewSchema = z.object({
  id: z.string(),
  integration_id: z.string(),
  provider: z.string(),
  provider_event_id: z.string().nullable(),
  event_id: z.string().nullable(),
  event_type: z.string().nullable(),
  status: z.enum(['pending', 'succeeded', 'failed']),
  failure_reason: z.string().nullable(),
  retry_count: z.number(),
  signature: z.string().nullable(),
  source_ip: z.string().nullable(),
  content_type: z.string().nullable(),
  payload: z.unknown(),
  received_at: z.string(),
  last_received_at: z.string(),
  processed_at: z.string().nullable(),
});
export type CallbackView = z.infer<typeof callbackViewSchema>;
export const callbackPageSchema = z.object({ data: z.array(callbackViewSchema), next_cursor: z.string().nullable() });

export const callbackResultSchema = z.object({
  status: z.enum(['accepted', 'duplicate']),
  event_id: z.string(),
  event_type: z.string(),
});
export type CallbackResult = z.infer<typeof callbackResultSchema>;
