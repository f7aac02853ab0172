/**
 * The list pages' filters: what the form holds, checked the way the API checks it, turned into
 * the API's query. A bad value is reported against its field before any request is sent.
 */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failing', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface ListFilters {
  status?: string;
  event_type?: string;
  subscription_id?: string;
  status_code?: string;
  error_class?: string;
  /** As the browser's date-time input gives it: local time, no zone. */
  since?: string;
  until?: string;
  /** The tenant an admin key looks at; a tenant key's own tenant otherwise. */
  tenant_id?: string;
}

export type FilterCheck = { ok: true; query: Record<string, string> } | { ok: false; field: keyof ListFilters; message: string };

/** As the API defines a tenant id. */
export const TENANT = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Local date-time text (`2026-12-07T10:30`) → ISO 8601 in UTC, or null when it is not a date. */
export function localToIso(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return null;
  const d = new Date(local);
  const year = d.getFullYear();
  // Year 0000 and its like are not times anyone's deliveries happened at (and Postgres refuses some).
  if (Number.isNaN(d.getTime()) || year < 1970 || year > 9999) return null;
  return d.toISOString();
}

/** NUL and the other C0 controls: never part of a name the API stores. */
function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x20) return true;
  return false;
}

export function checkFilters(f: ListFilters): FilterCheck {
  const query: Record<string, string> = {};
  const text = (v: string | undefined) => (v ?? '').trim();
  const status = text(f.status);
  if (status) {
    if (!(DELIVERY_STATUSES as readonly string[]).includes(status)) return { ok: false, field: 'status', message: `one of ${DELIVERY_STATUSES.join(', ')}` };
    query['status'] = status;
  }
  const eventType = text(f.event_type);
  if (eventType) {
    if (eventType.length > 200 || hasControlCharacter(eventType)) return { ok: false, field: 'event_type', message: 'an event type name, at most 200 characters' };
    query['event_type'] = eventType;
  }
  const subscription = text(f.subscription_id);
  if (subscription) {
    if (!UUID.test(subscription)) return { ok: false, field: 'subscription_id', message: 'a subscription id (a UUID)' };
    query['subscription_id'] = subscription.toLowerCase();
  }
  const code = text(f.status_code);
  if (code) {
    if (!/^\d{3}$/.test(code) || Number(code) < 100 || Number(code) > 599) return { ok: false, field: 'status_code', message: 'an HTTP status code, 100 to 599' };
    query['status_code'] = code;
  }
  const errorClass = text(f.error_class);
  if (errorClass) {
    if (!/^[a-z_]{1,64}$/.test(errorClass)) return { ok: false, field: 'error_class', message: 'an error class such as timeout or http_status' };
    query['error_class'] = errorClass;
  }
  const tenant = text(f.tenant_id);
  if (tenant) {
    if (!TENANT.test(tenant)) return { ok: false, field: 'tenant_id', message: 'a tenant id: letters, digits, _ and -, at most 64 characters' };
    query['tenant_id'] = tenant;
  }
  for (const field of ['since', 'until'] as const) {
    const value = text(f[field]);
    if (!value) continue;
    const iso = localToIso(value);
    if (!iso) return { ok: false, field, message: 'a date and time between 1970 and 9999' };
    query[field] = iso;
  }
  if (query['since'] && query['until'] && query['since'] >= query['until']) return { ok: false, field: 'until', message: 'after "since"' };
  return { ok: true, query };
}

/** The dead-letter list's filters (already checked, in the URL) as a replay job's filter. */
export function replayFilterOf(query: Readonly<Record<string, string>>): Record<string, string | number> {
  const filter: Record<string, string | number> = {};
  for (const key of ['subscription_id', 'event_type', 'since', 'until', 'error_class'] as const) {
    const v = query[key];
    if (v) filter[key] = v;
  }
  const code = query['status_code'];
  if (code && /^\d{3}$/.test(code)) filter['status_code'] = Number(code);
  return filter;
}
