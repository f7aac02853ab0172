import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { isIP } from 'node:net';
import { createSecureContext, rootCertificates, type SecureContext } from 'node:tls';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { ErrorClass } from '@hookstream/contracts';
import { type AllowList, type AttemptResult, isAddressAllowed, normaliseHost } from '@hookstream/domain';
import { type EgressProxy, proxiedAgentConnection, proxiedConnector } from './egress-proxy.js';
import { guardedLookup, type Resolver } from './ssrf-lookup.js';

export const RESPONSE_BODY_LIMIT = 4096;

/**
 * The first `limit` bytes of a response body as text for Postgres: cut before a UTF-8 sequence
 * the limit splits (so it re-encodes within the limit) and without NUL characters, which a text
 * column refuses and which would otherwise fail the whole batch's write.
 */
export function storableBody(body: Buffer, limit = RESPONSE_BODY_LIMIT): string {
  let end = Math.min(body.length, limit);
  if (end < body.length) {
    while (end > 0 && ((body[end] ?? 0) & 0xc0) === 0x80) end--;
  }
  return body.subarray(0, end).toString('utf8').replaceAll('\u0000', '');
}

export interface OutgoingRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  /** Called once the whole request has been written to the connection (never if it was not). */
  onSent?: () => void;
  /** A TLS client certificate to present (mTLS); its requests get pools of their own. */
  clientCertificate?: ClientCertificate;
  /** Bytes of the answer kept; RESPONSE_BODY_LIMIT unless set (an OAuth token answer needs more). */
  responseBodyLimit?: number;
  /** Leave through this named proxy of `SenderOptions.egressProxies` rather than the default. */
  egressProxy?: string | null;
}

/** A client certificate and its key (PEM); `id` names the pair (pools are per origin and id). */
export interface ClientCertificate {
  id: string;
  cert: string;
  key: string;
}

export type SendResult = AttemptResult & { responseBody: string | null };

/**
 * The one seam between delivery logic and HTTP: send a signed request, get status, headers,
 * a truncated body, timing and an error class. Never throws.
 */
export interface HttpSender {
  send(req: OutgoingRequest): Promise<SendResult>;
  close(): void;
}

export interface SenderOptions {
  allow: AllowList;
  connectTimeoutMs: number;
  maxHosts: number;
  /** Sockets per origin (keep-alive pool size); 64 unless set. */
  maxSocketsPerHost?: number;
  /** DNS answers for the SSRF-checked lookup; the system resolver unless set (tests stub it). */
  resolve?: Resolver;
  /** PEM certificates of CAs trusted for endpoints in addition to node's own roots (DELIVERY_CA_FILE). */
  extraCaCertificates?: string;
  /** Send every request through this CONNECT proxy (EGRESS_PROXY_URL), the target judged here first. */
  egressProxy?: EgressProxy;
  /** Proxies a request may name instead (EGRESS_PROXIES). */
  egressProxies?: ReadonlyMap<string, EgressProxy>;
}

/** How a pool's sockets connect: TLS trust (undefined: node's default) and the proxy, if any. */
export interface PoolRoute {
  secureContext: SecureContext | undefined;
  proxy: EgressProxy | undefined;
}

/** Everything a transport needs once the target has been judged and its origin's pool chosen. */
export interface PreparedRequest<Pool> {
  url: URL;
  pool: Pool;
  connectMs: number;
  elapsed: () => number;
  /** Bytes of the answer to keep. */
  bodyLimit: number;
}

/**
 * What every sender shares: the URL and literal-IP checks, one keep-alive pool per origin
 * (bounded, least recently used goes first) and the SSRF-checked lookup on every new socket.
 * A transport only moves bytes; no redirects, no retries of its own.
 */
export abstract class PooledSender<Pool> implements HttpSender {
  private readonly pools = new Map<string, Pool>();
  /** The SSRF-checked lookup each new socket of a pool must connect through. */
  protected readonly lookup: ReturnType<typeof guardedLookup>;
  /**
   * The TLS trust of every https pool, built once: a `ca` list per pool would parse the ~150 roots
   * again for each origin. Undefined when only node's roots are trusted (its default context).
   */
  private readonly secureContext: SecureContext | undefined;

  constructor(protected readonly options: SenderOptions) {
    this.lookup = guardedLookup(options.allow, options.resolve);
    this.secureContext = options.extraCaCertificates === undefined ? undefined : createSecureContext({ ca: [...rootCertificates, options.extraCaCertificates] });
  }

  async send(req: OutgoingRequest): Promise<SendResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = new URL(req.url);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`unsupported scheme ${url.protocol}`);
    } catch (err) {
      return { kind: 'error', errorClass: 'invalid_url', message: (err as Error).message, durationMs: elapsed(), responseBody: null };
    }
    // Sockets skip the lookup for literal IPs, so those are judged here.
    const host = normaliseHost(url.hostname);
    if (isIP(host)) {
      const verdict = isAddressAllowed(host, host, this.options.allow);
      if (!verdict.allowed) {
        return { kind: 'error', errorClass: 'ssrf_refused', message: `${host} is in the ${verdict.range} range`, durationMs: elapsed(), responseBody: null };
      }
    }
    // The connect budget never outlasts the total one a subscription chose.
    const connectMs = Math.min(this.options.connectTimeoutMs, req.timeoutMs);
    let proxy = this.options.egressProxy;
    if (req.egressProxy) {
      proxy = this.options.egressProxies?.get(req.egressProxy);
      // Never direct instead: the partner allowlists the proxy's addresses, not ours.
      if (!proxy) return { kind: 'error', errorClass: 'egress_proxy', message: `no egress proxy named ${req.egressProxy} in this process's EGRESS_PROXIES`, durationMs: elapsed(), responseBody: null };
    }
    let pool: Pool;
    try {
      pool = this.poolFor(url, req.clientCertificate, req.egressProxy ?? '', proxy);
    } catch (err) {
      // A certificate or key node cannot load (the registry checks both; this is the backstop).
      return { kind: 'error', errorClass: 'tls', message: `client certificate: ${(err as Error).message}`.slice(0, 500), durationMs: elapsed(), responseBody: null };
    }
    return this.transport(req, { url, pool, connectMs, elapsed, bodyLimit: req.responseBodyLimit ?? RESPONSE_BODY_LIMIT });
  }

  protected abstract transport(req: OutgoingRequest, prepared: PreparedRequest<Pool>): Promise<SendResult>;

  /**
   * A keep-alive pool of up to `sockets` connections to `url`'s origin, whose new sockets connect
   * through `this.lookup` (or a tunnel through `route.proxy` to the address it approved) and, over
   * TLS, with `route.secureContext`. Idle sockets are kept up to the pool size: closing some after
   * each burst would make the next burst pay new handshakes (and reach the endpoint unevenly).
   */
  protected abstract createPool(url: URL, sockets: number, route: PoolRoute): Pool;

  protected abstract destroyPool(pool: Pool): void;

  /** The trust of every pool, plus a client certificate to present; one per pool that needs it. */
  private contextWith(cc: ClientCertificate): SecureContext {
    return createSecureContext({ cert: cc.cert, key: cc.key, ...(this.options.extraCaCertificates === undefined ? {} : { ca: [...rootCertificates, this.options.extraCaCertificates] }) });
  }

  close(): void {
    for (const pool of this.pools.values()) this.destroyPool(pool);
    this.pools.clear();
  }

  private poolFor(url: URL, clientCertificate: ClientCertificate | undefined, proxyName: string, proxy: EgressProxy | undefined): Pool {
    // A client certificate or a proxy is part of the connection: such sockets are never shared with others.
    const key = `${url.origin} ${clientCertificate?.id ?? ''} ${proxyName}`;
    let pool = this.pools.get(key);
    if (pool !== undefined) {
      // Map order doubles as recency for the bound below.
      this.pools.delete(key);
      this.pools.set(key, pool);
      return pool;
    }
    const context = clientCertificate && url.protocol === 'https:' ? this.contextWith(clientCertificate) : this.secureContext;
    pool = this.createPool(url, this.options.maxSocketsPerHost ?? 64, { secureContext: context, proxy });
    this.pools.set(key, pool);
    if (this.pools.size > this.options.maxHosts) {
      const [oldestKey, oldest] = this.pools.entries().next().value as [string, Pool];
      this.destroyPool(oldest);
      this.pools.delete(oldestKey);
    }
    return pool;
  }
}

/** A keep-alive pool of node's own. */
export type NodeAgent = HttpAgent | HttpsAgent;

/** A sender over node's own agents (node:http, and got on top of it). */
export abstract class AgentSender extends PooledSender<NodeAgent> {
  protected createPool(url: URL, sockets: number, { secureContext, proxy }: PoolRoute): NodeAgent {
    const opts = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, timeout: 60_000, lookup: this.lookup };
    const agent = url.protocol === 'https:' ? new HttpsAgent({ ...opts, ...(secureContext ? { secureContext } : {}) }) : new HttpAgent(opts);
    if (proxy) {
      const connector = proxiedConnector(proxy, this.lookup, this.options.connectTimeoutMs, secureContext);
      // node's agents take a socket from createConnection(options, oncreate), asynchronously
      // too; its typings only know the synchronous form, hence the cast.
      (agent as unknown as { createConnection: unknown }).createConnection = proxiedAgentConnection(connector, url.protocol === 'https:' ? 'https:' : 'http:');
    }
    return agent;
  }

  protected destroyPool(agent: NodeAgent): void {
    agent.destroy();
  }
}

/**
 * OpenSSL's verdicts on the endpoint's certificate (as node names them): the handshake worked,
 * but the certificate is expired, for another host, or from a CA nobody here trusts. Their own
 * class, because the fix is the endpoint owner's (renew, reissue) and not a network problem.
 */
const CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_CHAIN_TOO_LONG',
  'CRL_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'INVALID_CA',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Error codes of sockets, DNS and TLS, as the transports see them, to an error class. */
export function classifyErrorCode(code: string, causeCode?: string): Exclude<ErrorClass, 'http_status'> {
  if (code === 'ESSRF' || causeCode === 'ESSRF') return 'ssrf_refused';
  if (code === 'EPROXY' || causeCode === 'EPROXY') return 'egress_proxy';
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (CERTIFICATE_CODES.has(code) || CERTIFICATE_CODES.has(causeCode ?? '')) return 'certificate';
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code.includes('CERT') || code === 'EPROTO') return 'tls';
  if (code === 'ERR_INVALID_URL') return 'invalid_url';
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED'].includes(code)) return 'connection';
  return 'unknown';
}

/** The decompressor for a response's `content-encoding`, or null when its body is stored as sent. */
export function decoderFor(contentEncoding: string | string[] | undefined): Transform | null {
  const encoding = String(contentEncoding ?? '').trim().toLowerCase();
  if (encoding === 'gzip' || encoding === 'x-gzip') return createGunzip();
  if (encoding === 'deflate') return createInflate();
  if (encoding === 'br') return createBrotliDecompress();
  return null;
}
