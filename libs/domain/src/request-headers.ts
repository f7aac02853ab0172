export const REDACTED = '[redacted]';

/** Always secret whatever the subscription says: signatures, credentials, cookies. */
const ALWAYS_SECRET = new Set(['webhook-signature', 'authorization', 'proxy-authorization', 'cookie', 'x-hub-signature', 'x-hub-signature-256']);
/** A custom header whose name says it carries a credential. */
const SECRET_NAME = /(secret|token|api[-_]?key|password|passwd|auth|signature|credential|session)/i;

/**
 * The request headers of an attempt as they may be stored and shown to a tenant: the signature
 * (standard, or the subscription's own legacy header), credentials, and any value that is one
 * of the subscription's signing secrets or sits in a header named like a secret are replaced.
 * Everything else (content type, user agent, webhook-id, timestamps, traceparent, harmless custom
 * headers) stays, since it is what a partner needs to debug their side.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string>>,
  options: { signatureHeader?: string | null; secretValues?: readonly string[] } = {},
): Record<string, string> {
  const signatureHeader = options.signatureHeader?.toLowerCase() ?? null;
  const secrets = (options.secretValues ?? []).filter((s) => s.length > 0);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    const secret = ALWAYS_SECRET.has(lower) || lower === signatureHeader || SECRET_NAME.test(lower) || secrets.some((s) => value.includes(s));
    out[lower] = secret ? REDACTED : value;
  }
  return out;
}
