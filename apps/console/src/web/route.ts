/**
 * The console's pages, addressed by the URL's fragment (`#/dead-letters?error_class=timeout`), so
 * the server has one page to serve, and a filtered list is a link on-call can paste.
 */
export type ListPageName = 'deliveries' | 'dead-letters' | 'subscriptions' | 'event-types' | 'tail' | 'match';

export type Route =
  | { page: ListPageName; query: Record<string, string> }
  | { page: 'delivery' | 'dead-letter' | 'subscription'; id: string }
  | { page: 'subscription-new' }
  | { page: 'event-type'; name: string };

const LISTS: readonly ListPageName[] = ['deliveries', 'dead-letters', 'subscriptions', 'event-types', 'tail', 'match'];
const ITEMS = { deliveries: 'delivery', 'dead-letters': 'dead-letter', subscriptions: 'subscription' } as const;

/** Ids are the API's own (UUIDs); anything else in that place is not one of our pages. */
const ID = /^[0-9a-fA-F-]{1,64}$/;
/** Event type names as the API allows them (lowercase words, dots, slashes). */
const EVENT_TYPE = /^[a-z0-9_-]+(?:\/[a-z0-9_-]+)*(?:\.[a-z0-9_-]+(?:\/[a-z0-9_-]+)*)*$/;

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  const first = parts[0] ?? '';
  const list: ListPageName = (LISTS as readonly string[]).includes(first) ? (first as ListPageName) : 'deliveries';
  const second = parts[1];
  if (parts.length === 2 && second !== undefined) {
    if (list === 'subscriptions' && second === 'new') return { page: 'subscription-new' };
    if (list in ITEMS && ID.test(second)) return { page: ITEMS[list as keyof typeof ITEMS], id: second };
    if (list === 'event-types') {
      const name = safeDecode(second);
      if (name !== null && name.length <= 128 && EVENT_TYPE.test(name)) return { page: 'event-type', name };
    }
  }
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) if (v !== '') query[k] = v;
  return { page: list, query: parts.length <= 1 ? query : {} };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'delivery':
      return `#/deliveries/${route.id}`;
    case 'dead-letter':
      return `#/dead-letters/${route.id}`;
    case 'subscription':
      return `#/subscriptions/${route.id}`;
    case 'subscription-new':
      return '#/subscriptions/new';
    case 'event-type':
      return `#/event-types/${encodeURIComponent(route.name)}`;
    default: {
      const search = new URLSearchParams(Object.entries(route.query).filter(([, v]) => v !== '')).toString();
      return `#/${route.page}${search ? `?${search}` : ''}`;
    }
  }
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
