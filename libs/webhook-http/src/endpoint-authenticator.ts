import { type EndpointAuth, endpointAuthSchema, type SnapshotAuth } from '@hookstream/contracts';
import { basicAuthorization, parseTokenAnswer, tokenRequest } from '@hookstream/domain';
import type { HttpSender, OutgoingRequest, SendResult } from './http-sender.js';

/** Token answers can carry long JWTs; 64 KiB is far more than any real one and still bounded. */
const TOKEN_ANSWER_LIMIT = 64 * 1024;
/**
 * A failed token fetch is the answer for this long: a backlog of deliveries to a subscription whose
 * client is refused must not become one token request per delivery at the partner's auth server.
 */
const FAILURE_HOLD_MS = 5000;
/** Subscriptions whose credentials are kept parsed (and tokens cached); least recently used go first. */
const MAX_ENTRIES = 10_000;

type OAuth2 = Extract<EndpointAuth, { type: 'oauth2_client_credentials' }>;

interface Entry {
  auth: EndpointAuth;
  /** basic and bearer: the Authorization value, computed once. */
  authorization: string | null;
  token: { value: string; expiresAt: number } | null;
  /** The last fetch's failure, answered again until `until` instead of asking the token URL per attempt. */
  failure: { message: string; until: number } | null;
  /** The fetch in flight, which every concurrent attempt of the subscription waits for. */
  fetching: Promise<{ value: string } | { error: string }> | null;
}

/** A subscription's credentials, clear, as the registry and the dispatcher hold them in memory. */
export interface AuthTarget {
  id: string;
  version: number;
  auth: SnapshotAuth | null;
  timeout_ms: number;
}

/**
 * Sends a webhook request authenticated as its subscription says (contracts endpoint-auth.ts):
 * Basic or a static bearer token in `Authorization`, a client certificate on the connection
 * (mTLS), or an OAuth 2.0 client-credentials token. A token is fetched through the same sender
 * (so the same SSRF guard, timeouts and trusted CAs), once for all concurrent attempts, cached
 * until shortly before it expires, and fetched anew once when the endpoint answers 401 (a token
 * revoked early). A failed fetch is the answer for the next 5 s, so a refused client's backlog
 * does not flood the partner's token URL. A token that cannot be had is an `auth_token` error: nothing reaches the
 * endpoint. Credentials are parsed once per subscription version.
 */
export class EndpointAuthenticator {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly sender: HttpSender,
    private readonly now: () => number = Date.now,
  ) {}

  async send(target: AuthTarget, req: OutgoingRequest): Promise<SendResult> {
    if (target.auth === null) return this.sender.send(req);
    const started = this.now();
    let entry: Entry;
    try {
      entry = this.entryFor(target, target.auth);
    } catch (err) {
      return { kind: 'error', errorClass: 'unknown', message: `the endpoint credentials cannot be read: ${(err as Error).message}`.slice(0, 500), durationMs: 0, responseBody: null };
    }
    const { auth } = entry;
    switch (auth.type) {
      case 'basic':
      case 'bearer':
        req.headers['authorization'] = entry.authorization ?? '';
        return this.sender.send(req);
      case 'mtls':
        req.clientCertificate = { id: `${target.id}:${target.version}`, cert: auth.certificate, key: auth.private_key };
        return this.sender.send(req);
      case 'oauth2_client_credentials': {
        const first = await this.token(entry, auth, target.timeout_ms, false, undefined, req.egressProxy);
        if ('error' in first) return tokenFailure(first.error, this.now() - started);
        req.headers['authorization'] = `Bearer ${first.value}`;
        const result = await this.sender.send(req);
        if (result.kind !== 'response' || result.statusCode !== 401) return result;
        // Revoked or rotated before it expired: one new token, one more try, within this attempt.
        const again = await this.token(entry, auth, target.timeout_ms, true, first.value, req.egressProxy);
        if ('error' in again) return tokenFailure(again.error, this.now() - started);
        const retried = await this.sender.send({ ...req, headers: { ...req.headers, authorization: `Bearer ${again.value}` } });
        return { ...retried, durationMs: this.now() - started };
      }
    }
  }

  /** Forgets every parsed credential and token (tests; a process has no other reason to). */
  clear(): void {
    this.entries.clear();
  }

  private entryFor(target: AuthTarget, snapshotAuth: SnapshotAuth): Entry {
    const key = `${target.id}:${target.version}`;
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry;
    }
    const auth = endpointAuthSchema.parse(JSON.parse(snapshotAuth.credentials));
    const authorization = auth.type === 'basic' ? basicAuthorization(auth.username, auth.password) : auth.type === 'bearer' ? `Bearer ${auth.token}` : null;
    entry = { auth, authorization, token: null, failure: null, fetching: null };
    this.entries.set(key, entry);
    if (this.entries.size > MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    return entry;
  }

  /** The cached token, or one fetched now; `refresh` drops `stale` first (unless another attempt already replaced it). */
  private async token(entry: Entry, auth: OAuth2, timeoutMs: number, refresh: boolean, stale?: string, egressProxy?: string | null): Promise<{ value: string } | { error: string }> {
    if (refresh && entry.token?.value === stale) entry.token = null;
    if (entry.token && entry.token.expiresAt > this.now()) return { value: entry.token.value };
    if (entry.failure && entry.failure.until > this.now()) return { error: entry.failure.message };
    entry.fetching ??= this.fetchToken(entry, auth, timeoutMs, egressProxy).finally(() => {
      entry.fetching = null;
    });
    return entry.fetching;
  }

  /** Through the subscription's egress proxy too: a partner that allowlists IPs allowlists them for its auth server. */
  private async fetchToken(entry: Entry, auth: OAuth2, timeoutMs: number, egressProxy: string | null | undefined): Promise<{ value: string } | { error: string }> {
    const { headers, body } = tokenRequest(auth);
    const result = await this.sender.send({ url: auth.token_url, headers, body, timeoutMs, responseBodyLimit: TOKEN_ANSWER_LIMIT, egressProxy: egressProxy ?? null });
    const answer = result.kind === 'error' ? { ok: false as const, message: `the token URL failed (${result.errorClass}): ${result.message}` } : parseTokenAnswer(result.statusCode, result.responseBody ?? '', this.now());
    if (!answer.ok) {
      entry.failure = { message: answer.message, until: this.now() + FAILURE_HOLD_MS };
      return { error: answer.message };
    }
    entry.failure = null;
    entry.token = { value: answer.accessToken, expiresAt: answer.expiresAt };
    return { value: answer.accessToken };
  }
}

function tokenFailure(message: string, durationMs: number): SendResult {
  return { kind: 'error', errorClass: 'auth_token', message: message.slice(0, 500), durationMs, responseBody: null };
}
