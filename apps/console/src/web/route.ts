/**
 * The console's pages, addressed by the URL's fragment (`#/dead-letters?error_class=timeout`), so
 * the server has one page to serve, and a filtered list is a link on-call can paste.
 */
export type Route =
  | { page: 'deliveries'; query: Record<string, string> }
  | { page: 'delivery'; id: string }
  | { page: 'dead-letters'; query: Record<string, string> }
  | { page: 'dead-letter'; id: string };

const LISTS = { deliveries: 'delivery', 'dead-letters': 'dead-letter' } as const;

/** Ids are the API's own (UUIDs); anything else in that place is not one of our pages. */
const ID = /^[0-9a-fA-F-]{1,64}$/;

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?', 2);
  const parts = path.split('/').filter(Boolean);
  const list = parts[0] === 'dead-letters' ? 'dead-letters' : 'deliveries';
  const id = parts[1];
  if (parts.length === 2 && id !== undefined && ID.test(id) && (parts[0] === 'deliveries' || parts[0] === 'dead-letters')) {
    return { page: LISTS[list], id };
  }
  const query: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) if (v !== '') query[k] = v;
  return { page: list, query };
}

export function routeHref(route: Route): string {
  switch (route.page) {
    case 'delivery':
      return `#/deliveries/${route.id}`;
    case 'dead-letter':
      return `#/dead-letters/${route.id}`;
    default: {
      const search = new URLSearchParams(Object.entries(route.query).filter(([, v]) => v !== '')).toString();
      return `#/${route.page}${search ? `?${search}` : ''}`;
    }
  }
}
