/**
 * Cursor paging, kept in the page's URL: `after` lists the cursors followed so far, each
 * URI-encoded and joined by commas (the API's cursors are opaque, so they are never split
 * inside). The last one is the cursor of the page shown.
 */
const MAX_TRAIL = 200;

export function trailOf(query: Readonly<Record<string, string>>): string[] {
  const raw = query['after'];
  if (!raw) return [];
  const trail: string[] = [];
  for (const part of raw.split(',').slice(0, MAX_TRAIL)) {
    try {
      const cursor = decodeURIComponent(part);
      // The API caps a cursor at 500 characters; anything else came from a mangled link.
      if (cursor && cursor.length <= 500) trail.push(cursor);
    } catch {
      return [];
    }
  }
  return trail;
}

/** The query for a page `trail` deep, the filters kept. */
export function withTrail(query: Readonly<Record<string, string>>, trail: readonly string[]): Record<string, string> {
  const { after: _after, ...rest } = query;
  return trail.length ? { ...rest, after: trail.map(encodeURIComponent).join(',') } : rest;
}

/** The API query of the page shown: the filters, and the last cursor followed. */
export function apiQuery(query: Readonly<Record<string, string>>): Record<string, string> {
  const { after: _after, ...filters } = query;
  const cursor = trailOf(query).at(-1);
  return cursor ? { ...filters, cursor } : filters;
}
