import { BATCH_LIMITS, DEAD_LETTER_POLICIES, endpointAuthSchema, endpointAuthViewSchema, ORDERING_MODES, eventTypeSchema, retryPolicySchema, SIGNATURE_SCHEMES, storableJsonObjectSchema, subscriptionSnapshotSchema, tenantIdSchema } from '@hookstream/contracts';
import { clientCertificateProblems, customHeaderProblems, isValidFilter, isValidHeaderName, MIN_SECRET_BYTES, payloadFilterProblems, RAW_SECRET_PATTERN, SECRET_PREFIX, type SignatureScheme } from '@hookstream/domain';
import { z } from 'zod';

const filterSchema = z.string().refine(isValidFilter, 'must be an event type, a prefix such as "order.*", or "*"');

/** Checked by the same compiler the dispatcher runs, so a stored filter always compiles there. */
const payloadFilterSchema = storableJsonObjectSchema
  .superRefine((filter, ctx) => {
    for (const p of payloadFilterProblems(filter)) ctx.addIssue({ code: 'custom', path: p.path === '' ? [] : p.path.split('.'), message: p.message });
  })
  .nullable()
  .describe('Narrows the events of its types to those whose envelope and data pass it (docs/guides/payload-filters.md); null: every event');

/** A client certificate must be readable, valid now and belong to its key; the token URL is checked by the service (it needs the allowlist). */
const authSchema = endpointAuthSchema
  .superRefine((auth, ctx) => {
    // Text that is not PEM at all has been reported by the schema already.
    if (auth.type !== 'mtls' || !auth.certificate.includes('-----BEGIN') || !auth.private_key.includes('-----BEGIN')) return;
    for (const p of clientCertificateProblems(auth.certificate, auth.private_key, new Date())) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
  })
  .nullable()
  .describe('How the dispatcher authenticates to the endpoint, besides signing (docs/guides/endpoint-auth.md); write-only: reads show only its type and non-secret parts; null: none');

const bound = (name: keyof typeof BATCH_LIMITS) => z.number().int().min(BATCH_LIMITS[name].min).max(BATCH_LIMITS[name].max).default(BATCH_LIMITS[name].default);
const batchSchema = z
  .strictObject({
    max_events: bound('max_events').describe(`Envelopes per request at most (${BATCH_LIMITS.max_events.min}-${BATCH_LIMITS.max_events.max}, default ${BATCH_LIMITS.max_events.default})`),
    max_bytes: bound('max_bytes').describe(`Body bytes per request at most; a larger envelope goes alone (${BATCH_LIMITS.max_bytes.min}-${BATCH_LIMITS.max_bytes.max}, default ${BATCH_LIMITS.max_bytes.default})`),
    max_wait_ms: bound('max_wait_ms').describe(`How long the first event waits for others to join its request (${BATCH_LIMITS.max_wait_ms.min}-${BATCH_LIMITS.max_wait_ms.max}, default ${BATCH_LIMITS.max_wait_ms.default})`),
  })
  .nullable()
  .describe('Batched delivery (docs/guides/batching.md): one signed request carries a JSON array of envelopes; null (default): one event per request');

const headersSchema = z.record(z.string(), z.string());
const metadataSchema = z
  .record(z.string().min(1).max(64), z.string().max(256))
  .refine((m) => Object.keys(m).length <= 50, 'at most 50 labels');
/** Checked against the subscription's scheme (secretProblem): legacy_sha256_raw takes any string its receivers hold. */
const secretSchema = z.string().max(500);

const endpointFields = {
  url: z.string().min(1).max(2048),
  name: z.string().min(1).max(200).nullable(),
  description: z.string().max(1000).nullable(),
  event_types: z.array(filterSchema).min(1).max(100),
  excluded_event_types: z.array(filterSchema).max(100),
  filter: payloadFilterSchema,
  retry_policy: retryPolicySchema.nullable(),
  /** Per attempt; 15 s unless set, at most 30 s. */
  timeout_ms: z.number().int().min(1000).max(30_000),
  headers: headersSchema,
  metadata: metadataSchema,
  rate_limit_per_second: z.number().int().min(1).max(10_000).nullable(),
  max_concurrency: z.number().int().min(1).max(1000).nullable(),
  signature_header: z.string().refine(isValidHeaderName, 'must be a valid header name').nullable(),
  auth: authSchema,
  /** Checked by the service against EGRESS_PROXIES (it knows the config). */
  egress_proxy: z.string().max(64).nullable().describe("The name of one of the operator's egress proxies (EGRESS_PROXIES) this subscription's requests leave through, for partners that allowlist caller IPs; null: the default"),
  ordering: z.enum(ORDERING_MODES).describe('Ordered delivery (docs/guides/ordering.md): `none` (default), `subscription` (every event in one order) or `key` (per envelope ordering_key; events without one are not ordered)'),
  on_dead_letter: z.enum(DEAD_LETTER_POLICIES).describe('For ordered delivery: whether a dead letter lets its key move on (`skip`, default) or stops it until it is replayed or skipped (`block`)'),
  ordering_backlog_max: z.number().int().min(1).max(1_000_000).describe('For ordered delivery: events held behind their keys\' heads past which the subscription is paused (default 10,000)'),
  batch: batchSchema,
};

function checkHeaders(dto: { headers?: Record<string, string> | undefined; signature_header?: string | null | undefined; auth?: { type: string } | null | undefined }, ctx: z.RefinementCtx): void {
  for (const p of customHeaderProblems(dto.headers ?? {}, dto.signature_header)) {
    ctx.addIssue({ code: 'custom', path: p.path.split('.').slice(0, 2), message: p.message });
  }
  const clash = authorizationClash(dto.headers, dto.auth);
  if (clash) ctx.addIssue({ code: 'custom', path: ['headers', clash], message: 'the endpoint authentication sets Authorization; remove one of them' });
}

/** The custom header that would fight `auth` over Authorization, if any (mTLS leaves the header alone). */
export function authorizationClash(headers: Record<string, string> | undefined, auth: { type: string } | null | undefined): string | null {
  if (!auth || auth.type === 'mtls') return null;
  return Object.keys(headers ?? {}).find((h) => h.toLowerCase() === 'authorization') ?? null;
}

export const createSubscriptionFields = z.strictObject({
    /** Only an admin key names the tenant; a tenant key acts for its own. */
    tenant_id: tenantIdSchema.optional(),
    url: endpointFields.url,
    name: endpointFields.name.optional(),
    description: endpointFields.description.optional(),
    event_types: endpointFields.event_types,
    excluded_event_types: endpointFields.excluded_event_types.optional(),
    filter: endpointFields.filter.optional(),
    retry_policy: endpointFields.retry_policy.optional(),
    timeout_ms: endpointFields.timeout_ms.optional(),
    headers: endpointFields.headers.optional(),
    metadata: endpointFields.metadata.optional(),
    rate_limit_per_second: endpointFields.rate_limit_per_second.optional(),
    max_concurrency: endpointFields.max_concurrency.optional(),
    /**
     * Standard Webhooks HMAC (default), Standard Webhooks ed25519, or sha256=<hex> in a named
     * header keyed by the whsec_ secret's bytes (legacy_sha256) or by the secret string itself
     * (legacy_sha256_raw, for receivers written to seed 004's createHmac('sha256', secret)).
     */
    signature_scheme: z.enum(SIGNATURE_SCHEMES).default('standard'),
    signature_header: endpointFields.signature_header.optional(),
    /**
     * Bring your own HMAC secret (e.g. when migrating from another provider); generated otherwise.
     * whsec_ + base64 of at least 24 bytes, or for legacy_sha256_raw any 24-500 printable ASCII characters.
     */
    secret: secretSchema.optional(),
    auth: endpointFields.auth.optional(),
    egress_proxy: endpointFields.egress_proxy.optional(),
    ordering: endpointFields.ordering.default('none'),
    on_dead_letter: endpointFields.on_dead_letter.default('skip'),
    ordering_backlog_max: endpointFields.ordering_backlog_max.default(10_000),
    batch: endpointFields.batch.optional(),
});

/** Cross-field rules of a new subscription (also applied to declared ones). */
export function checkNewSubscription(
  dto: Pick<z.infer<typeof createSubscriptionFields>, 'headers' | 'signature_header' | 'signature_scheme' | 'secret' | 'auth'>,
  ctx: z.RefinementCtx,
): void {
  checkHeaders(dto, ctx);
  if ((dto.signature_scheme === 'legacy_sha256' || dto.signature_scheme === 'legacy_sha256_raw') && !dto.signature_header) {
    ctx.addIssue({ code: 'custom', path: ['signature_header'], message: 'the legacy scheme needs the header that carries sha256=<hex>' });
  }
  const problem = dto.secret === undefined || dto.signature_scheme === 'ed25519' ? null : secretProblem(dto.signature_scheme, dto.secret);
  if (problem) ctx.addIssue({ code: 'custom', path: ['secret'], message: problem });
  if (dto.signature_scheme === 'ed25519' && dto.secret) {
    ctx.addIssue({ code: 'custom', path: ['secret'], message: 'ed25519 keys are generated; only the public key is shown' });
  }
}

export const createSubscriptionSchema = createSubscriptionFields.superRefine(checkNewSubscription);
export type CreateSubscriptionDto = z.infer<typeof createSubscriptionSchema>;

/** The signature scheme is fixed at creation: changing it needs new keys on the receiver's side. */
export const updateSubscriptionSchema = z
  .strictObject({
    url: endpointFields.url.optional(),
    name: endpointFields.name.optional(),
    description: endpointFields.description.optional(),
    event_types: endpointFields.event_types.optional(),
    excluded_event_types: endpointFields.excluded_event_types.optional(),
    /** A new filter replaces the old one whole; null removes it. */
    filter: endpointFields.filter.optional(),
    enabled: z.boolean().optional(),
    /**
     * Why it is disabled: `manual` (default), `auto_disabled` (every delivery failed for the
     * configured span) or `gone` (the endpoint answered 410). Ignored when enabling.
     */
    disabled_reason: z.enum(['manual', 'auto_disabled', 'gone']).optional(),
    retry_policy: endpointFields.retry_policy.optional(),
    timeout_ms: endpointFields.timeout_ms.optional(),
    headers: endpointFields.headers.optional(),
    metadata: endpointFields.metadata.optional(),
    rate_limit_per_second: endpointFields.rate_limit_per_second.optional(),
    max_concurrency: endpointFields.max_concurrency.optional(),
    signature_header: endpointFields.signature_header.optional(),
    /** New credentials replace the old whole; null removes them. */
    auth: endpointFields.auth.optional(),
    egress_proxy: endpointFields.egress_proxy.optional(),
    /** Changing it applies to events fanned out from then on; entries already held keep their order. */
    ordering: endpointFields.ordering.optional(),
    on_dead_letter: endpointFields.on_dead_letter.optional(),
    ordering_backlog_max: endpointFields.ordering_backlog_max.optional(),
    /** A new setting replaces the old whole; null turns batching off. Deliveries already failing keep their batches. */
    batch: endpointFields.batch.optional(),
  })
  .superRefine(checkHeaders);
export type UpdateSubscriptionDto = z.infer<typeof updateSubscriptionSchema>;

export const listQuerySchema = z.object({
  tenant_id: tenantIdSchema.optional(),
});

export const listPageQuerySchema = listQuerySchema.extend({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(500).optional(),
});

/** What is wrong with a secret a tenant brings for a subscription of `scheme`; null when nothing. */
export function secretProblem(scheme: SignatureScheme, secret: string): string | null {
  if (scheme === 'legacy_sha256_raw') return RAW_SECRET_PATTERN.test(secret) ? null : 'must be 24-500 printable ASCII characters without spaces';
  return isUsableSecret(secret) ? null : 'must be whsec_ followed by base64 of at least 24 bytes';
}

function isUsableSecret(s: string): boolean {
  if (!s.startsWith(SECRET_PREFIX)) return false;
  const b64 = s.slice(SECRET_PREFIX.length);
  return /^[A-Za-z0-9+/]+={0,2}$/.test(b64) && Buffer.from(b64, 'base64').length >= MIN_SECRET_BYTES;
}

export const rotateSecretSchema = z.strictObject({
  /** How long the old secret keeps signing beside the new one (default 24 h, at most 7 days). */
  overlap_seconds: z.number().int().min(0).max(7 * 24 * 3600).default(24 * 3600),
  /** An HMAC secret of your own; ed25519 subscriptions always get a generated key pair. */
  secret: secretSchema.optional(),
});
export type RotateSecretDto = z.infer<typeof rotateSecretSchema>;

export const endpointTestSchema = z.strictObject({
  event_type: eventTypeSchema.optional(),
  data: storableJsonObjectSchema.optional(),
});
export type EndpointTestDto = z.infer<typeof endpointTestSchema>;

export const matchSchema = z.strictObject({
  /** Only an admin key names the tenant; a tenant key asks about its own. */
  tenant_id: tenantIdSchema.optional(),
  event_type: eventTypeSchema,
  /**
   * A sample payload, checked against the type's JSON Schema when the catalog is strict, and
   * against each subscription's payload filter (an empty object when not given).
   */
  data: storableJsonObjectSchema.optional(),
});
export type MatchDto = z.infer<typeof matchSchema>;

const skipReasonSchema = z.object({ code: z.enum(['disabled', 'no_matching_filter', 'excluded', 'payload_filter', 'event_refused']), message: z.string() });
export const matchResultSchema = z.object({
  tenant_id: z.string(),
  event_type: z.string(),
  accepted: z.boolean().describe('Would the gateway take this event (its type, and its data when given)?'),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
  receivers: z.array(z.object({ subscription_id: z.string(), name: z.string().nullable(), url: z.string(), matched_filter: z.string() })),
  skipped: z.array(z.object({ subscription_id: z.string(), name: z.string().nullable(), url: z.string(), reasons: z.array(skipReasonSchema) })),
});

export const subscriptionViewSchema = subscriptionSnapshotSchema
  .omit({ secrets: true, auth: true })
  .extend({ auth: endpointAuthViewSchema.nullable().describe('The endpoint authentication: its type and non-secret parts only'), created_at: z.string(), config_key: z.string().nullable(), created_by: z.string().nullable().describe('The id of the API key that created it (admin:bootstrap for ADMIN_API_KEY), declarative-config, or null when created before this was recorded') });
export const createdSubscriptionSchema = subscriptionViewSchema.extend({
  secret: z.string().nullable().describe('The HMAC secret, shown once (null for ed25519)'),
  public_key: z.string().nullable().describe('The ed25519 public key (whpk_…), for ed25519 subscriptions'),
});
export const subscriptionPageSchema = z.object({ data: z.array(subscriptionViewSchema), next_cursor: z.string().nullable() });
const secretViewSchema = z.object({ id: z.string(), secret: z.string().nullable(), public_key: z.string().nullable(), created_at: z.string(), expires_at: z.string().nullable() });
export const secretListSchema = z.object({ data: z.array(secretViewSchema) });
export const rotatedSecretSchema = z.object({ secret: secretViewSchema, previous_expires_at: z.string() });
export const endpointTestResultSchema = z.object({
  event_id: z.string(),
  ok: z.boolean(),
  status_code: z.number().nullable(),
  latency_ms: z.number(),
  response_body: z.string().nullable(),
  error_class: z.string().nullable(),
  message: z.string().nullable(),
});
