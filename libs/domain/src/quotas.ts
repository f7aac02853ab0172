import { DomainError } from './errors.js';

/**
 * Per-tenant quotas. Each has a platform default (typed config at boot), an optional override per
 * tenant set by an operator, and a ceiling no override may pass (what the API validates anyway, or
 * what one tenant may cost the platform).
 */
export const QUOTAS = {
  subscriptions: { kind: 'count', ceiling: 100_000, description: 'live subscriptions' },
  event_types: { kind: 'count', ceiling: 100_000, description: 'event types in the catalog (Hookstream’s own not counted)' },
  api_keys: { kind: 'count', ceiling: 1000, description: 'API keys not revoked' },
  active_secrets_per_subscription: { kind: 'count', ceiling: 5, description: 'signing secrets of one subscription active at once (every one signs every attempt)' },
  filters_per_subscription: { kind: 'size', ceiling: 100, description: 'entries in event_types, and in excluded_event_types, of one subscription' },
  filter_length: { kind: 'size', ceiling: 1024, description: 'characters in one filter' },
  headers_per_subscription: { kind: 'size', ceiling: 20, description: 'custom headers of one subscription' },
  header_bytes: { kind: 'size', ceiling: 65_536, description: 'bytes of one subscription’s custom header names and values together' },
  metadata_bytes: { kind: 'size', ceiling: 65_536, description: 'bytes of one subscription’s metadata as JSON' },
  replay_jobs: { kind: 'concurrency', ceiling: 100, description: 'replay jobs queued or running at once' },
  endpoint_tests_per_minute: { kind: 'rate', ceiling: 6000, description: 'subscription test sends per minute' },
  endpoint_tests_per_minute_per_origin: { kind: 'rate', ceiling: 6000, description: 'subscription test sends per minute to one target origin' },
  config_writes_per_minute: { kind: 'rate', ceiling: 60_000, description: 'changes to the tenant’s configuration per minute (every POST, PUT, PATCH or DELETE to the registry), in bursts of up to a sixth of it' },
} as const satisfies Record<string, { kind: 'count' | 'size' | 'concurrency' | 'rate'; ceiling: number; description: string }>;

export type QuotaName = keyof typeof QUOTAS;
export type QuotaLimits = Record<QuotaName, number>;
export const QUOTA_NAMES = Object.keys(QUOTAS) as QuotaName[];

export function isQuotaName(name: string): name is QuotaName {
  return Object.hasOwn(QUOTAS, name);
}

/** The limits in force for a tenant: its overrides where it has them, the defaults elsewhere. */
export function effectiveQuotas(defaults: QuotaLimits, overrides: Partial<Record<string, unknown>>): QuotaLimits {
  const out = { ...defaults };
  for (const name of QUOTA_NAMES) {
    const v = overrides[name];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) out[name] = Math.min(v, QUOTAS[name].ceiling);
  }
  return out;
}

export interface QuotaProblem {
  path: string;
  message: string;
  quota: QuotaName;
  limit: number;
}

/** A refusal: 422 for a count or a size, 429 for a rate or concurrent work. */
export function quotaError(problems: QuotaProblem[], retryAfterSeconds?: number): DomainError {
  const first = problems[0];
  const name = first?.quota ?? 'subscriptions';
  const kind = QUOTAS[name].kind;
  const message = `quota exceeded: ${problems.map((p) => `${p.quota} (limit ${p.limit})`).join(', ')}`;
  if (kind === 'rate' || kind === 'concurrency') {
    return new DomainError('quota_rate_limited', message, { problems, retry_after_seconds: Math.max(1, Math.ceil(retryAfterSeconds ?? 1)) });
  }
  return new DomainError('quota_exceeded', message, problems);
}

/** Refuses one more of a counted resource when `used` already fills the limit. */
export function checkCount(quota: QuotaName, used: number, limits: QuotaLimits, path = '(root)'): void {
  const limit = limits[quota];
  if (used >= limit) throw quotaError([{ path, quota, limit, message: `at most ${limit} ${QUOTAS[quota].description}; ${used} in use` }]);
}

export interface SubscriptionShape {
  event_types?: readonly string[] | undefined;
  excluded_event_types?: readonly string[] | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  metadata?: Readonly<Record<string, string>> | undefined;
}

/** What in a subscription's filters, headers and metadata goes beyond the tenant's quotas. */
export function subscriptionShapeProblems(shape: SubscriptionShape, limits: QuotaLimits): QuotaProblem[] {
  const problems: QuotaProblem[] = [];
  const over = (path: string, quota: QuotaName, what: string) => problems.push({ path, quota, limit: limits[quota], message: `${what}: at most ${limits[quota]} (quota ${quota})` });
  for (const field of ['event_types', 'excluded_event_types'] as const) {
    const filters = shape[field];
    if (!filters) continue;
    if (filters.length > limits.filters_per_subscription) over(field, 'filters_per_subscription', `${filters.length} filters`);
    filters.forEach((f, i) => {
      if (f.length > limits.filter_length) over(`${field}.${i}`, 'filter_length', `${f.length} characters`);
    });
  }
  if (shape.headers) {
    const names = Object.keys(shape.headers);
    if (names.length > limits.headers_per_subscription) over('headers', 'headers_per_subscription', `${names.length} headers`);
    const bytes = names.reduce((n, k) => n + Buffer.byteLength(k) + Buffer.byteLength(shape.headers?.[k] ?? ''), 0);
    if (bytes > limits.header_bytes) over('headers', 'header_bytes', `${bytes} bytes`);
  }
  if (shape.metadata) {
    const bytes = Buffer.byteLength(JSON.stringify(shape.metadata));
    if (bytes > limits.metadata_bytes) over('metadata', 'metadata_bytes', `${bytes} bytes`);
  }
  return problems;
}
