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
}

const STORE_KEY = 'hookstream.console.session';

export function loadSession(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<Session>;
    return typeof parsed.apiKey === 'string' && parsed.apiKey ? { apiKey: parsed.apiKey, tenantId: typeof parsed.tenantId === 'string' ? parsed.tenantId : null } : null;
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
export function apiFor(session: Session): HookstreamClient {
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
}

export function problemOf(error: unknown, status?: number): ApiProblem {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const { code, message } = error;
    if (typeof code === 'string' && typeof message === 'string') return { code, message };
  }
  if (error instanceof Error) return { code: 'network_error', message: error.message };
  return { code: status ? `http_${String(status)}` : 'unknown', message: 'the API answered something the console does not understand' };
}
