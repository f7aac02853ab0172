import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Logger } from '@hookstream/platform/standalone';
import type { ConsoleConfig } from './config.js';
import { COMMON_HEADERS } from './security-headers.js';

/** The path prefix under which the browser reaches each service: `/api/dlq-inspector/v1/deliveries`. */
export const SERVICE_PREFIXES = {
  ingressGateway: 'ingress-gateway',
  subscriptionRegistry: 'subscription-registry',
  dlqInspector: 'dlq-inspector',
} as const;

export type ConsoleService = keyof typeof SERVICE_PREFIXES;

/** What the browser may send on: the key, the body's type, and what the public API reads. */
const FORWARDED_REQUEST_HEADERS = ['authorization', 'content-type', 'content-length', 'accept', 'idempotency-key', 'last-event-id', 'traceparent'];

/** Never passed back: connection-level headers, and cookies (the console has none, and no service should set one through it). */
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-authenticate', 'trailer', 'upgrade', 'set-cookie', 'set-cookie2', 'access-control-allow-origin', 'access-control-allow-credentials']);

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

export type UpstreamTarget =
  | { kind: 'forward'; service: ConsoleService; url: URL }
  | { kind: 'refused'; status: number; code: string; message: string };

/**
 * Where a browser request under `/api/` goes. Only the public API (`/v1/…`) of the three services
 * is reachable: never their metrics, probes or documents, and never another host. `pathname` has
 * been normalised by the URL parser already, so `..` and `%2e%2e` cannot climb out of `/v1/`.
 */
export function upstreamFor(pathname: string, search: string, method: string, config: Pick<ConsoleConfig, 'INGRESS_GATEWAY_URL' | 'SUBSCRIPTION_REGISTRY_URL' | 'DLQ_INSPECTOR_URL'>): UpstreamTarget {
  const match = /^\/api\/([a-z-]+)(\/v1\/.*)$/.exec(pathname);
  const service = match ? (Object.keys(SERVICE_PREFIXES) as ConsoleService[]).find((s) => SERVICE_PREFIXES[s] === match[1]) : undefined;
  if (!match?.[2] || !service) return { kind: 'refused', status: 404, code: 'not_found', message: 'the console forwards only /api/{ingress-gateway|subscription-registry|dlq-inspector}/v1/…' };
  if (!METHODS.has(method)) return { kind: 'refused', status: 405, code: 'method_not_allowed', message: `${method} is not forwarded` };
  const base = { ingressGateway: config.INGRESS_GATEWAY_URL, subscriptionRegistry: config.SUBSCRIPTION_REGISTRY_URL, dlqInspector: config.DLQ_INSPECTOR_URL }[service];
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/$/, '')}${match[2]}`;
  url.search = search;
  return { kind: 'forward', service, url };
}

export function sendJsonError(res: ServerResponse, status: number, code: string, message: string, details: Record<string, unknown> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...COMMON_HEADERS, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  res.end(JSON.stringify({ code, message, details }));
}

/**
 * Streams the request to the service and its answer back (the live tail's server-sent events
 * included), with the console's own security headers over the service's. A service that does not
 * answer is a 502 or 504 with a code, never a hung page.
 */
export function forward(req: IncomingMessage, res: ServerResponse, target: Extract<UpstreamTarget, { kind: 'forward' }>, timeoutMs: number, logger: Logger): void {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED_REQUEST_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const send = target.url.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target.url, { method: req.method, headers });
  const timer = setTimeout(() => upstream.destroy(new UpstreamTimeout()), timeoutMs);
  upstream.on('response', (answer) => {
    clearTimeout(timer);
    const out: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(answer.headers)) if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name)) out[name] = value;
    res.writeHead(answer.statusCode ?? 502, { ...out, ...COMMON_HEADERS, 'cache-control': 'no-store' });
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  upstream.on('error', (err) => {
    clearTimeout(timer);
    // A browser that left is not a failure of the service; anything else is on-call's to see.
    if (!res.destroyed) logger.warn({ err, service: SERVICE_PREFIXES[target.service], method: req.method, path: target.url.pathname }, 'forwarding to a service failed');
    if (err instanceof UpstreamTimeout) sendJsonError(res, 504, 'upstream_timeout', `${SERVICE_PREFIXES[target.service]} did not answer within ${timeoutMs} ms`, { service: SERVICE_PREFIXES[target.service] });
    else sendJsonError(res, 502, 'upstream_unavailable', `${SERVICE_PREFIXES[target.service]} could not be reached`, { service: SERVICE_PREFIXES[target.service] });
  });
  // The browser went away (a closed tab, a live tail stopped): so does the forwarded request.
  res.on('close', () => {
    clearTimeout(timer);
    if (!upstream.destroyed) upstream.destroy();
  });
  req.pipe(upstream);
}

class UpstreamTimeout extends Error {
  constructor() {
    super('upstream timeout');
  }
}
