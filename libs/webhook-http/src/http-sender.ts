import { Agent as HttpAgent, type IncomingMessage, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import type { ErrorClass } from '@hookstream/contracts';
import { type AllowList, type AttemptResult, isAddressAllowed, normaliseHost } from '@hookstream/domain';
import got, { type RequestError } from 'got';
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

export interface GotSenderOptions {
  allow: AllowList;
  connectTimeoutMs: number;
  maxHosts: number;
  /** Sockets per origin (keep-alive pool size); 64 unless set. */
  maxSocketsPerHost?: number;
  /** DNS answers for the SSRF-checked lookup; the system resolver unless set (tests stub it). */
  resolve?: Resolver;
}

/**
 * got, with one keep-alive agent per origin (bounded), no redirects, no got retries, a connect
 * and a total timeout, and the SSRF-checked lookup on every new socket.
 */
export class GotSender implements HttpSender {
  private readonly agents = new Map<string, HttpAgent | HttpsAgent>();
  private readonly lookup;

  constructor(private readonly options: GotSenderOptions) {
    this.lookup = guardedLookup(options.allow, options.resolve);
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
    const agent = this.agentFor(url);
    const connectMs = Math.min(this.options.connectTimeoutMs, req.timeoutMs);
    return new Promise<SendResult>((resolve) => {
      let settled = false;
      const chunks: Buffer[] = [];
      let size = 0;
      let statusCode = 0;
      let headers: Record<string, string | string[] | undefined> = {};
      const finish = (result: SendResult) => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const respond = () => finish({ kind: 'response', statusCode, headers, durationMs: elapsed(), responseBody: storableBody(Buffer.concat(chunks)) });
      const stream = got.stream.post(url, {
        body: req.body,
        headers: req.headers,
        agent: { http: agent, https: agent as HttpsAgent },
        // The connect budget never outlasts the total one a subscription chose.
        timeout: { connect: connectMs, lookup: connectMs, request: req.timeoutMs },
        retry: { limit: 0 },
        followRedirect: false,
        throwHttpErrors: false,
        decompress: true,
        // Creates the request itself so that 'finish' (the whole request handed to the connection)
        // is watched from the first byte on; got announces its request too late to rely on.
        request: (target: URL, options: RequestOptions, callback?: (res: IncomingMessage) => void) => {
          const request = target.protocol === 'https:' ? httpsRequest(target, options, callback) : httpRequest(target, options, callback);
          if (req.onSent) request.once('finish', req.onSent);
          return request;
        },
      });
      stream.on('response', (res: { statusCode: number; headers: Record<string, string | string[] | undefined> }) => {
        statusCode = res.statusCode;
        headers = res.headers;
      });
      stream.on('data', (chunk: Buffer) => {
        if (size < RESPONSE_BODY_LIMIT) chunks.push(chunk);
        size += chunk.length;
        // Only the first 4 KiB are kept; a huge body is not read to the end.
        if (size >= RESPONSE_BODY_LIMIT) {
          respond();
          stream.destroy();
        }
      });
      stream.on('end', respond);
      stream.on('error', (err: RequestError) => {
        if (settled) return;
        if (statusCode && err.code !== 'ETIMEDOUT') return respond();
        finish({ kind: 'error', errorClass: classifyError(err), message: describe(err), durationMs: elapsed(), responseBody: null });
      });
    });
  }

  close(): void {
    for (const agent of this.agents.values()) agent.destroy();
    this.agents.clear();
  }

  private agentFor(url: URL): HttpAgent | HttpsAgent {
    const key = url.origin;
    let agent = this.agents.get(key);
    if (agent) {
      // Map order doubles as recency for the bound below.
      this.agents.delete(key);
      this.agents.set(key, agent);
      return agent;
    }
    // Idle sockets are kept up to the pool size: closing some after each burst would make the
    // next burst pay new handshakes (and reach the endpoint unevenly).
    const sockets = this.options.maxSocketsPerHost ?? 64;
    const opts = { keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets, timeout: 60_000, lookup: this.lookup };
    agent = url.protocol === 'https:' ? new HttpsAgent(opts) : new HttpAgent(opts);
    this.agents.set(key, agent);
    if (this.agents.size > this.options.maxHosts) {
      const [oldestKey, oldest] = this.agents.entries().next().value as [string, HttpAgent];
      oldest.destroy();
      this.agents.delete(oldestKey);
    }
    return agent;
  }
}

function classifyError(err: RequestError): Exclude<ErrorClass, 'http_status'> {
  const code = err.code ?? '';
  if (code === 'ESSRF' || (err.cause as { code?: string } | undefined)?.code === 'ESSRF') return 'ssrf_refused';
  if (code === 'ETIMEDOUT') return 'timeout';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code === 'EPROTO') return 'tls';
  if (code === 'ERR_INVALID_URL') return 'invalid_url';
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE'].includes(code)) return 'connection';
  return 'unknown';
}

function describe(err: RequestError): string {
  const timing = err.code === 'ETIMEDOUT' ? ` (${(err as RequestError & { event?: string }).event ?? 'request'} timeout)` : '';
  return `${err.code ?? 'error'}: ${err.message}${timing}`.slice(0, 500);
}
