import { z } from 'zod';

/**
 * How the dispatcher authenticates to a subscription's endpoint, besides signing: HTTP Basic, a
 * static bearer token, an OAuth 2.0 client-credentials token (RFC 6749 §4.4) fetched from the
 * partner's token URL, or a TLS client certificate (mTLS). The whole object is a credential: it is
 * sealed in Postgres and on the changelog like a signing secret, and the API never returns it
 * (only endpointAuthView's non-secret parts).
 */
export const ENDPOINT_AUTH_TYPES = ['basic', 'bearer', 'oauth2_client_credentials', 'mtls'] as const;
export type EndpointAuthType = (typeof ENDPOINT_AUTH_TYPES)[number];

/** Visible ASCII and spaces, nothing a header could be split with (CR, LF, NUL, other controls). */
const headerSafe = (max: number) => z.string().min(1).max(max).regex(/^[\x20-\x7e]+$/, 'must be printable ASCII');
/** Any text without control characters: Basic sends it base64-encoded (RFC 7617, UTF-8). */
const printable = (max: number) => z.string().min(1).max(max).regex(/^\P{Cc}+$/u, 'must not contain control characters');
/** RFC 6750's b64token, which is what a bearer token may hold. */
const b64token = z.string().min(1).max(4096).regex(/^[A-Za-z0-9\-._~+/]+=*$/, 'must be an RFC 6750 token (letters, digits and -._~+/, then = padding)');
const pem = (block: string, max: number) =>
  z.string().max(max).refine((s) => s.includes(`-----BEGIN ${block}`) || (block === 'PRIVATE KEY' && /-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(s)), `must be a PEM ${block.toLowerCase()}`);

export const endpointAuthSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('basic'),
    /** RFC 7617: the user id may not contain a colon. */
    username: printable(256).refine((s) => !s.includes(':'), 'must not contain ":"'),
    password: printable(1024),
  }),
  z.strictObject({ type: z.literal('bearer'), token: b64token }),
  z.strictObject({
    type: z.literal('oauth2_client_credentials'),
    /** Checked like an endpoint URL (https, public) at registration, and by the SSRF guard on every fetch. */
    token_url: z.string().max(2048),
    client_id: headerSafe(512),
    client_secret: headerSafe(1024),
    /** Space-separated scopes, sent as `scope`. */
    scope: headerSafe(1024).optional(),
    /** Sent as `audience` (Auth0, Okta and others ask for it). */
    audience: headerSafe(1024).optional(),
    /** How the client authenticates to the token URL: HTTP Basic (RFC 6749's default) or in the form body. */
    client_auth: z.enum(['basic', 'body']).default('basic'),
  }),
  z.strictObject({
    type: z.literal('mtls'),
    /** The client certificate (PEM), with its intermediates after it if the endpoint needs them. */
    certificate: pem('CERTIFICATE', 65_536),
    /** Its private key (PEM, unencrypted). */
    private_key: pem('PRIVATE KEY', 16_384),
  }),
]);
export type EndpointAuth = z.infer<typeof endpointAuthSchema>;

/** What the API shows of a subscription's endpoint authentication: never a password, token, secret or key. */
export const endpointAuthViewSchema = z.object({
  type: z.enum(ENDPOINT_AUTH_TYPES),
  username: z.string().optional(),
  token_url: z.string().optional(),
  client_id: z.string().optional(),
  scope: z.string().optional(),
  audience: z.string().optional(),
  client_auth: z.enum(['basic', 'body']).optional(),
  certificate_subject: z.string().optional(),
  certificate_expires_at: z.string().optional(),
  certificate_sha256: z.string().optional(),
});
export type EndpointAuthView = z.infer<typeof endpointAuthViewSchema>;

/**
 * On `hookstream.subscriptions`: the type, and the credentials as JSON sealed for the dispatchers
 * (`hsx1.…`, CHANGELOG_SECRETS_KEYS, bound to the subscription); clear JSON only in a process's memory.
 */
export const snapshotAuthSchema = z.object({
  type: z.enum(ENDPOINT_AUTH_TYPES),
  credentials: z.string(),
});
export type SnapshotAuth = z.infer<typeof snapshotAuthSchema>;
