/**
 * The subscription form's own checks: only what the API cannot say better. The URL rules (https,
 * public address, the allowlist) are the registry's, shown on the field as it answers them.
 */
export interface SubscriptionFormValues {
  url: string;
  name: string;
  description: string;
  /** As typed: event type patterns separated by commas, spaces or new lines. */
  eventTypes: string;
}

export type FormCheck = { ok: true; body: { url: string; name: string | null; description: string | null; event_types: string[] } } | { ok: false; fields: Record<string, string> };

export function eventTypesOf(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).map((t) => t.trim()).filter(Boolean))];
}

export function checkSubscriptionForm(v: SubscriptionFormValues): FormCheck {
  const fields: Record<string, string> = {};
  const url = v.url.trim();
  if (!url) fields['url'] = 'the endpoint that receives the webhooks';
  else if (url.length > 2048) fields['url'] = 'at most 2048 characters';
  const types = eventTypesOf(v.eventTypes);
  if (types.length === 0) fields['event_types'] = 'at least one event type, or * for every one';
  else if (types.length > 100) fields['event_types'] = 'at most 100 event types';
  const name = v.name.trim();
  if (name.length > 200) fields['name'] = 'at most 200 characters';
  const description = v.description.trim();
  if (description.length > 1000) fields['description'] = 'at most 1000 characters';
  if (Object.keys(fields).length) return { ok: false, fields };
  return { ok: true, body: { url, name: name || null, description: description || null, event_types: types } };
}

/** The API's field paths (`event_types.3`) onto the form's fields. */
export function formFieldsOf(apiFields: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(apiFields ?? {})) {
    const field = path.split('.')[0] ?? path;
    out[field] ??= message;
  }
  return out;
}
