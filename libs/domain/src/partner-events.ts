import { createHash } from 'node:crypto';
import { type CallbackRequest, parseFormBody, type PartnerProvider } from './partner-signatures.js';

/** Where a generic HMAC sender puts its event id and type: a header, or a dot path into a JSON body. */
export interface EventLocator {
  idHeader: string | null;
  idPath: string | null;
  typeHeader: string | null;
  typePath: string | null;
}

export type PartnerEventSource = { provider: Exclude<PartnerProvider, 'hmac'> } | { provider: 'hmac'; locate: EventLocator };

/** What a verified callback says happened, ready to become an internal event. */
export interface PartnerEvent {
  /** The provider's id for this event: what a re-send repeats, so dedup keys on it. */
  providerEventId: string;
  /** `<provider>.<provider's event type>`, normalised to the envelope's type syntax. */
  type: string;
  /** When the provider says it happened, if it says; ISO 8601. */
  occurredAt: string | null;
  /** The body as the provider sent it: parsed JSON, or a form's fields as an object. */
  payload: unknown;
}

export type DescribedEvent = { ok: true; event: PartnerEvent } | { ok: false; message: string };

/** The type used when a generic sender names none. */
export const UNNAMED_EVENT_TYPE = 'received';

const MAX_TYPE = 128;
const MAX_PROVIDER_ID = 200;

/**
 * Reads the event out of a verified callback:
 * - stripe: the Event object's `id`, `type` and `created`;
 * - github: the type from X-GitHub-Event and the payload's `action` (JSON, or the `payload` field of
 *   a form post); the id is a SHA-256 of the signed body, not X-GitHub-Delivery: GitHub signs the
 *   body only, so a captured delivery re-sent under a fresh X-GitHub-Delivery and another
 *   X-GitHub-Event is the same event (a duplicate), never a new one of another type. GitHub's own
 *   "redeliver" re-sends the same body under a new delivery id, and is a duplicate too;
 * - payfast: `pf_payment_id` and `payment_status` of the ITN (one event per payment and status);
 * - standard-webhooks: the webhook-id header, the payload's `type` and `timestamp`;
 * - hmac: the id and type where the integration says (header or JSON path); without an id, a
 *   SHA-256 of the body (so an identical re-send is still a duplicate); without a type, `received`.
 */
export function describePartnerEvent(source: PartnerEventSource, req: CallbackRequest): DescribedEvent {
  const provider = source.provider;
  const body = readBody(req);
  if (!body.ok) return body;
  const doc = body.value;
  const field = (name: string): unknown => (isObject(doc) ? doc[name] : undefined);
  switch (source.provider) {
    case 'stripe': {
      const id = field('id');
      const type = field('type');
      const created = field('created');
      if (typeof id !== 'string' || !id || typeof type !== 'string' || !type) return { ok: false, message: 'a Stripe event needs a string "id" and "type"' };
      return event(provider, id, type, typeof created === 'number' ? unixToIso(created) : null, doc);
    }
    case 'github': {
      const delivery = req.header('x-github-delivery');
      const name = req.header('x-github-event');
      if (!delivery || !name) return { ok: false, message: 'X-GitHub-Delivery and X-GitHub-Event are required' };
      const action = field('action');
      return event(provider, `sha256:${sha256(req.body)}`, typeof action === 'string' && action ? `${name}.${action}` : name, null, doc);
    }
    case 'payfast': {
      const paymentId = field('pf_payment_id');
      const status = field('payment_status');
      if (typeof paymentId !== 'string' || !paymentId || typeof status !== 'string' || !status) return { ok: false, message: 'a PayFast ITN needs pf_payment_id and payment_status' };
      return event(provider, `${paymentId}:${status.toLowerCase()}`, `payment.${status}`, null, doc);
    }
    case 'standard-webhooks': {
      const id = req.header('webhook-id');
      if (!id) return { ok: false, message: 'webhook-id is required' };
      const type = field('type');
      const at = field('timestamp');
      const occurred = typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : unixToIso(Number(req.header('webhook-timestamp')));
      return event(provider, id, typeof type === 'string' && type ? type : UNNAMED_EVENT_TYPE, occurred, doc);
    }
    case 'hmac': {
      const { locate } = source;
      const id = locate.idHeader ? req.header(locate.idHeader) : scalarAt(doc, locate.idPath);
      const type = locate.typeHeader ? req.header(locate.typeHeader) : scalarAt(doc, locate.typePath);
      return event(provider, id || `sha256:${sha256(req.body)}`, type || UNNAMED_EVENT_TYPE, null, doc);
    }
  }
}

function event(provider: PartnerProvider, providerEventId: string, providerType: string, occurredAt: string | null, payload: unknown): DescribedEvent {
  return { ok: true, event: { providerEventId: boundedId(providerEventId), type: normaliseEventType(provider, providerType), occurredAt, payload } };
}

/**
 * `<provider>.<type>` in the envelope's syntax (dot-separated `[a-z0-9_-]` segments, at most 128
 * characters): lower-cased, `/` and `:` read as separators (`orders/create` → `orders.create`),
 * any other character becomes `_`, empty segments go.
 */
export function normaliseEventType(provider: PartnerProvider, providerType: string): string {
  const segments = providerType
    .toLowerCase()
    .split(/[./:]/)
    .map((s) => s.replace(/[^a-z0-9_-]/g, '_'))
    .filter(Boolean);
  const type = [provider, ...(segments.length ? segments : [UNNAMED_EVENT_TYPE])].join('.');
  return type.length <= MAX_TYPE ? type : type.slice(0, MAX_TYPE).replace(/\.+$/, '');
}

/**
 * The internal event id: the integration's id and the provider's event id, so two senders that
 * both number their events from 1 never collide. Hashed when it would not fit the envelope's id
 * rules (printable ASCII without spaces, at most 128 characters).
 */
export function internalEventId(integrationId: string, providerEventId: string): string {
  const id = `${integrationId}:${providerEventId}`;
  return /^[\x21-\x7e]{1,128}$/.test(id) ? id : `${integrationId}:sha256:${sha256(Buffer.from(providerEventId))}`;
}

/** Provider ids are stored and keyed on; one that is huge or has control characters is hashed. */
function boundedId(id: string): string {
  return id.length <= MAX_PROVIDER_ID && /^[\x20-\x7e]+$/.test(id) ? id : `sha256:${sha256(Buffer.from(id))}`;
}

function readBody(req: CallbackRequest): { ok: true; value: unknown } | { ok: false; message: string } {
  const type = (req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/x-www-form-urlencoded') {
    const fields = Object.fromEntries(parseFormBody(req.body).map((f) => [f.name, f.value.toString('utf8')]));
    // GitHub's form-encoded deliveries carry the JSON payload in one field.
    if (Object.keys(fields).length === 1 && typeof fields['payload'] === 'string') return parseJson(Buffer.from(fields['payload']));
    return { ok: true, value: fields };
  }
  return parseJson(req.body);
}

function parseJson(body: Buffer): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(body.toString('utf8')) as unknown };
  } catch {
    return { ok: false, message: 'the body is not valid JSON' };
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string or number at a dot path such as `data.id`; anything else is absent. */
function scalarAt(doc: unknown, path: string | null): string | undefined {
  if (!path) return undefined;
  let node: unknown = doc;
  for (const key of path.split('.')) node = isObject(node) ? node[key] : undefined;
  return typeof node === 'string' || (typeof node === 'number' && Number.isFinite(node)) ? String(node) : undefined;
}

function unixToIso(seconds: number): string | null {
  return Number.isFinite(seconds) && seconds > 0 && seconds < 1e11 ? new Date(seconds * 1000).toISOString() : null;
}

function sha256(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
