import fc from 'fast-check';

/**
 * Generators for what Postgres and JSON.parse would refuse or silently change, and a runner that
 * posts them to a service's routes and asserts it never answers 5xx. Values are raw JSON text, so
 * they can hold what JSON.stringify cannot make: 1e400, 2^53+1 as written, duplicate keys.
 */

const nested = (open: string, close: string, levels: number) => `${open.repeat(levels)}1${close.repeat(levels)}`;

/** Strings Postgres cannot store, and timestamps outside what a timestamptz column (or JS) holds. */
export const hostileStrings = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfff',
  '\udc00\ud800',
  '0000-01-01T00:00:00Z',
  '10000-01-01T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '+275760-09-13T00:00:00Z',
  '1969-12-31T23:59:59Z',
  '2026-02-30T00:00:00Z',
  '2026-06-30T23:59:60Z',
  '2026-01-01T00:00:00+23:59',
  '9999-12-31T23:59:59-14:00',
  '2147483648',
  '9007199254740993',
  '99999999999999999999',
  'order.*\u0000',
  'http://127.0.0.1:1/\u0000',
];

/** Raw JSON numbers at and beyond the column and JSON limits. */
export const hostileNumbers = ['2147483647', '2147483648', '-2147483649', '4294967296', '9007199254740993', '-9007199254740993', '1e400', '-1e400', '1e-400', '1.5', '-1', '0'];

/** A raw JSON value from the lists above, nested and duplicated forms, or junk text. */
export const hostileJsonValue: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...hostileStrings).map((s) => JSON.stringify(s)) },
  { weight: 4, arbitrary: fc.constantFrom(...hostileNumbers) },
  { weight: 1, arbitrary: fc.constantFrom('{"a":1,"a":2}', '{"\\u0000":1}', '{"k":"\\ud800"}', '[1e400]', '{"n":9007199254740993}', 'true', 'null', '{}', '[]') },
  { weight: 1, arbitrary: fc.constantFrom(33, 65, 10_000).chain((n) => fc.constantFrom(nested('[', ']', n), nested('{"a":', '}', n))) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('\u0000', '\ud800', 'a', '"', '\\'), maxLength: 40 }).map((s) => JSON.stringify(s)) },
);

/** A query-string value, percent-encoded: NUL, surrogate halves as raw bytes, junk cursors, out-of-range numbers and dates. */
export const hostileQueryValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...hostileStrings).map((s) => encodeURIComponent(s.replace(/\p{Cs}/gu, '\ufffd'))),
  fc.constantFrom(...hostileNumbers),
  fc.constantFrom('%00', 'a%00b', '%ED%A0%80', '%C0%80', '%FF', '', 'x'.repeat(5000)),
  fc
    .array(fc.constantFrom('0000-01-01T00:00:00Z', '99999999999999999999', 'a\u0000', '\ud800', '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f', '1'), { minLength: 1, maxLength: 3 })
    .map((parts) => Buffer.from(JSON.stringify(parts)).toString('base64url')),
);

/** A path segment: NUL, broken UTF-8, huge, numeric edge cases, a well-formed uuid nobody has. */
export const hostileSegment: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('%00', 'x%00y', '%ED%A0%80', '%FF', '0000-01-01', '9007199254740993', '2147483648', '-1', '3b6a5cd5-3750-5c3c-a02a-0fbc129a759f', 'a'.repeat(3000), '%2E%2E'),
  fc.constantFrom(...hostileStrings).map((s) => encodeURIComponent(s.replace(/\p{Cs}/gu, '\ufffd'))),
);

export interface HostileRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** With `:name` parameters, filled from the target's real values or hostile segments. */
  path: string;
  /** Query parameters the route reads. */
  query?: string[];
  /** A valid body: sent as is, with one field replaced by a hostile value, or with a duplicate key. */
  body?: Record<string, unknown>;
  /** The route's own body limit, where it is below the service's (public routes read little or nothing). */
  bodyLimit?: number;
}

export interface HostileTarget {
  url: string;
  headers: Record<string, string>;
  /** Real values for path parameters, so requests reach past the lookup. */
  params: Record<string, string[]>;
  /** The largest body the service takes: strings near it are sent too. */
  bodyLimit: number;
}

export interface HostileRequest {
  method: string;
  path: string;
  body: string | undefined;
  contentType: string;
  /** The most the route reads: a larger body may be refused unread. */
  limit: number;
}

const MARK = '__hostile_value_5f3a__';
const PLACEHOLDER = JSON.stringify(MARK);

/** Every leaf of a template, as a path. */
function leafPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [path];
  const entries = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
  if (entries.length === 0) return [path];
  return [path, ...entries.flatMap(([k, v]) => leafPaths(v, [...path, k]))];
}

function replaceAt(template: unknown, path: (string | number)[], raw: string): string {
  const copy = structuredClone(template) as Record<string | number, unknown>;
  if (path.length === 0) return raw;
  let at: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1]] = MARK;
  return JSON.stringify(copy).replace(PLACEHOLDER, () => raw);
}

function bodyFor(route: HostileRoute, limit: number): fc.Arbitrary<string | undefined> {
  if (route.method === 'GET' || route.method === 'DELETE') return fc.constant(undefined);
  const template = route.body ?? {};
  const paths = leafPaths(template);
  const huge = fc.constantFrom(limit - 64, limit + 16).map((n) => JSON.stringify({ ...template, [Object.keys(template)[0] ?? 'x']: 'x'.repeat(Math.max(0, n)) }));
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant(JSON.stringify(template)) },
    { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...paths), hostileJsonValue).map(([path, raw]) => replaceAt(template, path, raw)) },
    {
      weight: 2,
      arbitrary: fc.tuple(fc.constantFrom(...Object.keys(template), 'x'), hostileJsonValue).map(([key, raw]) => {
        const text = JSON.stringify(template);
        return `${text.slice(0, -1)}${text.length > 2 ? ',' : ''}${JSON.stringify(key)}:${raw}}`;
      }),
    },
    { weight: 2, arbitrary: hostileJsonValue },
    { weight: 1, arbitrary: huge },
  );
}

/** One request to one of the routes, with hostile path parameters, query or body. */
export function hostileRequest(routes: readonly HostileRoute[], target: HostileTarget): fc.Arbitrary<HostileRequest> {
  return fc.constantFrom(...routes).chain((route) => {
    const names = [...route.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    const segment = (name: string) => {
      const real = target.params[name] ?? [];
      return real.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...real) }, { weight: 1, arbitrary: hostileSegment }) : hostileSegment;
    };
    const query = fc.array(fc.tuple(fc.constantFrom(...(route.query ?? ['x'])), hostileQueryValue), { maxLength: 3 });
    return fc.record({
      segments: fc.tuple(...names.map(segment)),
      query,
      body: bodyFor(route, target.bodyLimit),
      form: fc.boolean(),
    }).map(({ segments, query: q, body, form }) => {
      let i = 0;
      const path = route.path.replace(/:(\w+)/g, () => segments[i++]);
      const search = q.map(([k, v]) => `${k}=${v}`).join('&');
      const asForm = form && body !== undefined && body.length < 10_000;
      return {
        method: route.method,
        path: search ? `${path}?${search}` : path,
        body: asForm ? `a=%00&b=${encodeURIComponent(body)}` : body,
        contentType: asForm ? 'application/x-www-form-urlencoded' : 'application/json',
        limit: route.bodyLimit ?? target.bodyLimit,
      };
    });
  });
}

/**
 * Sends `numRuns` hostile requests and throws on the first 5xx (or a 4xx without a code). Answers
 * how often each status was seen, so a test can check the generators reached both outcomes.
 */
export async function assertNoServerErrors(routes: readonly HostileRoute[], target: HostileTarget, options: { numRuns: number; seed: number }): Promise<Map<number, number>> {
  const seen = new Map<number, number>();
  await fc.assert(
    fc.asyncProperty(hostileRequest(routes, target), async (r) => {
      let res: Response;
      try {
        res = await fetch(`${target.url}${r.path}`, {
          method: r.method,
          headers: { ...target.headers, ...(r.body !== undefined ? { 'content-type': r.contentType } : {}) },
          body: r.body ?? null,
          redirect: 'manual',
          signal: AbortSignal.timeout(15_000),
        });
      } catch (err) {
        // A body over the limit is refused unread (413, Connection: close): the server may close
        // before the client has written it all, and the client then only sees the broken pipe.
        if (r.body !== undefined && Buffer.byteLength(r.body) > r.limit && refusedUnread(err)) {
          seen.set(413, (seen.get(413) ?? 0) + 1);
          return;
        }
        throw err;
      }
      seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
      // A live stream (SSE) never ends: its status is the answer.
      const text = res.headers.get('content-type')?.includes('text/event-stream') ? (await res.body?.cancel(), '') : await res.text();
      if (res.status >= 500) throw new Error(`${res.status} for ${r.method} ${r.path.slice(0, 200)} ${r.body?.slice(0, 200) ?? ''} → ${text.slice(0, 300)}`);
      if (res.status >= 400 && typeof (JSON.parse(text) as { code?: unknown }).code !== 'string') throw new Error(`${res.status} without a code for ${r.method} ${r.path}`);
    }),
    { numRuns: options.numRuns, seed: options.seed },
  );
  return seen;
}

/** The connection was closed under a request still being written (EPIPE, ECONNRESET). */
function refusedUnread(err: unknown): boolean {
  const cause = (err as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' && ['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'].includes(cause.code);
}

/**
 * What every service serves (health, metrics, API docs), plus a route nobody serves: a hostile
 * body to an unknown path must answer 4xx too (it is refused unread, since only a routed,
 * authenticated request's body is read).
 */
export const PLATFORM_ROUTES: HostileRoute[] = [
  { method: 'GET', path: '/health/live', query: ['verbose'] },
  { method: 'GET', path: '/health/ready', query: ['verbose'] },
  { method: 'GET', path: '/metrics', query: ['name[]'] },
  { method: 'GET', path: '/docs/openapi.json' },
  { method: 'GET', path: '/docs/service.json' },
  { method: 'GET', path: '/docs' },
  { method: 'GET', path: '/docs/assets/:file' },
  // Public, and unrouted: neither reads a body, so any body may be refused unread.
  { method: 'POST', path: '/health/live', body: { a: 1 }, bodyLimit: 0 },
  { method: 'POST', path: '/v1/:anything', body: { id: 'x', occurred_at: '2026-11-22T10:00:00Z', n: 1, data: { a: [1] } }, bodyLimit: 0 },
];
