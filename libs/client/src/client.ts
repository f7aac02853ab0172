import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { ROUTES, type Service } from './routes.js';
import type { paths } from './schema.js';

export interface HookstreamClientOptions {
  /** A tenant API key (hsk_…), or the admin key. */
  apiKey: string;
  /**
   * Where this deployment's services answer (`npm start`: 3000, 3001 and 3004 on 127.0.0.1):
   * each operation goes to the service docs/openapi.json names for it.
   */
  urls: Record<Service, string>;
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
  const missing = [...new Set<Service>(Object.values(ROUTES))].filter((s) => !options.urls[s]);
  if (missing.length > 0) throw new Error(`createHookstreamClient: no URL for ${missing.join(', ')}`);
  const routing: Middleware = {
    onRequest({ request, schemaPath }) {
      const service = ROUTES[`${request.method} ${schemaPath}`];
      if (!service) throw new Error(`${request.method} ${schemaPath} is not an operation of docs/openapi.json`);
      const url = new URL(request.url);
      const target = new URL(`${url.pathname}${url.search}`, options.urls[service]);
      const routed = new Request(target, request);
      routed.headers.set('authorization', `Bearer ${options.apiKey}`);
      return routed;
    },
  };
  const client = createClient<paths>({ baseUrl: PLACEHOLDER, ...(options.fetch ? { fetch: options.fetch } : {}) });
  client.use(routing);
  return client;
}
