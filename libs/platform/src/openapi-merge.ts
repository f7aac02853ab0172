import { API_VERSION } from './openapi.js';

/** One service's own OpenAPI document (what it serves at /docs/openapi.json) and where it is reached. */
export interface ServiceDocument {
  service: string;
  /** The base URL its operations are called at by default (a server variable a client may change). */
  baseUrl: string;
  document: Record<string, unknown>;
}

type JsonObject = Record<string, unknown>;

/**
 * Where `npm start` serves each service (scripts/start.mjs): the committed docs/openapi.json
 * names these as its servers' defaults, whatever ports the process that built it used.
 */
export const LOCAL_BASE_URLS = {
  'ingress-gateway': 'http://127.0.0.1:3000',
  'subscription-registry': 'http://127.0.0.1:3001',
  dispatcher: 'http://127.0.0.1:3002',
  'retry-scheduler': 'http://127.0.0.1:3003',
  'dlq-inspector': 'http://127.0.0.1:3004',
} as const;
interface ServiceDoc {
  paths?: Record<string, Record<string, JsonObject>>;
  components?: Record<string, Record<string, unknown>>;
}

/** Probes, the metrics scrape and the documents themselves: for Kubernetes and Prometheus, not API clients. */
const OPERATIONAL = /^\/(health|metrics|docs)(\/|$)/;

/** `subscription-registry` → `subscriptionRegistry`: a server variable's name. */
const variableOf = (service: string) => service.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * The one public API document: every operation a tenant, a partner integration or on-call calls,
 * from each service's own document, with the service it is served by as the operation's server
 * (a variable, so a client points it at its deployment). Paths, tags and shared components are
 * merged; an operationId used twice or a component defined two ways is a bug, and throws.
 */
export function publicApiDocument(services: readonly ServiceDocument[]): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  const components: Record<string, Record<string, unknown>> = {};
  const tags = new Map<string, string>();
  const operationIds = new Map<string, string>();
  const served: ServiceDocument[] = [];
  for (const entry of services) {
    const { service, baseUrl, document } = entry;
    const doc = document as ServiceDoc;
    const variable = variableOf(service);
    const servers = [{ url: `{${variable}}`, description: service, variables: { [variable]: { default: baseUrl, description: `Where this deployment's ${service} answers` } } }];
    let used = false;
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      if (OPERATIONAL.test(path)) continue;
      for (const [method, operation] of Object.entries(item)) {
        const id = String(operation['operationId']);
        const where = `${service} ${method.toUpperCase()} ${path}`;
        const before = operationIds.get(id);
        if (before) throw new Error(`operationId ${id} is used by ${before} and ${where}`);
        operationIds.set(id, where);
        for (const tag of (operation['tags'] as string[] | undefined) ?? []) if (!tags.has(tag)) tags.set(tag, service);
        if ((paths[path] ??= {})[method]) throw new Error(`${where} is served by two services`);
        (paths[path])[method] = { ...operation, servers };
        used = true;
      }
    }
    if (!used) continue;
    served.push(entry);
    for (const [kind, entries] of Object.entries(doc.components ?? {})) {
      for (const [name, value] of Object.entries(entries)) {
        const known = (components[kind] ??= {})[name];
        if (known !== undefined && JSON.stringify(known) !== JSON.stringify(value)) throw new Error(`components.${kind}.${name} differs between services (${service})`);
        (components[kind])[name] = value;
      }
    }
  }
  const sorted = <T>(o: Record<string, T>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
  const [first] = served;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hookstream API',
      version: API_VERSION,
      description: [
        'Everything a tenant, a partner integration or on-call calls, across the services that serve it: events in and partner callbacks (ingress-gateway), tenants, keys, subscriptions and the event catalog (subscription-registry), delivery history, dead letters, replay and quarantine (dlq-inspector).',
        'Each operation names the service that serves it as its server, a variable to point at a deployment. Authenticate with `Authorization: Bearer <API key>`. Errors answer `{ "code", "message", "details" }`; `details` names each failing field by its path.',
        'List routes page with `limit` and `cursor`, and answer `next_cursor` (null on the last page). A tenant key sees only its own tenant; an admin key names the tenant with `tenant_id`.',
      ].join('\n\n'),
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    servers: first ? [{ url: first.baseUrl, description: `${first.service}; each operation names the service that serves it` }] : [],
    tags: [...tags].sort(([a], [b]) => a.localeCompare(b)).map(([name, service]) => ({ name, description: `${name}, served by the ${service}` })),
    components: sorted(Object.fromEntries(Object.entries(components).map(([k, v]) => [k, sorted(v)]))),
    paths: sorted(paths),
  };
}
