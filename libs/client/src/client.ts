import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ROUTES, type Service } from './routes.js';
import type { paths } from './schema.js';

export interface HookstreamClientOptions {
  /** A tenant API key (hsk_…), or the admin key. */
  apiKey: string;
  /**
   * Where this deployment's services answer (`npm start`: 3000, 3001 and 3004 on 127.0.0.1):
   * each operation goes to the service docs/openapi.json names for it. A client that never calls
   * one service (the on-call CLI and the gateway) may leave it out: its operations then throw.
   */
  urls: Partial<Record<Service, string>>;
  /** A fetch of your own (a proxy, a test double); the global one otherwise. */
  fetch?: typeof globalThis.fetch;
}

export type HookstreamClient = Client<paths>;

/** The base URL the operations are first built on, before the router sends each to its service. */
const PLACEHOLDER = 'http://hookstream.invalid';

/**
 * The Hookstream API, typed from docs/openapi.json (openapi-fetch):
 *
 *   const hs = createHookstreamClient({ apiKey, urls: { ingressGateway, subscriptionRegistry, dlqInspector } });
 *   const { data, error } = await hs.POST('/v1/subscriptions', { body: { url, event_types: ['order.*'] } });
 *
 * Paths, parameters, bodies and answers are checked by the compiler. `error` is the API's
 * `{ code, message, details }` on a 4xx or 5xx; a network failure throws.
 */
export function createHookstreamClient(options: HookstreamClientOptions): HookstreamClient {
  const given = (Object.entries(options.urls) as Array<[Service, string | undefined]>).filter(([, url]) => url !== undefined);
  const empty = given.filter(([, url]) => !url).map(([service]) => service);
  if (given.length === 0 || empty.length > 0) throw new Error(`createHookstreamClient: no URL for ${empty.length ? empty.join(', ') : 'any service'}`);
  const routing: Middleware = {
    async onRequest({ request, schemaPath }) {
      const service = ROUTES[`${request.method} ${schemaPath}`];
      if (!service) throw new Error(`${request.method} ${schemaPath} is not an operation of docs/openapi.json`);
      const base = options.urls[service];
      if (!base) throw new Error(`${request.method} ${schemaPath} is served by ${service}, and this client was given no URL for it`);
      const url = new URL(request.url);
      // Appended, not resolved: a service behind a path prefix (the console's /api/dlq-inspector) keeps it.
      const target = new URL(`${base.replace(/\/+$/, '')}${url.pathname}${url.search}`);
      // The body is read out and sent whole, as openapi-fetch built it: a Request made on another
      // Request's body is a streamed upload, which Chrome sends only over HTTP/2 (on HTTP/1.1 it
      // fails with ERR_ALPN_NEGOTIATION_FAILED), so a browser's POST never left the page.
      const body = request.body === null ? null : await request.arrayBuffer();
      const routed = new Request(target, { method: request.method, headers: request.headers, body, signal: request.signal, redirect: request.redirect });
      routed.headers.set('authorization', `Bearer ${options.apiKey}`);
      return routed;
    },
  };
  const client = createClient<paths>({ baseUrl: PLACEHOLDER, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use(routing);
  return client;
}
