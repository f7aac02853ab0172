import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { EndpointAuth, EndpointAuthView } from '@hookstream/contracts';

/**
 * The id endpoint credentials are sealed under (signing-secret-seal.ts binds every sealing to a
 * subscription and an id): one set of credentials per subscription, so one id.
 */
export const ENDPOINT_AUTH_SEAL_ID = 'endpoint-auth';

/** The parts of a subscription's endpoint authentication the API may show. */
export function endpointAuthView(auth: EndpointAuth): EndpointAuthView {
  switch (auth.type) {
    case 'basic':
      return { type: 'basic', username: auth.username };
    case 'bearer':
      return { type: 'bearer' };
    case 'oauth2_client_credentials':
      return {
        type: auth.type,
        token_url: auth.token_url,
        client_id: auth.client_id,
        client_auth: auth.client_auth,
        ...(auth.scope === undefined ? {} : { scope: auth.scope }),
        ...(auth.audience === undefined ? {} : { audience: auth.audience }),
      };
    case 'mtls': {
      const cert = new X509Certificate(auth.certificate);
      return { type: 'mtls', certificate_subject: cert.subject.replaceAll('\n', ', '), certificate_expires_at: new Date(cert.validTo).toISOString(), certificate_sha256: cert.fingerprint256 };
    }
  }
}

/**
 * Why a client certificate and key cannot be used, as field problems (empty when they can): the
 * certificate must parse, be valid now, and belong to the key.
 */
export function clientCertificateProblems(certificate: string, privateKey: string, now: Date): { path: string; message: string }[] {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificate);
  } catch (err) {
    return [{ path: 'certificate', message: `not a readable certificate: ${(err as Error).message}` }];
  }
  let key;
  try {
    key = createPrivateKey(privateKey);
  } catch (err) {
    return [{ path: 'private_key', message: `not a readable unencrypted private key: ${(err as Error).message}` }];
  }
  const problems: { path: string; message: string }[] = [];
  if (!cert.checkPrivateKey(key)) problems.push({ path: 'private_key', message: 'does not belong to the certificate' });
  if (new Date(cert.validTo).getTime() <= now.getTime()) problems.push({ path: 'certificate', message: `expired at ${new Date(cert.validTo).toISOString()}` });
  if (new Date(cert.validFrom).getTime() > now.getTime()) problems.push({ path: 'certificate', message: `not valid before ${new Date(cert.validFrom).toISOString()}` });
  return problems;
}

/** The `Authorization` value of HTTP Basic (RFC 7617, UTF-8). */
export function basicAuthorization(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

/** A client-credentials token request (RFC 6749 §4.4.2): its form body and headers. */
export function tokenRequest(auth: Extract<EndpointAuth, { type: 'oauth2_client_credentials' }>): { headers: Record<string, string>; body: string } {
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope !== undefined) form.set('scope', auth.scope);
  if (auth.audience !== undefined) form.set('audience', auth.audience);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (auth.client_auth === 'body') {
    form.set('client_id', auth.client_id);
    form.set('client_secret', auth.client_secret);
  } else {
    // RFC 6749 §2.3.1: the id and secret are form-encoded before they are put into Basic.
    headers['authorization'] = basicAuthorization(formEncode(auth.client_id), formEncode(auth.client_secret));
  }
  return { headers, body: form.toString() };
}

function formEncode(s: string): string {
  return new URLSearchParams({ s }).toString().slice(2);
}

/** How long a token without `expires_in` is used before a new one is fetched. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 300;
const LONGEST_TOKEN_CACHE_SECONDS = 24 * 3600;

export type TokenAnswer = { ok: true; accessToken: string; expiresAt: number } | { ok: false; message: string };

/**
 * A token endpoint's answer (RFC 6749 §5.1, §5.2): a bearer `access_token`, used until a minute
 * (or a tenth of its life, when shorter) before `expires_in` says it ends. Anything else is a
 * failure whose message says what came back, the endpoint's `error` and `error_description`
 * included, but never a token.
 */
export function parseTokenAnswer(statusCode: number, body: string, nowMs: number): TokenAnswer {
  let parsed: unknown = null;
  try {
    parsed = JSON.parse(body);
  } catch {
    // reported below
  }
  const obj = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  if (statusCode < 200 || statusCode > 299) {
    const error = typeof obj?.['error'] === 'string' ? `: ${obj['error']}` : '';
    const description = typeof obj?.['error_description'] === 'string' ? ` (${obj['error_description'].slice(0, 200)})` : '';
    return { ok: false, message: `the token URL answered ${statusCode}${error}${description}` };
  }
  if (!obj) return { ok: false, message: `the token URL answered ${statusCode} without a JSON object` };
  const token = obj['access_token'];
  if (typeof token !== 'string' || token.length === 0 || token.length > 16_384 || !/^[\x21-\x7e]+$/.test(token)) {
    return { ok: false, message: 'the token URL answered no usable access_token' };
  }
  const type = obj['token_type'];
  if (typeof type === 'string' && type.toLowerCase() !== 'bearer') return { ok: false, message: `the token URL answered a ${type.slice(0, 40)} token; only bearer tokens are sent` };
  const raw = obj['expires_in'];
  const lifetime = typeof raw === 'number' && Number.isFinite(raw) && raw > 0 ? Math.min(raw, LONGEST_TOKEN_CACHE_SECONDS) : typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? Math.min(Number(raw), LONGEST_TOKEN_CACHE_SECONDS) : DEFAULT_TOKEN_LIFETIME_SECONDS;
  const margin = Math.min(60, lifetime / 10);
  return { ok: true, accessToken: token, expiresAt: nowMs + (lifetime - margin) * 1000 };
}
