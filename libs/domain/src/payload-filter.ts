/**
 * Payload filters: which events of its types a subscription receives, decided on the event
 * itself. A documented subset of MongoDB's query language, close to Convoy's body filters so
 * that their users can port theirs (docs/guides/payload-filters.md):
 *
 *   { "data.amount": { "$gte": 100 }, "data.currency": { "$in": ["EUR", "USD"] },
 *     "$or": [{ "data.customer.tier": "gold" }, { "data.items.sku": "X-1" }] }
 *
 * A filter is checked once at registration (limits, operators, field paths) and compiled once
 * per subscription version into closures; evaluating one costs O(filter size) path lookups,
 * plus one step per array element a path crosses. No tenant code or regular expression runs.
 */

/** The fields of an event a filter may look at: the envelope and its `data`. */
export interface FilterableEvent {
  id: string;
  type: string;
  occurred_at: string;
  data: Record<string, unknown>;
}

const ROOT_FIELDS = new Set(['id', 'type', 'occurred_at', 'data']);
const LOGICAL = new Set(['$and', '$or', '$not']);

/** What every filter keeps to, whoever sends it. */
export const PAYLOAD_FILTER_LIMITS = {
  /** Its JSON text. */
  maxBytes: 8192,
  /** Objects and arrays inside one another. */
  maxDepth: 8,
  /** Conditions (one per operator or plain value) and logical clauses together. */
  maxClauses: 100,
  /** Values of one `$in` or `$nin`. */
  maxListItems: 100,
  /** Segments of one dotted path, its root (`data`, `type`…) included. */
  maxPathSegments: 16,
  /** One key, field path or string value. */
  maxStringLength: 1024,
} as const;

export interface FilterProblem {
  /** Where in the filter, dotted (`$and.1.data.amount.$gt`); empty for the filter itself. */
  path: string;
  message: string;
}

/** Why an event did not pass a filter: the clause (a dotted path into the filter) and what it saw. */
export interface FilterMiss {
  clause: string;
  message: string;
}

export interface CompiledPayloadFilter {
  matches(event: FilterableEvent): boolean;
  /** The same verdict, with the clauses that failed. */
  explain(event: FilterableEvent): { matched: boolean; misses: FilterMiss[] };
}

type Comparison = '$eq' | '$ne' | '$in' | '$nin' | '$gt' | '$gte' | '$lt' | '$lte' | '$exists';

type Clause =
  | { kind: 'all' | 'any'; at: string; children: Clause[] }
  | { kind: 'not'; at: string; child: Clause }
  | { kind: 'test'; at: string; field: string; segments: string[]; op: Comparison; value: unknown };

const COMPARISONS: Record<string, Comparison> = {
  $eq: '$eq',
  $ne: '$ne',
  // Convoy's spellings.
  $neq: '$ne',
  $in: '$in',
  $nin: '$nin',
  $gt: '$gt',
  $gte: '$gte',
  $lt: '$lt',
  $lte: '$lte',
  $exists: '$exists',
  $exist: '$exists',
};

const OPERATOR_SYMBOL: Record<Comparison, string> = { $eq: '=', $ne: '≠', $in: 'in', $nin: 'not in', $gt: '>', $gte: '≥', $lt: '<', $lte: '≤', $exists: 'exists' };

/** Checks a filter and compiles it, or says everything wrong with it, each with its path. */
export function compilePayloadFilter(filter: unknown): { ok: true; filter: CompiledPayloadFilter } | { ok: false; problems: FilterProblem[] } {
  const problems: FilterProblem[] = [];
  if (!isPlainObject(filter)) return { ok: false, problems: [{ path: '', message: 'must be an object' }] };
  const deep = depthBeyond(filter, PAYLOAD_FILTER_LIMITS.maxDepth);
  if (deep !== null) return { ok: false, problems: [{ path: deep, message: `nested deeper than ${String(PAYLOAD_FILTER_LIMITS.maxDepth)} levels` }] };
  if (JSON.stringify(filter).length > PAYLOAD_FILTER_LIMITS.maxBytes) {
    return { ok: false, problems: [{ path: '', message: `longer than ${String(PAYLOAD_FILTER_LIMITS.maxBytes)} characters of JSON` }] };
  }
  if (Object.keys(filter).length === 0) return { ok: false, problems: [{ path: '', message: 'an empty filter passes every event: send null to remove the filter' }] };
  const parser = new Parser(problems);
  const root = parser.object(filter, [], []);
  if (parser.clauses > PAYLOAD_FILTER_LIMITS.maxClauses) problems.push({ path: '', message: `more than ${String(PAYLOAD_FILTER_LIMITS.maxClauses)} conditions` });
  if (problems.length > 0) return { ok: false, problems };
  const test = compile(root);
  return {
    ok: true,
    filter: {
      matches: (event) => test(event),
      explain: (event) => {
        const misses: FilterMiss[] = [];
        const matched = explain(root, event, misses);
        return { matched, misses: matched ? [] : misses };
      },
    },
  };
}

/** The problems of a filter, for request validation; none when it compiles. */
export function payloadFilterProblems(filter: unknown): FilterProblem[] {
  const r = compilePayloadFilter(filter);
  return r.ok ? [] : r.problems;
}

class Parser {
  clauses = 0;

  constructor(private readonly problems: FilterProblem[]) {}

  /** A filter object: fields (a condition each) and logical operators, all of which must hold. */
  object(obj: Record<string, unknown>, at: string[], prefix: string[]): Clause {
    const children: Clause[] = [];
    for (const key of Object.keys(obj)) {
      const value = obj[key];
      const here = [...at, key];
      if (key.length > PAYLOAD_FILTER_LIMITS.maxStringLength) {
        this.problem(here, `a key longer than ${String(PAYLOAD_FILTER_LIMITS.maxStringLength)} characters`);
      } else if (key === '$and' || key === '$or') {
        children.push(this.logical(key, value, here, prefix));
      } else if (key === '$not') {
        this.clauses++;
        if (!isPlainObject(value) || Object.keys(value).length === 0) this.problem(here, 'must be a non-empty filter object');
        else children.push({ kind: 'not', at: here.join('.'), child: this.object(value, here, prefix) });
      } else if (key.startsWith('$')) {
        this.problem(here, `unknown operator ${key}: use a field path, $and, $or or $not here`);
      } else {
        const segments = this.path(key, here, prefix);
        if (segments) children.push(this.field(value, here, segments));
      }
    }
    return children.length === 1 && children[0] ? children[0] : { kind: 'all', at: at.join('.'), children };
  }

  private logical(key: '$and' | '$or', value: unknown, at: string[], prefix: string[]): Clause {
    this.clauses++;
    const children: Clause[] = [];
    if (!Array.isArray(value) || value.length === 0) {
      this.problem(at, 'must be a non-empty array of filter objects');
    } else {
      value.forEach((item, i) => {
        if (isPlainObject(item) && Object.keys(item).length > 0) children.push(this.object(item, [...at, String(i)], prefix));
        else this.problem([...at, String(i)], 'must be a non-empty filter object');
      });
    }
    return { kind: key === '$and' ? 'all' : 'any', at: at.join('.'), children };
  }

  /** A field's condition: a plain value (equality), an operator object, or a nested filter. */
  private field(value: unknown, at: string[], segments: string[]): Clause {
    if (!isPlainObject(value)) return this.test('$eq', value, at, segments);
    const keys = Object.keys(value);
    // Comparisons apply to this field; field names and $and/$or/$not make a nested filter.
    const comparisons = keys.filter((k) => k.startsWith('$') && !LOGICAL.has(k));
    if (keys.length === 0) return this.test('$eq', value, at, segments);
    if (comparisons.length === 0) return this.object(value, at, segments);
    if (comparisons.length !== keys.length) {
      this.problem(at, 'mixes operators ($…) and field names; put the fields in an object of their own');
      return { kind: 'all', at: at.join('.'), children: [] };
    }
    const children = keys.map((k) => {
      const op = COMPARISONS[k];
      if (op === undefined) {
        this.problem([...at, k], `unknown operator ${k}: one of ${Object.keys(COMPARISONS).join(', ')}`);
        return { kind: 'all', at: at.join('.'), children: [] } satisfies Clause;
      }
      return this.test(op, value[k], [...at, k], segments);
    });
    return children.length === 1 && children[0] ? children[0] : { kind: 'all', at: at.join('.'), children };
  }

  private test(op: Comparison, value: unknown, at: string[], segments: string[]): Clause {
    this.clauses++;
    const clause: Clause = { kind: 'test', at: at.join('.'), field: segments.join('.'), segments, op, value };
    if (op === '$exists') {
      if (typeof value !== 'boolean') this.problem(at, 'must be true or false');
    } else if (op === '$in' || op === '$nin') {
      if (!Array.isArray(value)) this.problem(at, 'must be an array of values');
      else if (value.length > PAYLOAD_FILTER_LIMITS.maxListItems) this.problem(at, `more than ${String(PAYLOAD_FILTER_LIMITS.maxListItems)} values`);
      else value.forEach((v, i) => this.literal(v, [...at, String(i)]));
    } else if (op === '$gt' || op === '$gte' || op === '$lt' || op === '$lte') {
      if (typeof value !== 'number' && typeof value !== 'string') this.problem(at, 'must be a number or a string');
      else this.literal(value, at);
    } else {
      this.literal(value, at);
    }
    return clause;
  }

  /** A value compared with the event's: JSON that JSON round-trips, with strings of bounded length. */
  private literal(value: unknown, at: string[]): void {
    if (typeof value === 'string' && value.length > PAYLOAD_FILTER_LIMITS.maxStringLength) {
      this.problem(at, `a string longer than ${String(PAYLOAD_FILTER_LIMITS.maxStringLength)} characters`);
    } else if (typeof value === 'number' && (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value)))) {
      this.problem(at, 'a number beyond ±2^53, which JSON does not carry exactly');
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => this.literal(v, [...at, String(i)]));
    } else if (isPlainObject(value)) {
      for (const k of Object.keys(value)) this.literal(value[k], [...at, k]);
    } else if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      this.problem(at, 'must be a JSON value');
    }
  }

  private path(key: string, at: string[], prefix: string[]): string[] | null {
    const segments = [...prefix, ...key.split('.')];
    if (segments.some((s) => s === '')) return this.problem(at, 'a field path has empty segments (two dots, or a dot at an end)');
    if (segments.length > PAYLOAD_FILTER_LIMITS.maxPathSegments) return this.problem(at, `a field path of more than ${String(PAYLOAD_FILTER_LIMITS.maxPathSegments)} segments`);
    const root = segments[0] ?? '';
    if (!ROOT_FIELDS.has(root)) return this.problem(at, `a field path starts with data, type, id or occurred_at, not ${root} (payload fields are under data.)`);
    if (root !== 'data' && segments.length > 1) return this.problem(at, `${root} has no fields`);
    return segments;
  }

  private problem(at: string[], message: string): null {
    this.problems.push({ path: at.join('.'), message });
    return null;
  }
}

type Test = (event: FilterableEvent) => boolean;

function compile(c: Clause): Test {
  switch (c.kind) {
    case 'all': {
      const tests = c.children.map(compile);
      return (e) => tests.every((t) => t(e));
    }
    case 'any': {
      const tests = c.children.map(compile);
      return (e) => tests.some((t) => t(e));
    }
    case 'not': {
      const test = compile(c.child);
      return (e) => !test(e);
    }
    case 'test': {
      const { segments, op, value } = c;
      return (e) => holds(op, value, valuesAt(e, segments));
    }
  }
}

function explain(c: Clause, event: FilterableEvent, misses: FilterMiss[]): boolean {
  switch (c.kind) {
    case 'all': {
      let ok = true;
      for (const child of c.children) if (!explain(child, event, misses)) ok = false;
      return ok;
    }
    case 'any': {
      const inner: FilterMiss[] = [];
      if (c.children.some((child) => explain(child, event, inner))) return true;
      misses.push({ clause: c.at, message: `none of its ${String(c.children.length)} clauses holds` }, ...inner);
      return false;
    }
    case 'not': {
      if (!explain(c.child, event, [])) return true;
      misses.push({ clause: c.at, message: 'the clause it negates holds' });
      return false;
    }
    case 'test': {
      const found = valuesAt(event, c.segments);
      if (holds(c.op, c.value, found)) return true;
      const seen = found.length === 0 ? 'is missing' : `is ${found.map(show).join(' / ')}`;
      const expected = c.op === '$exists' ? (c.value === true ? 'it must exist' : 'it must not exist') : `not ${OPERATOR_SYMBOL[c.op]} ${show(c.value)}`;
      misses.push({ clause: c.at, message: `${c.field} ${seen}, ${expected}` });
      return false;
    }
  }
}

/**
 * The values at a dotted path. A numeric segment indexes an array; any other segment crossing an
 * array looks into each of its objects (`data.items.sku`: every item's sku), so a path can have
 * several values, and a condition holds when one of them satisfies it (as in MongoDB).
 */
function valuesAt(event: FilterableEvent, segments: readonly string[]): unknown[] {
  let current: unknown[] = [event];
  for (const seg of segments) {
    const next: unknown[] = [];
    for (const v of current) {
      if (Array.isArray(v)) {
        if (/^(0|[1-9][0-9]{0,8})$/.test(seg)) {
          const i = Number(seg);
          if (i < v.length) next.push(v[i]);
        } else {
          for (const el of v) if (isPlainObject(el) && Object.hasOwn(el, seg)) next.push(el[seg]);
        }
      } else if (isPlainObject(v) && Object.hasOwn(v, seg)) {
        next.push(v[seg]);
      }
    }
    if (next.length === 0) return next;
    current = next;
  }
  return current;
}

function holds(op: Comparison, expected: unknown, found: readonly unknown[]): boolean {
  switch (op) {
    case '$exists':
      return (found.length > 0) === expected;
    case '$eq':
      return found.some((v) => equalOrContains(v, expected));
    case '$ne':
      return !found.some((v) => equalOrContains(v, expected));
    case '$in':
      return (expected as unknown[]).some((x) => found.some((v) => equalOrContains(v, x)));
    case '$nin':
      return !(expected as unknown[]).some((x) => found.some((v) => equalOrContains(v, x)));
    default:
      return found.some((v) => (Array.isArray(v) ? v.some((el) => ordered(op, el, expected)) : ordered(op, v, expected)));
  }
}

/** Equal, or an array holding an equal element (`"tags": "vip"` matches `tags: ["new", "vip"]`). */
function equalOrContains(v: unknown, expected: unknown): boolean {
  return jsonEqual(v, expected) || (Array.isArray(v) && !Array.isArray(expected) && v.some((el) => jsonEqual(el, expected)));
}

/** Numbers with numbers, strings with strings (code-unit order, so ISO timestamps compare by time); never across types. */
function ordered(op: Comparison, v: unknown, bound: unknown): boolean {
  if (typeof v !== typeof bound || (typeof v !== 'number' && typeof v !== 'string')) return false;
  const a = v;
  const b = bound as number | string;
  if (op === '$gt') return a > b;
  if (op === '$gte') return a >= b;
  if (op === '$lt') return a < b;
  return a <= b;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The path of the first value nested deeper than `max`, walked without recursion. */
function depthBeyond(root: unknown, max: number): string | null {
  const stack: Array<{ v: unknown; depth: number; path: string[] }> = [{ v: root, depth: 1, path: [] }];
  while (stack.length > 0) {
    const { v, depth, path } = stack.pop() as { v: unknown; depth: number; path: string[] };
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return path.join('.');
    for (const [k, child] of Object.entries(v)) stack.push({ v: child, depth: depth + 1, path: [...path, k] });
  }
  return null;
}

function show(v: unknown): string {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
