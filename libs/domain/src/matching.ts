import { EVENT_TYPE_SEGMENT } from '@hookstream/contracts';

/**
 * Subscription filters are exact types (`order.placed`), a prefix (`order.*`, which matches
 * `order.placed` and `order.item.added` but not `order` itself) or everything (`*`).
 */
export function eventTypeMatches(filter: string, type: string): boolean {
  if (filter === '*') return true;
  if (filter.endsWith('.*')) return type.startsWith(filter.slice(0, -1));
  return filter === type;
}

const FILTER_PATTERN = new RegExp(`^${EVENT_TYPE_SEGMENT}(?:\\.${EVENT_TYPE_SEGMENT})*(?:\\.\\*)?$`);

/** An event type, a prefix ending in `.*`, or `*`. A `/` is part of a segment: `policy/*` is no prefix. */
export function isValidFilter(filter: string): boolean {
  return filter === '*' || FILTER_PATTERN.test(filter);
}

interface Indexed {
  id: string;
  tenant_id: string;
  event_types: readonly string[];
  /** Types never delivered even when a filter matches (exact or `prefix.*`). */
  excluded_event_types?: readonly string[];
  enabled: boolean;
}

interface TenantIndex<T> {
  exact: Map<string, Map<string, T>>;
  prefix: Map<string, Map<string, T>>;
  all: Map<string, T>;
}

/**
 * In-memory index of subscriptions. A lookup costs one map probe per segment of the event
 * type, independent of how many subscriptions a tenant has.
 */
export class SubscriptionIndex<T extends Indexed> {
  private readonly byId = new Map<string, T>();
  private readonly tenants = new Map<string, TenantIndex<T>>();

  get size(): number {
    return this.byId.size;
  }

  get(id: string): T | undefined {
    return this.byId.get(id);
  }

  /** Every subscription held, enabled or not. */
  values(): IterableIterator<T> {
    return this.byId.values();
  }

  upsert(sub: T): void {
    this.remove(sub.id);
    this.byId.set(sub.id, sub);
    const tenant = this.tenantIndex(sub.tenant_id);
    for (const filter of sub.event_types) {
      if (filter === '*') tenant.all.set(sub.id, sub);
      else if (filter.endsWith('.*')) bucket(tenant.prefix, filter.slice(0, -2)).set(sub.id, sub);
      else bucket(tenant.exact, filter).set(sub.id, sub);
    }
  }

  remove(id: string): void {
    const old = this.byId.get(id);
    if (!old) return;
    this.byId.delete(id);
    const tenant = this.tenants.get(old.tenant_id);
    if (!tenant) return;
    tenant.all.delete(id);
    for (const filter of old.event_types) {
      if (filter.endsWith('.*')) tenant.prefix.get(filter.slice(0, -2))?.delete(id);
      else tenant.exact.get(filter)?.delete(id);
    }
  }

  /**
   * Subscriptions of the tenant whose filters match the type and no exclusion does, each once:
   * the enabled ones, or with `includeDisabled` the disabled ones too (fan-out records their
   * matches: the catch-up feed and recover need them).
   */
  match(tenantId: string, type: string, includeDisabled = false): T[] {
    const tenant = this.tenants.get(tenantId);
    if (!tenant) return [];
    const found = new Map<string, T>();
    const add = (m: Map<string, T> | undefined) => m?.forEach((s, id) => (includeDisabled || s.enabled) && found.set(id, s));
    add(tenant.all);
    add(tenant.exact.get(type));
    // `order.item.added` is matched by the prefixes `order` and `order.item`.
    let dot = type.indexOf('.');
    while (dot !== -1) {
      add(tenant.prefix.get(type.slice(0, dot)));
      dot = type.indexOf('.', dot + 1);
    }
    return [...found.values()].filter((s) => !s.excluded_event_types?.some((x) => eventTypeMatches(x, type)));
  }

  private tenantIndex(tenantId: string): TenantIndex<T> {
    let tenant = this.tenants.get(tenantId);
    if (!tenant) {
      tenant = { exact: new Map(), prefix: new Map(), all: new Map() };
      this.tenants.set(tenantId, tenant);
    }
    return tenant;
  }
}

function bucket<T>(map: Map<string, Map<string, T>>, key: string): Map<string, T> {
  let m = map.get(key);
  if (!m) {
    m = new Map();
    map.set(key, m);
  }
  return m;
}

export type SkipReason = 'disabled' | 'no_matching_filter' | 'excluded';

export type MatchExplanation =
  | { receives: true; matchedFilter: string }
  | { receives: false; reasons: Array<{ code: SkipReason; message: string }> };

/**
 * Why a subscription would or would not receive an event of this type: the same rules as
 * SubscriptionIndex.match, one subscription at a time, naming every reason that applies.
 */
export function explainMatch(sub: Omit<Indexed, 'id' | 'tenant_id'> & { disabled_reason?: string | null }, type: string): MatchExplanation {
  const reasons: Array<{ code: SkipReason; message: string }> = [];
  const matchedFilter = sub.event_types.find((f) => eventTypeMatches(f, type));
  if (matchedFilter === undefined) reasons.push({ code: 'no_matching_filter', message: `none of its filters (${sub.event_types.join(', ')}) matches ${type}` });
  const exclusion = sub.excluded_event_types?.find((x) => eventTypeMatches(x, type));
  if (exclusion !== undefined) reasons.push({ code: 'excluded', message: `${type} is excluded by ${exclusion}` });
  if (!sub.enabled) reasons.push({ code: 'disabled', message: `the subscription is disabled${sub.disabled_reason ? ` (${sub.disabled_reason})` : ''}` });
  return reasons.length === 0 && matchedFilter !== undefined ? { receives: true, matchedFilter } : { receives: false, reasons };
}
