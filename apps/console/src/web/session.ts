import { createHookstreamClient, type HookstreamClient } from '@hookstream/client';

/**
 * Who is signed in: the API key and, for an admin key, the tenant it looks at. Kept in this tab's
 * sessionStorage (gone when the tab closes, never shared with other tabs or written to
 * localStorage), and sent only to this origin.
 */
export interface Session {
  apiKey: string;
  /** The tenant an admin key acts for; null for a tenant key (its own tenant) or an admin looking at every tenant. */
  tenantId: string | null;
  /** What the key is (GET /v1/api-keys/current): the console offers only what its scopes allow. */
  identity: Identity;
}

export interface Identity {
  kind: 'tenant' | 'admin';
  /** A tenant key's own tenant; null for an admin key. */
  tenantId: string | null;
  scopes: readonly string[];
}

/** Whether the key may do what `scope` allows (the API refuses it anyway when not). */
export function can(session: Session, scope: string): boolean {
  return session.identity.kind === 'admin' || session.identity.scopes.includes(scope);
}

/**
 * The tenant the tenant-level pages act for: a tenant key's own, or the one an admin key named.
 * null: an admin looking at every tenant, which lists allow and tenant-level pages do not.
 */
export function actingTenant(session: Session): string | null {
  return session.identity.kind === 'tenant' ? session.identity.tenantId : session.tenantId;
}

const STORE_KEY = 'hookstream.console.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    const identity = parsed.identity;
    if (typeof parsed.apiKey !== 'string' || !parsed.apiKey || !identity || !Array.isArray(identity.scopes)) return null;
    return { apiKey: parsed.apiKey, tenantId: typeof parsed.tenantId === 'string' ? parsed.tenantId : null, identity };
  } catch {
    return null;
  }
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(STORE_KEY, JSON.stringify(session));
}

export function clearSession(): void {
  sessionStorage.removeItem(STORE_KEY);
}

/** The typed API client; the console's server forwards `/api/<service>/v1/…` to each service. */
export function apiFor(session: Pick<Session, 'apiKey'>): HookstreamClient {
  const origin = window.location.origin;
  return createHookstreamClient({
    apiKey: session.apiKey,
    urls: {
      ingressGateway: `${origin}/api/ingress-gateway`,
      subscriptionRegistry: `${origin}/api/subscription-registry`,
      dlqInspector: `${origin}/api/dlq-inspector`,
    },
  });
}

/** The API's `{ code, message, details }`, or what a network failure amounts to. */
export interface ApiProblem {
  code: string;
  message: string;
  /** Each failing field's message by its path (`url`, `event_types.0`), when the API named them. */
  fields?: Readonly<Record<string, string>>;
}

export function problemOf(error: unknown, status?: number): ApiProblem {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const { code, message } = error;
    if (typeof code === 'string' && typeof message === 'string') {
      const fields = fieldsOf('details' in error ? error.details : null);
      return fields ? { code, message, fields } : { code, message };
    }
  }
  if (error instanceof Error) return { code: 'network_error', message: error.message };
  return { code: status ? `http_${String(status)}` : 'unknown', message: 'the API answered something the console does not understand' };
}

/** The API's validation details (`[{ path, message }]`) as a field → message map. */
export function fieldsOf(details: unknown): Record<string, string> | undefined {
  if (!Array.isArray(details)) return undefined;
  const fields: Record<string, string> = {};
  for (const d of details as unknown[]) {
    if (d && typeof d === 'object' && 'path' in d && 'message' in d && typeof d.path === 'string' && typeof d.message === 'string') fields[d.path] ??= d.message;
  }
  return Object.keys(fields).length ? fields : undefined;
}
